// Helpers for tests that drive the real policy pack over gRPC (tests/policies/engine-protocol,
// tests/policies/conformance, tests/cli/preview): where the pack lives, a check that it is built, and
// compliant "happy" resources in the shape the engine sends (input properties, URNs, dependencies).

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import type { PackDiagnostic, PackResource } from "../../cli/pack-client";

export const REPO = path.resolve(__dirname, "..", "..");
export const PACK_DIR = path.join(REPO, "policies");

/** The pack runs compiled JS (policies/package.json "main"); `npm test` builds first. */
export function assertPackBuilt(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { main?: string };
  const main = path.resolve(PACK_DIR, pkg.main ?? "index.js");
  assert.ok(
    fs.existsSync(main),
    `the policy pack is not built (${main} is missing): run \`npm run build\` first`,
  );
}

export const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
export const RG = "rg-zt-test";
const P = "urn:pulumi:dev::zt-test::";

export const ids = {
  server: `${SUB}/resourceGroups/${RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-zt-test`,
  identity: `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pg`,
  geoIdentity: `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pg-geo`,
  endpoint: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/pe-pg`,
  subnet: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pe`,
  zone: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com`,
  workspace: `${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/log-zt`,
};

export const urns = {
  server: `${P}azure-native:dbforpostgresql:Server::pg`,
  endpoint: `${P}azure-native:network:PrivateEndpoint::pg-pe`,
  zoneGroup: `${P}azure-native:network:PrivateDnsZoneGroup::pg-pe-zones`,
  diagnostics: `${P}azure-native:monitor:DiagnosticSetting::pg-diag`,
  admin: `${P}azure-native:dbforpostgresql:AdministratorsMicrosoftEntra::pg-admin`,
};

/** A flexible server's inputs that satisfy every server rule at its default config. */
export function happyServerProps(): Record<string, unknown> {
  return {
    resourceGroupName: RG,
    serverName: "pg-zt-test",
    location: "westeurope",
    version: "17",
    sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" },
    storage: { storageSizeGB: 128, autoGrow: "Enabled" },
    network: { publicNetworkAccess: "Disabled" },
    authConfig: {
      activeDirectoryAuth: "Enabled",
      passwordAuth: "Disabled",
      tenantId: "00000000-0000-4000-8000-0000000000aa",
    },
    identity: { type: "UserAssigned", userAssignedIdentities: { [ids.identity]: {}, [ids.geoIdentity]: {} } },
    dataEncryption: {
      type: "AzureKeyVault",
      primaryKeyURI: "https://kv-zt-test.vault.azure.net/keys/pg-cmk",
      primaryUserAssignedIdentityId: ids.identity,
      geoBackupKeyURI: "https://kv-zt-test-geo.vault.azure.net/keys/pg-cmk-geo",
      geoBackupUserAssignedIdentityId: ids.geoIdentity,
    },
    backup: { backupRetentionDays: 35, geoRedundantBackup: "Enabled" },
    highAvailability: { mode: "ZoneRedundant" },
  };
}

export function happyServer(props: Record<string, unknown> = happyServerProps()): PackResource {
  return {
    urn: urns.server,
    type: "azure-native:dbforpostgresql:Server",
    name: "pg",
    properties: props,
    id: ids.server,
  };
}

/** The resources around a server the stack rules look for; `diagnostics: false` leaves the diagnostic setting out. */
export function serverStack(opts: { diagnostics?: boolean } = {}): PackResource[] {
  const rs: PackResource[] = [
    happyServer(),
    {
      urn: urns.endpoint,
      type: "azure-native:network:PrivateEndpoint",
      name: "pg-pe",
      id: ids.endpoint,
      dependencies: [urns.server],
      properties: {
        resourceGroupName: RG,
        privateEndpointName: "pe-pg",
        subnet: { id: ids.subnet },
        privateLinkServiceConnections: [
          { name: "pg", privateLinkServiceId: ids.server, groupIds: ["postgresqlServer"] },
        ],
      },
    },
    {
      urn: urns.zoneGroup,
      type: "azure-native:network:PrivateDnsZoneGroup",
      name: "pg-pe-zones",
      dependencies: [urns.endpoint],
      properties: {
        resourceGroupName: RG,
        privateEndpointName: "pe-pg",
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: "postgres", privateDnsZoneId: ids.zone }],
      },
    },
    {
      urn: urns.admin,
      type: "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
      name: "pg-admin",
      dependencies: [urns.server],
      properties: {
        resourceGroupName: RG,
        serverName: "pg-zt-test",
        objectId: "11111111-1111-4111-8111-111111111111",
        principalName: "pg-admins",
        principalType: "Group",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
      },
    },
  ];
  // pgaudit loaded and auditing role and ddl: what postgres-effective-parameters wants of every server;
  // server logs kept 7 days and throttling on, where Azure's defaults (3 days, off) fall short of
  // postgres-effective-log-parameters.
  for (const [name, value] of [
    ["shared_preload_libraries", "pg_stat_statements,pgaudit"],
    ["pgaudit.log", "role,ddl,misc"],
    ["logfiles.retention_days", "7"],
    ["connection_throttle.enable", "on"],
  ]) {
    rs.push({
      urn: `urn:pulumi:dev::zt-test::azure-native:dbforpostgresql:Configuration::pg-${name}`,
      type: "azure-native:dbforpostgresql:Configuration",
      name: `pg-${name}`,
      dependencies: [urns.server],
      properties: { resourceGroupName: RG, serverName: "pg-zt-test", configurationName: name, value },
    });
  }
  if (opts.diagnostics !== false) {
    rs.push({
      urn: urns.diagnostics,
      type: "azure-native:monitor:DiagnosticSetting",
      name: "pg-diag",
      dependencies: [urns.server],
      properties: {
        name: "to-log-analytics",
        resourceUri: ids.server,
        workspaceId: ids.workspace,
        logs: [{ categoryGroup: "allLogs", enabled: true }],
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
    });
  }
  return rs;
}

export function policiesOf(ds: readonly PackDiagnostic[] | readonly { policy: string }[]): string[] {
  return [...new Set(ds.map((d) => d.policy))].sort();
}
