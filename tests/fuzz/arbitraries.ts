// fast-check arbitraries for the rule fuzzer: garbage values (nulls, wrong types, huge strings, deep
// nesting, the engine's unknown sentinels, prototype-polluting keys), mutations of a compliant
// baseline (fields deleted or replaced), and damaged stacks (resources dropped, duplicated, mutated).

import * as fc from "fast-check";

import type { StackResourceView } from "../../policies/rules";

/** Fixed seed: every run tries the same cases; `FUZZ_SEED=<n>` explores others. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** Generated inputs per rule (at least 10,000: the robustness floor). */
export const RUNS_PER_RULE = 10_000;

/**
 * The policy SDK's proxy module. Its typings export nothing (everything is `@internal`), so it is read
 * through `require` with the shape it has at run time (@pulumi/policy 1.21.0 proxy.js).
 */
export interface PolicyProxyModule {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const policyProxy = require("@pulumi/policy/proxy") as PolicyProxyModule;
const proxy = policyProxy;

/** The engine's unknown-value sentinels, from the policy SDK itself. */
export const SENTINELS: readonly string[] = [
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
];

/** Builds an object with own keys exactly as given (`__proto__` becomes an own property, as JSON.parse does). */
export function ownObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (k === "__proto__")
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
  }
  return o;
}

/**
 * Garbage constants (huge strings, deep nesting, polluted objects) are deep-frozen and shared: copying
 * a 1,000-level object on every run would only measure the copy. A rule that tried to mutate one would
 * throw a TypeError (strict mode), which the fuzzer reports.
 */
const CONSTANTS = new WeakSet<object>();
function constant<T>(v: T): T {
  if (typeof v === "object" && v !== null && !CONSTANTS.has(v)) {
    CONSTANTS.add(v);
    for (const k of Object.keys(v)) constant((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

function nested(depth: number, asArray: boolean): unknown {
  let v: unknown = asArray ? ["bottom"] : { bottom: true };
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v, type: "azure-native:keyvault:Vault" };
  return v;
}

// Built once: generating megabyte strings per run would only measure the generator.
const HUGE: readonly unknown[] = constant([
  "x".repeat(1 << 20),
  "0.0.0.0/0,".repeat(50_000),
  "\u{1D11E}".repeat(100_000),
  "a".repeat(100_000) + "!",
  "/subscriptions/".repeat(20_000),
  "255.255.255.255".padStart(200_000, "0"),
  "P".padEnd(100_000, "9") + "D",
  Array.from({ length: 20_000 }, (_, i) => `/providers/Microsoft.DBforPostgreSQL/flexibleServers/s${i}`),
]);

const DEEP: readonly unknown[] = constant([nested(1000, false), nested(1000, true), nested(50, false)]);

/** Keys that reach Object.prototype through a careless `obj[key]`. */
export const POLLUTING_KEYS: readonly string[] = [
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "__defineGetter__",
];

const POLLUTED: readonly unknown[] = constant([
  JSON.parse(
    '{"__proto__":{"polluted":true,"type":"AzureKeyVault"},"constructor":{"prototype":{"polluted":true}}}',
  ),
  ownObject(POLLUTING_KEYS.map((k) => [k, { enabled: true, value: "on" }])),
  ownObject([["__proto__", null]]),
]);

const SPECIAL: readonly unknown[] = constant([
  null,
  undefined,
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  1e308,
  2 ** 53 + 1,
  true,
  false,
  "",
  " ",
  "\u0000",
  "null",
  "undefined",
  "true",
  "false",
  "on",
  "OFF",
  "Enabled",
  "disabled",
  "AzureKeyVault",
  "0.0.0.0",
  "255.255.255.255",
  "0.0.0.0/0",
  "TLSv1",
  "TLSv1.3",
  "none",
  "P1Y",
  "-P1D",
  "PT0S",
  "3072",
  [],
  {},
  [null],
  [{}],
  ...SENTINELS,
]);

/** Property names rules read, so garbage lands on them often (not only on random keys). */
const KEY_HINTS: readonly string[] = [
  "type",
  "name",
  "value",
  "properties",
  "network",
  "publicNetworkAccess",
  "authConfig",
  "passwordAuth",
  "dataEncryption",
  "backup",
  "identity",
  "enabled",
  "logs",
  "startIpAddress",
  "endIpAddress",
  "configurationName",
  "rotationPolicy",
  "lifetimeActions",
  "keySize",
  "kty",
];

/**
 * Picks from a list by index. fast-check's `constantFrom` would tokenise a megabyte string whenever it
 * asks whether a value "could have been generated", which costs more than the rules themselves.
 */
function pick(values: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.nat({ max: values.length - 1 }).map((i) => values[i]);
}

/**
 * Random strings from code units (lone surrogates and control characters included). Built from an
 * integer array because `fc.string` re-tokenises its default slices on every biased generation.
 */
export function text(maxLength: number, maxCode = 0xffff): fc.Arbitrary<string> {
  return fc
    .array(fc.integer({ min: 0, max: maxCode }), { maxLength })
    .map((codes) => String.fromCharCode(...codes));
}

/** A leaf: a special value, a random scalar, or one of the shared huge/deep/polluted constants. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: pick(SPECIAL) },
  { weight: 2, arbitrary: text(40) },
  { weight: 1, arbitrary: text(20, 0x7f) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: pick(HUGE) },
  { weight: 1, arbitrary: pick(DEEP) },
  { weight: 1, arbitrary: pick(POLLUTED) },
);

const key: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...POLLUTING_KEYS, ...KEY_HINTS), text(12));

function objectOf(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.array(fc.tuple(key, value), { maxLength: 4 }).map(ownObject);
}

/**
 * One garbage value of any JSON-ish shape (and some that JSON cannot carry: undefined, NaN), nested up
 * to three levels; deeper nesting comes from the 1,000-level constants. (A fixed depth instead of
 * `fc.letrec` keeps generation cheap enough for 10,000 runs per rule.)
 */
const level1 = fc.oneof(leaf, fc.array(leaf, { maxLength: 4 }), objectOf(leaf));
const level2 = fc.oneof(leaf, fc.array(level1, { maxLength: 3 }), objectOf(level1));
export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: level1 },
  { weight: 1, arbitrary: fc.array(level2, { maxLength: 3 }) },
  { weight: 1, arbitrary: objectOf(level2) },
);

/** Every path (object keys and array indexes) inside a JSON value, including the root's children. */
export function pathsOf(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      out.push([...prefix, i]);
      pathsOf(e, [...prefix, i], out);
    });
  } else if (typeof v === "object" && v !== null) {
    for (const k of Object.keys(v)) {
      out.push([...prefix, k]);
      pathsOf((v as Record<string, unknown>)[k], [...prefix, k], out);
    }
  }
  return out;
}

/** A deep copy that keeps undefined, NaN, `__proto__` own keys and array holes' positions. */
export function copy<T>(v: T, depth = 0): T {
  if (depth > 5000) throw new Error("copy: too deep");
  if (typeof v === "object" && v !== null && CONSTANTS.has(v)) return v;
  if (Array.isArray(v)) {
    const out = v.map((e) => copy(e, depth + 1));
    // Arrays can carry named own properties too (a mutation may set one); keep them.
    for (const k of Object.keys(v))
      if (!/^\d+$/.test(k))
        Object.defineProperty(out, k, {
          value: copy((v as unknown as Record<string, unknown>)[k], depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    return out as T;
  }
  if (typeof v === "object" && v !== null) {
    return ownObject(Object.keys(v).map((k) => [k, copy((v as Record<string, unknown>)[k], depth + 1)])) as T;
  }
  return v;
}

type Op =
  | { kind: "delete"; path: (string | number)[] }
  | { kind: "replace"; path: (string | number)[]; value: unknown }
  | { kind: "wrap"; path: (string | number)[] }
  | { kind: "add"; path: (string | number)[]; key: string; value: unknown };

function applyOp(root: Record<string, unknown>, op: Op): void {
  const parentPath = op.kind === "add" ? op.path : op.path.slice(0, -1);
  let cur: unknown = root;
  for (const k of parentPath) {
    if (typeof cur !== "object" || cur === null || !Object.prototype.hasOwnProperty.call(cur, k)) return;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  if (typeof cur !== "object" || cur === null || Object.isFrozen(cur)) return;
  const obj = cur as Record<string | number, unknown>;
  const last = op.path[op.path.length - 1];
  switch (op.kind) {
    case "delete":
      if (Array.isArray(obj) && typeof last === "number") obj.splice(last, 1);
      else delete obj[last];
      break;
    case "replace":
      Object.defineProperty(obj, last, {
        value: op.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    case "wrap":
      // An object where a list is expected, a list where an object is expected.
      obj[last] = [obj[last]];
      break;
    case "add":
      if (!Array.isArray(obj))
        Object.defineProperty(obj, op.key, {
          value: op.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      break;
  }
}

/** Mutations of `base`: one to five fields deleted, replaced by garbage, wrapped in a list, or added. */
const MUTATIONS = new WeakMap<object, fc.Arbitrary<Record<string, unknown>>>();

export function mutationOf(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const hit = MUTATIONS.get(base);
  if (hit) return hit;
  const made = buildMutation(base);
  MUTATIONS.set(base, made);
  return made;
}

function buildMutation(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const paths = pathsOf(base);
  const objectPaths: (string | number)[][] = [
    [],
    ...paths.filter((p) => {
      let cur: unknown = base;
      for (const k of p) cur = (cur as Record<string | number, unknown>)[k];
      return typeof cur === "object" && cur !== null && !Array.isArray(cur);
    }),
  ];
  const path = fc.constantFrom(...paths);
  const op: fc.Arbitrary<Op> = fc.oneof(
    path.map((p) => ({ kind: "delete" as const, path: p })),
    fc.tuple(path, garbage).map(([p, value]) => ({ kind: "replace" as const, path: p, value })),
    path.map((p) => ({ kind: "wrap" as const, path: p })),
    fc
      .tuple(fc.constantFrom(...objectPaths), fc.constantFrom(...POLLUTING_KEYS, ...KEY_HINTS), garbage)
      .map(([p, key, value]) => ({ kind: "add" as const, path: p, key, value })),
  );
  return fc.array(op, { minLength: 1, maxLength: 5 }).map((ops) => {
    const out = copy(base);
    for (const o of ops) applyOp(out, o);
    return out;
  });
}

/** Props for a resource rule: mostly baseline mutations, sometimes pure garbage of any shape. */
export function propsFor(bases: readonly Record<string, unknown>[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...bases).chain(mutationOf) },
    { weight: 1, arbitrary: garbage },
    { weight: 1, arbitrary: fc.constantFrom(...bases).map((b) => copy(b)) },
  );
}

/** Config for a rule: its defaults (most often), garbage values for its keys, or garbage itself. */
export function configFor(keys: readonly string[], defaults: Record<string, unknown>): fc.Arbitrary<unknown> {
  const bag = fc
    .array(fc.tuple(keys.length > 0 ? fc.constantFrom(...keys) : text(10), garbage), { maxLength: 3 })
    .map((entries) => ownObject([...Object.entries(defaults), ...entries]));
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(defaults) },
    { weight: 2, arbitrary: bag },
    { weight: 1, arbitrary: garbage },
  );
}

/** Damaged stacks: resources dropped, duplicated (same URN twice), props mutated, links garbled, junk added. */
export function stackOf(base: readonly StackResourceView[]): fc.Arbitrary<StackResourceView[]> {
  const urns = base.map((r) => r.urn);
  const anyUrn = fc.oneof(fc.constantFrom(...urns), text(30), fc.constantFrom(...SENTINELS));
  type StackOp =
    | { kind: "drop"; i: number }
    | { kind: "dup"; i: number }
    | { kind: "props"; i: number; props: unknown }
    | { kind: "links"; i: number; deps: string[]; parent?: string; id?: string }
    | { kind: "outputs"; i: number; outputs: unknown }
    | { kind: "junk"; r: StackResourceView };
  const idx = fc.nat({ max: base.length - 1 });
  const op: fc.Arbitrary<StackOp> = fc.oneof(
    idx.map((i) => ({ kind: "drop" as const, i })),
    idx.map((i) => ({ kind: "dup" as const, i })),
    idx.chain((i) => mutationOf(base[i].props).map((props) => ({ kind: "props" as const, i, props }))),
    fc.tuple(idx, garbage).map(([i, props]) => ({ kind: "props" as const, i, props })),
    fc
      .tuple(
        idx,
        fc.array(anyUrn, { maxLength: 4 }),
        fc.option(anyUrn, { nil: undefined }),
        fc.option(fc.oneof(text(40), fc.constantFrom(...SENTINELS)), { nil: undefined }),
      )
      .map(([i, deps, parent, id]) => ({ kind: "links" as const, i, deps, parent, id })),
    fc.tuple(idx, garbage).map(([i, outputs]) => ({ kind: "outputs" as const, i, outputs })),
    fc
      .tuple(
        fc.constantFrom(...new Set(base.map((r) => r.type))),
        text(10),
        fc.constantFrom(...base.map((r) => r.props)).chain(mutationOf),
        fc.array(anyUrn, { maxLength: 3 }),
      )
      .map(([type, name, props, deps]) => ({
        kind: "junk" as const,
        r: { type, name, urn: `urn:pulumi:dev::zt::${type}::${name}`, props, dependencies: deps },
      })),
  );
  return fc.array(op, { minLength: 1, maxLength: 6 }).map((ops) => {
    const out: StackResourceView[] = base.map((r) => ({
      ...r,
      props: copy(r.props),
      dependencies: [...r.dependencies],
    }));
    for (const o of ops) {
      if (o.kind === "junk") {
        out.push(o.r);
        continue;
      }
      if (out.length === 0) continue;
      const i = o.i % out.length;
      switch (o.kind) {
        case "drop":
          out.splice(i, 1);
          break;
        case "dup":
          out.push({ ...out[i], props: copy(out[i].props) });
          break;
        case "props":
          out[i] = { ...out[i], props: o.props as Record<string, unknown> };
          break;
        case "links": {
          const r: StackResourceView = { ...out[i], dependencies: o.deps };
          if (o.parent !== undefined) r.parent = o.parent;
          if (o.id !== undefined) r.id = o.id;
          out[i] = r;
          break;
        }
        case "outputs":
          out[i] = { ...out[i], outputs: o.outputs as Record<string, unknown> };
          break;
      }
    }
    return out;
  });
}

/** A deep copy of a stack (a fresh array, so per-array caches in the rules are not reused). */
export function copyStack(s: readonly StackResourceView[]): StackResourceView[] {
  return s.map((r) => copy(r));
}
