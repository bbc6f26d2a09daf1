// A client for the CrossGuard policy pack that speaks the engine's own protocol.
//
// `pulumi preview --policy-pack policies` starts the pack as a plugin: it runs
// `node <node_modules>/@pulumi/pulumi/cmd/run-policy-pack <engine-address> .` with the pack directory as
// the working directory, reads the port the pack prints on stdout, and calls the pack's gRPC `Analyzer`
// service. This module does exactly that, so the offline preview, `zt-postgres audit`, the benchmarks and
// the engine-protocol tests exercise the pack the way the Pulumi CLI does, with no CLI installed.
//
// The engine side is a stub of `pulumirpc.Engine` that accepts `Log` calls (the pack's `log.*` goes there).

import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";

import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";

import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "./pack-wire";
import {
  SECRET_SIG,
  SENTINEL_KINDS,
  SIG_KEY,
  SecretValue,
  UNKNOWN_SENTINELS,
  UnknownValue,
  unknownValue,
  type PackResource,
} from "./wire-values";

// The markers and the resource shape live in wire-values.ts (shared with pack-wire.ts without an
// import cycle); they are re-exported here, where callers (tests, bench) have always found them.
export {
  SecretValue,
  UNKNOWN,
  UNKNOWN_SENTINELS,
  UnknownValue,
  secretValue,
  unknownValue,
  type PackResource,
  type UnknownKind,
} from "./wire-values";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PackDiagnostic {
  policy: string;
  level: EnforcementLevel;
  message: string;
  urn?: string;
  description?: string;
  packName?: string;
}

export interface PackPolicyInfo {
  name: string;
  description: string;
  enforcementLevel: string;
  /** `{ properties, required? }`, as the pack declares it. */
  configSchema?: unknown;
}

export interface PackAnalyzerInfo {
  name: string;
  version: string;
  policies: PackPolicyInfo[];
}

export interface PackRemediation {
  policy: string;
  properties?: Record<string, unknown>;
  diagnostic?: string;
}

export interface PackClient {
  port: number;
  pid: number;
  getAnalyzerInfo(): Promise<PackAnalyzerInfo>;
  /** Same JSON format as `pulumi --policy-pack-config`: `{ "all": "advisory", "rule": "mandatory", "rule2": { "enforcementLevel": …, prop: … } }`. */
  configure(policyPackConfig: Record<string, unknown>): Promise<void>;
  analyze(r: PackResource): Promise<PackDiagnostic[]>;
  analyzeStack(rs: PackResource[]): Promise<PackDiagnostic[]>;
  remediate(r: PackResource): Promise<PackRemediation[]>;
  close(): Promise<void>;
}

export type LogHandler = (severity: string, message: string) => void;

export interface StartPackOptions {
  /** The pack directory (holds PulumiPolicy.yaml and package.json). Defaults to `<repo>/policies`. */
  packDir?: string;
  /** Receives the pack's engine `Log` calls and its stderr lines (severity `stderr`). */
  onLog?: LogHandler;
  /** How long to wait for the pack to print its port. Defaults to 60 s. */
  startTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------
// Property encoding: JSON → google.protobuf.Struct with the engine's sentinels.
// ---------------------------------------------------------------------------------------------------

/** Turns markers into the wire form. Drops `undefined` object members, as the engine does. */
export function encodeValue(v: unknown): structPb.JavaScriptValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof UnknownValue) return UNKNOWN_SENTINELS[v.kind];
  if (v instanceof SecretValue) return { [SIG_KEY]: SECRET_SIG, value: encodeValue(v.value) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    const out: { [k: string]: structPb.JavaScriptValue } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined) out[k] = encodeValue(x);
    }
    return out;
  }
  return String(v);
}

/** Wire form back to markers: sentinels → `UnknownValue`, secret signatures → `SecretValue`. */
export function decodeValue(v: unknown): unknown {
  if (typeof v === "string") {
    const kind = SENTINEL_KINDS.get(v);
    return kind === undefined ? v : unknownValue(kind);
  }
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return new SecretValue(decodeValue(o.value));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x);
    return out;
  }
  return v;
}

export function toStruct(props: Record<string, unknown>): structPb.Struct {
  return structPb.Struct.fromJavaScript(
    encodeValue(props ?? {}) as { [k: string]: structPb.JavaScriptValue },
  );
}

// ---------------------------------------------------------------------------------------------------
// Enforcement levels.
// ---------------------------------------------------------------------------------------------------

export function levelFromProto(l: analyzerPb.EnforcementLevel): EnforcementLevel {
  switch (l) {
    case analyzerPb.EnforcementLevel.ADVISORY:
      return "advisory";
    case analyzerPb.EnforcementLevel.MANDATORY:
      return "mandatory";
    case analyzerPb.EnforcementLevel.REMEDIATE:
      return "remediate";
    case analyzerPb.EnforcementLevel.DISABLED:
      return "disabled";
    default:
      throw new Error(`unknown enforcement level ${String(l)} from the policy pack`);
  }
}

export function levelToProto(l: string): analyzerPb.EnforcementLevel {
  switch (l) {
    case "advisory":
      return analyzerPb.EnforcementLevel.ADVISORY;
    case "mandatory":
      return analyzerPb.EnforcementLevel.MANDATORY;
    case "remediate":
      return analyzerPb.EnforcementLevel.REMEDIATE;
    case "disabled":
      return analyzerPb.EnforcementLevel.DISABLED;
    default:
      throw new Error(
        `invalid enforcement level "${l}": use one of "advisory", "mandatory", "remediate", "disabled"`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// Locating the repo, the pack and run-policy-pack.
// ---------------------------------------------------------------------------------------------------

/** The repository root: the nearest ancestor of this file with `policies/package.json` (works from cli/ and dist/cli/). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (
      fs.existsSync(path.join(dir, "policies", "package.json")) ||
      fs.existsSync(path.join(dir, "policies", "PulumiPolicy.yaml"))
    ) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, "..");
    dir = up;
  }
}

/** The run-policy-pack entry the Pulumi CLI's `pulumi-analyzer-policy` plugin runs. */
export function runPolicyPackPath(): string {
  return path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
}

// ---------------------------------------------------------------------------------------------------
// The engine stub.
// ---------------------------------------------------------------------------------------------------

const LOG_SEVERITY: Record<number, string> = {
  [enginePb.LogSeverity.DEBUG]: "debug",
  [enginePb.LogSeverity.INFO]: "info",
  [enginePb.LogSeverity.WARNING]: "warning",
  [enginePb.LogSeverity.ERROR]: "error",
};

/** Starts a `pulumirpc.Engine` stub on 127.0.0.1 that forwards `Log` calls to `onLog`. */
export async function startEngineStub(
  onLog?: LogHandler,
): Promise<{ address: string; close(): Promise<void> }> {
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<never>) =>
    cb({ code: grpc.status.UNIMPLEMENTED, details: "not implemented by the offline engine stub" });
  server.addService(engineGrpc.EngineService, {
    log(
      call: grpc.ServerUnaryCall<enginePb.LogRequest, emptyPb.Empty>,
      cb: grpc.sendUnaryData<emptyPb.Empty>,
    ) {
      onLog?.(LOG_SEVERITY[call.request.getSeverity()] ?? "info", call.request.getMessage());
      cb(null, new emptyPb.Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion(_call: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) {
      cb(null, new emptyPb.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  let closed = false;
  return {
    address: `127.0.0.1:${port}`,
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Child-process hygiene: a pack never outlives its parent.
// ---------------------------------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllSync(): void {
  for (const c of liveChildren) {
    try {
      c.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllSync);
  // A signal's default action skips "exit" handlers: kill the packs, then re-raise the signal so the
  // process still dies the way it would have (unless someone else handles it).
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      killAllSync();
      process.removeListener(sig, handler);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

// ---------------------------------------------------------------------------------------------------
// The pack client.
// ---------------------------------------------------------------------------------------------------

/** 1 GiB: AnalyzeStack over 100k resources is far above gRPC's 4 MiB default. The pack itself accepts 400 MiB. */
const MAX_MESSAGE = 1024 * 1024 * 1024;

function unary<Req, Res>(
  fn: (
    req: Req,
    md: grpc.Metadata,
    opts: Partial<grpc.CallOptions>,
    cb: (e: grpc.ServiceError | null, r: Res) => void,
  ) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    fn(req, new grpc.Metadata(), {}, (err, res) => (err ? reject(packError(err)) : resolve(res)));
  });
}

function unavailable(): grpc.ServiceError {
  return Object.assign(new Error("no response"), {
    code: grpc.status.UNKNOWN,
    details: "no response",
    metadata: new grpc.Metadata(),
  });
}

function packError(err: grpc.ServiceError): Error {
  const e = new Error(`policy pack: ${err.details || err.message}`);
  (e as Error & { code?: number }).code = err.code;
  return e;
}

function providerFromRef(ref: string): analyzerPb.AnalyzerProviderResource {
  // A provider reference is `<urn>::<id>`; the URN's last two `::` segments are the type and the name.
  const idx = ref.lastIndexOf("::");
  const urn =
    idx > 0 && ref.startsWith("urn:") && ref.slice(0, idx).split("::").length >= 4 ? ref.slice(0, idx) : ref;
  const parts = urn.split("::");
  const p = new analyzerPb.AnalyzerProviderResource();
  p.setUrn(urn);
  p.setType((parts[2] ?? "").split("$").pop() ?? "");
  p.setName(parts[3] ?? "");
  p.setProperties(new structPb.Struct());
  return p;
}

function resourceOptions(r: PackResource): analyzerPb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect === true);
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** The Analyze/Remediate request built with the generated classes: the reference for cli/pack-wire.ts. */
export function analyzeRequest(r: PackResource): analyzerPb.AnalyzeRequest {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType(r.type);
  req.setUrn(r.urn);
  req.setName(r.name);
  req.setProperties(toStruct(r.properties));
  req.setOptions(resourceOptions(r));
  if (r.provider) req.setProvider(providerFromRef(r.provider));
  return req;
}

/** The same request built with the generated classes; kept as the reference the wire encoder is tested against. */
export function analyzerResource(r: PackResource): analyzerPb.AnalyzerResource {
  const a = new analyzerPb.AnalyzerResource();
  a.setType(r.type);
  a.setUrn(r.urn);
  a.setName(r.name);
  // AnalyzerResource has no id field: the engine's outputs carry it as the `id` property, so do the same.
  const props =
    r.id !== undefined && !("id" in (r.properties ?? {})) ? { ...r.properties, id: r.id } : r.properties;
  a.setProperties(toStruct(props));
  a.setOptions(resourceOptions(r));
  if (r.provider) a.setProvider(providerFromRef(r.provider));
  if (r.parent) a.setParent(r.parent);
  if (r.dependencies?.length) a.setDependenciesList(r.dependencies);
  if (r.propertyDependencies) {
    const m = a.getPropertydependenciesMap();
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
      const d = new analyzerPb.AnalyzerPropertyDependencies();
      d.setUrnsList(urns);
      m.set(k, d);
    }
  }
  return a;
}

/** The diagnostics of an Analyze or AnalyzeStack response, as plain objects. */
export function diagnostics(res: analyzerPb.AnalyzeResponse): PackDiagnostic[] {
  return res.getDiagnosticsList().map((d) => {
    const out: PackDiagnostic = {
      policy: d.getPolicyname(),
      level: levelFromProto(d.getEnforcementlevel()),
      message: d.getMessage(),
    };
    if (d.getUrn()) out.urn = d.getUrn();
    if (d.getDescription()) out.description = d.getDescription();
    if (d.getPolicypackname()) out.packName = d.getPolicypackname();
    return out;
  });
}

interface SchemaProperty {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: SchemaProperty;
}

interface SchemaLike {
  properties?: Record<string, SchemaProperty>;
  required?: string[];
}

/**
 * The subset of JSON Schema the engine checks a policy's config against before `Configure`
 * (type, enum, minimum, maximum, array items). Returns what is wrong, or undefined.
 */
export function schemaMismatch(schema: SchemaProperty | undefined, v: unknown): string | undefined {
  if (!schema || typeof schema !== "object") return undefined;
  const show = JSON.stringify(v);
  switch (schema.type) {
    case "string":
      if (typeof v !== "string") return `expected a string, got ${show}`;
      break;
    case "boolean":
      if (typeof v !== "boolean") return `expected true or false, got ${show}`;
      break;
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) return `expected a number, got ${show}`;
      break;
    case "integer":
      if (typeof v !== "number" || !Number.isInteger(v)) return `expected an integer, got ${show}`;
      break;
    case "array":
      if (!Array.isArray(v)) return `expected an array, got ${show}`;
      for (const [i, x] of v.entries()) {
        const inner = schemaMismatch(schema.items, x);
        if (inner) return `item ${i}: ${inner}`;
      }
      break;
    default:
      break;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === v)) {
    return `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${show}`;
  }
  if (typeof v === "number" && typeof schema.minimum === "number" && v < schema.minimum) {
    return `must be at least ${schema.minimum}, got ${v}`;
  }
  if (typeof v === "number" && typeof schema.maximum === "number" && v > schema.maximum) {
    return `must be at most ${schema.maximum}, got ${v}`;
  }
  return undefined;
}

/**
 * Starts the pack the way the Pulumi CLI does and connects to its Analyzer service.
 * `close()` kills the process; a pack is also killed when this process exits.
 */
export async function startPack(opts: StartPackOptions = {}): Promise<PackClient> {
  const packDir = path.resolve(opts.packDir ?? path.join(repoRoot(), "policies"));
  if (!fs.existsSync(packDir)) throw new Error(`policy pack directory not found: ${packDir}`);
  const onLog = opts.onLog;
  const engine = await startEngineStub(onLog);

  installExitHooks();
  const child = spawn(process.execPath, [runPolicyPackPath(), engine.address, "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: process.env,
  });
  liveChildren.add(child);
  // Neither the child nor its pipes keep this process alive; the exit hook kills the child.
  child.unref();

  const stderrTail: string[] = [];
  const errLines = readline.createInterface({ input: child.stderr! });
  errLines.on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
    onLog?.("stderr", line);
  });

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      liveChildren.delete(child);
      resolve();
    }),
  );

  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const outLines = readline.createInterface({ input: child.stdout! });
      let got = false;
      const timer = setTimeout(
        () => reject(new Error(`policy pack in ${packDir} did not print its port within ${timeoutMs} ms`)),
        timeoutMs,
      );
      outLines.on("line", (line) => {
        if (got) {
          onLog?.("stdout", line);
          return;
        }
        const m = /^\s*(\d+)\s*$/.exec(line);
        if (m) {
          got = true;
          clearTimeout(timer);
          resolve(Number(m[1]));
        } else {
          onLog?.("stdout", line);
        }
      });
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        // Let the stderr reader drain before reporting.
        setImmediate(() =>
          reject(
            new Error(
              `policy pack in ${packDir} exited (${signal ?? `code ${code}`}) before printing its port` +
                (stderrTail.length ? `:\n${stderrTail.join("\n")}` : ""),
            ),
          ),
        );
      });
    });
  } catch (e) {
    child.kill("SIGKILL");
    await engine.close();
    throw e;
  }
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();

  const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": MAX_MESSAGE,
    "grpc.max_receive_message_length": MAX_MESSAGE,
  });

  /** A unary call with a request already encoded by cli/pack-wire.ts. */
  const raw = <Res>(method: string, bytes: Buffer, decode: (b: Uint8Array) => Res): Promise<Res> =>
    new Promise<Res>((resolve, reject) =>
      client.makeUnaryRequest(
        `/pulumirpc.Analyzer/${method}`,
        (b: Buffer) => b,
        (b: Buffer) => decode(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
        bytes,
        new grpc.Metadata(),
        {},
        (err, r) => (err || r === undefined ? reject(packError(err ?? unavailable())) : resolve(r)),
      ),
    );

  let infoCache:
    | {
        info: PackAnalyzerInfo;
        initialConfig: Map<string, { level?: string; properties?: Record<string, unknown> }>;
      }
    | undefined;

  async function loadInfo() {
    if (infoCache) return infoCache;
    const ai = await unary<emptyPb.Empty, analyzerPb.AnalyzerInfo>(
      client.getAnalyzerInfo.bind(client),
      new emptyPb.Empty(),
    );
    const policies: PackPolicyInfo[] = ai.getPoliciesList().map((p) => {
      const info: PackPolicyInfo = {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: levelFromProto(p.getEnforcementlevel()),
      };
      const schema = p.getConfigschema();
      if (schema) {
        const s: SchemaLike = {
          properties: (schema.getProperties()?.toJavaScript() ?? {}) as SchemaLike["properties"],
        };
        if (schema.getRequiredList().length) s.required = schema.getRequiredList();
        info.configSchema = s;
      }
      return info;
    });
    const initialConfig = new Map<string, { level?: string; properties?: Record<string, unknown> }>();
    ai.getInitialconfigMap().forEach((c, k) => {
      initialConfig.set(k, {
        level: levelFromProto(c.getEnforcementlevel()),
        properties: (c.getProperties()?.toJavaScript() ?? undefined) as Record<string, unknown> | undefined,
      });
    });
    infoCache = { info: { name: ai.getName(), version: ai.getVersion(), policies }, initialConfig };
    return infoCache;
  }

  let closed = false;
  const pack: PackClient = {
    port,
    pid: child.pid ?? -1,

    async getAnalyzerInfo() {
      return (await loadInfo()).info;
    },

    async configure(policyPackConfig) {
      // Mirror the engine: resolve the `all` shorthand, apply each policy's schema defaults and default
      // level, and send one entry per policy (an absent entry would reset its level to advisory).
      const { info, initialConfig } = await loadInfo();
      const names = new Set(info.policies.map((p) => p.name));
      for (const k of Object.keys(policyPackConfig)) {
        if (k !== "all" && !names.has(k)) {
          throw new Error(
            `policy pack config names an unknown policy "${k}"; known: ${[...names].join(", ")}`,
          );
        }
      }
      const all = policyPackConfig.all;
      if (all !== undefined && typeof all !== "string") {
        throw new Error(`policy pack config "all" must be an enforcement level string`);
      }
      if (typeof all === "string") levelToProto(all);
      const req = new analyzerPb.ConfigureAnalyzerRequest();
      const map = req.getPolicyconfigMap();
      for (const p of info.policies) {
        const given = policyPackConfig[p.name];
        const init = initialConfig.get(p.name);
        let level: string = init?.level ?? p.enforcementLevel;
        if (typeof all === "string") level = all;
        const props: Record<string, unknown> = {};
        const schemaProps = (p.configSchema as SchemaLike | undefined)?.properties ?? {};
        for (const [k, s] of Object.entries(schemaProps)) {
          if (s && typeof s === "object" && "default" in s) props[k] = s.default;
        }
        Object.assign(props, init?.properties ?? {});
        if (typeof given === "string") {
          level = given;
        } else if (
          given !== undefined &&
          given !== null &&
          typeof given === "object" &&
          !Array.isArray(given)
        ) {
          const { enforcementLevel, ...rest } = given as Record<string, unknown>;
          if (enforcementLevel !== undefined) {
            if (typeof enforcementLevel !== "string") {
              throw new Error(`policy pack config "${p.name}.enforcementLevel" must be a string`);
            }
            level = enforcementLevel;
          }
          for (const [k, v] of Object.entries(rest)) {
            if (!(k in schemaProps)) {
              throw new Error(
                `policy pack config "${p.name}" has an unknown property "${k}"; known: ${Object.keys(schemaProps).join(", ") || "none"}`,
              );
            }
            const problem = schemaMismatch(schemaProps[k] as SchemaProperty, v);
            if (problem) throw new Error(`policy pack config "${p.name}.${k}": ${problem}`);
          }
          Object.assign(props, rest);
        } else if (given !== undefined) {
          throw new Error(`policy pack config "${p.name}" must be a level string or an object`);
        }
        const pc = new analyzerPb.PolicyConfig();
        pc.setEnforcementlevel(levelToProto(level));
        pc.setProperties(toStruct(props));
        map.set(p.name, pc);
      }
      await unary<analyzerPb.ConfigureAnalyzerRequest, unknown>(client.configure.bind(client), req);
    },

    async analyze(r) {
      return diagnostics(
        await raw("Analyze", encodeAnalyzeRequest(r), analyzerPb.AnalyzeResponse.deserializeBinary),
      );
    },

    async analyzeStack(rs) {
      // Encoded straight to wire bytes (cli/pack-wire.ts): the generated classes cost seconds and
      // hundreds of MB at 100k resources. Same method, same bytes on the wire.
      const bytes = encodeAnalyzeStackRequest(rs);
      return diagnostics(await raw("AnalyzeStack", bytes, analyzerPb.AnalyzeResponse.deserializeBinary));
    },

    async remediate(r) {
      // A small request: built with the generated classes (the hand-written encoder is for the audit's volume).
      const res = await raw(
        "Remediate",
        Buffer.from(analyzeRequest(r).serializeBinary()),
        analyzerPb.RemediateResponse.deserializeBinary,
      );
      return res.getRemediationsList().map((m) => {
        const out: PackRemediation = { policy: m.getPolicyname() };
        const props = m.getProperties();
        if (props) out.properties = decodeValue(props.toJavaScript()) as Record<string, unknown>;
        if (m.getDiagnostic()) out.diagnostic = m.getDiagnostic();
        return out;
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      client.close();
      if (!exited) {
        // Hold the event loop open until the pack is gone, or `await close()` could be cut short.
        child.ref();
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 2000);
        t.unref();
        await exitedPromise;
        clearTimeout(t);
      }
      liveChildren.delete(child);
      errLines.close();
      await engine.close();
    },
  };
  return pack;
}
