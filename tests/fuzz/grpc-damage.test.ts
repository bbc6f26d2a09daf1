// The real pack under damaged gRPC requests. The pack is started exactly as the engine
// starts it (startPack), then every request of grpc-damage.table.ts goes out through a raw gRPC client
// with an identity serializer, so the bytes arrive as built: missing fields, weird Struct values, huge
// strings, deep nesting, bad enforcement levels and config types, duplicate URNs, and bytes that are
// not protobuf at all. Each must get an answer (a response, diagnostics or a clean gRPC status), and
// after each the process is still alive and a normal Analyze still reports what it should.
// Needs the compiled pack (`npm run build`).

import * as assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import { startPack, type PackClient } from "../../cli/pack-client";
import { PACK_DIR, assertPackBuilt, happyServer, happyServerProps } from "../helpers/pack";
import { ANALYZER, DAMAGE_SEED, damagedRequests, type DamagedRequest } from "./grpc-damage.table";

type Answer = { ok: Buffer } | { error: grpc.ServiceError };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What the pack answered, in words, for the test log and the assertion messages. */
function describeAnswer(method: string, a: Answer): string {
  if ("error" in a)
    return `gRPC ${grpc.status[a.error.code] ?? a.error.code}: ${a.error.details.slice(0, 160)}`;
  if (method === "Analyze" || method === "AnalyzeStack") {
    const res = analyzerPb.AnalyzeResponse.deserializeBinary(a.ok);
    return `${res.getDiagnosticsList().length} diagnostic(s)`;
  }
  if (method === "Remediate") {
    return `${analyzerPb.RemediateResponse.deserializeBinary(a.ok).getRemediationsList().length} remediation(s)`;
  }
  return `OK (${a.ok.length} bytes)`;
}

describe("policy pack under damaged gRPC requests", function () {
  let pack: PackClient;
  let raw: grpc.Client;
  const logs: string[] = [];
  const answers = new Map<string, string>();

  function send(req: DamagedRequest): Promise<Answer> {
    return new Promise((resolve) => {
      raw.makeUnaryRequest(
        ANALYZER + req.method,
        (b: Uint8Array) => Buffer.from(b),
        (b: Buffer) => b,
        req.bytes,
        // Not a timing assertion: a guard, so a request the pack never answers fails this test with
        // DEADLINE_EXCEEDED (asserted below) instead of hanging the suite.
        { deadline: Date.now() + 45_000 },
        (error, ok) => resolve(error ? { error } : { ok: ok as Buffer }),
      );
    });
  }

  before(async function () {
    assertPackBuilt();
    pack = await startPack({ packDir: PACK_DIR, onLog: (sev, msg) => logs.push(`${sev}: ${msg}`) });
    raw = new grpc.Client(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
      // Let the client send what it is told to; the pack's own limits are what is under test.
      "grpc.max_send_message_length": 64 << 20,
      "grpc.max_receive_message_length": 64 << 20,
    });
    await pack.configure({});
    console.log(`      ${damagedRequests().length} damaged requests (random bytes seeded ${DAMAGE_SEED})`);
  });

  after(async function () {
    raw?.close();
    await pack?.close();
    if (this.currentTest?.state === "failed") console.log(logs.slice(-20).join("\n"));
  });

  /** The pack still answers normally: a public server is a mandatory violation, a compliant one is clean. */
  async function stillAnswers(after: string): Promise<void> {
    assert.ok(alive(pack.pid), `the pack process died after: ${after}`);
    const props = happyServerProps();
    props.network = { publicNetworkAccess: "Enabled" };
    const bad = await pack.analyze(happyServer(props));
    assert.ok(
      bad.some((d) => d.policy === "postgres-no-public-network-access" && d.level === "mandatory"),
      `after ${after}, a public server is no longer reported: ${JSON.stringify(bad)}`,
    );
    const good = await pack.analyze(happyServer());
    assert.deepEqual(
      good.filter((d) => d.level === "mandatory").map((d) => d.policy),
      [],
      `after ${after}, a compliant server is flagged`,
    );
  }

  it("answers normally before any damage", async function () {
    await stillAnswers("start-up");
  });

  for (const req of damagedRequests()) {
    it(`answers ${req.title} and keeps answering`, async function () {
      const answer = await send(req);
      const said = describeAnswer(req.method, answer);
      answers.set(req.title, said);
      if ("error" in answer) {
        // A clean error: a gRPC status with details, not a dropped connection to a dead process.
        assert.equal(typeof answer.error.code, "number");
        assert.notEqual(answer.error.code, grpc.status.OK);
        assert.equal(typeof answer.error.details, "string");
        assert.notEqual(
          answer.error.code,
          grpc.status.DEADLINE_EXCEEDED,
          `the pack never answered ${req.title}`,
        );
      }
      if (req.method === "Configure") await pack.configure({});
      await stillAnswers(req.title);
    });
  }

  it("is the same process that started, still alive, after every damaged request", async function () {
    assert.equal(answers.size, damagedRequests().length);
    assert.ok(alive(pack.pid));
    await stillAnswers("the whole battery");
  });
});
