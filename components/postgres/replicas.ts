// Read replicas: in the server's region or another one, each with its own customer-managed key and
// user-assigned identity in ITS region, the same network model as the primary (never public), and
// optionally a virtual endpoint (a read-write host that follows the primary and a read-only host on a
// replica).
//
// Facts (read 2026-11-30):
// - Replica creation: createMode "Replica" with sourceServerResourceId; same-region and cross-region
//   replicas; at most five per primary; "not supported" on the Burstable tier; replicas have no HA and
//   no geo-redundant backup of their own; creating a replica puts the primary in an "updating state"
//   in which "modifying server parameters, changing high availability options, or adding or removing
//   firewalls will be unavailable", so the component creates replicas one after another, after the
//   primary's own writes: https://learn.microsoft.com/azure/postgresql/read-replica/concepts-read-replicas
//   (../shared/reference/microsoft-learn/azure-databases-docs/articles/postgresql/read-replica/concepts-read-replicas.md).
// - Server parameters: a replica takes the primary's at creation, but "changes to the server parameters
//   on the primary server made after creating the read replica aren't automatically replicated"
//   (same page, "Server parameters"). The component therefore writes its own parameter set (TLS,
//   pgaudit, logging, extensions) to every replica too, so a later change reaches them.
// - CMK: "its encryption key needs to be in a Key Vault instance in the region where the read replica
//   database resides", and the identity that reads it "needs to be created in the same region":
//   https://learn.microsoft.com/azure/postgresql/security/security-data-encryption
// - Networking: replicas "support all the networking options"; a client in another VNet resolves the
//   server only through a link of the private DNS zone to that VNet
//   (https://learn.microsoft.com/azure/postgresql/network/concepts-networking-private, "Replication
//   across Azure regions and virtual networks with private networking").
// - Storage: "Storage size on the primary must be always equal or smaller than the storage size on the
//   smallest replica", and with storage autogrow on the primary it "must also be enabled on the
//   replicas" (concepts-read-replicas, "Storage autogrow", "Scaling"). A replica gets the primary's
//   storage settings.
// - Virtual endpoints: Microsoft.DBforPostgreSQL/flexibleServers/virtualendpoints@2025-08-01 on the
//   primary, endpointType "ReadWrite", members = [the replica the read-only host points at]; name 3-63
//   letters, digits and hyphens
//   (../shared/reference/azure-arm-types/trees/postgresql-virtualendpoints-backups-ltr-2025-08-01.txt);
//   one pair per primary and its replicas (virtualEndpointInputs below cites the rest).
//
// Pure: no Pulumi resource is created here. Field shapes (names, regions, ids) are checked by the field
// table (fields.ts); this module checks the replicas against each other and against the primary.

import type * as pulumi from "@pulumi/pulumi";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type { ReplicaArgs } from "./args";
import { canonicalRegion, tierOfSku } from "./defaults";
import { replicaServerName, replicaVaultName } from "./naming";
import { storageInputs, userAssignedIdentities } from "./server-inputs";

/** A replica with its defaults applied. */
export interface ResolvedReplica {
  name: string;
  /** The replica's region: the given one, or the primary's `location` (which may be an Output). */
  location: pulumi.Input<string> | undefined;
  /** True when the replica is (or may be) in another region than the primary. */
  crossRegion: boolean;
  /** The server name when it is known now (given, or derived from a given primary name); else generated. */
  serverName?: string;
  availabilityZone?: string;
  skuName: string;
  skuTier: string;
  /** True when the component creates the replica's vault and key. */
  keyCreated: boolean;
  /** Given name of the created vault; undefined means generated (or no vault). */
  keyVaultName?: string;
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
  delegatedSubnetResourceId?: pulumi.Input<string>;
  /** Subnet of the created vault's private endpoint. */
  keyVaultPrivateEndpointSubnetResourceId?: pulumi.Input<string>;
  keyUri?: pulumi.Input<string>;
  keyVaultResourceId?: pulumi.Input<string>;
}

/** What the primary contributes to its replicas. */
export interface PrimaryFacts {
  /** Component name: generated replica names derive from it. */
  componentName: string;
  /** The primary's server name when given (else generated). */
  serverName?: string;
  /** The primary's region (a plain string, or an Output). */
  location?: pulumi.Input<string>;
  mode: "privateEndpoint" | "vnetIntegration";
  skuName: string;
  skuTier: string;
  privateEndpointSubnetResourceId?: pulumi.Input<string>;
}

/** Azure allows up to five read replicas per primary (concepts-read-replicas). */
export const MAX_REPLICAS = 5;

/** A stand-in for the random name suffix: every generated name shares it, so equal bases collide. */
const ANY_SUFFIX = "x".repeat(8);

/**
 * Checks `replicas` against each other and the primary, and applies the defaults. Throws naming the
 * field, the value and what is allowed. Assumes the field table accepted each field's shape.
 */
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
  const servers = new Map<string, string>([[primary.serverName ?? "", "the primary"]]);
  const vaults = new Map<string, string>();
  const primaryRegion = typeof primary.location === "string" ? canonicalRegion(primary.location) : undefined;
  return list.map((r, i) => {
    const at = `${field}[${i}]`;
    if (names.has(r.name))
      throw new Error(
        `\`${at}.name\` ${JSON.stringify(r.name)} is used twice; give each replica its own name.`,
      );
    names.add(r.name);

    // Names: a generated name is `<base>-<suffix>` with one suffix for all, so equal bases collide.
    const serverName =
      r.serverName ?? replicaServerName(primary.componentName, primary.serverName, r.name, ANY_SUFFIX);
    const other = servers.get(serverName);
    if (other !== undefined) {
      throw new Error(
        `\`${at}.serverName\` ${JSON.stringify(r.serverName ?? serverName.replace(ANY_SUFFIX, "<suffix>"))} is the same as ${other}'s; set \`${at}.serverName\` to a name of its own.`,
      );
    }
    servers.set(serverName, `\`${at}\``);

    const region = r.location !== undefined ? canonicalRegion(r.location) : undefined;
    const crossRegion = region !== undefined && region !== primaryRegion;
    const skuName = r.skuName ?? primary.skuName;
    const skuTier = tierOfSku(skuName) ?? primary.skuTier;
    if (skuTier === "Burstable") {
      throw new Error(
        `\`${at}.skuName\` ${JSON.stringify(skuName)} is a Burstable SKU; Azure offers no read replicas on the Burstable tier: use a GeneralPurpose (Standard_D…) or MemoryOptimized (Standard_E…) SKU.`,
      );
    }

    let peSubnet = r.privateEndpointSubnetResourceId;
    let kvSubnet = r.keyVaultPrivateEndpointSubnetResourceId;
    const keyCreated = r.keyUri === undefined;
    if (primary.mode === "privateEndpoint") {
      if (peSubnet === undefined) {
        if (region !== undefined && (crossRegion || primaryRegion === undefined)) {
          throw new Error(
            `\`${at}.privateEndpointSubnetResourceId\` is required for a replica in ${JSON.stringify(r.location)}: a private endpoint lives in a subnet of its own region${primaryRegion === undefined ? ", and the primary's `location` is not a plain region to compare with" : ""}.`,
          );
        }
        peSubnet = primary.privateEndpointSubnetResourceId;
      }
      // The created vault's endpoint shares the replica's endpoint subnet, in the replica's region.
      kvSubnet = keyCreated ? peSubnet : undefined;
    } else if (keyCreated && kvSubnet === undefined) {
      throw new Error(
        `\`${at}.keyVaultPrivateEndpointSubnetResourceId\` is required in vnetIntegration mode when the component creates the replica's vault: its private endpoint needs a subnet in the replica's region that is not delegated; or bring a key with \`${at}.keyUri\`.`,
      );
    }

    if ((r.keyUri === undefined) !== (r.keyVaultResourceId === undefined)) {
      throw new Error(
        `\`${at}.keyUri\` and \`${at}.keyVaultResourceId\` go together: bring both (a key in the replica's region) or neither (the component creates a vault and key there).`,
      );
    }
    if (
      !keyCreated &&
      (r.keyVaultName !== undefined || r.keyVaultPrivateEndpointSubnetResourceId !== undefined)
    ) {
      throw new Error(
        `\`${at}.${r.keyVaultName !== undefined ? "keyVaultName" : "keyVaultPrivateEndpointSubnetResourceId"}\` is refused with \`${at}.keyUri\`: the component creates no vault for a brought key.`,
      );
    }
    if (keyCreated) {
      const vaultName = r.keyVaultName ?? replicaVaultName(r.name, ANY_SUFFIX);
      const clash = vaults.get(vaultName);
      if (clash !== undefined) {
        throw new Error(
          `\`${at}.keyVaultName\` ${JSON.stringify(r.keyVaultName ?? vaultName.replace(ANY_SUFFIX, "<suffix>"))} is the same as ${clash}'s vault name (generated names keep the first 11 characters of \`name\`); set \`${at}.keyVaultName\`.`,
        );
      }
      vaults.set(vaultName, `\`${at}\``);
    }

    return {
      name: r.name,
      location: r.location ?? primary.location,
      crossRegion: crossRegion || (region !== undefined && primaryRegion === undefined),
      serverName: r.serverName ?? (primary.serverName !== undefined ? serverName : undefined),
      availabilityZone: r.availabilityZone,
      skuName,
      skuTier,
      keyCreated,
      keyVaultName: r.keyVaultName,
      privateEndpointSubnetResourceId: primary.mode === "privateEndpoint" ? peSubnet : undefined,
      delegatedSubnetResourceId: r.delegatedSubnetResourceId,
      keyVaultPrivateEndpointSubnetResourceId: kvSubnet,
      keyUri: r.keyUri,
      keyVaultResourceId: r.keyVaultResourceId,
    };
  });
}

/** What the primary and the replica's own children give its server. */
export interface ReplicaRefs {
  resourceGroupName: pulumi.Input<string>;
  serverName: pulumi.Input<string>;
  sourceServerResourceId: pulumi.Input<string>;
  identityId: pulumi.Input<string>;
  keyUri: pulumi.Input<string>;
  storage: { sizeGb: number; autoGrow: boolean; type: string; iops?: number; throughputMBps?: number };
  privateDnsZoneId?: pulumi.Input<string>;
  tags?: Record<string, string>;
}

/** `azure-native:dbforpostgresql:Server` inputs of one replica. */
export function replicaServerInputs(r: ResolvedReplica, refs: ReplicaRefs): dbforpostgresql.ServerArgs {
  const vnet = r.delegatedSubnetResourceId !== undefined;
  return {
    serverName: refs.serverName,
    resourceGroupName: refs.resourceGroupName,
    location: r.location,
    tags: refs.tags,
    createMode: "Replica",
    sourceServerResourceId: refs.sourceServerResourceId,
    availabilityZone: r.availabilityZone,
    sku: { name: r.skuName, tier: r.skuTier },
    // The primary's storage: a replica may not be smaller, and autogrow on the primary needs it here.
    storage: storageInputs(refs.storage),
    // postgres-entra-only-auth: no authConfig. A replica inherits the primary's authentication and
    // administrators ("The replica inherits the admin account from the primary server",
    // concepts-read-replicas), and Microsoft's replica example (ServersCreateReplica.json, 2025-08-01)
    // sends none; the rule passes an unset authConfig on a replica and judges the primary.
    // postgres-managed-identity / postgres-cmk-encryption: the replica's own identity and key, in its region.
    identity: userAssignedIdentities([refs.identityId]),
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

/**
 * `azure-native:dbforpostgresql:VirtualEndpoint` inputs. The pair is created on the primary; `members`
 * names the server the read-only host points at: "the read replica the virtual endpoint points to"
 * (`az postgres flexible-server virtual-endpoint create --members`,
 * https://learn.microsoft.com/cli/azure/postgres/flexible-server/virtual-endpoint, read 2026-11-30).
 * The read-write host always follows the primary; the read-only one targets one server at a time
 * (https://learn.microsoft.com/azure/postgresql/read-replica/concepts-read-replicas-virtual-endpoints).
 */
export function virtualEndpointInputs(
  name: pulumi.Input<string>,
  resourceGroupName: pulumi.Input<string>,
  primaryServerName: pulumi.Input<string>,
  readReplicaServerName: pulumi.Input<string>,
): dbforpostgresql.VirtualEndpointArgs {
  return {
    virtualEndpointName: name,
    resourceGroupName,
    serverName: primaryServerName,
    endpointType: "ReadWrite",
    members: [readReplicaServerName],
  };
}
