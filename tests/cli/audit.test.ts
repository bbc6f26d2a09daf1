// The audit end to end, in process, through the real policy pack process (cli/pack-client.ts): the
// clean estate passes, the dirty one fails with exact rule ids, the policy pack config is applied,
// nothing secret reaches the pack, and the back-pressure and progress rules hold.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  analyzedTypes,
  progressPrinter,
  runAudit,
  type AuditPack,
  type ProgressEvent,
} from "../../cli/audit/audit";
import { InputError, PackError } from "../../cli/audit/errors";
import { SECRET_PLACEHOLDER } from "../../cli/audit/secrets";
import { AnalyzeStackRequest } from "@pulumi/pulumi/proto/analyzer_pb";

import { analyzeStackBytes } from "../../cli/audit/stack-request";
import { startPack, type PackClient, type PackResource } from "../../cli/pack-client";
import { UnknownValue, secretValue } from "../../cli/wire-values";
import { RULES } from "../../policies/rules";
import { DIRTY_MANDATORY, PLANTED_SECRETS, writeLargeExport } from "../helpers/export-builder";

const FIXTURES = path.join(__dirname, "..", "fixtures", "exports");
const fixture = (name: string): string => path.join(FIXTURES, name);

/** Everything the audit sent to the pack, serialized as it was handed over. */
interface Recorder {
  sent: string[];
  resources: PackResource[];
  stackRequest?: Buffer;
}

let pack: PackClient;
let tmp: string;

/** The shared pack, wrapped: records requests, and `close` is left to after() so tests share one process. */
function shared(recorder?: Recorder): () => Promise<AuditPack> {
  return async () => ({
    getAnalyzerInfo: () => pack.getAnalyzerInfo(),
    configure: (c) => pack.configure(c),
    analyze: (r) => {
      recorder?.sent.push(JSON.stringify(r));
      recorder?.resources.push(r);
      return pack.analyze(r);
    },
    analyzeStack: (rs) => {
      recorder?.sent.push(JSON.stringify(rs));
      return pack.analyzeStack(rs);
    },
    analyzeStackBytes: (request) => {
      recorder?.sent.push(request.toString("latin1"));
      if (recorder) recorder.stackRequest = request;
      return analyzeStackBytes(pack.port, request);
    },
    close: async () => undefined,
  });
}

before(async function () {
  this.timeout(120_000);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-audit-"));
  pack = await startPack();
});
after(async () => {
  await pack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Every run states its config (`{}` = the pack's defaults), since Configure persists in the shared pack.
const audit = (
  file: string,
  policyPackConfig: Record<string, unknown> = {},
  recorder?: Recorder,
  analyzeTypes?: ReadonlySet<string>,
) => runAudit({ file, policyPackConfig, startPack: shared(recorder), analyzeTypes });

describe("audit through the policy pack", function () {
  this.timeout(120_000);

  it("passes the compliant estate with no violation at all", async () => {
    const result = await audit(fixture("clean.json"));
    assert.deepEqual(result.findings, []);
    assert.equal(result.passed, true);
    assert.equal(result.export.resources, 58);
    assert.equal(result.pack.name, "zero-trust-azure-postgres");
    assert.deepEqual(
      result.pack.policies.map((p) => p.name).sort(),
      RULES.map((r) => r.id).sort(),
      "the pack runs the catalogue",
    );
  });

  it("fails the insecure estate with exactly the expected mandatory rules, on the right resources", async () => {
    const result = await audit(fixture("dirty.json"));
    assert.equal(result.passed, false);
    const mandatory = result.findings.filter((f) => f.level === "mandatory");
    assert.deepEqual(mandatory.map((f) => f.ruleId).sort(), [...DIRTY_MANDATORY]);
    const on = (ruleId: string) => result.findings.find((f) => f.ruleId === ruleId);
    assert.equal(on("postgres-no-public-network-access")?.name, "pg-0");
    assert.equal(on("postgres-no-public-network-access")?.type, "azure-native:dbforpostgresql:Server");
    assert.match(on("postgres-no-public-network-access")?.message ?? "", /publicNetworkAccess is "Enabled"/);
    assert.equal(on("firewall-no-open-ranges")?.name, "pg-0-fw-office");
    assert.equal(on("keyvault-purge-protection")?.name, "kv-pg-0");
    assert.equal(on("postgres-secure-transport")?.name, "pg-0-require-secure-transport");
    // Stack policies attach to the resource they name.
    assert.equal(on("postgres-private-connectivity")?.source, "stack");
    assert.equal(on("postgres-private-connectivity")?.name, "pg-0");
    assert.deepEqual(result.counts, { mandatory: DIRTY_MANDATORY.length, remediate: 0, advisory: 0 });
    // The policy description the SDK prepends is dropped: each message starts once with the rule.
    for (const f of result.findings) assert.ok(!f.message.includes("\n"), f.message);
  });

  it("applies a --policy-pack-config: levels per policy, `all`, and config properties", async () => {
    const relaxed = await audit(fixture("dirty.json"), {
      "postgres-no-public-network-access": "advisory",
      "firewall-no-open-ranges": { enforcementLevel: "advisory" },
    });
    const level = (id: string) => relaxed.findings.find((f) => f.ruleId === id)?.level;
    assert.equal(level("postgres-no-public-network-access"), "advisory");
    assert.equal(level("firewall-no-open-ranges"), "advisory");
    assert.equal(level("keyvault-purge-protection"), "mandatory", "unlisted policies keep their level");

    const stricter = await audit(fixture("clean.json"), {
      "postgres-allowed-versions": { allowedVersions: ["17", "18"] },
    });
    assert.deepEqual(
      stricter.findings.map((f) => [f.ruleId, f.level, f.name]),
      [
        ["postgres-allowed-versions", "advisory", "pg-0"],
        ["postgres-allowed-versions", "advisory", "pg-1"],
      ],
      "a config property reaches the rule",
    );

    const off = await audit(fixture("dirty.json"), { all: "disabled" });
    assert.deepEqual(off.findings, []);
    assert.equal(off.passed, true);

    const strict = await audit(fixture("clean.json"), { all: "mandatory" });
    assert.equal(strict.passed, true, "the clean estate passes every rule, advisory ones included");
  });

  it("refuses a config naming an unknown policy as bad input", async () => {
    await assert.rejects(
      audit(fixture("dirty.json"), { "no-such-policy": "mandatory" }),
      (err: unknown) =>
        err instanceof InputError && err.kind === "bad-config" && /no-such-policy/.test(err.message),
    );
  });

  it("sends a plaintext secret wrapped, as the engine does, and a ciphertext one as unknown; messages show only the placeholder", async () => {
    const recorder: Recorder = { sent: [], resources: [] };
    const result = await audit(fixture("secrets.json"), {}, recorder);
    const wire = recorder.sent.join("\n");
    // Ciphertext cannot be judged offline and never leaves the file.
    for (const planted of [
      PLANTED_SECRETS.ciphertext,
      PLANTED_SECRETS.outputCiphertext,
      PLANTED_SECRETS.nested,
    ])
      assert.ok(!wire.includes(planted), `${planted} was sent`);
    const server = recorder.resources.find((r) => r.type === "azure-native:dbforpostgresql:Server");
    assert.ok(server?.properties.administratorLoginPassword instanceof UnknownValue);
    // A --show-secrets plaintext reaches the pack inside the secret signature, as the engine sends it.
    const transport = recorder.resources.find(
      (r) => r.properties.configurationName === "require_secure_transport",
    );
    assert.deepEqual(transport?.properties.value, secretValue(PLANTED_SECRETS.plaintextParameter));
    // The rule judges the value, and its message shows only the placeholder.
    const finding = result.findings.find((f) => f.ruleId === "postgres-secure-transport");
    assert.ok(finding?.message.includes(`"${SECRET_PLACEHOLDER}"`), finding?.message);
    for (const planted of Object.values(PLANTED_SECRETS))
      assert.ok(!JSON.stringify(result).includes(planted), `${planted} is in the result`);
  });

  it("analyzes every resource once and hands the whole stack to AnalyzeStack", async () => {
    const recorder: Recorder = { sent: [], resources: [] };
    const result = await audit(fixture("clean.json"), {}, recorder);
    assert.equal(recorder.resources.length, result.export.resources);
    assert.equal(new Set(recorder.resources.map((r) => r.urn)).size, result.export.resources);
    assert.ok(recorder.stackRequest);
    const stack = AnalyzeStackRequest.deserializeBinary(
      new Uint8Array(recorder.stackRequest),
    ).getResourcesList();
    assert.deepEqual(
      stack.map((r) => r.getUrn()),
      recorder.resources.map((r) => r.urn),
    );
    assert.ok(stack.every((r) => !r.getType().startsWith("pulumi:")));
  });

  it("gets the same findings whether the stack goes to the pack as bytes or as objects", async () => {
    for (const name of ["dirty.json", "secrets.json"]) {
      const viaBytes = await audit(fixture(name));
      const viaObjects = await runAudit({
        file: fixture(name),
        policyPackConfig: {},
        startPack: async () => {
          const { analyzeStackBytes: _unused, ...objectsOnly } = await shared()();
          return objectsOnly;
        },
      });
      assert.deepEqual(viaObjects.findings, viaBytes.findings, name);
    }
  });

  it("finds the same violations when only types some rule covers go to Analyze", async () => {
    const types = analyzedTypes(RULES);
    for (const name of ["dirty.json", "secrets.json", "clean.json"]) {
      const all = await audit(fixture(name));
      const some = await audit(fixture(name), {}, undefined, types);
      assert.deepEqual(some.findings, all.findings, name);
      assert.equal(all.analyzeCalls, all.export.resources);
      assert.ok(
        some.analyzeCalls < all.analyzeCalls / 2 + 5,
        `${name}: ${some.analyzeCalls} of ${all.analyzeCalls} calls`,
      );
    }
    // With every rule at `all` levels the equivalence still holds (no policy judges an unlisted type).
    const everything = await audit(fixture("dirty.json"), { all: "mandatory" }, undefined, types);
    const reference = await audit(fixture("dirty.json"), { all: "mandatory" });
    assert.deepEqual(everything.findings, reference.findings);
  });

  it("reports a bad file as bad input even while the pack starts", async () => {
    for (const [name, kind] of [
      ["garbage.txt", "not-json"],
      ["truncated.json.part", "truncated"],
      ["wrong-version.json", "unsupported-version"],
      ["not-an-export.json", "not-export"],
      ["missing.json", "missing"],
    ] as const) {
      await assert.rejects(
        audit(fixture(name)),
        (err: unknown) => err instanceof InputError && err.kind === kind,
        name,
      );
    }
  });

  it("reports a pack that fails to start as a pack error", async () => {
    await assert.rejects(
      runAudit({
        file: fixture("clean.json"),
        startPack: () => Promise.reject(new Error("spawn failed\nstack")),
      }),
      (err: unknown) =>
        err instanceof PackError && err.message === "the policy pack did not start: spawn failed",
    );
  });
});

describe("audit flow control (a stub pack)", () => {
  /** A pack that answers after a tick and counts what is in flight. */
  function stubPack(stats: {
    inFlight: number;
    max: number;
    analyzed: number;
    closed: number;
  }): () => Promise<AuditPack> {
    return async () => ({
      getAnalyzerInfo: async () => ({ name: "stub", version: "0", policies: [] }),
      configure: async () => undefined,
      analyze: async () => {
        stats.inFlight++;
        stats.max = Math.max(stats.max, stats.inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        stats.inFlight--;
        stats.analyzed++;
        return [];
      },
      analyzeStack: async () => [],
      close: async () => {
        stats.closed++;
      },
    });
  }

  it("keeps at most `concurrency` Analyze calls in flight, and closes the pack", async () => {
    const stats = { inFlight: 0, max: 0, analyzed: 0, closed: 0 };
    const result = await runAudit({
      file: fixture("clean.json"),
      concurrency: 4,
      startPack: stubPack(stats),
    });
    assert.equal(stats.analyzed, result.export.resources);
    assert.ok(stats.max <= 4 && stats.max > 1, `max in flight ${stats.max}`);
    assert.equal(stats.closed, 1);
  });

  it("prints progress for stacks over 1,000 resources: at 1,001, every 5,000, and before stack policies", async function () {
    this.timeout(120_000);
    const file = path.join(tmp, "12k.json");
    await writeLargeExport(file, { resources: 12_002 });
    const lines: string[] = [];
    const stats = { inFlight: 0, max: 0, analyzed: 0, closed: 0 };
    const result = await runAudit({
      file,
      startPack: stubPack(stats),
      onProgress: progressPrinter((line) => lines.push(line)),
    });
    assert.equal(result.export.resources, 12_000);
    assert.deepEqual(
      lines.map((l) => l.replace(/, [\d,]+ analyzed$/, "")),
      [
        "audit: 1,001 resources read",
        "audit: 5,000 resources read",
        "audit: 10,000 resources read",
        "audit: 12,000 resources analyzed; running stack policies",
      ],
    );
  });

  it("never calls Analyze before Configure has finished, even when reading runs ahead", async () => {
    // Configure finishes only once several resources (none analyzable yet: the resource group, the
    // network...) have been read, so reading is ahead of a pack that is up but not configured.
    let release!: () => void;
    const configured = new Promise<void>((resolve) => (release = resolve));
    let isConfigured = false;
    const early: string[] = [];
    const result = await runAudit({
      file: fixture("clean.json"),
      policyPackConfig: { all: "advisory" },
      analyzeTypes: analyzedTypes(RULES),
      onProgress: (e) => {
        if (e.read >= 6) release();
      },
      startPack: async () => ({
        getAnalyzerInfo: async () => ({ name: "stub", version: "0", policies: [] }),
        configure: async () => {
          await configured;
          isConfigured = true;
        },
        analyze: async (r) => {
          if (!isConfigured) early.push(r.urn);
          return [];
        },
        analyzeStack: async () => [],
        close: async () => undefined,
      }),
    });
    assert.ok(result.analyzeCalls > 0);
    assert.deepEqual(early, []);
  });

  it("prints no progress for 1,000 resources or fewer", () => {
    const lines: string[] = [];
    const print = progressPrinter((line) => lines.push(line));
    for (let read = 1; read <= 1000; read++)
      print({ phase: "reading", read, analyzed: read } as ProgressEvent);
    print({ phase: "stack", read: 1000, analyzed: 1000 });
    assert.deepEqual(lines, []);
  });
});
