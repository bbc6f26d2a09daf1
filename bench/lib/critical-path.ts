// The longest path through a deployment's dependency graph: how long `pulumi up` takes when every
// resource starts as soon as what it waits for is done (the engine's default, unbounded parallelism).

export interface DeployNode {
  urn: string;
  type: string;
  name: string;
  /** The parent's URN: a resource registers after its parent does. */
  parent?: string;
  /** URNs this resource waits for (explicit `dependsOn` and property dependencies). */
  dependencies: string[];
  /** Modelled create time in seconds. Component resources take 0. */
  seconds: number;
  /** True for component resources (and the stack): no cloud call, and depending on one waits for its children. */
  component?: boolean;
}

export interface ScheduledNode {
  urn: string;
  type: string;
  name: string;
  seconds: number;
  start: number;
  finish: number;
}

export interface CriticalPath {
  /** Finish time of the last resource, in seconds. */
  totalSeconds: number;
  /** Resources on the longest path, in order; component resources (0 s) left out. */
  path: ScheduledNode[];
  /** Every resource's earliest start and finish. */
  schedule: Map<string, ScheduledNode>;
  /** Sum of all create times: the time with `--parallel 1`. */
  serialSeconds: number;
}

/**
 * Earliest-start schedule and critical path. A resource waits for its dependencies and its parent; a
 * dependency on a component waits for everything under the component. Throws on a cycle or on an
 * unknown URN, which would mean the graph was read wrong.
 */
export function criticalPath(nodes: readonly DeployNode[]): CriticalPath {
  const byUrn = new Map<string, DeployNode>();
  for (const n of nodes) {
    if (byUrn.has(n.urn)) throw new Error(`duplicate URN ${n.urn}`);
    byUrn.set(n.urn, n);
  }
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.parent === undefined) continue;
    if (!byUrn.has(n.parent)) throw new Error(`${n.urn}: unknown parent ${n.parent}`);
    children.set(n.parent, [...(children.get(n.parent) ?? []), n.urn]);
  }
  const descendants = (urn: string): string[] => {
    const out: string[] = [];
    const stack = [...(children.get(urn) ?? [])];
    while (stack.length > 0) {
      const u = stack.pop()!;
      out.push(u);
      stack.push(...(children.get(u) ?? []));
    }
    return out;
  };

  // Predecessors: dependencies (components expanded to their descendants) and the parent.
  const preds = new Map<string, Set<string>>();
  for (const n of nodes) {
    const p = new Set<string>();
    for (const d of n.dependencies) {
      const dep = byUrn.get(d);
      if (!dep) throw new Error(`${n.urn}: unknown dependency ${d}`);
      if (dep.component) for (const x of descendants(d)) p.add(x);
      p.add(d);
    }
    if (n.parent !== undefined) p.add(n.parent);
    p.delete(n.urn);
    preds.set(n.urn, p);
  }

  // Kahn's algorithm over the predecessor sets.
  const succ = new Map<string, string[]>();
  const indegree = new Map<string, number>();
  for (const n of nodes) indegree.set(n.urn, preds.get(n.urn)!.size);
  for (const [u, ps] of preds) for (const p of ps) succ.set(p, [...(succ.get(p) ?? []), u]);
  const ready = nodes.filter((n) => indegree.get(n.urn) === 0).map((n) => n.urn);
  const schedule = new Map<string, ScheduledNode>();
  const via = new Map<string, string | undefined>();
  while (ready.length > 0) {
    const u = ready.shift()!;
    const n = byUrn.get(u)!;
    let start = 0;
    let from: string | undefined;
    for (const p of preds.get(u)!) {
      const f = schedule.get(p)!.finish;
      if (from === undefined || f > start) {
        start = f;
        from = p;
      }
    }
    const seconds = n.component ? 0 : n.seconds;
    schedule.set(u, { urn: u, type: n.type, name: n.name, seconds, start, finish: start + seconds });
    via.set(u, from);
    for (const s of succ.get(u) ?? []) {
      const d = indegree.get(s)! - 1;
      indegree.set(s, d);
      if (d === 0) ready.push(s);
    }
  }
  if (schedule.size !== nodes.length) {
    const stuck = nodes.filter((n) => !schedule.has(n.urn)).map((n) => n.urn);
    throw new Error(`dependency cycle among: ${stuck.slice(0, 5).join(", ")}`);
  }

  let last: ScheduledNode | undefined;
  for (const s of schedule.values()) if (!last || s.finish > last.finish) last = s;
  const path: ScheduledNode[] = [];
  for (let u = last?.urn; u !== undefined; u = via.get(u)) {
    const s = schedule.get(u)!;
    if (!byUrn.get(u)!.component) path.unshift(s);
  }
  let serialSeconds = 0;
  for (const s of schedule.values()) serialSeconds += s.seconds;
  return { totalSeconds: last?.finish ?? 0, path, schedule, serialSeconds };
}
