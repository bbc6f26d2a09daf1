// The shared stack evaluation and the SDK hooks (policies/pack.ts SharedStackEvaluation,
// policies/sdk-hooks.ts): the same diagnostics with and without sharing, through the SDK's real
// AnalyzeStack handler in-process and through the real pack over gRPC with configured levels.
// Nothing here patches this test process's copy of the SDK: hooks are tried on stand-ins.

import * as assert from "node:assert/strict";

import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import { analyzerResource, startPack, type PackClient, type PackResource } from "../../cli/pack-client";
import { SharedStackEvaluation, toPolicies } from "../../policies/pack";
import { RULES, STACK_RULES, evaluateStack, getRule } from "../../policies/rules";
import type { Level, StackResourceView } from "../../policies/rules";
import { hookConfigure, hookStackBoundaries, memoizeDeserialize } from "../../policies/sdk-hooks";
import { assertPackBuilt, PACK_DIR } from "../helpers/pack";
import { RG, SERVER_ID, SERVER_NAME, T, VAULT_ID, WORKSPACE_ID, happy } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as {
  makeAnalyzeStackRpcFun(
    name: string,
    version: string,
    level: string,
    policies: unknown[],
  ): (call: unknown, cb: (e: unknown, r: unknown) => void) => void;
};

const urn = (type: string, name: string) => `urn:pulumi:dev::zt::${type}::${name}`;

/** Two servers and a vault; the second server misses most of its companions. */
function stack(): PackResource[] {
  const second = SERVER_ID.replace(SERVER_NAME, "pg-b");
  return [
    { urn: urn(T.server, "pg"), type: T.server, name: "pg", id: SERVER_ID, properties: happy.server },
    {
      urn: urn(T.server, "pg-b"),
      type: T.server,
      name: "pg-b",
      id: second,
      properties: { ...happy.server, serverName: "pg-b" },
    },
    { urn: urn(T.vault, "kv"), type: T.vault, name: "kv", id: VAULT_ID, properties: happy.vault },
    {
      urn: urn(T.endpoint, "pe"),
      type: T.endpoint,
      name: "pe",
      properties: {
        resourceGroupName: RG,
        privateEndpointName: "pe",
        privateLinkServiceConnections: [{ privateLinkServiceId: SERVER_ID }],
      },
    },
    {
      urn: urn(T.diag, "pg-diag"),
      type: T.diag,
      name: "pg-diag",
      properties: {
        resourceUri: SERVER_ID,
        workspaceId: WORKSPACE_ID,
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      },
    },
    {
      urn: urn(T.admin, "pg-admin"),
      type: T.admin,
      name: "pg-admin",
      properties: { resourceGroupName: RG, serverName: SERVER_NAME, principalName: "admins" },
    },
    {
      urn: urn(T.lockByScope, "pg-lock"),
      type: T.lockByScope,
      name: "pg-lock",
      properties: { scope: SERVER_ID, level: "CanNotDelete" },
    },
  ];
}

function views(rs: PackResource[]): StackResourceView[] {
  return rs.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: { ...r.properties, ...(r.id ? { id: r.id } : {}) },
    dependencies: r.dependencies ?? [],
  }));
}

type Diag = { policy: string; level: string; urn?: string; message: string };

function sortDiags(ds: Diag[]): Diag[] {
  return [...ds].sort((a, b) =>
    `${a.policy}${a.urn}${a.message}`.localeCompare(`${b.policy}${b.urn}${b.message}`),
  );
}

/** What the pack must answer: evaluateStack's violations in the SDK's shape (description, newline, message). */
function expected(rs: PackResource[], overrides: Record<string, { enforcementLevel: Level }> = {}): Diag[] {
  return sortDiags(
    evaluateStack(views(rs), overrides).map((v) => ({
      policy: v.ruleId,
      level: v.level,
      urn: v.urn,
      message: `${getRule(v.ruleId).description}\n${v.message}`,
    })),
  );
}

const LEVEL_NAMES: Record<number, string> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };

/** Runs the SDK's own AnalyzeStack handler over the policies, returning its diagnostics. */
async function sdkAnalyzeStack(
  rs: PackResource[],
  shared: SharedStackEvaluation,
  drive: boolean,
): Promise<Diag[]> {
  const fn = server.makeAnalyzeStackRpcFun(
    "zero-trust-azure-postgres",
    "0.1.0",
    "advisory",
    toPolicies(RULES, shared),
  );
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(rs.map(analyzerResource));
  const decoded = analyzerPb.AnalyzeStackRequest.deserializeBinary(req.serializeBinary());
  if (drive) shared.begin();
  const res = await new Promise<analyzerPb.AnalyzeResponse>((resolve, reject) =>
    fn({ request: decoded }, (e, r) => (e ? reject(e) : resolve(r as analyzerPb.AnalyzeResponse))),
  );
  if (drive) shared.end();
  return sortDiags(
    res.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: LEVEL_NAMES[d.getEnforcementlevel()],
      urn: d.getUrn() || undefined,
      message: d.getMessage(),
    })),
  );
}

describe("shared stack evaluation", () => {
  it("gives the SDK's AnalyzeStack the same diagnostics with and without sharing", async () => {
    const rs = stack();
    const plain = await sdkAnalyzeStack(rs, new SharedStackEvaluation(), false);
    const shared = new SharedStackEvaluation();
    shared.configured(new Map());
    const withSharing = await sdkAnalyzeStack(rs, shared, true);
    assert.deepEqual(withSharing, plain);
    assert.deepEqual(plain, expected(rs));
    assert.ok(new Set(plain.map((d) => d.policy)).size >= 4, "the stack exercises several stack rules");
  });

  it("skips only clean rules while the configured levels are unknown", async () => {
    const rs = stack();
    const shared = new SharedStackEvaluation();
    assert.deepEqual(await sdkAnalyzeStack(rs, shared, true), expected(rs));
  });

  it("lets the SDK pass over handled stack policies exactly once per request", () => {
    const shared = new SharedStackEvaluation();
    const policies = toPolicies(RULES, shared);
    const second = policies.find((p) => p.name === STACK_RULES[1].id) as { validateStack?: unknown };
    shared.begin();
    assert.equal(shared.claim(), true);
    assert.equal(shared.claim(), false, "only the first stack policy of a request evaluates the others");
    shared.record(new Set([STACK_RULES[1].id]));
    assert.equal(second.validateStack, undefined);
    assert.equal(typeof second.validateStack, "function", "a skip is consumed on first read");
    shared.end();
    assert.equal(typeof second.validateStack, "function");
  });

  it("shares nothing when requests overlap or a request never answered", () => {
    const shared = new SharedStackEvaluation();
    shared.begin();
    shared.begin(); // overlap
    assert.equal(shared.isActive, false);
    assert.equal(shared.claim(), false);
    shared.begin(); // the next clean start after the unanswered pair
    assert.equal(shared.isActive, true);
  });

  describe("SDK hooks on stand-ins", () => {
    it("memoises deserializeProperties per Struct instance and per secrets mode", () => {
      let calls = 0;
      const mod = { deserializeProperties: (s: object, secrets: boolean) => ({ s, secrets, n: ++calls }) };
      assert.equal(memoizeDeserialize(mod), true);
      assert.equal(memoizeDeserialize(mod), false, "idempotent");
      const a = {};
      assert.equal(mod.deserializeProperties(a, false), mod.deserializeProperties(a, false));
      assert.notEqual(mod.deserializeProperties(a, true), mod.deserializeProperties(a, false));
      assert.notEqual(mod.deserializeProperties({}, false), mod.deserializeProperties(a, false));
      assert.equal(calls, 3);
    });

    it("marks AnalyzeStack boundaries", () => {
      const shared = new SharedStackEvaluation();
      const proto = { getResourcesList: () => ["r"] };
      const util = { makeAnalyzeResponse: (x: unknown) => x, asGrpcError: (e: unknown) => e };
      assert.equal(hookStackBoundaries(proto, util, shared), true);
      assert.deepEqual(proto.getResourcesList(), ["r"]);
      assert.equal(shared.isActive, true);
      assert.equal(util.makeAnalyzeResponse(1), 1);
      assert.equal(shared.isActive, false);
      proto.getResourcesList();
      assert.equal(shared.isActive, true);
      assert.equal(util.asGrpcError("boom"), "boom", "an error answer ends the request too");
      assert.equal(shared.isActive, false);
    });

    it("mirrors configured levels, and ignores a request with an unknown level", () => {
      const shared = new SharedStackEvaluation();
      const entries: [string, { getEnforcementlevel(): number }][] = [
        ["resource-delete-locks", { getEnforcementlevel: () => 1 }],
      ];
      const proto = { getPolicyconfigMap: () => ({ entries: () => entries }) };
      assert.equal(hookConfigure(proto, shared), true);
      const rule = getRule("resource-delete-locks");
      if (rule.kind !== "stack") throw new Error();
      assert.equal(shared.levelOf(rule, true), undefined);
      proto.getPolicyconfigMap();
      assert.equal(shared.levelOf(rule, true), "mandatory");
      entries[0] = ["resource-delete-locks", { getEnforcementlevel: () => 9 }];
      proto.getPolicyconfigMap();
      assert.equal(shared.levelOf(rule, true), "mandatory", "unchanged by a malformed request");
    });
  });

  describe("the real pack over gRPC", function () {
    this.timeout(120_000);
    let pack: PackClient;
    before(async () => {
      assertPackBuilt();
      pack = await startPack({ packDir: PACK_DIR });
    });
    after(async () => {
      await pack?.close();
    });

    const configs: Record<string, { enforcementLevel: Level }>[] = [
      {},
      {
        "postgres-private-connectivity": { enforcementLevel: "disabled" },
        "resource-delete-locks": { enforcementLevel: "mandatory" },
        "postgres-threat-protection": { enforcementLevel: "remediate" },
      },
      Object.fromEntries(
        STACK_RULES.filter((r) => r.id !== "postgres-diagnostic-settings").map((r) => [
          r.id,
          { enforcementLevel: "disabled" as Level },
        ]),
      ),
    ];
    configs.forEach((config, i) => {
      it(`reports every stack rule under its own name and configured level (config ${i})`, async () => {
        await pack.configure(config);
        const rs = stack();
        for (let round = 0; round < 2; round++) {
          const ds = (await pack.analyzeStack(rs)).map((d) => ({
            policy: d.policy,
            level: d.level,
            urn: d.urn || undefined,
            message: d.message,
          }));
          assert.deepEqual(sortDiags(ds), expected(rs, config), `round ${round}`);
        }
      });
    });
  });
});
