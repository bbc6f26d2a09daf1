// Defaults, resolved in one place. Every secure default names the rule (policies/rules) or the seed
// section that requires it, so a reader can trace each value to its reason.
//
// `resolveConfig` runs after `validateArgs` (validate.ts) has accepted the raw args, so it may assume
// well-typed values; it only fills in what the user left out.

import * as pulumi from "@pulumi/pulumi";
import type {
  ApplicationDatabaseArgs,
  BreakGlassAdministratorArgs,
  EventHubDestinationArgs,
  LogTableMode,
  MaintenanceWindowArgs,
  RestoreMode,
  ServerParameterArgs,
  CiIdentityArgs,
  DatabaseAccess,
  EntraAdministratorArgs,
  FirewallRuleArgs,
  PersonaGroupArgs,
  ZeroTrustPostgresArgs,
} from "./args";
import { DEFAULT_LOG_RETENTION_DAYS, DEFAULT_PGAUDIT_LOG } from "./parameters";
import { REGIONS } from "../../policies/facts/regions";
import { DEFAULT_FIREWALL_PREFIX_LENGTH } from "../../policies/rules/thresholds";
import { defaultAvailabilityZone, defaultHighAvailability } from "./region-checks";
import { validateExtensions } from "./extensions";
import { resolveLongTermBackup, type ResolvedLongTermBackup } from "./backup-vault";
import { validateRoleAssignments, type ResolvedRoleAssignment } from "./rbac";
import { resolveReplicas, type ResolvedReplica } from "./replicas";

/** The type token Pulumi's component host requires: `<package name>:index:<ClassName>`. */
export const COMPONENT_TYPE = "zero-trust-azure-postgres:index:ZeroTrustPostgres";
/**
 * The token first planned for the component. Kept as an alias so a stack created under it
 * adopts the new token without replacing the server: a changed type would otherwise read as a delete
 * plus a create of every child, database included.
 */
export const LEGACY_COMPONENT_TYPE = "zerotrust:azure:PostgresServer";

/** PostgreSQL listens on 5432 on Flexible Server; it is not configurable. */
export const POSTGRES_PORT = 5432;
/** Entra token scope for Azure Database for PostgreSQL (seed 003 "Access Control": tokens, not passwords). */
export const ENTRA_TOKEN_SCOPE = "https://ossrdbms-aad.database.windows.net/.default";
/** libpq sslmode the connection output advertises: encrypted and the server name verified. */
export const SSL_MODE = "verify-full";
/** Built-in role "Key Vault Crypto Service Encryption User": wrap/unwrap with a key, nothing else. */
export const CRYPTO_SERVICE_ENCRYPTION_USER_ROLE_ID = "e147488a-f6f5-4113-8e2d-b22465e65bf6";
/** Audience AKS workload identity tokens carry; Entra only exchanges tokens with this audience. */
export const AKS_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
/** Private DNS zone of the PostgreSQL private endpoint (groupId `postgresqlServer`). */
export const POSTGRES_PRIVATELINK_ZONE = "privatelink.postgres.database.azure.com";
/** Suffix every VNet-integration zone must carry. */
export const POSTGRES_ZONE_SUFFIX = ".postgres.database.azure.com";
/** Private DNS zone of Key Vault private endpoints (groupId `vault`). */
export const KEYVAULT_PRIVATELINK_ZONE = "privatelink.vaultcore.azure.net";
/** Service a VNet-integration subnet is delegated to. */
export const POSTGRES_SUBNET_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers";
/** API version of the generic resource that switches Defender threat protection on (no azure-native class). */
export const THREAT_PROTECTION_API_VERSION = "2025-08-01";

/**
 * Azure's paired regions, used for the geo-backup vault when `encryption.geoBackupLocation` is unset.
 * Derived from the region table (policies/facts/regions.ts, Microsoft Learn); nonpaired regions
 * (Italy North, Poland Central, …) have no entry.
 */
export const PAIRED_REGIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(REGIONS).flatMap(([region, facts]) =>
    facts.pair === undefined ? [] : [[region, facts.pair]],
  ),
);

/** A plain region name in Azure's canonical form (`West Europe` becomes `westeurope`). */
export function canonicalRegion(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** Lowercase letters, digits and single hyphens: the common denominator of Azure name rules. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** One persona or workload as the SQL bootstrap sees it. */
export interface ResolvedWorkload {
  /** Name as declared (`api`). */
  name: string;
  access: DatabaseAccess;
  /** Azure name of the user-assigned identity, which is also the PostgreSQL role name. */
  identityName: string;
  aks?: {
    issuerUrl: pulumi.Input<string>;
    namespace: string;
    serviceAccount: string;
    subject: string;
    /** Azure name of the federated identity credential. */
    credentialName: string;
  };
}

export interface ResolvedGeoBackupKey {
  location: string;
  /** True when the component creates the geo vault and key; false when `geoBackupKeyUri` is brought. */
  created: boolean;
  keyName: string;
  keyUri?: pulumi.Input<string>;
  vaultResourceId?: pulumi.Input<string>;
}

/** Every argument with its default applied. Internal: not part of the package's API. */
export interface ResolvedConfig {
  name: string;
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  tenantId: string;
  /**
   * Names the user gave. A name left out is generated with a random suffix kept in state (naming.ts),
   * which needs the component registered first: the steps take the names from `createNames`.
   */
  names: { server?: string; keyVault?: string; geoVault?: string };
  version: string;
  skuName: string;
  skuTier: string;
  storage: { sizeGb: number; autoGrow: boolean; type: string; iops?: number; throughputMBps?: number };
  availabilityZone: string;
  highAvailability: { mode: string; standbyAvailabilityZone?: string };
  administrators: Required<EntraAdministratorArgs>[];
  databaseName: string;
  schemaName: string;
  personas: PersonaGroupArgs[];
  /** CI identities as given; access.ts resolves and checks them. */
  ciIdentities: CiIdentityArgs[];
  /** The break-glass administrator as given; access.ts resolves and checks it. */
  breakGlassAdministrator?: BreakGlassAdministratorArgs;
  workloads: ResolvedWorkload[];
  allowPasswordAuth: boolean;
  administratorLogin?: string;
  network: {
    mode: string;
    privateEndpointSubnetResourceId?: pulumi.Input<string>;
    delegatedSubnetResourceId?: pulumi.Input<string>;
    delegatedSubnetAddressPrefix?: string;
    virtualNetworkName?: pulumi.Input<string>;
    virtualNetworkResourceGroupName?: pulumi.Input<string>;
    privateDnsZoneResourceId?: pulumi.Input<string>;
    /** Name of the zone the component creates (unset when a zone is brought). */
    privateDnsZoneName?: string;
    linkedVirtualNetworkResourceIds: pulumi.Input<string>[];
    keyVaultPrivateDnsZoneResourceId?: pulumi.Input<string>;
    /** vnetIntegration mode: the brought subnet of the created vaults' private endpoints. */
    keyVaultPrivateEndpointSubnetResourceId?: pulumi.Input<string>;
    /** vnetIntegration mode with a created delegated subnet: the CIDR of the vaults' endpoint subnet the component creates. */
    keyVaultSubnetAddressPrefix?: string;
    allowPublicAccess: boolean;
    firewallRules: FirewallRuleArgs[];
    firewallMinimumPrefixLength: number;
  };
  encryption: {
    /** True when the component creates the primary vault and key. */
    created: boolean;
    keyName: string;
    keyType: string;
    keySize: number;
    keyExpiryDays: number;
    keyRotationDays: number;
    keyUri?: pulumi.Input<string>;
    keyVaultResourceId?: pulumi.Input<string>;
    /** Set when geo-redundant backup is on: the geo-backup key needs its own vault and identity. */
    geo?: ResolvedGeoBackupKey;
  };
  minimumTlsVersion: string;
  monitoring: {
    logAnalyticsWorkspaceResourceId?: pulumi.Input<string>;
    workspaceRetentionDays: number;
    pgauditLog: string;
    logRetentionDays: number;
    actionGroupResourceId?: pulumi.Input<string>;
    failedLoginThreshold: number;
    alerts: boolean;
    logTableMode: LogTableMode;
    eventHub?: EventHubDestinationArgs;
  };
  backup: { retentionDays: number; geoRedundantBackup: boolean };
  restore?: { mode: RestoreMode; sourceServerResourceId: pulumi.Input<string>; pointInTimeUtc?: string };
  /** Extensions added to the allow-list (and, where needed, the preload list), without pgaudit. */
  extensions: string[];
  serverParameters: ServerParameterArgs[];
  maintenanceWindow?: MaintenanceWindowArgs;
  roleAssignments: ResolvedRoleAssignment[];
  allowPrivilegedRoles: boolean;
  longTermBackup?: ResolvedLongTermBackup;
  /** Additional application databases, with their schema defaulted. */
  databases: (Required<Pick<ApplicationDatabaseArgs, "databaseName" | "schemaName">> &
    Pick<Required<ApplicationDatabaseArgs>, "grants">)[];
  /** Read replicas with their defaults (replicas.ts). */
  replicas: ResolvedReplica[];
  /** The virtual endpoint, when asked for; its name is generated when unset (naming.ts). */
  virtualEndpoint?: { name?: string; readReplica: string };
  protect: boolean;
  /** Restart the server after a static parameter changes (restart.ts); false leaves it to the operator. */
  automaticRestart: boolean;
  deleteLocks: boolean;
  tags: Record<string, string>;
}

/** JSON from another language may carry `null` where TypeScript has `undefined`. */
function given<T>(v: T | null | undefined): v is T {
  return v !== undefined && v !== null;
}
function or<T>(v: T | null | undefined, d: T): T {
  return given(v) ? v : d;
}

/** Infers the tier from the SKU name's family letter (`Standard_B…` is Burstable). */
export function tierOfSku(skuName: string): string | undefined {
  const m = /^Standard_([A-Z])/.exec(skuName);
  if (!m) return undefined;
  return { B: "Burstable", D: "GeneralPurpose", E: "MemoryOptimized" }[m[1]];
}

/** Applies every default. Assumes `validateArgs` accepted `args`. */
export function resolveConfig(name: string, args: ZeroTrustPostgresArgs): ResolvedConfig {
  const net = args.network ?? {};
  const enc = args.encryption ?? {};
  const mon = args.monitoring ?? {};
  const bak = args.backup ?? {};

  const skuName = or(args.skuName, "Standard_D2ds_v5");
  const skuTier = or(args.skuTier, tierOfSku(skuName) ?? "GeneralPurpose");
  // Zone-less regions (policies/facts/regions.ts) default to no zone.
  const availabilityZone = or(args.availabilityZone, defaultAvailabilityZone(args.location));
  // postgres-ha-zone-redundant (advisory): zone-redundant standby where Azure offers HA at all and the
  // region offers it (region table); same-zone HA where it does not.
  const haMode = or(
    args.highAvailability,
    skuTier === "Burstable" ? "Disabled" : defaultHighAvailability(args.location),
  );
  const standby =
    haMode === "ZoneRedundant"
      ? or(args.standbyAvailabilityZone, String((Number(availabilityZone) % 3) + 1))
      : undefined;

  const storageType = or(args.storageType, "Premium_LRS");
  const mode = or(net.mode, "privateEndpoint");
  const zoneBrought = given(net.privateDnsZoneResourceId);

  // postgres-geo-redundant-backup: geo-redundant by default (seed 000 §5 "Enable Automated Backups").
  const geoRedundantBackup = or(bak.geoRedundantBackup, true);
  const location = args.location;
  const plainLocation = typeof location === "string" ? canonicalRegion(location) : undefined;
  const geoLocation = given(enc.geoBackupLocation)
    ? canonicalRegion(enc.geoBackupLocation)
    : plainLocation !== undefined
      ? PAIRED_REGIONS[plainLocation]
      : undefined;

  const workloads: ResolvedWorkload[] = (args.workloadIdentities ?? []).map((w) => {
    const identityName = `${name}-${w.name}-id`;
    return {
      name: w.name,
      access: w.access,
      identityName,
      aks: given(w.aks)
        ? {
            issuerUrl: w.aks.issuerUrl,
            namespace: w.aks.namespace,
            serviceAccount: w.aks.serviceAccount,
            subject: `system:serviceaccount:${w.aks.namespace}:${w.aks.serviceAccount}`,
            credentialName: `${w.name}-aks`,
          }
        : undefined,
    };
  });

  return {
    name,
    resourceGroupName: args.resourceGroupName,
    location,
    tenantId: args.tenantId,
    names: {
      server: args.serverName ?? undefined,
      keyVault: enc.keyVaultName ?? undefined,
      geoVault: enc.geoBackupKeyVaultName ?? undefined,
    },
    version: or(args.version, "17"),
    skuName,
    skuTier,
    storage: {
      sizeGb: or(args.storageSizeGb, 128),
      // Auto-grow is a Premium_LRS feature; Premium SSD v2 scales by IOPS/throughput instead.
      autoGrow: or(args.storageAutoGrow, storageType === "Premium_LRS"),
      type: storageType,
      iops: args.storageIops ?? undefined,
      throughputMBps: args.storageThroughputMBps ?? undefined,
    },
    availabilityZone,
    highAvailability: { mode: haMode, standbyAvailabilityZone: standby },
    // postgres-entra-admin: at least one Entra administrator; groups by default (seed 003 "User Access").
    administrators: (args.administrators ?? []).map((a) => ({
      objectId: a.objectId.toLowerCase(),
      principalName: a.principalName,
      principalType: or(a.principalType, "Group"),
    })),
    databaseName: or(args.databaseName, "app"),
    schemaName: or(args.schemaName, "app"),
    personas: args.personas ?? [],
    ciIdentities: args.ciIdentities ?? [],
    breakGlassAdministrator: args.breakGlassAdministrator,
    workloads,
    // postgres-entra-only-auth: password login off unless waived (seed 003 "Access Control").
    allowPasswordAuth: or(args.allowPasswordAuth, false),
    administratorLogin: args.allowPasswordAuth === true ? or(args.administratorLogin, "ztadmin") : undefined,
    network: {
      mode,
      privateEndpointSubnetResourceId: net.privateEndpointSubnetResourceId ?? undefined,
      delegatedSubnetResourceId: net.delegatedSubnetResourceId ?? undefined,
      delegatedSubnetAddressPrefix: net.delegatedSubnetAddressPrefix ?? undefined,
      virtualNetworkName: net.virtualNetworkName ?? undefined,
      virtualNetworkResourceGroupName: net.virtualNetworkResourceGroupName ?? undefined,
      privateDnsZoneResourceId: net.privateDnsZoneResourceId ?? undefined,
      privateDnsZoneName: zoneBrought
        ? undefined
        : mode === "vnetIntegration"
          ? or(net.privateDnsZoneName, `${slug(name)}.private${POSTGRES_ZONE_SUFFIX}`)
          : POSTGRES_PRIVATELINK_ZONE,
      // A copy: server.ts replaces each id with its validated output, and must not touch the caller's array.
      linkedVirtualNetworkResourceIds: [...(net.linkedVirtualNetworkResourceIds ?? [])],
      keyVaultPrivateDnsZoneResourceId: net.keyVaultPrivateDnsZoneResourceId ?? undefined,
      keyVaultPrivateEndpointSubnetResourceId: net.keyVaultPrivateEndpointSubnetResourceId ?? undefined,
      keyVaultSubnetAddressPrefix: net.keyVaultSubnetAddressPrefix ?? undefined,
      // postgres-no-public-network-access: Disabled unless waived (seed 000 §2 "Restrict Public Network Access").
      allowPublicAccess: or(net.allowPublicAccess, false),
      firewallRules: net.firewallRules ?? [],
      // firewall-no-open-ranges: nothing wider than /24 (seed 000 §2 "Configure Firewall Rules": trusted ranges only).
      firewallMinimumPrefixLength: or(net.firewallMinimumPrefixLength, DEFAULT_FIREWALL_PREFIX_LENGTH),
    },
    encryption: {
      // postgres-cmk-encryption: customer-managed key by default (seed 000 §3 "Enable Encryption at Rest").
      created: !given(enc.keyUri),
      keyName: or(enc.keyName, `${slug(name) || "pg"}-cmk`),
      // keyvault-key-hsm-backed: HSM-protected keys (Premium vault).
      keyType: or(enc.keyType, "RSA-HSM"),
      // keyvault-key-strength: RSA 3072 by default.
      keySize: or(enc.keySize, 3072),
      // keyvault-key-rotation-policy: the key expires and rotates itself before it does.
      keyExpiryDays: or(enc.keyExpiryDays, 365),
      keyRotationDays: or(enc.keyRotationDays, 180),
      keyUri: enc.keyUri ?? undefined,
      keyVaultResourceId: enc.keyVaultResourceId ?? undefined,
      // postgres-geo-backup-cmk-key: a geo-redundant CMK server needs a geo-backup key and identity.
      geo:
        geoRedundantBackup && geoLocation !== undefined
          ? {
              location: geoLocation,
              created: !given(enc.geoBackupKeyUri),
              keyName: or(enc.keyName, `${slug(name) || "pg"}-cmk`),
              keyUri: enc.geoBackupKeyUri ?? undefined,
              vaultResourceId: enc.geoBackupKeyVaultResourceId ?? undefined,
            }
          : undefined,
    },
    // postgres-tls-min-version: TLS 1.3 by default (seed 000 §2 "Enforce SSL Connections").
    minimumTlsVersion: or(args.minimumTlsVersion, "TLSv1.3"),
    monitoring: {
      logAnalyticsWorkspaceResourceId: mon.logAnalyticsWorkspaceResourceId ?? undefined,
      workspaceRetentionDays: or(mon.workspaceRetentionDays, 365),
      // postgres-pgaudit-enabled (seed 000 §4 "Enable Azure Monitor and Logs").
      pgauditLog: or(mon.pgauditLog, DEFAULT_PGAUDIT_LOG),
      // postgres-log-retention.
      logRetentionDays: or(mon.logRetentionDays, DEFAULT_LOG_RETENTION_DAYS),
      actionGroupResourceId: mon.actionGroupResourceId ?? undefined,
      failedLoginThreshold: or(mon.failedLoginThreshold, 10),
      alerts: or(mon.alerts, true),
      logTableMode: or(mon.logTableMode, "AzureDiagnostics"),
      eventHub: mon.eventHub ?? undefined,
    },
    // postgres-backup-retention: the 35-day maximum (seed 000 §5 "point-in-time recovery for up to 35 days").
    backup: { retentionDays: or(bak.retentionDays, 35), geoRedundantBackup },
    restore: given(args.restore)
      ? {
          mode: or(args.restore.mode, "PointInTimeRestore"),
          sourceServerResourceId: args.restore.sourceServerResourceId,
          pointInTimeUtc: args.restore.pointInTimeUtc ?? undefined,
        }
      : undefined,
    extensions: validateExtensions(
      (args.extensions ?? []).filter((e) => e !== "pgaudit"),
      or(args.version, "17"),
    ),
    serverParameters: (args.serverParameters ?? []).map((p) => ({ name: p.name, value: p.value })),
    maintenanceWindow: args.maintenanceWindow ?? undefined,
    roleAssignments: validateRoleAssignments(args.roleAssignments ?? []),
    allowPrivilegedRoles: or(args.allowPrivilegedRoles, false),
    // Off by default; backup-vault-immutability / backup-vault-soft-delete when on.
    longTermBackup: given(args.longTermBackup) ? resolveLongTermBackup(name, args.longTermBackup) : undefined,
    databases: (args.databases ?? []).map((d) => ({
      databaseName: d.databaseName,
      schemaName: or(d.schemaName, "app"),
      grants: d.grants ?? [],
    })),
    replicas: resolveReplicas(args.replicas ?? [], {
      componentName: name,
      serverName: args.serverName ?? undefined,
      location: args.location,
      mode: mode as "privateEndpoint" | "vnetIntegration",
      skuName,
      skuTier,
      privateEndpointSubnetResourceId: net.privateEndpointSubnetResourceId ?? undefined,
    }),
    virtualEndpoint:
      given(args.virtualEndpoint) && (args.replicas ?? []).length > 0
        ? {
            name: args.virtualEndpoint.name ?? undefined,
            readReplica: args.virtualEndpoint.readReplica ?? (args.replicas ?? [])[0].name,
          }
        : undefined,
    protect: or(args.protect, true),
    // pgaudit active after `pulumi up` (restart.ts): on unless the machine running Pulumi cannot restart.
    automaticRestart: or(args.automaticRestart, true),
    // resource-delete-locks (advisory).
    deleteLocks: or(args.deleteLocks, true),
    tags: { ...(args.tags ?? {}) },
  };
}
