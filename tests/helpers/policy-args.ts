// Builds policy arguments in exactly the shape @pulumi/policy 1.21's server passes to policies
// (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun / makeRemediateRpcFun): props wrapped in the
// SDK's own unknown-checking proxy, `opts`, `stackTags`, `getConfig`, `notApplicable`, `isType`,
// `asType`; stack resources with `dependencies`, `propertyDependencies` and `parent` as resource
// objects. The proxy is imported from the SDK so unknown values throw the real UnknownValueError.

import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(o: T): T;
  UnknownValueError: new (...a: unknown[]) => Error;
  unknownStringValue: string;
};

export const UNKNOWN_STRING = proxy.unknownStringValue;
export const UnknownValueError = proxy.UnknownValueError;

/** Thrown by `notApplicable`, like the SDK's NotApplicableError. */
export class NotApplicableError extends Error {}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::zt-test::${type}::${name}`;
}

export function defaultOpts(parent?: string): PolicyResourceOptions {
  const o: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  if (parent) o.parent = parent;
  return o;
}

function getConfigFor(config: Record<string, unknown>) {
  return <T extends object>(): T => {
    // The SDK strips enforcementLevel before handing config to a policy.
    const { enforcementLevel: _ignored, ...rest } = config;
    return rest as T;
  };
}

function notApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? "not applicable");
}

/** ResourceValidationArgs for one resource, as Analyze and Remediate build them. */
export function resourceArgs(
  type: string,
  props: Record<string, unknown>,
  options: { name?: string; config?: Record<string, unknown>; stackTags?: Record<string, string> } = {},
): ResourceValidationArgs {
  const name = options.name ?? "res";
  // The SDK deserialises a fresh copy per policy; so do we, so a policy cannot mutate the next one's input.
  const wrapped = proxy.unknownCheckingProxy(JSON.parse(JSON.stringify(props)) as Record<string, unknown>);
  return {
    type,
    props: wrapped,
    urn: urnOf(type, name),
    name,
    opts: defaultOpts(),
    stackTags: new Map(Object.entries(options.stackTags ?? {})),
    isType: () => false,
    asType: () => undefined,
    getConfig: getConfigFor(options.config ?? {}),
    notApplicable,
  };
}

/** A resource of a stack, before linking. */
export interface StackInput {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Names (within the same list) this resource depends on. */
  dependsOn?: string[];
  /** Property name → names of resources the property depends on. */
  propertyDependsOn?: Record<string, string[]>;
  /** Name of the parent resource within the list. */
  parent?: string;
}

/** StackValidationArgs for a list of resources, linking dependencies and parents like the SDK does. */
export function stackArgs(
  inputs: StackInput[],
  options: { config?: Record<string, unknown>; stackTags?: Record<string, string> } = {},
): StackValidationArgs {
  const byName = new Map<string, PolicyResource>();
  const resources: PolicyResource[] = inputs.map((i) => {
    const urn = urnOf(i.type, i.name);
    const r: PolicyResource = {
      type: i.type,
      props: proxy.unknownCheckingProxy(JSON.parse(JSON.stringify(i.props)) as Record<string, unknown>),
      urn,
      name: i.name,
      opts: defaultOpts(
        i.parent ? urnOf(inputs.find((x) => x.name === i.parent)?.type ?? "", i.parent) : undefined,
      ),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
    byName.set(i.name, r);
    return r;
  });
  inputs.forEach((i, n) => {
    const r = resources[n];
    if (i.parent) r.parent = byName.get(i.parent);
    r.dependencies = (i.dependsOn ?? [])
      .map((d) => byName.get(d))
      .filter((d): d is PolicyResource => d !== undefined);
    for (const [k, names] of Object.entries(i.propertyDependsOn ?? {})) {
      r.propertyDependencies[k] = names
        .map((d) => byName.get(d))
        .filter((d): d is PolicyResource => d !== undefined);
    }
  });
  return {
    resources,
    stackTags: new Map(Object.entries(options.stackTags ?? {})),
    getConfig: getConfigFor(options.config ?? {}),
    notApplicable,
  };
}

/** Collects what a policy reports. */
export function collector(): {
  report: (message: string, urn?: string) => void;
  violations: { message: string; urn?: string }[];
} {
  const violations: { message: string; urn?: string }[] = [];
  return {
    report: (message, urn) => violations.push(urn === undefined ? { message } : { message, urn }),
    violations,
  };
}
