// Section 3: `zt-postgres audit` over stack exports of 1k, 10k and 100k resources (the audit tests'
// export builder: whole estates, one in ten insecure, secrets), as a user runs it:
// `node dist/cli/main.js audit <file> --format json --output <file>`. Memory is the peak of the CLI
// process and of the pack process it starts (the kernel's VmHWM for each), and the sampled peak of
// their sum.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { writeLargeExport } from "../../tests/helpers/export-builder";
import { sampleTree } from "./proc";
import { elapsedMs, summarize, type Summary } from "./stats";

export interface AuditBenchOptions {
  root: string;
  sizes: number[];
  runs: number;
  /** Runs at sizes ≥ 100k (no warm-up). */
  largeRuns: number;
  log: (line: string) => void;
}

export interface AuditFigures {
  resources: number;
  fileBytes: number;
  resourcesAudited: number;
  mandatoryFindings: number;
  timeMs: Summary;
  /** Peak RSS of the CLI process, KiB. */
  cliPeakRssKiB: Summary;
  /** Peak RSS of the policy pack process the CLI starts, KiB. */
  packPeakRssKiB: Summary;
  /** Sampled peak of CLI + pack, KiB. */
  totalPeakRssKiB: Summary;
}

interface Run {
  ms: number;
  cli: number;
  pack: number;
  total: number;
  report: { summary?: { resourcesAudited?: number; mandatory?: number } };
}

function runAudit(root: string, file: string, out: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [path.join(root, "dist", "cli", "main.js"), "audit", file, "--format", "json", "--output", out],
      { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
    );
    const sampler = sampleTree(child.pid!, 20);
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = elapsedMs(t);
      const peak = sampler.stop();
      // 0: clean, 1: mandatory findings (the mix has insecure estates). Anything else is a failure.
      if (code !== 0 && code !== 1)
        return reject(new Error(`audit of ${file} exited ${code}:\n${err.slice(-2000)}`));
      const pack = Math.max(0, ...peak.childrenKiB.values());
      const report = JSON.parse(fs.readFileSync(out, "utf8")) as Run["report"];
      resolve({ ms, cli: peak.rootKiB, pack, total: peak.treeKiB, report });
    });
  });
}

export async function benchAudit(o: AuditBenchOptions): Promise<AuditFigures[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-bench-audit-"));
  try {
    const out: AuditFigures[] = [];
    for (const size of o.sizes) {
      const file = path.join(dir, `export-${size}.json`);
      const bytes = await writeLargeExport(file, { resources: size });
      const large = size >= 100_000;
      const runs = large ? o.largeRuns : o.runs;
      const xs: Run[] = [];
      for (let round = large ? 1 : 0; round <= runs; round++) {
        const r = await runAudit(o.root, file, path.join(dir, "report.json"));
        o.log(
          `  audit ${size} round ${round}${round === 0 ? " (warm-up)" : ""}: ${r.ms.toFixed(0)} ms, CLI ${(r.cli / 1024).toFixed(0)} MiB, pack ${(r.pack / 1024).toFixed(0)} MiB`,
        );
        if (round > 0) xs.push(r);
      }
      const summary = xs[0].report.summary ?? {};
      out.push({
        resources: size,
        fileBytes: bytes,
        resourcesAudited: summary.resourcesAudited ?? -1,
        mandatoryFindings: summary.mandatory ?? -1,
        timeMs: summarize(xs.map((x) => x.ms)),
        cliPeakRssKiB: summarize(xs.map((x) => x.cli)),
        packPeakRssKiB: summarize(xs.map((x) => x.pack)),
        totalPeakRssKiB: summarize(xs.map((x) => x.total)),
      });
      fs.rmSync(file, { force: true });
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
