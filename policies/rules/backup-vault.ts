// Azure Backup (Data Protection) vault rules: the vault that holds a server's long-term backups is a
// separate security boundary only if its recovery points cannot be deleted early.
//
// Sources (read 2026-11-30):
// - Immutable vaults (Disabled, Unlocked = enabled and reversible, Locked = irreversible):
//   https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept
// - Soft delete for Backup vaults (On by default on new vaults, 14-180 days, AlwaysOn irreversible):
//   https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud
// - ARM: Microsoft.DataProtection/backupVaults@2025-01-01 properties.securitySettings
//   (../shared/reference/azure-arm-types/trees/dataprotection-2025-01-01.txt); azurerm
//   `azurerm_data_protection_backup_vault` arguments `immutability`, `soft_delete`,
//   `retention_duration_in_days`.

import { SEED_000, policyLink } from "./refs";

/** Azure Policy built-ins for Backup vaults (../shared/reference/azure-policy-builtins/INDEX.tsv). */
const POLICY_IMMUTABILITY = "2514263b-bc0d-4b06-ac3e-f262c0979018";
const POLICY_SOFT_DELETE = "9798d31d-6028-4dee-8643-46102185c016";
import { TOKENS, isClassic } from "./tokens";
import type { ResourceRule } from "./types";
import { cfg, eqi, get, isUnknown, lower, num, show, covers } from "./util";

/** Fewest soft-delete retention days Azure allows on a Backup vault (and its default). */
export const BACKUP_SOFT_DELETE_MIN_DAYS = 14;
/** Most soft-delete retention days Azure allows on a Backup vault. */
export const BACKUP_SOFT_DELETE_MAX_DAYS = 180;

function lead(rule: { description: string }): string {
  return rule.description.replace(/\.$/, "");
}

export const backupVaultImmutability: ResourceRule<"backup-vault-immutability"> = {
  kind: "resource",
  id: "backup-vault-immutability",
  title: "Backup vault immutability",
  description: "Backup vaults must be immutable, so recovery points cannot be deleted before they expire.",
  enforcementLevel: "mandatory",
  resourceTypes: TOKENS.backupVault,
  config: {
    requireLocked: {
      type: "boolean",
      description:
        'Require "Locked" (irreversible) instead of accepting "Unlocked" (enabled, can still be switched off).',
      default: false,
    },
  },
  remediation:
    'Set properties.securitySettings.immutabilitySettings.state to "Unlocked" (or "Locked" once the retention is final); classic: immutability = "Unlocked" or "Locked".',
  references: {
    comparison:
      'Weaker by default than Azure Policy 2514263b, whose `checkLockedImmutabiltyOnly` defaults to true (only "Locked" counts): ours accepts "Unlocked" unless `requireLocked` is true, which matches the built-in, because a Locked vault can never be unlocked.',
    seed: SEED_000.backups,
    azurePolicyId: POLICY_IMMUTABILITY,
    mcsb: "BR-2",
    links: [
      "https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept",
      policyLink(POLICY_IMMUTABILITY),
    ],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/dataprotection/resource-manager/Microsoft.DataProtection/stable/2025-01-01/dataprotection.json `ImmutabilitySettings.state` (no default; enum Disabled, Unlocked, Locked)",
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept (immutable vault is a setting a vault owner turns on; a new vault has it off)",
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/data_protection_backup_vault (`immutability` defaults to `Disabled`)",
    },
  ],
  unsetMeans: 'An unset immutability state means "Disabled" (the ARM and azurerm default) and is flagged.',
  check(view, config) {
    if (!covers(backupVaultImmutability, view)) return [];
    const classic = isClassic(view.type);
    const path = classic ? "immutability" : "properties.securitySettings.immutabilitySettings.state";
    const v = classic
      ? get(view.props, "immutability")
      : get(view.props, "properties", "securitySettings", "immutabilitySettings", "state");
    if (isUnknown(v)) return [];
    const requireLocked = cfg(backupVaultImmutability, config, "requireLocked") === true;
    if (eqi(v, "Locked") || (!requireLocked && eqi(v, "Unlocked"))) return [];
    const unset = v === undefined || v === null ? ' (unset means "Disabled")' : "";
    const target = requireLocked ? '"Locked"' : '"Unlocked" or "Locked"';
    return [`${lead(backupVaultImmutability)}: ${path} is ${show(v)}${unset}. Set ${path} to ${target}.`];
  },
};

export const backupVaultSoftDelete: ResourceRule<"backup-vault-soft-delete"> = {
  kind: "resource",
  id: "backup-vault-soft-delete",
  title: "Backup vault soft delete",
  description: "Backup vaults must keep soft delete on, so deleted backups can be recovered.",
  enforcementLevel: "mandatory",
  resourceTypes: TOKENS.backupVault,
  config: {
    minimumRetentionDays: {
      type: "integer",
      description: "Fewest days soft-deleted backups are kept (Azure allows 14-180).",
      default: BACKUP_SOFT_DELETE_MIN_DAYS,
      minimum: BACKUP_SOFT_DELETE_MIN_DAYS,
      maximum: BACKUP_SOFT_DELETE_MAX_DAYS,
    },
  },
  remediation:
    'Set properties.securitySettings.softDeleteSettings.state to "On" or "AlwaysOn" with retentionDurationInDays of at least the minimum; classic: soft_delete = "On" or "AlwaysOn".',
  references: {
    comparison:
      'Weaker than Azure Policy 9798d31d, whose `checkAlwaysOnSoftDeleteOnly` defaults to true (only "AlwaysOn" counts): ours accepts "On", which can still be switched off; the retention floor is Azure\'s own minimum (14 days), which the built-in does not check.',
    seed: SEED_000.backups,
    azurePolicyId: POLICY_SOFT_DELETE,
    mcsb: "BR-2",
    links: [
      "https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud",
      policyLink(POLICY_SOFT_DELETE),
    ],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/dataprotection/resource-manager/Microsoft.DataProtection/stable/2025-01-01/dataprotection.json `SoftDeleteSettings.state` and `retentionDurationInDays` (no default)",
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/backup/backup-azure-enhanced-soft-delete-about (soft delete is on by default for new vaults, 14 days retention)",
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/data_protection_backup_vault (`soft_delete` defaults to `On`, `retention_duration_in_days` to 14)",
    },
  ],
  unsetMeans:
    'An unset soft-delete state means "On" with 14 days (Azure\'s default for new vaults) and passes; "Off" is flagged, and so is a declared retention below the minimum.',
  check(view, config) {
    if (!covers(backupVaultSoftDelete, view)) return [];
    const classic = isClassic(view.type);
    const statePath = classic ? "softDelete" : "properties.securitySettings.softDeleteSettings.state";
    const daysPath = classic
      ? "retentionDurationInDays"
      : "properties.securitySettings.softDeleteSettings.retentionDurationInDays";
    const state = classic
      ? get(view.props, "softDelete")
      : get(view.props, "properties", "securitySettings", "softDeleteSettings", "state");
    const days = classic
      ? get(view.props, "retentionDurationInDays")
      : get(view.props, "properties", "securitySettings", "softDeleteSettings", "retentionDurationInDays");
    const out: string[] = [];
    if (!isUnknown(state) && lower(state) === "off") {
      out.push(
        `${lead(backupVaultSoftDelete)}: ${statePath} is ${show(state)}. Set ${statePath} to "On" or "AlwaysOn".`,
      );
    }
    const min = cfg(backupVaultSoftDelete, config, "minimumRetentionDays") as number;
    const n = num(days);
    if (days !== undefined && days !== null && !isUnknown(days) && (n === undefined || n < min)) {
      out.push(
        `${lead(backupVaultSoftDelete)} (${min} days): ${daysPath} is ${show(days)}. Set ${daysPath} to ${min} or more.`,
      );
    }
    return out;
  },
};

export const BACKUP_VAULT_RULES = [backupVaultImmutability, backupVaultSoftDelete] as const;
