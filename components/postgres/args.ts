// The public contract of the ZeroTrustPostgres component.
//
// Multi-language constraint: Pulumi's component analyzer turns these interfaces into a
// package schema, and it rejects union and intersection types, including anonymous literal unions
// such as `"16" | "17"`. So every choice below is a *named* enum (a `const X = {...} as const`
// object paired with `type X = (typeof X)[keyof typeof X]`), modes are enums with optional fields per
// mode instead of discriminated unions, and the combinations are validated at construction.
//
// Plain (non-Input) fields are the ones the component must know at construction to validate and to
// decide which children exist. Resource ids are `Input`s, because they usually come from other
// resources; they are validated inside `apply` and gate the outputs that depend on them.

import * as pulumi from "@pulumi/pulumi";

/** How clients reach the server. The two modes cannot be combined; Azure fixes the mode at creation. */
export const NetworkMode = {
  /** A private endpoint (groupId `postgresqlServer`) in a subnet you name, with the `privatelink.postgres.database.azure.com` zone. */
  PrivateEndpoint: "privateEndpoint",
  /** VNet integration: the server is injected into a subnet delegated to `Microsoft.DBforPostgreSQL/flexibleServers`. */
  VnetIntegration: "vnetIntegration",
} as const;
/** How clients reach the server. The two modes cannot be combined; Azure fixes the mode at creation. */
export type NetworkMode = (typeof NetworkMode)[keyof typeof NetworkMode];

/** PostgreSQL major versions Azure Database for PostgreSQL Flexible Server offers (API 2025-08-01). */
export const PostgresVersion = {
  V12: "12",
  V13: "13",
  V14: "14",
  V15: "15",
  V16: "16",
  V17: "17",
  V18: "18",
} as const;
/** PostgreSQL major versions Azure Database for PostgreSQL Flexible Server offers (API 2025-08-01). */
export type PostgresVersion = (typeof PostgresVersion)[keyof typeof PostgresVersion];

/** Compute tier of the server SKU. */
export const SkuTier = {
  Burstable: "Burstable",
  GeneralPurpose: "GeneralPurpose",
  MemoryOptimized: "MemoryOptimized",
} as const;
/** Compute tier of the server SKU. */
export type SkuTier = (typeof SkuTier)[keyof typeof SkuTier];

/** High-availability mode. Azure refuses HA on the Burstable tier. */
export const HighAvailabilityMode = {
  ZoneRedundant: "ZoneRedundant",
  SameZone: "SameZone",
  Disabled: "Disabled",
} as const;
/** High-availability mode. Azure refuses HA on the Burstable tier. */
export type HighAvailabilityMode = (typeof HighAvailabilityMode)[keyof typeof HighAvailabilityMode];

/** Managed disk type for the server's storage. */
export const StorageType = {
  PremiumLRS: "Premium_LRS",
  PremiumV2LRS: "PremiumV2_LRS",
  UltraSSDLRS: "UltraSSD_LRS",
} as const;
/** Managed disk type for the server's storage. */
export type StorageType = (typeof StorageType)[keyof typeof StorageType];

/** Lowest TLS protocol version the server accepts. Nothing below TLS 1.2 is offered. */
export const TlsVersion = {
  TLSv1_2: "TLSv1.2",
  TLSv1_3: "TLSv1.3",
} as const;
/** Lowest TLS protocol version the server accepts. Nothing below TLS 1.2 is offered. */
export type TlsVersion = (typeof TlsVersion)[keyof typeof TlsVersion];

/** Key type of a customer-managed key the component creates. RSA-HSM needs a Premium vault, which the component then creates. */
export const KeyType = {
  RSAHSM: "RSA-HSM",
  RSA: "RSA",
} as const;
/** Key type of a customer-managed key the component creates. RSA-HSM needs a Premium vault, which the component then creates. */
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

/** Kind of Entra principal that administers the server. Groups are recommended (put them under PIM). */
export const PrincipalType = {
  Group: "Group",
  User: "User",
  ServicePrincipal: "ServicePrincipal",
} as const;
/** Kind of Entra principal that administers the server. Groups are recommended (put them under PIM). */
export type PrincipalType = (typeof PrincipalType)[keyof typeof PrincipalType];

/**
 * Least-privilege access level a persona group or workload identity gets in the application database.
 * None of them is a superuser, can create roles or databases, or bypasses row security.
 */
export const DatabaseAccess = {
  /** DDL in the application schema (CREATE, ALTER, DROP of its objects) plus DML. */
  Admin: "admin",
  /** DML (SELECT, INSERT, UPDATE, DELETE) on the application schema's tables and sequences; no DDL. */
  Writer: "writer",
  /** SELECT on the application schema's tables; nothing else. */
  Reader: "reader",
} as const;
/**
 * Least-privilege access level a persona group or workload identity gets in the application database.
 * None of them is a superuser, can create roles or databases, or bypasses row security.
 */
export type DatabaseAccess = (typeof DatabaseAccess)[keyof typeof DatabaseAccess];

/** An Entra ID principal made administrator of the server (`AdministratorsMicrosoftEntra`). */
export interface EntraAdministratorArgs {
  /** Object id (GUID) of the Entra group, user or service principal. */
  objectId: string;
  /** Display name of the principal, as it will appear as a PostgreSQL role (for a group: the group's name). */
  principalName: string;
  /** Kind of principal. Defaults to `Group`. */
  principalType?: PrincipalType;
}

/**
 * An Entra security group mapped to a database persona (seed 003, "User Access"). Put the group under
 * Privileged Identity Management so membership is just-in-time; the database role stays constant.
 */
export interface PersonaGroupArgs {
  /** Display name of the Entra group; it becomes the PostgreSQL role name. 1-63 characters. */
  groupName: string;
  /** Bring your own group: its object id (GUID). Required unless `pim` is set; refused together with `pim`. */
  objectId?: string;
  /** What the persona may do in the application database. */
  access: DatabaseAccess;
  /** Create the database role with `isMfa`, so the server refuses an Entra token without the `mfa` claim. Defaults to `true` (persona groups are people). */
  requireMfa?: boolean;
  /** Have the component create the group under PIM for Groups with these settings (needs Entra directory roles, see docs/access-model.md). Excludes `objectId`. Defaults to bringing the group. */
  pim?: PersonaPimArgs;
}

/** Who approves a PIM activation: the members of the approver groups, or the approver users themselves. */
export const PimApproverType = {
  /** `approverIds` are groups; any member approves. */
  GroupMembers: "groupMembers",
  /** `approverIds` are users. */
  SingleUser: "singleUser",
} as const;
/** Who approves a PIM activation: the members of the approver groups, or the approver users themselves. */
export type PimApproverType = (typeof PimApproverType)[keyof typeof PimApproverType];

/**
 * PIM for Groups settings of a persona group the component creates (seed 003 "User Access"): the
 * Entra security group, the policy of its `member` role and one eligibility per principal. Needs
 * Entra directory roles (Groups Administrator and Privileged Role Administrator, or the Graph
 * permissions in docs/access-model.md). Enforced by `entra-pim-activation-duration`,
 * `entra-pim-admin-approval` and `entra-pim-no-standing-access` on the pack side.
 */
export interface PersonaPimArgs {
  /** Object ids of the users or groups made eligible to activate membership (time-bound, never permanent). Defaults to none. */
  eligiblePrincipalIds?: string[];
  /** Object ids of the approvers. Required when approval is on (the admin default); refused when `requireApproval` is false. */
  approverIds?: string[];
  /** Whether `approverIds` are groups (`groupMembers`) or users (`singleUser`). Defaults to `groupMembers`. */
  approverType?: PimApproverType;
  /** Longest activation in hours, 0.5-24 in half-hour steps. Defaults to `2` (admin), `4` (writer), `8` (reader). Pack rule `entra-pim-activation-duration` flags more than 8. */
  maxActivationHours?: number;
  /** Activation needs approval. Defaults to `true` for admin, `false` for writer and reader. Pack rule `entra-pim-admin-approval` requires it on admin groups. */
  requireApproval?: boolean;
  /** Activation needs a justification. Defaults to `true`. */
  requireJustification?: boolean;
  /** Activation needs multifactor authentication. Defaults to `true`. */
  requireMfaOnActivation?: boolean;
  /** Days each eligibility lasts before it must be renewed (1-365). Defaults to `180`. */
  eligibilityDays?: number;
  /** Extra e-mail recipients of activation notifications (Entra's default recipients are always notified). Defaults to none. */
  notificationRecipients?: string[];
  /** Object ids of the created group's owners. Defaults to none (the deploying principal owns it). */
  ownerIds?: string[];
}

/** A GitHub Actions workflow allowed to log in as a CI identity: the repository and exactly one of environment, branch, tag or pullRequest. */
export interface GithubFederationArgs {
  /** `owner/repo`. */
  repository: string;
  /** Deployment environment (recommended: environments can require reviewers). Excludes `branch`, `tag`, `pullRequest`. */
  environment?: string;
  /** Branch name. Excludes `environment`, `tag`, `pullRequest`. */
  branch?: string;
  /** Tag name. Excludes `environment`, `branch`, `pullRequest`. */
  tag?: string;
  /** Workflows triggered by pull requests. Excludes `environment`, `branch`, `tag`. */
  pullRequest?: boolean;
}

/** An Azure DevOps service connection that uses workload identity federation. */
export interface AzureDevOpsFederationArgs {
  /** The organization's id (a GUID; the issuer is `https://vstoken.dev.azure.com/<id>`). */
  organizationId: string;
  /** Organization name. */
  organization: string;
  /** Project name. */
  project: string;
  /** Service connection name (the subject is `sc://<organization>/<project>/<serviceConnection>`). */
  serviceConnection: string;
}

/** Any other OIDC issuer (GitLab, Terraform Cloud, Pulumi Cloud …). */
export interface OidcFederationArgs {
  /** Issuer URL (https). */
  issuer: string;
  /** The exact `sub` claim to trust (no wildcards). */
  subject: string;
  /** The `aud` claim. Defaults to `api://AzureADTokenExchange`. */
  audience?: string;
}

/** One token source a CI identity trusts: exactly one of `github`, `azureDevOps` or `oidc`. */
export interface FederationArgs {
  /** A GitHub Actions workflow. Excludes `azureDevOps` and `oidc`. */
  github?: GithubFederationArgs;
  /** An Azure DevOps service connection. Excludes `github` and `oidc`. */
  azureDevOps?: AzureDevOpsFederationArgs;
  /** Any OIDC issuer. Excludes `github` and `azureDevOps`. */
  oidc?: OidcFederationArgs;
}

/** A deployer or automation identity for CI: a user-assigned identity with federated credentials, so no secret exists. */
export interface CiIdentityArgs {
  /** Short name (lowercase letters, digits, hyphens; 1-40). Names the identity `<component>-ci-<name>-id`, which is also its PostgreSQL role. */
  name: string;
  /** Database access level. Defaults to `admin` (migrations need DDL). */
  access?: DatabaseAccess;
  /** Token sources (1-20, Azure's limit per identity), each issuer and subject once. */
  federations: FederationArgs[];
}

/** An emergency ("break-glass") Entra administrator, separate from the daily `administrators`; every sign-in raises an alert. */
export interface BreakGlassAdministratorArgs {
  /** Object id of the emergency access account (or its group). Must not be one of `administrators`. */
  objectId: string;
  /** Its name as PostgreSQL shows it (user principal name or group name). Must not be one of `administrators`. */
  principalName: string;
  /** `User` or `Group`. Defaults to `User`. */
  principalType?: PrincipalType;
}

/** AKS workload identity federation for one Kubernetes service account (seed 003, "Workload Access"). */
export interface AksFederationArgs {
  /** The AKS cluster's OIDC issuer URL (`az aks show --query oidcIssuerProfile.issuerUrl`). Must be https. */
  issuerUrl: pulumi.Input<string>;
  /** Kubernetes namespace of the service account. */
  namespace: string;
  /** Kubernetes service account name. The subject becomes `system:serviceaccount:<namespace>:<serviceAccount>`. */
  serviceAccount: string;
}

/** An application that connects with its own user-assigned managed identity instead of a password. */
export interface WorkloadIdentityArgs {
  /** Short application name (lowercase letters, digits, hyphens; 1-40). Names the identity `<component>-<name>-id` and the role. */
  name: string;
  /** Least-privilege access level of the application's database role. */
  access: DatabaseAccess;
  /** Federate the identity with an AKS service account. Omit for workloads that use the identity directly (VMs, App Service). */
  aks?: AksFederationArgs;
}

/** An IPv4 range allowed through the server firewall. Only valid when `network.allowPublicAccess` is true. */
export interface FirewallRuleArgs {
  /** Rule name: letters, digits, `-` and `_`, 1-80 characters, not ending in `-`. */
  name: string;
  /** First IPv4 address of the range. */
  startIpAddress: string;
  /** Last IPv4 address of the range. */
  endIpAddress: string;
}

/** Network isolation. Public network access is Disabled in both modes. */
export interface NetworkArgs {
  /** `privateEndpoint` or `vnetIntegration`. Defaults to `privateEndpoint`. Fixed at creation: changing it is refused. Enforced by `postgres-private-connectivity` (stack). */
  mode?: NetworkMode;
  /** privateEndpoint mode: id of the subnet that holds the server's (and created vaults') private endpoints. Required in that mode; refused in vnetIntegration mode. */
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode: id of an existing subnet delegated to `Microsoft.DBforPostgreSQL/flexibleServers`. Excludes `delegatedSubnetAddressPrefix`. */
  delegatedSubnetResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode: create the delegated subnet with this IPv4 CIDR (/28 or larger) in `virtualNetworkName`. Excludes `delegatedSubnetResourceId`. */
  delegatedSubnetAddressPrefix?: string;
  /** vnetIntegration mode with a created subnet: name of the VNet to create it in (pass the VNet resource's `name` output so the subnet waits for it). Required with `delegatedSubnetAddressPrefix`; refused with `delegatedSubnetResourceId`. */
  virtualNetworkName?: pulumi.Input<string>;
  /** vnetIntegration mode with a created subnet: resource group of that VNet. Defaults to the server's resource group. */
  virtualNetworkResourceGroupName?: pulumi.Input<string>;
  /** Bring an existing private DNS zone (its resource id) instead of creating one. privateEndpoint mode: must be `privatelink.postgres.database.azure.com`. vnetIntegration mode: must end in `.postgres.database.azure.com`. */
  privateDnsZoneResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode: name of the zone to create. Defaults to `<component name>.private.postgres.database.azure.com`; must end in `.postgres.database.azure.com`. */
  privateDnsZoneName?: string;
  /** VNets (resource ids) to link the created private DNS zones to. At least one is required when a zone is created; ignored for brought zones (link them yourself). */
  linkedVirtualNetworkResourceIds?: pulumi.Input<string>[];
  /** With a created Key Vault (either mode): bring an existing `privatelink.vaultcore.azure.net` zone (its resource id) for the vaults' private endpoints instead of creating one. */
  keyVaultPrivateDnsZoneResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode with a created Key Vault: id of a subnet (not the delegated one: a delegated subnet cannot hold private endpoints) for the vaults' private endpoints, so operators can reach the vaults, whose public access is disabled. One of this or `keyVaultSubnetAddressPrefix` is required there. Refused in privateEndpoint mode (the vaults' endpoints go in `privateEndpointSubnetResourceId`). */
  keyVaultPrivateEndpointSubnetResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode with a created delegated subnet and a created Key Vault: create the vaults' private-endpoint subnet `<name>-kv-subnet` with this IPv4 CIDR (/29 or larger) in `virtualNetworkName`. Excludes `keyVaultPrivateEndpointSubnetResourceId`. */
  keyVaultSubnetAddressPrefix?: string;
  /** Waiver for `postgres-no-public-network-access`: set true to give the server a public endpoint limited to `firewallRules` (publicNetworkAccess Enabled). privateEndpoint mode only. Defaults to `false`. Logs a warning naming the rule. */
  allowPublicAccess?: boolean;
  /** Firewall ranges, only when `allowPublicAccess` is true (refused otherwise). Never 0.0.0.0-0.0.0.0 ("allow Azure services") and never wider than `/firewallMinimumPrefixLength`, alone or together with the rules it overlaps or touches. Enforced by `firewall-no-open-ranges` and `firewall-total-width`. Defaults to none. */
  firewallRules?: FirewallRuleArgs[];
  /** Each firewall range must fit in a CIDR block of at least this prefix length (8-32), passed to `firewall-no-open-ranges` as its `minimumPrefixLength`. Defaults to `24`. */
  firewallMinimumPrefixLength?: number;
}

/** Customer-managed keys for data at rest. Either the component creates the vaults and keys, or you bring keys. */
export interface EncryptionArgs {
  /** Name of the Key Vault the component creates (3-24 chars, letters, digits, hyphens, starting with a letter, no `--`, not ending in `-`; globally unique). Defaults to `<component name>-kv-<random suffix kept in state>`, so a re-deploy after a teardown gets a new name (soft delete keeps a deleted vault's name reserved for 90 days; docs/azure-constraints.md says how to recover one). Refused together with `keyUri`. */
  keyVaultName?: string;
  /** Name of the key the component creates (1-127 letters, digits, hyphens). Defaults to `<component name>-cmk`. Refused together with `keyUri`. */
  keyName?: string;
  /** Name of the geo-backup Key Vault the component creates (same rules as `keyVaultName`). Defaults to `<component name>-gkv-<random suffix kept in state>`. Refused together with `geoBackupKeyUri`. */
  geoBackupKeyVaultName?: string;
  /** Type of created keys: `RSA-HSM` (the vault is then Premium) or `RSA` (Standard vault). Defaults to `RSA-HSM`. Advisory rule `keyvault-key-hsm-backed` warns on `RSA`. Refused together with `keyUri`. */
  keyType?: KeyType;
  /** RSA key size of created keys: 2048, 3072 or 4096 (anything else is refused). Defaults to `3072`. Advisory rule `keyvault-key-strength` warns below 3072. Refused together with `keyUri`. */
  keySize?: number;
  /** Days after creation that a created key version expires (30-730), written as the first version's expiry and the rotation policy's `expiryTime`. Defaults to `365`. Rule `keyvault-key-expiry`. Refused together with `keyUri`. */
  keyExpiryDays?: number;
  /** Days after creation that a created key rotates automatically (7-729, below `keyExpiryDays`); the server follows because it uses the versionless key URI. Defaults to `180`. Rule `keyvault-key-rotation-policy`. Refused together with `keyUri`. */
  keyRotationDays?: number;
  /** Bring your own key: the versionless key URI (`https://<vault>.vault.azure.net/keys/<name>`; a versioned URI is refused because it stops automatic rotation). Needs `keyVaultResourceId`. Excludes the created-key fields (`keyVaultName`, `keyName`, `keyType`, `keySize`, `keyExpiryDays`, `keyRotationDays`). The vault must have purge protection (rule `keyvault-purge-protection` on the pack side). */
  keyUri?: pulumi.Input<string>;
  /** Resource id of the vault that holds `keyUri`. Required with `keyUri` and refused without it. The server identity gets "Key Vault Crypto Service Encryption User" on `<vault>/keys/<key name>`. */
  keyVaultResourceId?: pulumi.Input<string>;
  /** Region of the geo-backup key, vault and identity (must differ from `location`). Defaults to Azure's paired region of `location` when `location` is a plain, known region; otherwise required with geo-redundant backup (rule `postgres-geo-backup-cmk-key`). Refused when `backup.geoRedundantBackup` is false. */
  geoBackupLocation?: string;
  /** Bring your own geo-backup key: versionless key URI in a vault in `geoBackupLocation`. Needs `geoBackupKeyVaultResourceId`; required when `keyUri` is brought and geo-redundant backup is on. Defaults to a created geo vault and key. */
  geoBackupKeyUri?: pulumi.Input<string>;
  /** Resource id of the vault that holds `geoBackupKeyUri`. Required with `geoBackupKeyUri` and refused without it. */
  geoBackupKeyVaultResourceId?: pulumi.Input<string>;
}

/** Which Log Analytics tables the server's logs land in. */
export const LogTableMode = {
  /** The shared `AzureDiagnostics` table (Azure's default for a diagnostic setting). */
  AzureDiagnostics: "AzureDiagnostics",
  /** Resource-specific tables (`PGSQLServerLogs`, …): `logAnalyticsDestinationType: "Dedicated"`. */
  ResourceSpecific: "ResourceSpecific",
} as const;
/** Which Log Analytics tables the server's logs land in. */
export type LogTableMode = (typeof LogTableMode)[keyof typeof LogTableMode];

/** An existing Event Hub that also receives the server's logs and metrics (for a SIEM). */
export interface EventHubDestinationArgs {
  /** Resource id of the namespace's authorization rule with Send rights (`/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<namespace>/authorizationRules/<rule>`). */
  authorizationRuleResourceId: string;
  /** Event hub in that namespace. Defaults to one hub per log category, which Azure creates. */
  eventHubName?: string;
}

/** Monitoring, audit and alerting. */
export interface MonitoringArgs {
  /** Send diagnostics to this existing Log Analytics workspace (resource id) instead of creating `<name>-logs`. Rule `postgres-diagnostic-settings` (stack). Excludes `workspaceRetentionDays`' effect. */
  logAnalyticsWorkspaceResourceId?: pulumi.Input<string>;
  /** Retention of a created workspace in days (30-730); the workspace holds the audit trail and gets a CanNotDelete lock with `deleteLocks`. Defaults to `365`. Advisory rule `log-analytics-audit-retention` warns below its minimum (365). */
  workspaceRetentionDays?: number;
  /** `pgaudit.log` classes, comma-separated from those Azure accepts (read, write, function, role, ddl, misc, all; no `-class` subtraction). Must audit at least role and ddl. Defaults to `role,ddl,misc`. Enforced by `postgres-pgaudit-enabled`. */
  pgauditLog?: string;
  /** `logfiles.retention_days`, 1-7 (the range Azure offers). Defaults to `7`. Enforced by `postgres-log-retention` (advisory: warns below its minimum). */
  logRetentionDays?: number;
  /** Action group (resource id) notified by the alert rules. Omit to create the alerts without notifications. Refused with `alerts: false`. */
  actionGroupResourceId?: pulumi.Input<string>;
  /** Failed logins within 5 minutes that raise the brute-force alert (1-1000). Defaults to `10`. */
  failedLoginThreshold?: number;
  /** Tables the server's logs land in: `AzureDiagnostics` or `ResourceSpecific` (`PGSQLServerLogs`); the alert queries and the saved investigation queries read the chosen table. Defaults to `AzureDiagnostics`. */
  logTableMode?: LogTableMode;
  /** Also stream the server's logs and metrics to this existing Event Hub (a SIEM), beside the workspace, which stays required by `postgres-diagnostic-settings`. Defaults to none. */
  eventHub?: EventHubDestinationArgs;
  /** Create the alert rules: failed-login bursts and role and privilege changes (pgaudit ROLE lines), the server turning Unavailable in Resource Health (a lost customer-managed key), Defender security alerts for the server, and break-glass sign-ins. Defaults to `true`. The saved investigation queries (query pack `<name>-queries`) are created either way. */
  alerts?: boolean;
}

/** Backups and recovery. */
export interface BackupArgs {
  /** Backup retention in days, 7-35. Defaults to `35`. Enforced by `postgres-backup-retention`. */
  retentionDays?: number;
  /** Geo-redundant backup; with CMK it brings a second vault, key and identity in `encryption.geoBackupLocation`. Defaults to `true`. Fixed at creation. Enforced by `postgres-geo-redundant-backup`. */
  geoRedundantBackup?: boolean;
}

/** How a restored server is created from another server's backups (`createMode`). */
export const RestoreMode = {
  /** Restore to a point within the source's retention, in the source's region. */
  PointInTimeRestore: "PointInTimeRestore",
  /** Restore the last backup copied to the source's geo-paired region, into that region: the only way back from the geo-redundant backups. */
  GeoRestore: "GeoRestore",
  /** Bring back a deleted server, in its original region. */
  ReviveDropped: "ReviveDropped",
} as const;
/** How a restored server is created from another server's backups (`createMode`). */
export type RestoreMode = (typeof RestoreMode)[keyof typeof RestoreMode];

/** Create this server from another server's backups (a recovery drill is one instantiation). See docs/features.md. */
export interface RestoreArgs {
  /** `PointInTimeRestore`, `GeoRestore` (from the geo-redundant backups, into the source's paired region) or `ReviveDropped` (a deleted server). Defaults to `PointInTimeRestore`. */
  mode?: RestoreMode;
  /** Resource id of the source (or dropped) flexible server. */
  sourceServerResourceId: pulumi.Input<string>;
  /** PointInTimeRestore: the restore point, in the past and within the source's retention. ReviveDropped: the `submissionTimestamp` of the delete event in the activity log. ISO 8601 UTC, e.g. `2026-11-20T08:00:00Z`. Required in those modes; refused with `GeoRestore` (Azure restores the last geo-copied backup). */
  pointInTimeUtc?: string;
}

/** Days of the week a weekly vaulted backup can run on. */
export const BackupDay = {
  Sunday: "Sunday",
  Monday: "Monday",
  Tuesday: "Tuesday",
  Wednesday: "Wednesday",
  Thursday: "Thursday",
  Friday: "Friday",
  Saturday: "Saturday",
} as const;
/** Days of the week a weekly vaulted backup can run on. */
export type BackupDay = (typeof BackupDay)[keyof typeof BackupDay];

/** Immutability of the Backup vault. `Locked` cannot be undone. */
export const BackupImmutability = {
  /** Enabled; can still be switched off (Azure's "Unlocked"). */
  Unlocked: "Unlocked",
  /** Enabled and irreversible: recovery points cannot be deleted before they expire. */
  Locked: "Locked",
} as const;
/** Immutability of the Backup vault. `Locked` cannot be undone. */
export type BackupImmutability = (typeof BackupImmutability)[keyof typeof BackupImmutability];

/** Vaulted long-term backup of the server in an Azure Backup vault (a separate security boundary, retention beyond 35 days). */
export interface LongTermBackupArgs {
  /** Name of the Backup vault the component creates (2-50 letters, digits and hyphens, starting with a letter). Defaults to `<component name>-bv`. */
  vaultName?: string;
  /** Day of the weekly full backup. Defaults to `Sunday`. */
  backupDay?: BackupDay;
  /** UTC hour of the weekly full backup, 0-23. Defaults to `2`. */
  backupHourUtc?: number;
  /** Months a vaulted backup is kept, 1-120 (10 years). Defaults to `12`. */
  retentionMonths?: number;
  /** Vault immutability: `Unlocked` (enabled, reversible) or `Locked` (irreversible). Defaults to `Unlocked`. Enforced by `backup-vault-immutability` (never Disabled). */
  immutability?: BackupImmutability;
  /** Days a deleted backup stays recoverable, 14-180. Defaults to `14`. Enforced by `backup-vault-soft-delete` (never Off). */
  softDeleteRetentionDays?: number;
  /** Keep the vault's copies geo-redundant (GeoRedundant storage with cross-region restore). Defaults to `true`; `false` keeps them zone-redundant. */
  geoRedundant?: boolean;
}

/** One server parameter set through `serverParameters`. */
export interface ServerParameterArgs {
  /** Azure parameter name, e.g. `work_mem` or `pg_stat_statements.track`. Parameters the component sets (TLS, secure transport, pgaudit, logging, the allow-list and preload list) are refused here. */
  name: string;
  /** Value as Azure takes it, always a string, e.g. `"65536"` or `"on"` (at most 4096 characters). */
  value: string;
}

/** A custom scheduled-maintenance window: the day and start time of a one-hour window (Azure notifies five days ahead). */
export interface MaintenanceWindowArgs {
  /** Day of the week, 0 (Sunday) to 6 (Saturday). */
  dayOfWeek: number;
  /** Hour the window starts, 0-23. Defaults to `2`. */
  startHour?: number;
  /** Minute the window starts, 0-59. Defaults to `0`. */
  startMinute?: number;
}

/** One Azure RBAC role assignment on the server (control plane, not database access). */
export interface RoleAssignmentArgs {
  /** Object id (GUID) of the Entra group, user or service principal. */
  principalId: string;
  /** Role definition: a GUID (e.g. Reader `acdd72a7-3385-48ef-bd42-f606fba81ae7`) or `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>`. Owner, Contributor, User Access Administrator and Role Based Access Control Administrator are refused unless `allowPrivilegedRoles`. */
  roleDefinitionId: string;
  /** Kind of principal. Defaults to `Group` (put groups under PIM). */
  principalType?: PrincipalType;
  /** Why the assignment exists; shown in the portal. Defaults to a note naming this component. */
  description?: string;
}

/** One principal's access in an additional application database. */
export interface DatabaseGrantArgs {
  /** A persona's `groupName`, a workload identity's `name` or a CI identity's `name` declared on this component. */
  principal: string;
  /** Access level in this database (may differ from the principal's level in `databaseName`). */
  access: DatabaseAccess;
}

/** An additional application database with its own schema, access roles and grants in `bootstrapSql`. */
export interface ApplicationDatabaseArgs {
  /** Database name (same rules as `databaseName`, different from it and from each other). */
  databaseName: string;
  /** Schema in that database the grants apply to. Defaults to `app`. */
  schemaName?: string;
  /** Who gets which access in this database. Defaults to none (the database has only its access roles). */
  grants?: DatabaseGrantArgs[];
}

/** One read replica of the server: its own server, customer-managed key and identity in its region, on the primary's network model. See docs/features.md. */
export interface ReplicaArgs {
  /** Short name, 1-20 lowercase letters, digits and hyphens, unique among the replicas. Children are named `<component>-replica-<name>-…`. */
  name: string;
  /** Region of the replica. Defaults to the primary's `location` (a same-region replica). Fixed at creation: a change replaces the replica. */
  location?: string;
  /** Server name of the replica (same rules as `serverName`, unlike the primary's and the other replicas'). Defaults to `<serverName>-<name>` when `serverName` is given, else `<component>-<name>` plus the random name suffix. */
  serverName?: string;
  /** Availability zone of the replica ("1", "2" or "3"). Defaults to Azure's choice. */
  availabilityZone?: string;
  /** SKU of the replica, in the primary's tier family (GeneralPurpose or MemoryOptimized). Defaults to the primary's `skuName`. */
  skuName?: string;
  /** privateEndpoint mode: the subnet, in the replica's region, of the replica's private endpoint (and of its created vault's endpoint). Defaults to `network.privateEndpointSubnetResourceId` for a same-region replica; required in another region; refused in vnetIntegration mode. */
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode: a subnet in the replica's region delegated to `Microsoft.DBforPostgreSQL/flexibleServers`, used by no other server. Required in that mode; refused in privateEndpoint mode. */
  delegatedSubnetResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode: the subnet, in the replica's region, of the created vault's private endpoint (a delegated subnet cannot hold one). Required in that mode when the component creates the replica's vault; refused in privateEndpoint mode. */
  keyVaultPrivateEndpointSubnetResourceId?: pulumi.Input<string>;
  /** Name of the Key Vault the component creates in the replica's region (same rules as `encryption.keyVaultName`). Defaults to `<name>-rkv-<suffix>`. Refused with `keyUri`. */
  keyVaultName?: string;
  /** Bring the replica's key: a versionless key URI in a vault in the replica's region. Needs `keyVaultResourceId`. Defaults to a created vault and key in that region; a replica is never left on a service-managed key. */
  keyUri?: pulumi.Input<string>;
  /** Resource id of the vault holding `keyUri`. Required with `keyUri`, refused without it. */
  keyVaultResourceId?: pulumi.Input<string>;
}

/** A virtual endpoint pair over the primary and its replicas: a read-write host that follows the primary and a read-only host on a replica. */
export interface VirtualEndpointArgs {
  /** Endpoint name, 3-63 letters, digits and hyphens (the hosts are `<name>.writer.postgres.database.azure.com` and `<name>.reader.postgres.database.azure.com`). Defaults to `<serverName>-ve` when `serverName` is given, else `<component>-ve` plus the random name suffix. */
  name?: string;
  /** The `replicas[].name` of the replica the read-only host points at. Defaults to the first replica. */
  readReplica?: string;
}

/** Arguments of {@link ZeroTrustPostgres}. */
export interface ZeroTrustPostgresArgs {
  /** Resource group for the server and its children (1-90 characters). The component never creates it. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. `westeurope`. Defaults to the resource group's region (azure-native's default). A plain region name lets the component pick the geo-backup pair; otherwise set `encryption.geoBackupLocation`. */
  location?: pulumi.Input<string>;
  /** Entra tenant id (GUID) used by `authConfig`, the administrators and the vaults. Required; must be a plain value. */
  tenantId: string;
  /** Server name: 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen; globally unique (it is a DNS label). Defaults to the component name plus a random suffix kept in state (`<name>-name-suffix`). Fixed at creation: a change is refused at preview while `protect` is on. */
  serverName?: string;
  /** PostgreSQL major version (12-18). Defaults to `17`. Advisory rule `postgres-allowed-versions` warns below 14. */
  version?: PostgresVersion;
  /** SKU name, e.g. `Standard_D2ds_v5` (GeneralPurpose), `Standard_E4ds_v5` (MemoryOptimized) or `Standard_B1ms` (Burstable). Defaults to `Standard_D2ds_v5`. */
  skuName?: string;
  /** SKU tier. Defaults to the tier of `skuName` (`Standard_B…` Burstable, `Standard_D…` GeneralPurpose, `Standard_E…` MemoryOptimized); a mismatch is refused. */
  skuTier?: SkuTier;
  /** Storage size in GiB. Premium_LRS: one of 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767; PremiumV2_LRS/UltraSSD_LRS: 32-65536. Defaults to `128`. */
  storageSizeGb?: number;
  /** Grow storage automatically. Defaults to `true` on Premium_LRS, `false` otherwise (refused with other storage types). */
  storageAutoGrow?: boolean;
  /** Disk type. Defaults to `Premium_LRS`. */
  storageType?: StorageType;
  /** Provisioned IOPS (3000-80000); only with `PremiumV2_LRS` or `UltraSSD_LRS`, refused with Premium_LRS. Defaults to Azure's baseline. */
  storageIops?: number;
  /** Provisioned throughput in MB/s (125-1200); only with `PremiumV2_LRS` or `UltraSSD_LRS`, refused with Premium_LRS. Defaults to Azure's baseline. */
  storageThroughputMBps?: number;
  /** Availability zone ("1", "2" or "3") of the primary. Defaults to `1`. Fixed at creation: a change is refused at preview while `protect` is on. */
  availabilityZone?: string;
  /** HA mode. Defaults to `ZoneRedundant` on GeneralPurpose and MemoryOptimized, `Disabled` on Burstable (where any other value is refused). Advisory rule `postgres-ha-zone-redundant`. */
  highAvailability?: HighAvailabilityMode;
  /** Zone of the standby with `ZoneRedundant`; must differ from `availabilityZone`; refused with other HA modes. Defaults to the next zone. */
  standbyAvailabilityZone?: string;
  /** Entra administrators (at least one while password login is off; groups recommended). Enforced by `postgres-entra-admin`. */
  administrators: EntraAdministratorArgs[];
  /** Application database to create (1-63 letters, digits, `_`, `-`; not `postgres`, `azure_maintenance`, `azure_sys`, `template0/1`). Defaults to `app`. */
  databaseName?: string;
  /** Application schema the personas and workloads are granted on (lowercase identifier; not `public` or `pg_*`). Defaults to `app`. */
  schemaName?: string;
  /** Persona groups (admin, writer, reader and any others), turned into the SQL bootstrap script (output `bootstrapSql`). Group names must be unique. Defaults to none. */
  personas?: PersonaGroupArgs[];
  /** Workload identities: one user-assigned identity per app (`<name>-<app>-id`), optionally federated with AKS, plus its database role in `bootstrapSql`. Rule `postgres-managed-identity` (seed 003 "Workload Access"). Defaults to none. */
  workloadIdentities?: WorkloadIdentityArgs[];
  /** CI identities (deployers, automation): one user-assigned identity each (`<name>-ci-<ci>-id`) with federated credentials for GitHub Actions, Azure DevOps or any OIDC issuer, plus its database role in `bootstrapSql` (no MFA claim). Output `ciIdentities`. Defaults to none. */
  ciIdentities?: CiIdentityArgs[];
  /** An emergency Entra administrator of the server, separate from `administrators`; an alert fires on every sign-in (`<name>-alert-break-glass`). Defaults to none. */
  breakGlassAdministrator?: BreakGlassAdministratorArgs;
  /** Waiver for `postgres-entra-only-auth`: keep password login on. Defaults to `false`. The password comes from `@pulumi/random`, is a secret, and a warning is logged. */
  allowPasswordAuth?: boolean;
  /** Password administrator login, only with `allowPasswordAuth` (refused otherwise, and reserved names such as `azure_superuser`, `admin`, `postgres` are refused). Defaults to `ztadmin`. */
  administratorLogin?: string;
  /** Network isolation. Required: private-endpoint mode (the default) needs `privateEndpointSubnetResourceId`. Rule `postgres-private-connectivity` (stack). */
  network: NetworkArgs;
  /** Customer-managed keys. Defaults to a created Premium vault with an RSA-HSM 3072 key (plus a geo pair). Enforced by `postgres-cmk-encryption`. */
  encryption?: EncryptionArgs;
  /** Lowest TLS version (`ssl_min_protocol_version`); `require_secure_transport` is always on. Defaults to `TLSv1.3`. Enforced by `postgres-tls-min-version` and `postgres-secure-transport`. */
  minimumTlsVersion?: TlsVersion;
  /** Monitoring, pgaudit and alerts. Defaults to a created workspace, pgaudit `role,ddl,misc`, 7-day server logs and both alerts. */
  monitoring?: MonitoringArgs;
  /** Backups. Defaults to 35 days, geo-redundant. */
  backup?: BackupArgs;
  /** Create the server from another server's backups: point-in-time, geo-restore or a dropped server (a recovery drill is one instantiation). Defaults to a new, empty server. */
  restore?: RestoreArgs;
  /** Extensions added to Azure's `azure.extensions` allow-list (pgaudit is always kept), e.g. `pgcrypto`, `vector`, `pg_trgm`, `postgis`. Names Azure does not offer, or does not offer on `version`, are refused. Those Azure must preload join `shared_preload_libraries`, a static parameter: the server restarts once, as for pgaudit. Defaults to none. */
  extensions?: string[];
  /** Any other server parameter, written after the component's own in the serial write chain. A parameter the component sets (TLS, secure transport, pgaudit, logging) is refused here; a weaker value gets the guarding rule's own message. A static parameter triggers the restart handling. Defaults to none. */
  serverParameters?: ServerParameterArgs[];
  /** A custom maintenance window (`customWindow: Enabled`), so patching is change-controlled. Defaults to Azure's system-managed window. */
  maintenanceWindow?: MaintenanceWindowArgs;
  /** Azure RBAC role assignments at server scope (`<name>-rbac-<principal>-<role>`). Privileged roles are refused unless `allowPrivilegedRoles`. Defaults to none. Enforced by `postgres-no-privileged-role-assignment`. */
  roleAssignments?: RoleAssignmentArgs[];
  /** Waiver for `postgres-no-privileged-role-assignment`: allow Owner, Contributor, User Access Administrator and Role Based Access Control Administrator in `roleAssignments`. Defaults to `false`. */
  allowPrivilegedRoles?: boolean;
  /** Vaulted long-term backup in an Azure Backup vault (`<name>-bv`) with immutability and soft delete, weekly, kept up to 10 years. Defaults to none (off). */
  longTermBackup?: LongTermBackupArgs;
  /** Additional application databases, each created on the server (`<name>-db-<database>`) with its own schema, access roles and grants in `bootstrapSql`. Defaults to none. */
  databases?: ApplicationDatabaseArgs[];
  /** Read replicas, at most five, in the server's region or others (not on the Burstable tier). Each has its own server, customer-managed key and identity in its region, the primary's network model, the component's server parameters, diagnostics, Defender and a delete lock. Defaults to none. The pack judges each replica like any server (`postgres-cmk-encryption`, `postgres-no-public-network-access`, diagnostics, Defender, locks). */
  replicas?: ReplicaArgs[];
  /** A virtual endpoint pair (read-write and read-only hosts) over the primary and its replicas; needs at least one replica. Defaults to none. */
  virtualEndpoint?: VirtualEndpointArgs;
  /** Set `protect` on the server, vaults and keys; while on, a change to a create-only server property (name, zone, network mode, encryption mode, geo backup) is planned as a replacement that Pulumi refuses at preview. Defaults to `true`. */
  protect?: boolean;
  /** Restart the server (`az postgres flexible-server restart`, run by `@pulumi/command` on the machine running Pulumi) after a static server parameter such as `shared_preload_libraries` changes, so pgaudit is active after `pulumi up`. Set `false` where that machine has no Azure CLI or no restart permission: the output `manualRestartStep` then says what to run. Defaults to `true`. */
  automaticRestart?: boolean;
  /** Add CanNotDelete management locks on the server and vaults. Locks are inherited by children: remove them (false, `up`) before deleting a firewall rule or administrator. Defaults to `true`. Advisory rule `resource-delete-locks`. */
  deleteLocks?: boolean;
  /** Tags applied to every taggable child. Defaults to none. */
  tags?: { [key: string]: string };
}

/** One workload identity as apps need it to connect. */
export interface WorkloadConnection {
  /** Workload name as declared. */
  name: string;
  /** Client id of the user-assigned identity (AZURE_CLIENT_ID for the Azure Identity library). */
  clientId: string;
  /** PostgreSQL role the app logs in as (the identity's name). */
  role: string;
  /** The access level granted. */
  access: string;
}

/** One CI identity as a pipeline needs it to log in (no secrets: it exchanges its own OIDC token). */
export interface CiIdentityConnection {
  /** CI identity name as declared. */
  name: string;
  /** Client id of the identity (AZURE_CLIENT_ID in the pipeline). */
  clientId: string;
  /** PostgreSQL role it logs in as. */
  role: string;
  /** The access level granted. */
  access: string;
}

/** One read replica as clients and operators need it. */
export interface ReplicaInfo {
  /** Replica name as declared. */
  name: string;
  /** Server name of the replica. */
  serverName: string;
  /** ARM resource id of the replica. */
  serverId: string;
  /** Host name of the replica (read-only connections); resolves to a private address through the private DNS zone. */
  fqdn: string;
  /** Region of the replica. */
  location: string;
  /** Versionless URI of the replica's customer-managed key. */
  keyUri: string;
}

/** An app-ready description of how to connect (no secrets: tokens come from Entra at run time). */
export interface ConnectionInfo {
  /** Server host name to connect to (resolves to a private address through the private DNS zone). */
  host: string;
  /** TCP port. */
  port: number;
  /** Application database name. */
  database: string;
  /** libpq sslmode; always `verify-full`. */
  sslmode: string;
  /** Scope to request an Entra access token for, used as the password. */
  tokenScope: string;
  /** One entry per workload identity. */
  workloads: WorkloadConnection[];
}
