// The adapter from the rule catalogue to @pulumi/policy objects. Importing this file has no side
// effects (it only imports types from @pulumi/policy), so tests import it instead of policies/index.ts,
// whose `new PolicyPack(...)` starts a gRPC server.

import type {
  Policies,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

import { defaultConfig } from "./rules";
import type { ConfigProperty, ResourceRule, Rule, RuleConfig, StackResourceView, StackRule } from "./rules";
import { unwrap } from "./rules/util";

/** One config property as JSON schema (the engine validates `--policy-pack-config` against it). */
function propertySchema(p: ConfigProperty): PolicyConfigJSONSchema {
  const s: PolicyConfigJSONSchema = { type: p.type, description: p.description };
  if (p.default !== undefined) s.default = p.default as PolicyConfigJSONSchema["default"];
  if (p.enum) s.enum = [...p.enum];
  if (p.minimum !== undefined) s.minimum = p.minimum;
  if (p.maximum !== undefined) s.maximum = p.maximum;
  if (p.items)
    s.items = p.items.enum ? { type: p.items.type, enum: [...p.items.enum] } : { type: p.items.type };
  return s;
}

/** The policy's config schema: the rule's properties with their defaults (`enforcementLevel` is implicit). */
export function configSchemaOf(rule: Rule): PolicyConfigSchema | undefined {
  const keys = Object.keys(rule.config);
  if (keys.length === 0) return undefined;
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  for (const k of keys) properties[k] = propertySchema(rule.config[k]);
  return { properties };
}

/** Defaults first, then whatever the engine passed for this policy (it may or may not fill defaults). */
function configOf(rule: Rule, getConfig: (() => object) | undefined): RuleConfig {
  const given = typeof getConfig === "function" ? (getConfig() as RuleConfig) : {};
  return { ...defaultConfig(rule), ...given };
}

function common(rule: Rule) {
  return {
    name: rule.id,
    description: rule.description,
    displayName: rule.title,
    enforcementLevel: rule.enforcementLevel,
    severity: severityOf(rule),
    remediationSteps: rule.remediation,
    ...(configSchemaOf(rule) ? { configSchema: configSchemaOf(rule) } : {}),
  };
}

function toResourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
  const types = new Set(rule.resourceTypes);
  const policy: ResourceValidationPolicy = {
    ...common(rule),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!types.has(args.type)) return;
      const view = { type: args.type, props: args.props, urn: args.urn, name: args.name };
      for (const message of rule.check(view, configOf(rule, args.getConfig))) reportViolation(message);
    },
  };
  const remediate = rule.remediate;
  if (remediate) {
    policy.remediateResource = (args: ResourceValidationArgs) => {
      if (!types.has(args.type)) return undefined;
      const view = { type: args.type, props: args.props, urn: args.urn, name: args.name };
      return remediate(view, configOf(rule, args.getConfig));
    };
  }
  return policy;
}

/**
 * Stack views of the SDK's resources: props unwrapped (unknowns stay sentinel strings), dependencies
 * and parents as URNs, cached per resources array. This is the path when ./sdk-hooks did not stand in
 * for the request's list (a list of one, one the SDK rejects itself, or hooks that could not go in).
 */
const viewCache = new WeakMap<readonly PolicyResource[], StackResourceView[]>();

export function toStackViews(resources: readonly PolicyResource[]): StackResourceView[] {
  const hit = viewCache.get(resources);
  if (hit) return hit;
  const views = buildViews(resources);
  viewCache.set(resources, views);
  return views;
}

function buildViews(resources: readonly PolicyResource[]): StackResourceView[] {
  return resources.map((r) => {
    const deps = new Set<string>();
    for (const d of r.dependencies ?? []) if (d && typeof d.urn === "string") deps.add(d.urn);
    for (const list of Object.values(r.propertyDependencies ?? {})) {
      for (const d of list ?? []) if (d && typeof d.urn === "string") deps.add(d.urn);
    }
    const raw = unwrap(r.props);
    const view: StackResourceView = {
      type: r.type,
      props: typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {},
      urn: r.urn,
      name: r.name,
      dependencies: [...deps],
    };
    const parent = r.parent?.urn ?? r.opts?.parent;
    if (typeof parent === "string") view.parent = parent;
    return view;
  });
}

/**
 * Views of whole AnalyzeStack requests, keyed by the (memoised) properties object of the one resource
 * policies/sdk-hooks.ts hands the SDK in place of the request's list. Every stack policy of that request
 * gets that resource, so every one of them finds the same views, and so one shared stack index.
 */
const requestViewsByKey = new WeakMap<object, StackResourceView[]>();

/** Registers the views of a request under the properties object the SDK will pass for its stand-in. */
export function registerRequestViews(key: object, views: StackResourceView[]): void {
  requestViewsByKey.set(key, views);
}

/** The views a stack policy evaluates: the registered request's, else built from the SDK's list. */
export function stackViewsOf(resources: readonly PolicyResource[]): readonly StackResourceView[] {
  if (resources.length === 1) {
    const key = unwrap(resources[0].props);
    const views = typeof key === "object" && key !== null ? requestViewsByKey.get(key) : undefined;
    if (views && views.length > 0 && views[0].urn === resources[0].urn) return views;
  }
  return toStackViews(resources);
}

function severityOf(rule: Rule): "high" | "medium" {
  return rule.enforcementLevel === "mandatory" ? "high" : "medium";
}

function toStackPolicy(rule: StackRule): StackValidationPolicy {
  return {
    ...common(rule),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const views = stackViewsOf(args.resources);
      for (const v of rule.check(views, configOf(rule, args.getConfig))) reportViolation(v.message, v.urn);
    },
  };
}

/** The catalogue as CrossGuard policies, in catalogue order. */
export function toPolicies(rules: readonly Rule[]): Policies {
  return rules.map((r) => (r.kind === "resource" ? toResourcePolicy(r) : toStackPolicy(r)));
}
