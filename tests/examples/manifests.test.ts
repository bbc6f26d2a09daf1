// Every Pulumi.yaml in the repository, run the way `pulumi preview` runs it: through
// `zt-postgres preview`, which starts Pulumi's own Node.js runner (`@pulumi/pulumi/cmd/run`) with the
// program directory and entry point the Pulumi CLI derives from `main`. The resource counts are exact:
// a manifest that runs the wrong program (the library's own dist/index.js registers nothing) fails here.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { cli, ROOT, type Run } from "../helpers/cli-run";

/** Each project manifest → what previewing it gives: resources (without the stack) and output names. */
const EXPECTED: Record<string, { resources: number; outputs: string[] } | { refused: RegExp }> = {
  // The root runs the default example (`main: examples/private-endpoint/index.ts`).
  "Pulumi.yaml": {
    resources: 59,
    outputs: [
      "bootstrapSql",
      "connection",
      "geoBackupKeyUri",
      "keyUri",
      "privateEndpointIp",
      "resourceGroupName",
      "serverFqdn",
      "serverId",
      "workspaceId",
    ],
  },
  "examples/private-endpoint/Pulumi.yaml": {
    resources: 59,
    outputs: [
      "bootstrapSql",
      "connection",
      "geoBackupKeyUri",
      "keyUri",
      "privateEndpointIp",
      "resourceGroupName",
      "serverFqdn",
      "serverId",
      "workspaceId",
    ],
  },
  "examples/vnet-integration/Pulumi.yaml": {
    resources: 59,
    outputs: [
      "bootstrapSql",
      "connection",
      "keyUri",
      "manualRestartStep",
      "privateDnsZoneId",
      "resourceGroupName",
      "serverFqdn",
      "serverId",
      "workspaceId",
    ],
  },
  "examples/existing-network/Pulumi.yaml": {
    resources: 34,
    outputs: [
      "bootstrapSql",
      "connection",
      "keyUri",
      "privateEndpointIp",
      "serverFqdn",
      "serverId",
      "workspaceId",
    ],
  },
  "examples/entra-personas/Pulumi.yaml": {
    resources: 75,
    outputs: ["bootstrapSql", "ciIdentities", "fqdn", "personaGroupIds", "serviceAccountManifests"],
  },
  "examples/insecure/Pulumi.yaml": { resources: 4, outputs: ["serverFqdn"] },
  "examples/read-replicas/Pulumi.yaml": {
    resources: 112,
    outputs: ["replicas", "serverFqdn", "virtualEndpointHosts"],
  },
  "examples/recovery-drill/Pulumi.yaml": {
    resources: 55,
    outputs: ["geoBackupKeyUri", "keyUri", "serverFqdn", "serverId"],
  },
  // Pulumi YAML has no Node.js program: `pulumi preview` runs it (tests/multilang covers its schema).
  "examples/yaml/Pulumi.yaml": { refused: /runtime "yaml" is not supported by zt-postgres preview/ },
  "tests/fixtures/preview-basic/Pulumi.yaml": { resources: 6, outputs: ["greeting", "serverId"] },
  "tests/fixtures/preview-broken/Pulumi.yaml": { refused: /\[firewall-no-open-ranges\]/ },
  "tests/fixtures/preview-hang/Pulumi.yaml": { refused: /did not finish within/ },
  "tests/fixtures/preview-refused/Pulumi.yaml": { refused: /refused its arguments/ },
  "tests/fixtures/preview-secret/Pulumi.yaml": { resources: 2, outputs: [] },
  "tests/fixtures/preview-spoof/Pulumi.yaml": { resources: 1, outputs: ["note"] },
  "tests/fixtures/manifest-dir-main/Pulumi.yaml": { resources: 1, outputs: [] },
};

describe("every Pulumi.yaml, through Pulumi's own runner (zt-postgres preview --json)", function () {
  this.timeout(900_000);

  const manifests = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => /(^|\/)Pulumi\.ya?ml$/.test(f) && fs.existsSync(path.join(ROOT, f)));

  it("knows every manifest in the repository (add a new one to EXPECTED)", function () {
    assert.deepEqual([...manifests].sort(), Object.keys(EXPECTED).sort());
  });

  // Two previews at a time: each is a Node.js runner, a policy pack and the CLI.
  const runs = new Map<string, Promise<Run>>();
  before(function () {
    let slots: Promise<unknown> = Promise.resolve();
    const lanes: Promise<unknown>[] = [slots, slots];
    manifests.forEach((m, i) => {
      const dir = path.dirname(m) === "." ? "." : path.dirname(m);
      const extra = m.includes("preview-hang") ? ["--timeout", "20"] : [];
      const lane = i % lanes.length;
      const run = lanes[lane].then(() => cli(["preview", dir, "--json", ...extra]));
      lanes[lane] = run;
      runs.set(m, run);
    });
    slots = Promise.all(lanes);
  });

  for (const [manifest, want] of Object.entries(EXPECTED)) {
    if ("refused" in want) {
      it(`${manifest}: refused with exit 2 and the reason`, async function () {
        const run = await runs.get(manifest)!;
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, want.refused);
      });
    } else {
      it(`${manifest}: registers exactly ${want.resources} resources and its outputs`, async function () {
        const run = await runs.get(manifest)!;
        assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
        const doc = JSON.parse(run.stdout) as { resources: unknown[]; outputs: Record<string, unknown> };
        assert.equal(doc.resources.length, want.resources);
        assert.deepEqual(Object.keys(doc.outputs).sort(), want.outputs);
      });
    }
  }

  it("runs what the Pulumi CLI runs for `main: <dir>/`, and warns that it is another file", async function () {
    const run = await runs.get("tests/fixtures/manifest-dir-main/Pulumi.yaml")!;
    const doc = JSON.parse(run.stdout) as { resources: { name: string }[] };
    assert.deepEqual(
      doc.resources.map((r) => r.name),
      ["wrong-program"],
    );
    assert.match(
      run.stderr,
      /warning: .*Pulumi\.yaml gives no program file, so Pulumi's runner loads .*wrong-program\.ts/,
    );
  });
});
