// Checks an azure-native resource's inputs against the ARM type graph Microsoft generates from the REST
// specs (bicep-types-az, copied to ../shared/reference/azure-arm-types/bicep-types).
//
// The SDK input shape is not the ARM request body. The mapping, made explicit here:
//   1. Path parameters are not in the body: the resource group, the parent's name (`serverName` of a
//      configuration, `vaultName` of a key, …), and for extension resources the scope (`scope`,
//      `resourceUri`). Each mapped type lists its own in `pathParams`.
//   2. The resource's own name input (`serverName` of a server, `configurationName`, `keyName`, …)
//      becomes the body's `name`, checked against the type's name pattern and lengths.
//   3. Flattening: azure-native flattens `properties` (x-ms-client-flatten). An input key that is not a
//      property of the ARM object at that level is looked up in that object's `properties` object, at
//      every depth (`privateLinkServiceConnections[].groupIds` → `…[].properties.groupIds`). Keys found
//      at the top (`location`, `tags`, `sku`, `identity`, a non-flattened `properties`) stay there.
//   4. Values: an input that names no ARM property, sets a read-only one, breaks a string pattern or
//      length, an integer range, or is not one of an enum's literals is reported. Enums are treated as
//      closed even where the spec marks them extensible (modelAsString): we emit only values the
//      spec lists. Required properties of every object we emit must be present.
//   5. Pulumi secrets arrive as `{ <sig>: …, value }`; the value is checked.

import * as fs from "node:fs";
import * as path from "node:path";

export const REFERENCE = path.resolve(__dirname, "../../../shared/reference/azure-arm-types/bicep-types");

type Ref = { $ref: string };
interface TypeBase {
  $type: string;
}
interface ObjectType extends TypeBase {
  $type: "ObjectType";
  name: string;
  properties: Record<string, { type: Ref; flags: number }>;
  additionalProperties?: Ref;
}
type AnyType = TypeBase & Record<string, unknown>;

const FLAG_REQUIRED = 1;
const FLAG_READONLY = 2;

/** One bicep-types file, loaded once. */
class TypeFile {
  readonly types: AnyType[];
  constructor(readonly dir: string) {
    this.types = JSON.parse(fs.readFileSync(path.join(REFERENCE, dir, "types.json"), "utf8"));
  }
  deref(r: Ref): AnyType {
    const i = Number(r.$ref.replace("#/", ""));
    return this.types[i];
  }
  resource(armType: string, apiVersion: string): ObjectType {
    const rt = this.types.find((t) => t.$type === "ResourceType" && t.name === `${armType}@${apiVersion}`);
    if (!rt) throw new Error(`no ${armType}@${apiVersion} in ${this.dir}`);
    return this.deref(rt.body as Ref) as unknown as ObjectType;
  }
}
const files = new Map<string, TypeFile>();
function load(dir: string): TypeFile {
  let f = files.get(dir);
  if (!f) files.set(dir, (f = new TypeFile(dir)));
  return f;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unwrap(v: unknown): unknown {
  if (v !== null && typeof v === "object" && SECRET_SIG in (v as object))
    return (v as { value: unknown }).value;
  return v;
}

/** Checks `value` against type `t`; pushes problems with their ARM path. */
function check(file: TypeFile, t: AnyType, value: unknown, at: string, problems: string[]): void {
  value = unwrap(value);
  if (value === undefined || value === null) return;
  switch (t.$type) {
    case "AnyType":
      return;
    case "StringType": {
      if (typeof value !== "string")
        return void problems.push(`${at}: ${JSON.stringify(value)} is not a string`);
      if (typeof t.minLength === "number" && value.length < t.minLength)
        problems.push(`${at}: "${value}" shorter than ${t.minLength}`);
      if (typeof t.maxLength === "number" && value.length > t.maxLength)
        problems.push(`${at}: "${value}" longer than ${t.maxLength}`);
      if (typeof t.pattern === "string" && !new RegExp(t.pattern).test(value))
        problems.push(`${at}: "${value}" does not match ${t.pattern}`);
      return;
    }
    case "StringLiteralType":
      if (value !== t.value) problems.push(`${at}: ${JSON.stringify(value)} is not "${String(t.value)}"`);
      return;
    case "IntegerType":
      if (typeof value !== "number" || !Number.isInteger(value))
        return void problems.push(`${at}: ${JSON.stringify(value)} is not an integer`);
      if (typeof t.minValue === "number" && value < t.minValue)
        problems.push(`${at}: ${value} below ${t.minValue}`);
      if (typeof t.maxValue === "number" && value > t.maxValue)
        problems.push(`${at}: ${value} above ${t.maxValue}`);
      return;
    case "BooleanType":
      if (typeof value !== "boolean") problems.push(`${at}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case "ArrayType": {
      if (!Array.isArray(value)) return void problems.push(`${at}: ${JSON.stringify(value)} is not an array`);
      const item = file.deref(t.itemType as Ref);
      value.forEach((v, i) => check(file, item, v, `${at}[${i}]`, problems));
      return;
    }
    case "UnionType": {
      const elements = (t.elements as Ref[]).map((e) => file.deref(e));
      const literals = elements.filter((e) => e.$type === "StringLiteralType").map((e) => e.value as string);
      if (literals.length > 0) {
        if (!literals.includes(value as string))
          problems.push(`${at}: ${JSON.stringify(value)} is not one of ${literals.join(" | ")}`);
        return;
      }
      // A union of object types: accept when any element accepts.
      const attempts = elements.map((e) => {
        const p: string[] = [];
        check(file, e, value, at, p);
        return p;
      });
      if (!attempts.some((p) => p.length === 0)) problems.push(...attempts[0]);
      return;
    }
    case "ObjectType":
      return checkObject(file, t as unknown as ObjectType, value, at, problems, new Set());
    default:
      problems.push(`${at}: unsupported type ${t.$type} in the reference`);
  }
}

/**
 * SDK property names that differ from the ARM wire name (x-ms-client-name), e.g. Key Vault key
 * attributes `expires`/`notBefore` are `exp`/`nbf` on the wire (keys.json, KeyAttributes).
 */
const CLIENT_NAMES: Record<string, string> = { expires: "exp", notBefore: "nbf" };

/** Checks an SDK-shaped object against an ARM object type, flattening into `properties` (rule 3). */
function checkObject(
  file: TypeFile,
  t: ObjectType,
  value: unknown,
  at: string,
  problems: string[],
  skip: Set<string>,
): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return void problems.push(`${at}: ${JSON.stringify(value)} is not an object`);
  }
  const input = value as Record<string, unknown>;
  if (t.additionalProperties && Object.keys(t.properties ?? {}).length === 0) {
    const vt = file.deref(t.additionalProperties);
    for (const [k, v] of Object.entries(input)) check(file, vt, v, `${at}.${k}`, problems);
    return;
  }
  const props = t.properties ?? {};
  const nestedRef = props.properties?.type;
  const nested = nestedRef ? (file.deref(nestedRef) as unknown as ObjectType) : undefined;
  const flattened: Record<string, unknown> = {};
  for (const [sdkKey, v] of Object.entries(input)) {
    if (skip.has(sdkKey) || v === undefined) continue;
    // The SDK uses the spec's x-ms-client-name where it differs from the wire name.
    const k = !(sdkKey in props) && CLIENT_NAMES[sdkKey] in props ? CLIENT_NAMES[sdkKey] : sdkKey;
    const own = props[k];
    if (own) {
      if (own.flags & FLAG_READONLY) problems.push(`${at}.${k}: read-only in ARM, must not be set`);
      check(file, file.deref(own.type), v, `${at}.${k}`, problems);
    } else if (nested && nested.$type === "ObjectType" && nested.properties && k in nested.properties) {
      flattened[k] = v;
    } else {
      problems.push(`${at}.${k}: no such ARM property${nested ? ` (nor in ${at}.properties)` : ""}`);
    }
  }
  for (const [k, p] of Object.entries(props)) {
    if (p.flags & FLAG_REQUIRED && !(p.flags & FLAG_READONLY) && !skip.has(k) && k !== "name") {
      const present = input[k] !== undefined || (k === "properties" && Object.keys(flattened).length > 0);
      if (!present) problems.push(`${at}.${k}: required by ARM, missing`);
    }
  }
  if (Object.keys(flattened).length > 0 && nested) {
    const merged = {
      ...(typeof input.properties === "object" && input.properties ? (input.properties as object) : {}),
      ...flattened,
    };
    checkObject(file, nested, merged, `${at}.properties`, problems, new Set());
  }
}

/** How one azure-native type maps to its ARM type (rules 1 and 2). */
export interface ArmMapping {
  /** bicep-types folder, e.g. `postgresql/2025-08-01`. */
  dir: string;
  armType: string;
  apiVersion: string;
  /** Input that becomes the body's `name`. */
  nameInput: string;
  /** Inputs that are URL path segments, not body properties. */
  pathParams: string[];
}

/** Checks one resource's inputs; returns problems (empty when the inputs fit the ARM type). */
export function checkResource(mapping: ArmMapping, inputs: Record<string, unknown>): string[] {
  const file = load(mapping.dir);
  const body = file.resource(mapping.armType, mapping.apiVersion);
  const problems: string[] = [];
  const at = `${mapping.armType}@${mapping.apiVersion}`;
  const name = inputs[mapping.nameInput];
  if (name !== undefined)
    check(file, file.deref(body.properties.name.type), name, `${at}.name(${mapping.nameInput})`, problems);
  checkObject(file, body, inputs, at, problems, new Set([mapping.nameInput, ...mapping.pathParams]));
  return problems;
}

/** The API version the installed SDK class uses (`Uses Azure REST API version …` in its .d.ts). */
export function sdkApiVersion(token: string): string | undefined {
  const [, mod, cls] = token.split(":");
  const file = path.resolve(
    __dirname,
    "../../node_modules/@pulumi/azure-native",
    mod,
    `${cls[0].toLowerCase()}${cls.slice(1)}.d.ts`,
  );
  if (!fs.existsSync(file)) return undefined;
  return /Uses Azure REST API version ([0-9a-z-]+)/.exec(fs.readFileSync(file, "utf8"))?.[1];
}
