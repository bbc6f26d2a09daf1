// The terminal report: findings grouped by resource in file order, levels marked, one summary line.
//
//   azure-native:dbforpostgresql:Server "db"
//     urn:pulumi:dev::app::azure-native:dbforpostgresql:Server::db
//     MANDATORY  postgres-no-public-network-access
//                PostgreSQL flexible servers must not allow public network access; saw …
//
//   Violations by rule:
//     rule                                level      count
//     postgres-no-public-network-access   mandatory      2
//
//   FAILED: 2 mandatory and 1 advisory violation in 1 of 42 resources.

import type { AuditResult, Finding, FindingLevel } from "./audit";
import { TOOL_NAME } from "./tool";
import { escapeControl } from "../text";

export interface TextOptions {
  /** ANSI colours; the CLI decides with `colorEnabled` (cli/color.ts). */
  color?: boolean;
}

const MARK: Record<FindingLevel, string> = {
  mandatory: "MANDATORY",
  remediate: "REMEDIATE",
  advisory: "advisory ",
};
const COLOR: Record<FindingLevel | "ok" | "dim", string> = {
  mandatory: "\x1b[31;1m",
  remediate: "\x1b[31;1m",
  advisory: "\x1b[33m",
  ok: "\x1b[32;1m",
  dim: "\x1b[2m",
};
const RESET = "\x1b[0m";

/** Text from the export or the pack, on one line, control characters escaped (cli/text.ts). */
const esc = (v: string): string => escapeControl(v, true);

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function formatText(result: AuditResult, options: TextOptions = {}): string {
  const paint = (kind: keyof typeof COLOR, text: string): string =>
    options.color ? `${COLOR[kind]}${text}${RESET}` : text;
  const lines: string[] = [];
  const ex = result.export;
  const where =
    ex.stack !== undefined ? `stack ${esc(ex.stack)} of project ${esc(ex.project ?? "")}` : "an empty stack";
  const pulumi = ex.engineVersion !== undefined ? `Pulumi ${esc(ex.engineVersion)}, ` : "";
  lines.push(`${TOOL_NAME} audit of ${esc(result.file)}: ${where} (${pulumi}deployment v${ex.version})`);
  lines.push(
    `Policy pack ${esc(result.pack.name)} ${esc(result.pack.version)}, ${plural(result.pack.policies.length, "policy", "policies")}`,
  );

  // Findings arrive grouped: a resource's findings are adjacent, stack-wide ones come last.
  let current: string | undefined | null = null;
  for (const f of result.findings) {
    const key = f.urn;
    if (key !== current) {
      current = key;
      lines.push("");
      if (f.urn === undefined) {
        lines.push("Stack-wide");
      } else {
        lines.push(`${esc(f.type ?? "resource")} "${esc(f.name ?? "")}"`);
        lines.push(paint("dim", `  ${esc(f.urn)}`));
      }
    }
    lines.push(...findingLines(f, paint));
  }

  const { mandatory, remediate, advisory } = result.counts;
  const parts: string[] = [];
  if (mandatory > 0) parts.push(`${mandatory.toLocaleString("en-US")} mandatory`);
  if (remediate > 0) parts.push(`${remediate.toLocaleString("en-US")} remediate`);
  if (advisory > 0) parts.push(`${advisory.toLocaleString("en-US")} advisory`);
  const total = result.findings.length;
  const skipped = ex.skipped.providers + ex.skipped.stack + ex.skipped.pendingDelete;
  const scope =
    `${plural(ex.resources, "resource")} audited` +
    (skipped > 0
      ? `, ${skipped.toLocaleString("en-US")} skipped (providers, the stack${ex.skipped.pendingDelete > 0 ? ", pending deletes" : ""})`
      : "");
  lines.push(...ruleSummary(result.findings));
  lines.push("");
  if (total === 0) {
    lines.push(`${paint("ok", "PASSED")}: no violations; ${scope}.`);
  } else {
    const what = `${joinAnd(parts)} ${total === 1 ? "violation" : "violations"} in ${result.resourcesWithFindings.toLocaleString("en-US")} of ${scope}`;
    lines.push(
      result.passed
        ? `${paint("ok", "PASSED")} (advisory only): ${what}.`
        : `${paint("mandatory", "FAILED")}: ${what}.`,
    );
  }
  return lines.join("\n") + "\n";
}

function findingLines(f: Finding, paint: (kind: keyof typeof COLOR, text: string) => string): string[] {
  const mark = paint(f.level, MARK[f.level]);
  const out = [
    `  ${mark}  ${esc(f.ruleId)}${f.source === "stack" && f.urn !== undefined ? " (stack policy)" : ""}`,
  ];
  for (const line of f.message.split("\n")) out.push(`             ${esc(line)}`);
  return out;
}

function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

const LEVEL_ORDER: Record<FindingLevel, number> = { mandatory: 0, remediate: 1, advisory: 2 };

/** One row per rule and level, mandatory first, then by count (most first), then by rule id. */
export function summaryByRule(
  findings: readonly Finding[],
): { ruleId: string; level: FindingLevel; count: number }[] {
  const rows = new Map<string, { ruleId: string; level: FindingLevel; count: number }>();
  for (const f of findings) {
    const key = `${f.level}\u0000${f.ruleId}`;
    const row = rows.get(key);
    if (row) row.count++;
    else rows.set(key, { ruleId: f.ruleId, level: f.level, count: 1 });
  }
  return [...rows.values()].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      b.count - a.count ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

/** The per-rule table that closes the report, so a long list of findings stays readable. */
function ruleSummary(findings: readonly Finding[]): string[] {
  const rows = summaryByRule(findings);
  if (rows.length === 0) return [];
  const ruleWidth = Math.max(4, ...rows.map((r) => esc(r.ruleId).length)) + 2;
  const countWidth = Math.max(5, ...rows.map((r) => r.count.toLocaleString("en-US").length));
  const out = [
    "",
    "Violations by rule:",
    `  ${"rule".padEnd(ruleWidth)}${"level".padEnd(11)}${"count".padStart(countWidth)}`,
  ];
  for (const r of rows) {
    out.push(
      `  ${esc(r.ruleId).padEnd(ruleWidth)}${r.level.padEnd(11)}${r.count.toLocaleString("en-US").padStart(countWidth)}`,
    );
  }
  return out;
}
