// A landing zone that already has everything shared: the VNet and private-endpoint subnet, the
// privatelink.postgres.database.azure.com zone (linked centrally), a Log Analytics workspace and
// customer-managed keys in two regions. The component creates only the server, its identities,
// parameters, endpoint, diagnostics, alerts and locks, and grants the identities on the brought keys.
//
// Config (defaults are placeholders in a mock subscription, so the program runs offline):
//   resourceGroupName, location, tenantId (or azure-native:tenantId), adminGroupObjectId,
//   privateEndpointSubnetResourceId, privateDnsZoneResourceId, logAnalyticsWorkspaceResourceId,
//   keyUri, keyVaultResourceId, geoBackupKeyUri, geoBackupKeyVaultResourceId, actionGroupResourceId.

import * as pulumi from "@pulumi/pulumi";
import { DatabaseAccess, ZeroTrustPostgres } from "../../components";

const config = new pulumi.Config();
const subscription = "/subscriptions/00000000-0000-4000-8000-000000000001";
const hub = `${subscription}/resourceGroups/rg-hub`;
const setting = (key: string, fallback: string): string => config.get(key) ?? fallback;

const db = new ZeroTrustPostgres("pg-shared", {
  resourceGroupName: setting("resourceGroupName", "rg-app-data"),
  location: setting("location", "uksouth"),
  tenantId:
    config.get("tenantId") ??
    new pulumi.Config("azure-native").get("tenantId") ??
    "00000000-0000-4000-8000-0000000000aa",
  administrators: [
    {
      objectId: setting("adminGroupObjectId", "11111111-1111-4111-8111-111111111111"),
      principalName: "pg-admins",
    },
  ],
  personas: [
    {
      groupName: "pg-app-writers",
      objectId: "33333333-3333-4333-8333-333333333333",
      access: DatabaseAccess.Writer,
    },
  ],
  network: {
    privateEndpointSubnetResourceId: setting(
      "privateEndpointSubnetResourceId",
      `${hub}/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/private-endpoints`,
    ),
    privateDnsZoneResourceId: setting(
      "privateDnsZoneResourceId",
      `${hub}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com`,
    ),
  },
  encryption: {
    keyUri: setting("keyUri", "https://kv-platform-weu.vault.azure.net/keys/pg-cmk"),
    keyVaultResourceId: setting(
      "keyVaultResourceId",
      `${hub}/providers/Microsoft.KeyVault/vaults/kv-platform-weu`,
    ),
    geoBackupLocation: "ukwest",
    geoBackupKeyUri: setting("geoBackupKeyUri", "https://kv-platform-neu.vault.azure.net/keys/pg-cmk"),
    geoBackupKeyVaultResourceId: setting(
      "geoBackupKeyVaultResourceId",
      `${hub}/providers/Microsoft.KeyVault/vaults/kv-platform-neu`,
    ),
  },
  monitoring: {
    logAnalyticsWorkspaceResourceId: setting(
      "logAnalyticsWorkspaceResourceId",
      `${hub}/providers/Microsoft.OperationalInsights/workspaces/law-platform`,
    ),
    actionGroupResourceId: setting(
      "actionGroupResourceId",
      `${hub}/providers/Microsoft.Insights/actionGroups/ag-dba`,
    ),
  },
  tags: { workload: "zero-trust-postgres", example: "existing-network" },
});

export const serverFqdn = db.fqdn;
export const serverId = db.serverId;
export const privateEndpointIp = db.privateEndpointIp;
export const connection = db.connection;
export const bootstrapSql = db.bootstrapSql;
export const keyUri = db.keyUri;
export const workspaceId = db.workspaceId;
