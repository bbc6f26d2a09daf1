// VNet integration: the server is injected into a subnet delegated to PostgreSQL, which the component
// creates in this example's VNet, with a private DNS zone ending in .postgres.database.azure.com
// linked to the VNet. The server has no private endpoint (public access is impossible in this mode);
// the Key Vaults, whose public access is disabled, get theirs in a second subnet the component creates
// beside the delegated one.
//
// Config (all optional): location, tenantId (or azure-native:tenantId), adminGroupObjectId,
// adminGroupName, readerGroupObjectId, protect (bool), automaticRestart (bool: false where the machine
// running Pulumi has no Azure CLI; the output manualRestartStep then says what to run).

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { DatabaseAccess, NetworkMode, TlsVersion, ZeroTrustPostgres } from "../../components";

const config = new pulumi.Config();
const location = config.get("location") ?? "uksouth";
const tenantId =
  config.get("tenantId") ??
  new pulumi.Config("azure-native").get("tenantId") ??
  "00000000-0000-4000-8000-0000000000aa";

const resourceGroup = new resources.ResourceGroup("pg-vi-rg", { location });
const vnet = new network.VirtualNetwork("pg-vi-vnet", {
  resourceGroupName: resourceGroup.name,
  location,
  addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
});

const db = new ZeroTrustPostgres("pg-vi", {
  resourceGroupName: resourceGroup.name,
  location,
  tenantId,
  administrators: [
    {
      objectId: config.get("adminGroupObjectId") ?? "11111111-1111-4111-8111-111111111111",
      principalName: config.get("adminGroupName") ?? "pg-admins",
    },
  ],
  personas: [
    {
      groupName: "pg-analysts",
      objectId: config.get("readerGroupObjectId") ?? "66666666-6666-4666-8666-666666666666",
      access: DatabaseAccess.Reader,
    },
  ],
  // A VM or App Service workload: an identity without AKS federation.
  workloadIdentities: [{ name: "reports", access: DatabaseAccess.Reader }],
  network: {
    mode: NetworkMode.VnetIntegration,
    virtualNetworkName: vnet.name,
    delegatedSubnetAddressPrefix: "10.30.2.0/28",
    keyVaultSubnetAddressPrefix: "10.30.3.0/29",
    privateDnsZoneName: "pg-vi.private.postgres.database.azure.com",
    linkedVirtualNetworkResourceIds: [vnet.id],
  },
  // Clients that cannot do TLS 1.3 yet; nothing lower than 1.2 is offered.
  minimumTlsVersion: TlsVersion.TLSv1_2,
  protect: config.getBoolean("protect") ?? true,
  automaticRestart: config.getBoolean("automaticRestart") ?? true,
  tags: { workload: "zero-trust-postgres", example: "vnet-integration" },
});

export const resourceGroupName = resourceGroup.name;
export const serverFqdn = db.fqdn;
export const serverId = db.serverId;
export const privateDnsZoneId = db.privateDnsZoneId;
export const connection = db.connection;
export const bootstrapSql = db.bootstrapSql;
export const keyUri = db.keyUri;
export const workspaceId = db.workspaceId;
// What to run after an update when `automaticRestart` is off; otherwise the component restarts itself.
export const manualRestartStep =
  db.manualRestartStep ?? "none: the component restarts the server when a static parameter changes";
