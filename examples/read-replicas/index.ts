// Read replicas: a zero-trust primary in UK South with a same-region replica for read traffic and a
// replica in UK West, its Azure pair, for disaster recovery, plus a virtual endpoint pair whose
// read-only host points at the same-region replica. Each replica gets its own customer-managed key and
// user-assigned identity in its region, a private endpoint in its region, the component's server
// parameters, diagnostics, Defender and a delete lock; nothing is reachable from the internet.
//
// Why it is built this way (Microsoft Learn, read 2026-11-30):
// - Replicas need the GeneralPurpose or MemoryOptimized tier; up to five per primary:
//   https://learn.microsoft.com/azure/postgresql/read-replica/concepts-read-replicas
// - A replica's key must be in a vault in the replica's region, read by an identity created there:
//   https://learn.microsoft.com/azure/postgresql/security/security-data-encryption
// - Clients in another VNet resolve the servers only through a link of the private DNS zone to that
//   VNet, so both VNets are linked:
//   https://learn.microsoft.com/azure/postgresql/network/concepts-networking-private
// - UK West has no availability zones (policies/facts/regions.ts), so the DR replica names no zone.
//
// Config (all optional, so the program also runs offline under mocks):
//   location, drLocation, tenantId (or azure-native:tenantId), adminGroupObjectId, adminGroupName.

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { ZeroTrustPostgres } from "../../components";

const config = new pulumi.Config();
const location = config.get("location") ?? "uksouth";
const drLocation = config.get("drLocation") ?? "ukwest";
const tenantId =
  config.get("tenantId") ??
  new pulumi.Config("azure-native").get("tenantId") ??
  "00000000-0000-4000-8000-0000000000aa";

const resourceGroup = new resources.ResourceGroup("zt-rr-rg", { location });

/** A VNet with one subnet for private endpoints, in `region`. */
function endpointNetwork(prefix: string, region: string, cidr: string) {
  const vnet = new network.VirtualNetwork(`${prefix}-vnet`, {
    resourceGroupName: resourceGroup.name,
    location: region,
    addressSpace: { addressPrefixes: [`${cidr}.0.0/16`] },
  });
  const subnet = new network.Subnet(`${prefix}-endpoints`, {
    resourceGroupName: resourceGroup.name,
    virtualNetworkName: vnet.name,
    subnetName: "private-endpoints",
    addressPrefix: `${cidr}.1.0/24`,
    privateEndpointNetworkPolicies: "Enabled",
    defaultOutboundAccess: false,
  });
  return { vnet, subnet };
}

const primaryNet = endpointNetwork("zt-rr", location, "10.40");
const drNet = endpointNetwork("zt-rr-dr", drLocation, "10.41");

const pg = new ZeroTrustPostgres("zt-rr", {
  resourceGroupName: resourceGroup.name,
  location,
  tenantId,
  administrators: [
    {
      objectId: config.get("adminGroupObjectId") ?? "11111111-1111-4111-8111-111111111111",
      principalName: config.get("adminGroupName") ?? "pg-admins",
    },
  ],
  network: {
    privateEndpointSubnetResourceId: primaryNet.subnet.id,
    linkedVirtualNetworkResourceIds: [primaryNet.vnet.id, drNet.vnet.id],
  },
  replicas: [
    // Same region: the primary's endpoint subnet, a vault and key of its own.
    { name: "read" },
    // Disaster recovery in the pair region: its own endpoint subnet there.
    { name: "dr", location: drLocation, privateEndpointSubnetResourceId: drNet.subnet.id },
  ],
  virtualEndpoint: { readReplica: "read" },
  tags: { workload: "zero-trust-postgres", example: "read-replicas" },
});

export const serverFqdn = pg.fqdn;
export const replicas = pg.replicas;
export const virtualEndpointHosts = pg.virtualEndpointHosts;
