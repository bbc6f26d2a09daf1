// The SDK hooks (policies/sdk-hooks.ts) and the views built straight from a request
// (policies/request-views.ts): the views equal what the SDK's own resource list gives, the SDK's real
// AnalyzeStack handler answers the same with and without the hooks, and the real pack over gRPC reports
// every stack rule under its own name and configured level.
//
// Hooks are tried on stand-in objects, except in one test that installs them on this process's copy of
// the SDK and puts every original back afterwards.

import * as assert from "node:assert/strict";
import * as path from "node:path";

import * as fc from "fast-check";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import {
  analyzerResource,
  secretValue,
  startPack,
  UNKNOWN,
  type PackClient,
  type PackResource,
} from "../../cli/pack-client";
import { stackViewsOf, toPolicies, toStackViews } from "../../policies/pack";
import { requestViews, type Deserialize, type RequestResource } from "../../policies/request-views";
import { RULES, STACK_RULES, evaluateStack, getRule } from "../../policies/rules";
import type { Level, StackResourceView } from "../../policies/rules";
import { hookStackRequest, memoizeDeserialize, type DeserializeModule } from "../../policies/sdk-hooks";
import { assertPackBuilt, PACK_DIR } from "../helpers/pack";
import { RG, SERVER_ID, SERVER_NAME, T, VAULT_ID, WORKSPACE_ID, happy, happyStack, urn } from "./fixtures";

/* eslint-disable @typescript-eslint/no-require-imports */
const policyDir = path.dirname(require.resolve("@pulumi/policy"));
const server = require(path.join(policyDir, "server.js")) as {
  makeAnalyzeStackRpcFun(
    name: string,
    version: string,
    level: string,
    policies: unknown[],
  ): (call: unknown, cb: (e: unknown, r: unknown) => void) => void;
};
const sdkDeserialize = require(path.join(policyDir, "deserialize.js")) as DeserializeModule;
/* eslint-enable @typescript-eslint/no-require-imports */

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

/** A preview-time stack linked only by dependencies, parents and property dependencies. */
function linkedByDependencies(): PackResource[] {
  const comp = urn("zero-trust-azure-postgres:index:ZeroTrustPostgres", "db");
  const pg = urn(T.server, "pg");
  return [
    { urn: comp, type: "zero-trust-azure-postgres:index:ZeroTrustPostgres", name: "db", properties: {} },
    {
      urn: pg,
      type: T.server,
      name: "pg",
      parent: comp,
      properties: { ...happy.server, serverName: UNKNOWN, administratorLoginPassword: secretValue("s3cret") },
    },
    {
      urn: urn(T.endpoint, "pe"),
      type: T.endpoint,
      name: "pe",
      parent: comp,
      dependencies: [pg, "urn:pulumi:dev::zt::other:index:Gone::x"],
      properties: { privateLinkServiceConnections: [{ privateLinkServiceId: UNKNOWN }] },
    },
    {
      urn: urn(T.diag, "pg-diag"),
      type: T.diag,
      name: "pg-diag",
      propertyDependencies: {
        resourceUri: [pg],
        workspaceId: ["urn:pulumi:dev::zt::x:y:Z::gone"],
        "0": [pg],
      },
      properties: {
        resourceUri: UNKNOWN,
        workspaceId: UNKNOWN,
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      },
    },
    {
      urn: urn(T.lockByScope, "pg-lock"),
      type: T.lockByScope,
      name: "pg-lock",
      // A parent outside the stack is still named in the options, as the engine sends it.
      parent: "urn:pulumi:dev::zt::pulumi:pulumi:Stack::zt-dev",
      dependencies: [pg],
      properties: { scope: UNKNOWN, level: "CanNotDelete" },
    },
  ];
}

/** The request as gRPC hands it to the SDK: encoded, then decoded. */
function encoded(rs: PackResource[]): Uint8Array {
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(rs.map(analyzerResource));
  return req.serializeBinary();
}

function decodedRequest(rs: PackResource[]): analyzerPb.AnalyzeStackRequest {
  return analyzerPb.AnalyzeStackRequest.deserializeBinary(encoded(rs));
}

/** What the SDK's own AnalyzeStack loop hands a stack policy as `args.resources`. */
async function sdkResources(req: analyzerPb.AnalyzeStackRequest): Promise<unknown[]> {
  let seen: unknown[] = [];
  const capture = {
    name: "capture",
    description: "capture",
    validateStack: (a: { resources: unknown[] }) => void (seen = a.resources),
  };
  const fn = server.makeAnalyzeStackRpcFun("p", "0.0.1", "advisory", [capture]);
  await new Promise<void>((resolve, reject) => fn({ request: req }, (e) => (e ? reject(e) : resolve())));
  return seen;
}

/** A view as plain data, reading every lazy field. */
function plainView(v: StackResourceView) {
  return {
    type: v.type,
    urn: v.urn,
    name: v.name,
    dependencies: [...v.dependencies],
    parent: v.parent,
    props: v.props,
  };
}

const unmemoised: Deserialize = (s, p) => sdkDeserialize.deserializeProperties(s, p);

async function assertSameViews(rs: PackResource[]): Promise<void> {
  const req = decodedRequest(rs);
  const fromSdk = toStackViews((await sdkResources(req)) as Parameters<typeof toStackViews>[0]);
  const direct = requestViews(req.getResourcesList() as unknown as RequestResource[], unmemoised);
  assert.deepEqual(direct.map(plainView), fromSdk.map(plainView));
}

type Diag = { policy: string; level: string; urn?: string; message: string };

function sortDiags(ds: Diag[]): Diag[] {
  return [...ds].sort((a, b) =>
    `${a.policy}${a.urn}${a.message}`.localeCompare(`${b.policy}${b.urn}${b.message}`),
  );
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

/** Runs the SDK's own AnalyzeStack handler over the catalogue's policies, returning its diagnostics. */
async function sdkAnalyzeStack(rs: PackResource[]): Promise<Diag[]> {
  const fn = server.makeAnalyzeStackRpcFun(
    "zero-trust-azure-postgres",
    "0.1.0",
    "advisory",
    toPolicies(RULES),
  );
  const decoded = decodedRequest(rs);
  const res = await new Promise<analyzerPb.AnalyzeResponse>((resolve, reject) =>
    fn({ request: decoded }, (e, r) => (e ? reject(e) : resolve(r as analyzerPb.AnalyzeResponse))),
  );
  return sortDiags(
    res.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: LEVEL_NAMES[d.getEnforcementlevel()],
      urn: d.getUrn() || undefined,
      message: d.getMessage(),
    })),
  );
}

describe("SDK hooks and request views", () => {
  describe("views built straight from the request", () => {
    it("equal the views of the SDK's own resource list, on the fixture stacks", async () => {
      await assertSameViews(stack());
      await assertSameViews(linkedByDependencies());
      const happyAsPack: PackResource[] = happyStack().map((v) => ({
        urn: v.urn,
        type: v.type,
        name: v.name,
        properties: v.props,
        ...(v.id ? { id: v.id } : {}),
      }));
      await assertSameViews(happyAsPack);
    });

    it("equal them on generated stacks: parents in and out of the stack, dependencies, duplicate URNs", async () => {
      const names = ["a", "b", "c", "d", "e"];
      const urnOf = fc.constantFrom(...names.map((n) => urn(T.server, n)), urn(T.vault, "gone"));
      const resource = fc.record({
        name: fc.constantFrom(...names),
        type: fc.constantFrom(T.server, T.endpoint, T.diag, T.vault, T.config),
        parent: fc.option(urnOf, { nil: undefined }),
        dependencies: fc.array(urnOf, { maxLength: 4 }),
        propertyDependencies: fc.option(
          fc.dictionary(
            fc.constantFrom("resourceUri", "scope", "1", "serverName"),
            fc.array(urnOf, { maxLength: 3 }),
          ),
          { nil: undefined },
        ),
        properties: fc.dictionary(
          fc.constantFrom("resourceGroupName", "serverName", "level", "network", "tags"),
          fc.oneof(
            fc.string(),
            fc.integer(),
            fc.boolean(),
            fc.constant(null),
            fc.dictionary(fc.string(), fc.string()),
          ),
        ),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(resource, { minLength: 1, maxLength: 8 }), async (list) => {
          const rs: PackResource[] = list.map((r) => ({
            ...r,
            urn: urn(T.server, r.name),
            ...(r.parent === undefined ? {} : { parent: r.parent }),
            ...(r.propertyDependencies === undefined ? {} : { propertyDependencies: r.propertyDependencies }),
          }));
          await assertSameViews(rs);
        }),
        { numRuns: 150 },
      );
    });

    it("decode properties only when read, once", () => {
      const req = decodedRequest(stack());
      let calls = 0;
      const counting: Deserialize = (s, p) => {
        calls++;
        return sdkDeserialize.deserializeProperties(s, p);
      };
      const vs = requestViews(req.getResourcesList() as unknown as RequestResource[], counting);
      assert.equal(calls, 0);
      assert.equal(vs[2].props.vaultName, happy.vault.vaultName);
      assert.equal(vs[2].props, vs[2].props);
      assert.equal(calls, 1);
    });
  });

  describe("SDK hooks on stand-ins", () => {
    it("memoises deserializeProperties per Struct instance and per secrets mode", () => {
      let calls = 0;
      const original = (s: object, secrets: boolean) => ({ s, secrets, n: ++calls });
      const mod = { deserializeProperties: original };
      assert.equal(memoizeDeserialize(mod), original, "hands back the unmemoised function");
      assert.equal(memoizeDeserialize(mod), undefined, "idempotent");
      const a = {};
      assert.equal(mod.deserializeProperties(a, false), mod.deserializeProperties(a, false));
      assert.notEqual(mod.deserializeProperties(a, true), mod.deserializeProperties(a, false));
      assert.notEqual(mod.deserializeProperties({}, false), mod.deserializeProperties(a, false));
      assert.equal(calls, 3);
    });

    /** A stand-in for the generated class, so the hooks never touch the real one here. */
    function requestClass() {
      const prototype = Object.create(analyzerPb.AnalyzeStackRequest.prototype) as object;
      return {
        prototype,
        deserializeBinary(bytes: Uint8Array): analyzerPb.AnalyzeStackRequest {
          return Object.setPrototypeOf(analyzerPb.AnalyzeStackRequest.deserializeBinary(bytes), prototype);
        },
      };
    }

    it("stands in for a received list with its first resource, and the policies find the whole request's views", () => {
      const mod = {
        deserializeProperties: (s: object, p: boolean) => sdkDeserialize.deserializeProperties(s, p),
      };
      const lazy = memoizeDeserialize(mod)!;
      const memoised = mod.deserializeProperties as Deserialize;
      const cls = requestClass();
      assert.equal(hookStackRequest(cls, memoised, lazy), true);
      assert.equal(hookStackRequest(cls, memoised, lazy), false, "idempotent");
      const req = cls.deserializeBinary(encoded(stack()));
      const list = req.getResourcesList();
      assert.equal(list.length, 1);
      assert.equal(list[0].getUrn(), urn(T.server, "pg"));
      assert.equal(req.getResourcesList(), list, "the same stand-in on every call");
      // What the SDK hands each stack policy for the stand-in: the memoised props behind its proxy.
      const props = { __getSpecialProxyTarget: memoised(list[0].getProperties()!, false) };
      const got = stackViewsOf([{ urn: list[0].getUrn(), props } as never]);
      assert.deepEqual(
        got.map((v) => v.urn),
        stack().map((r) => r.urn),
      );
      // A props object the hook never registered is judged as the SDK's list itself.
      const alone = stackViewsOf([{ urn: list[0].getUrn(), type: T.server, name: "pg", props: {} } as never]);
      assert.deepEqual(
        alone.map((v) => v.urn),
        [urn(T.server, "pg")],
      );
    });

    it("leaves a request this process built, one the SDK would reject, and a one-resource list as they are", () => {
      const cls = requestClass();
      assert.equal(hookStackRequest(cls, unmemoised, unmemoised), true);
      const built = Object.setPrototypeOf(
        new analyzerPb.AnalyzeStackRequest(),
        cls.prototype,
      ) as analyzerPb.AnalyzeStackRequest;
      built.setResourcesList(stack().map(analyzerResource));
      assert.equal(
        built.getResourcesList().length,
        stack().length,
        "a request being built or serialised keeps its list",
      );
      const bad = analyzerPb.AnalyzeStackRequest.deserializeBinary(encoded(stack()));
      bad.getResourcesList()[3].clearOptions();
      const rejected = cls.deserializeBinary(bad.serializeBinary());
      const one = cls.deserializeBinary(encoded(stack().slice(0, 1)));
      assert.equal(rejected.getResourcesList().length, stack().length);
      assert.equal(one.getResourcesList().length, 1);
    });
  });

  describe("the SDK's AnalyzeStack handler with the hooks installed in this process", () => {
    it("answers exactly as without them, while its loop sees one resource per stack policy", async () => {
      for (const rs of [stack(), linkedByDependencies()]) {
        const without = await sdkAnalyzeStack(rs);
        const cls = analyzerPb.AnalyzeStackRequest;
        const originals = {
          deserialize: sdkDeserialize.deserializeProperties,
          decode: cls.deserializeBinary,
          list: cls.prototype.getResourcesList,
        };
        let seenByLoop = 0;
        try {
          const lazy = memoizeDeserialize(sdkDeserialize)!;
          assert.ok(lazy);
          assert.equal(
            hookStackRequest(cls, sdkDeserialize.deserializeProperties as Deserialize, lazy),
            true,
          );
          const hooked = cls.prototype.getResourcesList;
          cls.prototype.getResourcesList = function (this: analyzerPb.AnalyzeStackRequest) {
            const l = hooked.call(this);
            seenByLoop = l.length;
            return l;
          };
          const withHooks = await sdkAnalyzeStack(rs);
          assert.deepEqual(withHooks, without);
        } finally {
          sdkDeserialize.deserializeProperties = originals.deserialize;
          cls.deserializeBinary = originals.decode;
          cls.prototype.getResourcesList = originals.list;
        }
        assert.equal(seenByLoop, 1, "the SDK's loop got the stand-in, not the whole list");
      }
      const plain = await sdkAnalyzeStack(stack());
      assert.deepEqual(plain, expected(stack()));
      assert.ok(new Set(plain.map((d) => d.policy)).size >= 4, "several stack rules fire");
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

    it("is not failed by a malformed asset in a resource no stack rule reads, while Analyze still reports it", async () => {
      await pack.configure({});
      const SIG = "4dabf18193072939515e22adb298388d";
      const ASSET = "c44067f5952c0a294b673a41bacd8c17";
      const blob: PackResource = {
        urn: urn("azure-native:storage:Blob", "b"),
        type: "azure-native:storage:Blob",
        name: "b",
        properties: { source: { [SIG]: ASSET } },
      };
      const rs = [...stack(), blob];
      const ds = (await pack.analyzeStack(rs)).map((d) => ({
        policy: d.policy,
        level: d.level,
        urn: d.urn || undefined,
        message: d.message,
      }));
      assert.deepEqual(sortDiags(ds), expected(stack()));
      await assert.rejects(pack.analyze(blob), /Invalid asset/);
      // In a resource the stack rules do link, the same value still fails the call, as it always did.
      const linked = stack();
      const diag = linked.find((r) => r.type === T.diag)!;
      const broken = { ...diag, properties: { ...diag.properties, workspaceId: { [SIG]: ASSET } } };
      await assert.rejects(pack.analyzeStack(linked.map((r) => (r === diag ? broken : r))), /Invalid asset/);
    });
  });
});
