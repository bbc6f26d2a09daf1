// JUnit XML, for CI systems that show test results natively: Azure DevOps (PublishTestResults@2 with
// testResultsFormat JUnit) and GitLab (artifacts:reports:junit).
//
// Layout, decided for how those two display it:
// - One <testsuite> per policy the pack reports (name = rule id), so the CI's test tab groups findings
//   by rule. GitLab shows a test case's `classname` as its "Suite" column, so classname is the rule id
//   too (https://gitlab.com/gitlab-org/gitlab/-/issues/299086, read 2026-11-30).
// - One <testcase> per finding, named after the resource (`type "name"`; "stack" for a stack-wide
//   finding). GitLab keeps only the first of several test cases with the same name
//   (https://docs.gitlab.com/ci/testing/unit_test_reports, "File requirements", read 2026-11-30), so a
//   second finding of the same rule on the same resource gets " (2)".
// - A policy with no finding gets one passing test case, "no violations", so the report lists every
//   rule that was checked.
// - mandatory (and remediate) → <failure>: the test run fails, as the exit code does.
// - advisory → <skipped message="advisory: …">: shown and counted apart (GitLab "skipped", Azure DevOps
//   "Not executed"), never failed. A passing test case would hide it among the passes. The full message
//   is in <system-out> too, which both systems show with the test case.
// Every attribute and text is XML-escaped, and characters XML 1.0 does not allow (most C0 controls,
// lone surrogates, U+FFFE/U+FFFF; https://www.w3.org/TR/xml/#charsets) are written as visible `\xNN`
// text, as the terminal report does (cli/text.ts).

import type { AuditResult, Finding } from "./audit";
import { blocks } from "./audit";
import { TOOL_NAME } from "./tool";
import { escapeControl } from "../text";

/** Characters outside XML 1.0's Char production, plus lone surrogates. */
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe inside an XML 1.0 element or a double-quoted attribute. */
export function xmlText(text: string, attribute = false): string {
  const visible = escapeControl(text, attribute).replace(
    NOT_XML_CHAR,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const escaped = visible
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
  // In an attribute a newline would be normalised to a space by any parser; keep it as a reference.
  return attribute ? escaped.replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;") : escaped;
}

const attr = (v: string): string => `"${xmlText(v, true)}"`;

function caseName(f: Finding): string {
  if (f.urn === undefined) return "stack";
  return `${f.type ?? "resource"} "${f.name ?? ""}"`;
}

export function formatJunit(result: AuditResult): string {
  // Policies in the pack's order; a finding of a policy the pack did not list still gets a suite.
  const order = result.pack.policies.map((p) => p.name);
  const byRule = new Map<string, Finding[]>(order.map((name) => [name, []]));
  const disabled = new Set(
    result.pack.policies.filter((p) => p.enforcementLevel === "disabled").map((p) => p.name),
  );
  for (const f of result.findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [ruleId, findings] of byRule) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    if (findings.length === 0 && disabled.has(ruleId)) {
      suiteSkipped++;
      cases.push(
        `    <testcase classname=${attr(ruleId)} name="disabled" time="0">`,
        `      <skipped message="disabled by the policy pack config"/>`,
        `    </testcase>`,
      );
    } else if (findings.length === 0) {
      cases.push(`    <testcase classname=${attr(ruleId)} name="no violations" time="0"/>`);
    }
    const seen = new Map<string, number>();
    for (const f of findings) {
      const base = caseName(f);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const name = n === 1 ? base : `${base} (${n})`;
      const where = f.urn === undefined ? "" : `${f.urn}\n`;
      const body = `${where}${f.level}: ${f.message}`;
      const head = `    <testcase classname=${attr(ruleId)} name=${attr(name)} time="0">`;
      if (blocks(f.level)) {
        suiteFailures++;
        cases.push(
          head,
          `      <failure type=${attr(f.level)} message=${attr(firstLine(f.message))}>${xmlText(body)}</failure>`,
          `    </testcase>`,
        );
      } else {
        suiteSkipped++;
        cases.push(
          head,
          `      <skipped message=${attr(`advisory: ${firstLine(f.message)}`)}/>`,
          `      <system-out>${xmlText(body)}</system-out>`,
          `    </testcase>`,
        );
      }
    }
    const count = Math.max(1, findings.length);
    tests += count;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name=${attr(ruleId)} tests="${count}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="0">`,
      ...cases,
      `  </testsuite>`,
    );
  }
  const name = `${TOOL_NAME} audit ${result.file}`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name=${attr(name)} tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
}
