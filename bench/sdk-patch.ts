// `npm run bench:sdk-patch` (node dist/bench/sdk-patch.js [runs] [size]): our pack on the repository's
// patched @pulumi/policy, our pack on the stock SDK (what a user who composes our policies in a pack of
// their own runs), and the empty pack, side by side: cold start, RSS after start, and AnalyzeStack on
// `size` resources of the bench's mix (default 10,000), round-robin, `runs` runs (default 9) after a
// warm-up. The figures of docs/sdk-patch.md come from this.

import * as fs from "node:fs";
import * as path from "node:path";

import { startPack, type PackClient } from "../cli/pack-client";
import { analyzeStackRequestBytes, diagnosticCount, RawAnalyzer } from "./lib/analyzer-wire";
import { peakRssKiB, rssKiB } from "./lib/proc";
import { stackMix } from "./lib/stack-mix";
import { median } from "./lib/stats";
import { makeStockSdk } from "./lib/stock-sdk";

const ROOT = path.resolve(__dirname, "..", "..");

/** Our compiled pack under a directory whose node_modules holds the stock SDK. */
function writeStockPack(dir: string): void {
  const dist = (p: string) => JSON.stringify(path.join(ROOT, "dist", "policies", p));
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "zt-stock-sdk-pack", version: "0.1.0", private: true, main: "index.js" }),
  );
  fs.writeFileSync(
    path.join(dir, "index.js"),
    [
      `"use strict";`,
      `const { PolicyPack } = require("@pulumi/policy");`,
      `const { toPolicies } = require(${dist("pack")});`,
      `const { RULES } = require(${dist("rules")});`,
      `new PolicyPack("zero-trust-azure-postgres", { policies: toPolicies(RULES) });`,
      ``,
    ].join("\n"),
  );
}

interface Running {
  label: string;
  client: PackClient;
  raw: RawAnalyzer;
  coldMs: number;
  rssKiB: number;
  times: number[];
  diagnostics: number;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 9);
  const size = Number(process.argv[3] ?? 10_000);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(size) || size < 1) {
    throw new Error("usage: node dist/bench/sdk-patch.js [runs ≥ 1] [size ≥ 1]");
  }
  const stock = makeStockSdk(ROOT);
  const running: Running[] = [];
  try {
    writeStockPack(stock.root);
    const packs: [string, string][] = [
      ["ours, patched SDK", path.join(ROOT, "policies")],
      ["ours, stock SDK", stock.root],
      ["empty pack", path.join(ROOT, "bench", "packs", "empty")],
    ];
    for (const [label, dir] of packs) {
      const t = process.hrtime.bigint();
      const client = await startPack({ packDir: dir, startTimeoutMs: 600_000 });
      const coldMs = Number(process.hrtime.bigint() - t) / 1e6;
      const rss = rssKiB(client.pid) ?? 0;
      await client.getAnalyzerInfo();
      await client.configure({});
      running.push({
        label,
        client,
        raw: new RawAnalyzer(client.port),
        coldMs,
        rssKiB: rss,
        times: [],
        diagnostics: 0,
      });
    }
    const req = analyzeStackRequestBytes(stackMix(size));
    for (let round = 0; round <= runs; round++) {
      for (const r of running) {
        const t = process.hrtime.bigint();
        const res = await r.raw.call("AnalyzeStack", req);
        if (round > 0) r.times.push(Number(process.hrtime.bigint() - t) / 1e6);
        r.diagnostics = diagnosticCount(res);
      }
    }
    const floor = median(running[running.length - 1].times);
    console.log(`AnalyzeStack ${size} resources, median of ${runs} runs after a warm-up`);
    console.log("| pack | AnalyzeStack | / empty | diagnostics | cold start | RSS after start | peak RSS |");
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const r of running) {
      const m = median(r.times);
      const peak = peakRssKiB(r.client.pid) ?? 0;
      console.log(
        `| ${r.label} | ${(m / 1000).toFixed(2)} s | ${(m / floor).toFixed(2)}× | ${r.diagnostics} | ${(r.coldMs / 1000).toFixed(2)} s | ${(r.rssKiB / 1024).toFixed(1)} MiB | ${(peak / 1024).toFixed(0)} MiB |`,
      );
    }
  } finally {
    for (const r of running) await r.client.close();
    stock.remove();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
