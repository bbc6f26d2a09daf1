// The server's and its parameters' input bags, built by pure functions so that guard.ts can run the
// policy catalogue on exactly what server.ts then emits. `refs` carries the values other children
// produce (identity ids, key URIs, the delegated subnet, the DNS zone, the password); during the
// pre-flight check they are placeholders.

import * as pulumi from "@pulumi/pulumi";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type * as inputs from "@pulumi/azure-native/types/input";
import type { ResolvedConfig } from "./defaults";
import { serverParameters, type ServerParameter } from "./parameters";
import { NO_AVAILABILITY_ZONE } from "./region-checks";
import { mergeParameters } from "./extensions";
import { maintenanceWindowInputs } from "./maintenance";

/** Values the server's inputs take from other children. */
export interface ServerRefs {
  /** Given, or generated with a random suffix kept in state (naming.ts). */
  serverName: pulumi.Input<string>;
  primaryIdentityId: pulumi.Input<string>;
  primaryKeyUri: pulumi.Input<string>;
  geoIdentityId?: pulumi.Input<string>;
  geoKeyUri?: pulumi.Input<string>;
  /** vnetIntegration mode only. */
  delegatedSubnetId?: pulumi.Input<string>;
  /** vnetIntegration mode only: the zone the server registers its A record in. */
  privateDnsZoneId?: pulumi.Input<string>;
  /** allowPasswordAuth only. */
  administratorPassword?: pulumi.Input<string>;
  /** restore only (gated resource id). */
  sourceServerResourceId?: pulumi.Input<string>;
}

function userAssigned(ids: string[]): inputs.dbforpostgresql.UserAssignedIdentityArgs {
  return { type: "UserAssigned", userAssignedIdentities: Object.fromEntries(ids.map((id) => [id, {}])) };
}

/**
 * postgres-managed-identity: user-assigned identities only. Their ids are the map's keys, which must
 * be known strings, so the map is built once the ids resolve.
 */
export function userAssignedIdentities(
  ids: pulumi.Input<string>[],
): pulumi.Input<inputs.dbforpostgresql.UserAssignedIdentityArgs> {
  return ids.every((id) => typeof id === "string")
    ? userAssigned(ids as string[])
    : pulumi.all(ids).apply(userAssigned);
}

/** The server's `storage` inputs from the resolved storage settings (a replica takes the primary's). */
export function storageInputs(storage: ResolvedConfig["storage"]): inputs.dbforpostgresql.StorageArgs {
  return {
    storageSizeGB: storage.sizeGb,
    autoGrow: storage.autoGrow ? "Enabled" : "Disabled",
    type: storage.type,
    iops: storage.iops,
    throughput: storage.throughputMBps,
  };
}

/** `azure-native:dbforpostgresql:Server` inputs. Each zero-trust setting names its rule. */
export function serverInputs(cfg: ResolvedConfig, refs: ServerRefs): dbforpostgresql.ServerArgs {
  const identityIds = [
    refs.primaryIdentityId,
    ...(refs.geoIdentityId !== undefined ? [refs.geoIdentityId] : []),
  ];
  const vnet = cfg.network.mode === "vnetIntegration";
  return {
    serverName: refs.serverName,
    resourceGroupName: cfg.resourceGroupName,
    location: cfg.location,
    tags: cfg.tags,
    version: cfg.version,
    sku: { name: cfg.skuName, tier: cfg.skuTier },
    storage: storageInputs(cfg.storage),
    // "none": no zone (regions without availability zones); Azure's availabilityZone stays unset.
    availabilityZone: cfg.availabilityZone === NO_AVAILABILITY_ZONE ? undefined : cfg.availabilityZone,
    // postgres-ha-zone-redundant.
    highAvailability: {
      mode: cfg.highAvailability.mode,
      standbyAvailabilityZone: cfg.highAvailability.standbyAvailabilityZone,
    },
    // postgres-entra-only-auth / postgres-entra-admin (seed 003 "Access Control").
    authConfig: {
      activeDirectoryAuth: "Enabled",
      passwordAuth: cfg.allowPasswordAuth ? "Enabled" : "Disabled",
      tenantId: cfg.tenantId,
    },
    administratorLogin: cfg.allowPasswordAuth ? cfg.administratorLogin : undefined,
    administratorLoginPassword: cfg.allowPasswordAuth ? refs.administratorPassword : undefined,
    identity: userAssignedIdentities(identityIds),
    // postgres-cmk-encryption / postgres-geo-backup-cmk-key (seed 000 §3).
    dataEncryption: {
      type: "AzureKeyVault",
      primaryKeyURI: refs.primaryKeyUri,
      primaryUserAssignedIdentityId: refs.primaryIdentityId,
      geoBackupKeyURI: refs.geoKeyUri,
      geoBackupUserAssignedIdentityId: refs.geoIdentityId,
    },
    // postgres-backup-retention / postgres-geo-redundant-backup (seed 000 §5).
    backup: {
      backupRetentionDays: cfg.backup.retentionDays,
      geoRedundantBackup: cfg.backup.geoRedundantBackup ? "Enabled" : "Disabled",
    },
    // postgres-no-public-network-access (seed 000 §2): Disabled unless the rule is waived.
    network: {
      publicNetworkAccess: cfg.network.allowPublicAccess ? "Enabled" : "Disabled",
      delegatedSubnetResourceId: vnet ? refs.delegatedSubnetId : undefined,
      privateDnsZoneArmResourceId: vnet ? refs.privateDnsZoneId : undefined,
    },
    // A custom maintenance window only when asked for: unset keeps Azure's system-managed schedule
    // (maintenance.ts).
    ...(cfg.maintenanceWindow !== undefined
      ? { maintenanceWindow: maintenanceWindowInputs(cfg.maintenanceWindow) }
      : {}),
    // Restore (seed 000 §5 "Enable Point-in-Time Restore"; restore.ts): point-in-time, geo-restore
    // (no point in time: the last geo-copied backup) or a dropped server.
    ...(cfg.restore !== undefined
      ? {
          createMode: cfg.restore.mode,
          sourceServerResourceId: refs.sourceServerResourceId ?? cfg.restore.sourceServerResourceId,
          pointInTimeUTC: cfg.restore.mode === "GeoRestore" ? undefined : cfg.restore.pointInTimeUtc,
        }
      : {}),
  };
}

/**
 * The ordered server parameters: the component's own (parameters.ts is the single source of truth),
 * with `extensions` merged into the allow-list and preload list in place, then `serverParameters`.
 */
export function parameterList(cfg: ResolvedConfig): ReadonlyArray<ServerParameter> {
  return mergeParameters(
    serverParameters({
      version: cfg.version,
      minimumTlsVersion: cfg.minimumTlsVersion,
      pgauditLog: cfg.monitoring.pgauditLog,
      logRetentionDays: cfg.monitoring.logRetentionDays,
    }),
    cfg.extensions,
    cfg.serverParameters,
  );
}

/** `azure-native:dbforpostgresql:Configuration` inputs for one parameter. */
export function configurationInputs(
  cfg: ResolvedConfig,
  parameter: ServerParameter,
  serverName: pulumi.Input<string>,
): dbforpostgresql.ConfigurationArgs {
  return {
    configurationName: parameter.name,
    resourceGroupName: cfg.resourceGroupName,
    serverName,
    value: parameter.value,
    source: "user-override",
  };
}
