// The default example: everything new in one resource group. A VNet with a subnet for private
// endpoints, the zero-trust server behind its private endpoint, persona groups (admin, writer,
// reader and a custom "support" reader), an AKS workload identity with its federated credential,
// customer-managed keys with a geo-backup key in the paired region, alerts wired to an action group,
// protect and delete locks; and what a team turns on in its first month: extensions (pgcrypto,
// pg_trgm), a change-controlled maintenance window and Monitoring Reader for the operations group.
//
// Config (all optional, so the program also runs offline under mocks):
//   location, tenantId (or azure-native:tenantId), adminGroupObjectId, adminGroupName,
//   personaAdminObjectId, personaWriterObjectId, personaReaderObjectId, personaSupportObjectId,
//   aksIssuerUrl, alertEmail, opsGroupObjectId, protect (bool), deleteLocks (bool).

import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { AzureRole, DatabaseAccess, ZeroTrustPostgres } from "../../components";

const config = new pulumi.Config();
const location = config.get("location") ?? "uksouth";
const tenantId =
  config.get("tenantId") ??
  new pulumi.Config("azure-native").get("tenantId") ??
  "00000000-0000-4000-8000-0000000000aa";
const guid = (key: string, fallback: string): string => config.get(key) ?? fallback;

const resourceGroup = new resources.ResourceGroup("zt-pg-rg", { location });

const vnet = new network.VirtualNetwork("zt-pg-vnet", {
  resourceGroupName: resourceGroup.name,
  location,
  addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
});
const endpointSubnet = new network.Subnet("zt-pg-endpoints", {
  resourceGroupName: resourceGroup.name,
  virtualNetworkName: vnet.name,
  subnetName: "private-endpoints",
  addressPrefix: "10.20.1.0/24",
  privateEndpointNetworkPolicies: "Enabled",
  defaultOutboundAccess: false,
});

const actionGroup = new monitor.ActionGroup("zt-pg-oncall", {
  resourceGroupName: resourceGroup.name,
  location: "global",
  groupShortName: "ztpg-oncall",
  enabled: true,
  emailReceivers: [
    { name: "dba", emailAddress: config.get("alertEmail") ?? "dba@example.com", useCommonAlertSchema: true },
  ],
});

const db = new ZeroTrustPostgres("zt-pg", {
  resourceGroupName: resourceGroup.name,
  location,
  tenantId,
  administrators: [
    {
      objectId: guid("adminGroupObjectId", "11111111-1111-4111-8111-111111111111"),
      principalName: config.get("adminGroupName") ?? "pg-admins",
    },
  ],
  personas: [
    {
      groupName: "pg-app-admins",
      objectId: guid("personaAdminObjectId", "22222222-2222-4222-8222-222222222222"),
      access: DatabaseAccess.Admin,
    },
    {
      groupName: "pg-app-writers",
      objectId: guid("personaWriterObjectId", "33333333-3333-4333-8333-333333333333"),
      access: DatabaseAccess.Writer,
    },
    {
      groupName: "pg-app-readers",
      objectId: guid("personaReaderObjectId", "44444444-4444-4444-8444-444444444444"),
      access: DatabaseAccess.Reader,
    },
    {
      groupName: "pg-support",
      objectId: guid("personaSupportObjectId", "55555555-5555-4555-8555-555555555555"),
      access: DatabaseAccess.Reader,
    },
  ],
  workloadIdentities: [
    {
      name: "orders",
      access: DatabaseAccess.Writer,
      aks: {
        issuerUrl:
          config.get("aksIssuerUrl") ??
          `https://${location}.oic.prod-aks.azure.com/${tenantId}/00000000-0000-4000-8000-00000000a5c5/`,
        namespace: "orders",
        serviceAccount: "orders-api",
      },
    },
  ],
  network: {
    privateEndpointSubnetResourceId: endpointSubnet.id,
    linkedVirtualNetworkResourceIds: [vnet.id],
  },
  // Geo-backup key: uksouth pairs with ukwest (policies/facts/regions.ts); the component creates the
  // second vault there. uksouth is a region where every default works (zone-redundant HA offered,
  // geo-redundant backup offered, an unrestricted pair).
  monitoring: { actionGroupResourceId: actionGroup.id, failedLoginThreshold: 10 },
  // Extensions join the allow-list after pgaudit; neither needs preloading, so no restart beyond pgaudit's.
  extensions: ["pgcrypto", "pg_trgm"],
  // Patching on Sunday 02:00, announced five days ahead, instead of any night Azure picks.
  maintenanceWindow: { dayOfWeek: 0, startHour: 2, startMinute: 0 },
  // Control plane: the operations group reads metrics and logs; nobody gets Owner or Contributor here.
  roleAssignments: [
    {
      principalId: guid("opsGroupObjectId", "66666666-6666-4666-8666-666666666666"),
      roleDefinitionId: AzureRole.MonitoringReader,
      description: "Operations: metrics and logs of the PostgreSQL server",
    },
  ],
  // Tear-down: `pulumi config set protect false`, `pulumi config set deleteLocks false`, `pulumi up`,
  // then `pulumi destroy`. Purge protection keeps the vault names reserved for 90 days after that.
  protect: config.getBoolean("protect") ?? true,
  deleteLocks: config.getBoolean("deleteLocks") ?? true,
  tags: { workload: "zero-trust-postgres", example: "private-endpoint" },
});

export const resourceGroupName = resourceGroup.name;
export const serverFqdn = db.fqdn;
export const serverId = db.serverId;
export const privateEndpointIp = db.privateEndpointIp;
export const connection = db.connection;
export const bootstrapSql = db.bootstrapSql;
export const keyUri = db.keyUri;
export const geoBackupKeyUri = db.geoBackupKeyUri;
export const workspaceId = db.workspaceId;
