// Flexible server rules (azure-native `dbforpostgresql:Server` and classic `postgresql/flexibleServer`),
// plus the public-access check shared with the retired single server.

import { AZURE_POLICY, CIS, SEED_000, SEED_003, policyLink } from "./refs";
import { TOKENS, isClassic, isType } from "./tokens";
import { BACKUP_RETENTION_DAYS, DEFAULT_MIN_BACKUP_RETENTION_DAYS } from "./thresholds";
import type { ResourceRule, ResourceView, RuleConfig } from "./types";
import {
  bool,
  cfg,
  eqi,
  get,
  isObject,
  isSet,
  isUnknown,
  items,
  num,
  setPath,
  show,
  str,
  covers,
} from "./util";

/** "PostgreSQL flexible servers must X." → "PostgreSQL flexible servers must X" (message prefix). */
export function lead(rule: { description: string }): string {
  return rule.description.replace(/\.$/, "");
}

/**
 * Whether a server is a read replica (azure-native `createMode: "Replica"`, classic `createMode =
 * "Replica"`). Microsoft Learn, read replicas
 * (https://learn.microsoft.com/azure/postgresql/read-replica/concepts-read-replicas, ms.date 07/16/2025,
 * read 2026-11-30): a replica inherits the primary's configuration at creation (server parameters,
 * firewall rules, the admin account, data encryption, authentication method) and "Backups, including
 * geo-backups" and "High availability (HA)" "can't be set up on read replicas"; "No backups are taken
 * from read replicas".
 */
export function isReplica(r: { props: Record<string, unknown> }): boolean {
  return eqi(get(r.props, "createMode"), "Replica");
}

/** Replica decision of rules a replica cannot satisfy: the setting does not exist on a replica. */
const REPLICA_CANNOT =
  'Skipped: Microsoft Learn (read replicas) says backups, geo-backups and high availability "can\'t be set up on read replicas"; the primary is judged.';
/** Replica decision of rules whose setting a replica inherits from its primary when it leaves it unset. */
const REPLICA_INHERITS =
  'Unset on a replica passes: the replica inherits the setting from its primary at creation (Microsoft Learn, read replicas, "Inherited configurations"), and the primary is judged; a value the replica declares is judged as on any server.';
/** Replica decision of rules that judge settings each server has on its own. */
export const REPLICA_JUDGED =
  "Judged as on any server: a replica has its own network endpoint, firewall, diagnostic settings, threat protection and locks (Microsoft Learn, read replicas: firewall rules and networking are configured per replica).";

// ---- Facts about a flexible server, per provider. Each reads only the properties it needs, so an
// unknown value in one property never blocks a rule that does not look at it.

/** Whether the server is VNet-integrated (a delegated subnet), which rules out public access. */
export function usesDelegatedSubnet(view: ResourceView): boolean {
  const v = isClassic(view.type)
    ? get(view.props, "delegatedSubnetId")
    : get(view.props, "network", "delegatedSubnetResourceId");
  return isSet(v);
}

/** Whether password login is on. Unset means on (azure-native default "Enabled"; azurerm default true). */
export function passwordAuthOn(view: ResourceView): { on: boolean; seen: string } {
  if (isClassic(view.type)) {
    const v = get(view.props, "authentication", "passwordAuthEnabled");
    return {
      on: isUnknown(v) ? false : bool(v) !== false,
      seen: `authentication.passwordAuthEnabled is ${show(v)}`,
    };
  }
  const v = get(view.props, "authConfig", "passwordAuth");
  return { on: isUnknown(v) ? false : !eqi(v, "Disabled"), seen: `authConfig.passwordAuth is ${show(v)}` };
}

/** Whether Entra login is on. Unset means off. */
export function entraAuthOn(view: ResourceView): { on: boolean; seen: string } {
  if (isClassic(view.type)) {
    const v = get(view.props, "authentication", "activeDirectoryAuthEnabled");
    return {
      on: isUnknown(v) || bool(v) === true,
      seen: `authentication.activeDirectoryAuthEnabled is ${show(v)}`,
    };
  }
  const v = get(view.props, "authConfig", "activeDirectoryAuth");
  return { on: isUnknown(v) || eqi(v, "Enabled"), seen: `authConfig.activeDirectoryAuth is ${show(v)}` };
}

/** Whether the server uses a customer-managed key (native `dataEncryption.type`, classic `customerManagedKey`). */
export function usesCmk(view: ResourceView): boolean {
  if (isClassic(view.type)) return isObject(get(view.props, "customerManagedKey"));
  const t = get(view.props, "dataEncryption", "type");
  return isUnknown(t) || eqi(t, "AzureKeyVault");
}

/** Whether geo-redundant backup is on. Unset means off. */
export function geoBackupOn(view: ResourceView): { on: boolean; unknown: boolean; seen: string } {
  if (isClassic(view.type)) {
    const v = get(view.props, "geoRedundantBackupEnabled");
    return { on: bool(v) === true, unknown: isUnknown(v), seen: `geoRedundantBackupEnabled is ${show(v)}` };
  }
  const v = get(view.props, "backup", "geoRedundantBackup");
  return { on: eqi(v, "Enabled"), unknown: isUnknown(v), seen: `backup.geoRedundantBackup is ${show(v)}` };
}

function waived(rule: ResourceRule, config: RuleConfig): boolean {
  return rule.waiver !== undefined && cfg(rule, config, rule.waiver) === true;
}

// ---- Rules

export const noPublicNetworkAccess: ResourceRule<"postgres-no-public-network-access"> = {
  kind: "resource",
  id: "postgres-no-public-network-access",
  title: "No public network access",
  description: "PostgreSQL flexible servers must disable public network access.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.flexibleServer, ...TOKENS.singleServer],
  config: {
    allowPublicAccess: {
      type: "boolean",
      description:
        "Waiver: allow public network access (firewall rules then apply). Same switch as the component's `network.allowPublicAccess`.",
      default: false,
    },
  },
  waiver: "allowPublicAccess",
  replica: REPLICA_JUDGED,
  remediation:
    'Set `network.publicNetworkAccess` to "Disabled" (classic: `publicNetworkAccessEnabled: false`; single server: `properties.publicNetworkAccess: "Disabled"`) and connect through a private endpoint or VNet integration.',
  references: {
    comparison:
      "Same as Azure Policy 5e1de0e3 and CIS 5.2.5: public network access must be Disabled; neither has a threshold.",
    seed: `${SEED_000.publicAccess}; ${SEED_003.network}`,
    azurePolicyId: AZURE_POLICY.flexPublicAccessDisabled,
    cis: CIS.publicAccess,
    mcsb: "NS-2",
    links: ["https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private-link"],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Network.publicNetworkAccess` (no default)",
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/network/concepts-networking-public (a server created without a delegated subnet is reachable through its public endpoint)",
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`public_network_access_enabled` defaults to true)",
    },
  ],
  unsetMeans:
    "An unset `network.publicNetworkAccess` (classic `publicNetworkAccessEnabled`, single server `properties.publicNetworkAccess`) means Enabled and is flagged: the API spec declares no default, Microsoft Learn documents public access for a server created without a delegated subnet, and azurerm defaults it to true. A server with a delegated subnet (VNet integration) has no public endpoint and passes.",
  check(view, config) {
    if (!covers(noPublicNetworkAccess, view)) return [];
    if (waived(noPublicNetworkAccess, config)) return [];
    const single = isType(view.type, "singleServer");
    const classic = isClassic(view.type);
    if (!single && usesDelegatedSubnet(view)) return [];
    const path = classic
      ? "publicNetworkAccessEnabled"
      : single
        ? "properties.publicNetworkAccess"
        : "network.publicNetworkAccess";
    const v = classic
      ? get(view.props, "publicNetworkAccessEnabled")
      : single
        ? get(view.props, "properties", "publicNetworkAccess")
        : get(view.props, "network", "publicNetworkAccess");
    if (isUnknown(v)) return [];
    const open = classic ? bool(v) !== false : !eqi(v, "Disabled");
    if (!open) return [];
    const fix = classic ? "Set publicNetworkAccessEnabled to false" : `Set ${path} to "Disabled"`;
    return [
      `${lead(noPublicNetworkAccess)}: ${path} is ${show(v)} (unset means ${classic ? "true" : "Enabled"}). ${fix} and connect through a private endpoint.`,
    ];
  },
  remediate(view, config) {
    if (!covers(noPublicNetworkAccess, view)) return undefined;
    if (noPublicNetworkAccess.check(view, config).length === 0) return undefined;
    const classic = isClassic(view.type);
    if (classic) return setPath(view.props, ["publicNetworkAccessEnabled"], false);
    if (isType(view.type, "singleServer"))
      return setPath(view.props, ["properties", "publicNetworkAccess"], "Disabled");
    return setPath(view.props, ["network", "publicNetworkAccess"], "Disabled");
  },
};

export const entraOnlyAuth: ResourceRule<"postgres-entra-only-auth"> = {
  kind: "resource",
  id: "postgres-entra-only-auth",
  title: "Microsoft Entra-only authentication",
  description: "PostgreSQL flexible servers must turn password login off and Microsoft Entra login on.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {
    allowPasswordAuth: {
      type: "boolean",
      description:
        "Waiver: allow password login next to Entra login. Same switch as the component's `allowPasswordAuth`.",
      default: false,
    },
  },
  waiver: "allowPasswordAuth",
  replica: REPLICA_INHERITS,
  remediation:
    'Set `authConfig.passwordAuth` to "Disabled" and `authConfig.activeDirectoryAuth` to "Enabled" (classic: `authentication.passwordAuthEnabled: false`, `activeDirectoryAuthEnabled: true`), and add a Microsoft Entra administrator (a PIM-managed group).',
  references: {
    comparison: "Same as Azure Policy fa498b91 (Entra-only authentication); no threshold.",
    seed: `${SEED_000.entra}; ${SEED_003.accessControl}`,
    azurePolicyId: AZURE_POLICY.flexEntraOnly,
    mcsb: "IM-1",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `AuthConfig.passwordAuth` and `AuthConfig.activeDirectoryAuth` (no default)",
    },
    {
      kind: "provider-docs",
      ref: '@pulumi/azure-native 3.28.0 types/input.js dbforpostgresql.authConfigArgsProvideDefaults (passwordAuth "Enabled"; activeDirectoryAuth left unset); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`authentication.password_auth_enabled` defaults to true, `active_directory_auth_enabled` to false)',
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/security/security-entra-configure (Entra authentication is something you enable on the server)",
    },
  ],
  unsetMeans:
    'An unset `authConfig` (classic `authentication`) means password login on and Entra login off; both are flagged. The API spec declares no default; the azure-native SDK sends passwordAuth "Enabled" and azurerm defaults password auth on and Entra auth off, which decide the deployed value.',
  check(view, config) {
    if (!covers(entraOnlyAuth, view)) return [];
    if (
      isReplica(view) &&
      get(view.props, isClassic(view.type) ? "authentication" : "authConfig") === undefined
    )
      return [];
    const out: string[] = [];
    const pw = passwordAuthOn(view);
    const classic = isClassic(view.type);
    if (pw.on && !waived(entraOnlyAuth, config)) {
      out.push(
        `${lead(entraOnlyAuth)}: ${pw.seen} (unset means password login on). Set ${classic ? "authentication.passwordAuthEnabled to false" : 'authConfig.passwordAuth to "Disabled"'}, or waive with allowPasswordAuth.`,
      );
    }
    const entra = entraAuthOn(view);
    if (!entra.on) {
      out.push(
        `${lead(entraOnlyAuth)}: ${entra.seen} (unset means Entra login off). Set ${classic ? "authentication.activeDirectoryAuthEnabled to true" : 'authConfig.activeDirectoryAuth to "Enabled"'} and add an Entra administrator.`,
      );
    }
    return out;
  },
};

export const cmkEncryption: ResourceRule<"postgres-cmk-encryption"> = {
  kind: "resource",
  id: "postgres-cmk-encryption",
  title: "Customer-managed key encryption",
  description:
    "PostgreSQL flexible servers must encrypt data at rest with a customer-managed key from Key Vault, used through a user-assigned identity.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {},
  replica: REPLICA_INHERITS,
  remediation:
    'Set `dataEncryption.type` to "AzureKeyVault" with `primaryKeyURI` (a versionless key URI) and `primaryUserAssignedIdentityId` (classic: `customerManagedKey.keyVaultKeyId` and `primaryUserAssignedIdentityId`). The encryption mode is fixed at creation.',
  references: {
    comparison: "Same as Azure Policy 12c74c95 (customer-managed key); no threshold.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.flexCmk,
    mcsb: "DP-5",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `DataEncryption.type` (no default)",
    },
    {
      kind: "learn",
      ref: 'https://learn.microsoft.com/azure/postgresql/security/security-data-encryption ("Data encryption with service managed keys is the default mode")',
    },
  ],
  unsetMeans:
    "An unset `dataEncryption` (classic `customerManagedKey`) means service-managed keys (SystemManaged) and is flagged. A key URI or identity that is not known yet at preview passes.",
  check(view) {
    if (!covers(cmkEncryption, view)) return [];
    const classic = isClassic(view.type);
    if (isReplica(view) && get(view.props, classic ? "customerManagedKey" : "dataEncryption") === undefined)
      return [];
    if (classic) {
      const cmk = get(view.props, "customerManagedKey");
      if (!isObject(cmk)) {
        return [
          `${lead(cmkEncryption)}: customerManagedKey is ${show(cmk)} (unset means service-managed keys). Set customerManagedKey.keyVaultKeyId and primaryUserAssignedIdentityId.`,
        ];
      }
      const out: string[] = [];
      if (!isSet(get(cmk, "keyVaultKeyId")))
        out.push(
          `${lead(cmkEncryption)}: customerManagedKey.keyVaultKeyId is ${show(get(cmk, "keyVaultKeyId"))}. Set it to the Key Vault key id.`,
        );
      if (!isSet(get(cmk, "primaryUserAssignedIdentityId")))
        out.push(
          `${lead(cmkEncryption)}: customerManagedKey.primaryUserAssignedIdentityId is ${show(get(cmk, "primaryUserAssignedIdentityId"))}. Set it to a user-assigned identity that can use the key.`,
        );
      return out;
    }
    const t = get(view.props, "dataEncryption", "type");
    if (isUnknown(t)) return [];
    if (!eqi(t, "AzureKeyVault")) {
      return [
        `${lead(cmkEncryption)}: dataEncryption.type is ${show(t)} (unset means SystemManaged). Set dataEncryption.type to "AzureKeyVault" with primaryKeyURI and primaryUserAssignedIdentityId.`,
      ];
    }
    const out: string[] = [];
    const uri = get(view.props, "dataEncryption", "primaryKeyURI");
    if (!isSet(uri))
      out.push(
        `${lead(cmkEncryption)}: dataEncryption.primaryKeyURI is ${show(uri)}. Set it to the versionless key URI.`,
      );
    const id = get(view.props, "dataEncryption", "primaryUserAssignedIdentityId");
    if (!isSet(id))
      out.push(
        `${lead(cmkEncryption)}: dataEncryption.primaryUserAssignedIdentityId is ${show(id)}. Set it to a user-assigned identity with the Key Vault Crypto Service Encryption User role.`,
      );
    return out;
  },
};

export const geoBackupCmkKey: ResourceRule<"postgres-geo-backup-cmk-key"> = {
  kind: "resource",
  id: "postgres-geo-backup-cmk-key",
  title: "Geo-backup key with CMK",
  description:
    "PostgreSQL flexible servers with geo-redundant backup and a customer-managed key must also name a geo-backup key and identity in the paired region.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {},
  replica: REPLICA_CANNOT,
  remediation:
    "Set `dataEncryption.geoBackupKeyURI` and `geoBackupUserAssignedIdentityId` (classic: `customerManagedKey.geoBackupKeyVaultKeyId` and `geoBackupUserAssignedIdentityId`) to a key and identity in the geo-backup region.",
  references: {
    comparison:
      "Azure Policy 12c74c95 checks the customer-managed key only; the geo-backup key and identity are ours, because Azure cannot encrypt geo-redundant backups with a CMK without them.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_000.backups}`,
    azurePolicyId: AZURE_POLICY.flexCmk,
    mcsb: "DP-5",
  },
  unsetSource: [
    {
      kind: "provider-docs",
      ref: '@pulumi/azure-native 3.28.0 types/input.js dbforpostgresql.backupArgsProvideDefaults (geoRedundantBackup "Disabled"); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`geo_redundant_backup_enabled` defaults to false)',
    },
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `DataEncryption.geoBackupKeyURI` and `geoBackupUserAssignedIdentityId` (no default)",
    },
  ],
  unsetMeans:
    "Applies only when geo-redundant backup is on and a customer-managed key is used; unset geo backup means off (rule passes). An unset geo-backup key or identity is flagged; values not known yet pass.",
  check(view) {
    if (!covers(geoBackupCmkKey, view) || isReplica(view)) return [];
    const geo = geoBackupOn(view);
    if (!geo.on || !usesCmk(view)) return [];
    const classic = isClassic(view.type);
    const base = classic ? ["customerManagedKey"] : ["dataEncryption"];
    const keyProp = classic ? "geoBackupKeyVaultKeyId" : "geoBackupKeyURI";
    const out: string[] = [];
    for (const prop of [keyProp, "geoBackupUserAssignedIdentityId"]) {
      const v = get(view.props, ...base, prop);
      if (!isSet(v))
        out.push(
          `${lead(geoBackupCmkKey)}: ${geo.seen} with a customer-managed key, but ${base[0]}.${prop} is ${show(v)}. Set it to a ${prop.includes("Identity") ? "user-assigned identity" : "key"} in the geo-backup region.`,
        );
    }
    return out;
  },
};

export const managedIdentity: ResourceRule<"postgres-managed-identity"> = {
  kind: "resource",
  id: "postgres-managed-identity",
  title: "Managed identity",
  description:
    "PostgreSQL flexible servers should have a managed identity (user-assigned for customer-managed keys).",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {},
  remediation:
    'Set `identity.type` to "UserAssigned" with `userAssignedIdentities` (classic: `identity { type = "UserAssigned", identityIds }`).',
  replica: REPLICA_INHERITS,
  references: { seed: `${SEED_000.managedIdentity}; ${SEED_003.workloadAccess}` },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `UserAssignedIdentity.type` (no default)",
    },
    {
      kind: "not-set",
      ref: "An unset identity is treated as none: the server has no managed identity, and it is flagged.",
    },
  ],
  unsetMeans: 'An unset `identity` means no managed identity (type "None") and is flagged.',
  check(view) {
    if (!covers(managedIdentity, view)) return [];
    if (isReplica(view) && get(view.props, "identity") === undefined) return [];
    const type = get(view.props, "identity", "type");
    if (isUnknown(type)) return [];
    const t = typeof type === "string" ? type.toLowerCase() : "";
    if (t.includes("userassigned") || t.includes("systemassigned")) {
      if (!t.includes("userassigned")) return [];
      const ids = isClassic(view.type)
        ? get(view.props, "identity", "identityIds")
        : get(view.props, "identity", "userAssignedIdentities");
      const count = Array.isArray(ids)
        ? items(ids).length
        : isObject(ids)
          ? Object.keys(ids).length
          : isUnknown(ids)
            ? 1
            : 0;
      if (count > 0) return [];
      return [
        `${lead(managedIdentity)}: identity.type is ${show(type)} but no user-assigned identity is listed. Add the identity's resource id to identity.${isClassic(view.type) ? "identityIds" : "userAssignedIdentities"}.`,
      ];
    }
    return [
      `${lead(managedIdentity)}: identity.type is ${show(type)} (unset means none). Set identity.type to "UserAssigned" with an identity.`,
    ];
  },
};

export const backupRetention: ResourceRule<"postgres-backup-retention"> = {
  kind: "resource",
  id: "postgres-backup-retention",
  title: "Backup retention",
  description: "PostgreSQL flexible servers should keep backups for at least the configured number of days.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {
    minimumDays: {
      type: "integer",
      description: `Fewest backup retention days accepted (Azure allows ${BACKUP_RETENTION_DAYS.min}-${BACKUP_RETENTION_DAYS.max}, default ${BACKUP_RETENTION_DAYS.azureDefault}).`,
      default: DEFAULT_MIN_BACKUP_RETENTION_DAYS,
      minimum: BACKUP_RETENTION_DAYS.min,
      maximum: BACKUP_RETENTION_DAYS.max,
    },
  },
  remediation:
    "Set `backup.backupRetentionDays` (classic `backupRetentionDays`) to at least the minimum (the component uses 35).",
  replica: REPLICA_CANNOT,
  references: {
    seed: `${SEED_000.backups}; ${SEED_000.pitr}`,
    comparison: `No cited built-in or CIS control sets a number; ours defaults to ${DEFAULT_MIN_BACKUP_RETENTION_DAYS}, above Azure's default (${BACKUP_RETENTION_DAYS.azureDefault}), so a server left at Azure's default is flagged.`,
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Backup.backupRetentionDays` (default 7)",
    },
    {
      kind: "provider-docs",
      ref: "@pulumi/azure-native 3.28.0 types/input.js dbforpostgresql.backupArgsProvideDefaults (backupRetentionDays 7); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`backup_retention_days` optional, 7 to 35, no documented default: the service applies the API default)",
    },
    {
      kind: "learn",
      ref: 'https://learn.microsoft.com/azure/postgresql/backup-restore/concepts-backup-restore ("The default backup retention period is 7 days")',
    },
  ],
  unsetMeans: `An unset retention means ${BACKUP_RETENTION_DAYS.azureDefault} days (API spec default of backup.backupRetentionDays, which the azure-native SDK also sends; azurerm documents no default, so the service applies the same 7), which is below the default minimum (${DEFAULT_MIN_BACKUP_RETENTION_DAYS}) and is flagged. No cited built-in sets a number: the minimum is our choice.`,
  check(view, config) {
    if (!covers(backupRetention, view) || isReplica(view)) return [];
    const min = cfg(backupRetention, config, "minimumDays") as number;
    const path = isClassic(view.type) ? "backupRetentionDays" : "backup.backupRetentionDays";
    const v = isClassic(view.type)
      ? get(view.props, "backupRetentionDays")
      : get(view.props, "backup", "backupRetentionDays");
    if (isUnknown(v)) return [];
    const days = v === undefined || v === null ? BACKUP_RETENTION_DAYS.azureDefault : num(v);
    if (days !== undefined && days >= min) return [];
    return [
      `${lead(backupRetention)} (${min}): ${path} is ${show(v)} (unset means ${BACKUP_RETENTION_DAYS.azureDefault}). Set ${path} to ${min} or more.`,
    ];
  },
};

export const geoRedundantBackup: ResourceRule<"postgres-geo-redundant-backup"> = {
  kind: "resource",
  id: "postgres-geo-redundant-backup",
  title: "Geo-redundant backup",
  description: "PostgreSQL flexible servers should keep geo-redundant backups.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {},
  remediation:
    'Set `backup.geoRedundantBackup` to "Enabled" (classic `geoRedundantBackupEnabled: true`); with a customer-managed key also set the geo-backup key. Fixed at creation.',
  replica: REPLICA_CANNOT,
  references: {
    comparison: "Same as Azure Policy cee2f9fd (geo-redundant backup Enabled); no threshold.",
    seed: SEED_000.backups,
    azurePolicyId: AZURE_POLICY.flexGeoBackup,
    mcsb: "BR-1",
    links: [policyLink(AZURE_POLICY.singleGeoBackup)],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Backup.geoRedundantBackup` (no default)",
    },
    {
      kind: "provider-docs",
      ref: '@pulumi/azure-native 3.28.0 types/input.js dbforpostgresql.backupArgsProvideDefaults (geoRedundantBackup "Disabled": the SDK sends Disabled, which decides the deployed value); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`geo_redundant_backup_enabled` defaults to false)',
    },
  ],
  unsetMeans:
    'Unset means Disabled and is flagged: the API spec declares no default, but the azure-native SDK sends "Disabled" and azurerm defaults to false, which decide the deployed value.',
  check(view) {
    if (!covers(geoRedundantBackup, view) || isReplica(view)) return [];
    const geo = geoBackupOn(view);
    if (geo.on || geo.unknown) return [];
    const fix = isClassic(view.type)
      ? "Set geoRedundantBackupEnabled to true"
      : 'Set backup.geoRedundantBackup to "Enabled"';
    return [
      `${lead(geoRedundantBackup)}: ${geo.seen} (unset means disabled). ${fix} when the server is created.`,
    ];
  },
};

export const haZoneRedundant: ResourceRule<"postgres-ha-zone-redundant"> = {
  kind: "resource",
  id: "postgres-ha-zone-redundant",
  title: "Zone-redundant high availability",
  description: "PostgreSQL flexible servers should run zone-redundant high availability.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {},
  remediation:
    'Set `highAvailability.mode` to "ZoneRedundant" with a `standbyAvailabilityZone` different from the primary zone (not available on the Burstable tier).',
  replica: REPLICA_CANNOT,
  references: {
    comparison:
      'Stricter than Azure Policy 493c215d with its default `allow` "Both" (zone-redundant or zone-aligned): ours accepts only ZoneRedundant, the built-in with `allow: "Redundant"`.',
    seed: SEED_000.backups,
    azurePolicyId: AZURE_POLICY.flexZoneResilient,
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `HighAvailability.mode` (no default)",
    },
    {
      kind: "provider-docs",
      ref: '@pulumi/azure-native 3.28.0 types/input.js dbforpostgresql.highAvailabilityArgsProvideDefaults (mode "Disabled"); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (no `high_availability` block means none)',
    },
  ],
  unsetMeans:
    'An unset `highAvailability` means Disabled and is flagged: the API spec declares no default, the azure-native SDK sends mode "Disabled" for a declared block, and azurerm creates no standby without a `high_availability` block.',
  check(view) {
    if (!covers(haZoneRedundant, view) || isReplica(view)) return [];
    const v = get(view.props, "highAvailability", "mode");
    if (isUnknown(v) || eqi(v, "ZoneRedundant")) return [];
    return [
      `${lead(haZoneRedundant)}: highAvailability.mode is ${show(v)} (unset means Disabled). Set highAvailability.mode to "ZoneRedundant".`,
    ];
  },
};

export const allowedVersions: ResourceRule<"postgres-allowed-versions"> = {
  kind: "resource",
  id: "postgres-allowed-versions",
  title: "Allowed major versions",
  description: "PostgreSQL flexible servers should run a supported major version from the allowed list.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.flexibleServer],
  config: {
    allowedVersions: {
      type: "array",
      description: "Major versions accepted, as strings.",
      items: { type: "string" },
      default: ["14", "15", "16", "17", "18"],
    },
  },
  remediation:
    "Set `version` to an allowed major version and plan an in-place major version upgrade for existing servers.",
  replica: REPLICA_INHERITS,
  references: {
    seed: SEED_000.encryptionInTransit,
    links: ["https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-supported-versions"],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `ServerProperties.version` (no default)",
    },
    {
      kind: "not-set",
      ref: "An unset version is treated as not set: nothing outside the allowed list is requested, so it passes.",
    },
  ],
  unsetMeans:
    "An unset `version` is treated as not set (the API spec declares no default and none is documented): nothing outside the allowed list is requested, so it passes.",
  check(view, config) {
    if (!covers(allowedVersions, view)) return [];
    const allowed = cfg(allowedVersions, config, "allowedVersions") as string[];
    const v = get(view.props, "version");
    if (v === undefined || v === null || isUnknown(v)) return [];
    const s = typeof v === "number" ? String(v) : str(v)?.trim();
    if (s !== undefined && allowed.includes(s)) return [];
    return [
      `${lead(allowedVersions)}: version is ${show(v)}; allowed: ${allowed.join(", ")}. Set version to one of them.`,
    ];
  },
};

export const POSTGRES_RULES = [
  noPublicNetworkAccess,
  entraOnlyAuth,
  cmkEncryption,
  geoBackupCmkKey,
  managedIdentity,
  backupRetention,
  geoRedundantBackup,
  haZoneRedundant,
  allowedVersions,
] as const satisfies readonly ResourceRule[];
