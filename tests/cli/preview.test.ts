// The offline preview (`zt-postgres preview <dir>`, `npm run demo`): each example runs through Pulumi's
// own runner against the engine stand-in, the records carry what `pulumi preview` shows (URN, type,
// name, parent, inputs with secrets hidden, dependencies, stack outputs), and the policy pack's verdicts
// come back through its gRPC Analyzer. Needs the compiled pack and CLI (`npm run build`).

import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";

import { startPack, type PackClient } from "../../cli/pack-client";
import {
  evaluateWithPack,
  formatPreviewText,
  runPreview,
  type PreviewResult,
  type PreviewResourceRecord,
} from "../../cli/preview";
import { COMPONENT_TYPE } from "../../components/postgres/defaults";
import { PACK_DIR, REPO, assertPackBuilt } from "../helpers/pack";
import { previewOnce } from "./preview-runs";

const FIXTURES = path.join(REPO, "tests", "fixtures");
const quiet = () => undefined;

function ofType(r: PreviewResult, type: string): PreviewResourceRecord[] {
  return r.resources.filter((x) => x.type === type);
}

function one(r: PreviewResult, type: string): PreviewResourceRecord {
  const found = ofType(r, type);
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0];
}

/** URN → every URN it depends on, directly or through other resources. */
function transitiveDeps(r: PreviewResult): Map<string, Set<string>> {
  const direct = new Map(r.resources.map((x) => [x.urn, x.dependencies]));
  const memo = new Map<string, Set<string>>();
  const visit = (urn: string, stack: Set<string>): Set<string> => {
    const known = memo.get(urn);
    if (known) return known;
    assert.ok(!stack.has(urn), `dependency cycle through ${urn}`);
    stack.add(urn);
    const out = new Set<string>();
    for (const d of direct.get(urn) ?? []) {
      out.add(d);
      for (const x of visit(d, stack)) out.add(x);
    }
    stack.delete(urn);
    memo.set(urn, out);
    return out;
  };
  for (const x of r.resources) visit(x.urn, new Set());
  return memo;
}

function componentOf(r: PreviewResult): PreviewResourceRecord {
  return one(r, COMPONENT_TYPE);
}

/** Every resource whose URN is qualified by the component's type is its direct child. */
function assertChildrenUnderComponent(r: PreviewResult): void {
  const component = componentOf(r);
  assert.match(
    component.parent ?? "",
    /::pulumi:pulumi:Stack::/,
    "the component is a top-level resource (under the stack)",
  );
  const children = r.resources.filter((x) => x.urn.includes(`::${COMPONENT_TYPE}$`));
  assert.ok(children.length > 10, `the component has children (${children.length})`);
  for (const c of children)
    assert.equal(c.parent, component.urn, `${c.type} ${c.name} is parented to the component`);
  for (const x of r.resources) {
    if (x.parent && !x.parent.includes("::pulumi:pulumi:Stack::"))
      assert.ok(
        r.resources.some((p) => p.urn === x.parent),
        `the parent of ${x.name} is in the preview`,
      );
  }
}

function assertDependenciesResolve(r: PreviewResult): void {
  const urns = new Set(r.resources.map((x) => x.urn));
  for (const x of r.resources) {
    for (const d of x.dependencies) {
      assert.ok(urns.has(d), `${x.name} depends on ${d}, which is in the preview`);
      assert.notEqual(d, x.urn, `${x.name} does not depend on itself`);
    }
    assert.equal(new Set(x.dependencies).size, x.dependencies.length, `${x.name} lists each dependency once`);
  }
}

describe("offline preview", function () {
  this.timeout(600_000);
  let pack: PackClient;

  before(async function () {
    assertPackBuilt();
    pack = await startPack({ packDir: PACK_DIR });
  });

  after(async function () {
    await pack?.close();
  });

  describe("examples/private-endpoint (the demo)", function () {
    let result: PreviewResult;

    before(async function () {
      // End to end, as a user runs it: `zt-postgres preview examples/private-endpoint --json`.
      result = await demoJson();
    });

    it("puts every component child directly under the ZeroTrustPostgres component", function () {
      assertChildrenUnderComponent(result);
    });

    it("emits the resources of a private-endpoint deployment", function () {
      const types = new Set(result.resources.map((x) => x.type));
      for (const t of [
        "azure-native:dbforpostgresql:Server",
        "azure-native:dbforpostgresql:Configuration",
        "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
        "azure-native:network:PrivateEndpoint",
        "azure-native:network:PrivateDnsZoneGroup",
        "azure-native:privatedns:PrivateZone",
        "azure-native:privatedns:VirtualNetworkLink",
        "azure-native:keyvault:Vault",
        "azure-native:keyvault:Key",
        "azure-native:managedidentity:UserAssignedIdentity",
        "azure-native:managedidentity:FederatedIdentityCredential",
        "azure-native:operationalinsights:Workspace",
        "azure-native:monitor:DiagnosticSetting",
        "azure-native:monitor:ScheduledQueryRule",
        "azure-native:authorization:ManagementLockByScope",
      ]) {
        assert.ok(types.has(t), `the preview has a ${t}`);
      }
      const server = one(result, "azure-native:dbforpostgresql:Server");
      assert.deepEqual(server.inputs.network, { publicNetworkAccess: "Disabled" });
      const pe = ofType(result, "azure-native:network:PrivateEndpoint").find((x) =>
        JSON.stringify(x.inputs).includes("postgresqlServer"),
      );
      assert.ok(pe, "a private endpoint targets the server (groupId postgresqlServer)");
      assert.ok(pe.dependencies.includes(server.urn), "the server's private endpoint depends on the server");
    });

    it("applies the server parameters strictly one after another", function () {
      const server = one(result, "azure-native:dbforpostgresql:Server");
      const params = ofType(result, "azure-native:dbforpostgresql:Configuration");
      // The example runs PostgreSQL 17: the eleven parameters of components/postgres/parameters.ts.
      assert.deepEqual(params.map((p) => p.inputs.configurationName).sort(), [
        "azure.extensions",
        "connection_throttle.enable",
        "log_checkpoints",
        "log_connections",
        "log_disconnections",
        "logfiles.download_enable",
        "logfiles.retention_days",
        "pgaudit.log",
        "require_secure_transport",
        "shared_preload_libraries",
        "ssl_min_protocol_version",
      ]);
      const deps = transitiveDeps(result);
      // A strict chain: of any two parameters, one waits for the other.
      for (const a of params) {
        assert.ok(deps.get(a.urn)!.has(server.urn), `${a.name} waits for the server`);
        for (const b of params) {
          if (a === b) continue;
          assert.ok(
            deps.get(a.urn)!.has(b.urn) || deps.get(b.urn)!.has(a.urn),
            `${a.name} and ${b.name} are ordered`,
          );
        }
      }
      // And each parameter names its predecessor directly (the chain is explicit, not incidental).
      const ordered = [...params].sort((a, b) => deps.get(a.urn)!.size - deps.get(b.urn)!.size);
      for (let i = 1; i < ordered.length; i++) {
        assert.ok(
          ordered[i].dependencies.includes(ordered[i - 1].urn),
          `${ordered[i].name} depends on ${ordered[i - 1].name}`,
        );
      }
    });

    it("records only dependencies on resources of the preview", function () {
      assertDependenciesResolve(result);
    });

    it("passes the policy pack with no violation at any level", function () {
      assert.deepEqual(result.diagnostics, []);
    });

    it("prints the tree, the counts, the security settings and the policy summary", function () {
      const text = formatPreviewText(result);
      const component = componentOf(result);
      assert.match(text, /^Previewing zt-postgres-private-endpoint\/dev offline/);
      assert.match(text, /^ \+ {3}pulumi:pulumi:Stack +zt-postgres-private-endpoint-dev +create$/m);
      // The component under the stack, the server under the component.
      const escaped = COMPONENT_TYPE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      assert.match(text, new RegExp(`^ \\+ {3}[├└]─ ${escaped} +${component.name} +create$`, "m"));
      assert.match(text, /^ \+ {3}[│ ] {2}[├└]─ azure-native:dbforpostgresql:Server +\S+ +create$/m);
      assert.match(text, new RegExp(`^ {4}\\+ ${result.resources.length} to create$`, "m"));
      const params = ofType(result, "azure-native:dbforpostgresql:Configuration").length;
      assert.match(text, new RegExp(`^ +${params} {2}azure-native:dbforpostgresql:Configuration$`, "m"));
      // Read with the rules' own helpers: on/off as the rule judges it, the value it saw in brackets.
      assert.match(text, /public network access +off \(Disabled\)/);
      assert.match(
        text,
        /authentication +Entra ID on \(authConfig\.activeDirectoryAuth is "Enabled"\), password off \(authConfig\.passwordAuth is "Disabled"\)/,
      );
      assert.match(text, /customer-managed key +on https:\/\//);
      assert.match(text, /TLS floor +ssl_min_protocol_version=TLSv1\.3, require_secure_transport=on/);
      assert.match(
        text,
        /backup +geo-redundant on with geo key \(backup\.geoRedundantBackup is "Enabled"\), retention 35 days/,
      );
      assert.match(text, /high availability +ZoneRedundant/);
      assert.match(text, /pgaudit +loaded, pgaudit\.log=role,ddl,misc/);
      assert.match(text, /^0 mandatory, 0 advisory$/m);
    });
  });

  /** An example's preview (Pulumi's runner under mocks) judged by the running pack, as `zt-postgres preview` does. */
  async function previewWithPack(dir: string): Promise<PreviewResult> {
    const collected = await previewOnce(dir);
    const diagnostics = await evaluateWithPack(collected.packResources, {
      pack,
      stackUrn: collected.stackUrn,
      readUrns: collected.readUrns,
    });
    return { resources: collected.resources, diagnostics, outputs: collected.outputs };
  }

  for (const example of ["vnet-integration", "existing-network"]) {
    describe(`examples/${example}`, function () {
      let result: PreviewResult;

      before(async function () {
        result = await previewWithPack(`examples/${example}`);
      });

      it("runs under mocks with every component child under the component", function () {
        assertChildrenUnderComponent(result);
        one(result, "azure-native:dbforpostgresql:Server");
        assertDependenciesResolve(result);
      });

      it("has no mandatory violation", function () {
        assert.deepEqual(
          result.diagnostics.filter((d) => d.level === "mandatory"),
          [],
        );
      });
    });
  }

  describe("examples/read-replicas", function () {
    let result: PreviewResult;

    before(async function () {
      result = await previewWithPack("examples/read-replicas");
    });

    it("runs under mocks with every replica's children under the component, and no violation", function () {
      assertChildrenUnderComponent(result);
      assertDependenciesResolve(result);
      assert.equal(ofType(result, "azure-native:dbforpostgresql:Server").length, 3);
      assert.deepEqual(result.diagnostics, []);
    });

    it("prints a replica's security settings as a replica has them: inherited login, no backups or HA of its own", function () {
      const text = formatPreviewText(result);
      const section = text
        .split("Security settings: ")
        .find((x) => x.startsWith(`azure-native:dbforpostgresql:Server "zt-rr-replica-dr-server"`));
      assert.ok(section, text);
      assert.match(section, /authentication +the primary's \(a read replica inherits it\)/);
      assert.match(section, /customer-managed key +on https:\/\/dr-rkv-/);
      assert.match(section, /backup +none on a read replica/);
      assert.match(section, /high availability +none on a read replica/);
      assert.match(section, /pgaudit +loaded, pgaudit\.log=role,ddl,misc/);
    });
  });

  describe("examples/insecure (no component)", function () {
    let result: PreviewResult;

    before(async function () {
      const collected = await previewOnce("examples/insecure");
      const diagnostics = await evaluateWithPack(collected.packResources, {
        pack,
        stackUrn: collected.stackUrn,
      });
      result = { resources: collected.resources, diagnostics, outputs: collected.outputs };
    });

    it("reports each weakness as its mandatory rule, on the resource that has it", function () {
      const server = one(result, "azure-native:dbforpostgresql:Server");
      const firewall = one(result, "azure-native:dbforpostgresql:FirewallRule");
      const vault = one(result, "azure-native:keyvault:Vault");
      const expected: [string, string][] = [
        ["postgres-no-public-network-access", server.urn],
        ["postgres-entra-only-auth", server.urn],
        ["postgres-cmk-encryption", server.urn],
        ["postgres-private-connectivity", server.urn],
        ["postgres-diagnostic-settings", server.urn],
        // No parameters declared: Azure's defaults leave pgaudit unloaded.
        ["postgres-effective-parameters", server.urn],
        ["firewall-no-open-ranges", firewall.urn],
        ["keyvault-purge-protection", vault.urn],
      ];
      const mandatory = result.diagnostics.filter((d) => d.level === "mandatory");
      for (const [policy, urn] of expected) {
        assert.ok(
          mandatory.some((d) => d.policy === policy && d.urn === urn),
          `${policy} on ${urn.split("::").pop()}; got ${JSON.stringify(mandatory.map((d) => d.policy))}`,
        );
      }
      const unexpected = mandatory.filter((d) => !expected.some(([p]) => p === d.policy));
      assert.deepEqual(unexpected, [], "no other mandatory rule fires");
    });

    it("reports Azure's logging defaults (3 days of server logs, no throttling) as one advisory violation on the server", function () {
      const server = one(result, "azure-native:dbforpostgresql:Server");
      const logs = result.diagnostics.filter((d) => d.policy === "postgres-effective-log-parameters");
      assert.deepEqual(
        logs.map((d) => [d.level, d.urn]),
        [["advisory", server.urn]],
      );
      for (const fragment of [
        `connection_throttle.enable is not declared, so Azure's default for PostgreSQL 16 applies ("off")`,
        `logfiles.retention_days is not declared, so Azure's default for PostgreSQL 16 applies ("3"), fewer than 7 days`,
      ])
        assert.ok(logs[0].message.includes(fragment), logs[0].message);
    });

    it("never shows the admin password, only [secret]", function () {
      const server = one(result, "azure-native:dbforpostgresql:Server");
      assert.equal(server.inputs.administratorLoginPassword, "[secret]");
      const everything = JSON.stringify(result) + formatPreviewText(result);
      assert.ok(
        !everything.includes("Insecure-Demo-Passw0rd!"),
        "the fallback password is nowhere in the output",
      );
    });

    it("ends the text output with the count of mandatory and advisory violations", function () {
      const m = result.diagnostics.filter((d) => d.level === "mandatory").length;
      const a = result.diagnostics.filter((d) => d.level === "advisory").length;
      assert.ok(m >= 7);
      assert.match(formatPreviewText(result), new RegExp(`\\n${m} mandatory, ${a} advisory\\n$`));
    });
  });

  describe("the runner, on a fixture program", function () {
    const fixture = path.join(FIXTURES, "preview-basic");
    let result: PreviewResult;
    const logged: string[] = [];

    before(async function () {
      const writes: string[] = [];
      const realWrite = process.stdout.write;
      process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        writes.push(String(chunk));
        return realWrite.call(process.stdout, chunk as string, ...(rest as []));
      }) as typeof process.stdout.write;
      try {
        result = await runPreview(fixture, { withPolicies: false, log: (l) => logged.push(l) });
      } finally {
        process.stdout.write = realWrite;
      }
      assert.ok(!writes.join("").includes("noise"), "nothing from the program reached stdout");
    });

    const byName = (n: string) => {
      const r = result.resources.find((x) => x.name === n);
      assert.ok(r, `resource ${n}`);
      return r;
    };

    it("sends the program's console output to the log, never to stdout", function () {
      assert.ok(logged.includes("noise from the program on stdout"), JSON.stringify(logged));
      assert.ok(logged.includes("more noise"), JSON.stringify(logged));
    });

    it("records URNs and parents from the registration requests", function () {
      const box = byName("box");
      assert.equal(box.urn, "urn:pulumi:dev::preview-basic::zerotrust:test:Box::box");
      // Top-level resources are children of the stack, as under the engine.
      assert.equal(box.parent, "urn:pulumi:dev::preview-basic::pulumi:pulumi:Stack::preview-basic-dev");
      const server = byName("box-server");
      assert.equal(
        server.urn,
        "urn:pulumi:dev::preview-basic::zerotrust:test:Box$azure-native:dbforpostgresql:Server::box-server",
      );
      assert.equal(server.parent, box.urn);
    });

    it("records explicit dependsOn and property dependencies", function () {
      const server = byName("box-server");
      const p0 = byName("box-param-0");
      const p1 = byName("box-param-1");
      const p2 = byName("box-param-2");
      assert.deepEqual(p0.dependencies, [server.urn]);
      // p1: dependsOn p0, and serverName comes from the server's output.
      assert.deepEqual([...p1.dependencies].sort(), [p0.urn, server.urn].sort());
      assert.ok(p2.dependencies.includes(p1.urn));
      assert.deepEqual(server.dependencies, []);
    });

    it("shows secret inputs, and values computed from secrets, as [secret]", function () {
      assert.equal(byName("box-server").inputs.administratorLoginPassword, "[secret]");
      assert.deepEqual(byName("box-secret").inputs.properties, { value: "[secret]" });
      assert.ok(!JSON.stringify(result).includes("p@ssw0rd-plaintext"));
    });

    it("keeps the other inputs as the program gave them", function () {
      assert.deepEqual(byName("box-server").inputs.network, { publicNetworkAccess: "Disabled" });
      assert.equal(byName("box-param-0").inputs.value, "TLSv1.3");
      assert.equal(byName("box-param-0").inputs.serverName, "box-server");
    });

    it("reads stack config from Pulumi.<stack>.yaml", function () {
      // Pulumi.dev.yaml sets count: 3.
      assert.equal(ofType(result, "azure-native:dbforpostgresql:Configuration").length, 3);
    });

    it("gives the same records when run again in the same process", async function () {
      const again = await runPreview(fixture, { withPolicies: false, log: quiet });
      assert.deepEqual(again, result);
    });

    it("has the documented JSON shape", function () {
      const doc = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(doc), ["resources", "diagnostics", "outputs"]);
      for (const r of result.resources) {
        const keys = Object.keys(r);
        assert.deepEqual(keys, [
          "urn",
          "type",
          "name",
          ...(r.parent ? ["parent"] : []),
          "inputs",
          "dependencies",
        ]);
      }
    });

    it("fails with the program's own error when a validation inside apply throws", async function () {
      await assert.rejects(
        runPreview(path.join(FIXTURES, "preview-broken"), { withPolicies: false, log: quiet }),
        /\[firewall-no-open-ranges\] `firewallRules\[0\]` "0\.0\.0\.0\/0"/,
      );
    });

    it("rejects a directory without Pulumi.yaml", async function () {
      await assert.rejects(
        runPreview(FIXTURES, { log: quiet }),
        /no Pulumi\.yaml; give a Pulumi project directory/,
      );
    });
  });

  describe("npm run demo -- --json (a separate process)", function () {
    it("prints one JSON document of resources, diagnostics and outputs and exits on its own", async function () {
      const doc = await demoJson();
      assert.deepEqual(Object.keys(doc), ["resources", "diagnostics", "outputs"]);
      assert.equal(doc.resources.length, 59);
      assert.ok(doc.resources.some((r) => r.type === COMPONENT_TYPE));
      for (const r of doc.resources) {
        assert.equal(typeof r.urn, "string");
        assert.ok(Array.isArray(r.dependencies));
        assert.equal(typeof r.inputs, "object");
      }
      assert.deepEqual(doc.diagnostics, []);
      assert.deepEqual(Object.keys(doc.outputs).sort(), [
        "bootstrapSql",
        "connection",
        "geoBackupKeyUri",
        "keyUri",
        "privateEndpointIp",
        "resourceGroupName",
        "serverFqdn",
        "serverId",
        "workspaceId",
      ]);
    });
  });
});

let demo: Promise<PreviewResult> | undefined;

/** `zt-postgres preview examples/private-endpoint --json`, run once. */
function demoJson(): Promise<PreviewResult> {
  demo ??= (async () => {
    const child = spawn(
      process.execPath,
      [path.join(REPO, "dist", "cli", "main.js"), "preview", "examples/private-endpoint", "--json"],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout) as PreviewResult;
  })();
  return demo;
}
