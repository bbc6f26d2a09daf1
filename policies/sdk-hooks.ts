// Why this exists: @pulumi/policy 1.21 rebuilds the whole resource list once per stack policy
// (server.js makeAnalyzeStackRpcFun deserialises every resource inside its policy loop) and
// deserialises a resource once per resource policy in Analyze. With seven stack policies the pack
// took 3x as long as an empty pack on AnalyzeStack of 10,000 resources (issue #3 allows 1.5x), almost
// all of it the SDK's own allocations. Two hooks bring that down, both keyed to what the SDK does:
//
// 1. `deserializeProperties` is memoised per protobuf Struct instance. A request is decoded once and
//    never changes, so every policy of one request gets the same plain object behind its own
//    unknown-checking proxy. Safe because no rule mutates props (rules are pure; remediations copy
//    along the path they change).
// 2. `AnalyzeStackRequest.getResourcesList`, which the SDK calls once at the start of AnalyzeStack,
//    builds the views of a request that arrived over gRPC itself (./request-views: one pass,
//    properties decoded only where a stack rule reads them) and gives the SDK a one-resource stand-in
//    list: the request's first resource. Each stack policy then gets that resource, whose memoised props object is the key under
//    which policies/pack.ts finds the request's views. The SDK still runs every stack policy itself,
//    with its own enforcement levels, config and reporting; it just no longer copies 10,000 resources
//    for each of them.
//
// The stand-in is used only when the SDK would get through the list without an error of its own
// (./request-views sdkWouldAccept); otherwise it sees the real list and answers as it always does. One
// difference is deliberate: a resource whose properties no stack rule reads is not decoded, so a
// malformed asset or archive in, say, a storage blob no longer fails the whole AnalyzeStack request
// (resource policies in Analyze still decode every resource and report it as before).
//
// Every hook is optional: if one cannot be installed the pack is slower, never wrong.
// @pulumi/policy is pinned (1.21.0); tests/policies/sdk-hooks.test.ts fails if the internals move.
// Installed by policies/index.ts through ./fast-deserialize. One test installs them in its own process
// and puts the originals back; the others try them on stand-in objects.

import * as path from "node:path";

import { registerRequestViews } from "./pack";
import { requestViews, sdkWouldAccept, type Deserialize, type RequestResource } from "./request-views";

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

/** The SDK's deserializer module, as hooked here. */
export interface DeserializeModule {
  deserializeProperties: (struct: object, proxySecrets: boolean) => unknown;
}

/**
 * Memoises `mod.deserializeProperties(struct, proxySecrets)` per Struct instance. Returns the original
 * (unmemoised) function when the hook went in, else undefined.
 */
export function memoizeDeserialize(mod: object): Deserialize | undefined {
  const plain = new WeakMap<object, unknown>();
  const secret = new WeakMap<object, unknown>();
  let unmemoised: Deserialize | undefined;
  const installed = wrap(mod, "deserializeProperties", (original) => {
    const call = original as unknown as (s: unknown, p: boolean) => unknown;
    unmemoised = call as Deserialize;
    return ((struct: unknown, proxySecrets: boolean): unknown => {
      if (typeof struct !== "object" || struct === null) return call(struct, proxySecrets);
      const cache = proxySecrets ? secret : plain;
      if (cache.has(struct)) return cache.get(struct);
      const v = call(struct, proxySecrets);
      cache.set(struct, v);
      return v;
    }) as unknown as Fn;
  });
  return installed ? unmemoised : undefined;
}

/** The generated `pulumirpc.AnalyzeStackRequest` class, as far as the hook needs it. */
export interface StackRequestClass {
  deserializeBinary(bytes: Uint8Array): object;
  prototype: object;
}

/**
 * Hooks `AnalyzeStackRequest.getResourcesList` to stand in for the list of a request that arrived over
 * gRPC (see the top of this file). Only requests decoded by `deserializeBinary`, which the gRPC service
 * definition calls for every AnalyzeStack, are marked: serialising a request also reads its list, and
 * one this process builds must keep all of it. `memoised` must be the SDK's memoised deserializer: the
 * stand-in's props object, which the SDK makes with it, is the key of the request's views. `lazy`
 * decodes the other resources' properties.
 */
export function hookStackRequest(
  requestClass: StackRequestClass,
  memoised: Deserialize,
  lazy: Deserialize,
): boolean {
  const received = new WeakSet<object>();
  const standIns = new WeakMap<object, readonly unknown[]>();
  const marked = wrap(requestClass, "deserializeBinary", (original) => {
    return function (this: unknown, ...args: never[]) {
      const msg = original.apply(this, args);
      if (typeof msg === "object" && msg !== null) received.add(msg);
      return msg;
    } as Fn;
  });
  if (!marked) return false;
  return wrap(requestClass.prototype, "getResourcesList", (original) => {
    return function (this: object, ...args: never[]) {
      const known = standIns.get(this);
      if (known) return known;
      const list = original.apply(this, args) as RequestResource[];
      if (!received.has(this) || !Array.isArray(list) || list.length < 2 || !sdkWouldAccept(list))
        return list;
      const key = memoised(list[0].getProperties()!, false);
      if (typeof key !== "object" || key === null) return list;
      registerRequestViews(key, requestViews(list, lazy));
      const standIn = [list[0]];
      standIns.set(this, standIn);
      return standIn;
    } as Fn;
  });
}

/** Installs the hooks in the copy of @pulumi/policy that serves the pack. */
export function installSdkHooks(): { deserialize: boolean; stackRequest: boolean } {
  const result = { deserialize: false, stackRequest: false };
  try {
    const dir = path.dirname(require.resolve("@pulumi/policy"));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mod = require(path.join(dir, "deserialize.js")) as DeserializeModule;
    const unmemoised = memoizeDeserialize(mod);
    result.deserialize = unmemoised !== undefined;
    const analyzerPb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [dir] })) as {
      AnalyzeStackRequest?: StackRequestClass;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    // The stand-in needs the memo: without it each stack policy would get a fresh props object, find no
    // views, and judge the stand-in alone.
    if (unmemoised && analyzerPb.AnalyzeStackRequest) {
      const memoised = mod.deserializeProperties as Deserialize;
      result.stackRequest = hookStackRequest(analyzerPb.AnalyzeStackRequest, memoised, unmemoised);
    }
  } catch {
    // Without the hooks the pack is slower, never wrong.
  }
  return result;
}
