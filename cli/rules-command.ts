// `zt-postgres rules`: lists the zero-trust rule catalogue, as a table or as JSON.

import type { Rule } from "../policies/rules/types";
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
    references: r.references,
    helpUri: ruleHelpUri(r.id),
  }));
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
    `${rules.length} rules (${counts}). Details: zt-postgres rules --format json, or docs/rules.md.`,
  );
  return lines.join("\n") + "\n";
}
