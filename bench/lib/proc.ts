// Memory of processes, read from /proc (Linux): a process's resident set and its descendants'.

import * as fs from "node:fs";

/** VmRSS of `pid` in KiB, or undefined once the process is gone (or off Linux). */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** VmHWM (the kernel's peak RSS) of `pid` in KiB, or undefined. */
export function peakRssKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of `pid` (every thread's `children` list). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    }
  } catch {
    // gone
  }
  return out;
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...childPids(p));
  }
  return out;
}

export interface TreePeak {
  /** Peak of the root process's own VmHWM (exact) in KiB. */
  rootKiB: number;
  /** Peak of the sum of VmRSS over the tree, sampled, in KiB. */
  treeKiB: number;
  /** Peak VmHWM per descendant seen (exact per process), keyed by pid. */
  childrenKiB: Map<number, number>;
}

/**
 * Samples the memory of `pid` and its descendants every `intervalMs` until `stop()`. The per-process
 * peaks use the kernel's VmHWM, so they are exact; the tree total is a sampled sum of VmRSS.
 */
export function sampleTree(pid: number, intervalMs = 20): { stop(): TreePeak } {
  const peak: TreePeak = { rootKiB: 0, treeKiB: 0, childrenKiB: new Map() };
  const tick = () => {
    let sum = 0;
    for (const p of processTree(pid)) {
      sum += rssKiB(p) ?? 0;
      const hwm = peakRssKiB(p);
      if (hwm === undefined) continue;
      if (p === pid) peak.rootKiB = Math.max(peak.rootKiB, hwm);
      else peak.childrenKiB.set(p, Math.max(peak.childrenKiB.get(p) ?? 0, hwm));
    }
    peak.treeKiB = Math.max(peak.treeKiB, sum);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}
