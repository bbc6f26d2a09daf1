// A copy of @pulumi/policy exactly as published, next to this repository's patched one
// (patches/@pulumi+policy+*.patch, applied by `npm ci` through `prepare`; see docs/sdk-patch.md).
// The equivalence test runs both SDKs' AnalyzeStack handlers on the same requests, and the bench
// starts our pack on both, so every figure for the patch has its stock counterpart.
//
// The copy lives in a temporary node_modules whose other packages are symlinks to the repository's
// (Node follows them to their real paths, so both SDKs share one @pulumi/pulumi and one protobuf
// runtime); only @pulumi/policy is a real copy, with the patch reversed by `git apply -R`.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A marker that only the patched server.js has. */
export const PATCH_MARKER = "function makeStackResources(";

export interface StockSdk {
  /** The temporary root: `<root>/node_modules/@pulumi/policy` is the stock SDK. */
  root: string;
  /** `<root>/node_modules/@pulumi/policy`. */
  policyDir: string;
  remove(): void;
}

/** The repository's patches of @pulumi/policy. */
export function policyPatches(repo: string): string[] {
  const dir = path.join(repo, "patches");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith("@pulumi+policy+") && f.endsWith(".patch"))
    .map((f) => path.join(dir, f));
}

/** True when the repository's @pulumi/policy carries the patch (`npm ci` applies it). */
export function repoSdkPatched(repo: string): boolean {
  const server = path.join(repo, "node_modules", "@pulumi", "policy", "server.js");
  return fs.readFileSync(server, "utf8").includes(PATCH_MARKER);
}

/** Makes the stock copy. Throws when the repository's SDK is not patched (run `npm ci`). */
export function makeStockSdk(repo: string): StockSdk {
  if (!repoSdkPatched(repo)) {
    throw new Error(
      "node_modules/@pulumi/policy is not patched: run `npm ci` (its prepare step runs patch-package)",
    );
  }
  const modules = path.join(repo, "node_modules");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "zt-stock-sdk-"));
  const remove = () => fs.rmSync(root, { recursive: true, force: true });
  try {
    const nm = path.join(root, "node_modules");
    fs.mkdirSync(path.join(nm, "@pulumi"), { recursive: true });
    for (const entry of fs.readdirSync(modules)) {
      if (entry === "@pulumi" || entry === ".bin") continue;
      fs.symlinkSync(path.join(modules, entry), path.join(nm, entry));
    }
    for (const entry of fs.readdirSync(path.join(modules, "@pulumi"))) {
      if (entry === "policy") continue;
      fs.symlinkSync(path.join(modules, "@pulumi", entry), path.join(nm, "@pulumi", entry));
    }
    const policyDir = path.join(nm, "@pulumi", "policy");
    fs.cpSync(path.join(modules, "@pulumi", "policy"), policyDir, { recursive: true });
    // The patch names node_modules/@pulumi/policy/…, so it applies from the temporary root, which is
    // in no git repository: `git apply` then works on the files as plain `patch` would.
    for (const patch of policyPatches(repo)) {
      execFileSync("git", ["apply", "-R", patch], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    }
    if (fs.readFileSync(path.join(policyDir, "server.js"), "utf8").includes(PATCH_MARKER)) {
      throw new Error("reversing the @pulumi/policy patch left it in place");
    }
    return { root, policyDir, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
