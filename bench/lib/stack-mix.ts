// A realistic mix of resources for the pack benchmarks, as the engine would send them: whole
// zero-trust estates (resource group, network, DNS, workspace, identity, vault, key, server with its
// nine parameters, Entra admin, private endpoint, diagnostics, locks, Defender, database) from the
// audit tests' export builder, one estate in ten insecure, every estate with an admin-password secret.
//
// AnalyzeStack gets outputs (what the engine sends after a step); Analyze gets inputs.

import type { PackResource } from "../../cli/pack-client";
import { secretValue } from "../../cli/pack-client";
import {
  DEFAULT_CONTEXT,
  INSECURE,
  SECRET_SIG,
  SIG_KEY,
  estate,
  providerResource,
  secret,
  stackResource,
  type EstateOptions,
  type ExportResourceV3,
} from "../../tests/helpers/export-builder";

/** The same resources `writeLargeExport` writes for `n`: the stack, the provider, then estates. */
export function exportResources(n: number, insecureEvery = 10): ExportResourceV3[] {
  const ctx = DEFAULT_CONTEXT;
  const out: ExportResourceV3[] = [stackResource(ctx), providerResource(ctx)].slice(0, n);
  for (let i = 0; out.length < n; i++) {
    const opts: EstateOptions =
      insecureEvery > 0 && i % insecureEvery === insecureEvery - 1 ? { ...INSECURE } : {};
    opts.adminPassword = secret(`v1:bench-ciphertext-${i}`);
    for (const r of estate(ctx, i, opts)) {
      if (out.length >= n) break;
      out.push(r);
    }
  }
  return out;
}

/** Export secrets (signature + ciphertext) become secret values on the wire, as the engine sends them. */
function withSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withSecrets);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return secretValue("[secret]");
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = withSecrets(x);
    return out;
  }
  return v;
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function toPack(r: ExportResourceV3, properties: Record<string, unknown> | undefined): PackResource {
  const out: PackResource = {
    urn: r.urn,
    type: r.type,
    name: nameOf(r.urn),
    properties: withSecrets(properties ?? {}) as Record<string, unknown>,
  };
  if (r.id !== undefined) out.id = r.id;
  if (r.parent !== undefined) out.parent = r.parent;
  if (r.dependencies?.length) out.dependencies = r.dependencies;
  if (r.propertyDependencies) out.propertyDependencies = r.propertyDependencies;
  if (r.provider !== undefined) out.provider = r.provider;
  if (r.protect) out.protect = true;
  return out;
}

/** `n` resources as AnalyzeStack receives them (outputs, with ids, parents and dependencies). */
export function stackMix(n: number): PackResource[] {
  return exportResources(n).map((r) => toPack(r, r.outputs));
}

/** `n` custom resources (no stack, no providers) as Analyze receives them during a preview (inputs). */
export function analyzeMix(n: number): PackResource[] {
  const out: PackResource[] = [];
  for (let size = n + 2; out.length < n; size *= 2) {
    out.length = 0;
    for (const r of exportResources(size)) {
      if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
      if (out.length < n) out.push(toPack(r, r.inputs));
    }
  }
  return out;
}

/** Resource counts by type, for the report. */
export function typeCounts(rs: readonly PackResource[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}
