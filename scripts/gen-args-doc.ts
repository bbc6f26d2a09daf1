// Renders the README's argument reference from schema.json (issue #2: "a full reference of every
// argument with its default and the rule behind it"; issue #8: the schema is what every language
// sees). The doc comments in components/postgres/args.ts are the single source: the analyzer copies
// them into schema.json, this script turns schema.json into tables, and the generated SDKs in
// Python, Go, C#, Java and YAML show the same text.
//
//   npm run docs:args    rewrite the region between `<!-- BEGIN ARGS` and `<!-- END ARGS -->` in README.md
//
// Only that region is touched. tests/multilang/docs.test.ts fails when it is stale.

import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
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
export const BEGIN_MARKER = "<!-- BEGIN ARGS";
export const END_MARKER = "<!-- END ARGS -->";

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

/** Object and enum types reachable from the component's inputs, each in first-use order. */
export function inputTypes(schema: PackageSchema): { objects: string[]; enums: string[] } {
  const objects: string[] = [];
  const enums: string[] = [];
  const visit = (p: SchemaProperty | undefined): void => {
    if (!p) return;
    const local = localTypeName(p.$ref);
    const t = local === undefined ? undefined : schema.types[`${PACKAGE_NAME}:index:${local}`];
    if (local !== undefined && t?.enum && !enums.includes(local)) enums.push(local);
    if (local !== undefined && t?.properties && !objects.includes(local)) {
      objects.push(local);
      for (const child of Object.values(t.properties)) visit(child);
    }
    visit(p.items);
    visit(p.additionalProperties);
  };
  for (const p of Object.values(schema.resources[COMPONENT_TOKEN].inputProperties)) visit(p);
  return { objects, enums };
}

function table(
  properties: Record<string, SchemaProperty>,
  required: string[],
  schema: PackageSchema,
): string[] {
  const rows = ["| Argument | Type | Required | Description |", "| --- | --- | --- | --- |"];
  for (const [name, prop] of Object.entries(properties)) {
    rows.push(
      `| \`${name}\` | ${cell(describeType(prop, schema))} | ${required.includes(name) ? "yes" : "no"} | ${cell(prop.description ?? "")} |`,
    );
  }
  return rows;
}

/** The reference as Markdown (before formatting): the component's inputs, then each nested type. */
export function renderArgsReference(schema: PackageSchema): string {
  const component = schema.resources[COMPONENT_TOKEN];
  if (!component) throw new Error(`schema.json has no resource ${COMPONENT_TOKEN}`);
  const lines: string[] = [
    `Generated from \`schema.json\`, which Pulumi's component analyzer builds from the doc comments in ` +
      "`components/postgres/args.ts`; the SDKs that `pulumi package add` generates for Python, Go, C#, Java " +
      "and YAML carry the same text. `Input<T>` accepts another resource's output; every other argument " +
      "is a plain value, known when the program runs, because the component validates it (and decides " +
      "which resources exist) before it creates anything.",
    "",
    `### ZeroTrustPostgres`,
    "",
    `Type token \`${COMPONENT_TOKEN}\`.`,
    "",
    ...table(component.inputProperties, component.requiredInputs, schema),
  ];
  const { objects, enums } = inputTypes(schema);
  for (const name of objects) {
    const t = schema.types[`${PACKAGE_NAME}:index:${name}`];
    lines.push("", `### ${name}`, "");
    if (t.description) lines.push(cell(t.description), "");
    lines.push(...table(t.properties ?? {}, t.required ?? [], schema));
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

/** The reference formatted exactly as `prettier --check` expects it in README.md. */
export async function formatArgsReference(
  schema: PackageSchema,
  root: string = packageRoot(),
): Promise<string> {
  const readme = path.join(root, "README.md");
  const options = (await prettier.resolveConfig(readme)) ?? {};
  return prettier.format(renderArgsReference(schema), { ...options, parser: "markdown" });
}

/** Splits README.md around the markers: [before incl. BEGIN line, region, END line and after]. */
function split(readme: string): [string, string, string] {
  const begin = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (begin < 0 || end < 0 || end < begin) {
    throw new Error(
      `README.md needs the markers \`${BEGIN_MARKER} ... -->\` and \`${END_MARKER}\`, in that order`,
    );
  }
  const afterBegin = readme.indexOf("\n", begin) + 1;
  return [readme.slice(0, afterBegin), readme.slice(afterBegin, end), readme.slice(end)];
}

/** The current content between the markers. */
export function extractArgsRegion(readme: string): string {
  return split(readme)[1];
}

/** README.md with the region between the markers replaced by `reference`; nothing else changes. */
export function replaceArgsRegion(readme: string, reference: string): string {
  const [head, , tail] = split(readme);
  return `${head}\n${reference.trimEnd()}\n\n${tail}`;
}

/** What the region must contain for the given schema (blank lines around the generated block). */
export function expectedRegion(reference: string): string {
  return `\n${reference.trimEnd()}\n\n`;
}

export function readSchema(root: string = packageRoot()): PackageSchema {
  return JSON.parse(fs.readFileSync(schemaPath(root), "utf8")) as PackageSchema;
}

async function main(): Promise<void> {
  const root = packageRoot();
  const readmePath = path.join(root, "README.md");
  const reference = await formatArgsReference(readSchema(root), root);
  const readme = fs.readFileSync(readmePath, "utf8");
  const updated = replaceArgsRegion(readme, reference);
  if (updated !== readme) fs.writeFileSync(readmePath, updated);
  console.log(`${updated === readme ? "unchanged" : "updated"} README.md argument reference`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
