// Section 4: a modelled `pulumi up` of examples/private-endpoint. The offline preview gives the
// dependency graph (parents and dependencies, as the engine sees them); durations.ts gives a typical
// create time per resource type; the critical path is the longest chain, which is how long an `up`
// with unbounded parallelism takes.

import * as fs from "node:fs";

import { collectPreview } from "../../cli/preview";
import { criticalPath, type CriticalPath, type DeployNode } from "./critical-path";
import { DURATIONS, isComponentType, type Duration } from "./durations";

export interface GraphRecord {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  dependencies: string[];
}

export interface DeployModel {
  resources: number;
  totalSeconds: number;
  serialSeconds: number;
  path: { type: string; name: string; start: number; seconds: number; finish: number }[];
  /** Types with no table entry (modelled with the default). */
  untabled: string[];
}

/** The example's graph from the offline preview (no policy pack). */
export async function previewGraph(dir: string): Promise<GraphRecord[]> {
  const c = await collectPreview(dir, { log: () => undefined });
  return c.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies,
  }));
}

export function readGraph(file: string): GraphRecord[] {
  return JSON.parse(fs.readFileSync(file, "utf8")) as GraphRecord[];
}

/** Types whose create is a write through the PostgreSQL resource provider to one server (ServerBusy). */
const SERVER_WRITES = new Set([
  "azure-native:dbforpostgresql:Configuration",
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
  "azure-native:dbforpostgresql:Database",
  "azure-native:dbforpostgresql:FirewallRule",
  "azure-native:resources:Resource",
]);

/**
 * The ordering of the Azure Verified Module (avm/res/db-for-postgre-sql/flexible-server main.bicep):
 * the server's private endpoint (and its DNS zone group) and Defender threat protection wait for the
 * server only, alongside the parameter chain; parameters, administrators, databases and firewall
 * rules stay serial. A modelled scenario: the component keeps its own ordering.
 */
export function avmOrdering(graph: readonly GraphRecord[]): GraphRecord[] {
  const byUrn = new Map(graph.map((g) => [g.urn, g]));
  const isServer = (u: string) => byUrn.get(u)?.type === "azure-native:dbforpostgresql:Server";
  const serverPe = new Set(
    graph
      .filter((g) => g.type === "azure-native:network:PrivateEndpoint" && g.dependencies.some(isServer))
      .map((g) => g.urn),
  );
  const isWrite = (u: string) => serverPe.has(u) || SERVER_WRITES.has(byUrn.get(u)?.type ?? "");
  return graph.map((g) => {
    const groupOfServerPe =
      g.type === "azure-native:network:PrivateDnsZoneGroup" && g.dependencies.some((d) => serverPe.has(d));
    const detach = serverPe.has(g.urn) || groupOfServerPe || g.type === "azure-native:resources:Resource";
    if (!detach) return g;
    const own = (d: string) => groupOfServerPe && serverPe.has(d);
    return { ...g, dependencies: g.dependencies.filter((d) => own(d) || !isWrite(d)) };
  });
}

const DEFAULT: Duration = { seconds: 30, source: "estimate", note: "no table entry" };

export function model(graph: readonly GraphRecord[]): DeployModel & { cp: CriticalPath } {
  const known = new Set(graph.map((g) => g.urn));
  const untabled = new Set<string>();
  const nodes: DeployNode[] = graph.map((g) => {
    const component = isComponentType(g.type);
    let d = DURATIONS[g.type];
    if (!component && d === undefined) {
      untabled.add(g.type);
      d = DEFAULT;
    }
    return {
      urn: g.urn,
      type: g.type,
      name: g.name,
      // The stack resource is not in the preview's records; a parent outside the graph is the stack.
      ...(g.parent && known.has(g.parent) ? { parent: g.parent } : {}),
      dependencies: g.dependencies.filter((u) => known.has(u)),
      seconds: component ? 0 : d!.seconds,
      component,
    };
  });
  const cp = criticalPath(nodes);
  return {
    cp,
    resources: graph.length,
    totalSeconds: cp.totalSeconds,
    serialSeconds: cp.serialSeconds,
    path: cp.path.map((p) => ({
      type: p.type,
      name: p.name,
      start: p.start,
      seconds: p.seconds,
      finish: p.finish,
    })),
    untabled: [...untabled].sort(),
  };
}

/** "14m 30s". */
export function fmtDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m === 0 ? `${s}s` : s === 0 ? `${m}m` : `${m}m ${String(s).padStart(2, "0")}s`;
}
