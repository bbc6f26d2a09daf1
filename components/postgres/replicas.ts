// Read replicas: in the server's region or another one, each with its own customer-managed key and
// user-assigned identity in ITS region, the same network model as the primary (no public access),
// and optionally a virtual endpoint (a stable read-write / read-only host pair).
//
// Facts (read 2026-11-30):
// - Replica creation: createMode "Replica" with sourceServerResourceId; same-region and cross-region
//   replicas; not on the Burstable tier; replicas have no HA and no geo-redundant backup of their own:
//   https://learn.microsoft.com/azure/postgresql/read-replica/concepts-read-replicas
// - CMK: "its encryption key needs to be in a Key Vault instance in the region where the read replica
//   database resides", and the identity that reads it "needs to be created in the same region":
//   https://learn.microsoft.com/azure/postgresql/security/security-data-encryption
// - Virtual endpoints: Microsoft.DBforPostgreSQL/flexibleServers/virtualendpoints@2025-08-01,
//   endpointType "ReadWrite", members = [the primary's name]; name 3-63 characters
//   (../shared/reference/azure-arm-types/trees/postgresql-virtualendpoints-backups-ltr-2025-08-01.txt).
// - The pack's postgres-cmk-encryption and postgres-no-public-network-access judge a replica like any
//   flexible server, so a replica without CMK or with public access fails the same rules.
//
// Pure: no Pulumi resource is created here; the constructor creates the identity, key, server,
// private endpoint, diagnostics, threat protection and lock of each replica from these inputs.

import type * as pulumi from "@pulumi/pulumi";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";

/** One read replica. */
export interface ReplicaArgs {
  /** Short name (lowercase letters, digits, hyphens; 1-20). Children are named `<component>-replica-<name>-…`. */
  name: string;
  /** Region of the replica. Defaults to the primary's `location`. */
  location?: string;
  /** Server name of the replica (3-63 lowercase letters, digits, hyphens). Defaults to `<primary server name>-<name>`. */
  serverName?: string;
  /** Availability zone ("1", "2" or "3"). Defaults to Azure's choice. */
  availabilityZone?: string;
  /** SKU of the replica. Defaults to the primary's. */
  skuName?: string;
  /** privateEndpoint mode: subnet of the replica's private endpoint, in the replica's region. Defaults to the primary's subnet for a same-region replica; required in another region. Refused in vnetIntegration mode. */
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
  /** vnetIntegration mode: delegated subnet in the replica's region. Required in that mode; refused in privateEndpoint mode. */
  delegatedSubnetResourceId?: pulumi.Input<string>;
  /** Bring the replica's key: versionless key URI in a vault in the replica's region. Needs `keyVaultResourceId`. Defaults to a created vault and key in that region. */
  keyUri?: pulumi.Input<string>;
  /** Resource id of the vault holding `keyUri`. Required with `keyUri` and refused without it. */
  keyVaultResourceId?: pulumi.Input<string>;
}

/** A replica with its defaults applied. */
export interface ResolvedReplica {
  name: string;
  location: string | undefined;
  serverName: string;
  availabilityZone?: string;
  skuName: string;
  crossRegion: boolean;
  keyCreated: boolean;
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
  delegatedSubnetResourceId?: pulumi.Input<string>;
  keyUri?: pulumi.Input<string>;
  keyVaultResourceId?: pulumi.Input<string>;
}

/** What the primary contributes to a replica. */
export interface PrimaryFacts {
  serverName: string;
  /** The primary's region when it is a plain string. */
  location?: string;
  mode: "privateEndpoint" | "vnetIntegration";
  skuName: string;
  skuTier: string;
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
}

/** Azure allows up to five read replicas per primary (concepts-read-replicas). */
export const MAX_REPLICAS = 5;
const SHORT = /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/;
const SERVER = /^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$/;
const REGION = /^[a-z0-9]+$/;

/** Validates `replicas` against the primary. Throws naming the field, the value and what is allowed. */
export function resolveReplicas(
  list: readonly ReplicaArgs[],
  primary: PrimaryFacts,
  field = "replicas",
): ResolvedReplica[] {
  if (list.length > MAX_REPLICAS) {
    throw new Error(
      `\`${field}\` has ${list.length} entries; Azure allows at most ${MAX_REPLICAS} read replicas per server.`,
    );
  }
  if (list.length > 0 && primary.skuTier === "Burstable") {
    throw new Error(
      `\`${field}\` needs a GeneralPurpose or MemoryOptimized primary; Azure offers no read replicas on the Burstable tier (\`skuName\` ${JSON.stringify(primary.skuName)}).`,
    );
  }
  const names = new Set<string>();
  const servers = new Set<string>([primary.serverName]);
  return list.map((r, i) => {
    const at = `${field}[${i}]`;
    if (typeof r?.name !== "string" || !SHORT.test(r.name)) {
      throw new Error(
        `\`${at}.name\` ${JSON.stringify(r?.name)} is not allowed; use 1-20 lowercase letters, digits and hyphens.`,
      );
    }
    if (names.has(r.name))
      throw new Error(
        `\`${at}.name\` ${JSON.stringify(r.name)} is used twice; give each replica its own name.`,
      );
    names.add(r.name);
    const serverName = r.serverName ?? `${primary.serverName}-${r.name}`.slice(0, 63).replace(/-+$/, "");
    if (!SERVER.test(serverName) || servers.has(serverName)) {
      throw new Error(
        `\`${at}.serverName\` ${JSON.stringify(serverName)} is not allowed; use 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, and unlike the other servers.`,
      );
    }
    servers.add(serverName);
    if (r.location !== undefined && !REGION.test(r.location)) {
      throw new Error(
        `\`${at}.location\` ${JSON.stringify(r.location)} is not a region name; use one like "swedencentral".`,
      );
    }
    const location = r.location ?? primary.location;
    const crossRegion = r.location !== undefined && r.location !== primary.location;
    if (r.availabilityZone !== undefined && !["1", "2", "3"].includes(r.availabilityZone)) {
      throw new Error(
        `\`${at}.availabilityZone\` ${JSON.stringify(r.availabilityZone)} is not allowed; use "1", "2" or "3".`,
      );
    }
    let peSubnet = r.privateEndpointSubnetResourceId;
    if (primary.mode === "privateEndpoint") {
      if (r.delegatedSubnetResourceId !== undefined) {
        throw new Error(
          `\`${at}.delegatedSubnetResourceId\` is refused in privateEndpoint mode; set \`${at}.privateEndpointSubnetResourceId\` instead.`,
        );
      }
      if (peSubnet === undefined) {
        if (crossRegion) {
          throw new Error(
            `\`${at}.privateEndpointSubnetResourceId\` is required for a replica in ${JSON.stringify(r.location)}: a private endpoint lives in a subnet of its own region.`,
          );
        }
        peSubnet = primary.privateEndpointSubnetResourceId;
      }
    } else {
      if (peSubnet !== undefined) {
        throw new Error(
          `\`${at}.privateEndpointSubnetResourceId\` is refused in vnetIntegration mode; set \`${at}.delegatedSubnetResourceId\` instead.`,
        );
      }
      if (r.delegatedSubnetResourceId === undefined) {
        throw new Error(
          `\`${at}.delegatedSubnetResourceId\` is required in vnetIntegration mode: a subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers in the replica's region.`,
        );
      }
    }
    if ((r.keyUri === undefined) !== (r.keyVaultResourceId === undefined)) {
      throw new Error(
        `\`${at}.keyUri\` and \`${at}.keyVaultResourceId\` go together: bring both (a key in the replica's region) or neither (the component creates a vault and key there).`,
      );
    }
    return {
      name: r.name,
      location,
      serverName,
      availabilityZone: r.availabilityZone,
      skuName: r.skuName ?? primary.skuName,
      crossRegion,
      keyCreated: r.keyUri === undefined,
      privateEndpointSubnetResourceId: peSubnet,
      delegatedSubnetResourceId: r.delegatedSubnetResourceId,
      keyUri: r.keyUri,
      keyVaultResourceId: r.keyVaultResourceId,
    };
  });
}

/** `azure-native:dbforpostgresql:Server` inputs of one replica. */
export function replicaServerInputs(
  r: ResolvedReplica,
  refs: {
    resourceGroupName: pulumi.Input<string>;
    sourceServerResourceId: pulumi.Input<string>;
    identityId: string;
    keyUri: pulumi.Input<string>;
    skuTier: string;
    tenantId: string;
    privateDnsZoneId?: pulumi.Input<string>;
    tags?: Record<string, string>;
  },
): dbforpostgresql.ServerArgs {
  const vnet = r.delegatedSubnetResourceId !== undefined;
  return {
    serverName: r.serverName,
    resourceGroupName: refs.resourceGroupName,
    location: r.location,
    tags: refs.tags,
    createMode: "Replica",
    sourceServerResourceId: refs.sourceServerResourceId,
    availabilityZone: r.availabilityZone,
    sku: { name: r.skuName, tier: refs.skuTier },
    // postgres-entra-only-auth: Entra login only, as on the primary.
    authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: refs.tenantId },
    // postgres-managed-identity / postgres-cmk-encryption: the replica's own identity and key, in its region.
    identity: { type: "UserAssigned", userAssignedIdentities: { [refs.identityId]: {} } },
    dataEncryption: {
      type: "AzureKeyVault",
      primaryKeyURI: refs.keyUri,
      primaryUserAssignedIdentityId: refs.identityId,
    },
    // postgres-no-public-network-access: the primary's network model, never public.
    network: {
      publicNetworkAccess: "Disabled",
      delegatedSubnetResourceId: vnet ? r.delegatedSubnetResourceId : undefined,
      privateDnsZoneArmResourceId: vnet ? refs.privateDnsZoneId : undefined,
    },
  };
}

/** `azure-native:dbforpostgresql:VirtualEndpoint` inputs: a read-write endpoint on the primary and a read-only one on its replicas. */
export function virtualEndpointInputs(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  primaryServerName: pulumi.Input<string>,
  field = "virtualEndpoint.name",
): dbforpostgresql.VirtualEndpointArgs {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{1,61}[A-Za-z0-9]$/.test(name)) {
    throw new Error(
      `\`${field}\` ${JSON.stringify(name)} is not allowed; use 3-63 letters, digits and hyphens, not starting or ending with a hyphen.`,
    );
  }
  return {
    virtualEndpointName: name,
    resourceGroupName,
    serverName: primaryServerName,
    endpointType: "ReadWrite",
    members: [primaryServerName],
  };
}
