// Reports of `zt-postgres db verify`: text for people, JSON and SARIF for machines. JSON and SARIF
// carry the same findings (every fail and cannot-verify, plus passes in JSON); SARIF is built with
// node-sarif-builder like the audit's report (cli/audit/report-sarif.ts), whose helpers are reused.

import { createHash } from "node:crypto";

import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";

import { artifactUri, pascalName } from "../audit/report-sarif";
import { REPOSITORY_URL, TOOL_NAME, toolVersion } from "../audit/tool";
import { CHECKS, type CheckId, type Finding } from "./catalogue";
import type { VerifyResult } from "./verify";

const MARK: Record<Finding["status"], string> = {
  pass: "PASS",
  fail: "FAIL",
  "cannot-verify": "CANNOT VERIFY",
  "not-applicable": "N/A",
};

/** One line per finding, failures with their fix, and a summary line. */
export function formatVerifyText(r: VerifyResult): string {
  const lines = [`${TOOL_NAME} db verify: ${r.target} (TLS floor ${r.tlsFloor})`];
  for (const f of r.findings) {
    const where = f.database ? ` [${f.database}]` : "";
    lines.push(`${MARK[f.status].padEnd(13)} ${f.check}${where}: ${f.seen}`);
    if (f.status === "fail" || f.status === "cannot-verify") lines.push(`${" ".repeat(14)}fix: ${f.fix}`);
  }
  const c = r.counts;
  lines.push(
    `${r.passed ? "passed" : "failed"}: ${c.pass} passed, ${c.fail} failed, ${c["cannot-verify"]} could not be verified, ${c["not-applicable"]} not applicable`,
  );
  return lines.join("\n") + "\n";
}

export function formatVerifyJson(r: VerifyResult): string {
  return (
    JSON.stringify(
      {
        tool: { name: TOOL_NAME, version: toolVersion() },
        target: r.target,
        tlsFloor: r.tlsFloor,
        passed: r.passed,
        counts: r.counts,
        findings: r.findings.map((f) => ({ ...f, title: CHECKS[f.check].title })),
      },
      null,
      2,
    ) + "\n"
  );
}

/** SARIF 2.1.0: one rule per check, one result per fail (error) and cannot-verify (warning). */
export function formatVerifySarif(r: VerifyResult, options: { planFile?: string } = {}): string {
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: TOOL_NAME,
    toolDriverVersion: toolVersion(),
    url: REPOSITORY_URL,
  });
  for (const [id, info] of Object.entries(CHECKS) as [CheckId, (typeof CHECKS)[CheckId]][]) {
    const b = new SarifRuleBuilder().initSimple({
      ruleId: id,
      shortDescriptionText: info.title,
      fullDescriptionText: info.description,
      helpUri: `${REPOSITORY_URL}/blob/main/docs/db.md#${id}`,
    });
    b.rule.name = pascalName(id);
    b.rule.help = { text: `${info.description}\n\nFix: ${info.fix}` };
    b.rule.defaultConfiguration = { level: "error" };
    run.addRule(b);
  }
  for (const f of r.findings) {
    if (f.status !== "fail" && f.status !== "cannot-verify") continue;
    const message = `${f.status === "cannot-verify" ? "Cannot verify: " : ""}${f.seen}. Fix: ${f.fix}`;
    const b = new SarifResultBuilder().initSimple({
      level: f.status === "fail" ? "error" : "warning",
      messageText: message,
      ruleId: f.check,
      ...(options.planFile ? { fileUri: artifactUri(options.planFile), startLine: 1 } : {}),
    });
    const name = f.database ? `${r.target.replace(/\/[^/]*$/, "")}/${f.database}` : r.target;
    const logical = {
      fullyQualifiedName: f.subject ? `${name}#${f.subject}` : name,
      name: f.subject ?? name,
      kind: f.subject ? "role" : "database",
    };
    if (b.result.locations && b.result.locations.length > 0)
      b.result.locations[0].logicalLocations = [logical];
    else b.result.locations = [{ logicalLocations: [logical] }];
    b.result.partialFingerprints = {
      "ztPostgresDbFinding/v1": createHash("sha256")
        .update(`${f.check}\0${logical.fullyQualifiedName}\0${f.seen}`)
        .digest("hex"),
    };
    b.result.properties = { status: f.status, ...(f.database ? { database: f.database } : {}) };
    run.addResult(b);
  }
  run.run.invocations = [{ executionSuccessful: true }];
  const builder = new SarifBuilder({
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
  });
  builder.addRun(run);
  return JSON.stringify(builder.buildSarifOutput(), null, 2) + "\n";
}
