// Starts a policy pack with ITS OWN run-policy-pack (`<pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack
// <engine-address> .`, the pack folder as the working directory), as the Pulumi CLI's Node.js host
// starts an installed pack, and calls its Analyzer service over gRPC. cli/pack-client.ts starts packs with
// the repository's own SDK; an installed pack must prove it runs on the SDK its tarball installed.

import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";

import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";

import {
  analyzeRequest,
  analyzerResource,
  diagnostics,
  levelFromProto,
  startEngineStub,
  type PackDiagnostic,
  type PackResource,
} from "../../cli/pack-client";

export interface InstalledPack {
  /** The run-policy-pack the pack was started with (inside the pack's own node_modules). */
  runner: string;
  info(): Promise<{ name: string; version: string; policies: { name: string; level: string }[] }>;
  analyze(r: PackResource): Promise<PackDiagnostic[]>;
  analyzeStack(rs: PackResource[]): Promise<PackDiagnostic[]>;
  close(): Promise<void>;
}

function unary<Req, Res>(
  call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** `nodeModules`: where the pack's SDK is installed (its own `node_modules` unless it sits in a project). */
export async function startInstalledPack(
  packDir: string,
  timeoutMs = 60_000,
  nodeModules = path.join(packDir, "node_modules"),
): Promise<InstalledPack> {
  const runner = path.join(nodeModules, "@pulumi", "pulumi", "cmd", "run-policy-pack");
  const engine = await startEngineStub();
  // NODE_PATH is cleared so nothing resolves outside the pack folder.
  const env = { ...process.env, NODE_PATH: "" };
  const child: ChildProcess = spawn(process.execPath, [runner, engine.address, "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on("line", (l) => stderr.push(l));
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no port within ${timeoutMs} ms`)), timeoutMs);
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        const m = /^\s*(\d+)\s*$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        setImmediate(() =>
          reject(new Error(`the pack exited with code ${code} before serving:\n${stderr.join("\n")}`)),
        );
      });
    });
  } catch (e) {
    child.kill("SIGKILL");
    await engine.close();
    throw e;
  }
  const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    runner,
    async info() {
      const ai = await unary<emptyPb.Empty, analyzerPb.AnalyzerInfo>(
        client.getAnalyzerInfo.bind(client),
        new emptyPb.Empty(),
      );
      return {
        name: ai.getName(),
        version: ai.getVersion(),
        policies: ai
          .getPoliciesList()
          .map((p) => ({ name: p.getName(), level: levelFromProto(p.getEnforcementlevel()) })),
      };
    },
    async analyze(r) {
      return diagnostics(
        await unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
          client.analyze.bind(client),
          analyzeRequest(r),
        ),
      );
    },
    async analyzeStack(rs) {
      const req = new analyzerPb.AnalyzeStackRequest();
      req.setResourcesList(rs.map(analyzerResource));
      return diagnostics(
        await unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
          client.analyzeStack.bind(client),
          req,
        ),
      );
    },
    async close() {
      client.close();
      child.kill("SIGKILL");
      await engine.close();
    },
  };
}
