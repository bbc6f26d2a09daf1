// Our stack rules composed with a user's own policies in one pack, as a user composes them, driven over
// the engine's Analyzer protocol: the pack runs its policies through the policy SDK's documented API
// only, so a typed stack policy (`validateStackResourcesOfType`) next to ours sees the whole stack, and
// every one of our stack rules reports under its own name and configured level.
//
// The repository's patch of @pulumi/policy (docs/sdk-patch.md) changes how often the SDK builds the
// stack's resources, never the answers: the stock and the patched AnalyzeStack handlers give the same
// diagnostics and errors for the same requests, with our policies and a user's in one list.
//
// Also: the compiled pack loads no module of @pulumi/policy or @pulumi/pulumi other than their public
// entry points, and changes no other package's objects.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  startPack,
  UNKNOWN,
  UNKNOWN_SENTINELS,
  type PackClient,
  type PackResource,
} from "../../cli/pack-client";
import { Server } from "@pulumi/azure-native/dbforpostgresql/server";
import {
  validateStackResourcesOfType,
  type PolicyResource,
  type StackValidationPolicy,
} from "@pulumi/policy";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import { makeStockSdk, repoSdkPatched, type StockSdk } from "../../bench/lib/stock-sdk";
import { stackMix } from "../../bench/lib/stack-mix";
import { analyzerResource } from "../../cli/pack-client";
import { toPolicies } from "../../policies/pack";
import { RULES, STACK_RULES, evaluateStack, getRule } from "../../policies/rules";
import type { Level, StackResourceView } from "../../policies/rules";
import { assertPackBuilt, PACK_DIR, REPO } from "../helpers/pack";
import { RG, SERVER_ID, SERVER_NAME, T, VAULT_ID, WORKSPACE_ID, happy, urn } from "./fixtures";

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
      properties: { ...happy.server, serverName: UNKNOWN },
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
      propertyDependencies: { resourceUri: [pg], workspaceId: ["urn:pulumi:dev::zt::x:y:Z::gone"] },
      properties: {
        resourceUri: UNKNOWN,
        workspaceId: UNKNOWN,
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      },
    },
  ];
}

type Diag = { policy: string; level: string; urn?: string; message: string };

function sortDiags(ds: Diag[]): Diag[] {
  return [...ds].sort((a, b) =>
    `${a.policy}${a.urn}${a.message}`.localeCompare(`${b.policy}${b.urn}${b.message}`),
  );
}

function plain(ds: { policy: string; level: string; urn?: string; message: string }[]): Diag[] {
  return sortDiags(
    ds.map((d) => ({ policy: d.policy, level: d.level, urn: d.urn || undefined, message: d.message })),
  );
}

/** The fixture's properties as the SDK hands them to a policy: an unknown is the engine's sentinel string. */
function asSent(props: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(props, (_k, v: unknown) => (v === UNKNOWN ? UNKNOWN_SENTINELS.string : v)),
  ) as Record<string, unknown>;
}

/** The views evaluateStack judges, made straight from the fixture (no SDK involved). */
function views(rs: PackResource[]): StackResourceView[] {
  return rs.map((r) => {
    const v: StackResourceView = {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: asSent({ ...r.properties, ...(r.id ? { id: r.id } : {}) }),
      dependencies: [
        ...new Set([...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()]),
      ].filter((d) => rs.some((x) => x.urn === d)),
    };
    if (r.parent) v.parent = r.parent;
    return v;
  });
}

/** What our stack rules must answer: evaluateStack's violations in the SDK's shape (description, newline, message). */
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

const TYPED = "user-typed-servers";
const WHOLE = "user-whole-stack";
const USER_POLICIES = new Set([TYPED, WHOLE]);

/**
 * A user's pack: our catalogue from the compiled package next to two stack policies of their own, one
 * typed with the provider's class (written before ours) and one plain (after ours). Each reports what
 * it was handed, so the test sees exactly what the SDK gave them.
 */
function writeComposedPack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-composed-pack-"));
  const req = (m: string) => JSON.stringify(require.resolve(m, { paths: [REPO] }));
  const dist = (p: string) => JSON.stringify(path.join(REPO, "dist", "policies", p));
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: ours and a user's\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "composed", version: "0.0.1", private: true, main: "index.js" }),
  );
  fs.writeFileSync(
    path.join(dir, "index.js"),
    `"use strict";
const { PolicyPack, validateStackResourcesOfType } = require(${req("@pulumi/policy")});
const { Server } = require(${req("@pulumi/azure-native/dbforpostgresql/server")});
const { toPolicies } = require(${dist("pack")});
const { RULES } = require(${dist("rules")});
const typed = {
  name: ${JSON.stringify(TYPED)},
  description: "Lists the flexible servers it is handed.",
  enforcementLevel: "advisory",
  validateStack: validateStackResourcesOfType(Server, (servers, args, report) => {
    report(servers.length + " servers: " + servers.map((s) => s.location).join(",") + "; " +
      args.resources.map((r) => r.name).join(","));
  }),
};
const whole = {
  name: ${JSON.stringify(WHOLE)},
  description: "Lists every resource it is handed.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    report(args.resources.length + " resources: " + args.resources.map((r) => r.name).join(","));
  },
};
new PolicyPack("composed", { policies: [typed, ...toPolicies(RULES), whole] });
`,
  );
  return dir;
}

/** Every module specifier the compiled pack requires, by file. */
function requiresOf(dir: string): { file: string; spec: string }[] {
  const out: { file: string; spec: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/require\(\s*([^)]*)\)/g)) out.push({ file, spec: m[1].trim() });
  }
  return out;
}

describe("our stack rules composed with a user's policies", function () {
  this.timeout(120_000);

  it("the compiled pack requires only @pulumi/policy's entry point and its own files", function () {
    assertPackBuilt();
    const found = requiresOf(path.join(REPO, "dist", "policies"));
    const outside = found.filter((r) => !/^"\.\.?\//.test(r.spec) && r.spec !== '"@pulumi/policy"');
    assert.deepEqual(outside, []);
    assert.ok(
      found.some((r) => r.spec === '"@pulumi/policy"'),
      "index.js builds the PolicyPack from @pulumi/policy",
    );
    for (const { file } of found) {
      const text = fs.readFileSync(file, "utf8");
      assert.doesNotMatch(text, /\.prototype\.\w+\s*=(?!=)/, `${file} assigns to a prototype`);
      assert.doesNotMatch(text, /deserialize\.js|analyzer_pb/, `${file} names an SDK internal`);
    }
  });

  describe("in one pack over gRPC", function () {
    let pack: PackClient;
    let dir: string;
    before(async () => {
      assertPackBuilt();
      dir = writeComposedPack();
      pack = await startPack({ packDir: dir });
    });
    after(async () => {
      await pack?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("hands the user's typed stack policy every server, and the plain one every resource", async () => {
      await pack.configure({});
      for (const rs of [stack(), linkedByDependencies()]) {
        for (let round = 0; round < 2; round++) {
          const ds = plain(await pack.analyzeStack(rs));
          const servers = rs.filter((r) => r.type === T.server);
          const locations = servers.map((r) => String(r.properties.location)).join(",");
          assert.deepEqual(
            ds.filter((d) => USER_POLICIES.has(d.policy)),
            [
              {
                policy: TYPED,
                level: "advisory",
                urn: undefined,
                message: `Lists the flexible servers it is handed.\n${servers.length} servers: ${locations}; ${servers.map((r) => r.name).join(",")}`,
              },
              {
                policy: WHOLE,
                level: "mandatory",
                urn: undefined,
                message: `Lists every resource it is handed.\n${rs.length} resources: ${rs.map((r) => r.name).join(",")}`,
              },
            ],
            `round ${round}`,
          );
          assert.deepEqual(
            ds.filter((d) => !USER_POLICIES.has(d.policy)),
            expected(rs),
            `round ${round}`,
          );
        }
      }
    });

    it("keeps each policy's configured level: ours disabled, the user's raised", async () => {
      const config = {
        ...Object.fromEntries(STACK_RULES.map((r) => [r.id, { enforcementLevel: "disabled" as Level }])),
        [TYPED]: { enforcementLevel: "mandatory" as Level },
      };
      await pack.configure(config);
      const ds = plain(await pack.analyzeStack(stack()));
      assert.deepEqual(
        ds.map((d) => `${d.policy}:${d.level}`),
        [`${TYPED}:mandatory`, `${WHOLE}:mandatory`],
      );
    });
  });

  describe("our pack alone over gRPC", function () {
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
          assert.deepEqual(plain(await pack.analyzeStack(rs)), expected(rs, config), `round ${round}`);
        }
        assert.ok(new Set(expected(rs).map((d) => d.policy)).size >= 4, "several stack rules fire");
      });
    });

    it("fails AnalyzeStack on a malformed asset anywhere in the stack, as the policy SDK does", async () => {
      await pack.configure({});
      const SIG = "4dabf18193072939515e22adb298388d";
      const ASSET = "c44067f5952c0a294b673a41bacd8c17";
      const blob: PackResource = {
        urn: urn("azure-native:storage:Blob", "b"),
        type: "azure-native:storage:Blob",
        name: "b",
        properties: { source: { [SIG]: ASSET } },
      };
      await assert.rejects(pack.analyzeStack([...stack(), blob]), /Invalid asset/);
      await assert.rejects(pack.analyze(blob), /Invalid asset/);
      assert.deepEqual(plain(await pack.analyzeStack(stack())), expected(stack()), "the pack still answers");
    });
  });

  describe("the stock and the patched policy SDK", function () {
    type Handler = (call: unknown, cb: (e: unknown, r?: analyzerPb.AnalyzeResponse) => void) => void;
    type Server = {
      makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: unknown[]): Handler;
    };
    let stock: StockSdk;
    let servers: { stock: Server; patched: Server };
    before(function () {
      assert.ok(repoSdkPatched(REPO), "node_modules/@pulumi/policy carries patches/ (run `npm ci`)");
      stock = makeStockSdk(REPO);
      /* eslint-disable @typescript-eslint/no-require-imports */
      servers = {
        stock: require(path.join(stock.policyDir, "server.js")) as Server,
        patched: require(path.join(REPO, "node_modules", "@pulumi", "policy", "server.js")) as Server,
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    after(() => stock?.remove());

    const typed: StackValidationPolicy = {
      name: TYPED,
      description: "Lists the flexible servers it is handed.",
      enforcementLevel: "advisory",
      validateStack: validateStackResourcesOfType(Server, (servers, args, report) => {
        report(`${servers.length} servers; ${args.resources.map((r) => r.name).join(",")}`);
      }),
    };
    const whole: StackValidationPolicy = {
      name: WHOLE,
      description: "Lists every resource it is handed.",
      enforcementLevel: "mandatory",
      validateStack: (args, report) => {
        // A policy that sorts its own array must not change what the next policy is handed.
        args.resources.sort((a, b) => b.urn.localeCompare(a.urn));
        report(`${args.resources.length} resources: ${args.resources.map((r) => r.name).join(",")}`);
      },
    };
    const POLICIES = [whole, typed, ...toPolicies(RULES), whole, typed];

    async function answer(server: Server, rs: PackResource[], policies: unknown[] = POLICIES) {
      const req = new analyzerPb.AnalyzeStackRequest();
      req.setResourcesList(rs.map(analyzerResource));
      const decoded = analyzerPb.AnalyzeStackRequest.deserializeBinary(req.serializeBinary());
      const fn = server.makeAnalyzeStackRpcFun("zero-trust-azure-postgres", "0.1.0", "advisory", policies);
      try {
        const res = await new Promise<analyzerPb.AnalyzeResponse>((resolve, reject) =>
          fn({ request: decoded }, (e, r) => (e ? reject(e as Error) : resolve(r!))),
        );
        return {
          diagnostics: res.getDiagnosticsList().map((d) => ({
            policy: d.getPolicyname(),
            level: d.getEnforcementlevel(),
            urn: d.getUrn(),
            message: d.getMessage(),
          })),
          notApplicable: res.getNotApplicableList().map((n) => `${n.getPolicyName()}: ${n.getReason()}`),
        };
      } catch (e) {
        // The message carries the SDK's stack trace, whose file paths differ between the two copies.
        const lines = String((e as Error).message).split("\n");
        return { error: lines.filter((l) => !/^\s+at /.test(l)).join("\n") };
      }
    }

    it("the patched SDK hands every stack policy of a request the same resource objects; the stock one does not", async () => {
      const seen: PolicyResource[][] = [];
      const capture = (name: string): StackValidationPolicy => ({
        name,
        description: name,
        enforcementLevel: "advisory",
        validateStack: (args) => void seen.push(args.resources),
      });
      for (const key of ["patched", "stock"] as const) {
        seen.length = 0;
        await answer(servers[key], stack(), [capture("a"), capture("b")]);
        assert.equal(seen.length, 2);
        assert.notEqual(seen[0], seen[1], `${key}: each policy gets its own array`);
        assert.equal(seen[0].length, stack().length);
        assert.equal(seen[0][0] === seen[1][0], key === "patched", `${key}: shared resource objects`);
      }
    });

    const blob: PackResource = {
      urn: urn("azure-native:storage:Blob", "b"),
      type: "azure-native:storage:Blob",
      name: "b",
      properties: { source: { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17" } },
    };
    const cases: [string, () => PackResource[]][] = [
      ["two servers and a vault", stack],
      ["a preview linked by dependencies", linkedByDependencies],
      ["2,000 resources of the bench's mix", () => stackMix(2_000)],
      ["a malformed asset", () => [...stack(), blob]],
      ["no resources", () => []],
    ];
    for (const [label, make] of cases) {
      it(`answer alike: ${label}`, async () => {
        const rs = make();
        const [a, b] = [await answer(servers.stock, rs), await answer(servers.patched, rs)];
        assert.deepEqual(b, a);
        if (label === "a malformed asset")
          assert.match(String((a as { error?: string }).error), /Invalid asset/);
        else assert.ok(a.diagnostics?.some((d) => d.policy === WHOLE));
      });
    }
  });
});
