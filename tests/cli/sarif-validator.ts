// Two real SARIF validators for the audit's output: the SARIF 2.1.0 JSON schema (shipped in the
// multitool package; draft 2020-12, so ajv's 2020 class with formats), and the SARIF multitool itself
// (`Sarif.Multitool validate`, the .NET binary inside @microsoft/sarif-multitool-linux), which also
// applies Microsoft's SARIF rules (SARIF1xxx errors, SARIF2xxx warnings).

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

const MULTITOOL_DIR = path.dirname(require.resolve("@microsoft/sarif-multitool-linux/package.json"));
export const SARIF_SCHEMA_FILE = path.join(MULTITOOL_DIR, "sarif-2.1.0.json");
export const MULTITOOL = path.join(MULTITOOL_DIR, "Sarif.Multitool");

let validate: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

/** Schema errors (empty when valid). */
export function schemaErrors(log: unknown): string[] {
  if (validate === undefined) {
    const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, "utf8")) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  if (validate(log)) return [];
  return ((validate.errors as { instancePath: string; message?: string }[] | undefined) ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message ?? ""}`,
  );
}

export interface MultitoolFinding {
  ruleId: string;
  level: string;
  message: string;
}

/**
 * Runs `Sarif.Multitool validate` on a SARIF file and returns its findings (errors and warnings).
 * The tool exits 0 even when it finds errors, so its own SARIF output is read instead.
 */
export function multitoolFindings(sarifFile: string): MultitoolFinding[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zt-multitool-")), "validation.sarif");
  const run = spawnSync(MULTITOOL, ["validate", sarifFile, "--output", out, "--log", "ForceOverwrite"], {
    encoding: "utf8",
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" },
    timeout: 120_000,
  });
  if (run.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`Sarif.Multitool failed (status ${run.status}): ${run.stderr || run.stdout}`);
  }
  const log = JSON.parse(fs.readFileSync(out, "utf8")) as {
    runs: {
      results?: {
        ruleId: string;
        level?: string;
        message: { text?: string; id?: string; arguments?: string[] };
      }[];
    }[];
  };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return log.runs
    .flatMap((r) => r.results ?? [])
    .map((r) => ({
      ruleId: r.ruleId,
      level: r.level ?? "warning",
      message: r.message.text ?? `${r.message.id ?? ""} ${(r.message.arguments ?? []).join(" | ")}`.trim(),
    }));
}
