// Runs a Pulumi Node.js program the way `pulumi preview` does, against the engine stand-in.
//
// The steps follow the Node.js language host (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, read
// 2026-11-30 at https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/pulumi-language-nodejs/main.go):
// - the program directory and entry point come from Pulumi.yaml `main` (project.ts);
// - `@pulumi/pulumi/cmd/run` is resolved from the program directory, as node would resolve it there;
// - it is started as `node [nodeargs] <run> --monitor <addr> --engine <addr> --project <name>
//   --stack <stack> --pwd <program dir> --dry-run <entry point>`;
// - configuration travels in `PULUMI_CONFIG` (`<namespace>:config:<key>` → string) and
//   `PULUMI_CONFIG_SECRET_KEYS`; `runtime.options.typescript` (default true) sets
//   `PULUMI_NODEJS_TYPESCRIPT=true`, and `runtime.options.tsconfig` sets `PULUMI_NODEJS_TSCONFIG_PATH`;
// - exit code 32 means "the program failed and already logged why" (cmd/run/index.ts).
// Everything the program prints goes to the log (stderr), never to stdout.

import { spawn } from "node:child_process";
import * as path from "node:path";

import { InputError } from "../audit/errors";
import { escapeControl, stripAnsi } from "../text";
import { startEngineStandIn, type EngineRecord } from "./engine";
import { DEFAULT_TIMEOUT_SECONDS } from "./limits";
import { programLocation, readProject, readStackConfig, resolvedEntry, type PulumiProject } from "./project";

/** `cmd/run` exits with this after it has logged a user-actionable error (cmd/run/index.ts). */
const EXITED_AFTER_LOGGING = 32;

export interface RunProgramOptions {
  /** Stack name for URNs and `Pulumi.<stack>.yaml`. Defaults to `dev`. */
  stack?: string;
  /** Stop the program after this many milliseconds (exit 2). Defaults to DEFAULT_TIMEOUT_SECONDS. */
  timeoutMs?: number;
  /** Where the program's own output and warnings go. Defaults to stderr; never stdout. */
  log?: (line: string) => void;
}

export interface ProgramRun extends EngineRecord {
  project: PulumiProject;
  stack: string;
  /** Config keys encrypted in `Pulumi.<stack>.yaml`, left unset offline. */
  skippedSecure: string[];
}

function locateRunner(pwd: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
  } catch {
    throw new InputError(
      "bad-program",
      `${pwd}: @pulumi/pulumi is not installed where the program runs (run npm install); the Node.js language host resolves @pulumi/pulumi/cmd/run from the program directory`,
    );
  }
}

/** The program's error, as the user should read it: every line of the message, no stack frames, no colour. */
export function programErrorLines(message: string): string[] {
  const lines = stripAnsi(message).split(/\r?\n/);
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, "");
    if (/^\s+at\s/.test(line)) continue; // stack frame
    if (/^\s*\[?(?:stack|cause)\]?:/.test(line)) continue;
    if (/^\s*(?:\{|\})\s*$/.test(line)) continue; // util.inspect's property block around an error
    if (/^Running program '.*' failed with an unhandled exception:$/.test(line)) continue;
    if (line.trim() === "") {
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    out.push(escapeControl(line, true));
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  // util.inspect prints "Error: message" then, for a multi-line message, the rest: drop a bare "Error: " prefix.
  return out.map((l, i) => (i === 0 ? l.replace(/^(?:Error|TSError|TypeError|RangeError): /, "") : l));
}

function pendingReport(record: EngineRecord): string {
  const regs = record.registrations;
  const parts: string[] = [];
  if (record.stackUrn === undefined) parts.push("the program never registered its stack (it did not start)");
  else if (record.stackOutputs === undefined) {
    parts.push(`the stack's outputs were never registered (the program's top level had not finished)`);
  } else parts.push("the stack's outputs were registered, but the program did not exit");
  parts.push(`${regs.length} resources registered so far`);
  const last = regs.slice(-3).map((r) => `${r.type} "${r.name}"`);
  if (last.length > 0) parts.push(`the last: ${last.join(", ")}`);
  return escapeControl(parts.join("; "), true);
}

/** Runs the program in `dir` through `@pulumi/pulumi/cmd/run` and returns what it registered. */
export async function runProgram(dir: string, opts: RunProgramOptions = {}): Promise<ProgramRun> {
  const project = readProject(dir);
  if (project.runtime !== "nodejs") {
    throw new InputError(
      "bad-project",
      `${project.file}: runtime "${escapeControl(project.runtime, true)}" is not supported by zt-postgres preview, which runs Node.js programs (runtime: nodejs) through Pulumi's own runner; preview it with \`pulumi preview\``,
    );
  }
  const stack = opts.stack ?? "dev";
  const loc = programLocation(project);
  const cfg = readStackConfig(project, stack);
  const runPath = locateRunner(loc.pwd);
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const entry = resolvedEntry(loc);
  if (entry.packageJson !== undefined && path.dirname(entry.packageJson) !== loc.pwd) {
    // The trap of a `main` that names a directory: the runner takes the `main` of a package.json above it.
    log(
      `warning: ${project.file} gives no program file, so Pulumi's runner loads ${entry.file} (the "main" of ${entry.packageJson}); set \`main: <file>\` in Pulumi.yaml if that is not the program`,
    );
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;

  const engine = await startEngineStandIn(project.name, stack);
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(cfg.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(cfg.secretKeys),
    };
    delete env.PULUMI_NODEJS_TYPESCRIPT;
    delete env.PULUMI_NODEJS_TSCONFIG_PATH;
    const o = project.runtimeOptions;
    if (o.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof o.tsconfig === "string" && o.tsconfig !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = o.tsconfig;
    const nodeargs = typeof o.nodeargs === "string" ? o.nodeargs.split(/\s+/).filter((a) => a !== "") : [];
    const args = [
      ...nodeargs,
      runPath,
      "--monitor",
      engine.monitorAddress,
      "--engine",
      engine.engineAddress,
      "--project",
      project.name,
      "--stack",
      stack,
      "--pwd",
      loc.pwd,
      "--dry-run",
      loc.entryPoint,
    ];
    const child = spawn(process.execPath, args, { cwd: loc.pwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const stderr: string[] = [];
    const forward = (stream: NodeJS.ReadableStream, keep: boolean) => {
      let buf = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (keep) stderr.push(line);
          log(escapeControl(stripAnsi(line), true));
        }
      });
      stream.on("end", () => {
        if (buf !== "") {
          if (keep) stderr.push(buf);
          log(escapeControl(stripAnsi(buf), true));
        }
      });
    };
    forward(child.stdout, false);
    forward(child.stderr, true);
    let timedOut = false;
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, timeoutMs);
      child.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on("close", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const record = engine.record;
    for (const l of record.logs) {
      if (l.severity === "warning") log(`warning: ${escapeControl(stripAnsi(l.message), true)}`);
    }
    if (timedOut) {
      throw new InputError(
        "timeout",
        `${dir}: the program did not finish within ${Math.round(timeoutMs / 1000)} s (--timeout) and was stopped: ${pendingReport(record)}`,
      );
    }
    const errors = record.logs.filter((l) => l.severity === "error");
    if (code !== 0 || errors.length > 0) {
      const lines: string[] = [];
      for (const e of errors) {
        const who = e.urn ? record.registrations.find((r) => r.urn === e.urn) : undefined;
        const body = programErrorLines(e.message);
        if (who) lines.push(`${escapeControl(who.type, true)} "${escapeControl(who.name, true)}":`);
        lines.push(...body);
      }
      if (lines.length === 0) {
        // Nothing logged through the engine (e.g. the runner could not load the entry point): use stderr.
        lines.push(...programErrorLines(stderr.join("\n")));
      }
      if (lines.length === 0) lines.push(`exit code ${code === null ? "(killed)" : code}`);
      const where = path.relative(process.cwd(), loc.pwd) || ".";
      throw new InputError(
        "bad-program",
        `${where}: the program failed${code === EXITED_AFTER_LOGGING || code === 0 ? "" : ` (exit code ${code})`}:\n${lines.map((l) => `  ${l}`).join("\n")}`,
      );
    }
    return { ...record, project, stack, skippedSecure: cfg.skippedSecure };
  } finally {
    await engine.close();
  }
}
