// Every resource the component emits, in every mode, checked against Microsoft's ARM type data
// (../shared/reference/azure-arm-types): property names at the right path, enum values, name
// patterns and lengths, required properties, nothing read-only. See walker.ts for how the SDK's
// input shape maps to the ARM body (path parameters, name, flattened `properties`).

import assert from "node:assert/strict";
import "../helpers/mocks"; // mocks first
import type { RecordedResource } from "../../cli/mocks";
import {
  ADMIN_ID,
  build,
  defaultArgs,
  GEO_KEY_URI,
  GEO_VAULT_ID,
  KEY_URI,
  minimalArgs,
  minimalVnetArgs,
  PG_ZONE_ID,
  SOURCE_SERVER_ID,
  tweak,
  VAULT_ID,
  VNET_ID,
  WORKSPACE_ID,
} from "../components/fixtures";
import { checkResource, sdkApiVersion, type ArmMapping } from "./walker";

/** azure-native token → ARM type. `apiVersion` must equal the installed SDK class's version. */
const MAPPINGS: Record<string, ArmMapping> = {
  "azure-native:dbforpostgresql:Server": {
    dir: "postgresql/2025-08-01",
    armType: "Microsoft.DBforPostgreSQL/flexibleServers",
    apiVersion: "2025-08-01",
    nameInput: "serverName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:dbforpostgresql:Configuration": {
    dir: "postgresql/2025-08-01",
    armType: "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
    apiVersion: "2025-08-01",
    nameInput: "configurationName",
    pathParams: ["resourceGroupName", "serverName"],
  },
  "azure-native:dbforpostgresql:FirewallRule": {
    dir: "postgresql/2025-08-01",
    armType: "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
    apiVersion: "2025-08-01",
    nameInput: "firewallRuleName",
    pathParams: ["resourceGroupName", "serverName"],
  },
  "azure-native:dbforpostgresql:Database": {
    dir: "postgresql/2025-08-01",
    armType: "Microsoft.DBforPostgreSQL/flexibleServers/databases",
    apiVersion: "2025-08-01",
    nameInput: "databaseName",
    pathParams: ["resourceGroupName", "serverName"],
  },
  // The administrator's ARM name is the principal's object id (properties.objectId is read-only).
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": {
    dir: "postgresql/2025-08-01",
    armType: "Microsoft.DBforPostgreSQL/flexibleServers/administrators",
    apiVersion: "2025-08-01",
    nameInput: "objectId",
    pathParams: ["resourceGroupName", "serverName"],
  },
  // Read replicas' virtual endpoint: ../shared/reference/azure-arm-types/trees/postgresql-virtualendpoints-backups-ltr-2025-08-01.txt.
  "azure-native:dbforpostgresql:VirtualEndpoint": {
    dir: "postgresql/2025-08-01",
    armType: "Microsoft.DBforPostgreSQL/flexibleServers/virtualendpoints",
    apiVersion: "2025-08-01",
    nameInput: "virtualEndpointName",
    pathParams: ["resourceGroupName", "serverName"],
  },
  // Long-term backup (Backup vault): ../shared/reference/azure-arm-types/bicep-types/dataprotection.
  "azure-native:dataprotection:BackupVault": {
    dir: "dataprotection/2025-01-01",
    armType: "Microsoft.DataProtection/backupVaults",
    apiVersion: "2025-01-01",
    nameInput: "vaultName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:dataprotection:BackupPolicy": {
    dir: "dataprotection/2025-01-01",
    armType: "Microsoft.DataProtection/backupVaults/backupPolicies",
    apiVersion: "2025-01-01",
    nameInput: "backupPolicyName",
    pathParams: ["resourceGroupName", "vaultName"],
  },
  "azure-native:dataprotection:BackupInstance": {
    dir: "dataprotection/2025-01-01",
    armType: "Microsoft.DataProtection/backupVaults/backupInstances",
    apiVersion: "2025-01-01",
    nameInput: "backupInstanceName",
    pathParams: ["resourceGroupName", "vaultName"],
  },
  "azure-native:keyvault:Vault": {
    dir: "keyvault/2024-11-01",
    armType: "Microsoft.KeyVault/vaults",
    apiVersion: "2024-11-01",
    nameInput: "vaultName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:keyvault:Key": {
    dir: "keyvault/2024-11-01",
    armType: "Microsoft.KeyVault/vaults/keys",
    apiVersion: "2024-11-01",
    nameInput: "keyName",
    pathParams: ["resourceGroupName", "vaultName"],
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    dir: "managedidentity/2023-01-31",
    armType: "Microsoft.ManagedIdentity/userAssignedIdentities",
    apiVersion: "2023-01-31",
    nameInput: "resourceName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    dir: "managedidentity/2023-01-31",
    armType: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    apiVersion: "2023-01-31",
    nameInput: "federatedIdentityCredentialResourceName",
    pathParams: ["resourceGroupName", "resourceName"],
  },
  "azure-native:authorization:RoleAssignment": {
    dir: "authorization/2022-04-01",
    armType: "Microsoft.Authorization/roleAssignments",
    apiVersion: "2022-04-01",
    nameInput: "roleAssignmentName",
    pathParams: ["scope"],
  },
  "azure-native:network:PrivateEndpoint": {
    dir: "network/2024-05-01",
    armType: "Microsoft.Network/privateEndpoints",
    apiVersion: "2024-05-01",
    nameInput: "privateEndpointName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:network:PrivateDnsZoneGroup": {
    dir: "network/2024-05-01",
    armType: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    apiVersion: "2024-05-01",
    nameInput: "privateDnsZoneGroupName",
    pathParams: ["resourceGroupName", "privateEndpointName"],
  },
  "azure-native:network:Subnet": {
    dir: "network/2024-05-01",
    armType: "Microsoft.Network/virtualNetworks/subnets",
    apiVersion: "2024-05-01",
    nameInput: "subnetName",
    pathParams: ["resourceGroupName", "virtualNetworkName"],
  },
  "azure-native:network:NetworkSecurityGroup": {
    dir: "network/2024-05-01",
    armType: "Microsoft.Network/networkSecurityGroups",
    apiVersion: "2024-05-01",
    nameInput: "networkSecurityGroupName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:network:PublicIPAddress": {
    dir: "network/2024-05-01",
    armType: "Microsoft.Network/publicIPAddresses",
    apiVersion: "2024-05-01",
    nameInput: "publicIpAddressName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:network:NatGateway": {
    dir: "network/2024-05-01",
    armType: "Microsoft.Network/natGateways",
    apiVersion: "2024-05-01",
    nameInput: "natGatewayName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:privatedns:PrivateZone": {
    dir: "privatedns/2024-06-01",
    armType: "Microsoft.Network/privateDnsZones",
    apiVersion: "2024-06-01",
    nameInput: "privateZoneName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:privatedns:VirtualNetworkLink": {
    dir: "privatedns/2024-06-01",
    armType: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    apiVersion: "2024-06-01",
    nameInput: "virtualNetworkLinkName",
    pathParams: ["resourceGroupName", "privateZoneName"],
  },
  "azure-native:operationalinsights:Workspace": {
    dir: "operationalinsights/2023-09-01",
    armType: "Microsoft.OperationalInsights/workspaces",
    apiVersion: "2023-09-01",
    nameInput: "workspaceName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:monitor:ActivityLogAlert": {
    dir: "insights/2020-10-01",
    armType: "Microsoft.Insights/activityLogAlerts",
    apiVersion: "2020-10-01",
    nameInput: "activityLogAlertName",
    pathParams: ["resourceGroupName"],
  },
  // The query's ARM name is its `id` input, which the engine keeps out of recorded inputs; the name
  // is checked from the builder in tests/components/audit-monitoring.test.ts.
  "azure-native:operationalinsights:Query": {
    dir: "operationalinsights/2023-09-01",
    armType: "Microsoft.OperationalInsights/queryPacks/queries",
    apiVersion: "2023-09-01",
    nameInput: "id",
    pathParams: ["resourceGroupName", "queryPackName"],
  },
  "azure-native:monitor:DiagnosticSetting": {
    dir: "insights/2021-05-01-preview",
    armType: "Microsoft.Insights/diagnosticSettings",
    apiVersion: "2021-05-01-preview",
    nameInput: "name",
    pathParams: ["resourceUri"],
  },
};

/**
 * The generic resource carries its ARM type in its inputs (threat protection). Its body is `name`
 * (`resourceName`) and `properties`; everything else is a path segment.
 */
function genericMapping(inputs: Record<string, unknown>): ArmMapping {
  const parentTypes = String(inputs.parentResourcePath)
    .split("/")
    .filter((_, i) => i % 2 === 0);
  return {
    dir: "postgresql/2025-08-01",
    armType: [inputs.resourceProviderNamespace, ...parentTypes, inputs.resourceType].join("/"),
    apiVersion: String(inputs.apiVersion),
    nameInput: "resourceName",
    pathParams: [
      "resourceGroupName",
      "resourceProviderNamespace",
      "parentResourcePath",
      "resourceType",
      "apiVersion",
    ],
  };
}

/**
 * Emitted types with no ARM type data in the reference set (it was copied for the types above only).
 * Listed explicitly so a new type cannot slip through unchecked: the test fails on any type that is
 * neither mapped nor listed here.
 */
const NOT_IN_REFERENCE: Record<string, string> = {
  "azure-native:monitor:ScheduledQueryRule":
    "Microsoft.Insights/scheduledQueryRules@2025-01-01-preview: not in the reference set",
  "azure-native:authorization:ManagementLockByScope":
    "Microsoft.Authorization/locks@2020-05-01: not in the reference set",
  "random:index/randomPassword:RandomPassword": "not an Azure resource",
  "random:index/randomString:RandomString": "not an Azure resource (the names' random suffix)",
  "azure-native:operationalinsights:QueryPack":
    "Microsoft.OperationalInsights/queryPacks@2023-09-01: its only body property is the required empty `properties`, which the provider sends and the SDK has no input for; checked in tests/components/audit-monitoring.test.ts",
  "command:local:Command": "not an Azure resource (the restart runs the Azure CLI locally)",
  "zero-trust-azure-postgres:index:ZeroTrustPostgres": "the component itself",
};

describe("emitted inputs against the ARM type reference", function () {
  this.timeout(120000);
  const emitted: RecordedResource[] = [];

  before(async () => {
    const configs = [
      ["zta-default", defaultArgs()],
      [
        "zta-vnet",
        tweak(minimalArgs(), (a) => {
          a.network = {
            mode: "vnetIntegration",
            delegatedSubnetAddressPrefix: "10.20.3.0/28",
            keyVaultSubnetAddressPrefix: "10.20.4.0/29",
            virtualNetworkName: "vnet-test",
            linkedVirtualNetworkResourceIds: [VNET_ID],
          };
          a.skuName = "Standard_E4ds_v5";
          a.storageType = "PremiumV2_LRS";
          a.storageSizeGb = 256;
          a.storageIops = 4000;
          a.storageThroughputMBps = 200;
        }),
      ],
      [
        "zta-brought",
        tweak(minimalArgs(), (a) => {
          a.encryption = {
            keyUri: KEY_URI,
            keyVaultResourceId: VAULT_ID,
            geoBackupKeyUri: GEO_KEY_URI,
            geoBackupKeyVaultResourceId: GEO_VAULT_ID,
          };
          a.network.privateDnsZoneResourceId = PG_ZONE_ID;
          a.monitoring = { logAnalyticsWorkspaceResourceId: WORKSPACE_ID };
        }),
      ],
      [
        "zta-waivers",
        tweak(minimalArgs(), (a) => {
          a.allowPasswordAuth = true;
          a.network.allowPublicAccess = true;
          a.network.firewallRules = [
            { name: "office_1", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" },
          ];
          a.skuName = "Standard_B2s";
          a.backup = { geoRedundantBackup: false, retentionDays: 7 };
          a.encryption = { keyType: "RSA", keySize: 4096 };
        }),
      ],
      [
        "zta-features",
        tweak(minimalArgs(), (a) => {
          a.extensions = ["pgcrypto", "vector", "pg_stat_statements"];
          a.serverParameters = [{ name: "work_mem", value: "65536" }];
          a.maintenanceWindow = { dayOfWeek: 6, startHour: 1, startMinute: 15 };
          a.roleAssignments = [
            { principalId: ADMIN_ID, roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" },
          ];
          a.databases = [{ databaseName: "reporting" }];
          a.longTermBackup = { retentionMonths: 84, immutability: "Locked", softDeleteRetentionDays: 30 };
          a.monitoring = {
            logTableMode: "ResourceSpecific",
            eventHub: {
              authorizationRuleResourceId:
                "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-siem/providers/Microsoft.EventHub/namespaces/siem/authorizationRules/send",
              eventHubName: "pg-logs",
            },
          };
        }),
      ],
      [
        "zta-replicas",
        tweak(minimalArgs(), (a) => {
          a.replicas = [
            { name: "read", availabilityZone: "2" },
            {
              name: "dr",
              location: "northeurope",
              skuName: "Standard_E4ds_v5",
              privateEndpointSubnetResourceId: `${VNET_ID}/subnets/dr`,
            },
          ];
          a.virtualEndpoint = {};
        }),
      ],
      [
        "zta-replica-vnet",
        tweak(minimalVnetArgs(), (a) => {
          a.replicas = [
            {
              name: "dr",
              location: "northeurope",
              delegatedSubnetResourceId: `${VNET_ID}/subnets/dr-postgres`,
              keyVaultPrivateEndpointSubnetResourceId: `${VNET_ID}/subnets/dr-endpoints`,
            },
          ];
        }),
      ],
      [
        "zta-restore",
        tweak(minimalArgs(), (a) => {
          a.restore = { sourceServerResourceId: SOURCE_SERVER_ID, pointInTimeUtc: "2026-01-02T03:04:05Z" };
          a.highAvailability = "SameZone";
        }),
      ],
    ] as const;
    for (const [name, args] of configs) emitted.push(...(await build(name, args)).resources);
  });

  it("maps every emitted type, or lists it as absent from the reference", () => {
    const types = new Set(emitted.map((r) => r.type));
    const unmapped = [...types].filter(
      (t) => !MAPPINGS[t] && t !== "azure-native:resources:Resource" && !NOT_IN_REFERENCE[t],
    );
    assert.deepEqual(unmapped, []);
    assert.ok(types.size >= 20, [...types].join(", "));
  });

  it("maps each type to the API version the installed SDK class uses", () => {
    for (const [token, m] of Object.entries(MAPPINGS))
      assert.equal(sdkApiVersion(token), m.apiVersion, token);
  });

  it("emits only inputs that fit the ARM types (names, paths, enums, patterns, required, read-only)", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const r of emitted) {
      const mapping =
        r.type === "azure-native:resources:Resource" ? genericMapping(r.inputs) : MAPPINGS[r.type];
      if (!mapping) continue;
      checked++;
      // The walker does not descend into discriminated unions (the backup policy's rules);
      // tests/components/backup-vault.test.ts pins those field by field.
      for (const p of checkResource(mapping, r.inputs))
        if (!p.endsWith("unsupported type DiscriminatedObjectType in the reference"))
          problems.push(`${r.name}: ${p}`);
    }
    assert.deepEqual(problems, []);
    assert.ok(checked > 150, `checked ${checked} resources`);
  });

  describe("the checker itself", () => {
    const server = MAPPINGS["azure-native:dbforpostgresql:Server"];
    const base = () => ({
      serverName: "pg-ok-1",
      resourceGroupName: "rg",
      location: "westeurope",
      sku: { name: "Standard_D2ds_v5", tier: "GeneralPurpose" },
      network: { publicNetworkAccess: "Disabled" },
    });

    it("accepts a well-formed server", () => {
      assert.deepEqual(checkResource(server, base()), []);
    });
    it("reports a property that does not exist at that path", () => {
      assert.match(
        checkResource(server, { ...base(), sslEnforcement: "Enabled" }).join(),
        /sslEnforcement: no such ARM property/,
      );
      assert.match(
        checkResource(server, {
          ...base(),
          network: { publicNetworkAccess: "Disabled", firewall: true },
        }).join(),
        /properties\.network\.firewall: no such ARM property/,
      );
    });
    it("reports an enum value the spec does not list", () => {
      assert.match(
        checkResource(server, { ...base(), version: "9.6" }).join(),
        /properties\.version: "9\.6" is not one of 18 \| 17/,
      );
      assert.match(
        checkResource(server, { ...base(), sku: { name: "x", tier: "Basic" } }).join(),
        /sku\.tier: "Basic" is not one of/,
      );
    });
    it("reports a name outside the type's pattern or lengths", () => {
      assert.match(
        checkResource(server, { ...base(), serverName: "pg" }).join(),
        /name\(serverName\): "pg" shorter than 3/,
      );
      const fw = MAPPINGS["azure-native:dbforpostgresql:FirewallRule"];
      assert.match(
        checkResource(fw, {
          firewallRuleName: "bad-",
          serverName: "s",
          resourceGroupName: "r",
          startIpAddress: "1.2.3.4",
          endIpAddress: "1.2.3.4",
        }).join(),
        /name\(firewallRuleName\): "bad-" does not match/,
      );
    });
    it("reports a read-only property and a missing required one", () => {
      assert.match(
        checkResource(server, { ...base(), fullyQualifiedDomainName: "x" }).join(),
        /fullyQualifiedDomainName: read-only/,
      );
      const fw = MAPPINGS["azure-native:dbforpostgresql:FirewallRule"];
      assert.match(
        checkResource(fw, {
          firewallRuleName: "ok",
          serverName: "s",
          resourceGroupName: "r",
          startIpAddress: "1.2.3.4",
        }).join(),
        /endIpAddress: required by ARM, missing/,
      );
    });
  });
});
