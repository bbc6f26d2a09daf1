// The results as markdown tables: printed by `npm run bench` and written to docs/benchmarks.md.

import type { AuditFigures } from "./audit-bench";
import type { ComponentFigures } from "./component-bench";
import { fmtDuration, type DeployModel } from "./deploy-model";
import { DURATIONS } from "./durations";
import type { PackBenchResult, PackFigures } from "./pack-bench";
import type { SchemaBenchResult } from "./schema-bench";
import { fmtKiB, fmtMs, type Summary } from "./stats";

export interface Machine {
  nproc: number;
  memGiB: number;
  cpu: string;
  node: string;
  os: string;
}

export interface Target {
  /** The section that measured it: pack, component, audit, deploy. */
  section: string;
  name: string;
  value: number;
  limit: number;
  pass: boolean;
}

export interface DeployResult {
  before: DeployModel & { source: string };
  after: DeployModel & { source: string };
  /** Modelled only: the current graph with the AVM module's ordering (see deploy-model.ts). */
  avm?: DeployModel & { source: string };
  /** Every resource type in the graphs (for the create-time table). */
  types: string[];
}

export interface Results {
  generatedAt: string;
  machine: Machine;
  method: string[];
  pack?: PackBenchResult & { ratios: Record<string, number> };
  component?: { figures: ComponentFigures[] };
  audit?: AuditFigures[];
  deploy?: DeployResult;
  schema?: SchemaBenchResult;
  targets: Target[];
  /** Notes by section (pack, component, audit, deploy, run). */
  notes: Record<string, string[]>;
}

const table = (head: string[], rows: string[][]): string =>
  [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const x = (r: number): string => `${r.toFixed(2)}×`;
const us = (s: Summary): string => `${s.median.toFixed(0)} µs (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
const mib = (k: number | undefined): string => (k === undefined ? "–" : `${(k / 1024).toFixed(0)} MiB`);
const n = (v: number): string => v.toLocaleString("en-US");

function packTable(p: PackBenchResult & { ratios: Record<string, number> }): string {
  const byKey = new Map(p.packs.map((f) => [f.key, f]));
  const ours = byKey.get("ours")!;
  const cols = ["ours", "empty", "conventional"] as const;
  const present = cols.filter((k) => byKey.has(k));
  const head = ["", ...present.map((k) => byKey.get(k)!.label), "ours / empty", "ours / conventional"];
  const rel = (f: (x: PackFigures) => number): [string, string] => {
    const o = f(ours);
    const e = byKey.get("empty");
    const c = byKey.get("conventional");
    return [e ? x(o / f(e)) : "–", c ? x(o / f(c)) : "–"];
  };
  const rows: string[][] = [];
  rows.push(["policies", ...present.map((k) => String(byKey.get(k)!.policies)), "", ""]);
  rows.push([
    "cold start (spawn → port)",
    ...present.map((k) => fmtMs(byKey.get(k)!.coldStartMs)),
    ...rel((f) => f.coldStartMs.median),
  ]);
  rows.push([
    "RSS after start",
    ...present.map((k) => fmtKiB(byKey.get(k)!.rssAfterStartKiB)),
    ...rel((f) => f.rssAfterStartKiB.median),
  ]);
  rows.push([
    `Analyze, per call (mean of ${n(p.analyzeCalls)})`,
    ...present.map((k) => us(byKey.get(k)!.analyzeUs)),
    ...rel((f) => f.analyzeUs.median),
  ]);
  for (const size of Object.keys(ours.analyzeStackMs)) {
    rows.push([
      `AnalyzeStack ${n(Number(size))}`,
      ...present.map((k) => {
        const s = byKey.get(k)!.analyzeStackMs[size];
        return s ? `${fmtMs(s)} n=${s.n}` : "–";
      }),
      ...rel((f) => f.analyzeStackMs[size]?.median ?? NaN),
    ]);
  }
  // Growth from 1k to 10k, for every pack: the empty pack's own growth is the floor (protobuf decoding
  // of the request and its garbage collection), which no pack's rules can go below.
  const growth = (f: PackFigures): number =>
    (f.analyzeStackMs["10000"]?.median ?? NaN) / (f.analyzeStackMs["1000"]?.median ?? NaN);
  rows.push(["AnalyzeStack 10k / 1k (growth)", ...present.map((k) => x(growth(byKey.get(k)!))), "", ""]);
  rows.push([
    "RSS after AnalyzeStack 10k",
    ...present.map((k) => mib(byKey.get(k)!.rssAfter10kKiB)),
    ...rel((f) => f.rssAfter10kKiB ?? NaN),
  ]);
  rows.push([
    "peak RSS (end of run)",
    ...present.map((k) => mib(byKey.get(k)!.peakRssEndKiB)),
    ...rel((f) => f.peakRssEndKiB ?? NaN),
  ]);
  rows.push([
    "diagnostics (Analyze / AnalyzeStack 10k)",
    ...present.map(
      (k) =>
        `${n(byKey.get(k)!.analyzeDiagnostics)} / ${n(byKey.get(k)!.analyzeStackDiagnostics["10000"] ?? 0)}`,
    ),
    "",
    "",
  ]);
  return table(head, rows);
}

function componentTable(c: ComponentFigures[]): string {
  const one = c.find((f) => f.servers === 1);
  return table(
    [
      "servers",
      "resources",
      "program under mocks",
      "per server",
      "× 1 server",
      "process (spawn → exit)",
      "peak RSS",
    ],
    c.map((f) => [
      String(f.servers),
      n(f.resources),
      `${fmtMs(f.programMs)}${f.programMs.n < 5 ? ` n=${f.programMs.n}` : ""}`,
      `${(f.programMs.median / f.servers).toFixed(0)} ms`,
      one ? x(f.programMs.median / one.programMs.median) : "–",
      fmtMs(f.processMs),
      fmtKiB(f.peakRssKiB),
    ]),
  );
}

function auditTable(a: AuditFigures[]): string {
  return table(
    [
      "resources",
      "export size",
      "time",
      "per 1k resources",
      "CLI peak RSS",
      "pack peak RSS",
      "CLI + pack (sampled)",
      "mandatory findings",
    ],
    a.map((f) => [
      n(f.resources),
      `${(f.fileBytes / 1024 / 1024).toFixed(1)} MiB`,
      `${fmtMs(f.timeMs)}${f.timeMs.n < 5 ? ` n=${f.timeMs.n}` : ""}`,
      `${((f.timeMs.median / f.resources) * 1000).toFixed(0)} ms`,
      fmtKiB(f.cliPeakRssKiB),
      fmtKiB(f.packPeakRssKiB),
      fmtKiB(f.totalPeakRssKiB),
      n(f.mandatoryFindings),
    ]),
  );
}

function pathTable(m: DeployModel): string {
  return table(
    ["start", "resource", "type", "modelled"],
    m.path.map((p) => [
      fmtDuration(p.start),
      p.name,
      p.type.replace(/^azure-native:/, ""),
      fmtDuration(p.seconds),
    ]),
  );
}

function durationsTable(types: Set<string>): string {
  return table(
    ["type", "modelled", "source", "why"],
    [...types]
      .filter((t) => DURATIONS[t])
      .sort((a, b) => DURATIONS[b].seconds - DURATIONS[a].seconds || a.localeCompare(b))
      .map((t) => {
        const d = DURATIONS[t];
        const refs = (d.refs ?? []).map((u, i) => `[${i + 1}](${u})`).join(" ");
        return [
          t.replace(/^azure-native:/, ""),
          fmtDuration(d.seconds),
          d.source === "estimate" ? "estimate" : `[source](${d.source})`,
          refs ? `${d.note} ${refs}` : d.note,
        ];
      }),
  );
}

export function renderMarkdown(r: Results): string {
  const deployTypes = new Set(r.deploy?.types ?? []);
  const notes = Object.values(r.notes).flat();
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    `Generated by \`npm run bench\` on ${r.generatedAt}. Raw figures: [bench/results.json](../bench/results.json).`,
    "",
  );
  out.push("## Machine", "");
  out.push(
    table(
      ["CPU", "cores (nproc)", "memory", "Node.js", "OS"],
      [[r.machine.cpu, String(r.machine.nproc), `${r.machine.memGiB} GiB`, r.machine.node, r.machine.os]],
    ),
    "",
  );
  out.push("## Method", "", ...r.method.map((m) => `- ${m}`), "");
  if (r.targets.length > 0) {
    out.push("## Targets", "");
    out.push(
      table(
        ["target", "measured", "limit", ""],
        r.targets.map((t) => [t.name, x(t.value), x(t.limit), t.pass ? "pass" : "**FAIL**"]),
      ),
      "",
    );
  }
  if (r.pack) {
    out.push("## 1. Policy pack over the Analyzer protocol", "");
    out.push(
      "Each pack runs under `run-policy-pack` as the engine starts it; calls go over gRPC with requests encoded once (the pack's decode, evaluation and answer are timed, not the client's encoding). Median (min–max).",
      "",
    );
    out.push(packTable(r.pack), "");
    out.push(
      `Stack mix (${n(Object.values(r.pack.stackMix).reduce((a, b) => a + b, 0))} resources): ${Object.entries(
        r.pack.stackMix,
      )
        .map(([t, c]) => `${t} ${n(c)}`)
        .join(", ")}.`,
      "",
    );
  }
  if (r.component) {
    out.push("## 2. The component under mocks", "");
    out.push(
      "Each run is a fresh process: N servers configured like examples/private-endpoint, run under the mock monitor by the offline preview's runner (modules loaded before the clock starts).",
      "",
    );
    out.push(componentTable(r.component.figures), "");
  }
  if (r.audit) {
    out.push("## 3. `zt-postgres audit`", "");
    out.push(
      "`node dist/cli/main.js audit <export> --format json --output <file>` on exports from the audit tests' builder (whole estates, one in ten insecure, secrets). Peak RSS per process is the kernel's VmHWM.",
      "",
    );
    out.push(auditTable(r.audit), "");
  }
  if (r.deploy) {
    const { before, after, avm } = r.deploy;
    out.push("## 4. Modelled `pulumi up` of examples/private-endpoint", "");
    out.push(
      `Critical path of the preview's dependency graph (parents and dependencies; component resources take 0 s) with the create times below. ${before.resources} resources; fully serial (\`--parallel 1\`): ${fmtDuration(before.serialSeconds)}.`,
      "",
    );
    out.push(
      table(
        ["", "critical path", "resources on it", "graph"],
        [
          ["before", fmtDuration(before.totalSeconds), String(before.path.length), before.source],
          ["now", fmtDuration(after.totalSeconds), String(after.path.length), after.source],
          ...(avm
            ? [
                [
                  "AVM ordering (modelled)",
                  fmtDuration(avm.totalSeconds),
                  String(avm.path.length),
                  avm.source,
                ],
              ]
            : []),
        ],
      ),
      "",
    );
    out.push("### Before", "", pathTable(before), "", "### Now", "", pathTable(after), "");
    if (avm) {
      out.push(
        "### AVM ordering (modelled, not applied)",
        "",
        "The Azure Verified Module creates the private endpoint and Defender threat protection after the server only, alongside the parameter writes. Not applied: the server is in an updating state while a private endpoint connection is created, and concurrent parameter and administrator writes then fail with ServerBusy ([hashicorp/terraform-provider-azurerm#29177](https://github.com/hashicorp/terraform-provider-azurerm/issues/29177)), so the component keeps every server write, the endpoint included, in one chain. The gain would be the endpoint and threat protection leaving the path.",
        "",
        pathTable(avm),
        "",
      );
    }
    out.push("### Create times", "", durationsTable(deployTypes), "");
  }
  if (r.schema) {
    out.push("## 5. Multi-language cold path", "");
    out.push(
      "`ComponentProvider.getSchema()` as `pulumi package add` calls it, in a fresh Node process per run, from three package folders (bench/lib/schema-bench.ts). The analyzer type-checks the program of the folder's `tsconfig.json`.",
      "",
      table(
        ["package folder", "getSchema"],
        r.schema.schema.map((f) => [f.label, `${fmtMs(f.ms)} (n=${f.ms.n})`]),
      ),
      "",
      "Import cost from a consumer project (a fresh process per run; through the package's `exports` map):",
      "",
      table(
        ["import", "time", "@pulumi/azure-native modules loaded"],
        r.schema.imports.map((i) => [
          "`" + i.specifier + "`",
          `${fmtMs(i.ms)} (n=${i.ms.n})`,
          String(i.azureNativeModules),
        ]),
      ),
      "",
    );
  }
  if (notes.length > 0) out.push("## Notes", "", ...notes.map((m) => `- ${m}`), "");
  return out.join("\n");
}
