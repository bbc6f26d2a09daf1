// The zero-trust rule catalogue: one list, three callers (the CrossGuard pack, the component, the
// docs generator). Pure: importing this file starts nothing and imports no Pulumi package.

import { BACKUP_VAULT_RULES } from "./backup-vault";
import { AZUREAD_RULES, AZUREAD_STACK_RULES } from "./azuread";
import { CMK_VAULT_STACK_RULES } from "./cmk-vault";
import { EFFECTIVE_STACK_RULES } from "./effective";
import { FIREWALL_RULES } from "./firewall";
import { KEYVAULT_RULES } from "./keyvault";
import { PARAMETER_RULES } from "./parameters";
import { POSTGRES_RULES } from "./postgres";
import { RBAC_RULES } from "./rbac";
import { SINGLE_SERVER_RULES } from "./single-server";
import { STACK_RULE_LIST } from "./stack";
import { WORKSPACE_STACK_RULES } from "./workspace";
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
export {
  BACKUP_RETENTION_DAYS,
  CIS_MIN_LOG_RETENTION_DAYS,
  DEFAULT_EC_CURVES,
  DEFAULT_FIREWALL_PREFIX_LENGTH,
  DEFAULT_MIN_BACKUP_RETENTION_DAYS,
  DEFAULT_MIN_LOG_RETENTION_DAYS,
  DEFAULT_MIN_RSA_KEY_SIZE,
  DEFAULT_PGAUDIT_LOG,
  DEFAULT_TLS_VERSION,
  EC_CURVES,
  FIREWALL_PREFIX_LENGTH,
  LOG_RETENTION_DAYS,
  PGAUDIT_AZURE_CLASSES,
  PGAUDIT_CLASSES,
  PGAUDIT_REQUIRED_CLASSES,
  RSA_KEY_SIZES,
  TLS_VERSIONS,
  missingPgauditClasses,
  pgauditAzureRefusal,
  pgauditEffectiveClasses,
  type PgauditClass,
  type PgauditEffect,
  type RsaKeySize,
  type TlsVersion,
} from "./thresholds";
export { pgauditLogProblem } from "./parameters";
export { firewallUnionProblem, ipv4Runs } from "./firewall";
export { indexStack } from "./stack";

// Registering a rule: add it to one of the lists below. Declare it with its literal id
// (`ResourceRule<"my-rule-id">` / `StackRule<"my-rule-id">`): `RuleId` is derived from these lists, and
// the compile-time check under `RuleId` fails when a rule's id is a plain `string`.

const RESOURCE_RULE_LIST = [
  ...POSTGRES_RULES,
  ...PARAMETER_RULES,
  ...FIREWALL_RULES,
  ...KEYVAULT_RULES,
  ...SINGLE_SERVER_RULES,
  ...RBAC_RULES,
  ...BACKUP_VAULT_RULES,
  ...AZUREAD_RULES,
] as const satisfies readonly ResourceRule[];

const STACK_RULE_LIST_ALL = [
  ...STACK_RULE_LIST,
  ...EFFECTIVE_STACK_RULES,
  ...CMK_VAULT_STACK_RULES,
  ...AZUREAD_STACK_RULES,
  ...WORKSPACE_STACK_RULES,
] as const satisfies readonly StackRule[];

/**
 * The id of a rule in the catalogue: a union of string literals, so code that names a rule (the
 * component's binding, tests) is checked by the compiler and a renamed rule is a compile error.
 */
export type RuleId = (typeof RESOURCE_RULE_LIST)[number]["id"] | (typeof STACK_RULE_LIST_ALL)[number]["id"];

// Fails to compile when a registered rule widens `RuleId` to `string` (declared without its literal id).
const RULE_ID_IS_A_UNION_OF_LITERALS: string extends RuleId ? never : true = true;
void RULE_ID_IS_A_UNION_OF_LITERALS;

/** Every resource rule, grouped by service. */
export const RESOURCE_RULES: readonly ResourceRule<RuleId>[] = RESOURCE_RULE_LIST;

/** Every stack rule. */
export const STACK_RULES: readonly StackRule<RuleId>[] = STACK_RULE_LIST_ALL;

/** Every rule, resource rules first. Ids are unique (tests/policies/catalogue.test.ts). */
export const RULES: readonly Rule<RuleId>[] = [...RESOURCE_RULES, ...STACK_RULES];

/** Every rule id, in catalogue order. */
export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

const BY_ID: ReadonlyMap<string, Rule<RuleId>> = new Map(RULES.map((r) => [r.id, r]));

/** True when `id` names a rule of the catalogue (for ids read from config files and the command line). */
export function isRuleId(id: unknown): id is RuleId {
  return typeof id === "string" && BY_ID.has(id);
}

/**
 * The rule with this id. The type makes a typo a compile error; an id that comes from outside (a config
 * file) is checked with {@link isRuleId} first, and an unknown one still throws here.
 */
export function getRule(id: RuleId): Rule<RuleId> {
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
export function resolveRule(
  rule: Rule<string>,
  overrides?: RuleOverrides,
): { level: Level; config: RuleConfig } {
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
  ruleId: RuleId;
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
