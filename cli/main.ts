#!/usr/bin/env node
// The `zt-postgres` command line: one yargs program with three commands.
//
//   zt-postgres preview <dir> [--json]                 the offline preview of an example (npm run demo)
//   zt-postgres audit <file> [--format text|json|sarif|junit|markdown] [--policy-pack-config FILE] [--output FILE]
//   zt-postgres rules [id..] [--format text|json]      the rule catalogue, or named rules whole
//
// Exit codes, the same for every command (EXIT_CODE_TABLE below, printed by --help): 0 clean;
// 1 mandatory violations; 2 bad input (usage, refused arguments, a broken program or Pulumi.yaml, a
// program that did not finish within --timeout, an unreadable export), never a stack trace; 3 an
// internal failure (the policy pack or the CLI itself); 4 stdout was closed or full (EPIPE, ENOSPC).
// Heavy modules (the Pulumi SDK, gRPC) load only inside the command that needs them, so `rules`,
// `--help` and `--version` start fast.

import * as fs from "node:fs";

import yargs from "yargs";
import { hideBin } from "yargs/helpers";

import { RULES } from "../policies/rules";
import { EXIT, InputError, PackError } from "./audit/errors";
import { dbCommand } from "./db/command";
import { TOOL_NAME, toolVersion } from "./audit/tool";
import { formatRuleDetails, formatRulesJson, formatRulesText, selectRules } from "./rules-command";
import { DEFAULT_TIMEOUT_SECONDS } from "./program/limits";
import { escapeControl } from "./text";
import { colorEnabled } from "./color";

/** How a lone "-" (read stdin) reaches the audit command through yargs. */
const STDIN_ARG = "\u0000stdin";

/** The one exit-code table, for --help and the docs (docs/cli.md). */
export const EXIT_CODE_TABLE = [
  "Exit codes (every command):",
  "  0  clean: no mandatory violation",
  "  1  at least one mandatory (or remediate-level) violation",
  "  2  bad input: usage, refused component arguments, a broken program or Pulumi.yaml, a program",
  "     that did not finish within --timeout, an unreadable or malformed stack export",
  "  3  internal failure: the policy pack or the CLI itself failed",
  "  4  stdout was closed or full (e.g. `| head -1`, a full disk): the output is incomplete",
].join("\n");

const AUDIT_FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** Reads a `--policy-pack-config` file: a JSON object, as `pulumi --policy-pack-config` takes it. */
export function readPolicyPackConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      "bad-config",
      `--policy-pack-config ${file}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code})`}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new InputError(
      "bad-config",
      `--policy-pack-config ${file}: is not JSON (${(err as Error).message})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(
      "bad-config",
      `--policy-pack-config ${file}: must be a JSON object of policy names, e.g. {"all": "mandatory"}`,
    );
  }
  for (const [name, entry] of Object.entries(value)) {
    const ok =
      typeof entry === "string" || (entry !== null && typeof entry === "object" && !Array.isArray(entry));
    if (!ok) {
      throw new InputError(
        "bad-config",
        `--policy-pack-config ${file}: "${name}" must be an enforcement level or an object with "enforcementLevel" and config properties`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** Writes a report to `--output` or stdout. */
function emit(text: string, output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    fs.writeFileSync(output, text);
  } catch (err) {
    throw new InputError(
      "usage",
      `--output ${output}: cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

interface AuditArgs {
  file: string;
  format: AuditFormat;
  policyPackConfig?: string;
  output?: string;
  concurrency: number;
  analyzeAll: boolean;
}

async function auditCommand(args: AuditArgs): Promise<number> {
  const { auditInput, renameInError } = await import("./audit/spool");
  const input = await auditInput(args.file === STDIN_ARG ? "-" : args.file);
  try {
    return await auditFile({ ...args, file: input.path }, input.display);
  } catch (err) {
    throw renameInError(err, input);
  } finally {
    input.cleanup();
  }
}

async function auditFile(args: AuditArgs, display: string): Promise<number> {
  const { analyzedTypes, runAudit, progressPrinter } = await import("./audit/audit");
  const policyPackConfig =
    args.policyPackConfig === undefined ? undefined : readPolicyPackConfig(args.policyPackConfig);
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) {
    throw new InputError(
      "usage",
      `--concurrency must be a positive integer, got ${String(args.concurrency)}`,
    );
  }
  const { startPack } = await import("./pack-client");
  const { withStackBytes } = await import("./audit/stack-request");
  const result = await runAudit({
    file: args.file,
    policyPackConfig,
    concurrency: args.concurrency,
    // The pack is built from RULES, so resources of types no rule covers need no Analyze call.
    analyzeTypes: args.analyzeAll ? undefined : analyzedTypes(RULES),
    startPack: async () =>
      withStackBytes(
        await startPack({
          // The pack's own warnings and errors are worth seeing; its debug chatter is not.
          onLog: (severity, message) => {
            if (severity === "warning" || severity === "error") {
              process.stderr.write(`policy pack ${severity}: ${escapeControl(message)}\n`);
            }
          },
        }),
      ),
    onProgress: progressPrinter((line) => process.stderr.write(line + "\n")),
  });

  // Reports name the input as the user gave it, not the temporary copy of a pipe.
  result.file = display;

  let text: string;
  if (args.format === "json") {
    const { formatJson } = await import("./audit/report-json");
    text = formatJson(result);
  } else if (args.format === "sarif") {
    const { formatSarif, locateUrns } = await import("./audit/report-sarif");
    const urns = new Set(result.findings.flatMap((f) => (f.urn === undefined ? [] : [f.urn])));
    const lines = await locateUrns(args.file, urns);
    text = formatSarif(result, { catalogue: RULES, lines });
  } else if (args.format === "junit") {
    const { formatJunit } = await import("./audit/report-junit");
    text = formatJunit(result);
  } else if (args.format === "markdown") {
    const { formatMarkdown } = await import("./audit/report-markdown");
    text = formatMarkdown(result);
  } else {
    const { formatText } = await import("./audit/report-text");
    // A report written to a file has no colour; on stdout the one rule in cli/color.ts decides.
    text = formatText(result, { color: args.output === undefined && colorEnabled(process.stdout) });
  }
  emit(text, args.output);
  if (args.output !== undefined) {
    const c = result.counts;
    process.stderr.write(
      `${TOOL_NAME} audit: ${result.passed ? "passed" : "failed"}: ${c.mandatory} mandatory${c.remediate > 0 ? `, ${c.remediate} remediate` : ""} and ${c.advisory} advisory violations in ${result.export.resources} resources; ${args.format} report written to ${args.output}\n`,
    );
  }
  return result.passed ? EXIT.ok : EXIT.violations;
}

async function previewCommand(args: {
  dir: string;
  json: boolean;
  policyPackConfig?: string;
  stack: string;
  timeout: number;
  width?: number;
}): Promise<number> {
  const policyPackConfig =
    args.policyPackConfig === undefined ? undefined : readPolicyPackConfig(args.policyPackConfig);
  if (!Number.isFinite(args.timeout) || args.timeout <= 0) {
    throw new InputError(
      "usage",
      `--timeout must be a positive number of seconds, got ${String(args.timeout)}`,
    );
  }
  if (
    args.width !== undefined &&
    (!Number.isInteger(args.width) || args.width < 0 || (args.width > 0 && args.width < 20))
  ) {
    throw new InputError(
      "usage",
      `--width must be 0 (no limit) or a whole number of columns from 20, got ${String(args.width)}`,
    );
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) {
    throw new InputError(
      "usage",
      `--stack ${JSON.stringify(escapeControl(args.stack, true))}: a stack name may contain only letters, digits, "_", "-" and "."`,
    );
  }
  if (!fs.existsSync(args.dir) || !fs.statSync(args.dir).isDirectory()) {
    throw new InputError(
      "usage",
      `${args.dir}: not a directory; give a Pulumi project directory such as examples/private-endpoint`,
    );
  }
  const { runPreview, formatPreviewText } = await import("./preview");
  const result = await runPreview(args.dir, {
    json: args.json,
    policyPackConfig,
    stack: args.stack,
    timeoutMs: args.timeout * 1000,
  });
  process.stdout.write(
    args.json
      ? JSON.stringify(result, null, 2) + "\n"
      : formatPreviewText(result, { color: colorEnabled(process.stdout), width: terminalWidth(args.width) }),
  );
  const failed = result.diagnostics.some((d) => d.level === "mandatory" || d.level === "remediate");
  return failed ? EXIT.violations : EXIT.ok;
}

function rulesCommand(args: { format: "text" | "json"; ids: readonly string[] }): number {
  const rules = selectRules(RULES, args.ids);
  process.stdout.write(
    args.format === "json"
      ? formatRulesJson(rules)
      : args.ids.length > 0
        ? formatRuleDetails(rules)
        : formatRulesText(rules),
  );
  return EXIT.ok;
}

/**
 * How wide the preview may print: `--width` when given (0: no limit), else the terminal's columns when
 * stdout is a terminal, else `COLUMNS` when it is a positive integer (a CI log that sets it), else no
 * limit, so a file or a pipe gets every line whole.
 */
export function terminalWidth(
  option: number | undefined,
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  if (option !== undefined) return option === 0 ? undefined : option;
  if (stdout.isTTY === true && typeof stdout.columns === "number" && stdout.columns > 0)
    return stdout.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** The options yargs knows in a context (`getOptions()`): names and their aliases. */
interface KnownOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
}

/**
 * The first option in `argv` that no command or global option defines, without its dashes. yargs checks
 * the number of positionals (and `demandCommand`) before strict mode, so `zt-postgres --nope` would say
 * "Give a command" and `audit --nope x.json` "Not enough non-option arguments"; this finds the unknown
 * option first, so the user reads what is wrong.
 */
export function firstUnknownOption(argv: readonly string[], known: KnownOptions): string | undefined {
  const names = new Set<string>();
  const add = (name: string) => {
    names.add(name);
    names.add(name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
  };
  for (const key of Object.keys(known.key)) add(key);
  for (const [key, aliases] of Object.entries(known.alias)) [key, ...aliases].forEach(add);
  for (const token of argv) {
    if (token === "--") break;
    if (!token.startsWith("-") || token === "-" || /^-\d/.test(token)) continue;
    if (token.startsWith("--")) {
      const name = token.slice(2).split("=", 1)[0];
      if (names.has(name) || (name.startsWith("no-") && names.has(name.slice(3)))) continue;
      return name;
    }
    for (const letter of token.slice(1).split("=", 1)[0]) if (!names.has(letter)) return letter;
  }
  return undefined;
}

/** Control characters escaped; a stack-overflow or other engine message reduced to one line. */
function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return escapeControl(message);
}

/**
 * The error on stderr and its exit code: bad input keeps every line of its message (a component's
 * refusal lists each reason); an internal failure prints one line. A stack trace only with
 * ZT_POSTGRES_DEBUG=1.
 */
function report(err: unknown): number {
  if (process.env.ZT_POSTGRES_DEBUG === "1" && err instanceof Error) {
    process.stderr.write(`${escapeControl(err.stack ?? "")}\n`);
  }
  if (err instanceof InputError) {
    process.stderr.write(`${TOOL_NAME}: ${errorText(err)}\n`);
    return EXIT.badInput;
  }
  const text = errorText(err).split("\n", 1)[0];
  if (err instanceof PackError) {
    process.stderr.write(`${TOOL_NAME}: ${text}\n`);
    return EXIT.internal;
  }
  process.stderr.write(`${TOOL_NAME}: error: ${text}\n`);
  return EXIT.internal;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  // yargs reads a lone "-" as an empty string; keep the conventional "read stdin" argument intact.
  argv = argv.map((a) => (a === "-" ? STDIN_ARG : a));
  const run = (work: () => Promise<number> | number) => async () => {
    code = await work();
  };
  /** The options of the command whose builder ran, for firstUnknownOption(). */
  let commandOptions: (() => KnownOptions) | undefined;
  const remember = <Y>(y: Y): Y => {
    // Read when a usage error is reported, after the builder has declared the command's options.
    // `getOptions()` is a public method of a yargs instance that its type declarations omit.
    commandOptions = () => (y as unknown as { getOptions(): KnownOptions }).getOptions();
    return y;
  };
  const cli = yargs(argv)
    .scriptName(TOOL_NAME)
    .usage("$0 <command> [options]\n\nZero-trust checks for Azure Database for PostgreSQL flexible servers.")
    .command(
      "preview <dir>",
      "Run a Pulumi program through Pulumi's own runner against an offline engine stand-in, and the policy pack over it",
      (y) =>
        remember(y)
          .positional("dir", {
            type: "string",
            demandOption: true,
            describe: "Pulumi project directory (with Pulumi.yaml), e.g. examples/private-endpoint or .",
          })
          .option("json", {
            type: "boolean",
            default: false,
            describe: "Print the resources and diagnostics as JSON",
          })
          .option("policy-pack-config", {
            type: "string",
            requiresArg: true,
            describe: "Policy pack config JSON file",
          })
          .option("stack", {
            type: "string",
            default: "dev",
            requiresArg: true,
            describe: "Stack name: URNs and config from Pulumi.<stack>.yaml",
          })
          .option("timeout", {
            type: "number",
            default: DEFAULT_TIMEOUT_SECONDS,
            requiresArg: true,
            describe: "Stop a program that has not finished after this many seconds (exit 2)",
          })
          .option("width", {
            type: "number",
            requiresArg: true,
            describe:
              "Fit lines to this many columns (0: no limit). Default: the terminal's width, else COLUMNS, else no limit",
          }),
      (a) =>
        run(() =>
          previewCommand({
            dir: a.dir,
            json: a.json,
            policyPackConfig: a.policyPackConfig,
            stack: a.stack,
            timeout: a.timeout,
            width: a.width,
          }),
        )(),
    )
    .command(
      "audit <file>",
      "Check a `pulumi stack export` file against the policy pack, offline",
      (y) =>
        remember(y)
          .positional("file", {
            type: "string",
            demandOption: true,
            describe:
              "The stack export (pulumi stack export --file stack.json); - or /dev/stdin reads a pipe",
          })
          .option("format", {
            choices: AUDIT_FORMATS,
            default: "text" as AuditFormat,
            describe: "Report format",
          })
          .option("policy-pack-config", {
            type: "string",
            requiresArg: true,
            describe: "Policy pack config JSON file, as for pulumi --policy-pack-config",
          })
          .option("output", {
            alias: "o",
            type: "string",
            requiresArg: true,
            describe: "Write the report to this file",
          })
          .option("concurrency", { type: "number", default: 64, describe: "Analyze calls in flight at once" })
          .option("analyze-all", {
            type: "boolean",
            default: false,
            describe:
              "Call Analyze on every resource, as the engine does, even types no rule covers (same findings, slower)",
          })
          .example("$0 audit stack.json", "Text report on stdout")
          .example("pulumi stack export | $0 audit -", "Read the export from a pipe")
          .example("$0 audit stack.json --format sarif --output zt.sarif", "SARIF for GitHub code scanning"),
      (a) =>
        run(() =>
          auditCommand({
            file: a.file,
            format: a.format,
            policyPackConfig: a.policyPackConfig,
            output: a.output,
            concurrency: a.concurrency,
            analyzeAll: a.analyzeAll,
          }),
        )(),
    )
    .command(
      "rules [ids..]",
      "List the zero-trust rule catalogue, or show named rules whole",
      (y) =>
        remember(y)
          .positional("ids", {
            type: "string",
            array: true,
            describe:
              "Rule ids to show whole (what unset means and its source, remediation, config); none lists them all",
          })
          .option("format", {
            choices: ["text", "json"] as const,
            default: "text" as "text" | "json",
            describe: "Output format",
          })
          .example("$0 rules", "The catalogue as a table")
          .example(
            "$0 rules postgres-no-public-network-access",
            "One rule whole, with its unset-value source",
          ),
      (a) => run(() => rulesCommand({ format: a.format, ids: (a.ids ?? []).map(String) }))(),
    )
    .command(dbCommand((work) => run(work)()))
    .demandCommand(1, "Give a command: preview, audit or rules.")
    .strict()
    .version(toolVersion())
    .alias("v", "version")
    .help()
    .alias("h", "help")
    .epilog(EXIT_CODE_TABLE)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      // Usage mistakes arrive as `msg`; errors thrown by a command as `err`, rethrown to report().
      if (err) throw err;
      const unknown = msg.startsWith("Unknown argument")
        ? undefined
        : firstUnknownOption(
            argv,
            commandOptions?.() ?? (cli as unknown as { getOptions(): KnownOptions }).getOptions(),
          );
      const text = unknown !== undefined ? `Unknown argument: ${unknown}` : msg.replace(/\s*\n\s*/g, " ");
      throw new InputError("usage", `${escapeControl(text, true)} (see ${TOOL_NAME} --help)`);
    });
  try {
    await cli.parseAsync();
  } catch (err) {
    return report(err);
  }
  return code;
}

/**
 * A closed or full stdout (`zt-postgres audit x | head -1`, a full disk) ends the command quietly with
 * exit code 4: the report is incomplete, which is neither a violation (1) nor bad input (2).
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === "EPIPE" || err.code === "ENOSPC" || err.code === "EIO") {
    process.exit(EXIT.outputFailed);
  }
  process.stderr.write(
    `${TOOL_NAME}: cannot write the output (${escapeControl(String(err.code ?? err.message), true)})\n`,
  );
  process.exit(EXIT.outputFailed);
}

if (require.main === module) {
  process.stdout.on("error", onStdoutError);
  void main(hideBin(process.argv)).then((code) => {
    // After an error, exit now rather than wait for a pack that is still starting (its exit hook kills
    // it). stderr is a file, TTY or pipe, all written synchronously on Linux and macOS.
    if (code === EXIT.badInput || code === EXIT.internal) process.exit(code);
    process.exitCode = code;
  });
}
