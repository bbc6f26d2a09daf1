// Every rule is total, deterministic and pure on odd shapes: random bags built around the real
// property paths, garbage values (nulls, numbers for strings, arrays, huge strings, unknown sentinels,
// prototype keys), under the SDK's unknown-checking proxy too. (The hardening suite runs 10,000 cases
// per rule; this one keeps a few hundred per rule so the unit run stays fast.)

import * as assert from "node:assert/strict";

import fc from "fast-check";

import { RESOURCE_RULES, STACK_RULES, TOKENS, defaultConfig } from "../../policies/rules";
import type { ResourceRule, StackResourceView } from "../../policies/rules";
import { UnknownValueError } from "../helpers/policy-args";
import { happy } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(o: T): T;
};

const SENTINELS = [
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

const leaf = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    true,
    false,
    0,
    -1,
    7,
    3072,
    Number.NaN,
    Infinity,
    "",
    "on",
    "OFF",
    "Enabled",
    "Disabled",
    "AzureKeyVault",
    "TLSv1.3",
    "TLS1_0",
    "0.0.0.0",
    "255.255.255.255",
    "10.0.0.0/8",
    "RSA",
    "EC-HSM",
    "P-256K",
    "Rotate",
    "constructor",
    "__proto__",
    "x".repeat(100_000),
    ...SENTINELS,
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie("v"), { maxKeys: 3 }),
  ),
})).v;

/** Every property path used by the happy fixtures, so random values land where rules look. */
function paths(o: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof o === "object" && o !== null && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  }
  return out;
}
const PATHS = [
  ...new Map(
    [
      ...Object.values(happy).flatMap((h) => paths(h)),
      ["configurationName"],
      ["name"],
      ["value"],
      ["properties", "lifetimeActions"],
      ["network", "delegatedSubnetResourceId"],
      ["delegatedSubnetId"],
    ].map((p) => [p.join("."), p]),
  ).values(),
];

function setDeep(o: Record<string, unknown>, path: string[], v: unknown): void {
  let cur: Record<string, unknown> = o;
  for (const k of path.slice(0, -1)) {
    if (typeof cur[k] !== "object" || cur[k] === null || Array.isArray(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = v;
}

function deepFreeze<T>(o: T): T {
  if (typeof o === "object" && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** A random bag: a happy bag, or nothing, with random values written at real paths, or pure garbage. */
const bag: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom<unknown>({}, ...Object.values(happy)),
      fc.array(fc.tuple(fc.constantFrom(...PATHS), value), { maxLength: 6 }),
    )
    .map(([base, edits]) => {
      const o = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      for (const [p, v] of edits) setDeep(o, p, v);
      return o;
    }),
  value,
);

const config: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({}),
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom(
      "minimumDays",
      "allowedVersions",
      "minimumVersion",
      "minimumPrefixLength",
      "allowedRanges",
      "minimumRsaKeySize",
      "allowedCurves",
      "allowPublicAccess",
      "allowPasswordAuth",
    ),
    value,
  ),
);

function runRule(rule: ResourceRule, type: string, props: unknown, cfg: unknown) {
  const view = { type, props: props as Record<string, unknown> };
  const merged = { ...defaultConfig(rule), ...(typeof cfg === "object" && cfg !== null ? cfg : {}) };
  const messages = rule.check(view, merged);
  const fixed = rule.remediate ? rule.remediate(view, merged) : undefined;
  return { messages, fixed };
}

describe("rule robustness", () => {
  for (const rule of RESOURCE_RULES) {
    it(`${rule.id}: never throws, is deterministic and never mutates its input`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...rule.resourceTypes, "azure-native:storage:StorageAccount"),
          bag,
          config,
          (type, props, cfg) => {
            const frozen = deepFreeze(JSON.parse(JSON.stringify(props ?? null)) as unknown);
            const first = runRule(rule, type, frozen, cfg);
            const second = runRule(rule, type, frozen, cfg);
            assert.deepEqual(first, second);
            assert.ok(
              Array.isArray(first.messages) &&
                first.messages.every((m) => typeof m === "string" && m.length < 2000),
            );
            assert.ok(first.fixed === undefined || (typeof first.fixed === "object" && first.fixed !== null));
            if (first.fixed !== undefined)
              assert.deepEqual(
                rule.check({ type, props: first.fixed }, { ...defaultConfig(rule), ...(cfg as object) }),
                [],
              );
          },
        ),
        { numRuns: 300, seed: 3 },
      );
    });

    it(`${rule.id}: under the SDK proxy throws nothing but UnknownValueError`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...rule.resourceTypes), bag, (type, props) => {
          const plain = JSON.parse(
            JSON.stringify(typeof props === "object" && props !== null ? props : {}),
          ) as object;
          try {
            rule.check(
              { type, props: unknownCheckingProxy(plain) as Record<string, unknown> },
              defaultConfig(rule),
            );
          } catch (e) {
            assert.ok(e instanceof UnknownValueError, `threw ${String(e)}`);
          }
        }),
        { numRuns: 200, seed: 4 },
      );
    });
  }

  it("rules called directly with garbage views and configs return nothing and never throw", () => {
    for (const rule of RESOURCE_RULES) {
      for (const v of [
        null,
        undefined,
        1,
        "x",
        [],
        {},
        { type: 1 },
        { type: rule.resourceTypes[0] },
        { type: rule.resourceTypes[0], props: null },
      ]) {
        assert.doesNotThrow(() => rule.check(v as never, undefined as never), rule.id);
        assert.doesNotThrow(() => rule.remediate?.(v as never, undefined as never), rule.id);
      }
    }
  });

  const allTypes = Object.values(TOKENS).flat();
  const stackResource: fc.Arbitrary<unknown> = fc.oneof(
    fc.record({
      type: fc.constantFrom<unknown>(...allTypes, "azure-native:storage:StorageAccount", 3, null),
      name: fc.oneof(fc.string(), fc.constant(undefined)),
      urn: fc.constantFrom<unknown>("u1", "u2", "u3", "u4", undefined, 5),
      id: fc.oneof(
        fc.constantFrom<unknown>(
          undefined,
          "/subscriptions/s/resourceGroups/rg-zt/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-zt",
          ...SENTINELS,
        ),
        fc.string(),
      ),
      props: bag,
      dependencies: fc.oneof(
        fc.array(fc.constantFrom<unknown>("u1", "u2", "u3", 7, null), { maxLength: 3 }),
        fc.constant(undefined),
        value,
      ),
      parent: fc.constantFrom<unknown>(undefined, "u1", "u2", 4),
    }),
    value,
  );

  for (const rule of STACK_RULES) {
    it(`${rule.id}: never throws and is deterministic on random stacks`, () => {
      fc.assert(
        fc.property(fc.array(stackResource, { maxLength: 12 }), (rs) => {
          const frozen = deepFreeze(JSON.parse(JSON.stringify(rs)) as StackResourceView[]);
          const a = rule.check(frozen, defaultConfig(rule));
          const b = rule.check(JSON.parse(JSON.stringify(rs)) as StackResourceView[], defaultConfig(rule));
          assert.deepEqual(a, b);
          assert.ok(a.every((v) => typeof v.message === "string"));
        }),
        { numRuns: 300, seed: 5 },
      );
    });
  }
});
