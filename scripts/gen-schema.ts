// Writes schema.json: the Pulumi package schema that other languages' SDKs are generated from
//. It is exactly what `pulumi package add` sees, because it comes from the SDK's own
// analyzer (`ComponentProvider.getSchema()`), run on the TypeScript sources the language host loads.
//
//   npm run docs:schema            regenerate schema.json
//   node dist/scripts/gen-schema.js --check   exit 1 when schema.json is stale
//
// tests/multilang/schema.test.ts fails when the committed file drifts from the analyzer's output.

import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { ZeroTrustPostgres } from "../index";

/** The package name Pulumi's language host derives from package.json `name`. */
export const PACKAGE_NAME = "zero-trust-azure-postgres";

/** The repository root: the nearest directory up from here whose package.json is this package. */
export function packageRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json named ${PACKAGE_NAME} above ${from}`);
    dir = parent;
  }
}

/** Path of the committed schema. */
export function schemaPath(root: string = packageRoot()): string {
  return path.join(root, "schema.json");
}

/** The component host as `pulumi package add` runs it: same name, same directory, same class. */
export function newComponentProvider(root: string = packageRoot()): ComponentProvider {
  return new ComponentProvider({ name: PACKAGE_NAME, dirname: root, components: [ZeroTrustPostgres] });
}

/** A JSON value, for the canonical form below. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The committed form: two-space JSON with a trailing newline. The `resources` and `types` maps are
 * sorted by token, so the file does not churn when the analyzer meets the types in another order;
 * properties keep their declaration order, which is the order the generated SDKs and the README use.
 */
export function formatSchema(schemaJson: string): string {
  const schema = JSON.parse(schemaJson) as { [key: string]: Json };
  const sorted = (m: Json | undefined): Json | undefined =>
    m && typeof m === "object" && !Array.isArray(m)
      ? Object.fromEntries(
          Object.keys(m)
            .sort()
            .map((k) => [k, m[k]]),
        )
      : m;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === "resources" || k === "types" ? (sorted(v) as Json) : v;
  }
  return JSON.stringify(out, null, 2) + "\n";
}

/** Runs the analyzer and returns schema.json's expected content. */
export async function generateSchema(root: string = packageRoot()): Promise<string> {
  return formatSchema(await newComponentProvider(root).getSchema());
}

async function main(): Promise<void> {
  const root = packageRoot();
  const expected = await generateSchema(root);
  const file = schemaPath(root);
  if (process.argv.includes("--check")) {
    const actual = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (actual !== expected) {
      console.error(`${path.relative(process.cwd(), file)} is stale: run \`npm run docs:schema\``);
      process.exitCode = 1;
    }
    return;
  }
  fs.writeFileSync(file, expected);
  console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
