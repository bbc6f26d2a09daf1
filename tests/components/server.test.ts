// ZeroTrustPostgres under the mock monitor: child types, names, parents and key inputs per feature.

import assert from "node:assert/strict";
import { promiseOf, recorder } from "../helpers/mocks"; // mocks first
import { mockGuid, mockState } from "../../cli/mocks";
import {
  ACTION_GROUP_ID,
  ADMIN_ID,
  build,
  defaultArgs,
  ISSUER,
  minimalArgs,
  RG,
  SUBNET_ID,
  TENANT_ID,
  tweak,
  VNET_ID,
  type Built,
} from "./fixtures";
import { serverParameters } from "../../components/postgres/parameters";
import { CREATE_ONLY_PATHS } from "../../components/postgres/create-only";

const T = {
  server: "azure-native:dbforpostgresql:Server",
  config: "azure-native:dbforpostgresql:Configuration",
  admin: "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
  db: "azure-native:dbforpostgresql:Database",
  fw: "azure-native:dbforpostgresql:FirewallRule",
  uai: "azure-native:managedidentity:UserAssignedIdentity",
  fic: "azure-native:managedidentity:FederatedIdentityCredential",
  role: "azure-native:authorization:RoleAssignment",
  lock: "azure-native:authorization:ManagementLockByScope",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  pe: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  subnet: "azure-native:network:Subnet",
  zone: "azure-native:privatedns:PrivateZone",
  link: "azure-native:privatedns:VirtualNetworkLink",
  ws: "azure-native:operationalinsights:Workspace",
  diag: "azure-native:monitor:DiagnosticSetting",
  alert: "azure-native:monitor:ScheduledQueryRule",
  generic: "azure-native:resources:Resource",
  password: "random:index/randomPassword:RandomPassword",
  suffix: "random:index/randomString:RandomString",
  component: "zero-trust-azure-postgres:index:ZeroTrustPostgres",
};

type Props = Record<string, unknown>;
const props = (r: { inputs: Props }): Props => r.inputs;

describe("ZeroTrustPostgres", function () {
  this.timeout(60000);

  describe("default (private endpoint, created keys, geo backup)", () => {
    let b: Built;
    before(async () => {
      b = await build("ztd", defaultArgs());
    });

    it("registers exactly these children, names derived from the component name (renaming replaces a database)", () => {
      const names = b.resources.map((r) => `${r.type} ${r.name}`).sort();
      const expected = [
        `${T.component} ztd`,
        `${T.suffix} ztd-name-suffix`,
        `${T.uai} ztd-server-id`,
        `${T.uai} ztd-geo-id`,
        `${T.uai} ztd-orders-id`,
        `${T.fic} ztd-orders-fic`,
        `${T.vault} ztd-kv`,
        `${T.key} ztd-kv-key`,
        `${T.vault} ztd-geo-kv`,
        `${T.key} ztd-geo-kv-key`,
        `${T.role} ztd-kv-crypto`,
        `${T.role} ztd-geo-kv-crypto`,
        `${T.zone} ztd-pg-zone`,
        `${T.link} ztd-pg-zone-link-0`,
        `${T.zone} ztd-kv-zone`,
        `${T.link} ztd-kv-zone-link-0`,
        `${T.server} ztd-server`,
        ...serverParameters({
          version: "17",
          minimumTlsVersion: "TLSv1.3",
          pgauditLog: "role,ddl,misc",
          logRetentionDays: 7,
        }).map((p) => `${T.config} ztd-param-${p.name.replace(/[^a-zA-Z0-9]+/g, "-")}`),
        "command:local:Command ztd-restart",
        `${T.admin} ztd-admin-${ADMIN_ID}`,
        `${T.db} ztd-db`,
        `${T.pe} ztd-pe`,
        `${T.zoneGroup} ztd-pe-dns`,
        `${T.pe} ztd-kv-pe`,
        `${T.zoneGroup} ztd-kv-pe-dns`,
        `${T.pe} ztd-geo-kv-pe`,
        `${T.zoneGroup} ztd-geo-kv-pe-dns`,
        `${T.ws} ztd-logs`,
        `${T.diag} ztd-server-diag`,
        `${T.diag} ztd-kv-diag`,
        `${T.diag} ztd-geo-kv-diag`,
        `${T.generic} ztd-threat-protection`,
        `${T.alert} ztd-alert-failed-logins`,
        `${T.alert} ztd-alert-role-changes`,
        `${T.lock} ztd-server-lock`,
        `${T.lock} ztd-kv-lock`,
        `${T.lock} ztd-geo-kv-lock`,
        // The access model's monitoring (audit-monitoring.ts).
        "azure-native:monitor:ActivityLogAlert ztd-alert-server-unavailable",
        "azure-native:monitor:ActivityLogAlert ztd-alert-defender",
        `${T.lock} ztd-logs-lock`,
        "azure-native:operationalinsights:QueryPack ztd-queries",
        "azure-native:operationalinsights:Query ztd-query-failed-logins-by-source",
        "azure-native:operationalinsights:Query ztd-query-role-changes",
        "azure-native:operationalinsights:Query ztd-query-connections-by-identity",
      ].sort();
      assert.deepEqual(names, expected);
    });

    it("parents every child to the component", () => {
      const children = b.options.filter((o) => o.type !== T.component);
      assert.ok(children.length > 30);
      for (const o of children) assert.equal(o.parent, "ztd", `${o.name} is parented to ${o.parent}`);
    });

    it("keeps an alias to the originally planned type token", () => {
      const own = b.opts("ztd");
      assert.ok(
        (own.aliases ?? []).some((a) => (a as { type?: string }).type === "zerotrust:azure:PostgresServer"),
        JSON.stringify(own.aliases),
      );
      assert.equal(b.get(T.component, "ztd").type, "zero-trust-azure-postgres:index:ZeroTrustPostgres");
    });

    it("creates the server Entra-only, private, CMK-encrypted with a geo key, zone-redundant, 35-day geo backups", () => {
      const s = props(b.get(T.server, "ztd-server"));
      assert.deepEqual(s.authConfig, {
        activeDirectoryAuth: "Enabled",
        passwordAuth: "Disabled",
        tenantId: TENANT_ID,
      });
      assert.equal(s.administratorLogin, undefined);
      assert.equal(s.administratorLoginPassword, undefined);
      assert.deepEqual(s.network, { publicNetworkAccess: "Disabled" });
      assert.equal(s.version, "17");
      assert.deepEqual(s.sku, { name: "Standard_D2ds_v5", tier: "GeneralPurpose" });
      assert.deepEqual(s.highAvailability, { mode: "ZoneRedundant", standbyAvailabilityZone: "2" });
      assert.equal(s.availabilityZone, "1");
      assert.deepEqual(s.backup, { backupRetentionDays: 35, geoRedundantBackup: "Enabled" });
      assert.deepEqual(s.storage, { storageSizeGB: 128, autoGrow: "Enabled", type: "Premium_LRS" });
      assert.equal(s.location, "westeurope");
      // Generated names: the component name and the random suffix kept in state (naming.ts).
      const suffix = b.get(T.suffix, "ztd-name-suffix");
      assert.deepEqual(props(suffix), {
        length: 8,
        lower: true,
        upper: false,
        numeric: true,
        special: false,
      });
      const result = String(mockState(T.suffix, "ztd-name-suffix", props(suffix)).result);
      assert.match(result, /^[a-z0-9]{8}$/);
      assert.equal(s.serverName, `ztd-${result}`);
      assert.equal(props(b.get(T.vault, "ztd-kv")).vaultName, `ztd-kv-${result}`);
      assert.equal(props(b.get(T.vault, "ztd-geo-kv")).vaultName, `ztd-gkv-${result}`);

      const id = (n: string) => b.get(T.uai, n).id;
      const enc = s.dataEncryption as Props;
      assert.equal(enc.type, "AzureKeyVault");
      assert.equal(enc.primaryUserAssignedIdentityId, id("ztd-server-id"));
      assert.equal(enc.geoBackupUserAssignedIdentityId, id("ztd-geo-id"));
      const kvName = props(b.get(T.vault, "ztd-kv")).vaultName;
      const geoName = props(b.get(T.vault, "ztd-geo-kv")).vaultName;
      // Versionless URIs: the server follows automatic rotation.
      assert.equal(enc.primaryKeyURI, `https://${kvName}.vault.azure.net/keys/ztd-cmk`);
      assert.equal(enc.geoBackupKeyURI, `https://${geoName}.vault.azure.net/keys/ztd-cmk`);
      assert.deepEqual(s.identity, {
        type: "UserAssigned",
        userAssignedIdentities: { [id("ztd-server-id")]: {}, [id("ztd-geo-id")]: {} },
      });
    });

    it("orders the server after both key role assignments", () => {
      assert.deepEqual(b.opts("ztd-server").dependsOn.sort(), ["ztd-geo-kv-crypto", "ztd-kv-crypto"]);
    });

    it("creates RBAC vaults with purge protection, 90-day soft delete, no public access, premium for RSA-HSM", () => {
      for (const [n, loc] of [
        ["ztd-kv", "westeurope"],
        ["ztd-geo-kv", "northeurope"],
      ]) {
        const v = props(b.get(T.vault, n));
        assert.equal(v.location, loc);
        assert.match(String(v.vaultName), /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
        const p = v.properties as Props;
        assert.equal(p.tenantId, TENANT_ID);
        assert.deepEqual(p.sku, { family: "A", name: "premium" });
        assert.equal(p.enableRbacAuthorization, true);
        assert.equal(p.enablePurgeProtection, true);
        assert.equal(p.enableSoftDelete, true);
        assert.equal(p.softDeleteRetentionInDays, 90);
        assert.equal(p.publicNetworkAccess, "Disabled");
        assert.deepEqual(p.networkAcls, { defaultAction: "Deny", bypass: "AzureServices" });
      }
      assert.notEqual(
        props(b.get(T.vault, "ztd-kv")).vaultName,
        props(b.get(T.vault, "ztd-geo-kv")).vaultName,
      );
    });

    it("creates RSA-HSM 3072 keys with an expiring, auto-rotating policy", () => {
      for (const n of ["ztd-kv-key", "ztd-geo-kv-key"]) {
        const k = props(b.get(T.key, n));
        const p = k.properties as Props;
        assert.equal(p.kty, "RSA-HSM");
        assert.equal(p.keySize, 3072);
        assert.deepEqual(p.keyOps, ["wrapKey", "unwrapKey"]);
        assert.deepEqual(p.rotationPolicy, {
          attributes: { expiryTime: "P365D" },
          lifetimeActions: [
            { action: { type: "rotate" }, trigger: { timeAfterCreate: "P180D" } },
            { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
          ],
        });
      }
    });

    it("grants each server identity Key Vault Crypto Service Encryption User on its own key", () => {
      for (const [role, identity, key] of [
        ["ztd-kv-crypto", "ztd-server-id", "ztd-kv-key"],
        ["ztd-geo-kv-crypto", "ztd-geo-id", "ztd-geo-kv-key"],
      ]) {
        const r = props(b.get(T.role, role));
        const keyId = b.get(T.key, key).id;
        assert.equal(r.scope, keyId);
        assert.equal(r.principalType, "ServicePrincipal");
        assert.equal(r.principalId, recorderOutputs(identity).principalId);
        assert.equal(
          r.roleDefinitionId,
          `${keyId.split("/").slice(0, 3).join("/")}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6`,
        );
      }
      function recorderOutputs(name: string): Props {
        const uai = b.get(T.uai, name);
        return { principalId: mockPrincipal(uai.id) };
      }
    });

    it("federates the workload identity with its AKS service account", () => {
      const fic = props(b.get(T.fic, "ztd-orders-fic"));
      assert.equal(fic.issuer, ISSUER);
      assert.equal(fic.subject, "system:serviceaccount:orders:orders-api");
      assert.deepEqual(fic.audiences, ["api://AzureADTokenExchange"]);
      assert.equal(fic.resourceName, props(b.get(T.uai, "ztd-orders-id")).resourceName);
      assert.equal(fic.federatedIdentityCredentialResourceName, "orders-aks");
    });

    it("creates each Entra administrator as a group with the tenant id", () => {
      const a = props(b.get(T.admin, `ztd-admin-${ADMIN_ID}`));
      assert.deepEqual(
        {
          objectId: a.objectId,
          principalName: a.principalName,
          principalType: a.principalType,
          tenantId: a.tenantId,
        },
        { objectId: ADMIN_ID, principalName: "pg-admins", principalType: "Group", tenantId: TENANT_ID },
      );
    });

    it("puts a private endpoint (postgresqlServer) in the given subnet with a DNS zone group on the privatelink zone", () => {
      const pe = props(b.get(T.pe, "ztd-pe"));
      assert.equal((pe.subnet as Props).id, SUBNET_ID);
      const conn = (pe.privateLinkServiceConnections as Props[])[0];
      assert.deepEqual(conn.groupIds, ["postgresqlServer"]);
      assert.equal(conn.privateLinkServiceId, b.get(T.server, "ztd-server").id);
      const zone = b.get(T.zone, "ztd-pg-zone");
      assert.equal(props(zone).privateZoneName, "privatelink.postgres.database.azure.com");
      assert.equal(props(zone).location, "global");
      const group = props(b.get(T.zoneGroup, "ztd-pe-dns"));
      assert.equal(group.privateEndpointName, "ztd-pe");
      assert.deepEqual(group.privateDnsZoneConfigs, [
        { name: "postgresqlServer", privateDnsZoneId: zone.id },
      ]);
      const link = props(b.get(T.link, "ztd-pg-zone-link-0"));
      assert.deepEqual(link.virtualNetwork, { id: VNET_ID });
      assert.equal(link.registrationEnabled, false);
    });

    it("gives each created vault its own private endpoint (vault) on privatelink.vaultcore.azure.net", () => {
      const zone = b.get(T.zone, "ztd-kv-zone");
      assert.equal(props(zone).privateZoneName, "privatelink.vaultcore.azure.net");
      for (const [pe, vault] of [
        ["ztd-kv-pe", "ztd-kv"],
        ["ztd-geo-kv-pe", "ztd-geo-kv"],
      ]) {
        const p = props(b.get(T.pe, pe));
        const conn = (p.privateLinkServiceConnections as Props[])[0];
        assert.deepEqual(conn.groupIds, ["vault"]);
        assert.equal(conn.privateLinkServiceId, b.get(T.vault, vault).id);
        assert.equal((p.subnet as Props).id, SUBNET_ID);
        const group = props(b.get(T.zoneGroup, `${pe}-dns`));
        assert.deepEqual(group.privateDnsZoneConfigs, [{ name: "vault", privateDnsZoneId: zone.id }]);
      }
    });

    it("sends server logs (allLogs) and metrics, and each vault's audit logs, to the created workspace", () => {
      const ws = b.get(T.ws, "ztd-logs");
      assert.equal(props(ws).retentionInDays, 365);
      const server = props(b.get(T.diag, "ztd-server-diag"));
      assert.equal(server.resourceUri, b.get(T.server, "ztd-server").id);
      assert.equal(server.workspaceId, ws.id);
      assert.deepEqual(server.logs, [{ categoryGroup: "allLogs", enabled: true }]);
      assert.deepEqual(server.metrics, [{ category: "AllMetrics", enabled: true }]);
      for (const v of ["kv", "geo-kv"]) {
        const d = props(b.get(T.diag, `ztd-${v}-diag`));
        assert.equal(d.resourceUri, b.get(T.vault, `ztd-${v}`).id);
        assert.deepEqual(d.logs, [{ categoryGroup: "audit", enabled: true }]);
        assert.equal(d.workspaceId, ws.id);
      }
    });

    it("switches Defender threat protection on through the generic resource", () => {
      const atp = props(b.get(T.generic, "ztd-threat-protection"));
      const serverName = props(b.get(T.server, "ztd-server")).serverName;
      assert.deepEqual(
        {
          resourceProviderNamespace: atp.resourceProviderNamespace,
          parentResourcePath: atp.parentResourcePath,
          resourceType: atp.resourceType,
          resourceName: atp.resourceName,
          apiVersion: atp.apiVersion,
          properties: atp.properties,
        },
        {
          resourceProviderNamespace: "Microsoft.DBforPostgreSQL",
          parentResourcePath: `flexibleServers/${serverName}`,
          resourceType: "advancedThreatProtectionSettings",
          resourceName: "Default",
          apiVersion: "2025-08-01",
          properties: { state: "Enabled" },
        },
      );
    });

    it("alerts on failed-login bursts and on pgaudit ROLE lines, notifying the action group", () => {
      const ws = b.get(T.ws, "ztd-logs").id;
      const failed = props(b.get(T.alert, "ztd-alert-failed-logins"));
      const role = props(b.get(T.alert, "ztd-alert-role-changes"));
      for (const a of [failed, role]) {
        assert.deepEqual(a.scopes, [ws]);
        assert.deepEqual(a.actions, { actionGroups: [ACTION_GROUP_ID] });
        assert.equal(a.enabled, true);
        assert.equal(a.kind, "LogAlert");
      }
      const fc = ((failed.criteria as Props).allOf as Props[])[0];
      assert.match(String(fc.query), /authentication failed/);
      assert.equal(fc.threshold, 10);
      assert.equal(fc.operator, "GreaterThanOrEqual");
      const rc = ((role.criteria as Props).allOf as Props[])[0];
      assert.match(String(rc.query), /AUDIT:/);
      assert.match(String(rc.query), /,ROLE,/);
      assert.equal(rc.threshold, 0);
    });

    it("creates the application database", () => {
      const d = props(b.get(T.db, "ztd-db"));
      assert.equal(d.databaseName, "app");
      assert.equal(d.serverName, props(b.get(T.server, "ztd-server")).serverName);
      assert.equal(d.resourceGroupName, RG);
    });

    it("tags every taggable child", () => {
      for (const t of [T.server, T.vault, T.key, T.uai, T.pe, T.zone, T.ws, T.alert]) {
        for (const r of b.ofType(t))
          assert.deepEqual(props(r).tags, { workload: "zero-trust-postgres" }, r.name);
      }
    });
  });

  describe("server parameters", () => {
    it("applies every parameter strictly one after another, in parameters.ts order, before any other server write", async () => {
      // Every write to the server (parameters, administrators, database, endpoint approval, threat
      // protection) waits for the previous one: Azure answers concurrent writes with ServerBusy.
      const b = await build("ztp", minimalArgs());
      const expected = serverParameters({
        version: "17",
        minimumTlsVersion: "TLSv1.3",
        pgauditLog: "role,ddl,misc",
        logRetentionDays: 7,
      });
      const configs = b.options.filter((o) => o.type === T.config);
      assert.equal(configs.length, expected.length);
      let previous = "ztp-server";
      for (const [i, p] of expected.entries()) {
        const c = configs[i];
        assert.equal(props(b.get(T.config, c.name)).configurationName, p.name);
        assert.equal(props(b.get(T.config, c.name)).value, p.value);
        assert.deepEqual(
          c.dependsOn,
          [previous],
          `${c.name} depends on ${c.dependsOn.join(",")}, not ${previous}`,
        );
        previous = c.name;
      }
      // The rest of the server writes continue the same chain.
      const chain = ["ztp-restart", "ztp-admin-" + ADMIN_ID, "ztp-db", "ztp-pe", "ztp-threat-protection"];
      for (const n of chain) {
        assert.deepEqual(b.opts(n).dependsOn, [previous], n);
        previous = n;
      }
    });

    it("sets TLSv1.3, secure transport, pgaudit and logging parameters", async () => {
      const b = await build("ztq", minimalArgs());
      const value = (n: string) =>
        props(b.ofType(T.config).find((c) => props(c).configurationName === n) as { inputs: Props }).value;
      assert.equal(value("require_secure_transport"), "on");
      assert.equal(value("ssl_min_protocol_version"), "TLSv1.3");
      assert.equal(value("pgaudit.log"), "role,ddl,misc");
      assert.equal(value("log_connections"), "on");
      assert.equal(value("connection_throttle.enable"), "on");
      assert.match(String(value("shared_preload_libraries")), /pgaudit/);
    });

    it("honours TLSv1.2, a custom pgaudit.log and log retention", async () => {
      const b = await build(
        "ztr",
        tweak(minimalArgs(), (a) => {
          a.minimumTlsVersion = "TLSv1.2";
          a.monitoring = { pgauditLog: "ddl,role,write", logRetentionDays: 5 };
        }),
      );
      const value = (n: string) =>
        props(b.ofType(T.config).find((c) => props(c).configurationName === n)!).value;
      assert.equal(value("ssl_min_protocol_version"), "TLSv1.2");
      assert.equal(value("pgaudit.log"), "ddl,role,write");
      assert.equal(value("logfiles.retention_days"), "5");
    });
  });

  describe("vnetIntegration mode", () => {
    it("creates a delegated subnet and a linked zone ending in .postgres.database.azure.com, and wires them into the server", async () => {
      const b = await build(
        "ztv",
        tweak(minimalArgs(), (a) => {
          a.network = {
            mode: "vnetIntegration",
            delegatedSubnetAddressPrefix: "10.20.3.0/28",
            keyVaultSubnetAddressPrefix: "10.20.4.0/29",
            virtualNetworkName: "vnet-test",
            linkedVirtualNetworkResourceIds: [VNET_ID],
          };
        }),
      );
      const subnet = b.get(T.subnet, "ztv-subnet");
      assert.equal(props(subnet).addressPrefix, "10.20.3.0/28");
      assert.equal(props(subnet).virtualNetworkName, "vnet-test");
      assert.deepEqual(props(subnet).delegations, [
        { name: "postgres-flexible-server", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" },
      ]);
      const zone = b.get(T.zone, "ztv-pg-zone");
      assert.equal(props(zone).privateZoneName, "ztv.private.postgres.database.azure.com");
      const s = props(b.get(T.server, "ztv-server"));
      assert.deepEqual(s.network, {
        publicNetworkAccess: "Disabled",
        delegatedSubnetResourceId: subnet.id,
        privateDnsZoneArmResourceId: zone.id,
      });
      // No endpoint for the server; the vaults' endpoints sit in the second, created subnet.
      const kvSubnet = b.get(T.subnet, "ztv-kv-subnet");
      assert.deepEqual(
        b.ofType(T.pe).map((r) => [r.name, (props(r).subnet as { id: string }).id]),
        [
          ["ztv-kv-pe", kvSubnet.id],
          ["ztv-geo-kv-pe", kvSubnet.id],
        ],
      );
      assert.deepEqual(b.opts("ztv-server").dependsOn.sort(), [
        "ztv-geo-kv-crypto",
        "ztv-kv-crypto",
        "ztv-pg-zone-link-0",
        "ztv-subnet",
      ]);
      assert.equal(b.component.privateEndpointIp, undefined);
      assert.equal(b.component.privateEndpoint, undefined);
    });

    it("uses a brought delegated subnet and zone without creating either", async () => {
      const subnetId = `${VNET_ID}/subnets/pg-delegated`;
      const zoneId = `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/corp.postgres.database.azure.com`;
      const kvZoneId = `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
      const b = await build(
        "ztw",
        tweak(minimalArgs(), (a) => {
          a.network = {
            mode: "vnetIntegration",
            delegatedSubnetResourceId: subnetId,
            privateDnsZoneResourceId: zoneId,
            keyVaultPrivateEndpointSubnetResourceId: `${VNET_ID}/subnets/endpoints`,
            keyVaultPrivateDnsZoneResourceId: kvZoneId,
          };
          a.backup = { geoRedundantBackup: false };
        }),
      );
      assert.equal(b.ofType(T.subnet).length, 0);
      assert.equal(b.ofType(T.zone).length, 0);
      assert.equal(b.ofType(T.link).length, 0);
      assert.equal(
        (props(b.get(T.pe, "ztw-kv-pe")).subnet as { id: string }).id,
        `${VNET_ID}/subnets/endpoints`,
      );
      assert.deepEqual(props(b.get(T.zoneGroup, "ztw-kv-pe-dns")).privateDnsZoneConfigs, [
        { name: "vault", privateDnsZoneId: kvZoneId },
      ]);
      assert.deepEqual(props(b.get(T.server, "ztw-server")).network, {
        publicNetworkAccess: "Disabled",
        delegatedSubnetResourceId: subnetId,
        privateDnsZoneArmResourceId: zoneId,
      });
    });
  });

  describe("brought key, workspace and zone", () => {
    it("scopes the identities' roles to the brought keys and creates no vault, key, workspace or zone", async () => {
      const {
        KEY_URI: keyUri,
        GEO_KEY_URI: geoKeyUri,
        VAULT_ID: vaultId,
        GEO_VAULT_ID: geoVaultId,
        WORKSPACE_ID: workspaceId,
        PG_ZONE_ID: zoneId,
      } = await import("./fixtures");
      const b = await build(
        "ztb",
        tweak(minimalArgs(), (a) => {
          a.encryption = {
            keyUri,
            keyVaultResourceId: vaultId,
            geoBackupKeyUri: geoKeyUri,
            geoBackupKeyVaultResourceId: geoVaultId,
          };
          a.network.privateDnsZoneResourceId = zoneId;
          a.network.linkedVirtualNetworkResourceIds = undefined;
          a.monitoring = { logAnalyticsWorkspaceResourceId: workspaceId };
        }),
      );
      for (const t of [T.vault, T.key, T.ws, T.zone, T.link]) assert.equal(b.ofType(t).length, 0, t);
      assert.equal(props(b.get(T.role, "ztb-kv-crypto")).scope, `${vaultId}/keys/pg-cmk`);
      assert.equal(props(b.get(T.role, "ztb-geo-kv-crypto")).scope, `${geoVaultId}/keys/pg-cmk`);
      const enc = props(b.get(T.server, "ztb-server")).dataEncryption as Props;
      assert.equal(enc.primaryKeyURI, keyUri);
      assert.equal(enc.geoBackupKeyURI, geoKeyUri);
      assert.equal(props(b.get(T.diag, "ztb-server-diag")).workspaceId, workspaceId);
      assert.deepEqual(
        (props(b.get(T.zoneGroup, "ztb-pe-dns")).privateDnsZoneConfigs as Props[])[0].privateDnsZoneId,
        zoneId,
      );
      assert.equal(b.ofType(T.lock).length, 1, "only the server is locked: brought vaults are not ours");
      assert.equal(b.component.keyVault, undefined);
      assert.equal(b.component.workspace, undefined);
      assert.equal(await promise(b.component.workspaceId), workspaceId);
      assert.equal(await promise(b.component.keyUri), keyUri);
    });
  });

  describe("high availability and SKUs", () => {
    it("defaults Burstable to HA Disabled and infers the tier from the SKU name", async () => {
      const b = await build(
        "zth",
        tweak(minimalArgs(), (a) => {
          a.skuName = "Standard_B2s";
        }),
      );
      const s = props(b.get(T.server, "zth-server"));
      assert.deepEqual(s.sku, { name: "Standard_B2s", tier: "Burstable" });
      assert.equal((s.highAvailability as Props).mode, "Disabled");
      assert.ok(!(s.highAvailability as Props).standbyAvailabilityZone);
      assert.ok(
        b.warnings.some((w) => w.startsWith("[postgres-ha-zone-redundant]")),
        b.warnings.join("\n"),
      );
    });

    it("honours SameZone HA without a standby zone", async () => {
      const b = await build(
        "zti",
        tweak(minimalArgs(), (a) => (a.highAvailability = "SameZone")),
      );
      const ha = props(b.get(T.server, "zti-server")).highAvailability as Props;
      assert.equal(ha.mode, "SameZone");
      assert.ok(!ha.standbyAvailabilityZone, "SameZone puts the standby in the primary's zone");
    });

    it("passes Premium SSD v2 IOPS and throughput without auto-grow", async () => {
      const b = await build(
        "ztj",
        tweak(minimalArgs(), (a) => {
          a.storageType = "PremiumV2_LRS";
          a.storageSizeGb = 100;
          a.storageIops = 5000;
          a.storageThroughputMBps = 250;
        }),
      );
      assert.deepEqual(props(b.get(T.server, "ztj-server")).storage, {
        storageSizeGB: 100,
        autoGrow: "Disabled",
        type: "PremiumV2_LRS",
        iops: 5000,
        throughput: 250,
      });
    });
  });

  describe("point-in-time restore", () => {
    it("creates the server as a restore of the source at the given time", async () => {
      const { SOURCE_SERVER_ID } = await import("./fixtures");
      const b = await build(
        "ztk",
        tweak(minimalArgs(), (a) => {
          a.restore = { sourceServerResourceId: SOURCE_SERVER_ID, pointInTimeUtc: "2026-01-02T03:04:05Z" };
        }),
      );
      const s = props(b.get(T.server, "ztk-server"));
      assert.equal(s.createMode, "PointInTimeRestore");
      assert.equal(s.sourceServerResourceId, SOURCE_SERVER_ID);
      assert.equal(s.pointInTimeUTC, "2026-01-02T03:04:05Z");
    });
  });

  describe("public access waiver", () => {
    it("creates firewall rules only with allowPublicAccess, enables the public endpoint and warns naming the rule", async () => {
      const b = await build(
        "ztf",
        tweak(minimalArgs(), (a) => {
          a.network.allowPublicAccess = true;
          a.network.firewallRules = [
            { name: "office", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" },
            { name: "vpn", startIpAddress: "198.51.100.10", endIpAddress: "198.51.100.10" },
          ];
        }),
      );
      assert.equal((props(b.get(T.server, "ztf-server")).network as Props).publicNetworkAccess, "Enabled");
      const office = props(b.get(T.fw, "ztf-fw-office"));
      assert.deepEqual(
        { n: office.firewallRuleName, s: office.startIpAddress, e: office.endIpAddress },
        { n: "office", s: "203.0.113.0", e: "203.0.113.255" },
      );
      assert.deepEqual(b.opts("ztf-fw-office").dependsOn, ["ztf-db"]);
      assert.deepEqual(b.opts("ztf-fw-vpn").dependsOn, ["ztf-fw-office"]);
      assert.ok(
        b.warnings.some((w) => w.startsWith("[postgres-no-public-network-access] waived")),
        b.warnings.join("\n"),
      );
    });
  });

  describe("protection", () => {
    it("protects the server, vaults and keys; create-only inputs are ignored on update and, as a second line, planned as refused replacements", async () => {
      const b = await build("ztx", minimalArgs());
      for (const n of ["ztx-server", "ztx-kv", "ztx-kv-key", "ztx-geo-kv", "ztx-geo-kv-key"]) {
        assert.equal(b.opts(n).protect, true, n);
      }
      const server = b.opts("ztx-server");
      assert.deepEqual(server.replaceOnChanges, [
        "serverName",
        "availabilityZone",
        "network.delegatedSubnetResourceId",
        "dataEncryption.type",
        "backup.geoRedundantBackup",
      ]);
      // create-only.ts: changes to these inputs never reach Azure; the deployed server is checked instead.
      assert.deepEqual([...(server.ignoreChanges ?? [])].sort(), [...CREATE_ONLY_PATHS].sort());
      assert.deepEqual([...(server.replaceOnChanges ?? [])].sort(), [...CREATE_ONLY_PATHS].sort());
      for (const o of b.options.filter((x) => x.name !== "ztx-server")) {
        // Keys: ARM never updates an existing key, so their properties are create-only (encryption.ts).
        if (o.type === "azure-native:keyvault:Key") assert.deepEqual(o.ignoreChanges, ["properties"], o.name);
        else assert.equal(o.ignoreChanges, undefined, `${o.name} ignores nothing`);
      }
      assert.equal(server.deleteBeforeReplace, false);
      assert.deepEqual(server.additionalSecretOutputs, ["administratorLoginPassword"]);
      assert.notEqual(b.opts("ztx-pe").protect, true, "only data-bearing resources are protected");
    });

    it("locks the server and vaults with CanNotDelete, each lock after what it guards", async () => {
      const b = await build("ztl", minimalArgs());
      const lock = props(b.get(T.lock, "ztl-server-lock"));
      assert.equal(lock.level, "CanNotDelete");
      assert.equal(lock.scope, b.get(T.server, "ztl-server").id);
      assert.equal(props(b.get(T.lock, "ztl-kv-lock")).scope, b.get(T.vault, "ztl-kv").id);
      assert.equal(props(b.get(T.lock, "ztl-geo-kv-lock")).scope, b.get(T.vault, "ztl-geo-kv").id);
      const deps = b.opts("ztl-server-lock").dependsOn;
      for (const n of [
        "ztl-db",
        "ztl-pe",
        "ztl-server-diag",
        "ztl-threat-protection",
        `ztl-admin-${ADMIN_ID}`,
      ]) {
        assert.ok(deps.includes(n), `server lock depends on ${n}`);
      }
    });

    it("drops protect and the replacement plan with protect: false, and locks with deleteLocks: false", async () => {
      const b = await build(
        "zty",
        tweak(minimalArgs(), (a) => {
          a.protect = false;
          a.deleteLocks = false;
        }),
      );
      for (const n of ["zty-server", "zty-kv", "zty-kv-key"]) assert.equal(b.opts(n).protect, false, n);
      assert.equal(b.opts("zty-server").replaceOnChanges, undefined);
      assert.deepEqual([...(b.opts("zty-server").ignoreChanges ?? [])].sort(), [...CREATE_ONLY_PATHS].sort());
      assert.equal(b.ofType(T.lock).length, 0);
    });

    it("never lets the vault's purge protection be switched off (no argument reaches it)", async () => {
      const b = await build(
        "ztz",
        tweak(minimalArgs(), (a) => {
          (a as unknown as Props).enablePurgeProtection = false;
          (a.encryption as Props | undefined) = { enablePurgeProtection: false } as Props;
        }),
      );
      assert.equal((props(b.get(T.vault, "ztz-kv")).properties as Props).enablePurgeProtection, true);
    });
  });

  describe("outputs", () => {
    let b: Built;
    before(async () => {
      b = await build("zto", defaultArgs());
    });

    it("describes the connection: host, 5432, database, verify-full, the Entra scope and each workload", async () => {
      const c = await promise(b.component.connection);
      const fqdn = await promise(b.component.fqdn);
      const identity = b.get(T.uai, "zto-orders-id");
      assert.deepEqual(c, {
        host: fqdn,
        port: 5432,
        database: "app",
        sslmode: "verify-full",
        tokenScope: "https://ossrdbms-aad.database.windows.net/.default",
        workloads: [
          { name: "orders", clientId: mockClient(identity.id), role: "zto-orders-id", access: "writer" },
        ],
      });
      assert.match(fqdn, /^zto-[0-9a-z]{8}\.postgres\.database\.azure\.com$/);
    });

    it("exposes the bootstrap SQL with every persona and workload", async () => {
      const sql = await promise(b.component.bootstrapSql);
      for (const role of [
        "pg-app-admins",
        "pg-app-writers",
        "pg-app-readers",
        "pg-support",
        "zto-orders-id",
      ]) {
        assert.ok(sql.includes(`"${role}"`), role);
      }
      const principal = mockPrincipal(b.get(T.uai, "zto-orders-id").id);
      assert.ok(
        sql.includes(principal),
        "the workload role is created from its managed identity's principal id",
      );
      assert.ok(sql.includes("pgaadauth_create_principal_with_oid"));
    });

    it("exposes ids, key URIs, the workspace and the child resources", async () => {
      const c = b.component;
      assert.equal(await promise(c.serverId), b.get(T.server, "zto-server").id);
      assert.equal(await promise(c.workspaceId), b.get(T.ws, "zto-logs").id);
      assert.equal(await promise(c.serverIdentityId), b.get(T.uai, "zto-server-id").id);
      assert.equal(await promise(c.geoBackupIdentityId!), b.get(T.uai, "zto-geo-id").id);
      assert.match(await promise(c.keyUri), /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/keys\/zto-cmk$/);
      assert.match(
        await promise(c.geoBackupKeyUri!),
        /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/keys\/zto-cmk$/,
      );
      assert.equal(await promise(c.privateEndpointIp!), "10.20.1.4");
      assert.equal(await promise(c.privateDnsZoneId), b.get(T.zone, "zto-pg-zone").id);
      assert.equal(await promise(c.server.id), b.get(T.server, "zto-server").id);
      assert.equal(await promise(c.database.id), b.get(T.db, "zto-db").id);
      assert.ok(
        c.keyVault && c.key && c.geoBackupKeyVault && c.geoBackupKey && c.workspace && c.privateEndpoint,
      );
      assert.equal(c.administratorPassword, undefined);
    });
  });

  it("leaves the caller's arguments untouched (they may be shared between components)", async () => {
    const args = defaultArgs();
    const before = JSON.stringify(args);
    await build("ztu", args);
    assert.equal(JSON.stringify(args), before);
    assert.equal(args.network.linkedVirtualNetworkResourceIds![0], VNET_ID);
  });

  it("never creates a resource group (the caller owns it)", () => {
    assert.equal(
      recorder.resources.filter(
        (r) => /^zt[a-z]$/.test(r.name.split("-")[0]) && r.type.endsWith(":ResourceGroup"),
      ).length,
      0,
    );
  });
});

const promise = promiseOf;

/** cli/mocks.ts derives identity outputs from the id; use its own function. */
function mockPrincipal(id: string): string {
  return mockGuid(`${id}#principal`);
}
function mockClient(id: string): string {
  return mockGuid(`${id}#client`);
}
