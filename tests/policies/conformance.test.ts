// Conformance: the component's own preview, passed through the policy pack over its gRPC Analyzer the
// way the engine does it (Analyze per resource, AnalyzeStack on all), gives zero violations at any
// level. Then a single insecure override gives exactly that rule's violation and nothing else, which
// shows the clean result is not the pack failing to look. Needs the compiled pack (`npm run build`).

import * as assert from "node:assert/strict";
import * as path from "node:path";

import { startPack, type PackClient, type PackResource } from "../../cli/pack-client";
import {
  collectPreview,
  evaluateWithPack,
  type CollectedPreview,
  type PreviewDiagnostic,
} from "../../cli/preview";
import { PACK_DIR, REPO, assertPackBuilt } from "../helpers/pack";

const quiet = () => undefined;

function clone(rs: PackResource[]): PackResource[] {
  // structuredClone keeps the pack client's marker classes as plain objects, so copy by hand.
  return rs.map((r) => ({ ...r, properties: deepCopy(r.properties) as Record<string, unknown> }));
}

function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, deepCopy(x)]));
  }
  return v; // primitives and marker instances (secret, unknown) are immutable
}

function only<T>(xs: T[], what: string): T {
  assert.equal(xs.length, 1, `exactly one ${what}`);
  return xs[0];
}

function summary(ds: PreviewDiagnostic[]): [string, string, string][] {
  return ds.map((d) => [d.policy, d.level, d.urn.split("::").pop() ?? ""]);
}

for (const example of ["private-endpoint", "vnet-integration", "existing-network"]) {
  describe(`conformance: examples/${example} through the policy pack`, function () {
    this.timeout(180_000);
    let pack: PackClient;
    let preview: CollectedPreview;

    const evaluate = (rs: PackResource[]) =>
      evaluateWithPack(rs, { pack, stackUrn: preview.stackUrn, readUrns: preview.readUrns });

    before(async function () {
      assertPackBuilt();
      [pack, preview] = await Promise.all([
        startPack({ packDir: PACK_DIR }),
        collectPreview(path.join(REPO, "examples", example), { log: quiet }),
      ]);
    });

    after(async function () {
      await pack?.close();
    });

    it("gives zero violations at any level", async function () {
      assert.deepEqual(summary(await evaluate(preview.packResources)), []);
    });

    it("turning public network access on gives exactly postgres-no-public-network-access", async function () {
      const rs = clone(preview.packResources);
      const server = only(
        rs.filter((r) => r.type === "azure-native:dbforpostgresql:Server"),
        "server",
      );
      const network = (server.properties.network ?? {}) as Record<string, unknown>;
      // VNet-integrated servers are private by construction; take the delegated subnet away too.
      server.properties.network = {
        ...network,
        publicNetworkAccess: "Enabled",
        delegatedSubnetResourceId: undefined,
      };
      const ds = await evaluate(rs);
      const expected: [string, string, string][] = [
        ["postgres-no-public-network-access", "mandatory", server.name],
      ];
      if (network.delegatedSubnetResourceId !== undefined) {
        // Without its delegated subnet a VNet-integrated server also has no private path at all.
        expected.push(["postgres-private-connectivity", "mandatory", server.name]);
      }
      assert.deepEqual(summary(ds).sort(), expected.sort());
    });

    it("lowering ssl_min_protocol_version to TLSv1.0 gives exactly postgres-tls-min-version", async function () {
      const rs = clone(preview.packResources);
      const tls = only(
        rs.filter(
          (r) =>
            r.type === "azure-native:dbforpostgresql:Configuration" &&
            String(r.properties.configurationName).toLowerCase() === "ssl_min_protocol_version",
        ),
        "ssl_min_protocol_version parameter",
      );
      tls.properties.value = "TLSv1.0";
      const ds = await evaluate(rs);
      assert.deepEqual(summary(ds), [["postgres-tls-min-version", "mandatory", tls.name]]);
      assert.match(ds[0].message, /TLSv1\.0/);
    });

    it("injecting a Configuration that turns require_secure_transport off gives exactly postgres-secure-transport", async function () {
      const rs = clone(preview.packResources);
      const server = only(
        rs.filter((r) => r.type === "azure-native:dbforpostgresql:Server"),
        "server",
      );
      rs.push({
        urn: server.urn.replace(
          /azure-native:dbforpostgresql:Server::.*$/,
          "azure-native:dbforpostgresql:Configuration::injected",
        ),
        type: "azure-native:dbforpostgresql:Configuration",
        name: "injected",
        parent: server.parent,
        dependencies: [server.urn],
        properties: {
          resourceGroupName: server.properties.resourceGroupName,
          serverName: server.properties.serverName,
          configurationName: "require_secure_transport",
          value: "OFF",
          source: "user-override",
        },
      });
      assert.deepEqual(summary(await evaluate(rs)), [["postgres-secure-transport", "mandatory", "injected"]]);
    });

    it("dropping the server's diagnostic setting gives exactly postgres-diagnostic-settings", async function () {
      const server = only(
        preview.packResources.filter((r) => r.type === "azure-native:dbforpostgresql:Server"),
        "server",
      );
      const serverId = String(server.id).toLowerCase();
      const rs = clone(preview.packResources).filter(
        (r) =>
          !(
            r.type === "azure-native:monitor:DiagnosticSetting" &&
            (String(r.properties.resourceUri).toLowerCase() === serverId ||
              r.dependencies?.includes(server.urn))
          ),
      );
      assert.equal(rs.length, preview.packResources.length - 1, "one diagnostic setting removed");
      assert.deepEqual(summary(await evaluate(rs)), [
        ["postgres-diagnostic-settings", "mandatory", server.name],
      ]);
    });

    it("leaving pgaudit to Azure's defaults (no pgaudit.log, no preload) gives exactly postgres-effective-parameters", async function () {
      const server = only(
        preview.packResources.filter((r) => r.type === "azure-native:dbforpostgresql:Server"),
        "server",
      );
      const rs = clone(preview.packResources).filter(
        (r) =>
          !(
            r.type === "azure-native:dbforpostgresql:Configuration" &&
            ["pgaudit.log", "shared_preload_libraries"].includes(String(r.properties.configurationName))
          ),
      );
      assert.equal(rs.length, preview.packResources.length - 2, "two parameters removed");
      const ds = await evaluate(rs);
      assert.deepEqual(summary(ds), [["postgres-effective-parameters", "mandatory", server.name]]);
      assert.match(
        ds[0].message,
        /pgaudit\.log is not declared, so Azure's default for PostgreSQL \d+ applies \("none"\)/,
      );
    });

    if (example !== "existing-network")
      it("opening the public endpoint of each key vault gives exactly keyvault-cmk-private-access on each", async function () {
        const rs = clone(preview.packResources);
        const vaults = rs.filter((r) => r.type === "azure-native:keyvault:Vault");
        assert.ok(vaults.length >= 1, "the component creates the CMK vault");
        for (const v of vaults)
          v.properties.properties = {
            ...(v.properties.properties as Record<string, unknown>),
            publicNetworkAccess: "Enabled",
          };
        const ds = await evaluate(rs);
        assert.deepEqual(
          summary(ds).sort(),
          vaults
            .map((v) => ["keyvault-cmk-private-access", "mandatory", v.name] as [string, string, string])
            .sort(),
        );
      });
  });
}

describe("conformance: examples/read-replicas through the policy pack", function () {
  this.timeout(180_000);
  let pack: PackClient;
  let preview: CollectedPreview;
  const evaluate = (rs: PackResource[]) =>
    evaluateWithPack(rs, { pack, stackUrn: preview.stackUrn, readUrns: preview.readUrns });
  const replica = (rs: PackResource[], name: string) =>
    only(
      rs.filter((r) => r.type === "azure-native:dbforpostgresql:Server" && r.name === name),
      name,
    );

  before(async function () {
    assertPackBuilt();
    [pack, preview] = await Promise.all([
      startPack({ packDir: PACK_DIR }),
      collectPreview(path.join(REPO, "examples", "read-replicas"), { log: quiet }),
    ]);
  });

  after(async function () {
    await pack?.close();
  });

  it("gives zero violations at any level, with both replicas in the stack", async function () {
    const servers = preview.packResources.filter((r) => r.type === "azure-native:dbforpostgresql:Server");
    assert.deepEqual(servers.map((s) => s.properties.createMode ?? "Default").sort(), [
      "Default",
      "Replica",
      "Replica",
    ]);
    assert.deepEqual(summary(await evaluate(preview.packResources)), []);
  });

  it("a replica without its customer-managed key gives exactly postgres-cmk-encryption on that replica", async function () {
    const rs = clone(preview.packResources);
    const dr = replica(rs, "zt-rr-replica-dr-server");
    dr.properties.dataEncryption = { type: "SystemManaged" };
    assert.deepEqual(summary(await evaluate(rs)), [["postgres-cmk-encryption", "mandatory", dr.name]]);
  });

  it("a replica open to the internet gives exactly postgres-no-public-network-access on that replica", async function () {
    const rs = clone(preview.packResources);
    const dr = replica(rs, "zt-rr-replica-dr-server");
    dr.properties.network = { publicNetworkAccess: "Enabled" };
    assert.deepEqual(summary(await evaluate(rs)), [
      ["postgres-no-public-network-access", "mandatory", dr.name],
    ]);
  });

  it("dropping a replica's Defender setting gives exactly postgres-threat-protection on that replica", async function () {
    const rs = clone(preview.packResources).filter((r) => r.name !== "zt-rr-replica-read-threat-protection");
    assert.equal(rs.length, preview.packResources.length - 1);
    assert.deepEqual(summary(await evaluate(rs)), [
      ["postgres-threat-protection", "advisory", "zt-rr-replica-read-server"],
    ]);
  });

  it("dropping a replica's diagnostic setting gives exactly postgres-diagnostic-settings on that replica", async function () {
    const rs = clone(preview.packResources).filter((r) => r.name !== "zt-rr-replica-dr-server-diag");
    assert.equal(rs.length, preview.packResources.length - 1);
    assert.deepEqual(summary(await evaluate(rs)), [
      ["postgres-diagnostic-settings", "mandatory", "zt-rr-replica-dr-server"],
    ]);
  });
});
