// Section 1: the policy pack over the Analyzer protocol, exactly as the engine drives it
// (run-policy-pack, GetAnalyzerInfo, Configure, Analyze, AnalyzeStack), against an empty pack (the
// floor) and a conventional TypeScript pack (azure-native classes, validateResourceOfType, ts-node).
// Packs are measured round-robin within each round, so slow phases of a shared machine hit all three.

import * as path from "node:path";

import { startPack, type PackClient } from "../../cli/pack-client";
import { analyzeRequestBytes, analyzeStackRequestBytes, diagnosticCount, RawAnalyzer } from "./analyzer-wire";
import { peakRssKiB, rssKiB } from "./proc";
import { analyzeMix, stackMix, typeCounts } from "./stack-mix";
import { elapsedMs, summarize, type Summary } from "./stats";

export type PackKey = "ours" | "empty" | "conventional";

export interface PackSpec {
  key: PackKey;
  label: string;
  dir: string;
}

export function packSpecs(root: string): PackSpec[] {
  return [
    { key: "ours", label: "ours (policies/, compiled JS)", dir: path.join(root, "policies") },
    {
      key: "empty",
      label: "(a) empty pack (JS, no policies)",
      dir: path.join(root, "bench", "packs", "empty"),
    },
    {
      key: "conventional",
      label: "(b) conventional TS pack (azure-native + validateResourceOfType, ts-node)",
      dir: path.join(root, "bench", "packs", "conventional"),
    },
  ];
}

export interface PackBenchOptions {
  root: string;
  /** Measured runs per figure (after one warm-up). */
  runs: number;
  /** Measured runs of AnalyzeStack below 100k resources (after one warm-up). */
  stackRuns: number;
  /** Cold starts of the conventional pack (each one type-checks azure-native under ts-node, ~45 s). */
  conventionalColdRuns: number;
  /** Analyze calls per run. */
  analyzeCalls: number;
  /** AnalyzeStack sizes. */
  sizes: number[];
  /** Runs at sizes ≥ 100k (no warm-up): each is slow and the size itself warms the pack. */
  largeRuns: number;
  log: (line: string) => void;
}

export interface PackFigures {
  key: PackKey;
  label: string;
  policies: number;
  coldStartMs: Summary;
  /** VmRSS right after the port was printed, KiB. */
  rssAfterStartKiB: Summary;
  /** Mean time of one Analyze call, µs (one sample per run of `analyzeCalls` sequential calls). */
  analyzeUs: Summary;
  analyzeDiagnostics: number;
  /** AnalyzeStack wall time by size, ms. */
  analyzeStackMs: Record<string, Summary>;
  analyzeStackDiagnostics: Record<string, number>;
  /** VmRSS after the 10k AnalyzeStack runs, and the peak (VmHWM) up to then, KiB. */
  rssAfter10kKiB?: number;
  peakRssAfter10kKiB?: number;
  /** VmHWM at the end (after the largest size), KiB. */
  peakRssEndKiB?: number;
}

export interface PackBenchResult {
  analyzeCalls: number;
  stackMix: Record<string, number>;
  requestBytes: Record<string, number>;
  packs: PackFigures[];
  notes: string[];
}

interface Running {
  spec: PackSpec;
  client: PackClient;
  raw: RawAnalyzer;
}

async function coldStart(spec: PackSpec): Promise<{ client: PackClient; ms: number; rssKiB: number }> {
  const t = process.hrtime.bigint();
  const client = await startPack({ packDir: spec.dir, startTimeoutMs: 600_000 });
  const ms = elapsedMs(t);
  const rss = rssKiB(client.pid);
  if (rss === undefined) throw new Error(`${spec.key}: cannot read /proc/${client.pid}/status`);
  return { client, ms, rssKiB: rss };
}

export async function benchPacks(o: PackBenchOptions): Promise<PackBenchResult> {
  const specs = packSpecs(o.root);
  const cold = new Map<PackKey, number[]>(specs.map((s) => [s.key, []]));
  const rss = new Map<PackKey, number[]>(specs.map((s) => [s.key, []]));
  const kept = new Map<PackKey, PackClient>();
  const notes: string[] = [];

  // Cold start and RSS: one warm-up round (file cache), then `runs` rounds, round-robin. The
  // conventional pack takes ~45 s a start (ts-node type-checks azure-native on every start; nothing is
  // cached between processes), so it gets `conventionalColdRuns` starts and no warm-up.
  const rounds = o.runs + 1;
  for (let round = 0; round < rounds; round++) {
    for (const spec of specs) {
      const isConventional = spec.key === "conventional";
      if (isConventional && (round === 0 || round > o.conventionalColdRuns)) continue;
      const last = isConventional ? round === Math.min(o.conventionalColdRuns, o.runs) : round === rounds - 1;
      const { client, ms, rssKiB: r } = await coldStart(spec);
      o.log(
        `  cold start ${spec.key.padEnd(12)} round ${round}${round === 0 ? " (warm-up)" : ""}: ${ms.toFixed(0)} ms, ${(r / 1024).toFixed(1)} MiB`,
      );
      if (round > 0) {
        cold.get(spec.key)!.push(ms);
        rss.get(spec.key)!.push(r);
      }
      if (last) kept.set(spec.key, client);
      else await client.close();
    }
  }
  if (o.conventionalColdRuns < o.runs) {
    notes.push(
      `The conventional pack's cold start and RSS are over ${o.conventionalColdRuns} starts without a warm-up (each start type-checks @pulumi/azure-native under ts-node); the other figures use ${o.runs} runs after a warm-up.`,
    );
  }

  // The engine calls GetAnalyzerInfo and Configure before any analysis.
  const running: Running[] = [];
  const policies = new Map<PackKey, number>();
  for (const spec of specs) {
    const client = kept.get(spec.key)!;
    const info = await client.getAnalyzerInfo();
    policies.set(spec.key, info.policies.length);
    await client.configure({});
    running.push({ spec, client, raw: new RawAnalyzer(client.port) });
  }

  // Analyze: `analyzeCalls` sequential calls per run, as the engine calls it once per resource.
  const analyzeReqs = analyzeMix(o.analyzeCalls).map(analyzeRequestBytes);
  const analyzeUs = new Map<PackKey, number[]>(specs.map((s) => [s.key, []]));
  const analyzeDiags = new Map<PackKey, number>();
  for (let round = 0; round <= o.runs; round++) {
    const line: string[] = [];
    for (const r of running) {
      let diags = 0;
      const t = process.hrtime.bigint();
      for (const req of analyzeReqs) diags += diagnosticCount(await r.raw.call("Analyze", req));
      const us = (elapsedMs(t) * 1000) / analyzeReqs.length;
      if (round > 0) analyzeUs.get(r.spec.key)!.push(us);
      analyzeDiags.set(r.spec.key, diags);
      line.push(`${r.spec.key} ${us.toFixed(0)} µs`);
    }
    o.log(`  analyze round ${round}${round === 0 ? " (warm-up)" : ""}: ${line.join(", ")}`);
  }

  // AnalyzeStack at each size.
  const stackMs = new Map<PackKey, Record<string, number[]>>(specs.map((s) => [s.key, {}]));
  const stackDiags = new Map<PackKey, Record<string, number>>(specs.map((s) => [s.key, {}]));
  const requestBytes: Record<string, number> = {};
  const after10k = new Map<PackKey, { rss?: number; hwm?: number }>();
  let mix: Record<string, number> = {};
  for (const size of o.sizes) {
    const resources = stackMix(size);
    if (size === 10_000 || Object.keys(mix).length === 0) mix = typeCounts(resources);
    const req = analyzeStackRequestBytes(resources);
    requestBytes[String(size)] = req.byteLength;
    const large = size >= 100_000;
    const runs = large ? o.largeRuns : o.stackRuns;
    for (let round = large ? 1 : 0; round <= runs; round++) {
      const line: string[] = [];
      for (const r of running) {
        const t = process.hrtime.bigint();
        const res = await r.raw.call("AnalyzeStack", req);
        const ms = elapsedMs(t);
        const byKey = stackMs.get(r.spec.key)!;
        if (round > 0) (byKey[String(size)] ??= []).push(ms);
        stackDiags.get(r.spec.key)![String(size)] = diagnosticCount(res);
        line.push(`${r.spec.key} ${ms.toFixed(0)} ms`);
      }
      o.log(`  analyzeStack ${size} round ${round}${round === 0 ? " (warm-up)" : ""}: ${line.join(", ")}`);
    }
    if (size === 10_000) {
      for (const r of running)
        after10k.set(r.spec.key, { rss: rssKiB(r.client.pid), hwm: peakRssKiB(r.client.pid) });
    }
    if (large && o.largeRuns < o.stackRuns) {
      notes.push(
        `AnalyzeStack at ${size.toLocaleString("en-US")} is over ${o.largeRuns} run(s) without a warm-up, to keep the bench within minutes (\`--large-runs N\` for more).`,
      );
    }
  }

  const packs: PackFigures[] = [];
  for (const r of running) {
    const k = r.spec.key;
    const analyzeStackMs: Record<string, Summary> = {};
    for (const [size, xs] of Object.entries(stackMs.get(k)!)) analyzeStackMs[size] = summarize(xs);
    const fig: PackFigures = {
      key: k,
      label: r.spec.label,
      policies: policies.get(k)!,
      coldStartMs: summarize(cold.get(k)!),
      rssAfterStartKiB: summarize(rss.get(k)!),
      analyzeUs: summarize(analyzeUs.get(k)!),
      analyzeDiagnostics: analyzeDiags.get(k)!,
      analyzeStackMs,
      analyzeStackDiagnostics: stackDiags.get(k)!,
    };
    const a = after10k.get(k);
    if (a?.rss !== undefined) fig.rssAfter10kKiB = a.rss;
    if (a?.hwm !== undefined) fig.peakRssAfter10kKiB = a.hwm;
    const end = peakRssKiB(r.client.pid);
    if (end !== undefined) fig.peakRssEndKiB = end;
    packs.push(fig);
  }
  for (const r of running) {
    r.raw.close();
    await r.client.close();
  }
  return { analyzeCalls: o.analyzeCalls, stackMix: mix, requestBytes, packs, notes };
}
