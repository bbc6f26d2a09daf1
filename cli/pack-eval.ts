// Evaluates the policy pack over a preview's resources exactly as the engine does during
// `pulumi preview --policy-pack`: `Analyze` on each resource's inputs, then `AnalyzeStack` over all.

import { startPack, type PackClient, type PackDiagnostic } from "./pack-client";
import { collectSecretTexts, redactSecretTexts } from "./secret-text";
import { escapeControl } from "./text";
import type { PackResource } from "./wire-values";

export interface PreviewDiagnostic {
  policy: string;
  level: "advisory" | "mandatory" | "remediate" | "disabled";
  message: string;
  urn: string;
}

const ANALYZE_CONCURRENCY = 8;

export interface EvaluateOptions {
  /** Reuse a running pack (it is left running); otherwise one is started and closed. */
  pack?: PackClient;
  packDir?: string;
  policyPackConfig?: Record<string, unknown>;
  log?: (line: string) => void;
  /** URN that stack-level diagnostics without a resource are attributed to. */
  stackUrn?: string;
  /** Resources not to Analyze one by one (reads); they still go to AnalyzeStack. */
  readUrns?: ReadonlySet<string>;
}

/**
 * Evaluates the pack over resources exactly as the engine does during a preview: `Analyze` on each
 * resource's inputs in registration order, then `AnalyzeStack` over all of them.
 */
export async function evaluateWithPack(
  resources: PackResource[],
  o: EvaluateOptions = {},
): Promise<PreviewDiagnostic[]> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const pack =
    o.pack ??
    (await startPack({
      packDir: o.packDir,
      onLog: (sev, msg) => log(`[policy pack ${sev}] ${escapeControl(msg)}`),
    }));
  try {
    if (o.policyPackConfig) await pack.configure(o.policyPackConfig);
    const out: PreviewDiagnostic[] = [];
    // Secrets reach the pack with their values, as the engine sends them; no message keeps one
    // (cli/secret-text.ts). A resource rule can quote only its resource's secrets, a stack rule any.
    const stackSecrets = new Set<string>();
    const secretsOf = new Map<string, Set<string>>();
    for (const r of resources) {
      const own = collectSecretTexts(r.properties, new Set());
      if (own.size === 0) continue;
      secretsOf.set(r.urn, own);
      for (const t of own) stackSecrets.add(t);
    }
    const add = (d: PackDiagnostic, urn: string, secrets: ReadonlySet<string> | undefined) =>
      out.push({
        policy: d.policy,
        level: d.level,
        message: secrets ? redactSecretTexts(d.message, secrets) : d.message,
        urn: d.urn || urn,
      });
    // The engine analyzes resources as their steps run, many at once; keep a bounded number of calls in
    // flight and report in registration order.
    const analyzed = resources.filter((r) => !o.readUrns?.has(r.urn));
    const perResource: PackDiagnostic[][] = new Array(analyzed.length);
    let next = 0;
    const worker = async () => {
      while (next < analyzed.length) {
        const i = next++;
        perResource[i] = await pack.analyze(analyzed[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ANALYZE_CONCURRENCY, analyzed.length) }, worker));
    analyzed.forEach((r, i) => perResource[i].forEach((d) => add(d, r.urn, secretsOf.get(r.urn))));
    const fallback = o.stackUrn ?? "urn:pulumi:stack::project::pulumi:pulumi:Stack::project-stack";
    for (const d of await pack.analyzeStack(resources)) add(d, fallback, stackSecrets);
    return out;
  } finally {
    if (!o.pack) await pack.close();
  }
}
