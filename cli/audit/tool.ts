// Who the tool is, for reports and `--version`: one place for the name, the version and the URLs.

import * as fs from "node:fs";
import * as path from "node:path";

export const TOOL_NAME = "zt-postgres";
export const PACKAGE_NAME = "zero-trust-azure-postgres";

/** The project's home. Reports link here; rule help links point into its generated rules reference. */
export const REPOSITORY_URL = "https://github.com/zero-trust-azure-postgres/zero-trust-azure-postgres";

/** The help page of a rule: its anchor in docs/rules.md, which is generated from the catalogue. */
export function ruleHelpUri(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules.md#${ruleId}`;
}

let cachedVersion: string | undefined;

/** The package version, read from the package.json above this file (works from cli/ and dist/cli/). */
export function toolVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") return (cachedVersion = pkg.version);
    }
    const up = path.dirname(dir);
    if (up === dir) return (cachedVersion = "0.0.0");
    dir = up;
  }
}
