// A small stand-in for the Pulumi engine's gRPC services, for the offline preview.
//
// The Node.js language host starts `@pulumi/pulumi/cmd/run` with `--monitor` and `--engine` addresses
// (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, read 2026-11-30 at
// https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/pulumi-language-nodejs/main.go). This
// serves those two addresses: `pulumirpc.ResourceMonitor` answers each RegisterResource with the outputs
// Azure would return (cli/mock-azure.ts) and records what `pulumi preview` shows (URN, type, name,
// parent, inputs, dependencies); RegisterResourceOutputs on the stack gives the stack outputs;
// `pulumirpc.Engine` receives the program's log lines. Requests and responses are the SDK's generated
// protobuf classes (@pulumi/pulumi/proto); nothing of the SDK runtime is loaded or patched here.

import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";

import { mockCall, mockState, SECRET_OUTPUTS } from "../mock-azure";
import {
  ARCHIVE_SIG,
  ASSET_SIG,
  OUTPUT_VALUE_SIG,
  RESOURCE_SIG,
  SECRET_SIG,
  SENTINEL_KINDS,
  SIG_KEY,
} from "../wire-values";

export const STACK_TYPE = "pulumi:pulumi:Stack";

/** One RegisterResource or ReadResource the program made, in wire form. */
export interface Registration {
  seq: number;
  urn: string;
  id?: string;
  type: string;
  name: string;
  parent?: string;
  custom: boolean;
  read: boolean;
  /** The request's properties as sent (secret signatures, unknown sentinels). */
  wire: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider?: string;
  protect?: boolean;
}

export interface LogLine {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn?: string;
}

export interface EngineRecord {
  registrations: Registration[];
  /** The stack resource's URN, once the program registered it. */
  stackUrn?: string;
  /** Outputs registered on the stack resource (wire form), once the program finished. */
  stackOutputs?: Record<string, unknown>;
  logs: LogLine[];
  /** Invokes and registrations the stand-in could not answer (shown when the program fails). */
  failures: string[];
}

export interface EngineStandIn {
  monitorAddress: string;
  engineAddress: string;
  record: EngineRecord;
  close(): Promise<void>;
}

const SEVERITY: Record<number, LogLine["severity"]> = {
  [enginePb.LogSeverity.DEBUG]: "debug",
  [enginePb.LogSeverity.INFO]: "info",
  [enginePb.LogSeverity.WARNING]: "warning",
  [enginePb.LogSeverity.ERROR]: "error",
};

/** Features this stand-in has, as the engine advertises them (GetDeploymentInfo). */
const FEATURES = [
  resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
  resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
  resourcePb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
];
const LEGACY_FEATURES = new Set([
  "secrets",
  "resourceReferences",
  "aliasSpecs",
  "deletedWith",
  "parameterization",
]);

function uniq(xs: Iterable<string>): string[] {
  return [...new Set([...xs].filter((x) => x !== ""))];
}

/**
 * The engine's URN rule (sdk/go/common/resource/urn.go `NewURN`): the type is qualified by the parent's
 * qualified type, except under the root stack.
 */
export function newUrn(
  stack: string,
  project: string,
  parent: string | undefined,
  type: string,
  name: string,
): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== "" && parentType !== STACK_TYPE) qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Wire value → the plain value a provider would see (secrets unwrapped, unknowns dropped). */
export function plainFromWire(v: unknown): unknown {
  if (typeof v === "string") return SENTINEL_KINDS.has(v) ? undefined : v;
  if (Array.isArray(v)) return v.map(plainFromWire);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    switch (o[SIG_KEY]) {
      case SECRET_SIG:
        return plainFromWire(o.value);
      case OUTPUT_VALUE_SIG:
        return plainFromWire(o.value);
      case RESOURCE_SIG:
        return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
      case ASSET_SIG:
      case ARCHIVE_SIG:
        return o;
      default: {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) {
          const p = plainFromWire(x);
          if (p !== undefined) out[k] = p;
        }
        return out;
      }
    }
  }
  return v;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The response state: the inputs as sent (so secret and unknown inputs stay secret and unknown in the
 * outputs, as the engine's preview does) plus what Azure computes, with the outputs Azure returns as
 * secrets wrapped.
 */
function responseState(type: string, name: string, wire: Record<string, unknown>): Record<string, unknown> {
  const plain = plainFromWire(wire) as Record<string, unknown>;
  const computed = mockState(type, name, plain);
  const out: Record<string, unknown> = { ...wire };
  for (const [k, v] of Object.entries(computed)) {
    if (k in wire && sameJson(plain[k], v)) continue;
    out[k] = v;
  }
  for (const k of SECRET_OUTPUTS[type] ?? []) if (k in out) out[k] = { [SIG_KEY]: SECRET_SIG, value: out[k] };
  return out;
}

function struct(o: Record<string, unknown>): structPb.Struct {
  return structPb.Struct.fromJavaScript(o as { [k: string]: structPb.JavaScriptValue });
}

/** Starts the stand-in on two loopback ports. */
export async function startEngineStandIn(project: string, stack: string): Promise<EngineStandIn> {
  const record: EngineRecord = { registrations: [], logs: [], failures: [] };
  const byUrn = new Map<string, Registration>();
  const states = new Map<string, Record<string, unknown>>();
  const fail = (cb: grpc.sendUnaryData<never>, message: string) => {
    record.failures.push(message);
    cb({ code: grpc.status.UNKNOWN, details: message });
  };
  const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<never>) =>
    cb({
      code: grpc.status.UNIMPLEMENTED,
      details: "not implemented by the offline preview's engine stand-in",
    });

  const monitor = new grpc.Server();
  monitor.addService(resourceGrpc.ResourceMonitorService, {
    getDeploymentInfo(_call: unknown, cb: grpc.sendUnaryData<resourcePb.DeploymentInfo>) {
      cb(null, new resourcePb.DeploymentInfo().setSupportedfeaturesList(FEATURES));
    },
    supportsFeature(
      call: grpc.ServerUnaryCall<resourcePb.SupportsFeatureRequest, resourcePb.SupportsFeatureResponse>,
      cb: grpc.sendUnaryData<resourcePb.SupportsFeatureResponse>,
    ) {
      cb(
        null,
        new resourcePb.SupportsFeatureResponse().setHassupport(LEGACY_FEATURES.has(call.request.getId())),
      );
    },
    registerResource(
      call: grpc.ServerUnaryCall<resourcePb.RegisterResourceRequest, resourcePb.RegisterResourceResponse>,
      cb: grpc.sendUnaryData<resourcePb.RegisterResourceResponse>,
    ) {
      const req = call.request;
      const type = req.getType();
      const name = req.getName();
      const parent = req.getParent() || undefined;
      const urn = newUrn(stack, project, parent, type, name);
      if (byUrn.has(urn)) return fail(cb, `Duplicate resource URN '${urn}'; try giving it a unique name`);
      const wire = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((v, k) => {
        propertyDependencies[k] = uniq(v.getUrnsList());
      });
      const custom = req.getCustom();
      let id: string | undefined;
      let state: Record<string, unknown> = {};
      if (custom) {
        try {
          state = responseState(type, name, wire);
        } catch (err) {
          return fail(cb, `${type} "${name}": ${(err as Error).message}`);
        }
        id = typeof state.id === "string" ? state.id : undefined;
      }
      const reg: Registration = {
        seq: record.registrations.length,
        urn,
        ...(id !== undefined ? { id } : {}),
        type,
        name,
        ...(parent ? { parent } : {}),
        custom,
        read: false,
        wire,
        dependencies: uniq([...req.getDependenciesList(), ...Object.values(propertyDependencies).flat()]),
        propertyDependencies,
        ...(req.getProvider() ? { provider: req.getProvider() } : {}),
        ...(req.getProtect() ? { protect: true } : {}),
      };
      record.registrations.push(reg);
      byUrn.set(urn, reg);
      states.set(urn, state);
      if (type === STACK_TYPE && !parent) record.stackUrn = urn;
      const res = new resourcePb.RegisterResourceResponse();
      res.setUrn(urn);
      res.setId(id ?? "");
      res.setObject(struct(state));
      cb(null, res);
    },
    readResource(
      call: grpc.ServerUnaryCall<resourcePb.ReadResourceRequest, resourcePb.ReadResourceResponse>,
      cb: grpc.sendUnaryData<resourcePb.ReadResourceResponse>,
    ) {
      const req = call.request;
      const parent = req.getParent() || undefined;
      const urn = newUrn(stack, project, parent, req.getType(), req.getName());
      const wire = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
      let state: Record<string, unknown>;
      try {
        state = responseState(req.getType(), req.getName(), { ...wire, id: req.getId() });
      } catch (err) {
        return fail(cb, `${req.getType()} "${req.getName()}": ${(err as Error).message}`);
      }
      const reg: Registration = {
        seq: record.registrations.length,
        urn,
        id: req.getId() || undefined,
        type: req.getType(),
        name: req.getName(),
        ...(parent ? { parent } : {}),
        custom: true,
        read: true,
        wire,
        dependencies: uniq(req.getDependenciesList()),
        propertyDependencies: {},
        ...(req.getProvider() ? { provider: req.getProvider() } : {}),
      };
      record.registrations.push(reg);
      byUrn.set(urn, reg);
      states.set(urn, state);
      const res = new resourcePb.ReadResourceResponse();
      res.setUrn(urn);
      res.setProperties(struct(state));
      cb(null, res);
    },
    registerResourceOutputs(
      call: grpc.ServerUnaryCall<resourcePb.RegisterResourceOutputsRequest, emptyPb.Empty>,
      cb: grpc.sendUnaryData<emptyPb.Empty>,
    ) {
      const urn = call.request.getUrn();
      if (urn === record.stackUrn) {
        record.stackOutputs = (call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      }
      cb(null, new emptyPb.Empty());
    },
    invoke(
      call: grpc.ServerUnaryCall<resourcePb.ResourceInvokeRequest, resourcePb.ResourceInvokeResponse>,
      cb: grpc.sendUnaryData<resourcePb.ResourceInvokeResponse>,
    ) {
      const tok = call.request.getTok();
      const args = plainFromWire(call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      let result: Record<string, unknown>;
      try {
        if (tok === "pulumi:pulumi:getResource") {
          const urn = String(args.urn);
          const reg = byUrn.get(urn);
          if (!reg) throw new Error(`unknown resource ${urn}`);
          result = { urn, id: reg.id ?? null, state: states.get(urn) ?? {} };
        } else result = mockCall(tok);
      } catch (err) {
        return fail(cb, `invoke ${tok}: ${(err as Error).message}`);
      }
      cb(null, new resourcePb.ResourceInvokeResponse().setReturn(struct(result)));
    },
    registerPackage(_call: unknown, cb: grpc.sendUnaryData<resourcePb.RegisterPackageResponse>) {
      cb(null, new resourcePb.RegisterPackageResponse().setRef("offline-preview-package"));
    },
    signalAndWaitForShutdown(_call: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) {
      cb(null, new emptyPb.Empty());
    },
    call: unimplemented,
    existsResource: unimplemented,
    registerStackTransform: unimplemented,
    registerStackInvokeTransform: unimplemented,
    registerResourceHook: unimplemented,
    registerErrorHook: unimplemented,
  });

  const engine = new grpc.Server();
  engine.addService(engineGrpc.EngineService, {
    log(
      call: grpc.ServerUnaryCall<enginePb.LogRequest, emptyPb.Empty>,
      cb: grpc.sendUnaryData<emptyPb.Empty>,
    ) {
      const urn = call.request.getUrn();
      record.logs.push({
        severity: SEVERITY[call.request.getSeverity()] ?? "info",
        message: call.request.getMessage(),
        ...(urn ? { urn } : {}),
      });
      cb(null, new emptyPb.Empty());
    },
    getRootResource(_call: unknown, cb: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) {
      cb(null, new enginePb.GetRootResourceResponse().setUrn(record.stackUrn ?? ""));
    },
    setRootResource(_call: unknown, cb: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) {
      cb(null, new enginePb.SetRootResourceResponse());
    },
    requirePulumiVersion(_call: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) {
      cb(null, new emptyPb.Empty());
    },
    startDebugging: unimplemented,
  });

  const bind = (server: grpc.Server) =>
    new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
  const [monitorPort, enginePort] = await Promise.all([bind(monitor), bind(engine)]);
  const shutdown = (server: grpc.Server) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 1000);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  let closed = false;
  return {
    monitorAddress: `127.0.0.1:${monitorPort}`,
    engineAddress: `127.0.0.1:${enginePort}`,
    record,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([shutdown(monitor), shutdown(engine)]);
    },
  };
}
