// Small, total helpers the rules share. Every function here accepts any value (null, numbers where
// strings are expected, arrays, huge strings, proxies) and never throws a TypeError.
//
// Unknown values: under the policy SDK, props are a proxy that throws the SDK's UnknownValueError on
// reading an unknown value. These helpers do not catch it, so the SDK reports "can't be known during
// preview". Outside the SDK (the component, audits of JSON, stack rules reading unwrapped props) the
// same unknowns arrive as plain sentinel strings; `isUnknown` recognises them and rules treat them as
// "can't judge" instead of "missing".

import type { ConfigProperty, ResourceRule, ResourceView, Rule, RuleConfig } from "./types";

/** The engine's unknown-value sentinels (@pulumi/policy proxy.js, pulumi/sdk/go/common/resource/plugin/rpc.go). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** True when `v` is one of the engine's unknown-value sentinels. */
export function isUnknown(v: unknown): boolean {
  return typeof v === "string" && v.length === 36 && UNKNOWN_SENTINELS.has(v);
}

/** True for plain objects and arrays (and proxies of them). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads `obj.k1.k2…` through own properties only (so "constructor" or "__proto__" never reach
 * Object.prototype). Returns undefined as soon as a step is not an object.
 */
export function get(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    if (!hasOwn.call(cur, key)) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** The value as a string, or undefined when it is not a string. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A string that is set: non-empty after trimming (an unknown sentinel counts as set). */
export function isSet(v: unknown): boolean {
  return typeof v === "string" && v.trim().length > 0;
}

/** Lower-cased trimmed string, or undefined. */
export function lower(v: unknown): string | undefined {
  return typeof v === "string" ? v.trim().toLowerCase() : undefined;
}

/** Case-insensitive string equality; false for non-strings. */
export function eqi(v: unknown, expected: string): boolean {
  return typeof v === "string" && v.trim().toLowerCase() === expected.toLowerCase();
}

/** A boolean from a boolean or a "true"/"false" string; undefined otherwise. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return undefined;
}

/** A finite number from a number or a decimal string; undefined otherwise. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.length <= 32 && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** The elements of an array (or a proxy of one), read by index; [] for anything else. */
export function items(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  const out: unknown[] = [];
  const n = v.length;
  for (let i = 0; i < n; i++) out.push(v[i]);
  return out;
}

/** An array of objects, or a single object treated as a one-element list (classic blocks). */
export function blocks(v: unknown): unknown[] {
  if (Array.isArray(v)) return items(v);
  return isObject(v) ? [v] : [];
}

/** Shows a value in a message: strings quoted and cut to 80 characters, unset as "unset". */
export function show(v: unknown): string {
  if (v === undefined || v === null) return "unset";
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "an array";
  return `a ${typeof v}`;
}

/** True when `view` is an object whose type the rule covers (rules return nothing for anything else). */
export function covers(rule: Pick<ResourceRule, "resourceTypes">, view: unknown): view is ResourceView {
  return isObject(view) && typeof view.type === "string" && rule.resourceTypes.includes(view.type);
}

/** The config value for `key`, or the schema default when the given value has the wrong type. */
export function cfg(rule: Pick<Rule, "config">, config: RuleConfig, key: string): unknown {
  const prop: ConfigProperty | undefined = rule.config[key];
  const v = isObject(config) && hasOwn.call(config, key) ? config[key] : undefined;
  if (prop && v !== undefined && matchesType(prop, v)) return v;
  return prop?.default;
}

/** True when `v` is a value of the config property's declared type (enum and range included). */
export function matchesType(prop: ConfigProperty, v: unknown): boolean {
  switch (prop.type) {
    case "boolean":
      return typeof v === "boolean";
    case "string":
      return typeof v === "string" && (!prop.enum || prop.enum.includes(v));
    case "number":
    case "integer":
      return (
        typeof v === "number" &&
        Number.isFinite(v) &&
        (prop.type === "number" || Number.isInteger(v)) &&
        (prop.minimum === undefined || v >= prop.minimum) &&
        (prop.maximum === undefined || v <= prop.maximum) &&
        (!prop.enum || prop.enum.includes(v))
      );
    case "array":
      return (
        Array.isArray(v) &&
        v.every(
          (e) =>
            typeof e === (prop.items?.type ?? "string") && (!prop.items?.enum || prop.items.enum.includes(e)),
        )
      );
    default:
      return false;
  }
}

/** Unwraps the policy SDK's unknown-checking proxy to the raw object (sentinels stay as strings). */
export function unwrap<T>(v: T): T {
  if (isObject(v)) {
    const target = (v as Record<string, unknown>)["__getSpecialProxyTarget"];
    if (isObject(target)) return target as T;
  }
  return v;
}

/**
 * Returns a copy of `props` with `value` set at `path`, copying only the objects along the path.
 * Other values (unknown sentinels included) are kept as they are, so the engine still sees them.
 */
export function setPath(props: unknown, path: readonly string[], value: unknown): Record<string, unknown> {
  const raw = unwrap(props);
  const root: Record<string, unknown> = isObject(raw) && !Array.isArray(raw) ? { ...raw } : {};
  let cur = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = unwrap(cur[path[i]]);
    const copy: Record<string, unknown> = isObject(next) && !Array.isArray(next) ? { ...next } : {};
    cur[path[i]] = copy;
    cur = copy;
  }
  cur[path[path.length - 1]] = value;
  return root;
}

/** Parses a strict dotted-quad IPv4 address (no leading zeros) to an unsigned 32-bit number. */
export function parseIPv4(v: unknown): number | undefined {
  if (typeof v !== "string" || v.length > 15) return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i];
    if (part.length > 1 && part[0] === "0") return undefined;
    const b = Number(part);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

/** Parses an IPv4 CIDR ("10.0.0.0/24"; a bare address is a /32) to its first and last address. */
export function parseCidr(v: unknown): { first: number; last: number; prefix: number } | undefined {
  if (typeof v !== "string" || v.length > 18) return undefined;
  const [addr, len, extra] = v.split("/");
  if (extra !== undefined) return undefined;
  const ip = parseIPv4(addr);
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ip / size) * size;
  return { first, last: first + size - 1, prefix };
}

/** The longest prefix length of a CIDR block that contains both addresses (32 when equal). */
export function commonPrefixLength(a: number, b: number): number {
  return Math.clz32((a ^ b) >>> 0);
}

/** Formats an unsigned 32-bit number as dotted-quad IPv4. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}
