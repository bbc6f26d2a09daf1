// Long-term backup: vaulted backups of the server in an Azure Backup (Data Protection) vault, for
// retention beyond the server's 35 days and behind a separate security boundary (the vault's own
// immutability, soft delete and RBAC). Off by default.
//
// What Azure needs, and where it is written (read 2026-11-30):
// - Vaulted backup for PostgreSQL flexible server, weekly or daily full backups to the vault store,
//   retention up to 10 years: https://learn.microsoft.com/azure/backup/backup-azure-database-postgresql-flex-overview
// - The vault's managed identity needs "PostgreSQL Flexible Server Long Term Retention Backup Role" on
//   the server and "Reader" on the server's resource group (Az.DataProtection manifest
//   AzureDatabaseForPGFlexServer.json: datasourcePermissions / datasourceRGPermissions,
//   https://www.powershellgallery.com/packages/Az.DataProtection; role GUID c088a766-… from
//   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/databases).
// - Policy: datasource type Microsoft.DBforPostgreSQL/flexibleServers, data store VaultStore only,
//   backup type "Full", schedule as an ISO 8601 repeating interval (same manifest, policySettings).
// - Immutability and soft delete: policies/rules/backup-vault.ts (rules backup-vault-immutability and
//   backup-vault-soft-delete), which the vault here always satisfies.

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as dataprotection from "@pulumi/azure-native/dataprotection";
import { BACKUP_SOFT_DELETE_MAX_DAYS, BACKUP_SOFT_DELETE_MIN_DAYS } from "../../policies/rules/backup-vault";

/** Role definition GUIDs the vault's identity needs. */
export const BACKUP_ROLES = {
  /** "PostgreSQL Flexible Server Long Term Retention Backup Role", on the server. */
  longTermRetentionBackup: "c088a766-074b-43ba-90d4-1fb21feae531",
  /** "Reader", on the server's resource group. */
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

const DATASOURCE_TYPE = "Microsoft.DBforPostgreSQL/flexibleServers";

import { BackupDay, BackupImmutability, type LongTermBackupArgs } from "./args";
export { BackupDay, BackupImmutability, type LongTermBackupArgs };

/** Long-term backup settings with every default applied. */
export interface ResolvedLongTermBackup {
  vaultName: string;
  backupDay: BackupDay;
  backupHourUtc: number;
  retentionMonths: number;
  immutability: BackupImmutability;
  softDeleteRetentionDays: number;
  geoRedundant: boolean;
}

const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{0,48}[A-Za-z0-9]$/;

function range(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new Error(
      `\`${field}\` ${JSON.stringify(v)} is out of range; use a whole number from ${min} to ${max}.`,
    );
  }
  return v;
}

/** Validates `longTermBackup` and applies the defaults. Throws naming the field, the value and what is allowed. */
export function resolveLongTermBackup(
  component: string,
  args: LongTermBackupArgs,
  field = "longTermBackup",
): ResolvedLongTermBackup {
  const vaultName = args.vaultName ?? `${component}-bv`;
  if (!VAULT_NAME.test(vaultName) || vaultName.includes("--")) {
    throw new Error(
      `\`${field}.vaultName\` ${JSON.stringify(vaultName)} is not a Backup vault name; use 2-50 letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
    );
  }
  const backupDay = args.backupDay ?? "Sunday";
  if (!(Object.values(BackupDay) as string[]).includes(backupDay)) {
    throw new Error(
      `\`${field}.backupDay\` ${JSON.stringify(backupDay)} is not a day; use one of ${Object.values(BackupDay).join(", ")}.`,
    );
  }
  const immutability = args.immutability ?? "Unlocked";
  if (!(Object.values(BackupImmutability) as string[]).includes(immutability)) {
    throw new Error(
      `\`${field}.immutability\` ${JSON.stringify(immutability)} is not allowed; use "Unlocked" or "Locked" (a vault without immutability lets recovery points be deleted early).`,
    );
  }
  const softDeleteRetentionDays = args.softDeleteRetentionDays ?? BACKUP_SOFT_DELETE_MIN_DAYS;
  if (
    typeof softDeleteRetentionDays !== "number" ||
    !Number.isInteger(softDeleteRetentionDays) ||
    softDeleteRetentionDays < BACKUP_SOFT_DELETE_MIN_DAYS ||
    softDeleteRetentionDays > BACKUP_SOFT_DELETE_MAX_DAYS
  ) {
    throw new Error(
      `\`${field}.softDeleteRetentionDays\` ${JSON.stringify(softDeleteRetentionDays)} is out of range; use a whole number from ${BACKUP_SOFT_DELETE_MIN_DAYS} to ${BACKUP_SOFT_DELETE_MAX_DAYS}.`,
    );
  }
  const geoRedundant = args.geoRedundant ?? true;
  if (typeof geoRedundant !== "boolean") {
    throw new Error(
      `\`${field}.geoRedundant\` ${JSON.stringify(geoRedundant)} is not a boolean; use true or false.`,
    );
  }
  return {
    vaultName,
    backupDay,
    backupHourUtc: range(`${field}.backupHourUtc`, args.backupHourUtc ?? 2, 0, 23),
    retentionMonths: range(`${field}.retentionMonths`, args.retentionMonths ?? 12, 1, 120),
    immutability,
    softDeleteRetentionDays,
    geoRedundant,
  };
}

/** 2026-01-04 is a Sunday: the anchor of the weekly repeating interval. */
const ANCHOR_SUNDAY = Date.UTC(2026, 0, 4);

/** The ISO 8601 repeating interval of the weekly backup, e.g. `R/2026-01-04T02:00:00+00:00/P1W`. */
export function weeklyInterval(day: BackupDay, hourUtc: number): string {
  const offset = Object.values(BackupDay).indexOf(day);
  const d = new Date(ANCHOR_SUNDAY + offset * 86_400_000);
  const date = d.toISOString().slice(0, 10);
  return `R/${date}T${String(hourUtc).padStart(2, "0")}:00:00+00:00/P1W`;
}

/** `azure-native:dataprotection:BackupVault` inputs. */
export function backupVaultInputs(
  s: ResolvedLongTermBackup,
  resourceGroupName: pulumi.Input<string>,
  location: pulumi.Input<string> | undefined,
  tags: Record<string, string> | undefined,
): dataprotection.BackupVaultArgs {
  return {
    vaultName: s.vaultName,
    resourceGroupName,
    location,
    tags,
    identity: { type: "SystemAssigned" },
    properties: {
      storageSettings: [
        { datastoreType: "VaultStore", type: s.geoRedundant ? "GeoRedundant" : "ZoneRedundant" },
      ],
      featureSettings: {
        // Restores into another subscription are a path around the server's own controls.
        crossSubscriptionRestoreSettings: { state: "Disabled" },
        ...(s.geoRedundant ? { crossRegionRestoreSettings: { state: "Enabled" } } : {}),
      },
      securitySettings: {
        immutabilitySettings: { state: s.immutability },
        softDeleteSettings: { state: "On", retentionDurationInDays: s.softDeleteRetentionDays },
      },
    },
  };
}

/** `azure-native:dataprotection:BackupPolicy` inputs: weekly full backups to the vault store, kept `retentionMonths`. */
export function backupPolicyInputs(
  s: ResolvedLongTermBackup,
  resourceGroupName: pulumi.Input<string>,
  vaultName: pulumi.Input<string>,
  policyName: string,
): dataprotection.BackupPolicyArgs {
  const vaultStore = { dataStoreType: "VaultStore", objectType: "DataStoreInfoBase" };
  return {
    backupPolicyName: policyName,
    resourceGroupName,
    vaultName,
    properties: {
      objectType: "BackupPolicy",
      datasourceTypes: [DATASOURCE_TYPE],
      policyRules: [
        {
          name: "BackupWeekly",
          objectType: "AzureBackupRule",
          backupParameters: { objectType: "AzureBackupParams", backupType: "Full" },
          dataStore: vaultStore,
          trigger: {
            objectType: "ScheduleBasedTriggerContext",
            schedule: {
              repeatingTimeIntervals: [weeklyInterval(s.backupDay, s.backupHourUtc)],
              timeZone: "UTC",
            },
            taggingCriteria: [{ isDefault: true, tagInfo: { tagName: "Default" }, taggingPriority: 99 }],
          },
        },
        {
          name: "Default",
          objectType: "AzureRetentionRule",
          isDefault: true,
          lifecycles: [
            {
              deleteAfter: { objectType: "AbsoluteDeleteOption", duration: `P${s.retentionMonths}M` },
              sourceDataStore: vaultStore,
            },
          ],
        },
      ],
    },
  };
}

/** `azure-native:dataprotection:BackupInstance` inputs protecting the server with the policy. */
export function backupInstanceInputs(
  resourceGroupName: pulumi.Input<string>,
  vaultName: pulumi.Input<string>,
  instanceName: string,
  server: {
    id: pulumi.Input<string>;
    name: pulumi.Input<string>;
    location: pulumi.Input<string> | undefined;
  },
  policyId: pulumi.Input<string>,
): dataprotection.BackupInstanceArgs {
  const source = (objectType: string) => ({
    objectType,
    datasourceType: DATASOURCE_TYPE,
    resourceType: DATASOURCE_TYPE,
    resourceID: server.id,
    resourceUri: server.id,
    resourceName: server.name,
    resourceLocation: server.location,
  });
  return {
    backupInstanceName: instanceName,
    resourceGroupName,
    vaultName,
    properties: {
      objectType: "BackupInstance",
      friendlyName: instanceName,
      dataSourceInfo: source("Datasource"),
      dataSourceSetInfo: source("DatasourceSet"),
      policyInfo: { policyId },
    },
  };
}

/** What {@link createLongTermBackup} made. */
export interface LongTermBackup {
  vault: dataprotection.BackupVault;
  policy: dataprotection.BackupPolicy;
  instance: dataprotection.BackupInstance;
  roleAssignments: authorization.RoleAssignment[];
}

function roleId(scopeId: pulumi.Input<string>, guid: string): pulumi.Output<string> {
  return pulumi.output(scopeId).apply((id) => {
    const sub = /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
    return `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  });
}

/**
 * The vault (`<name>-bv`), its policy (`<name>-bv-policy`), the two role assignments its identity needs
 * (`<name>-bv-ltr-role` on the server, `<name>-bv-reader` on the resource group) and the backup
 * instance (`<name>-bv-instance`), which waits for both assignments: Azure checks them when it
 * configures protection. Every resource is a child through `opts`.
 */
export function createLongTermBackup(
  component: string,
  s: ResolvedLongTermBackup,
  target: {
    resourceGroupName: pulumi.Input<string>;
    resourceGroupId: pulumi.Input<string>;
    location: pulumi.Input<string> | undefined;
    tags?: Record<string, string>;
    serverId: pulumi.Input<string>;
    serverName: pulumi.Input<string>;
  },
  opts: pulumi.CustomResourceOptions,
): LongTermBackup {
  const vault = new dataprotection.BackupVault(
    `${component}-bv`,
    backupVaultInputs(s, target.resourceGroupName, target.location, target.tags),
    opts,
  );
  const policy = new dataprotection.BackupPolicy(
    `${component}-bv-policy`,
    backupPolicyInputs(s, target.resourceGroupName, vault.name, `${component}-weekly`),
    opts,
  );
  const principalId = vault.identity.apply((i) => i?.principalId ?? "");
  const assign = (name: string, scope: pulumi.Input<string>, guid: string, why: string) =>
    new authorization.RoleAssignment(
      name,
      {
        principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleId(scope, guid),
        scope,
        description: why,
      },
      opts,
    );
  const roleAssignments = [
    assign(
      `${component}-bv-ltr-role`,
      target.serverId,
      BACKUP_ROLES.longTermRetentionBackup,
      "Backup vault: long-term retention backups of the PostgreSQL server (zero-trust-azure-postgres).",
    ),
    assign(
      `${component}-bv-reader`,
      target.resourceGroupId,
      BACKUP_ROLES.reader,
      "Backup vault: read the PostgreSQL server's resource group (zero-trust-azure-postgres).",
    ),
  ];
  const instance = new dataprotection.BackupInstance(
    `${component}-bv-instance`,
    backupInstanceInputs(
      target.resourceGroupName,
      vault.name,
      `${component}-pg`,
      { id: target.serverId, name: target.serverName, location: target.location },
      policy.id,
    ),
    { ...opts, dependsOn: roleAssignments },
  );
  return { vault, policy, instance, roleAssignments };
}
