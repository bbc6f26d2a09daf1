// Engine-protocol integration test: the pack is started exactly as the Pulumi CLI starts a policy pack
// (`node …/@pulumi/pulumi/cmd/run-policy-pack <engine-address> .` in policies/), its port is read from
// stdout, and every Analyzer RPC the engine uses is called over gRPC: GetAnalyzerInfo, Configure,
// Analyze, AnalyzeStack and Remediate. Needs the compiled pack (`npm run build`; `npm test` does it).

import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { startPack, UNKNOWN, type PackClient, type PackResource } from "../../cli/pack-client";
import { RULES } from "../../policies/rules";
import {
  PACK_DIR,
  REPO,
  assertPackBuilt,
  happyServer,
  happyServerProps,
  policiesOf,
  serverStack,
  urns,
} from "../helpers/pack";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function withProps(mutate: (p: Record<string, unknown>) => void): PackResource {
  const props = happyServerProps();
  mutate(props);
  return happyServer(props);
}

describe("policy pack over the engine's Analyzer protocol", function () {
  let pack: PackClient;
  const logs: string[] = [];

  before(async function () {
    assertPackBuilt();
    pack = await startPack({ packDir: PACK_DIR, onLog: (sev, msg) => logs.push(`${sev}: ${msg}`) });
  });

  after(async function () {
    await pack?.close();
  });

  // Every test starts from the pack's defaults.
  beforeEach(async function () {
    await pack.configure({});
  });

  it("starts through run-policy-pack and serves on the port it printed", function () {
    assert.ok(pack.port > 0 && pack.port < 65536, `port ${pack.port}`);
    assert.ok(alive(pack.pid), "the pack process is running");
  });

  describe("GetAnalyzerInfo", function () {
    it("lists every catalogue rule with its default enforcement level", async function () {
      const info = await pack.getAnalyzerInfo();
      assert.equal(info.name, "zero-trust-azure-postgres");
      assert.match(info.version, /^\d+\.\d+\.\d+/);
      const served = new Map(info.policies.map((p) => [p.name, p.enforcementLevel]));
      assert.deepEqual(
        [...served.keys()].sort(),
        RULES.map((r) => r.id).sort(),
        "the pack serves exactly the catalogue",
      );
      for (const r of RULES) assert.equal(served.get(r.id), r.enforcementLevel, `level of ${r.id}`);
    });

    it("publishes each rule's config schema with the catalogue's defaults", async function () {
      const info = await pack.getAnalyzerInfo();
      const withConfig = RULES.filter((r) => Object.keys(r.config).length > 0);
      assert.ok(withConfig.length > 0);
      for (const r of withConfig) {
        const p = info.policies.find((x) => x.name === r.id);
        const props = (p?.configSchema as { properties?: Record<string, { default?: unknown }> } | undefined)
          ?.properties;
        assert.ok(props, `${r.id} has a config schema`);
        for (const [k, v] of Object.entries(r.config)) {
          assert.deepEqual(props[k]?.default, v.default, `${r.id}.${k} default`);
        }
      }
    });

    it("describes each policy with the catalogue's one-sentence description", async function () {
      const info = await pack.getAnalyzerInfo();
      for (const r of RULES) {
        assert.equal(info.policies.find((p) => p.name === r.id)?.description, r.description, r.id);
      }
    });
  });

  describe("Analyze", function () {
    it("reports nothing for a compliant flexible server", async function () {
      assert.deepEqual(await pack.analyze(happyServer()), []);
    });

    it("reports a public server as a mandatory postgres-no-public-network-access violation", async function () {
      const ds = await pack.analyze(
        withProps((p) => {
          p.network = { publicNetworkAccess: "Enabled" };
        }),
      );
      assert.deepEqual(policiesOf(ds), ["postgres-no-public-network-access"]);
      assert.equal(ds[0].level, "mandatory");
      assert.match(ds[0].message, /public network access/i);
      assert.equal(ds[0].packName, "zero-trust-azure-postgres");
    });

    it("reports password login as postgres-entra-only-auth", async function () {
      const ds = await pack.analyze(
        withProps((p) => {
          p.authConfig = { activeDirectoryAuth: "Enabled", passwordAuth: "Enabled" };
        }),
      );
      assert.deepEqual(policiesOf(ds), ["postgres-entra-only-auth"]);
      assert.equal(ds[0].level, "mandatory");
    });

    it("flags a 0.0.0.0–255.255.255.255 firewall rule", async function () {
      const ds = await pack.analyze({
        urn: "urn:pulumi:dev::zt-test::azure-native:dbforpostgresql:FirewallRule::all",
        type: "azure-native:dbforpostgresql:FirewallRule",
        name: "all",
        properties: {
          resourceGroupName: "rg",
          serverName: "pg",
          firewallRuleName: "all",
          startIpAddress: "0.0.0.0",
          endIpAddress: "255.255.255.255",
        },
      });
      assert.ok(policiesOf(ds).includes("firewall-no-open-ranges"), JSON.stringify(ds));
      assert.ok(ds.some((d) => d.level === "mandatory"));
    });

    it("never fails on a value unknown during preview", async function () {
      const ds = await pack.analyze(
        withProps((p) => {
          p.network = UNKNOWN;
          p.dataEncryption = {
            type: "AzureKeyVault",
            primaryKeyURI: UNKNOWN,
            primaryUserAssignedIdentityId: UNKNOWN,
            geoBackupKeyURI: UNKNOWN,
            geoBackupUserAssignedIdentityId: UNKNOWN,
          };
          p.identity = UNKNOWN;
        }),
      );
      assert.deepEqual(
        ds.filter((d) => d.level === "mandatory"),
        [],
      );
    });

    it("ignores resource types no rule covers", async function () {
      const ds = await pack.analyze({
        urn: "urn:pulumi:dev::zt-test::azure-native:resources:ResourceGroup::rg",
        type: "azure-native:resources:ResourceGroup",
        name: "rg",
        properties: { resourceGroupName: "rg", location: "westeurope" },
      });
      assert.deepEqual(ds, []);
    });
  });

  describe("Configure", function () {
    const noHa = () =>
      withProps((p) => {
        p.highAvailability = { mode: "Disabled" };
      });

    it("raises an advisory rule to mandatory", async function () {
      const before = await pack.analyze(noHa());
      assert.deepEqual(
        before.map((d) => [d.policy, d.level]),
        [["postgres-ha-zone-redundant", "advisory"]],
      );
      await pack.configure({ "postgres-ha-zone-redundant": "mandatory" });
      const after = await pack.analyze(noHa());
      assert.deepEqual(
        after.map((d) => [d.policy, d.level]),
        [["postgres-ha-zone-redundant", "mandatory"]],
      );
    });

    it("disables a rule, and `all` sets every level", async function () {
      await pack.configure({ "postgres-ha-zone-redundant": { enforcementLevel: "disabled" } });
      assert.deepEqual(await pack.analyze(noHa()), []);
      await pack.configure({ all: "advisory" });
      const ds = await pack.analyze(
        withProps((p) => {
          p.network = { publicNetworkAccess: "Enabled" };
        }),
      );
      assert.deepEqual(
        ds.map((d) => [d.policy, d.level]),
        [["postgres-no-public-network-access", "advisory"]],
      );
    });

    it("passes rule properties: a waiver turns a violation off", async function () {
      const publicServer = withProps((p) => {
        p.network = { publicNetworkAccess: "Enabled" };
      });
      assert.equal((await pack.analyze(publicServer)).length, 1);
      await pack.configure({ "postgres-no-public-network-access": { allowPublicAccess: true } });
      assert.deepEqual(await pack.analyze(publicServer), []);
    });

    it("rejects a config value outside the rule's schema, as the engine does", async function () {
      await assert.rejects(
        pack.configure({ "firewall-no-open-ranges": { minimumPrefixLength: 40 } }),
        /firewall-no-open-ranges\.minimumPrefixLength": must be at most 32, got 40/,
      );
      await assert.rejects(
        pack.configure({ "postgres-no-public-network-access": { allowPublicAccess: "yes" } }),
        /expected true or false/,
      );
      await assert.rejects(
        pack.configure({ "postgres-no-public-network-access": { noSuchSetting: 1 } }),
        /unknown property "noSuchSetting"/,
      );
    });

    it("rejects a config that names an unknown policy", async function () {
      await assert.rejects(pack.configure({ "no-such-rule": "mandatory" }), /unknown policy "no-such-rule"/);
      await assert.rejects(pack.configure({ all: "strict" }), /invalid enforcement level "strict"/);
    });
  });

  describe("AnalyzeStack", function () {
    it("reports a server without a diagnostic setting as postgres-diagnostic-settings", async function () {
      const ds = await pack.analyzeStack(serverStack({ diagnostics: false }));
      const diag = ds.filter((d) => d.policy === "postgres-diagnostic-settings");
      assert.equal(diag.length, 1, JSON.stringify(ds, null, 2));
      assert.equal(diag[0].level, "mandatory");
      assert.equal(diag[0].urn, urns.server);
    });

    it("accepts the same stack once the server sends allLogs to a workspace", async function () {
      const ds = await pack.analyzeStack(serverStack());
      assert.ok(!policiesOf(ds).includes("postgres-diagnostic-settings"), JSON.stringify(ds, null, 2));
      assert.ok(!policiesOf(ds).includes("postgres-private-connectivity"), JSON.stringify(ds, null, 2));
      assert.ok(!policiesOf(ds).includes("postgres-entra-admin"), JSON.stringify(ds, null, 2));
    });

    it("links resources by dependency when ids are unknown", async function () {
      const rs = serverStack().map((r) => ({ ...r, id: undefined }));
      const diag = rs.find((r) => r.urn === urns.diagnostics)!;
      diag.properties = { ...diag.properties, resourceUri: UNKNOWN };
      const pe = rs.find((r) => r.urn === urns.endpoint)!;
      pe.properties = {
        ...pe.properties,
        privateLinkServiceConnections: [
          { name: "pg", privateLinkServiceId: UNKNOWN, groupIds: ["postgresqlServer"] },
        ],
      };
      const ds = await pack.analyzeStack(rs);
      const mandatory = ds.filter((d) => d.level === "mandatory");
      assert.deepEqual(mandatory, []);
    });

    it("carries requests and responses above gRPC's default 4 MiB message limit", async function () {
      // 2,500 bare servers: the request and the diagnostics coming back are each several MiB.
      const rs: PackResource[] = [];
      const filler = "x".repeat(2048);
      for (let i = 0; i < 2500; i++) {
        rs.push({
          urn: `urn:pulumi:dev::zt-test::azure-native:dbforpostgresql:Server::pg-${i}`,
          type: "azure-native:dbforpostgresql:Server",
          name: `pg-${i}`,
          properties: { resourceGroupName: "rg-bulk", serverName: `pg-${i}`, tags: { filler } },
        });
      }
      assert.ok(JSON.stringify(rs).length > 4 * 1024 * 1024);
      const ds = await pack.analyzeStack(rs);
      const bytes = ds.reduce((n, d) => n + d.message.length + (d.description ?? "").length, 0);
      assert.ok(bytes > 4 * 1024 * 1024, `response carried ${bytes} bytes of diagnostics`);
      const missingDiag = ds.filter((d) => d.policy === "postgres-diagnostic-settings");
      assert.equal(missingDiag.length, 2500);
    });
  });

  describe("Remediate", function () {
    it("turns public network access off when the rule's level is remediate", async function () {
      await pack.configure({ "postgres-no-public-network-access": "remediate" });
      const fixes = await pack.remediate(
        withProps((p) => {
          p.network = { publicNetworkAccess: "Enabled" };
        }),
      );
      const fix = fixes.find((f) => f.policy === "postgres-no-public-network-access");
      assert.ok(fix?.properties, JSON.stringify(fixes));
      assert.equal((fix.properties.network as Record<string, unknown>).publicNetworkAccess, "Disabled");
      // Everything else is kept.
      assert.deepEqual(fix.properties.backup, happyServerProps().backup);
      assert.equal(fix.properties.serverName, "pg-zt-test");
    });

    it("returns nothing at the default levels", async function () {
      const fixes = await pack.remediate(
        withProps((p) => {
          p.network = { publicNetworkAccess: "Enabled" };
        }),
      );
      assert.deepEqual(fixes, []);
    });
  });
});

/** Whether a process is gone: no /proc entry, or a zombie (killed, waiting for its reaper). */
function gone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return /^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return true;
  }
}

async function until(cond: () => boolean): Promise<void> {
  // Bounded by the test's timeout, not by a time assertion.
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
}

describe("policy pack process lifecycle", function () {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`dies with its parent when the parent gets ${signal}`, async function () {
      assertPackBuilt();
      const script = `
        const { startPack } = require(${JSON.stringify(path.join(REPO, "dist", "cli", "pack-client.js"))});
        startPack({ packDir: ${JSON.stringify(PACK_DIR)} }).then((p) => {
          process.stdout.write(p.pid + "\\n");
          setInterval(() => {}, 1000);
        });`;
      const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      const packPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once("data", (b: Buffer) => resolve(Number(String(b).trim())));
        parent.once("exit", (code) => reject(new Error(`parent exited early (${code})`)));
      });
      assert.ok(packPid > 0 && !gone(packPid), "the pack is running");
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        parent.once("exit", (_c, sig) => resolve(sig)),
      );
      parent.kill(signal);
      assert.equal(await exited, signal, "the parent still dies of the signal");
      await until(() => gone(packPid));
      assert.ok(gone(packPid));
    });
  }

  it("close() ends the pack process", async function () {
    assertPackBuilt();
    const pack = await startPack({ packDir: PACK_DIR });
    assert.ok(alive(pack.pid));
    await pack.close();
    assert.equal(alive(pack.pid), false);
  });
});
