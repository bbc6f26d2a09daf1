// The multi-language cold path: how long Pulumi's component host takes to produce the package schema
// (`ComponentProvider.getSchema()`, what `pulumi package add` calls once), from three package folders:
//
// - "Git source": the repository as a Git install sees it (root tsconfig.json, TypeScript sources);
// - "Git source, project-wide tsconfig": the same folder with the tsconfig.json this package had before
//   the root config was narrowed to the component (tests, bench, cli, scripts and examples included);
// - "npm tarball": `npm pack` of the repository, unpacked.
//
// The analyzer reads `<dir>/tsconfig.json` and type-checks its whole program
// (https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/provider/experimental/analyzer.ts, read
// 2026-11-30), which is what the tsconfig changes. Each run is a fresh Node process (the analyzer keeps
// nothing between runs there either). Folders other than the repository link its node_modules.
//
// Also the import cost of the package root against the light `zero-trust-azure-postgres/policies`
// subpath (a fresh process each run, resolved through the package's `exports` map).

import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { summarize, type Summary } from "./stats";

export interface SchemaFigure {
  key: "git" | "git-wide" | "tarball";
  label: string;
  ms: Summary;
}

export interface ImportFigure {
  specifier: string;
  ms: Summary;
  /** Modules of @pulumi/azure-native loaded by the import (median). */
  azureNativeModules: number;
}

export interface SchemaBenchResult {
  schema: SchemaFigure[];
  imports: ImportFigure[];
}

/** The root tsconfig.json include list before it was narrowed to the component. */
const WIDE_INCLUDE = [
  "index.ts",
  "components/**/*.ts",
  "policies/**/*.ts",
  "cli/**/*.ts",
  "tests/**/*.ts",
  "examples/**/*.ts",
  "bench/**/*.ts",
  "scripts/**/*.ts",
];

/** One getSchema in a fresh process; returns milliseconds. */
function timeSchema(root: string, sdkFrom: string): number {
  const script = `
    const path = require("path");
    const { ComponentProvider } = require(require.resolve("@pulumi/pulumi/provider/experimental", { paths: [${JSON.stringify(sdkFrom)}] }));
    const { ZeroTrustPostgres } = require(path.join(${JSON.stringify(root)}, "dist", "index.js"));
    const t = process.hrtime.bigint();
    new ComponentProvider({ name: "zero-trust-azure-postgres", dirname: ${JSON.stringify(root)}, components: [ZeroTrustPostgres] })
      .getSchema()
      .then((s) => {
        if (!JSON.parse(s).resources["zero-trust-azure-postgres:index:ZeroTrustPostgres"]) throw new Error("no component in the schema");
        process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));
        process.exit(0);
      }, (e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`getSchema in ${root} failed: ${r.stderr.slice(-2000)}`);
  return Number(r.stdout.trim());
}

function timeImport(consumer: string, specifier: string): { ms: number; azureNative: number } {
  const script = `
    const t = process.hrtime.bigint();
    require(${JSON.stringify(specifier)});
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const an = Object.keys(require.cache).filter((k) => k.includes("@pulumi/azure-native")).length;
    process.stdout.write(JSON.stringify({ ms, an }));`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: consumer, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`require(${specifier}) failed: ${r.stderr.slice(-2000)}`);
  const { ms, an } = JSON.parse(r.stdout) as { ms: number; an: number };
  return { ms, azureNative: an };
}

/** A folder that mirrors `root` by symlinks, with its own tsconfig.json. */
function wideTsconfigFolder(root: string, dir: string): string {
  const out = path.join(dir, "git-wide");
  fs.mkdirSync(out);
  for (const e of fs.readdirSync(root)) {
    if (e === "tsconfig.json" || e === ".git") continue;
    fs.symlinkSync(path.join(root, e), path.join(out, e));
  }
  const base = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  fs.writeFileSync(
    path.join(out, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { ...base.compilerOptions, types: ["node", "mocha"] },
      include: WIDE_INCLUDE,
      exclude: ["node_modules", "dist", "**/node_modules", "bench/packs", "policies/dist"],
    }),
  );
  return out;
}

export function benchSchema(opts: {
  root: string;
  runs: number;
  log: (s: string) => void;
}): SchemaBenchResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-schema-bench-"));
  try {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
        cwd: opts.root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    ) as { filename: string }[];
    execFileSync("tar", ["-xzf", path.join(dir, packed[0].filename), "-C", dir]);
    const tarball = path.join(dir, "package");
    fs.symlinkSync(path.join(opts.root, "node_modules"), path.join(tarball, "node_modules"));
    const folders: [SchemaFigure["key"], string, string][] = [
      ["git", "Git source (root tsconfig.json: the component)", opts.root],
      ["git-wide", "Git source, project-wide tsconfig.json (before)", wideTsconfigFolder(opts.root, dir)],
      ["tarball", "npm tarball, unpacked", tarball],
    ];
    const samples = new Map<string, number[]>(folders.map(([k]) => [k, []]));
    // Warm-up (file cache), then round-robin.
    for (const [, , f] of folders) timeSchema(f, opts.root);
    for (let i = 0; i < opts.runs; i++) {
      for (const [k, label, f] of folders) {
        const ms = timeSchema(f, opts.root);
        samples.get(k)!.push(ms);
        opts.log(`  getSchema ${label}: ${(ms / 1000).toFixed(1)} s`);
      }
    }
    // Imports from a consumer folder that has the package at node_modules/zero-trust-azure-postgres.
    const consumer = path.join(dir, "consumer");
    fs.mkdirSync(path.join(consumer, "node_modules"), { recursive: true });
    fs.symlinkSync(tarball, path.join(consumer, "node_modules", "zero-trust-azure-postgres"));
    const specifiers = ["zero-trust-azure-postgres/policies", "zero-trust-azure-postgres"];
    const imp = new Map<string, { ms: number[]; an: number[] }>(
      specifiers.map((s) => [s, { ms: [], an: [] }]),
    );
    for (const s of specifiers) timeImport(consumer, s);
    for (let i = 0; i < Math.max(opts.runs, 5); i++) {
      for (const s of specifiers) {
        const r = timeImport(consumer, s);
        imp.get(s)!.ms.push(r.ms);
        imp.get(s)!.an.push(r.azureNative);
      }
    }
    return {
      schema: folders.map(([key, label]) => ({ key, label, ms: summarize(samples.get(key)!) })),
      imports: specifiers.map((specifier) => ({
        specifier,
        ms: summarize(imp.get(specifier)!.ms),
        azureNativeModules: summarize(imp.get(specifier)!.an).median,
      })),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
