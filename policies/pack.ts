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
import type {
  ConfigProperty,
  Level,
  ResourceRule,
  Rule,
  RuleConfig,
  StackResourceView,
  StackRule,
} from "./rules";
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
 * and parents as URNs. Cached twice: per resources array, and for the most recent list whose props
 * objects are the very same ones (with ./sdk-memo installed, every stack policy of one request gets
 * the same props objects, so all of them share one set of views and so one stack index).
 */
const viewCache = new WeakMap<readonly PolicyResource[], StackResourceView[]>();
let lastRequest: { raws: unknown[]; urns: string[]; views: StackResourceView[] } | undefined;

function sameRequest(raws: unknown[], urns: string[]): StackResourceView[] | undefined {
  const last = lastRequest;
  if (!last || last.raws.length !== raws.length || raws.length === 0) return undefined;
  for (let i = 0; i < raws.length; i++) {
    if (last.raws[i] !== raws[i] || last.urns[i] !== urns[i]) return undefined;
  }
  return last.views;
}

export function toStackViews(resources: readonly PolicyResource[]): StackResourceView[] {
  const hit = viewCache.get(resources);
  if (hit) return hit;
  const raws = resources.map((r) => unwrap(r.props));
  const urns = resources.map((r) => r.urn);
  const views = sameRequest(raws, urns) ?? buildViews(resources, raws);
  viewCache.set(resources, views);
  lastRequest = { raws, urns, views };
  return views;
}

function buildViews(resources: readonly PolicyResource[], raws: unknown[]): StackResourceView[] {
  return resources.map((r, i) => {
    const deps = new Set<string>();
    for (const d of r.dependencies ?? []) if (d && typeof d.urn === "string") deps.add(d.urn);
    for (const list of Object.values(r.propertyDependencies ?? {})) {
      for (const d of list ?? []) if (d && typeof d.urn === "string") deps.add(d.urn);
    }
    const raw = raws[i];
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
 * Lets one stack policy of an AnalyzeStack request evaluate every stack rule on the shared index, and
 * the policy SDK pass over the others. Only policies/sdk-hooks.ts drives it: `begin`/`end` at the SDK's
 * request boundaries, `configured` with the levels of each Configure request. Without the hooks
 * `active` stays false and every stack policy runs on its own, as the SDK intends.
 *
 * - With the configured levels known, the first stack policy that runs reports the other stack rules'
 *   violations under their own names and levels (the SDK's documented object form of reportViolation),
 *   and all of them are skipped.
 * - Without them, only rules that found nothing are skipped; rules with violations run themselves.
 *
 * Stack rules have no config of their own, so a rule's result does not depend on which policy asked.
 * A skip is consumed on first read, so it affects only that request's AnalyzeStack loop; overlapping
 * requests, or one that never answered, turn sharing off until the next clean `begin`.
 */
export class SharedStackEvaluation {
  private active = false;
  private evaluated = false;
  private handled: Set<string> | undefined;
  private levels: Map<string, Level> | undefined;

  /** An AnalyzeStack request starts. A second start before an end means overlap: share nothing. */
  begin(): void {
    this.handled = undefined;
    this.evaluated = false;
    this.active = !this.active;
  }

  /** A request (AnalyzeStack, or an overlapping Analyze) answered. */
  end(): void {
    this.active = false;
    this.evaluated = false;
    this.handled = undefined;
  }

  /** The enforcement levels of the latest Configure request, policy name → level. */
  configured(levels: Map<string, Level>): void {
    this.levels = levels;
  }

  /** Whether this caller is the first stack policy to run in the current request. */
  claim(): boolean {
    if (!this.active || this.evaluated) return false;
    this.evaluated = true;
    return true;
  }

  /** The level the SDK will apply to a stack rule, or undefined when it cannot be known. */
  levelOf(rule: StackRule, configuredOnly: boolean): Level | undefined {
    if (!this.levels) return configuredOnly ? undefined : rule.enforcementLevel;
    return this.levels.get(rule.id) ?? rule.enforcementLevel;
  }

  /** Inside an AnalyzeStack request that shares its evaluation. */
  get isActive(): boolean {
    return this.active;
  }

  /** Records the rules the claiming policy has already handled in the current request. */
  record(handled: Set<string>): void {
    if (this.active) this.handled = handled;
  }

  /** True once, when `id` was handled in the current request (so the SDK may pass over it). */
  skip(id: string): boolean {
    return this.active && this.handled !== undefined && this.handled.delete(id);
  }
}

export const sharedStackEvaluation = new SharedStackEvaluation();

/** The SDK's object form of reportViolation (server.js makeReportViolationFun), for another policy's name. */
interface ViolationFor {
  name: string;
  message: string;
  urn?: string;
  description: string;
  enforcementLevel: Level;
  severity: "high" | "medium";
}

function severityOf(rule: Rule): "high" | "medium" {
  return rule.enforcementLevel === "mandatory" ? "high" : "medium";
}

function toStackPolicy(
  rule: StackRule,
  stackRules: readonly StackRule[],
  shared: SharedStackEvaluation,
): StackValidationPolicy {
  const validateStack = (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const views = toStackViews(args.resources);
    if (shared.claim()) {
      // The index is shared, so evaluating the other stack rules here costs little and spares the SDK
      // a full rebuild of the resource list for each of them.
      const handled = new Set<string>();
      for (const other of stackRules) {
        if (other === rule || Object.keys(other.config).length > 0) continue;
        const found = other.check(views, defaultConfig(other));
        const level = shared.levelOf(other, true);
        if (level === "disabled") continue;
        if (level !== undefined) {
          for (const v of found) {
            const report: ViolationFor = {
              name: other.id,
              // The string form prefixes the description; keep messages identical either way.
              message: `${other.description}\n${v.message}`,
              description: other.description,
              enforcementLevel: level === "remediate" ? "mandatory" : level,
              severity: severityOf(other),
            };
            if (v.urn !== undefined) report.urn = v.urn;
            (reportViolation as unknown as (r: ViolationFor) => void)(report);
          }
          handled.add(other.id);
        } else if (found.length === 0) {
          handled.add(other.id);
        }
      }
      shared.record(handled);
    }
    for (const v of rule.check(views, configOf(rule, args.getConfig))) reportViolation(v.message, v.urn);
  };
  const policy = { ...common(rule), validateStack } as StackValidationPolicy;
  // The SDK decides "is this a stack policy?" by reading validateStack; answering undefined once makes
  // its AnalyzeStack loop pass over a policy already handled in this request.
  Object.defineProperty(policy, "validateStack", {
    enumerable: true,
    configurable: true,
    get: () => (shared.skip(rule.id) ? undefined : validateStack),
  });
  return policy;
}

/** The catalogue as CrossGuard policies, in catalogue order. */
export function toPolicies(
  rules: readonly Rule[],
  shared: SharedStackEvaluation = sharedStackEvaluation,
): Policies {
  const stackRules = rules.filter((r): r is StackRule => r.kind === "stack");
  return rules.map((r) =>
    r.kind === "resource" ? toResourcePolicy(r) : toStackPolicy(r, stackRules, shared),
  );
}
