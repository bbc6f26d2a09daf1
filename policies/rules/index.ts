// The zero-trust rule catalogue: one list, three callers (the CrossGuard pack, the component, the
// docs generator). Pure: importing this file starts nothing and imports no Pulumi package.

import { BACKUP_VAULT_RULES } from "./backup-vault";
import { AZUREAD_RULES, AZUREAD_STACK_RULES } from "./azuread";
import { FIREWALL_RULES } from "./firewall";
import { KEYVAULT_RULES } from "./keyvault";
import { PARAMETER_RULES } from "./parameters";
import { POSTGRES_RULES } from "./postgres";
import { RBAC_RULES } from "./rbac";
import { SINGLE_SERVER_RULES } from "./single-server";
import { STACK_RULE_LIST } from "./stack";
import type {
  Level,
  ResourceRule,
  ResourceView,
  Rule,
  RuleConfig,
  StackResourceView,
  StackRule,
} from "./types";

export type {
  ConfigProperty,
  Level,
  ResourceRule,
  ResourceView,
  Rule,
  RuleConfig,
  RuleReferences,
  StackResourceView,
  StackRule,
  StackViolation,
} from "./types";
export { TOKENS, isType, tokensOf } from "./tokens";
export { indexStack } from "./stack";

/** Every resource rule, grouped by service. */
export const RESOURCE_RULES: readonly ResourceRule[] = [
  ...POSTGRES_RULES,
  ...PARAMETER_RULES,
  ...FIREWALL_RULES,
  ...KEYVAULT_RULES,
  ...SINGLE_SERVER_RULES,
  ...RBAC_RULES,
  ...BACKUP_VAULT_RULES,
  ...AZUREAD_RULES,
];

/** Every stack rule. */
export const STACK_RULES: readonly StackRule[] = [...STACK_RULE_LIST, ...AZUREAD_STACK_RULES];

/** Every rule, resource rules first. Ids are unique (tests/policies/catalogue.test.ts). */
export const RULES: readonly Rule[] = [...RESOURCE_RULES, ...STACK_RULES];

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this id; throws for an unknown id (a typo in a waiver or override should fail loudly). */
export function getRule(id: string): Rule {
  const rule = BY_ID.get(id);
  if (!rule)
    throw new Error(`Unknown zero-trust rule id "${id}". Known ids: ${[...BY_ID.keys()].join(", ")}.`);
  return rule;
}

/** The rule's config with every schema default applied. The schema is the only place defaults live. */
export function defaultConfig(rule: Rule): RuleConfig {
  const out: RuleConfig = {};
  for (const [key, prop] of Object.entries(rule.config)) {
    if (prop.default !== undefined) out[key] = Array.isArray(prop.default) ? [...prop.default] : prop.default;
  }
  return out;
}

/** Per-rule overrides: an enforcement level and/or config values (e.g. a waiver). */
export type RuleOverrides = Record<string, { enforcementLevel?: Level } & RuleConfig>;

/** Resolves a rule's level and config from its defaults and an override entry. */
export function resolveRule(rule: Rule, overrides?: RuleOverrides): { level: Level; config: RuleConfig } {
  const o =
    overrides && Object.prototype.hasOwnProperty.call(overrides, rule.id) ? overrides[rule.id] : undefined;
  const { enforcementLevel, ...config } = o ?? {};
  const level: Level = isLevel(enforcementLevel) ? enforcementLevel : rule.enforcementLevel;
  return { level, config: { ...defaultConfig(rule), ...config } };
}

function isLevel(v: unknown): v is Level {
  return v === "advisory" || v === "mandatory" || v === "remediate" || v === "disabled";
}

/** One violation as the component and the CLI report it. */
export interface Violation {
  ruleId: string;
  level: Level;
  message: string;
  urn?: string;
}

/** Runs every resource rule that covers `view.type` (skipping disabled ones) and returns the violations. */
export function evaluateResource(view: ResourceView, overrides?: RuleOverrides): Violation[] {
  const out: Violation[] = [];
  for (const rule of RESOURCE_RULES) {
    if (!rule.resourceTypes.includes(view.type)) continue;
    const { level, config } = resolveRule(rule, overrides);
    if (level === "disabled") continue;
    for (const message of rule.check(view, config)) out.push({ ruleId: rule.id, level, message });
  }
  return out;
}

/** Runs every enabled stack rule over the resources (sharing one index) and returns the violations. */
export function evaluateStack(
  resources: readonly StackResourceView[],
  overrides?: RuleOverrides,
): Violation[] {
  const out: Violation[] = [];
  for (const rule of STACK_RULES) {
    const resolved = resolveRule(rule, overrides);
    if (resolved.level === "disabled") continue;
    // Stack policies cannot remediate; the SDK runs them as mandatory, and so do we.
    const level: Level = resolved.level === "remediate" ? "mandatory" : resolved.level;
    for (const v of rule.check(resources, resolved.config)) {
      out.push(
        v.urn === undefined
          ? { ruleId: rule.id, level, message: v.message }
          : { ruleId: rule.id, level, message: v.message, urn: v.urn },
      );
    }
  }
  return out;
}
