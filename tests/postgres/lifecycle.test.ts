// The throw-away server never outlives its run: stop() in after() hooks, and an exit or signal
// handler when the run dies first. Checked from outside, on a child process.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { serverParameters } from "../../components/postgres/parameters";
import { TestCluster, clusterTemplate, requirePostgres } from "./helpers/cluster";

const CHILD = path.join(__dirname, "fixtures", "abandoned-cluster.ts");

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Runs the child; resolves with what it reported and how it ended. */
async function runChild(
  mode: "throw" | "signal",
): Promise<{ dir: string; port: number; code: number | null; signal: string | null }> {
  const base = await clusterTemplate();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", CHILD, mode], {
      cwd: path.join(__dirname, "..", ".."),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ZT_PG_TEMPLATE: base.dataDir, ZT_PG_TEMPLATE_PASSWORD: base.password },
    });
    let out = "";
    let err = "";
    let reported: { dir: string; port: number } | undefined;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!reported && out.includes("\n")) {
        reported = JSON.parse(out.split("\n")[0]) as { dir: string; port: number };
        if (mode === "signal") {
          // The server is up and owned by the child: kill the child while it is running.
          void portOpen(reported.port).then((open) => {
            if (!open) reject(new Error("the child's server is not listening"));
            child.kill("SIGTERM");
          });
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!reported) reject(new Error(`the child never started its server:\n${err}`));
      else resolve({ ...reported, code, signal });
    });
  });
}

type ChildRun = Awaited<ReturnType<typeof runChild>>;

/** Starts a child now, without an unhandled rejection if the test awaits it later. */
function startChild(mode: "throw" | "signal"): () => Promise<ChildRun> {
  const settled = runChild(mode).then(
    (run) => ({ run }),
    (error: unknown) => ({ error }),
  );
  return async () => {
    const outcome = await settled;
    if ("error" in outcome) throw outcome.error;
    return outcome.run;
  };
}

describe("real PostgreSQL 15: the throw-away server's lifecycle", function () {
  let crashed: () => Promise<ChildRun>;
  let killed: () => Promise<ChildRun>;

  before(function () {
    requirePostgres();
    // Both children run at once: each pays for a Node start and a server start.
    crashed = startChild("throw");
    killed = startChild("signal");
  });

  it("stop() stops the server and deletes its files", async function () {
    const cluster = await TestCluster.start(
      serverParameters({
        version: "15",
        minimumTlsVersion: "TLSv1.3",
        pgauditLog: "role,ddl,misc",
        logRetentionDays: 7,
      }),
    );
    assert.equal(await portOpen(cluster.port), true);
    await cluster.stop();
    assert.equal(fs.existsSync(cluster.dir), false);
    assert.equal(await portOpen(cluster.port), false);
  });

  it("stops and deletes the server when the run dies of an uncaught exception", async function () {
    const child = await crashed();
    assert.equal(child.code, 1);
    assert.equal(fs.existsSync(child.dir), false, `${child.dir} was left behind`);
    assert.equal(await portOpen(child.port), false, "the server still listens");
  });

  it("stops and deletes the server when the run is killed with SIGTERM", async function () {
    const child = await killed();
    assert.equal(child.signal, "SIGTERM");
    assert.equal(fs.existsSync(child.dir), false, `${child.dir} was left behind`);
    assert.equal(await portOpen(child.port), false, "the server still listens");
  });
});
