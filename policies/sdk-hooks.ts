// Why this exists: @pulumi/policy 1.21 rebuilds the whole resource list once per stack policy
// (server.js makeAnalyzeStackRpcFun deserialises every resource inside its policy loop) and
// deserialises a resource once per resource policy in Analyze. With seven stack policies the pack
// took 3x as long as an empty pack on AnalyzeStack of 10,000 resources (issue #3 allows 1.5x), almost
// all of it the SDK's own allocations. Two hooks bring that down, both keyed to what the SDK does:
//
// 1. `deserializeProperties` is memoised per protobuf Struct instance. A request is decoded once and
//    never changes, so every policy of one request gets the same plain object behind its own
//    unknown-checking proxy. Safe because no rule mutates props (rules are pure; remediations copy
//    along the path they change). It also lets policies/pack.ts build the stack views and index once
//    per request.
// 2. AnalyzeStack boundaries (`AnalyzeStackRequest.getResourcesList` at the start; `makeAnalyzeResponse`,
//    or any other answer or error, at the end) drive `sharedStackEvaluation`: the first stack policy that runs evaluates every stack
//    rule on the shared index, and the SDK then skips the later stack policies that found nothing
//    (see policies/pack.ts). Policies with violations still run and report under their own name and
//    configured level.
//
// Every hook is optional: if one cannot be installed the pack is slower, never wrong.
// @pulumi/policy is pinned (1.21.0); tests/policies/sdk-hooks.test.ts fails if the internals move.
// Installed by policies/index.ts through ./fast-deserialize, never by tests in their own process.

import * as path from "node:path";

import { sharedStackEvaluation } from "./pack";
import type { SharedStackEvaluation } from "./pack";
import type { Level } from "./rules";

const MARK = Symbol.for("zero-trust-azure-postgres.sdk-hooks");

type Fn = ((...args: never[]) => unknown) & { [MARK]?: true };

/** Wraps `obj[key]` once (idempotent); returns false when there is nothing to wrap. */
function wrap<T extends object>(obj: T, key: string, make: (original: Fn) => Fn): boolean {
  const holder = obj as Record<string, unknown>;
  const original = holder[key] as Fn | undefined;
  if (typeof original !== "function" || original[MARK]) return false;
  const wrapped = make(original);
  wrapped[MARK] = true;
  holder[key] = wrapped;
  return true;
}

/** Memoises `mod.deserializeProperties(struct, proxySecrets)` per Struct instance. */
export function memoizeDeserialize(mod: object): boolean {
  const plain = new WeakMap<object, unknown>();
  const secret = new WeakMap<object, unknown>();
  return wrap(mod, "deserializeProperties", (original) => {
    const call = original as unknown as (s: unknown, p: boolean) => unknown;
    return ((struct: unknown, proxySecrets: boolean): unknown => {
      if (typeof struct !== "object" || struct === null) return call(struct, proxySecrets);
      const cache = proxySecrets ? secret : plain;
      if (cache.has(struct)) return cache.get(struct);
      const v = call(struct, proxySecrets);
      cache.set(struct, v);
      return v;
    }) as unknown as Fn;
  });
}

/** Marks AnalyzeStack request boundaries on the shared evaluation. */
export function hookStackBoundaries(
  requestProto: object,
  protoutil: object,
  shared: SharedStackEvaluation,
): boolean {
  // Any answer ends the request: AnalyzeStack's own, and also an error, GetAnalyzerInfo or another
  // call's answer in between, so a skip can never outlive the loop it was meant for. Ends are hooked
  // first: without them no request is ever started.
  const ends = ["makeAnalyzeResponse", "asGrpcError", "makeAnalyzerInfo", "makeRemediateResponse"].map(
    (key) =>
      wrap(protoutil, key, (original) => {
        return function (this: unknown, ...args: never[]) {
          shared.end();
          return original.apply(this, args);
        } as Fn;
      }),
  );
  if (!ends[0]) return false;
  return wrap(requestProto, "getResourcesList", (original) => {
    return function (this: unknown, ...args: never[]) {
      shared.begin();
      return original.apply(this, args);
    } as Fn;
  });
}

const LEVELS: Record<number, Level> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };

interface PolicyConfigEntry {
  getEnforcementlevel(): number;
}

/**
 * Mirrors each Configure request's enforcement levels into the shared evaluation, reading the same map
 * the SDK reads next. A level it does not recognise leaves the mirror unset (the SDK then rejects the
 * request too), so the shared evaluation never guesses a level.
 */
export function hookConfigure(configureProto: object, shared: SharedStackEvaluation): boolean {
  return wrap(configureProto, "getPolicyconfigMap", (original) => {
    return function (this: unknown, ...args: never[]) {
      const map = original.apply(this, args) as
        | { entries(): Iterable<[string, PolicyConfigEntry]> }
        | undefined;
      try {
        const levels = new Map<string, Level>();
        let ok = true;
        for (const [name, entry] of map?.entries() ?? []) {
          const level = LEVELS[entry.getEnforcementlevel()];
          if (level === undefined) ok = false;
          else levels.set(name, level);
        }
        if (ok) shared.configured(levels);
      } catch {
        // Leave the previous mirror; the SDK reports the malformed request itself.
      }
      return map;
    } as Fn;
  });
}

/** Installs the hooks in the copy of @pulumi/policy that serves the pack. */
export function installSdkHooks(): { deserialize: boolean; stackBoundaries: boolean; configure: boolean } {
  const result = { deserialize: false, stackBoundaries: false, configure: false };
  try {
    const dir = path.dirname(require.resolve("@pulumi/policy"));
    /* eslint-disable @typescript-eslint/no-require-imports */
    result.deserialize = memoizeDeserialize(require(path.join(dir, "deserialize.js")) as object);
    const analyzerPb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [dir] })) as {
      AnalyzeStackRequest?: { prototype: object };
      ConfigureAnalyzerRequest?: { prototype: object };
    };
    const protoutil = require(path.join(dir, "protoutil.js")) as object;
    /* eslint-enable @typescript-eslint/no-require-imports */
    // Levels first: stack sharing reports for other policies only once their levels are known.
    if (analyzerPb.ConfigureAnalyzerRequest) {
      result.configure = hookConfigure(analyzerPb.ConfigureAnalyzerRequest.prototype, sharedStackEvaluation);
      // Until the engine sends Configure, the SDK applies each policy's own level: so do we.
      if (result.configure) sharedStackEvaluation.configured(new Map());
    }
    if (analyzerPb.AnalyzeStackRequest) {
      result.stackBoundaries = hookStackBoundaries(
        analyzerPb.AnalyzeStackRequest.prototype,
        protoutil,
        sharedStackEvaluation,
      );
    }
  } catch {
    // Without the hooks the pack is slower, never wrong.
  }
  return result;
}
