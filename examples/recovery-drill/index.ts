// A recovery drill: geo-restore a production server that runs in UK West into its paired region, UK
// South, as a new, zero-trust server. One instantiation of the component with `restore.mode:
// "GeoRestore"`; everything else is the secure default.
//
// Why the regions and keys are what they are (Microsoft Learn, read 2026-11-30):
// - Geo-restore creates the server in the source's geo-paired region from the last backup copied
//   there; there is no point in time:
//   https://learn.microsoft.com/azure/postgresql/backup-restore/concepts-backup-restore#geo-redundant-backup-and-restore
// - With customer-managed keys the restored server's key must be in a vault in the region where it
//   runs and its user-assigned identity should be created there; never revoke the source's keys after a
//   restore: https://learn.microsoft.com/azure/postgresql/security/security-data-encryption
//   So the component creates the vault, key and identity in `location` (uksouth), and, because the
//   restored server keeps geo-redundant backup, its own geo-backup key in uksouth's pair (ukwest).
// - UK South is also a region where every default works (zone-redundant HA offered, policies/facts).
//
// Config (all optional, so the program also runs offline under mocks):
//   location (the source's paired region), sourceServerResourceId, tenantId (or azure-native:tenantId),
//   adminGroupObjectId, adminGroupName, protect (bool), deleteLocks (bool).
//
// A drill is temporary: run it with `pulumi config set protect false` and `deleteLocks false`, check
// the restored data, then `pulumi destroy`.

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { RestoreMode, ZeroTrustPostgres } from "../../components";

const config = new pulumi.Config();
const location = config.get("location") ?? "uksouth";
const tenantId =
  config.get("tenantId") ??
  new pulumi.Config("azure-native").get("tenantId") ??
  "00000000-0000-4000-8000-0000000000aa";
const sourceServerResourceId =
  config.get("sourceServerResourceId") ??
  "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/zt-pg-ukwest-rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/zt-pg-ukwest";

const resourceGroup = new resources.ResourceGroup("zt-drill-rg", { location });
const vnet = new network.VirtualNetwork("zt-drill-vnet", {
  resourceGroupName: resourceGroup.name,
  location,
  addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
});
const endpointSubnet = new network.Subnet("zt-drill-endpoints", {
  resourceGroupName: resourceGroup.name,
  virtualNetworkName: vnet.name,
  subnetName: "private-endpoints",
  addressPrefix: "10.30.1.0/24",
  privateEndpointNetworkPolicies: "Enabled",
  defaultOutboundAccess: false,
});

const drill = new ZeroTrustPostgres("zt-drill", {
  resourceGroupName: resourceGroup.name,
  location,
  tenantId,
  administrators: [
    {
      objectId: config.get("adminGroupObjectId") ?? "11111111-1111-4111-8111-111111111111",
      principalName: config.get("adminGroupName") ?? "pg-admins",
    },
  ],
  restore: { mode: RestoreMode.GeoRestore, sourceServerResourceId },
  network: {
    privateEndpointSubnetResourceId: endpointSubnet.id,
    linkedVirtualNetworkResourceIds: [vnet.id],
  },
  protect: config.getBoolean("protect") ?? true,
  deleteLocks: config.getBoolean("deleteLocks") ?? true,
  tags: { workload: "zero-trust-postgres", example: "recovery-drill" },
});

export const serverFqdn = drill.fqdn;
export const serverId = drill.serverId;
export const keyUri = drill.keyUri;
export const geoBackupKeyUri = drill.geoBackupKeyUri;
