// Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY` (GitHub Flavored Markdown): the
// verdict, a summary table by rule, and the findings.
//
// Anything that came from the export or the pack (resource types and names, URNs, rule ids, messages,
// which quote values from the export) is written as an inline code span. Inside a code span nothing is
// Markdown: no link, image, autolink, raw HTML or entity is recognised (CommonMark 0.31 §6.1 "Code
// spans", https://spec.commonmark.org/0.31.2/#code-spans, read 2026-11-30), and GitHub does not turn
// @mentions or #references inside code into links. The span's backtick fence is one longer than the
// longest run of backticks in the text, so the text cannot close it. In a table cell a "|" is written
// "\|", which GFM reads as part of the cell even inside a code span (GFM spec §4.10 "Tables",
// https://github.github.com/gfm/#tables-extension-, read 2026-11-30). Control characters are escaped
// first (cli/text.ts), and a message's lines are joined with " / ".

import type { AuditResult, Finding, FindingLevel } from "./audit";
import { summaryByRule } from "./report-text";
import { TOOL_NAME } from "./tool";
import { escapeControl } from "../text";

/** `text` as an inline code span that nothing inside can break out of. */
export function codeSpan(text: string): string {
  const clean = escapeControl(text, true);
  if (clean === "") return "(empty)";
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") || (clean.startsWith(" ") && clean.endsWith(" "));
  return pad ? `${fence} ${clean} ${fence}` : `${fence}${clean}${fence}`;
}

/** A code span for a table cell: "|" escaped so it does not end the cell. */
function cell(text: string): string {
  return codeSpan(text).replace(/\|/g, "\\|");
}

const LEVEL_MARK: Record<FindingLevel, string> = {
  mandatory: "**mandatory**",
  remediate: "**remediate**",
  advisory: "advisory",
};

const n = (v: number): string => v.toLocaleString("en-US");

function messageText(message: string): string {
  return message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" / ");
}

function where(f: Finding): string {
  if (f.urn === undefined) return "the stack";
  return `${codeSpan(f.type ?? "resource")} ${codeSpan(f.name ?? "")}`;
}

export function formatMarkdown(result: AuditResult): string {
  const ex = result.export;
  const { mandatory, remediate, advisory } = result.counts;
  const verdict =
    result.findings.length === 0 ? "passed" : result.passed ? "passed (advisory only)" : "FAILED";
  const lines: string[] = [`## ${TOOL_NAME} audit: ${verdict}`, ""];
  const stack =
    ex.stack !== undefined
      ? `stack ${codeSpan(ex.stack)} of project ${codeSpan(ex.project ?? "")}`
      : "an empty stack";
  lines.push(
    `${codeSpan(result.file)}: ${stack}; ${n(ex.resources)} resources audited with ${codeSpan(result.pack.name)} ${codeSpan(result.pack.version)}. ` +
      `${n(mandatory)} mandatory, ${n(remediate)} remediate and ${n(advisory)} advisory violations in ${n(result.resourcesWithFindings)} resources.`,
  );
  const rows = summaryByRule(result.findings);
  if (rows.length > 0) {
    lines.push("", "| Rule | Level | Count |", "| --- | --- | ---: |");
    for (const r of rows) lines.push(`| ${cell(r.ruleId)} | ${r.level} | ${n(r.count)} |`);
    lines.push("", "### Findings", "");
    for (const f of result.findings) {
      lines.push(
        `- ${LEVEL_MARK[f.level]} ${codeSpan(f.ruleId)} on ${where(f)}: ${codeSpan(messageText(f.message))}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
