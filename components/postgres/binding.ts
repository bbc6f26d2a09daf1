// The one place in components/ that names a zero-trust rule. For each rule the component binds:
// the argument that governs it, the config the component passes to it, whether the component
// escalates an advisory rule to a refusal (and why), and whether the component's default is stricter
// than the rule's (and why). Everything else in components/ derives from this table: the pre-flight
// check (guard.ts), the "Enforced by" lines of the argument reference (scripts/gen-args-doc.ts), the
// "Component argument" column of docs/rules.md (`componentArgumentOf`), and the thresholds and enums
// the field table (fields.ts) checks, which are read from the rules' own config schemas.
//
// A rule id that does not exist is a compile error (`RuleId`), and tests/components/policy.test.ts
// checks that for each bound rule a bad value is refused by the component exactly when the pack would
// flag it at the binding's level.

import {
  BACKUP_RETENTION_DAYS,
  FIREWALL_PREFIX_LENGTH,
  getRule,
  isRuleId,
  LOG_RETENTION_DAYS,
  RSA_KEY_SIZES,
  TLS_VERSIONS,
  type Rule,
  type RuleConfig,
  type RuleId,
} from "../../policies/rules";
import { PRIVILEGED_ROLE_IDS } from "../../policies/rules/rbac";
import { BACKUP_SOFT_DELETE_MAX_DAYS, BACKUP_SOFT_DELETE_MIN_DAYS } from "../../policies/rules/backup-vault";
import type { ResolvedConfig } from "./defaults";
import { LOG_RETENTION_DAYS_RANGE } from "./parameters";

/** How the component binds one rule. */
export interface RuleBinding {
  /**
   * The argument path a user changes to change what the rule judges, e.g. `monitoring.pgauditLog`.
   * Undefined when no argument reaches it: the component always emits the compliant value.
   */
  argument?: string;
  /** The argument's current value, shown in refusals and warnings. */
  value?: (cfg: ResolvedConfig) => unknown;
  /** Config the component passes to the rule (waivers, thresholds taken from arguments). */
  config?: (cfg: ResolvedConfig) => RuleConfig | undefined;
  /**
   * Set when the rule is advisory in the pack but the component refuses a violation anyway: the
   * reason, stated once. The pack and the component then differ on purpose, and the docs say so.
   */
  escalate?: string;
  /** Set when the component's default is stricter than the rule's default threshold: why. */
  stricterDefault?: string;
  /**
   * Set when the component refuses values the rule only flags as advisory, below a floor of its own
   * (a narrower field range in fields.ts): why. Above the floor the component warns as the pack does.
   */
  floor?: string;
  /** Stack rules only: the component builds views of its own planned children and runs the rule. */
  atConstruction?: boolean;
}

/** Every rule the component binds. `satisfies` makes an unknown or renamed rule id a compile error. */
export const BINDING = {
  "postgres-no-public-network-access": {
    argument: "network.allowPublicAccess",
    value: (c) => c.network.allowPublicAccess,
    config: (c) => (c.network.allowPublicAccess ? { allowPublicAccess: true } : undefined),
  },
  "postgres-entra-only-auth": {
    argument: "allowPasswordAuth",
    value: (c) => c.allowPasswordAuth,
    config: (c) => (c.allowPasswordAuth ? { allowPasswordAuth: true } : undefined),
  },
  "postgres-cmk-encryption": { argument: "encryption" },
  "postgres-geo-backup-cmk-key": {
    argument: "encryption.geoBackupLocation",
    value: (c) => c.encryption.geo?.location,
  },
  "postgres-managed-identity": {},
  "postgres-backup-retention": {
    argument: "backup.retentionDays",
    value: (c) => c.backup.retentionDays,
    stricterDefault:
      "35 days, the most Azure keeps, so a point-in-time restore reaches as far back as Azure allows; the rule's default minimum is lower.",
  },
  "postgres-geo-redundant-backup": {
    argument: "backup.geoRedundantBackup",
    value: (c) => c.backup.geoRedundantBackup,
  },
  "postgres-ha-zone-redundant": { argument: "highAvailability", value: (c) => c.highAvailability.mode },
  "postgres-allowed-versions": { argument: "version", value: (c) => c.version },
  "postgres-secure-transport": {},
  "postgres-tls-min-version": {
    argument: "minimumTlsVersion",
    value: (c) => c.minimumTlsVersion,
    stricterDefault: "TLS 1.3, the highest floor the rule accepts; the rule's default floor is lower.",
  },
  "postgres-connection-logging": {},
  "postgres-connection-throttling": {},
  "postgres-log-retention": {
    argument: "monitoring.logRetentionDays",
    value: (c) => c.monitoring.logRetentionDays,
    floor:
      "values below CIS Azure Foundations v3.0.0 5.2.4 (more than 3 days) are refused; from there up to the rule's minimum the component warns as the pack does.",
  },
  "postgres-pgaudit-enabled": {
    argument: "monitoring.pgauditLog",
    value: (c) => c.monitoring.pgauditLog,
  },
  "firewall-no-open-ranges": {
    argument: "network.firewallRules",
    config: (c) => ({ minimumPrefixLength: c.network.firewallMinimumPrefixLength }),
  },
  // Judged at construction by validate.ts's cross-field check, with the rule's own helper.
  "firewall-total-width": {
    argument: "network.firewallRules",
    config: (c) => ({ minimumPrefixLength: c.network.firewallMinimumPrefixLength }),
  },
  "keyvault-purge-protection": {},
  "keyvault-soft-delete": {},
  "keyvault-rbac-authorization": {},
  "keyvault-network-restricted": {},
  "keyvault-key-strength": {
    argument: "encryption.keySize",
    value: (c) => `${c.encryption.keyType} ${c.encryption.keySize}`,
  },
  "keyvault-key-expiry": {
    argument: "encryption.keyExpiryDays",
    value: (c) => c.encryption.keyExpiryDays,
  },
  "keyvault-key-rotation-policy": {
    argument: "encryption.keyRotationDays",
    value: (c) => c.encryption.keyRotationDays,
  },
  "keyvault-key-hsm-backed": { argument: "encryption.keyType", value: (c) => c.encryption.keyType },
  "postgres-entra-admin": {
    argument: "administrators",
    value: (c) => c.administrators.map((a) => a.principalName),
    atConstruction: true,
  },
  "postgres-private-connectivity": { argument: "network.mode" },
  "private-endpoint-dns-zone-group": {},
  "postgres-diagnostic-settings": { argument: "monitoring.logAnalyticsWorkspaceResourceId" },
  // The effective-value rules judge what a stack leaves to Azure's defaults. The component declares
  // every parameter they read (parameters.ts), always with a value the rules accept.
  "postgres-effective-parameters": {},
  "postgres-effective-log-parameters": {},
  "keyvault-diagnostic-settings": {},
  // The component's vaults disable public access and keep the AzureServices bypass (encryption.ts).
  "keyvault-cmk-private-access": {},
  "postgres-threat-protection": {},
  "resource-delete-locks": { argument: "deleteLocks", value: (c) => c.deleteLocks },
  // The Entra rules judge the persona groups the component creates (access.ts runs the catalogue on
  // the planned groups and PIM policies before anything is created).
  "entra-pim-activation-duration": { argument: "personas[].pim.maxActivationHours" },
  "entra-pim-admin-approval": { argument: "personas[].pim.requireApproval" },
  "entra-pim-no-standing-access": {},
  // Judged on the planned role assignments at server scope (guard.ts); the waiver allows all four.
  "postgres-no-privileged-role-assignment": {
    argument: "roleAssignments/allowPrivilegedRoles",
    config: (c) =>
      c.allowPrivilegedRoles ? { allowedPrivilegedRoles: Object.values(PRIVILEGED_ROLE_IDS) } : undefined,
  },
  // Judged on the planned Backup vault (guard.ts); the component's choices always pass.
  "backup-vault-immutability": {
    argument: "longTermBackup.immutability",
    value: (c) => c.longTermBackup?.immutability,
  },
  "backup-vault-soft-delete": {
    argument: "longTermBackup.softDeleteRetentionDays",
    value: (c) => c.longTermBackup?.softDeleteRetentionDays,
  },
  "log-analytics-audit-retention": {
    argument: "monitoring.workspaceRetentionDays",
    value: (c) => c.monitoring.workspaceRetentionDays,
  },
} satisfies Partial<Record<RuleId, RuleBinding>>;

/** The rule a CanNotDelete lock serves, named in the lock's notes. */
export const DELETE_LOCK_RULE: BoundRuleId = "resource-delete-locks";

/** The rule that judges the union of a server's firewall ranges, named in validate.ts's refusal. */
export const FIREWALL_UNION_RULE: BoundRuleId = "firewall-total-width";

/** The ids of every bound rule. */
export type BoundRuleId = keyof typeof BINDING;

/** The binding of a rule, or undefined when the component does not bind it. */
export function bindingOf(id: string): RuleBinding | undefined {
  return Object.prototype.hasOwnProperty.call(BINDING, id)
    ? (BINDING as Record<string, RuleBinding>)[id]
    : undefined;
}

/** Every binding with its rule, in binding order. */
export function bindings(): { rule: Rule; binding: RuleBinding }[] {
  return (Object.entries(BINDING) as [BoundRuleId, RuleBinding][]).map(([id, binding]) => ({
    rule: getRule(id),
    binding,
  }));
}

/**
 * Whether the component refuses a violation of the rule: the rule is mandatory (or remediate, which
 * would rewrite the resource behind the user's back), or the binding escalates it.
 */
export function componentRefuses(id: string): boolean {
  if (!isRuleId(id)) return false;
  const level = getRule(id).enforcementLevel;
  return level === "mandatory" || level === "remediate" || bindingOf(id)?.escalate !== undefined;
}

/** Per-rule config overrides the component passes to the catalogue. */
export function ruleConfigs(cfg: ResolvedConfig): Record<string, RuleConfig> {
  const out: Record<string, RuleConfig> = {};
  for (const [id, b] of Object.entries(BINDING) as [string, RuleBinding][]) {
    const c = b.config?.(cfg);
    if (c !== undefined) out[id] = c;
  }
  return out;
}

/**
 * For docs/rules.md: the component argument that governs a rule, as Markdown, or undefined when the
 * component does not bind the rule. Called by scripts/gen-rules-doc.ts.
 */
export function componentArgumentOf(id: string): string | undefined {
  const b = bindingOf(id);
  if (!b) return undefined;
  const arg = b.argument !== undefined ? `\`${b.argument}\`` : "always compliant";
  const notes = [
    ...(b.escalate !== undefined ? [`refused by the component: ${b.escalate}`] : []),
    ...(b.floor !== undefined ? [b.floor] : []),
    ...(b.stricterDefault !== undefined ? [`the component's default is stricter: ${b.stricterDefault}`] : []),
    ...(b.atConstruction ? ["judged on the component's planned children at construction"] : []),
  ];
  return notes.length > 0 ? `${arg} (${notes.join("; ")})` : arg;
}

/** The argument paths a binding names: `a.b/c` stands for `a.b` and `a.c`. */
function argumentPaths(argument: string): string[] {
  const [first, ...rest] = argument.split("/");
  const parent = first.includes(".") ? first.slice(0, first.lastIndexOf(".") + 1) : "";
  return [first, ...rest.map((r) => parent + r)];
}

/** For the argument reference: the rules that judge an argument path. */
export function rulesEnforcing(path: string): string[] {
  return (Object.entries(BINDING) as [string, RuleBinding][])
    .filter(([, b]) => b.argument !== undefined && argumentPaths(b.argument).includes(path))
    .map(([id]) => id);
}

// ---- Thresholds and enums, exported once by the rules (policies/rules/thresholds.ts) ------------

/** Thresholds and enums the component's argument fields use, each from the rules. */
export const LIMITS = {
  /** TLS versions offered (`minimumTlsVersion`). */
  tlsVersions: TLS_VERSIONS,
  /** RSA key sizes (`encryption.keySize`). */
  rsaKeySizes: RSA_KEY_SIZES,
  /** Days of server log files the component accepts (`monitoring.logRetentionDays`); see the floor above. */
  logRetentionDays: { min: LOG_RETENTION_DAYS_RANGE.min, max: LOG_RETENTION_DAYS.max },
  /** Backup retention days Azure offers (`backup.retentionDays`). */
  backupRetentionDays: { min: BACKUP_RETENTION_DAYS.min, max: BACKUP_RETENTION_DAYS.max },
  /** Soft-delete retention of a Backup vault (`longTermBackup.softDeleteRetentionDays`). */
  backupSoftDeleteDays: { min: BACKUP_SOFT_DELETE_MIN_DAYS, max: BACKUP_SOFT_DELETE_MAX_DAYS },
  /** Firewall minimum prefix length (`network.firewallMinimumPrefixLength`), the rule schema's range. */
  firewallPrefixLength: { min: FIREWALL_PREFIX_LENGTH.min, max: FIREWALL_PREFIX_LENGTH.max },
} as const;
