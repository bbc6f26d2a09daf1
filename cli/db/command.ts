// `zt-postgres db apply|verify`: the yargs command. Registered in cli/main.ts with one line.
//
// Exit codes: 0 applied / the posture holds; 1 a step failed / at least one check failed or could not
// be verified; 2 bad input (unreadable plan, bad connection string, cannot connect); 3 internal error.

import * as fs from "node:fs";

import type { Argv, CommandModule } from "yargs";

import { EXIT, InputError } from "../audit/errors";
import { defaultTokenSource, parseConnection, redact, resolvePassword, type TokenSource } from "./connection";
import { DEFAULT_TLS_FLOOR, TLS_FLOORS } from "./facts";
import { readPlan } from "./plan";
import type { Sessions } from "./session";

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

/** Runs `work` with sessions to the server, always closing them, and keeps secrets out of errors. */
async function withSessions<T>(
  connectionText: string,
  tokens: TokenSource,
  work: (s: Sessions) => Promise<T>,
): Promise<T> {
  const connection = parseConnection(connectionText);
  const password = await resolvePassword(connection, tokens);
  const { Sessions } = await import("./session");
  const sessions = new Sessions(connection, password);
  try {
    return await work(sessions);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new Error(sessions.clean(err instanceof Error ? err.message : String(err)));
  } finally {
    await sessions.close();
  }
}

function write(text: string, output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    fs.writeFileSync(output, text);
  } catch (err) {
    throw new InputError(
      "usage",
      `--output ${output}: cannot be written (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
}

export async function applyCommand(
  a: { connection: string; plan: string; format: "text" | "json" },
  tokens = defaultTokenSource,
): Promise<number> {
  const plan = readPlan(a.plan);
  const { runApply, formatApplyText } = await import("./apply");
  const result = await withSessions(a.connection, tokens, (s) => runApply(plan, s));
  process.stdout.write(
    a.format === "json" ? JSON.stringify(result, null, 2) + "\n" : formatApplyText(result),
  );
  return result.ok ? EXIT.ok : EXIT.violations;
}

export async function verifyCommand(
  a: { connection: string; plan?: string; format: Format; output?: string; minimumTlsVersion: string },
  tokens = defaultTokenSource,
): Promise<number> {
  const plan = a.plan === undefined ? undefined : readPlan(a.plan);
  const { runVerify } = await import("./verify");
  const report = await import("./report");
  const result = await withSessions(a.connection, tokens, (s) =>
    runVerify(s, { tlsFloor: a.minimumTlsVersion, plan }),
  );
  const connectionPassword = (() => {
    try {
      return parseConnection(a.connection).password;
    } catch {
      return undefined;
    }
  })();
  const text =
    a.format === "json"
      ? report.formatVerifyJson(result)
      : a.format === "sarif"
        ? report.formatVerifySarif(result, { planFile: a.plan })
        : report.formatVerifyText(result);
  write(redact(text, [connectionPassword]), a.output);
  return result.passed ? EXIT.ok : EXIT.violations;
}

/** The `db` command with its two subcommands; `run` is main's wrapper that records the exit code. */
export function dbCommand(run: (work: () => Promise<number>) => Promise<void>): CommandModule {
  const connection = (y: Argv) =>
    y.positional("connection", {
      type: "string",
      demandOption: true,
      describe:
        "libpq connection string or URI, e.g. \"host=srv.postgres.database.azure.com user='DB Admins' dbname=postgres\"; without a password an Entra token is used",
    });
  return {
    command: "db <command>",
    describe: "Apply the bootstrap SQL to the database, or verify the zero-trust posture from inside it",
    builder: (y: Argv) =>
      y
        .command(
          "apply <connection>",
          "Run the component's bootstrap steps, each in its database (idempotent)",
          (c) =>
            connection(c)
              .option("plan", {
                type: "string",
                demandOption: true,
                requiresArg: true,
                describe:
                  "bootstrapSql output (pulumi stack output bootstrapSql --json) or a preview --json document",
              })
              .option("format", {
                choices: ["text", "json"] as const,
                default: "text" as const,
                describe: "Output format",
              }),
          (a) =>
            run(() =>
              applyCommand({
                connection: String(a.connection),
                plan: String(a.plan),
                format: a.format as "text" | "json",
              }),
            ),
        )
        .command(
          "verify <connection>",
          "Check TLS, pgaudit, logging, PUBLIC, role attributes and (with --plan) each persona's access",
          (c) =>
            connection(c)
              .option("plan", {
                type: "string",
                requiresArg: true,
                describe: "Also check each persona and workload against this plan",
              })
              .option("format", { choices: FORMATS, default: "text" as Format, describe: "Report format" })
              .option("output", {
                alias: "o",
                type: "string",
                requiresArg: true,
                describe: "Write the report to this file",
              })
              .option("minimum-tls-version", {
                choices: TLS_FLOORS,
                default: DEFAULT_TLS_FLOOR,
                describe: "TLS floor (postgres-tls-min-version)",
              }),
          (a) =>
            run(() =>
              verifyCommand({
                connection: String(a.connection),
                plan: a.plan as string | undefined,
                format: a.format as Format,
                output: a.output as string | undefined,
                minimumTlsVersion: String(a.minimumTlsVersion),
              }),
            ),
        )
        .demandCommand(1, "Give a db command: apply or verify.")
        .epilog(
          [
            "Usage:",
            "  zt-postgres db apply <connection> --plan FILE [--format text|json]",
            "  zt-postgres db verify <connection> [--plan FILE] [--format text|json|sarif] [--output FILE] [--minimum-tls-version TLSv1.2|TLSv1.3]",
            "",
            "Exit codes: 0 applied / the posture holds; 1 a step failed / a check failed or could not be verified;",
            "2 bad input (plan, connection string, cannot connect); 3 internal error. See docs/db.md.",
          ].join("\n"),
        ),
    handler: () => undefined,
  };
}
