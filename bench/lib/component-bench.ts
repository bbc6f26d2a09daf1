// Section 2: the component under mocks. Each run is a fresh process (component-child.ts), so memory is
// the program's own and nothing is cached between runs; sizes are measured round-robin.

import { spawn } from "node:child_process";
import * as path from "node:path";

import type { ComponentChildResult } from "./component-child";
import { elapsedMs, summarize, type Summary } from "./stats";

export interface ComponentBenchOptions {
  root: string;
  sizes: number[];
  runs: number;
  /** Sizes from this many servers up get `largeRuns` runs (each takes tens of seconds). */
  largeFrom: number;
  largeRuns: number;
  log: (line: string) => void;
}

export interface ComponentFigures {
  servers: number;
  resources: number;
  /** The program's run under mocks (modules preloaded), ms. */
  programMs: Summary;
  /** Process spawn to exit, ms. */
  processMs: Summary;
  /** Peak RSS of the process, KiB. */
  peakRssKiB: Summary;
}

function runChild(root: string, servers: number): Promise<ComponentChildResult & { processMs: number }> {
  const script = path.join(root, "dist", "bench", "lib", "component-child.js");
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, [script, String(servers)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const processMs = elapsedMs(t);
      if (code !== 0)
        return reject(
          new Error(`component run with ${servers} servers exited ${code}:\n${err.slice(-2000)}`),
        );
      try {
        const line = out.trim().split("\n").pop() ?? "";
        resolve({ ...(JSON.parse(line) as ComponentChildResult), processMs });
      } catch (e) {
        reject(
          new Error(
            `component run with ${servers} servers printed no result: ${String(e)}\n${err.slice(-2000)}`,
          ),
        );
      }
    });
  });
}

export async function benchComponent(o: ComponentBenchOptions): Promise<ComponentFigures[]> {
  const samples = new Map<number, { program: number[]; proc: number[]; rss: number[]; resources: number }>();
  for (const n of o.sizes) samples.set(n, { program: [], proc: [], rss: [], resources: 0 });
  // Round 0 is the warm-up (the file cache; each run is a new process), with the smallest size only.
  for (let round = 0; round <= o.runs; round++) {
    const line: string[] = [];
    for (const n of o.sizes) {
      if (round === 0 && n !== o.sizes[0]) continue;
      if (n >= o.largeFrom && round > o.largeRuns) continue;
      const r = await runChild(o.root, n);
      const s = samples.get(n)!;
      s.resources = r.resources;
      if (round > 0) {
        s.program.push(r.programMs);
        s.proc.push(r.processMs);
        s.rss.push(r.peakRssKiB);
      }
      line.push(
        `${n}: ${r.programMs.toFixed(0)} ms, ${r.resources} resources, ${(r.peakRssKiB / 1024).toFixed(0)} MiB`,
      );
    }
    o.log(`  component round ${round}${round === 0 ? " (warm-up)" : ""}: ${line.join("; ")}`);
  }
  return o.sizes.map((n) => {
    const s = samples.get(n)!;
    return {
      servers: n,
      resources: s.resources,
      programMs: summarize(s.program),
      processMs: summarize(s.proc),
      peakRssKiB: summarize(s.rss),
    };
  });
}
