// SARIF 2.1.0 for GitHub code scanning, built with node-sarif-builder.
//
// - tool.driver: name, version, informationUri, and one rule per catalogue entry (plus any policy the
//   pack reports that the catalogue lacks): id, a PascalCase name, short and full descriptions, help
//   (text and Markdown: remediation, what unset means and where that default comes from, config,
//   references) and a helpUri into docs/rules.md. The rule's `properties` bag also carries `unsetMeans`
//   and `unsetSource` as data: SARIF 2.1.0 §3.8 lets every object carry a property bag of arbitrary
//   camelCase names and any JSON values
//   (https://docs.oasis-open.org/sarif/sarif/v2.1.0/, sarif-v2.1.0-os §3.8 "Property bags", read 2026-11-30).
// - results: ruleId, level (`error` for mandatory and remediate, `warning` for advisory), the message,
//   and a location. The resource's URN is the logical location (kind `resource`). GitHub refuses a
//   result without a physical location, so each also points at the export file, at the line of the
//   resource's `"urn"` (line 1 when the export is minified or the finding is stack-wide).
// - partialFingerprints hash the rule id and the URN, so an alert survives a re-export that moves lines.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { pathToFileURL } from "node:url";

import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";
import type { Log, ReportingConfiguration, Result } from "sarif";

import type { Rule } from "../../policies/rules/types";
import { labelledUnsetSources, unsetMeansLines, unsetSourceLine } from "../../policies/rules/unset-source";
import { blocks, type AuditResult, type FindingLevel } from "./audit";
import { REPOSITORY_URL, TOOL_NAME, ruleHelpUri, toolVersion } from "./tool";

/** The catalogue fields a SARIF rule is built from. */
export type CatalogueRule = Pick<
  Rule,
  | "id"
  | "title"
  | "description"
  | "enforcementLevel"
  | "config"
  | "remediation"
  | "references"
  | "unsetMeans"
  | "unsetSource"
>;

export interface SarifOptions {
  /** The rule catalogue (policies/rules). */
  catalogue: readonly CatalogueRule[];
  /** Line of each URN in the export; see locateUrns(). Missing URNs point at line 1. */
  lines?: ReadonlyMap<string, number>;
  /** The directory the artifact URI is relative to (GitHub resolves it from the repository root). Defaults to cwd. */
  baseDir?: string;
}

const FINGERPRINT = "ztPostgresFinding/v1";

/** SARIF level of a finding. */
export function sarifLevel(level: FindingLevel): Result.level {
  return blocks(level) ? "error" : "warning";
}

function defaultLevel(level: string): ReportingConfiguration.level {
  if (level === "mandatory" || level === "remediate") return "error";
  if (level === "advisory") return "warning";
  return "none";
}

/** `postgres-no-public-network-access` → `PostgresNoPublicNetworkAccess`. */
export function pascalName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

const AZURE_POLICY_URL = (guid: string): string =>
  `https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F${guid}`;

/** The help text of a rule, as plain text and as Markdown. */
export function ruleHelp(rule: CatalogueRule): { text: string; markdown: string } {
  const refs: { text: string; md: string }[] = [
    { text: `Seed: ${rule.references.seed}`, md: `Seed: ${rule.references.seed}` },
  ];
  const r = rule.references;
  if (r.azurePolicyId) {
    refs.push({
      text: `Azure Policy: ${r.azurePolicyId}`,
      md: `Azure Policy: [${r.azurePolicyId}](${AZURE_POLICY_URL(r.azurePolicyId)})`,
    });
  }
  if (r.cis) refs.push({ text: `CIS: ${r.cis}`, md: `CIS: ${r.cis}` });
  if (r.mcsb)
    refs.push({
      text: `Microsoft cloud security benchmark: ${r.mcsb}`,
      md: `Microsoft cloud security benchmark: ${r.mcsb}`,
    });
  for (const link of r.links ?? []) refs.push({ text: link, md: `<${link}>` });
  const config = Object.entries(rule.config).map(([key, p]) => {
    const dflt = p.default === undefined ? "" : ` (default ${JSON.stringify(p.default)})`;
    return { text: `${key}: ${p.description}${dflt}`, md: `\`${key}\`: ${p.description}${dflt}` };
  });
  const level = `Default enforcement: ${rule.enforcementLevel}.`;
  const text = [
    rule.description,
    "",
    `Remediation: ${rule.remediation}`,
    "",
    ...unsetMeansLines(rule),
    "",
    level,
    ...(config.length
      ? ["", "Configuration (--policy-pack-config):", ...config.map((c) => `  ${c.text}`)]
      : []),
    "",
    "References:",
    ...refs.map((x) => `  ${x.text}`),
    "",
    `Documentation: ${ruleHelpUri(rule.id)}`,
  ].join("\n");
  const markdown = [
    `**${rule.title}**`,
    "",
    rule.description,
    "",
    "### Remediation",
    "",
    rule.remediation,
    "",
    "### Unset means",
    "",
    rule.unsetMeans,
    "",
    ...rule.unsetSource.map((s) => `- ${unsetSourceLine(s)}`),
    "",
    level,
    ...(config.length ? ["", "### Configuration", "", ...config.map((c) => `- ${c.md}`)] : []),
    "",
    "### References",
    "",
    ...refs.map((x) => `- ${x.md}`),
    "",
    `[Rule reference](${ruleHelpUri(rule.id)})`,
  ].join("\n");
  return { text, markdown };
}

/** The export file as an artifact URI: relative to `baseDir` when inside it, else a file: URI. */
export function artifactUri(file: string, baseDir: string = process.cwd()): string {
  const abs = path.resolve(file);
  const rel = path.relative(baseDir, abs);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return pathToFileURL(abs).href;
  return rel.split(path.sep).map(encodeURIComponent).join("/");
}

export function sarifLog(result: AuditResult, options: SarifOptions): Log {
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: TOOL_NAME,
    toolDriverVersion: toolVersion(),
    url: REPOSITORY_URL,
  });
  run.run.tool.driver.semanticVersion = toolVersion();

  const known = new Set<string>();
  const packLevels = new Map(result.pack.policies.map((p) => [p.name, p.enforcementLevel]));
  const addRule = (id: string, build: (b: SarifRuleBuilder) => void): void => {
    if (known.has(id)) return;
    known.add(id);
    const b = new SarifRuleBuilder();
    build(b);
    run.addRule(b);
  };
  for (const rule of options.catalogue) {
    addRule(rule.id, (b) => {
      const level = packLevels.get(rule.id) ?? rule.enforcementLevel;
      b.initSimple({
        ruleId: rule.id,
        shortDescriptionText: rule.title,
        fullDescriptionText: rule.description,
        helpUri: ruleHelpUri(rule.id),
      });
      b.rule.name = pascalName(rule.id);
      b.rule.help = ruleHelp(rule);
      b.rule.defaultConfiguration = { level: defaultLevel(level) };
      b.rule.properties = {
        ...ruleProperties(level),
        unsetMeans: rule.unsetMeans,
        unsetSource: labelledUnsetSources(rule.unsetSource),
      };
    });
  }
  // A policy the pack runs but the catalogue lacks still gets a descriptor, so every result resolves.
  const policies = new Map(result.pack.policies.map((p) => [p.name, p]));
  for (const id of new Set([...policies.keys(), ...result.findings.map((f) => f.ruleId)])) {
    const p = policies.get(id);
    addRule(id, (b) => {
      const description = p?.description || id;
      b.initSimple({ ruleId: id, shortDescriptionText: description, fullDescriptionText: description });
      b.rule.name = pascalName(id);
      b.rule.defaultConfiguration = { level: defaultLevel(p?.enforcementLevel ?? "advisory") };
      b.rule.properties = ruleProperties(p?.enforcementLevel ?? "advisory");
    });
  }

  const uri = artifactUri(result.file, options.baseDir);
  const stackName = `${result.export.project ?? "project"}/${result.export.stack ?? "stack"}`;
  for (const f of result.findings) {
    const r = new SarifResultBuilder().initSimple({
      level: sarifLevel(f.level),
      messageText: f.message,
      ruleId: f.ruleId,
      fileUri: uri,
      startLine: (f.urn !== undefined ? options.lines?.get(f.urn) : undefined) ?? 1,
    });
    r.result.locations![0].logicalLocations = [
      f.urn !== undefined
        ? { fullyQualifiedName: f.urn, name: f.name ?? f.urn, kind: "resource" }
        : { fullyQualifiedName: stackName, name: stackName, kind: "module" },
    ];
    r.result.partialFingerprints = {
      [FINGERPRINT]: createHash("sha256")
        .update(`${f.ruleId}\0${f.urn ?? stackName}\0${f.urn === undefined ? f.message : ""}`)
        .digest("hex"),
    };
    run.addResult(r);
  }
  run.run.invocations = [{ executionSuccessful: true }];
  run.run.columnKind = "utf16CodeUnits";

  const builder = new SarifBuilder({
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
  });
  builder.addRun(run);
  return builder.buildSarifOutput();
}

function ruleProperties(level: string): Record<string, unknown> {
  return {
    tags: ["security", "zero-trust", "azure", "postgresql", "pulumi"],
    // GitHub ranks security alerts by this score: mandatory rules as high, advisory ones as medium.
    "security-severity": level === "mandatory" || level === "remediate" ? "8.0" : "5.0",
    precision: "very-high",
    "problem.severity": level === "mandatory" || level === "remediate" ? "error" : "warning",
  };
}

export function formatSarif(result: AuditResult, options: SarifOptions): string {
  return JSON.stringify(sarifLog(result, options), null, 2) + "\n";
}

/**
 * Finds the line of each wanted URN's `"urn": "…"` member in the export (the pretty-printed form that
 * `pulumi stack export` writes). Streams the file and stops once every URN is found.
 */
export async function locateUrns(file: string, urns: ReadonlySet<string>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (urns.size === 0) return found;
  const input = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const member = /^\s*"urn"\s*:\s*("(?:[^"\\]|\\.)*")/;
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      const m = member.exec(line);
      if (m === null) continue;
      let urn: unknown;
      try {
        urn = JSON.parse(m[1]);
      } catch {
        continue;
      }
      if (typeof urn === "string" && urns.has(urn) && !found.has(urn)) {
        found.set(urn, n);
        if (found.size === urns.size) break;
      }
    }
  } finally {
    lines.close();
    input.destroy();
  }
  return found;
}
