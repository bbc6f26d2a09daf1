// `npm run bench` (node dist/bench/run.js): the project's benchmarks. Prints markdown tables, writes
// bench/results.json and docs/benchmarks.md. Not part of `npm test`.
//
//   node dist/bench/run.js [--only pack,component,audit,deploy] [--runs N] [--stack-runs N]
//                          [--large-runs N] [--quick] [--no-write] [--save-graph FILE]
//
// --runs N (default 5): runs per figure after a warm-up. --stack-runs N (default 11): runs of
// AnalyzeStack at 1k and 10k resources, the figures the pack's ratio target is judged on: each call
// takes about a second, and on a shared machine one pack's garbage collection can double a single run,
// so the median needs more runs than 5 to be stable. --large-runs N (default 1): runs of AnalyzeStack
// and audit at 100k resources (no warm-up); the 50-server component run gets max(3, N).
//
// --quick: 2 runs (3 for AnalyzeStack), no 100k sizes, one conventional start (a smoke test; results
// are not written).
// --save-graph FILE: writes examples/private-endpoint's dependency graph (for a before/after snapshot).

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { benchAudit } from "./lib/audit-bench";
import { benchComponent } from "./lib/component-bench";
import { avmOrdering, fmtDuration, model, previewGraph, readGraph } from "./lib/deploy-model";
import { benchPacks } from "./lib/pack-bench";
import { benchSchema } from "./lib/schema-bench";
import { renderMarkdown, type Machine, type Results, type Target } from "./lib/report";

const ROOT = path.resolve(__dirname, "..", "..");
const BEFORE_GRAPH = path.join(ROOT, "bench", "data", "private-endpoint-graph.before.json");
const BEFORE_COMMIT = "8d17c9a";

interface Options {
  only: Set<string>;
  runs: number;
  /** Runs of AnalyzeStack below 100k resources. */
  stackRuns: number;
  /** Runs of the slowest sizes (AnalyzeStack and audit at 100k, 50 servers). */
  largeRuns: number;
  quick: boolean;
  write: boolean;
  saveGraph?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    only: new Set(["pack", "component", "audit", "deploy", "schema"]),
    runs: 5,
    stackRuns: 11,
    largeRuns: 1,
    quick: false,
    write: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--only") o.only = new Set(value().split(","));
    else if (a === "--runs") o.runs = Number(value());
    else if (a === "--stack-runs") o.stackRuns = Number(value());
    else if (a === "--large-runs") o.largeRuns = Number(value());
    else if (a === "--quick") o.quick = true;
    else if (a === "--no-write") o.write = false;
    else if (a === "--save-graph") o.saveGraph = value();
    else
      throw new UsageError(
        `unknown option ${a}; use --only pack,component,audit,deploy,schema, --runs N, --stack-runs N, --large-runs N or --quick`,
      );
  }
  if (o.quick) {
    o.runs = Math.min(o.runs, 2);
    o.stackRuns = Math.min(o.stackRuns, 3);
    o.write = false;
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error("--runs must be a positive integer");
  if (!Number.isInteger(o.stackRuns) || o.stackRuns < 1)
    throw new Error("--stack-runs must be a positive integer");
  if (!Number.isInteger(o.largeRuns) || o.largeRuns < 1)
    throw new Error("--large-runs must be a positive integer");
  return o;
}

function machine(): Machine {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  return {
    nproc: os.availableParallelism(),
    memGiB: Math.round(os.totalmem() / 1024 ** 3),
    cpu: model.trim(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

const log = (line: string): void => {
  process.stderr.write(line + "\n");
};

/** The commit measured, and whether the pack or the component had uncommitted changes. */
function gitState(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "policies", "components", "cli"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    return dirty
      ? `commit ${head} with uncommitted changes in policies/, components/ or cli/`
      : `commit ${head}`;
  } catch {
    return "an unknown commit";
  }
}

/** Formats the generated markdown with the repository's prettier config, so `npm run lint` passes. */
async function formatMarkdown(md: string, file: string): Promise<string> {
  try {
    const prettier = await import("prettier");
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(md, { ...config, filepath: file });
  } catch {
    return md;
  }
}

function target(section: string, name: string, value: number, limit: number): Target {
  return { section, name, value, limit, pass: Number.isFinite(value) && value <= limit };
}

const SECTIONS = ["pack", "component", "audit", "deploy", "schema"] as const;
const RESULTS = path.join(ROOT, "bench", "results.json");

/** A run of some sections keeps the other sections of the last full run. */
function merge(fresh: Results, only: Set<string>): Results {
  if (SECTIONS.every((s) => only.has(s)) || !fs.existsSync(RESULTS)) return fresh;
  const old = JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Results;
  const out: Results = {
    ...old,
    generatedAt: fresh.generatedAt,
    machine: fresh.machine,
    method: fresh.method,
  };
  if (only.has("pack")) out.pack = fresh.pack;
  if (only.has("component")) out.component = fresh.component;
  if (only.has("audit")) out.audit = fresh.audit;
  if (only.has("deploy")) out.deploy = fresh.deploy;
  if (only.has("schema")) out.schema = fresh.schema;
  // Files from before targets and notes had sections.
  const sectionOf = (t: Target): string =>
    t.section ?? (t.name.startsWith("component") ? "component" : "pack");
  if (Array.isArray(old.notes)) old.notes = { run: old.notes as unknown as string[] };
  out.targets = [
    ...old.targets.map((t) => ({ ...t, section: sectionOf(t) })).filter((t) => !only.has(t.section)),
    ...fresh.targets,
  ];
  out.targets.sort((a, b) => SECTIONS.indexOf(a.section as never) - SECTIONS.indexOf(b.section as never));
  out.notes = { ...old.notes };
  for (const s of only) out.notes[s] = fresh.notes[s] ?? [];
  // One run note per section: the note of the run whose figures are shown.
  const superseded = (n: string): boolean =>
    n
      .split(":")[0]
      .split(", ")
      .some((sec) => only.has(sec));
  out.notes.run = [...(old.notes.run ?? []).filter((n) => !superseded(n)), ...(fresh.notes.run ?? [])];
  return out;
}

/** A bad command line: reported in one line, exit code 2. */
class UsageError extends Error {}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  for (const f of ["dist/policies/index.js", "dist/cli/main.js", "dist/bench/lib/component-child.js"]) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  if (o.saveGraph) {
    const graph = await previewGraph(path.join(ROOT, "examples", "private-endpoint"));
    fs.mkdirSync(path.dirname(path.resolve(o.saveGraph)), { recursive: true });
    fs.writeFileSync(o.saveGraph, JSON.stringify(graph, null, 2) + "\n");
    log(`wrote ${graph.length} resources to ${o.saveGraph}`);
    return;
  }
  const started = Date.now();
  // The machine may be shared: the 1-minute load average at the start and the end says how busy it was.
  const loadAtStart = os.loadavg()[0];
  const results: Results = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    method: [
      `Every figure is the median of ${o.runs} runs after a warm-up run, with min and max, unless marked n=… (the number of runs). AnalyzeStack at 1k and 10k resources takes ${o.stackRuns} runs (see section 1).`,
      "Comparisons are taken side by side in the same run (round-robin within each round) and reported as ratios of medians.",
    ],
    targets: [],
    notes: {},
  };
  const note = (section: string, text: string): void => {
    (results.notes[section] ??= []).push(text);
  };
  const measured = `Measured at ${gitState()}`;
  // Results are written after each section, so a long run that is cut short keeps what it measured.
  const done = new Set<string>();
  const save = async (section: string): Promise<Results> => {
    done.add(section);
    const merged = o.write ? merge(results, done) : results;
    if (o.write) {
      fs.writeFileSync(RESULTS, JSON.stringify(merged, null, 2) + "\n");
      fs.mkdirSync(path.join(ROOT, "docs"), { recursive: true });
      const doc = path.join(ROOT, "docs", "benchmarks.md");
      fs.writeFileSync(doc, await formatMarkdown(renderMarkdown(merged) + "\n", doc));
      log(`  wrote bench/results.json and docs/benchmarks.md (${[...done].join(", ")})`);
    }
    return merged;
  };
  log(`machine: ${JSON.stringify(results.machine)}`);

  if (o.only.has("pack")) {
    log("1. policy pack over the Analyzer protocol");
    const p = await benchPacks({
      root: ROOT,
      runs: o.runs,
      stackRuns: o.stackRuns,
      conventionalColdRuns: o.quick ? 1 : 3,
      analyzeCalls: 1000,
      sizes: o.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
      largeRuns: o.largeRuns,
      log,
    });
    const f = new Map(p.packs.map((x) => [x.key, x]));
    const ours = f.get("ours")!;
    const empty = f.get("empty")!;
    const ratios: Record<string, number> = {
      coldStartVsEmpty: ours.coldStartMs.median / empty.coldStartMs.median,
      rssVsEmpty: ours.rssAfterStartKiB.median / empty.rssAfterStartKiB.median,
      analyzeStack10kVsEmpty: ours.analyzeStackMs["10000"].median / empty.analyzeStackMs["10000"].median,
      analyzeStack10kOver1k: ours.analyzeStackMs["10000"].median / ours.analyzeStackMs["1000"].median,
      emptyAnalyzeStack10kOver1k: empty.analyzeStackMs["10000"].median / empty.analyzeStackMs["1000"].median,
    };
    // The growth target is judged on our pack's total time, as the target states it; the floor's own growth
    // in the same run says how much of it is the request's decoding, which every pack pays.
    note(
      "pack",
      `AnalyzeStack 10k / 1k: ours ${ratios.analyzeStack10kOver1k.toFixed(2)}×, the empty pack ${ratios.emptyAnalyzeStack10kOver1k.toFixed(2)}× in the same run. The empty pack only decodes the request (google-protobuf) and answers, so its growth is that of the decoding and its garbage collection: the floor for every pack, which at these sizes can itself exceed 10× on this machine.`,
    );
    const conv = f.get("conventional");
    if (conv) {
      ratios.coldStartVsConventional = ours.coldStartMs.median / conv.coldStartMs.median;
      ratios.rssVsConventional = ours.rssAfterStartKiB.median / conv.rssAfterStartKiB.median;
    }
    if (ours.analyzeStackMs["100000"]) {
      ratios.analyzeStack100kOver10k =
        ours.analyzeStackMs["100000"].median / ours.analyzeStackMs["10000"].median;
    }
    results.pack = { ...p, ratios };
    results.targets.push(
      target("pack", "pack cold start ≤ 1.25× empty pack", ratios.coldStartVsEmpty, 1.25),
      target("pack", "pack RSS after start ≤ 1.25× empty pack", ratios.rssVsEmpty, 1.25),
      target("pack", "AnalyzeStack 10k ≤ 1.5× empty pack", ratios.analyzeStack10kVsEmpty, 1.5),
      target("pack", "AnalyzeStack 10k / 1k ≤ 12 (linear growth)", ratios.analyzeStack10kOver1k, 12),
    );
    for (const t of p.notes) note("pack", t);
    await save("pack");
  }

  if (o.only.has("component")) {
    log("2. the component under mocks");
    const componentLargeRuns = Math.min(o.runs, Math.max(3, o.largeRuns));
    const figures = await benchComponent({
      root: ROOT,
      sizes: [1, 10, 50],
      runs: o.runs,
      largeFrom: 50,
      largeRuns: componentLargeRuns,
      log,
    });
    if (componentLargeRuns < o.runs) {
      note(
        "component",
        `The 50-server component runs are ${componentLargeRuns} (each takes tens of seconds); 1 and 10 servers get ${o.runs}.`,
      );
    }
    results.component = { figures };
    const one = figures.find((x) => x.servers === 1)!;
    const fifty = figures.find((x) => x.servers === 50)!;
    results.targets.push(
      target(
        "component",
        "component: 50 servers ≤ 55× 1 server (program time)",
        fifty.programMs.median / one.programMs.median,
        55,
      ),
    );
    await save("component");
  }

  if (o.only.has("audit")) {
    log("3. audit");
    results.audit = await benchAudit({
      root: ROOT,
      sizes: o.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
      runs: o.runs,
      largeRuns: o.largeRuns,
      log,
    });
    if (!o.quick && o.largeRuns < o.runs) {
      note(
        "audit",
        `Audit at 100,000 resources is over ${o.largeRuns} run(s) without a warm-up, to keep the bench within minutes (\`--large-runs N\` for more).`,
      );
    }
    await save("audit");
  }

  if (o.only.has("deploy")) {
    log("4. modelled pulumi up of examples/private-endpoint");
    const graph = await previewGraph(path.join(ROOT, "examples", "private-endpoint"));
    const after = model(graph);
    const beforeGraph = fs.existsSync(BEFORE_GRAPH) ? readGraph(BEFORE_GRAPH) : graph;
    const before = model(beforeGraph);
    const strip = <T extends { cp: unknown }>(m: T): Omit<T, "cp"> => {
      const { cp: _cp, ...rest } = m;
      return rest;
    };
    results.deploy = {
      before: {
        ...strip(before),
        source: fs.existsSync(BEFORE_GRAPH)
          ? `graph at commit ${BEFORE_COMMIT} (bench/data/private-endpoint-graph.before.json)`
          : "current graph (no snapshot)",
      },
      after: { ...strip(after), source: "current graph" },
      avm: {
        ...strip(model(avmOrdering(graph))),
        source:
          "current graph; server private endpoint, its DNS zone group and threat protection wait for the server only",
      },
      types: [...new Set([...graph, ...beforeGraph].map((g) => g.type))].sort(),
    };
    for (const m of [before, after])
      if (m.untabled.length) note("deploy", `No create time for ${m.untabled.join(", ")}: modelled at 30 s.`);
    log(
      `  critical path: before ${fmtDuration(before.totalSeconds)}, after ${fmtDuration(after.totalSeconds)}`,
    );
    await save("deploy");
  }

  if (o.only.has("schema")) {
    log("5. multi-language cold path: getSchema from a Git source and from the tarball");
    results.schema = benchSchema({ root: ROOT, runs: o.quick ? 1 : Math.min(o.runs, 3), log });
    await save("schema");
  }

  note(
    "run",
    `${[...o.only].join(", ")}: ${measured}, ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${loadAtStart.toFixed(1)} at start and ${os.loadavg()[0].toFixed(1)} at end on ${os.availableParallelism()} cores (node dist/bench/run.js${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}).`,
  );
  const merged = await save("run");
  process.stdout.write(renderMarkdown(merged) + "\n");
  const failed = merged.targets.filter((t) => !t.pass);
  if (failed.length) log(`targets missed: ${failed.map((t) => t.name).join("; ")}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    // A usage mistake gets one line; a failure inside a measurement keeps its stack for the bench's author.
    const text =
      e instanceof UsageError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`bench: ${text}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
