// How a rule's "Unset means" and the sources of that default are worded wherever they are shown:
// docs/rules.md (scripts/gen-rules-doc.ts), `zt-postgres rules` (cli/rules-command.ts) and the help of
// each rule descriptor in the audit's SARIF (cli/audit/report-sarif.ts). Written once here so the three
// say the same thing. Pure: no Pulumi imports.

import type { Rule, UnsetSource } from "./types";

/** How each kind of unset-value source is named (sources read 2026-11-30). */
export const UNSET_SOURCE_LABEL: Record<UnsetSource["kind"], string> = {
  "api-spec": "Source, API spec (azure-rest-api-specs)",
  "provider-docs": "Source, provider (azure-native SDK or azurerm docs)",
  learn: "Source, Microsoft Learn",
  "not-set": "No documented default; treated as not set",
};

/** One source as a line: `Source, Microsoft Learn: https://learn.microsoft.com/… (…)`. */
export function unsetSourceLine(source: UnsetSource): string {
  return `${UNSET_SOURCE_LABEL[source.kind]}: ${source.ref}`;
}

/**
 * "Unset means: …" followed by one indented `  - <source>` line per source. Callers put their own
 * bullet (or none) before the first line; docs/rules.md writes `- Unset means: …`.
 */
export function unsetMeansLines(rule: Pick<Rule, "unsetMeans" | "unsetSource">): string[] {
  return [`Unset means: ${rule.unsetMeans}`, ...rule.unsetSource.map((s) => `  - ${unsetSourceLine(s)}`)];
}

/** The sources as data, each with the label above: the JSON of `zt-postgres rules` and the SARIF property bag. */
export function labelledUnsetSources(
  sources: readonly UnsetSource[],
): { kind: UnsetSource["kind"]; label: string; ref: string }[] {
  return sources.map((s) => ({ kind: s.kind, label: UNSET_SOURCE_LABEL[s.kind], ref: s.ref }));
}
