// Every example runs under the mock monitor: it registers its estate, its component refuses nothing,
// and its stack outputs resolve. The default example's names are pinned: renaming a child replaces a
// database on the next `pulumi up`.

import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { captureWarnings, promiseOf, recorder, settle } from "../helpers/mocks"; // mocks first
import { serverParameters } from "../../components/postgres/parameters";

type Outputs = Record<string, unknown>;

/** Imports an example program and returns what it registered and exported. */
async function run(
  dir: string,
): Promise<{ names: string[]; outputs: Outputs; warnings: string[]; types: Map<string, string> }> {
  const from = recorder.resources.length;
  // Run the program afresh even if another test (the CLI preview) already loaded it.
  const file = require.resolve(`../../examples/${dir}/index`);
  delete require.cache[file];
  const { result: mod, warnings } = await captureWarnings(() => import(file) as Promise<Outputs>);
  await settle();
  const registered = recorder.resources.slice(from);
  const outputs: Outputs = {};
  for (const [k, v] of Object.entries(mod)) {
    outputs[k] = pulumi.Output.isInstance(v) ? await promiseOf(v as pulumi.Output<unknown>) : v;
  }
  return {
    names: registered.map((r) => `${r.type} ${r.name}`).sort(),
    outputs,
    warnings,
    types: new Map(registered.map((r) => [r.name, r.type])),
  };
}

const PARAMS = (tls: string) =>
  serverParameters({
    version: "17",
    minimumTlsVersion: tls,
    pgauditLog: "role,ddl,misc",
    logRetentionDays: 7,
  }).map(
    (p) => `azure-native:dbforpostgresql:Configuration ${"%"}-param-${p.name.replace(/[^a-zA-Z0-9]+/g, "-")}`,
  );

describe("examples under mocks", function () {
  this.timeout(120000);

  describe("private-endpoint (the default, `pulumi up` at the root)", () => {
    let r: Awaited<ReturnType<typeof run>>;
    before(async () => {
      r = await run("private-endpoint");
    });

    it("registers exactly these resources (pinned names)", () => {
      const expected = [
        "azure-native:resources:ResourceGroup zt-pg-rg",
        "azure-native:network:VirtualNetwork zt-pg-vnet",
        "azure-native:network:Subnet zt-pg-endpoints",
        "azure-native:monitor:ActionGroup zt-pg-oncall",
        "zero-trust-azure-postgres:index:ZeroTrustPostgres zt-pg",
        "random:index/randomString:RandomString zt-pg-name-suffix",
        "azure-native:managedidentity:UserAssignedIdentity zt-pg-server-id",
        "azure-native:managedidentity:UserAssignedIdentity zt-pg-geo-id",
        "azure-native:managedidentity:UserAssignedIdentity zt-pg-orders-id",
        "azure-native:managedidentity:FederatedIdentityCredential zt-pg-orders-fic",
        "azure-native:keyvault:Vault zt-pg-kv",
        "azure-native:keyvault:Key zt-pg-kv-key",
        "azure-native:keyvault:Vault zt-pg-geo-kv",
        "azure-native:keyvault:Key zt-pg-geo-kv-key",
        "azure-native:authorization:RoleAssignment zt-pg-kv-crypto",
        "azure-native:authorization:RoleAssignment zt-pg-geo-kv-crypto",
        "azure-native:authorization:RoleAssignment zt-pg-rbac-66666666-6666-4666-8666-666666666666-43d0d8ad-25c7-4714-9337-8ba259a9fe05",
        "azure-native:privatedns:PrivateZone zt-pg-pg-zone",
        "azure-native:privatedns:VirtualNetworkLink zt-pg-pg-zone-link-0",
        "azure-native:privatedns:PrivateZone zt-pg-kv-zone",
        "azure-native:privatedns:VirtualNetworkLink zt-pg-kv-zone-link-0",
        "azure-native:dbforpostgresql:Server zt-pg-server",
        ...PARAMS("TLSv1.3").map((n) => n.replace("%", "zt-pg")),
        "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra zt-pg-admin-11111111-1111-4111-8111-111111111111",
        "azure-native:dbforpostgresql:Database zt-pg-db",
        "azure-native:network:PrivateEndpoint zt-pg-pe",
        "azure-native:network:PrivateDnsZoneGroup zt-pg-pe-dns",
        "azure-native:network:PrivateEndpoint zt-pg-kv-pe",
        "azure-native:network:PrivateDnsZoneGroup zt-pg-kv-pe-dns",
        "azure-native:network:PrivateEndpoint zt-pg-geo-kv-pe",
        "azure-native:network:PrivateDnsZoneGroup zt-pg-geo-kv-pe-dns",
        "azure-native:operationalinsights:Workspace zt-pg-logs",
        "azure-native:monitor:DiagnosticSetting zt-pg-server-diag",
        "azure-native:monitor:DiagnosticSetting zt-pg-kv-diag",
        "azure-native:monitor:DiagnosticSetting zt-pg-geo-kv-diag",
        "azure-native:resources:Resource zt-pg-threat-protection",
        "command:local:Command zt-pg-restart",
        "azure-native:monitor:ScheduledQueryRule zt-pg-alert-failed-logins",
        "azure-native:monitor:ScheduledQueryRule zt-pg-alert-role-changes",
        "azure-native:authorization:ManagementLockByScope zt-pg-server-lock",
        "azure-native:monitor:ActivityLogAlert zt-pg-alert-server-unavailable",
        "azure-native:monitor:ActivityLogAlert zt-pg-alert-defender",
        "azure-native:authorization:ManagementLockByScope zt-pg-logs-lock",
        "azure-native:operationalinsights:QueryPack zt-pg-queries",
        "azure-native:operationalinsights:Query zt-pg-query-failed-logins-by-source",
        "azure-native:operationalinsights:Query zt-pg-query-role-changes",
        "azure-native:operationalinsights:Query zt-pg-query-connections-by-identity",
        "azure-native:authorization:ManagementLockByScope zt-pg-kv-lock",
        "azure-native:authorization:ManagementLockByScope zt-pg-geo-kv-lock",
      ].sort();
      assert.deepEqual(r.names, expected);
    });

    it("exports the server FQDN, the connection description and the bootstrap SQL", () => {
      const o = r.outputs;
      assert.match(String(o.serverFqdn), /^zt-pg-[0-9a-z]{8}\.postgres\.database\.azure\.com$/);
      const c = o.connection as Record<string, unknown>;
      assert.equal(c.host, o.serverFqdn);
      assert.equal(c.port, 5432);
      assert.equal(c.sslmode, "verify-full");
      assert.deepEqual(
        (c.workloads as Record<string, unknown>[]).map((w) => [w.name, w.role, w.access]),
        [["orders", "zt-pg-orders-id", "writer"]],
      );
      for (const role of [
        "pg-app-admins",
        "pg-app-writers",
        "pg-app-readers",
        "pg-support",
        "zt-pg-orders-id",
      ]) {
        assert.ok(String(o.bootstrapSql).includes(`"${role}"`), role);
      }
      assert.equal(o.privateEndpointIp, "10.20.1.4");
      assert.match(String(o.keyUri), /^https:\/\/.+\.vault\.azure\.net\/keys\/zt-pg-cmk$/);
      assert.match(String(o.geoBackupKeyUri), /^https:\/\/.+\.vault\.azure\.net\/keys\/zt-pg-cmk$/);
    });

    it("logs no warning (nothing waived, nothing advisory)", () => {
      assert.deepEqual(r.warnings, []);
    });
  });

  describe("vnet-integration", () => {
    let r: Awaited<ReturnType<typeof run>>;
    before(async () => {
      r = await run("vnet-integration");
    });

    it("creates the delegated subnet and zone, no private endpoint for the server, and the vaults' endpoints in a second subnet", () => {
      assert.equal(r.types.get("pg-vi-subnet"), "azure-native:network:Subnet");
      assert.equal(r.types.get("pg-vi-pg-zone"), "azure-native:privatedns:PrivateZone");
      assert.equal(r.types.get("pg-vi-pe"), undefined);
      // Public access to the vaults is disabled: their private endpoints are the operators' path.
      assert.equal(r.types.get("pg-vi-kv-subnet"), "azure-native:network:Subnet");
      assert.equal(r.types.get("pg-vi-kv-pe"), "azure-native:network:PrivateEndpoint");
      assert.equal(r.types.get("pg-vi-geo-kv-pe"), "azure-native:network:PrivateEndpoint");
      assert.equal(r.types.get("pg-vi-kv-zone"), "azure-native:privatedns:PrivateZone");
      for (const n of PARAMS("TLSv1.2").map((x) => x.replace("%", "pg-vi").split(" ")[1])) {
        assert.equal(r.types.get(n), "azure-native:dbforpostgresql:Configuration", n);
      }
      assert.equal(r.types.get("pg-vi-reports-id"), "azure-native:managedidentity:UserAssignedIdentity");
      assert.equal(r.types.get("pg-vi-reports-fic"), undefined);
    });

    it("exports its outputs", () => {
      assert.match(String(r.outputs.serverFqdn), /^pg-vi-[0-9a-z]{8}\.postgres\.database\.azure\.com$/);
      assert.match(
        String(r.outputs.privateDnsZoneId),
        /privateDnsZones\/pg-vi\.private\.postgres\.database\.azure\.com$/,
      );
      assert.ok(String(r.outputs.bootstrapSql).includes('"pg-analysts"'));
    });
  });

  describe("recovery-drill (a geo-restore)", () => {
    let r: Awaited<ReturnType<typeof run>>;
    before(async () => {
      r = await run("recovery-drill");
    });

    it("geo-restores with the key and identity in the restored server's region, refusing nothing", () => {
      const server = recorder.resources.find((x) => x.name === "zt-drill-server");
      const inputs = server?.inputs as Record<string, unknown>;
      assert.equal(inputs.createMode, "GeoRestore");
      assert.equal(inputs.pointInTimeUTC, undefined);
      assert.equal(inputs.location, "uksouth");
      const located = (n: string) =>
        (recorder.resources.find((x) => x.name === n)?.inputs as Record<string, unknown>).location;
      assert.equal(located("zt-drill-kv"), "uksouth");
      assert.equal(located("zt-drill-server-id"), "uksouth");
      assert.equal(located("zt-drill-geo-kv"), "ukwest");
      assert.equal(r.types.get("zt-drill-pe"), "azure-native:network:PrivateEndpoint");
    });

    it("exports its outputs", () => {
      assert.match(String(r.outputs.serverFqdn), /^zt-drill-[0-9a-z]{8}\.postgres\.database\.azure\.com$/);
      assert.match(String(r.outputs.keyUri), /^https:\/\/zt-drill-kv-[0-9a-z]{8}\.vault\.azure\.net\/keys\//);
    });
  });

  describe("read-replicas (a same-region and a cross-region replica, a virtual endpoint)", () => {
    let r: Awaited<ReturnType<typeof run>>;
    before(async () => {
      r = await run("read-replicas");
    });

    it("puts each replica's server, key, identity and endpoint in the replica's region", () => {
      const inputs = (n: string) =>
        recorder.resources.find((x) => x.name === n)?.inputs as Record<string, unknown>;
      for (const [n, region] of [
        ["read", "uksouth"],
        ["dr", "ukwest"],
      ]) {
        assert.equal(inputs(`zt-rr-replica-${n}-server`).createMode, "Replica");
        for (const child of ["server", "kv", "id", "pe", "kv-pe"])
          assert.equal(inputs(`zt-rr-replica-${n}-${child}`).location, region, `${n} ${child}`);
      }
      assert.equal(r.types.get("zt-rr-virtual-endpoint"), "azure-native:dbforpostgresql:VirtualEndpoint");
      assert.deepEqual(inputs("zt-rr-virtual-endpoint").members, [
        inputs("zt-rr-replica-read-server").serverName,
      ]);
      assert.deepEqual(r.warnings, []);
    });

    it("exports its outputs", () => {
      const replicas = r.outputs.replicas as { name: string; location: string; fqdn: string }[];
      assert.deepEqual(
        replicas.map((x) => [x.name, x.location]),
        [
          ["read", "uksouth"],
          ["dr", "ukwest"],
        ],
      );
      assert.match(replicas[1].fqdn, /^zt-rr-dr-[0-9a-z]{8}\.postgres\.database\.azure\.com$/);
      assert.match(
        String((r.outputs.virtualEndpointHosts as string[])[1]),
        /^zt-rr-ve-[0-9a-z]{8}\.reader\.postgres\.database\.azure\.com$/,
      );
    });
  });

  describe("existing-network", () => {
    let r: Awaited<ReturnType<typeof run>>;
    before(async () => {
      r = await run("existing-network");
    });

    it("brings its VNet, subnet, DNS zone, workspace and keys: it creates none of them", () => {
      const created = [...r.types.values()];
      for (const t of [
        "azure-native:network:VirtualNetwork",
        "azure-native:network:Subnet",
        "azure-native:privatedns:PrivateZone",
        "azure-native:operationalinsights:Workspace",
        "azure-native:keyvault:Vault",
        "azure-native:keyvault:Key",
        "azure-native:resources:ResourceGroup",
      ]) {
        assert.ok(!created.includes(t), t);
      }
      assert.equal(r.types.get("pg-shared-server"), "azure-native:dbforpostgresql:Server");
      assert.equal(r.types.get("pg-shared-pe"), "azure-native:network:PrivateEndpoint");
      assert.equal(r.types.get("pg-shared-kv-crypto"), "azure-native:authorization:RoleAssignment");
    });

    it("exports its outputs", () => {
      assert.equal(r.outputs.keyUri, "https://kv-platform-weu.vault.azure.net/keys/pg-cmk");
      assert.match(String(r.outputs.workspaceId), /workspaces\/law-platform$/);
      assert.match(String(r.outputs.serverFqdn), /^pg-shared-[0-9a-z]{8}\.postgres\.database\.azure\.com$/);
    });
  });
});
