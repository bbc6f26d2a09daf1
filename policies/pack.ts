// The adapter from the rule catalogue to @pulumi/policy objects, and the composition settings
// (`zeroTrustPostgresPolicies(args)`: levels and config per rule, the AWSGuard way). Importing this file
// has no side effects (it only imports types from @pulumi/policy), so tests import it instead of
// policies/index.ts, whose `new PolicyPack(...)` starts a gRPC server.

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

import { RULES, defaultConfig, isRuleId } from "./rules";
import type {
  ConfigProperty,
  Level,
  ResourceRule,
  Rule,
  RuleConfig,
  RuleId,
  StackResourceView,
  StackRule,
} from "./rules";
import { matchesType, unwrap } from "./rules/util";

/** One config property as JSON schema (the engine validates `--policy-pack-config` against it). */
function propertySchema(p: ConfigProperty, given?: unknown): PolicyConfigJSONSchema {
  const s: PolicyConfigJSONSchema = { type: p.type, description: p.description };
  const d = given !== undefined ? given : p.default;
  if (d !== undefined) s.default = d as PolicyConfigJSONSchema["default"];
  if (p.enum) s.enum = [...p.enum];
  if (p.minimum !== undefined) s.minimum = p.minimum;
  if (p.maximum !== undefined) s.maximum = p.maximum;
  if (p.items)
    s.items = p.items.enum ? { type: p.items.type, enum: [...p.items.enum] } : { type: p.items.type };
  return s;
}

/**
 * The policy's config schema: the rule's properties with their defaults (`enforcementLevel` is
 * implicit). `given` (a composed pack's settings) replaces a property's default, so the published
 * schema shows the values this pack runs with.
 */
export function configSchemaOf(rule: Rule, given: RuleConfig = {}): PolicyConfigSchema | undefined {
  const keys = Object.keys(rule.config);
  if (keys.length === 0) return undefined;
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  for (const k of keys) properties[k] = propertySchema(rule.config[k], given[k]);
  return { properties };
}

/**
 * Schema defaults, then the composed pack's settings, then whatever the engine passed for this policy
 * (it may or may not fill defaults; a `--policy-pack-config` value wins over a composed one).
 */
function configOf(rule: Rule, setting: RuleSetting, getConfig: (() => object) | undefined): RuleConfig {
  const given = typeof getConfig === "function" ? (getConfig() as RuleConfig) : {};
  return { ...defaultConfig(rule), ...setting.config, ...given };
}

/** What a composed pack sets for one rule: its level and config values (validated, see below). */
interface RuleSetting {
  level: Level;
  config: RuleConfig;
}

const CATALOGUE_SETTING = (rule: Rule): RuleSetting => ({ level: rule.enforcementLevel, config: {} });

function common(rule: Rule, setting: RuleSetting) {
  const schema = configSchemaOf(rule, setting.config);
  return {
    name: rule.id,
    description: rule.description,
    displayName: rule.title,
    enforcementLevel: setting.level,
    severity: severityOf(rule),
    remediationSteps: rule.remediation,
    ...(schema ? { configSchema: schema } : {}),
  };
}

function toResourcePolicy(rule: ResourceRule, setting: RuleSetting): ResourceValidationPolicy {
  const types = new Set(rule.resourceTypes);
  const policy: ResourceValidationPolicy = {
    ...common(rule, setting),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!types.has(args.type)) return;
      const view = { type: args.type, props: args.props, urn: args.urn, name: args.name };
      for (const message of rule.check(view, configOf(rule, setting, args.getConfig)))
        reportViolation(message);
    },
  };
  const remediate = rule.remediate;
  if (remediate) {
    policy.remediateResource = (args: ResourceValidationArgs) => {
      if (!types.has(args.type)) return undefined;
      const view = { type: args.type, props: args.props, urn: args.urn, name: args.name };
      return remediate(view, configOf(rule, setting, args.getConfig));
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

function toStackPolicy(rule: StackRule, setting: RuleSetting): StackValidationPolicy {
  return {
    ...common(rule, setting),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const views = toStackViews(args.resources);
      for (const v of rule.check(views, configOf(rule, setting, args.getConfig))) {
        reportViolation(v.message, v.urn);
      }
    },
  };
}

/** The catalogue as CrossGuard policies, in catalogue order, at the catalogue's levels and defaults. */
export function toPolicies(rules: readonly Rule[]): Policies {
  return rules.map((r) =>
    r.kind === "resource"
      ? toResourcePolicy(r, CATALOGUE_SETTING(r))
      : toStackPolicy(r, CATALOGUE_SETTING(r)),
  );
}

// ---------------------------------------------------------------------------------------------------
// Composition: our rules in a pack of your own, with your levels and config (the AWSGuard way:
// https://github.com/pulumi/pulumi-policy-aws/blob/master/src/awsGuard.ts, `AwsGuardArgs`, read
// 2026-11-30). Settings are checked against each rule's config schema when the policies are built, so a
// typo fails `pulumi preview` at start-up with a message naming the rule, the key and what is allowed,
// instead of being ignored.
// ---------------------------------------------------------------------------------------------------

/** One rule's setting: a level, or a level and config values (`{ enforcementLevel?, <property>: value }`). */
export type ZeroTrustRuleSetting = Level | ({ enforcementLevel?: Level } & RuleConfig);

/**
 * Levels and config for the zero-trust rules, the AWSGuard way: `all` sets every rule's level; a rule id
 * sets that rule's level or config (it wins over `all`). A rule not named keeps the catalogue's level
 * (docs/rules.md) unless `all` is given.
 *
 * ```ts
 * new ZeroTrustPostgresPolicies({ all: "mandatory", "postgres-tls-min-version": { minimumVersion: "TLSv1.3" } });
 * ```
 */
export type ZeroTrustPostgresPoliciesArgs = { all?: Level } & { [K in RuleId]?: ZeroTrustRuleSetting };

const LEVELS: readonly Level[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A value for an error message: JSON (control characters escaped), cut to 80 characters. */
function shown(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** What a config property accepts, in words. */
function allowedOf(p: ConfigProperty): string {
  if (p.enum) return `one of ${p.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  if (p.type === "array") {
    const item = p.items?.enum
      ? `one of ${p.items.enum.map((e) => JSON.stringify(e)).join(", ")}`
      : p.items?.type;
    return `an array of ${item ?? "strings"}`;
  }
  if (p.type === "number" || p.type === "integer") {
    const range =
      p.minimum !== undefined && p.maximum !== undefined
        ? ` from ${p.minimum} to ${p.maximum}`
        : p.minimum !== undefined
          ? ` of at least ${p.minimum}`
          : p.maximum !== undefined
            ? ` of at most ${p.maximum}`
            : "";
    return `${p.type === "integer" ? "an integer" : "a number"}${range}`;
  }
  return `a ${p.type}`;
}

function levelError(where: string, v: unknown): Error {
  return new Error(
    `ZeroTrustPostgresPolicies: ${where} is ${shown(v)}; allowed: ${LEVELS.map((l) => `"${l}"`).join(", ")}.`,
  );
}

/**
 * Checks the settings and resolves every rule's level and config. Throws on an unknown rule id, an
 * unknown config key, a value outside the rule's config schema, or an unknown level.
 */
export function resolveSettings(args: ZeroTrustPostgresPoliciesArgs = {}): Map<RuleId, RuleSetting> {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new Error(
      `ZeroTrustPostgresPolicies: the settings must be an object like { all: "mandatory" }, got ${shown(args)}.`,
    );
  }
  const given = args as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (key !== "all" && !isRuleId(key)) {
      throw new Error(
        `ZeroTrustPostgresPolicies: unknown rule id ${shown(key)}; use "all" or one of: ${RULES.map((r) => r.id).join(", ")}.`,
      );
    }
  }
  const all = given.all;
  if (all !== undefined && !LEVELS.includes(all as Level)) throw levelError("`all`", all);

  const out = new Map<RuleId, RuleSetting>();
  for (const rule of RULES) {
    let level: Level = (all as Level | undefined) ?? rule.enforcementLevel;
    const config: RuleConfig = {};
    const s = Object.prototype.hasOwnProperty.call(given, rule.id) ? given[rule.id] : undefined;
    if (typeof s === "string") {
      if (!LEVELS.includes(s as Level)) throw levelError(`the level of "${rule.id}"`, s);
      level = s as Level;
    } else if (typeof s === "object" && s !== null && !Array.isArray(s)) {
      for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
        if (k === "enforcementLevel") {
          if (!LEVELS.includes(v as Level)) throw levelError(`"${rule.id}".enforcementLevel`, v);
          level = v as Level;
          continue;
        }
        const prop = Object.prototype.hasOwnProperty.call(rule.config, k) ? rule.config[k] : undefined;
        if (!prop) {
          const keys = Object.keys(rule.config);
          throw new Error(
            `ZeroTrustPostgresPolicies: "${rule.id}" has no config key ${shown(k)}; ` +
              (keys.length
                ? `its keys are enforcementLevel, ${keys.join(", ")}.`
                : "it takes only enforcementLevel."),
          );
        }
        if (!matchesType(prop, v)) {
          throw new Error(
            `ZeroTrustPostgresPolicies: "${rule.id}".${k} is ${shown(v)}; allowed: ${allowedOf(prop)}.`,
          );
        }
        config[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
      }
    } else if (s !== undefined) {
      throw new Error(
        `ZeroTrustPostgresPolicies: the setting of "${rule.id}" is ${shown(s)}; give a level ` +
          `(${LEVELS.map((l) => `"${l}"`).join(", ")}) or an object { enforcementLevel?, <config key>: value }.`,
      );
    }
    // The policy SDK runs stack policies as mandatory when asked to remediate (they cannot fix inputs);
    // say so in the level the engine shows.
    if (rule.kind === "stack" && level === "remediate") level = "mandatory";
    out.set(rule.id, { level, config });
  }
  return out;
}

/**
 * Our rules as CrossGuard policies with your levels and config, to list next to your own policies in
 * one `PolicyPack`. Every rule is in the list; a rule set to `"disabled"` stays in it (so a
 * `--policy-pack-config` can turn it back on) and the engine skips it.
 */
export function zeroTrustPostgresPolicies(args: ZeroTrustPostgresPoliciesArgs = {}): Policies {
  const settings = resolveSettings(args);
  return RULES.map((r) => {
    const setting = settings.get(r.id) ?? CATALOGUE_SETTING(r);
    return r.kind === "resource" ? toResourcePolicy(r, setting) : toStackPolicy(r, setting);
  });
}
