// One run of the component benchmark, in its own process: `node dist/bench/lib/component-child.js <n>`.
// Writes a program with `n` servers (each configured like examples/private-endpoint: four personas, a
// workload identity, private endpoint, CMK with geo key, alerts, locks), runs it under the mock monitor
// with the offline preview's runner, and prints one JSON line: program time, resources, peak RSS.
// The component's modules are loaded before the clock starts, so the time is the program's own.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { collectPreview } from "../../cli/preview";
import { elapsedMs } from "./stats";

export interface ComponentChildResult {
  servers: number;
  programMs: number;
  resources: number;
  /** Peak RSS of this process (getrusage ru_maxrss), KiB. */
  peakRssKiB: number;
  /** RSS just before the program ran (modules loaded), KiB. */
  baseRssKiB: number;
}

function program(root: string, n: number): string {
  const req = JSON.stringify(path.join(root, "package.json"));
  return `"use strict";
const r = require("node:module").createRequire(${req});
const pulumi = r("@pulumi/pulumi");
const resources = r("@pulumi/azure-native/resources");
const network = r("@pulumi/azure-native/network");
const monitor = r("@pulumi/azure-native/monitor");
const { DatabaseAccess, ZeroTrustPostgres } = r("./dist/components");
const location = "westeurope";
const tenantId = "00000000-0000-4000-8000-0000000000aa";
const rg = new resources.ResourceGroup("bench-rg", { location });
const vnet = new network.VirtualNetwork("bench-vnet", { resourceGroupName: rg.name, location, addressSpace: { addressPrefixes: ["10.20.0.0/16"] } });
const subnet = new network.Subnet("bench-endpoints", { resourceGroupName: rg.name, virtualNetworkName: vnet.name, subnetName: "private-endpoints", addressPrefix: "10.20.1.0/24", privateEndpointNetworkPolicies: "Enabled", defaultOutboundAccess: false });
const actionGroup = new monitor.ActionGroup("bench-oncall", { resourceGroupName: rg.name, location: "global", groupShortName: "bench", enabled: true, emailReceivers: [{ name: "dba", emailAddress: "dba@example.com", useCommonAlertSchema: true }] });
const guid = (i, k) => \`\${String(k).repeat(8)}-\${String(k).repeat(4)}-4\${String(k).repeat(3)}-8\${String(k).repeat(3)}-\${String(i).padStart(12, "0")}\`;
for (let i = 0; i < ${n}; i++) {
  new ZeroTrustPostgres(\`pg\${i}\`, {
    resourceGroupName: rg.name,
    location,
    tenantId,
    administrators: [{ objectId: guid(i, 1), principalName: "pg-admins" }],
    personas: [
      { groupName: "pg-app-admins", objectId: guid(i, 2), access: DatabaseAccess.Admin },
      { groupName: "pg-app-writers", objectId: guid(i, 3), access: DatabaseAccess.Writer },
      { groupName: "pg-app-readers", objectId: guid(i, 4), access: DatabaseAccess.Reader },
      { groupName: "pg-support", objectId: guid(i, 5), access: DatabaseAccess.Reader },
    ],
    workloadIdentities: [{ name: "orders", access: DatabaseAccess.Writer, aks: { issuerUrl: \`https://\${location}.oic.prod-aks.azure.com/\${tenantId}/00000000-0000-4000-8000-00000000a5c5/\`, namespace: "orders", serviceAccount: "orders-api" } }],
    network: { privateEndpointSubnetResourceId: subnet.id, linkedVirtualNetworkResourceIds: [vnet.id] },
    monitoring: { actionGroupResourceId: actionGroup.id, failedLoginThreshold: 10 },
    protect: true,
    tags: { workload: "bench" },
  });
}
void pulumi;
`;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n < 1) throw new Error("usage: component-child <servers>");
  const root = path.resolve(__dirname, "..", "..", "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zt-bench-${n}-`));
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bench-servers\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), program(root, n));
    // The runner resolves @pulumi/pulumi/cmd/run from the program directory, as the Node.js language
    // host does: the program uses this repository's packages.
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    // Load the component and the SDK modules it uses before timing.
    /* eslint-disable @typescript-eslint/no-require-imports */
    require(path.join(root, "dist", "components"));
    for (const m of ["resources", "network", "monitor"]) require(`@pulumi/azure-native/${m}`);
    /* eslint-enable @typescript-eslint/no-require-imports */
    const baseRssKiB = Math.round(process.memoryUsage().rss / 1024);
    const t = process.hrtime.bigint();
    const collected = await collectPreview(dir, { log: () => undefined });
    const programMs = elapsedMs(t);
    const result: ComponentChildResult = {
      servers: n,
      programMs,
      resources: collected.resources.length,
      peakRssKiB: process.resourceUsage().maxRSS,
      baseRssKiB,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
