// The component host as `pulumi package add` runs it, shared by the multi-language tests. The
// analyzer type-checks the whole tsconfig program (about 30 s), so it runs once per process and
// every test file reuses the provider and its schema.
//
// Import order matters: the mock monitor is installed before the component module loads.

import { recorder } from "../helpers/mocks";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import type { PackageSchema, SchemaProperty, SchemaType } from "../../scripts/gen-args-doc";
import { COMPONENT_TOKEN } from "../../scripts/gen-args-doc";
import { PACKAGE_NAME, formatSchema, newComponentProvider, packageRoot } from "../../scripts/gen-schema";

export { recorder, COMPONENT_TOKEN, PACKAGE_NAME, packageRoot };
export type { PackageSchema, SchemaProperty, SchemaType };

/** The token the component was first planned under, kept as an alias. */
export const LEGACY_TOKEN = "zerotrust:azure:PostgresServer";

/** How long the analyzer may take on a busy machine. */
export const ANALYZER_TIMEOUT_MS = 300_000;

export interface Hosted {
  provider: ComponentProvider;
  /** `getSchema()` as the engine receives it. */
  raw: string;
  schema: PackageSchema;
  /** The committed form of `raw` (what schema.json must contain). */
  formatted: string;
}

let hosted: Promise<Hosted> | undefined;

/** The provider, after its analyzer has run (once per process). */
export function hostedProvider(): Promise<Hosted> {
  hosted ??= (async () => {
    const provider = newComponentProvider(packageRoot());
    const raw = await provider.getSchema();
    return { provider, raw, schema: JSON.parse(raw) as PackageSchema, formatted: formatSchema(raw) };
  })();
  return hosted;
}

/** `#/types/<pkg>:index:Name` → the type definition; throws when the ref is not local. */
export function typeOf(schema: PackageSchema, prop: SchemaProperty | undefined): SchemaType {
  const ref = prop?.$ref ?? prop?.items?.$ref;
  const prefix = `#/types/${PACKAGE_NAME}:index:`;
  if (!ref?.startsWith(prefix)) throw new Error(`not a local type reference: ${JSON.stringify(prop)}`);
  const t = schema.types[ref.slice("#/types/".length)];
  if (!t) throw new Error(`dangling reference ${ref}`);
  return t;
}
