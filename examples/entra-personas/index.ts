// Personas under PIM (seed 003 "User Access" and the empty "DevOps Access"): the component creates
// the Entra groups for the admin, writer and reader personas with their PIM for Groups policies and
// eligibilities, keeps a support group that the identity team brings, federates two CI identities
// (a GitHub Actions environment and an Azure DevOps service connection), declares a break-glass
// administrator apart from the daily admin group, and emits the ServiceAccount manifest of an AKS
// workload. Creating groups needs Entra directory roles: see docs/access-model.md.
//
// Config (all optional, so the program also runs offline under mocks):
//   location, tenantId (or azure-native:tenantId), adminGroupObjectId, approverGroupObjectId,
//   dbaUserObjectIds (comma-separated), developerGroupObjectId, analystGroupObjectId,
//   supportGroupObjectId, breakGlassObjectId, breakGlassName, githubRepository,
//   azureDevOpsOrganizationId, aksIssuerUrl, alertEmail.

import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { DatabaseAccess, ZeroTrustPostgres } from "../../components";

const config = new pulumi.Config();
const location = config.get("location") ?? "uksouth";
const tenantId =
  config.get("tenantId") ??
  new pulumi.Config("azure-native").get("tenantId") ??
  "00000000-0000-4000-8000-0000000000aa";
const guid = (key: string, fallback: string): string => config.get(key) ?? fallback;
const dbas = (
  config.get("dbaUserObjectIds") ??
  "aaaaaaaa-0000-4000-8000-000000000001,aaaaaaaa-0000-4000-8000-000000000002"
)
  .split(",")
  .map((s) => s.trim());

const resourceGroup = new resources.ResourceGroup("zt-personas-rg", { location });
const vnet = new network.VirtualNetwork("zt-personas-vnet", {
  resourceGroupName: resourceGroup.name,
  location,
  addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
});
const endpointSubnet = new network.Subnet("zt-personas-endpoints", {
  resourceGroupName: resourceGroup.name,
  virtualNetworkName: vnet.name,
  subnetName: "private-endpoints",
  addressPrefix: "10.30.1.0/24",
  privateEndpointNetworkPolicies: "Enabled",
  defaultOutboundAccess: false,
});
const actionGroup = new monitor.ActionGroup("zt-personas-oncall", {
  resourceGroupName: resourceGroup.name,
  location: "global",
  groupShortName: "ztpg-pim",
  enabled: true,
  emailReceivers: [
    { name: "dba", emailAddress: config.get("alertEmail") ?? "dba@example.com", useCommonAlertSchema: true },
  ],
});

const approvers = guid("approverGroupObjectId", "bbbbbbbb-0000-4000-8000-000000000001");

const db = new ZeroTrustPostgres("zt-personas", {
  resourceGroupName: resourceGroup.name,
  location,
  tenantId,
  administrators: [
    {
      objectId: guid("adminGroupObjectId", "11111111-1111-4111-8111-111111111111"),
      principalName: "pg-platform-admins",
    },
  ],
  breakGlassAdministrator: {
    objectId: guid("breakGlassObjectId", "99999999-9999-4999-8999-999999999999"),
    principalName: config.get("breakGlassName") ?? "bg-postgres@contoso.example",
  },
  personas: [
    {
      groupName: "pg-app-admins",
      access: DatabaseAccess.Admin,
      pim: {
        approverIds: [approvers],
        eligiblePrincipalIds: dbas,
        notificationRecipients: ["dba-oncall@example.com"],
      },
    },
    {
      groupName: "pg-app-writers",
      access: DatabaseAccess.Writer,
      pim: { eligiblePrincipalIds: [guid("developerGroupObjectId", "cccccccc-0000-4000-8000-000000000001")] },
    },
    {
      groupName: "pg-app-readers",
      access: DatabaseAccess.Reader,
      pim: { eligiblePrincipalIds: [guid("analystGroupObjectId", "dddddddd-0000-4000-8000-000000000001")] },
    },
    {
      // Brought by the identity team, which runs its PIM settings itself.
      groupName: "pg-support",
      objectId: guid("supportGroupObjectId", "55555555-5555-4555-8555-555555555555"),
      access: DatabaseAccess.Reader,
    },
  ],
  ciIdentities: [
    {
      name: "deploy",
      federations: [
        {
          github: {
            repository: config.get("githubRepository") ?? "contoso/orders-db",
            environment: "production",
          },
        },
      ],
    },
    {
      name: "nightly",
      access: DatabaseAccess.Reader,
      federations: [
        {
          azureDevOps: {
            organizationId: guid("azureDevOpsOrganizationId", "eeeeeeee-0000-4000-8000-000000000001"),
            organization: "contoso",
            project: "orders",
            serviceConnection: "orders-db-reports",
          },
        },
      ],
    },
  ],
  workloadIdentities: [
    {
      name: "orders",
      access: DatabaseAccess.Writer,
      aks: {
        issuerUrl:
          config.get("aksIssuerUrl") ??
          "https://oidc.prod-aks.azure.com/00000000-0000-4000-8000-0000000000aa/",
        namespace: "orders",
        serviceAccount: "orders-api",
      },
    },
  ],
  network: { privateEndpointSubnetResourceId: endpointSubnet.id, linkedVirtualNetworkResourceIds: [vnet.id] },
  monitoring: { actionGroupResourceId: actionGroup.id },
});

export const fqdn = db.fqdn;
export const personaGroupIds = db.personaGroupIds;
export const ciIdentities = db.ciIdentities;
export const serviceAccountManifests = db.serviceAccountManifests;
export const bootstrapSql = db.bootstrapSql;
