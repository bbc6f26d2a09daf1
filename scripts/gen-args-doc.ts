// Renders docs/arguments.md, the argument reference, from schema.json and the rule binding: every
// argument with its type, its default and the rules that enforce it. The doc comments in
// components/postgres/args.ts are the single source of the text: Pulumi's component analyzer copies
// them into schema.json, this script turns schema.json into tables, and the SDKs generated for
// Python, Go, C#, Java and YAML show the same text. The "Enforced by" column comes from
// components/postgres/binding.ts.
//
//   npm run docs:args    rewrite docs/arguments.md
//
// tests/multilang/docs.test.ts fails when the file is stale.

import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { bindingOf, rulesEnforcing } from "../components/postgres/binding";
import { PACKAGE_NAME, packageRoot, schemaPath } from "./gen-schema";

/** One property as the analyzer writes it. */
export interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  optional?: boolean;
  plain?: boolean;
  description?: string;
}

/** An object or enum type of the schema. */
export interface SchemaType {
  type: string;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: { name: string; value: string | number; description?: string }[];
  description?: string;
}

/** The parts of the package schema the reference uses. */
export interface PackageSchema {
  name: string;
  resources: Record<
    string,
    {
      description?: string;
      inputProperties: Record<string, SchemaProperty>;
      requiredInputs: string[];
      properties: Record<string, SchemaProperty>;
      required: string[];
    }
  >;
  types: Record<string, SchemaType>;
}

export const COMPONENT_TOKEN = `${PACKAGE_NAME}:index:ZeroTrustPostgres`;
/** The generated page, relative to the package root. */
export const ARGS_DOC = path.join("docs", "arguments.md");

const LOCAL_REF = `#/types/${PACKAGE_NAME}:index:`;

/** `#/types/zero-trust-azure-postgres:index:NetworkArgs` → `NetworkArgs`; undefined for other refs. */
function localTypeName(ref: string | undefined): string | undefined {
  return ref?.startsWith(LOCAL_REF) ? ref.slice(LOCAL_REF.length) : undefined;
}

/** Markdown anchor GitHub gives a `### Name` heading. */
function anchor(name: string): string {
  return (
    "#" +
    name
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-")
  );
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

/**
 * The type as a reader needs it: the shape in TypeScript notation (`Input<…>` where another
 * resource's output is accepted; plain otherwise), a link to the nested type, and enum values.
 */
export function describeType(prop: SchemaProperty, schema: PackageSchema): string {
  let referenced: string | undefined;
  const shape = (p: SchemaProperty): string => {
    let s: string;
    const local = localTypeName(p.$ref);
    if (local !== undefined) {
      referenced = local;
      s = local;
    } else if (p.$ref) s = p.$ref;
    else if (p.type === "array" && p.items) s = `${shape(p.items)}[]`;
    else if (p.type === "object" && p.additionalProperties)
      s = `{ [key: string]: ${shape(p.additionalProperties)} }`;
    else s = p.type ?? "any";
    // The analyzer marks what must be plain; everything else (array items and map values included)
    // accepts an output.
    return p.plain ? s : `Input<${s}>`;
  };
  const code = `\`${shape(prop)}\``;
  if (referenced === undefined) return code;
  const t = schema.types[`${PACKAGE_NAME}:index:${referenced}`];
  const linked = `[${code}](${anchor(referenced)})`;
  return t?.enum ? `${linked}: ${t.enum.map((e) => `\`${JSON.stringify(e.value)}\``).join(", ")}` : linked;
}

/**
 * Object and enum types reachable from the component's inputs, each in first-use order, with the
 * argument path of each object type (`network.firewallRules[]` for FirewallRuleArgs).
 */
export function inputTypes(schema: PackageSchema): {
  objects: string[];
  enums: string[];
  paths: Map<string, string>;
} {
  const objects: string[] = [];
  const enums: string[] = [];
  const paths = new Map<string, string>();
  const visit = (p: SchemaProperty | undefined, at: string): void => {
    if (!p) return;
    const local = localTypeName(p.$ref);
    const t = local === undefined ? undefined : schema.types[`${PACKAGE_NAME}:index:${local}`];
    if (local !== undefined && t?.enum && !enums.includes(local)) enums.push(local);
    if (local !== undefined && t?.properties && !objects.includes(local)) {
      objects.push(local);
      paths.set(local, at);
      for (const [name, child] of Object.entries(t.properties)) visit(child, `${at}.${name}`);
    }
    visit(p.items, `${at}[]`);
    visit(p.additionalProperties, `${at}[]`);
  };
  for (const [name, p] of Object.entries(schema.resources[COMPONENT_TOKEN].inputProperties)) visit(p, name);
  return { objects, enums, paths };
}

/** The rules that enforce an argument path, linked to docs/rules.md, for the "Enforced by" column. */
export function enforcedBy(argPath: string): string {
  return rulesEnforcing(argPath.replace(/\[\]/g, ""))
    .map((id) => `[\`${id}\`](rules.md#${id})${bindingOf(id)?.escalate !== undefined ? " (refused)" : ""}`)
    .join(", ");
}

function table(
  properties: Record<string, SchemaProperty>,
  required: string[],
  schema: PackageSchema,
  at: string,
): string[] {
  const rows = [
    "| Argument | Type | Required | Description | Enforced by |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const [name, prop] of Object.entries(properties)) {
    const argPath = at === "" ? name : `${at}.${name}`;
    rows.push(
      `| \`${name}\` | ${cell(describeType(prop, schema))} | ${required.includes(name) ? "yes" : "no"} | ${cell(prop.description ?? "")} | ${cell(enforcedBy(argPath))} |`,
    );
  }
  return rows;
}

/** The reference as Markdown (before formatting): the component's inputs, then each nested type. */
export function renderArgsReference(schema: PackageSchema): string {
  const component = schema.resources[COMPONENT_TOKEN];
  if (!component) throw new Error(`schema.json has no resource ${COMPONENT_TOKEN}`);
  const lines: string[] = [
    "# Argument reference",
    "",
    "<!-- Generated by `npm run docs:args` (scripts/gen-args-doc.ts) from schema.json and components/postgres/binding.ts. Do not edit by hand; a test fails when it is stale. -->",
    "",
    `Generated from \`schema.json\`, which Pulumi's component analyzer builds from the doc comments in ` +
      "`components/postgres/args.ts`; the SDKs that `pulumi package add` generates for Python, Go, C#, Java " +
      "and YAML carry the same text. `Input<T>` accepts another resource's output; every other argument " +
      "is a plain value, known when the program runs, because the component validates it (and decides " +
      'which resources exist) before it creates anything. "Enforced by" lists the zero-trust rules ' +
      '(docs/rules.md) the component runs on that argument before it creates anything; "(refused)" marks ' +
      'an advisory rule the component refuses on purpose (see the rule\'s "Component argument").',
    "",
    `### ZeroTrustPostgres`,
    "",
    `Type token \`${COMPONENT_TOKEN}\`.`,
    "",
    ...table(component.inputProperties, component.requiredInputs, schema, ""),
  ];
  const { objects, enums, paths } = inputTypes(schema);
  for (const name of objects) {
    const t = schema.types[`${PACKAGE_NAME}:index:${name}`];
    lines.push("", `### ${name}`, "");
    if (t.description) lines.push(cell(t.description), "");
    lines.push(...table(t.properties ?? {}, t.required ?? [], schema, paths.get(name) ?? name));
  }
  // Enum values are listed where they are used; an enum gets its own table only when its members
  // are documented (what each value means).
  for (const name of enums) {
    const t = schema.types[`${PACKAGE_NAME}:index:${name}`];
    if (!(t.enum ?? []).some((e) => e.description)) continue;
    lines.push(
      "",
      `### ${name}`,
      "",
      "| Value | SDK member | Meaning |",
      "| --- | --- | --- |",
      ...(t.enum ?? []).map(
        (e) => `| \`${JSON.stringify(e.value)}\` | \`${e.name}\` | ${cell(e.description ?? "")} |`,
      ),
    );
  }
  return lines.join("\n") + "\n";
}

/** The page formatted exactly as `prettier --check` expects it. */
export async function formatArgsReference(
  schema: PackageSchema,
  root: string = packageRoot(),
): Promise<string> {
  const file = path.join(root, ARGS_DOC);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(renderArgsReference(schema), { ...options, parser: "markdown" });
}

export function readSchema(root: string = packageRoot()): PackageSchema {
  return JSON.parse(fs.readFileSync(schemaPath(root), "utf8")) as PackageSchema;
}

async function main(): Promise<void> {
  const root = packageRoot();
  const file = path.join(root, ARGS_DOC);
  const reference = await formatArgsReference(readSchema(root), root);
  const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (reference !== before) fs.writeFileSync(file, reference);
  console.log(`${reference === before ? "unchanged" : "updated"} ${ARGS_DOC}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
