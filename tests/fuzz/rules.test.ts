// Property-based tests of every rule in the catalogue. For each rule, RUNS_PER_RULE
// generated inputs: mutations of the rule's compliant baseline, garbage of any shape, the engine's
// unknown sentinels, huge strings, deep nesting, prototype-polluting keys, garbage config; stack rules
// get damaged stacks (resources dropped, duplicated URNs, garbled links). Every rule must never throw
// (under the SDK's unknown-checking proxy only its UnknownValueError may escape, which the SDK turns
// into "can't be known during preview"), return a list of strings, be deterministic, and never flag its
// compliant baseline. The catalogue is iterated, so a new rule is fuzzed without touching this file.

import * as assert from "node:assert/strict";
import * as fc from "fast-check";

import { defaultConfig } from "../../policies/rules";
import type {
  ResourceRule,
  ResourceView,
  RuleConfig,
  StackResourceView,
  StackRule,
} from "../../policies/rules";
import {
  FUZZ_SEED,
  RUNS_PER_RULE,
  SENTINELS,
  copy,
  copyStack,
  configFor,
  garbage,
  ownObject,
  policyProxy,
  propsFor,
  stackOf,
  text,
} from "./arbitraries";
import { ALL_RULES, FLAGS_EVERY_INSTANCE, baselinesFor, coveredSamples, stackBaseline } from "./baselines";

const { UnknownValueError, unknownCheckingProxy } = policyProxy;

/** Longest message a rule may return: it must quote values, not echo megabytes back. */
const MAX_MESSAGE = 4000;

type Outcome = { messages: string[] } | { unknown: string };

/** Cuts strings and depth so a failing counterexample stays readable. */
function brief(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v;
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (v === undefined) return "<undefined>";
  if (depth > 6) return "<deeper>";
  if (Array.isArray(v))
    return v.length > 10
      ? [...v.slice(0, 10).map((e) => brief(e, depth + 1)), `…${v.length} items`]
      : v.map((e) => brief(e, depth + 1));
  if (typeof v === "object" && v !== null)
    return ownObject(Object.keys(v).map((k) => [k, brief((v as Record<string, unknown>)[k], depth + 1)]));
  return v;
}

/** Runs fast-check with the fixed seed and fails with a short, reproducible report. */
function holds<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  predicate: (v: T) => void,
  numRuns = RUNS_PER_RULE,
): number {
  const details = fc.check(
    fc.property(arb, (v) => {
      predicate(v);
    }),
    { numRuns, seed: FUZZ_SEED, endOnFailure: process.env.FUZZ_NO_SHRINK === "1" },
  );
  if (details.failed) {
    const err = details.errorInstance as Error | undefined;
    assert.fail(
      `${name}: ${err?.message ?? "property failed"}\n` +
        `  seed ${details.seed}, path "${details.counterexamplePath}" (FUZZ_SEED=${details.seed} reproduces)\n` +
        `  counterexample: ${JSON.stringify(brief(details.counterexample?.[0]), null, 1)?.slice(0, 3000)}`,
    );
  }
  return details.numRuns;
}

/**
 * A list of strings. With the default config, messages are bounded: a rule quotes what it saw, cut
 * short, and never echoes a megabyte property back. (A config the operator wrote, e.g. a 20,000-entry
 * allow-list, may be repeated in full; that is their text, not the stack's.)
 */
function checkOutcome(id: string, out: unknown, bounded: boolean): string[] {
  assert.ok(Array.isArray(out), `${id} returned ${typeof out}, not a list`);
  for (const m of out as unknown[]) {
    assert.equal(typeof m, "string", `${id} returned a non-string message`);
    if (bounded)
      assert.ok(
        (m as string).length <= MAX_MESSAGE,
        `${id} returned a ${(m as string).length}-character message`,
      );
  }
  return out as string[];
}

interface ResourceCase {
  type: string;
  props: unknown;
  config: unknown;
  proxied: boolean;
  name: unknown;
}

function runResource(rule: ResourceRule, c: ResourceCase, defaults?: RuleConfig): Outcome {
  const props = c.proxied ? unknownCheckingProxy(c.props) : c.props;
  const view = {
    type: c.type,
    props,
    urn: `urn:pulumi:dev::zt::${c.type}::fuzz`,
    name: c.name,
  } as ResourceView;
  try {
    const out = rule.check(view, c.config as RuleConfig);
    return { messages: checkOutcome(rule.id, out, defaults === undefined || c.config === defaults) };
  } catch (e) {
    if (c.proxied && e instanceof UnknownValueError) return { unknown: (e as Error).message };
    if (e instanceof assert.AssertionError) throw e;
    throw new Error(`${rule.id} threw ${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 500));
  }
}

function runStack(rule: StackRule, stack: StackResourceView[], config: unknown, bounded = true): string {
  try {
    const out = rule.check(stack, config as RuleConfig);
    assert.ok(Array.isArray(out), `${rule.id} returned ${typeof out}, not a list`);
    for (const v of out) {
      assert.equal(typeof v?.message, "string", `${rule.id} returned a violation without a message`);
      if (bounded)
        assert.ok(
          v.message.length <= MAX_MESSAGE,
          `${rule.id} returned a ${v.message.length}-character message`,
        );
      assert.ok(v.urn === undefined || typeof v.urn === "string", `${rule.id} returned a non-string urn`);
    }
    return JSON.stringify(out);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    throw new Error(`${rule.id} threw ${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 500));
  }
}

/** Total generated inputs per rule, for docs/robustness.md (read by tests/hardening/figures.ts). */
export const runsByRule = new Map<string, number>();

describe("fuzzed policy rules (fast-check)", function () {
  before(function () {
    console.log(
      `      fuzz seed ${FUZZ_SEED}, ${RUNS_PER_RULE} runs per rule × ${ALL_RULES.length} rules (set FUZZ_SEED to change)`,
    );
  });

  it("has a compliant baseline for every rule in the catalogue", function () {
    for (const rule of ALL_RULES) {
      if (rule.kind === "resource") assert.ok(baselinesFor(rule).length > 0, rule.id);
      else assert.ok(stackBaseline().length > 0, rule.id);
    }
  });

  for (const rule of ALL_RULES) {
    if (rule.kind === "resource") {
      describe(rule.id, function () {
        const defaults = defaultConfig(rule);
        const bases = baselinesFor(rule);

        it("never flags its compliant baseline, plain or behind the SDK's unknown-checking proxy", function () {
          for (const b of bases) {
            for (const proxied of [false, true]) {
              const out = runResource(rule, {
                type: b.type,
                props: copy(b.props),
                config: defaults,
                proxied,
                name: "res",
              });
              assert.deepEqual(out, { messages: [] }, `${rule.id} flagged its baseline ${b.type}`);
            }
          }
        });

        it(`never throws and is deterministic on ${RUNS_PER_RULE} generated property bags`, function () {
          // Own types mostly; the types it does not cover must be ignored whatever their shape.
          const samples = [...bases, ...coveredSamples(rule)];
          const typeArb = fc.oneof(
            { weight: 8, arbitrary: fc.constantFrom(...rule.resourceTypes) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                ...bases.map((b) => b.type),
                "azure-native:fuzz:Thing",
                "",
                ...SENTINELS,
              ),
            },
          );
          const arb = fc.record({
            type: typeArb,
            props: propsFor(samples.map((s) => s.props)),
            config: configFor(Object.keys(rule.config), defaults),
            proxied: fc.boolean(),
            name: fc.oneof(fc.constant("res"), garbage),
          });
          const n = holds(rule.id, arb, (c) => {
            const first = runResource(rule, c, defaults);
            const again = runResource(
              rule,
              { ...copy(c), config: c.config === defaults ? defaults : copy(c.config) },
              defaults,
            );
            assert.deepEqual(again, first, `${rule.id} is not deterministic`);
            assert.deepEqual(
              runResource(rule, c, defaults),
              first,
              `${rule.id} changed its answer on a second call with the same object`,
            );
          });
          runsByRule.set(rule.id, n);
          assert.equal(n, RUNS_PER_RULE);
        });

        it("never flags its baseline when unrelated fields are added", function () {
          if (FLAGS_EVERY_INSTANCE.has(rule.id)) this.test!.title += " (baseline is an uncovered type)";
          const arb = fc.record({
            base: fc.constantFrom(...bases),
            extra: fc.array(
              fc.tuple(
                text(8).map((k) => `x-fuzz-${k}`),
                garbage,
              ),
              { maxLength: 4 },
            ),
            proxied: fc.boolean(),
          });
          holds(
            `${rule.id} (baseline + unrelated fields)`,
            arb,
            ({ base, extra, proxied }) => {
              const props = ownObject([...Object.entries(copy(base.props)), ...extra]);
              assert.deepEqual(
                runResource(rule, { type: base.type, props, config: defaults, proxied, name: "res" }),
                { messages: [] },
              );
            },
            1000,
          );
        });
      });
    } else {
      describe(rule.id, function () {
        const defaults = defaultConfig(rule);

        it("never flags the compliant stack, in any order, with unrelated resources added", function () {
          assert.equal(
            runStack(rule, stackBaseline(), defaults),
            "[]",
            `${rule.id} flagged the baseline stack`,
          );
          const arb = fc.record({
            order: fc.shuffledSubarray(stackBaseline(), { minLength: stackBaseline().length }),
            extra: fc.array(
              fc.tuple(text(8), garbage).map(
                ([name, props]): StackResourceView => ({
                  type: "fuzz:index:Unrelated",
                  name,
                  urn: `urn:pulumi:dev::zt::fuzz:index:Unrelated::${name}`,
                  props: props as Record<string, unknown>,
                  dependencies: [],
                }),
              ),
              { maxLength: 4 },
            ),
          });
          holds(
            `${rule.id} (baseline stack)`,
            arb,
            ({ order, extra }) => {
              assert.equal(runStack(rule, copyStack([...order, ...extra]), defaults), "[]");
            },
            1000,
          );
        });
      });
    }
  }

  // Stack rules share one index per resources array, so they are fuzzed together: every stack rule
  // sees the same RUNS_PER_RULE damaged stacks (and each its own garbage config), as in the pack.
  it(`stack rules never throw and are deterministic on ${RUNS_PER_RULE} damaged stacks each`, function () {
    const stackRules = ALL_RULES.filter((r): r is StackRule => r.kind === "stack");
    const arb = fc.record({
      stack: stackOf(stackBaseline()),
      configs: fc.tuple(...stackRules.map((r) => configFor(Object.keys(r.config), defaultConfig(r)))),
    });
    const n = holds("stack rules", arb, ({ stack, configs }) => {
      const again = copyStack(stack);
      stackRules.forEach((rule, i) => {
        const config = configs[i];
        const bounded = Object.keys(rule.config).length === 0 || config === undefined;
        const first = runStack(rule, stack, config, bounded);
        assert.equal(runStack(rule, again, copy(config), bounded), first, `${rule.id} is not deterministic`);
        assert.equal(
          runStack(rule, stack, config, bounded),
          first,
          `${rule.id} changed its answer on the same array`,
        );
      });
    });
    for (const r of stackRules) runsByRule.set(r.id, n);
    assert.equal(n, RUNS_PER_RULE);
  });

  // An `after` hook, so it runs once every rule has seen its polluting keys.
  after("Object.prototype is untouched after every rule saw __proto__ and constructor keys", function () {
    const probe: Record<string, unknown> = {};
    assert.equal(probe.polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
  });
});
