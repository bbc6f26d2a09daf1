// Reads a Pulumi project the way the Pulumi CLI does, before anything runs: `Pulumi.yaml` (parsed as
// YAML, validated), where the program lives (`main`), and the stack's configuration.
//
// Program location, as the CLI computes it (pkg/engine `getPwdMain`, read 2026-11-30 at
// https://github.com/pulumi/pulumi/blob/master/pkg/engine/project.go): without `main` the program
// directory is the project root and the entry point is "."; `main` must be a relative path inside the
// root; when it names a directory that directory is the program directory and the entry point is ".";
// when it names a file, its directory is the program directory and its base name the entry point.
// With entry point ".", `@pulumi/pulumi/cmd/run` searches upward from the program directory for the
// nearest package.json and runs its `exports`/`main` (sdk/nodejs/cmd/run/run.ts). That is why a `main`
// pointing at a directory without package.json ran this repository's own library entry point: give
// `main` as a file (this repository's manifests do) or give the directory its own package.json.

import * as fs from "node:fs";
import * as path from "node:path";

import { InputError } from "../audit/errors";

interface YamlModule {
  load(text: string, opts?: { filename?: string; json?: boolean }): unknown;
}
// js-yaml (YAML 1.2 core schema, what the Pulumi CLI's Go YAML reader accepts for these files).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as YamlModule;

export interface PulumiProject {
  /** Absolute project root (the directory holding Pulumi.yaml). */
  root: string;
  /** The manifest file read (Pulumi.yaml or Pulumi.yml). */
  file: string;
  name: string;
  runtime: string;
  /** `runtime.options` (nodejs: typescript, tsconfig, nodeargs, packagemanager). */
  runtimeOptions: Record<string, unknown>;
  main?: string;
  /** The project's `config:` block as written. */
  config: Record<string, unknown>;
  stackConfigDir?: string;
}

export interface ProgramLocation {
  /** Program directory: the runner's `--pwd`. */
  pwd: string;
  /** A file name in `pwd`, or "." for "the package in `pwd`". */
  entryPoint: string;
}

/** Pulumi's project name rule (sdk/go/common/tokens: ValidateProjectName). */
const PROJECT_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Loads a YAML file as a mapping, or refuses it with the file, line and problem (exit 2). */
export function loadYamlMapping(file: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError("bad-project", `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: file });
  } catch (err) {
    const e = err as { reason?: string; mark?: { line: number; column: number } };
    const where = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : "";
    throw new InputError("bad-project", `${file}: is not valid YAML${where}: ${e.reason ?? String(err)}`);
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new InputError("bad-project", `${file}: must be a YAML mapping of ${what}, got ${kindOf(doc)}`);
  }
  return doc as Record<string, unknown>;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "a mapping" : `a ${typeof v}`;
}

/** Reads and validates `<dir>/Pulumi.yaml`. Refuses (exit 2) a missing or broken manifest, naming the field. */
export function readProject(dir: string): PulumiProject {
  const root = path.resolve(dir);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (file === undefined) {
    throw new InputError(
      "bad-project",
      `${dir}: no Pulumi.yaml; give a Pulumi project directory such as examples/private-endpoint`,
    );
  }
  const doc = loadYamlMapping(file, "project settings");
  const bad = (field: string, problem: string): never => {
    throw new InputError("bad-project", `${file}: \`${field}\` ${problem}`);
  };
  const name = doc.name;
  if (typeof name !== "string" || name === "") bad("name", "is required and must be a string");
  if (!PROJECT_NAME.test(name as string)) {
    bad("name", `${JSON.stringify(name)} may contain only letters, digits, "_", "-" and "." (at most 100)`);
  }
  let runtime: string | undefined;
  let runtimeOptions: Record<string, unknown> = {};
  if (typeof doc.runtime === "string") runtime = doc.runtime;
  else if (doc.runtime !== null && typeof doc.runtime === "object" && !Array.isArray(doc.runtime)) {
    const r = doc.runtime as Record<string, unknown>;
    if (typeof r.name === "string") runtime = r.name;
    if (r.options !== undefined) {
      if (r.options === null || typeof r.options !== "object" || Array.isArray(r.options)) {
        bad("runtime.options", "must be a mapping");
      }
      runtimeOptions = r.options as Record<string, unknown>;
    }
  }
  if (runtime === undefined || runtime === "") {
    bad("runtime", "is required: a runtime name such as nodejs, or { name: nodejs, options: {…} }");
  }
  const main = doc.main;
  if (main !== undefined && (typeof main !== "string" || main === "")) bad("main", "must be a relative path");
  const config = doc.config ?? {};
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    bad("config", "must be a mapping of config keys");
  }
  const stackConfigDir = doc.stackConfigDir;
  if (stackConfigDir !== undefined && typeof stackConfigDir !== "string")
    bad("stackConfigDir", "must be a path");
  return {
    root,
    file,
    name: name as string,
    runtime: runtime as string,
    runtimeOptions,
    ...(main !== undefined ? { main: main as string } : {}),
    config: config as Record<string, unknown>,
    ...(stackConfigDir !== undefined ? { stackConfigDir: stackConfigDir as string } : {}),
  };
}

/** Where the program runs and what the runner loads: the Pulumi CLI's rule (see the header). */
export function programLocation(project: PulumiProject): ProgramLocation {
  if (project.main === undefined) return { pwd: project.root, entryPoint: "." };
  const bad = (problem: string): never => {
    throw new InputError(
      "bad-project",
      `${project.file}: \`main\` ${JSON.stringify(project.main)} ${problem}`,
    );
  };
  if (path.isAbsolute(project.main)) bad("must be a relative path");
  const target = path.resolve(project.root, project.main);
  if (target !== project.root && !target.startsWith(project.root + path.sep)) {
    bad("must be inside the project directory");
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return bad("does not exist");
  }
  return stat.isDirectory()
    ? { pwd: target, entryPoint: "." }
    : { pwd: path.dirname(target), entryPoint: path.basename(target) };
}

/**
 * What `@pulumi/pulumi/cmd/run` will load for entry point "." in `pwd`: the `exports`/`main` of the
 * nearest package.json above it. Returned so a caller can say which file a manifest really runs.
 */
export function resolvedEntry(loc: ProgramLocation): { file: string; packageJson?: string } {
  if (loc.entryPoint !== ".") return { file: path.join(loc.pwd, loc.entryPoint) };
  for (let dir = loc.pwd; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      let data: { main?: unknown; exports?: unknown } = {};
      try {
        data = JSON.parse(fs.readFileSync(pkg, "utf8")) as typeof data;
      } catch {
        /* the runner ignores an unreadable package.json too */
      }
      const exp = data.exports;
      const main =
        typeof exp === "string"
          ? exp
          : exp !== null &&
              typeof exp === "object" &&
              typeof (exp as Record<string, unknown>)["."] === "string"
            ? ((exp as Record<string, unknown>)["."] as string)
            : typeof data.main === "string"
              ? data.main
              : undefined;
      return { file: main !== undefined ? path.join(dir, main) : loc.pwd, packageJson: pkg };
    }
    if (path.dirname(dir) === dir) return { file: loc.pwd };
  }
}

export interface StackConfig {
  /** `PULUMI_CONFIG` as the language host builds it: `<namespace>:config:<name>` → string. */
  config: Record<string, string>;
  /** Keys holding secrets (`PULUMI_CONFIG_SECRET_KEYS`). */
  secretKeys: string[];
  /** Encrypted (`secure:`) keys that cannot be decrypted offline: left unset, programs use their defaults. */
  skippedSecure: string[];
}

function configString(v: unknown): string {
  // Structured config travels as JSON (sdk/go/common/resource/config: Value.Value with objects).
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * The stack's configuration, from the project's `config:` defaults and `Pulumi.<stack>.yaml`, keyed the
 * way the language host passes them to the program (`PULUMI_CONFIG`).
 */
export function readStackConfig(project: PulumiProject, stack: string): StackConfig {
  const out = new Map<string, string>();
  const secretKeys = new Set<string>();
  const skipped: string[] = [];
  const qualify = (k: string) => {
    const i = k.indexOf(":");
    return i < 0 ? `${project.name}:config:${k}` : `${k.slice(0, i)}:config:${k.slice(i + 1)}`;
  };
  const isSecure = (v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && "secure" in (v as Record<string, unknown>);
  for (const [key, spec] of Object.entries(project.config)) {
    // Project config: `key: { type, default, value, secret }`, or `key: value` (a project-wide value).
    if (spec !== null && typeof spec === "object" && !Array.isArray(spec)) {
      const s = spec as Record<string, unknown>;
      const v = "value" in s ? s.value : s.default;
      if (v !== undefined && v !== null && !isSecure(v)) out.set(qualify(key), configString(v));
      if (s.secret === true) secretKeys.add(qualify(key));
    } else if (spec !== undefined && spec !== null) out.set(qualify(key), configString(spec));
  }
  const dir = project.stackConfigDir ? path.resolve(project.root, project.stackConfigDir) : project.root;
  const stackFile = ["yaml", "yml"]
    .map((e) => path.join(dir, `Pulumi.${stack}.${e}`))
    .find((f) => fs.existsSync(f));
  if (stackFile !== undefined) {
    const doc = loadYamlMapping(stackFile, "stack settings");
    const cfg = doc.config ?? {};
    if (cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) {
      throw new InputError("bad-project", `${stackFile}: \`config\` must be a mapping of config keys`);
    }
    for (const [key, v] of Object.entries(cfg as Record<string, unknown>)) {
      if (isSecure(v)) {
        skipped.push(key);
        out.delete(qualify(key));
        continue;
      }
      if (v === null || v === undefined) continue;
      out.set(qualify(key), configString(v));
    }
  }
  return { config: Object.fromEntries(out), secretKeys: [...secretKeys], skippedSecure: skipped };
}
