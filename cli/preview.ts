// The offline preview: `zt-postgres preview <project dir>` (and `npm run demo`).
//
// Runs the Pulumi program exactly as `pulumi preview` starts it, through Pulumi's own Node.js runner
// (`@pulumi/pulumi/cmd/run`) against a local stand-in of the engine's gRPC services (cli/program/),
// records what `pulumi preview` would show for every resource (URN, type, name, parent, the inputs the
// program gave with secrets as "[secret]", dependencies) and the stack's outputs, and then evaluates
// the policy pack over those resources through the pack's real gRPC Analyzer, as the engine does
// (cli/pack-eval.ts). The text form is cli/preview-render.ts.

import { evaluateWithPack } from "./pack-eval";
import { runProgram, type ProgramRun } from "./program/run";
import {
  SECRET_PLACEHOLDER,
  UNKNOWN_PLACEHOLDER,
  type PreviewResourceRecord,
  type PreviewResult,
} from "./preview-types";
import { STACK_TYPE, type Registration } from "./program/engine";
import {
  ARCHIVE_SIG,
  ASSET_SIG,
  OUTPUT_VALUE_SIG,
  RESOURCE_SIG,
  SECRET_SIG,
  SENTINEL_KINDS,
  SIG_KEY,
  secretValue,
  unknownValue,
  type PackResource,
} from "./wire-values";

export { evaluateWithPack, type EvaluateOptions, type PreviewDiagnostic } from "./pack-eval";
export { formatPreviewText } from "./preview-render";
export {
  SECRET_PLACEHOLDER,
  UNKNOWN_PLACEHOLDER,
  type PreviewResourceRecord,
  type PreviewResult,
} from "./preview-types";

export interface PreviewOptions {
  /** Only affects callers that print; kept for the CLI's `--json`. */
  json?: boolean;
  /** Evaluate the policy pack over the resources. Defaults to true. */
  withPolicies?: boolean;
  /** Stack name for URNs and config (`Pulumi.<stack>.yaml`). Defaults to `dev`. */
  stack?: string;
  /** Policy pack directory; defaults to the repo's `policies/`. */
  packDir?: string;
  /** Same JSON format as `pulumi --policy-pack-config`. */
  policyPackConfig?: Record<string, unknown>;
  /** Where the program's console output and the pack's logs go. Defaults to stderr; never stdout. */
  log?: (line: string) => void;
  /** Stop a program that has not finished after this many milliseconds (exit 2). */
  timeoutMs?: number;
}

/**
 * A request's wire value as displayed ("[secret]", "[unknown]") or as the engine hands it to an
 * analyzer: a secret with its value, wrapped in the secret signature (the engine marshals analyzer
 * properties with KeepSecrets true, and @pulumi/policy unwraps them), so a rule judges a secret
 * "Disabled" as "Disabled"; the pack's messages are cleared of secrets before they are kept
 * (cli/secret-text.ts, applied in cli/pack-eval.ts).
 */
function fromWire(v: unknown, forPack: boolean): unknown {
  if (typeof v === "string") {
    const kind = SENTINEL_KINDS.get(v);
    if (kind === undefined) return v;
    return forPack ? unknownValue(kind) : UNKNOWN_PLACEHOLDER;
  }
  if (Array.isArray(v)) return v.map((x) => fromWire(x, forPack));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    switch (o[SIG_KEY]) {
      case SECRET_SIG:
        return forPack ? secretValue(fromWire(o.value, true)) : SECRET_PLACEHOLDER;
      case OUTPUT_VALUE_SIG:
        if (o.secret === true) {
          if (!forPack) return SECRET_PLACEHOLDER;
          return "value" in o ? secretValue(fromWire(o.value, true)) : unknownValue();
        }
        return "value" in o ? fromWire(o.value, forPack) : forPack ? unknownValue() : UNKNOWN_PLACEHOLDER;
      case RESOURCE_SIG:
        return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
      case ASSET_SIG:
      case ARCHIVE_SIG:
        return o.path ?? o.uri ?? o.text ?? "[asset]";
      default: {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) out[k] = fromWire(x, forPack);
        return out;
      }
    }
  }
  return v;
}

/** What a program registered: the preview's records and the same resources as the engine would send them to a pack. */
export interface CollectedPreview {
  resources: PreviewResourceRecord[];
  /** Inputs as the engine sends them (secrets as secret values, unknowns as the sentinel, ids from the stand-in). */
  packResources: PackResource[];
  /** URNs of resources read with `.get()`: the engine analyzes them only as part of the stack. */
  readUrns: Set<string>;
  stackUrn: string;
  /** The stack's outputs, secrets as "[secret]". */
  outputs: Record<string, unknown>;
}

function toPackResource(c: Registration): PackResource {
  const r: PackResource = {
    urn: c.urn,
    type: c.type,
    name: c.name,
    properties: fromWire(c.wire, true) as Record<string, unknown>,
  };
  if (c.id) r.id = c.id;
  if (c.parent) r.parent = c.parent;
  if (c.dependencies.length) r.dependencies = c.dependencies;
  if (Object.keys(c.propertyDependencies).length) r.propertyDependencies = c.propertyDependencies;
  if (c.provider) r.provider = c.provider;
  if (c.protect) r.protect = true;
  return r;
}

function collected(run: ProgramRun): CollectedPreview {
  const done = run.registrations.filter((r) => !(r.type === STACK_TYPE && r.parent === undefined));
  // Key order matches the documented JSON: urn, type, name, parent, inputs, dependencies.
  const resources: PreviewResourceRecord[] = done.map((c) => ({
    urn: c.urn,
    type: c.type,
    name: c.name,
    ...(c.parent ? { parent: c.parent } : {}),
    inputs: fromWire(c.wire, false) as Record<string, unknown>,
    dependencies: c.dependencies,
  }));
  const stackUrn =
    run.stackUrn ??
    `urn:pulumi:${run.stack}::${run.project.name}::${STACK_TYPE}::${run.project.name}-${run.stack}`;
  return {
    resources,
    packResources: done.map(toPackResource),
    readUrns: new Set(done.filter((c) => c.read).map((c) => c.urn)),
    stackUrn,
    outputs: fromWire(run.stackOutputs ?? {}, false) as Record<string, unknown>,
  };
}

/** Runs the program through Pulumi's runner against the engine stand-in and records every registration. No policy pack. */
export async function collectPreview(
  projectDir: string,
  opts: Pick<PreviewOptions, "stack" | "log" | "timeoutMs"> = {},
): Promise<CollectedPreview> {
  const run = await runProgram(projectDir, { stack: opts.stack, log: opts.log, timeoutMs: opts.timeoutMs });
  return collected(run);
}

/** Runs the program and (unless disabled) the policy pack over its resources. */
export async function runPreview(projectDir: string, opts: PreviewOptions = {}): Promise<PreviewResult> {
  const c = await collectPreview(projectDir, opts);
  let diagnostics: PreviewResult["diagnostics"] = [];
  if (opts.withPolicies !== false) {
    diagnostics = await evaluateWithPack(c.packResources, {
      packDir: opts.packDir,
      policyPackConfig: opts.policyPackConfig,
      log: opts.log,
      stackUrn: c.stackUrn,
      readUrns: c.readUrns,
    });
  }
  return { resources: c.resources, diagnostics, outputs: c.outputs };
}
