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
 * and parents as URNs.
 *
 * Views are cached by the resources themselves: an entry is reused only when a later call passes the
 * very same resource objects in the same order (checked one by one, so a stale or partial hit is
 * impossible). The stock SDK (@pulumi/policy 1.21, server.js makeAnalyzeStackRpcFun) builds fresh
 * resource objects for every stack policy, so there each policy gets its own views and its own stack
 * index. An SDK that builds the list once per AnalyzeStack request and hands every stack policy the
 * same objects (this repository's patch, docs/sdk-patch.md) lets all stack rules share one index. The
 * answers are the same either way; only the work differs.
 */
interface CachedViews {
  sources: readonly PolicyResource[];
  views: StackResourceView[];
}

const viewCache = new WeakMap<PolicyResource, CachedViews>();

function sameResources(a: readonly PolicyResource[], b: readonly PolicyResource[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toStackViews(resources: readonly PolicyResource[]): StackResourceView[] {
  const first = resources[0];
  if (first === undefined || typeof first !== "object") return buildViews(resources);
  const hit = viewCache.get(first);
  if (hit && sameResources(hit.sources, resources)) return hit.views;
  const views = buildViews(resources);
  viewCache.set(first, { sources: [...resources], views });
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

function severityOf(rule: Rule): "high" | "medium" {
  return rule.enforcementLevel === "mandatory" ? "high" : "medium";
}

function toStackPolicy(rule: StackRule): StackValidationPolicy {
  return {
    ...common(rule),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const views = toStackViews(args.resources);
      for (const v of rule.check(views, configOf(rule, args.getConfig))) reportViolation(v.message, v.urn);
    },
  };
}

/** The catalogue as CrossGuard policies, in catalogue order. */
export function toPolicies(rules: readonly Rule[]): Policies {
  return rules.map((r) => (r.kind === "resource" ? toResourcePolicy(r) : toStackPolicy(r)));
}
