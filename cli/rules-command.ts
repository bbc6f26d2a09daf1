// `zt-postgres rules [id..]`: lists the zero-trust rule catalogue, as a table or as JSON; with rule
// ids, the text shows each rule whole, with what an unset input means and where that default comes
// from, in the words docs/rules.md uses (policies/rules/unset-source.ts).

import type { Rule, UnsetSource } from "../policies/rules/types";
import { labelledUnsetSources, unsetMeansLines } from "../policies/rules/unset-source";
import { InputError } from "./audit/errors";
import { ruleHelpUri } from "./audit/tool";

export interface RuleListing {
  id: string;
  title: string;
  kind: "resource" | "stack";
  enforcementLevel: string;
  description: string;
  /** Type tokens a resource rule covers; empty for stack rules. */
  resourceTypes: string[];
  /** Config properties and their defaults, as `--policy-pack-config` takes them. */
  config: Record<string, { type: string; description: string; default?: unknown }>;
  remediation: string;
  unsetMeans: string;
  /** Where the default in `unsetMeans` comes from; `label` is the wording docs/rules.md uses. */
  unsetSource: { kind: UnsetSource["kind"]; label: string; ref: string }[];
  references: Rule["references"];
  helpUri: string;
}

export function ruleListing(rules: readonly Rule[]): RuleListing[] {
  return rules.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    enforcementLevel: r.enforcementLevel,
    description: r.description,
    resourceTypes: r.kind === "resource" ? [...r.resourceTypes] : [],
    config: Object.fromEntries(
      Object.entries(r.config).map(([k, p]) => [
        k,
        p.default === undefined
          ? { type: p.type, description: p.description }
          : { type: p.type, description: p.description, default: p.default },
      ]),
    ),
    remediation: r.remediation,
    unsetMeans: r.unsetMeans,
    unsetSource: labelledUnsetSources(r.unsetSource),
    references: r.references,
    helpUri: ruleHelpUri(r.id),
  }));
}

/**
 * The rules the command line names, in the order given (each once); every rule when none is named.
 * An id the catalogue lacks is bad input (exit 2), named with the command that lists the ids.
 */
export function selectRules(rules: readonly Rule[], ids: readonly string[]): Rule[] {
  if (ids.length === 0) return [...rules];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    const list = unknown.map((id) => JSON.stringify(id)).join(", ");
    throw new InputError(
      "usage",
      `rules: no rule ${list} in the catalogue; \`zt-postgres rules\` lists the ${rules.length} rule ids`,
    );
  }
  return [...new Set(ids)].map((id) => byId.get(id) as Rule);
}

export function formatRulesJson(rules: readonly Rule[]): string {
  return JSON.stringify(ruleListing(rules), null, 2) + "\n";
}

/** A table: id, default level, kind, title; then a count by level. */
export function formatRulesText(rules: readonly Rule[]): string {
  const idWidth = Math.max(2, ...rules.map((r) => r.id.length));
  const lines = [`${"ID".padEnd(idWidth)}  ${"LEVEL".padEnd(9)}  ${"KIND".padEnd(8)}  TITLE`];
  for (const r of rules) {
    lines.push(`${r.id.padEnd(idWidth)}  ${r.enforcementLevel.padEnd(9)}  ${r.kind.padEnd(8)}  ${r.title}`);
  }
  const byLevel = new Map<string, number>();
  for (const r of rules) byLevel.set(r.enforcementLevel, (byLevel.get(r.enforcementLevel) ?? 0) + 1);
  const counts = [...byLevel].map(([level, n]) => `${n} ${level}`).join(", ");
  lines.push(
    "",
    `${rules.length} rules (${counts}). One rule whole, with what unset means and its source: zt-postgres rules <id>.`,
    "All of them: zt-postgres rules --format json, or docs/rules.md.",
  );
  return lines.join("\n") + "\n";
}

/**
 * Each rule whole, in the shape of its section in docs/rules.md: title and description, level, kind,
 * what an unset input means with its sources, remediation, config defaults and the rule's page.
 */
export function formatRuleDetails(rules: readonly Rule[]): string {
  const blocks = rules.map((r) => {
    const [unsetMeans, ...sources] = unsetMeansLines(r);
    const lines = [r.id, "", `${r.title}. ${r.description}`, "", `- Default level: ${r.enforcementLevel}`];
    lines.push(
      r.kind === "resource"
        ? `- Resource types: ${r.resourceTypes.join(", ")}`
        : "- Kind: stack rule (runs once over all resources)",
    );
    if (r.waiver) lines.push(`- Waiver: ${r.waiver}: true`);
    lines.push(`- ${unsetMeans}`, ...sources, `- Remediation: ${r.remediation}`);
    for (const [key, p] of Object.entries(r.config)) {
      const dflt = p.default === undefined ? "" : ` (default ${JSON.stringify(p.default)})`;
      lines.push(`- Config ${key}: ${p.description}${dflt}`);
    }
    lines.push(`- Reference: ${ruleHelpUri(r.id)}`);
    return lines.join("\n");
  });
  return blocks.join("\n\n") + "\n";
}
