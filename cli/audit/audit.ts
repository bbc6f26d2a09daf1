// `zt-postgres audit`: runs the policy pack over an existing stack, offline, from its export file.
//
// The pack runs in its own process and is driven over the Analyzer protocol exactly as the engine
// drives it (cli/pack-client.ts): Configure with the policy pack config, Analyze on every resource,
// AnalyzeStack once on the whole stack. Resources stream from the file (read-export.ts) straight into
// Analyze calls, at most `concurrency` in flight; reading pauses while the pack catches up.
//
// Properties are the resources' *inputs* for both calls. The engine hands AnalyzeStack the outputs
// after an update, but inputs are what the rules are written against (an output set drops inputs such
// as a diagnostic setting's `resourceUri`), and keeping only one bag halves the memory of a large audit.

import type { PackAnalyzerInfo, PackClient, PackDiagnostic, PackResource } from "../pack-client";
import type { Rule } from "../../policies/rules/types";
import { collectSecretTexts, redactSecretTexts } from "../secret-text";
import { InputError, PackError } from "./errors";
import { StackRequestBuilder, type BytesPack } from "./stack-request";
import { precheck, readExport, type ExportResource, type ExportSummary } from "./read-export";

/**
 * What the audit needs of a pack client; tests wrap the real one to record what is sent. With
 * `analyzeStackBytes` (stack-request.ts) the stack is held as wire bytes instead of objects.
 */
export type AuditPack = Pick<
  PackClient,
  "getAnalyzerInfo" | "configure" | "analyze" | "analyzeStack" | "close"
> &
  Partial<BytesPack>;

/** The levels a finding can have: `disabled` policies report nothing. */
export type FindingLevel = "mandatory" | "remediate" | "advisory";

/** One violation, attached to a resource when the pack names one. */
export interface Finding {
  ruleId: string;
  level: FindingLevel;
  message: string;
  /** The resource's URN; undefined for a stack-wide finding that names no resource. */
  urn?: string;
  type?: string;
  name?: string;
  /** Which call reported it. */
  source: "resource" | "stack";
}

export interface AuditResult {
  /** The export file as the user named it. */
  file: string;
  export: ExportSummary;
  pack: PackAnalyzerInfo;
  /** In file order of their resources, stack-wide findings last; within a resource by rule id. */
  findings: Finding[];
  counts: { mandatory: number; remediate: number; advisory: number };
  /** How many audited resources have at least one finding. */
  resourcesWithFindings: number;
  /** True when nothing blocks: no mandatory (or remediate) finding. */
  passed: boolean;
  /** Analyze calls made (fewer than the resources when `analyzeTypes` is given). */
  analyzeCalls: number;
}

export interface ProgressEvent {
  phase: "reading" | "stack" | "done";
  /** Resources read and audited so far. */
  read: number;
  /** Analyze calls answered so far. */
  analyzed: number;
}

export interface AuditOptions {
  /** The `pulumi stack export` file. */
  file: string;
  /** The parsed `--policy-pack-config` file, if any. */
  policyPackConfig?: Record<string, unknown>;
  /** Starts the pack. The audit closes it. */
  startPack: () => Promise<AuditPack>;
  /** Analyze calls in flight at once. Defaults to 64. */
  concurrency?: number;
  /**
   * Only resources of these types go to Analyze (every resource still goes to AnalyzeStack). The pack
   * built from the catalogue ignores a type no resource rule lists (policies/pack.ts returns before
   * checking), so passing `analyzedTypes(RULES)` gives the same findings for fewer calls: about half of
   * a typical estate is networking, identities, workspaces and databases. Undefined: every resource.
   */
  analyzeTypes?: ReadonlySet<string>;
  /** Called as resources are read and analyzed; see progressPrinter(). */
  onProgress?: (event: ProgressEvent) => void;
}

/** True when a finding fails the audit. A remediate-level policy reports a stack it has not fixed. */
export const blocks = (level: FindingLevel): boolean => level === "mandatory" || level === "remediate";

/** Errors the pack client throws for a bad config (not a broken pack): exit code 2, not 3. */
const CONFIG_ERROR = /^(policy pack config|invalid enforcement level)/;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Runs the audit. Rejects with InputError for bad input and PackError when the pack fails. */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const concurrency = Math.max(1, options.concurrency ?? 64);
  // A missing, empty or UTF-16 file is refused before a pack process is spawned.
  precheck(options.file);

  // Start the pack while the file is read: a bad file fails fast, a good one waits at most once.
  const packStarting = options.startPack().catch((err: unknown) => {
    throw new PackError(`the policy pack did not start: ${firstLine(message(err))}`);
  });
  /** The pack once it is configured: Analyze never runs before Configure. */
  let pack: AuditPack | undefined;
  /** The pack once its process is up, configured or not: what `close()` is called on. */
  let started: AuditPack | undefined;
  let info: PackAnalyzerInfo | undefined;
  const ready = packStarting.then(async (p) => {
    started = p;
    useBytes = typeof p.analyzeStackBytes === "function";
    if (useBytes) stackResources.length = 0;
    else stackBytes.dispose();
    info = await p.getAnalyzerInfo().catch((err: unknown) => {
      throw new PackError(`the policy pack did not describe itself: ${firstLine(message(err))}`);
    });
    if (options.policyPackConfig !== undefined) {
      await p.configure(options.policyPackConfig).catch((err: unknown) => {
        const text = firstLine(message(err));
        throw CONFIG_ERROR.test(text)
          ? new InputError("bad-config", `--policy-pack-config: ${text}`)
          : new PackError(text);
      });
    }
    pack = p;
    return p;
  });
  // A rejection is handled where `ready` is awaited; this keeps a bad file's error from racing it.
  ready.catch(() => undefined);

  // The stack for AnalyzeStack: wire bytes when the pack takes them (bounded heap), else objects.
  const stackResources: PackResource[] = [];
  const stackBytes = new StackRequestBuilder();
  let useBytes: boolean | undefined;
  const byUrn = new Map<string, { index: number; type: string; name: string }>();
  const perResource: Finding[][] = [];
  let analyzed = 0;
  let analyzeCalls = 0;
  let inFlight = 0;
  let firstFailure: unknown;
  const slotWaiters: (() => void)[] = [];
  const idle: (() => void)[] = [];

  // Every text a plaintext secret could show as: the stack's, for stack findings (cli/secret-text.ts).
  const stackSecrets = new Set<string>();

  const analyzeOne = async (p: AuditPack, r: PackResource, index: number): Promise<void> => {
    try {
      const diagnostics = await p.analyze(r);
      // A resource rule sees only its resource, so its messages can only quote that resource's secrets.
      const found = hideSecrets(
        toFindings(diagnostics, "resource", r),
        collectSecretTexts(r.properties, new Set()),
      );
      if (found.length > 0) perResource[index] = found;
    } catch (err) {
      firstFailure ??= new PackError(`Analyze failed for ${r.urn}: ${firstLine(message(err))}`);
    } finally {
      analyzed++;
      inFlight--;
      options.onProgress?.({ phase: "reading", read: byUrn.size, analyzed });
      slotWaiters.shift()?.();
      if (inFlight === 0) idle.splice(0).forEach((resolve) => resolve());
    }
  };

  const onResource = (resource: ExportResource, index: number): Promise<void> | undefined => {
    const r = toPackResource(resource);
    collectSecretTexts(r.properties, stackSecrets);
    // Known once the pack is up; until then (the first resources) both are kept, and one is dropped.
    if (useBytes !== false) stackBytes.add(r);
    if (useBytes !== true) stackResources.push(r);
    byUrn.set(own(r.urn), { index, type: own(r.type), name: own(r.name) });
    options.onProgress?.({ phase: "reading", read: index + 1, analyzed });
    if (options.analyzeTypes !== undefined && !options.analyzeTypes.has(r.type)) {
      // No resource rule covers the type: the pack would return no diagnostic.
      analyzed++;
      return undefined;
    }
    if (firstFailure !== undefined) return Promise.reject(firstFailure);
    if (pack === undefined) {
      // Only the first resources wait for the pack to start; reading pauses meanwhile.
      return ready.then((p) => dispatch(p, r, index));
    }
    return dispatch(pack, r, index);
  };

  const dispatch = (p: AuditPack, r: PackResource, index: number): Promise<void> | undefined => {
    inFlight++;
    analyzeCalls++;
    void analyzeOne(p, r, index);
    // Below the limit reading goes on at once; at the limit it waits for a free slot.
    if (inFlight < concurrency) return undefined;
    return new Promise<void>((resolve) => slotWaiters.push(resolve));
  };

  let summary: ExportSummary;
  try {
    summary = await readExport(options.file, onResource);
    if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
    if (firstFailure !== undefined) throw firstFailure;
    const p = await ready;
    options.onProgress?.({ phase: "stack", read: summary.resources, analyzed });
    let stackDiagnostics: PackDiagnostic[];
    try {
      stackDiagnostics =
        p.analyzeStackBytes !== undefined
          ? await p.analyzeStackBytes(stackBytes.finish())
          : await p.analyzeStack(stackResources);
    } catch (err) {
      throw new PackError(`AnalyzeStack failed: ${firstLine(message(err))}`);
    }
    options.onProgress?.({ phase: "done", read: summary.resources, analyzed });

    const stackWide: Finding[] = [];
    for (const f of hideSecrets(toFindings(stackDiagnostics, "stack"), stackSecrets)) {
      const at = f.urn === undefined ? undefined : byUrn.get(f.urn);
      if (at === undefined) {
        stackWide.push(f);
      } else {
        f.type = at.type;
        f.name = at.name;
        (perResource[at.index] ??= []).push(f);
      }
    }
    const findings: Finding[] = [];
    let resourcesWithFindings = 0;
    for (const group of perResource) {
      if (group === undefined) continue;
      resourcesWithFindings++;
      findings.push(...group.sort(byRule));
    }
    findings.push(...stackWide.sort(byRule));
    const counts = { mandatory: 0, remediate: 0, advisory: 0 };
    for (const f of findings) counts[f.level]++;
    return {
      file: options.file,
      export: summary,
      pack: info as PackAnalyzerInfo,
      findings,
      counts,
      resourcesWithFindings,
      passed: counts.mandatory === 0 && counts.remediate === 0,
      analyzeCalls,
    };
  } finally {
    // Wait for stragglers so the pack is not closed under them, then close it (also after a failure).
    if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
    stackBytes.dispose();
    if (started !== undefined) {
      await started.close().catch(() => undefined);
    } else {
      // The input failed before the pack was up: do not wait for it, close it once it is.
      packStarting.then((p) => p.close()).catch(() => undefined);
    }
  }
}

/** Every type token some resource rule covers: the `analyzeTypes` for a pack built from `rules`. */
export function analyzedTypes(rules: readonly Rule[]): Set<string> {
  return new Set(rules.flatMap((r) => (r.kind === "resource" ? [...r.resourceTypes] : [])));
}

/** The resource as the pack receives it: inputs as properties (see the note at the top). */
export function toPackResource(r: ExportResource): PackResource {
  const out: PackResource = {
    urn: r.urn,
    type: r.type,
    name: r.name,
    properties: r.inputs,
    dependencies: r.dependencies,
  };
  if (r.id !== undefined) out.id = r.id;
  if (r.parent !== undefined) out.parent = r.parent;
  if (r.provider !== undefined) out.provider = r.provider;
  if (r.protect) out.protect = true;
  if (r.propertyDependencies !== undefined) out.propertyDependencies = r.propertyDependencies;
  return out;
}

/** The findings with every secret text in their messages replaced by "[secret]". */
function hideSecrets(findings: Finding[], secrets: ReadonlySet<string>): Finding[] {
  if (secrets.size > 0) for (const f of findings) f.message = redactSecretTexts(f.message, secrets);
  return findings;
}

function toFindings(
  diagnostics: PackDiagnostic[],
  source: Finding["source"],
  resource?: PackResource,
): Finding[] {
  const out: Finding[] = [];
  for (const d of diagnostics) {
    if (d.level === "disabled") continue;
    const f: Finding = { ruleId: d.policy, level: d.level, message: ownMessage(d), source };
    const urn = resource?.urn ?? (d.urn || undefined);
    if (urn !== undefined) f.urn = own(urn);
    if (resource !== undefined) {
      f.type = own(resource.type);
      f.name = own(resource.name);
    }
    out.push(f);
  }
  return out;
}

/** "can't run policy 'x' from policy pack 'p@v1' during preview: string value at .a.b can't be known during preview" */
const UNKNOWN_AT_PREVIEW =
  /^can't run policy '[^']*' from policy pack '[^']*' during preview: (\w+ value) at (\S+) can't be known during preview$/;

/**
 * The violation's own text. The policy SDK sends "<policy description>\n<message>"; our messages already
 * restate the rule, so the description line is dropped rather than printed twice.
 */
function ownMessage(d: PackDiagnostic): string {
  const unknown = UNKNOWN_AT_PREVIEW.exec(d.message);
  if (unknown) {
    // The SDK's words for a value unknown during preview (@pulumi/policy server.js). A stack export holds
    // no unknown values, only secrets whose ciphertext the audit cannot read (secrets.ts).
    return `not judged: the ${unknown[1]} at ${unknown[2]} is an encrypted secret in this export; export with \`pulumi stack export --show-secrets\` for the audit to judge it`;
  }
  const description = d.description?.trim();
  if (description && d.message.startsWith(description + "\n")) {
    const rest = d.message.slice(description.length + 1).trim();
    if (rest !== "") return rest;
  }
  return d.message.trim();
}

/**
 * A copy of a string that shares no memory with the file. Strings cut from the JSON parser's input
 * are slices that keep the whole decoded chunk alive; holding one URN per resource that way pins the
 * entire export in memory.
 */
function own(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}

const byRule = (a: Finding, b: Finding): number =>
  a.ruleId < b.ruleId
    ? -1
    : a.ruleId > b.ruleId
      ? 1
      : a.message < b.message
        ? -1
        : a.message > b.message
          ? 1
          : 0;

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
}

/**
 * Progress on stderr for stacks over 1,000 resources, deterministic rather than timed: a line when
 * the 1,001st resource is read, then every 5,000 resources, then one before AnalyzeStack.
 */
export function progressPrinter(write: (line: string) => void): (event: ProgressEvent) => void {
  let lastRead = 0;
  const fmt = (n: number): string => n.toLocaleString("en-US");
  return (event) => {
    if (event.phase === "reading") {
      if (event.read === lastRead) return;
      lastRead = event.read;
      if (event.read === 1001 || (event.read > 1000 && event.read % 5000 === 0)) {
        write(`audit: ${fmt(event.read)} resources read, ${fmt(event.analyzed)} analyzed`);
      }
    } else if (event.phase === "stack" && event.read > 1000) {
      write(`audit: ${fmt(event.read)} resources analyzed; running stack policies`);
    }
  };
}
