// Nothing lost: the server, the vaults and the keys are protected (overridable) and
// locked; purge protection on a vault holding a CMK cannot be turned off through the component; and a
// change to a create-only property never replaces the database: the server ignores changes to those
// inputs and the component fails, with a clear message, when the deployed server differs from its
// arguments (the mock monitor plays the deployed server).

import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

import { promiseOf, recorder, settle } from "../helpers/mocks";
import {
  CREATE_ONLY_PATHS,
  createOnlyProblems,
  type ResolvedExpectation,
} from "../../components/postgres/create-only";
import type { ZeroTrustPostgres as ZeroTrustPostgresType, ZeroTrustPostgresArgs } from "../../components";
import {
  DELEGATED_SUBNET_ID,
  GEO_VAULT_ID,
  KEY_URI,
  VAULT_ID,
  validArgs,
  validVnetArgs,
} from "./bad-inputs.table";

const T = {
  server: "azure-native:dbforpostgresql:Server",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  lock: "azure-native:authorization:ManagementLockByScope",
};

interface Captured {
  type: string;
  name: string;
  protect?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
}

let counter = 0;
const fresh = (base: string) => `${base}${++counter}`;

/** Constructs the component, recording every child's options, and waits for the registrations. */
async function build(
  name: string,
  args: ZeroTrustPostgresArgs,
  opts: { protect?: boolean } = {},
): Promise<{ component: ZeroTrustPostgresType; options: Captured[]; from: number }> {
  const { ZeroTrustPostgres } = await import("../../components");
  const options: Captured[] = [];
  const from = recorder.resources.length;
  const component = new ZeroTrustPostgres(
    name,
    { ...args, ...opts },
    {
      transformations: [
        (a) => {
          const o = a.opts as pulumi.CustomResourceOptions;
          options.push({
            type: a.type,
            name: a.name,
            protect: o.protect,
            ignoreChanges: o.ignoreChanges,
            replaceOnChanges: o.replaceOnChanges,
          });
          return undefined;
        },
      ],
    },
  );
  await settle();
  return { component, options, from };
}

const registered = (from: number, type: string) =>
  recorder.resources.slice(from).filter((r) => r.type === type);

/** Makes the mock monitor answer for one server as a deployed server that differs from its inputs. */
async function withDeployedServer<T>(
  serverName: string,
  patch: (state: Record<string, unknown>) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const monitor = (settings as unknown as { getMonitor(): { mocks: pulumi.runtime.Mocks } }).getMonitor();
  const original = monitor.mocks;
  monitor.mocks = {
    call: (a) => original.call(a),
    newResource: async (a) => {
      const r = await original.newResource(a);
      if (a.type !== T.server || a.name !== serverName) return r;
      const state = JSON.parse(JSON.stringify(r.state)) as Record<string, unknown>;
      patch(state);
      return { id: r.id, state };
    },
  };
  try {
    return await fn();
  } finally {
    monitor.mocks = original;
  }
}

const sub = (v: unknown) => (v ?? {}) as Record<string, unknown>;

describe("nothing lost", function () {
  describe("protect and CanNotDelete locks", function () {
    it("protects the server, both vaults and both keys by default, and nothing else that holds no data", async function () {
      const name = fresh("keep");
      const { options } = await build(name, validArgs());
      const protectedNames = options
        .filter((o) => o.protect === true)
        .map((o) => o.name)
        .sort();
      assert.deepEqual(
        protectedNames,
        [`${name}-geo-kv`, `${name}-geo-kv-key`, `${name}-kv`, `${name}-kv-key`, `${name}-server`].sort(),
      );
    });

    it("lets protect be turned off with protect: false", async function () {
      const { options } = await build(fresh("loose"), validArgs(), { protect: false });
      assert.deepEqual(
        options.filter((o) => o.protect === true).map((o) => o.name),
        [],
      );
    });

    it("locks the server and both vaults with CanNotDelete, scoped to each", async function () {
      const name = fresh("lock");
      const { from } = await build(name, validArgs());
      const scopes = new Map(registered(from, T.lock).map((l) => [l.name, l.inputs]));
      const idOf = (type: string, n: string) => registered(from, type).find((r) => r.name === n)?.id;
      for (const [lock, target] of [
        [`${name}-server-lock`, idOf(T.server, `${name}-server`)],
        [`${name}-kv-lock`, idOf(T.vault, `${name}-kv`)],
        [`${name}-geo-kv-lock`, idOf(T.vault, `${name}-geo-kv`)],
      ] as const) {
        assert.ok(target, `${lock}: target registered`);
        assert.equal(scopes.get(lock)?.level, "CanNotDelete", lock);
        assert.equal(scopes.get(lock)?.scope, target, lock);
      }
    });

    it("keeps the locks when only protect is turned off, and drops them only with deleteLocks: false", async function () {
      const a = await build(fresh("lk"), validArgs(), { protect: false });
      // Server, both vaults, and the workspace that holds the audit trail.
      assert.equal(registered(a.from, T.lock).length, 4);
      const b = await build(fresh("nolk"), { ...validArgs(), deleteLocks: false });
      assert.equal(registered(b.from, T.lock).length, 0);
    });
  });

  describe("purge protection on a vault holding a CMK", function () {
    const attempts: [string, Record<string, unknown>][] = [
      ["top-level enablePurgeProtection: false", { enablePurgeProtection: false }],
      ["encryption.enablePurgeProtection: false", { encryption: { enablePurgeProtection: false } }],
      ["encryption.purgeProtection: false", { encryption: { purgeProtection: false } }],
      ["encryption.softDeleteRetentionInDays: 7", { encryption: { softDeleteRetentionInDays: 7 } }],
      [
        "a vault properties override",
        {
          encryption: { keyVault: { properties: { enablePurgeProtection: false } } },
          keyVault: { enablePurgeProtection: false },
        },
      ],
      ["RSA keys in a standard vault", { encryption: { keyType: "RSA" } }],
      ["geo backup off", { backup: { geoRedundantBackup: false } }],
      ["protect: false", { protect: false }],
    ];

    for (const [title, extra] of attempts) {
      it(`emits every created vault with purge protection and 90-day soft delete despite ${title}`, async function () {
        // Extra JSON fields, as another language's SDK can send them: the component either refuses
        // them or ignores them; it never passes them on to the vault.
        const base = validArgs() as unknown as Record<string, unknown>;
        const args = { ...base } as Record<string, unknown>;
        for (const [k, v] of Object.entries(extra))
          args[k] =
            typeof v === "object" && v !== null && typeof base[k] === "object"
              ? { ...(base[k] as object), ...v }
              : v;
        let from = recorder.resources.length;
        try {
          ({ from } = await build(fresh("pp"), args as unknown as ZeroTrustPostgresArgs));
        } catch (e) {
          assert.ok(pulumi.RunError.isInstance(e), `${title}: refused with ${String(e)}`);
          return;
        }
        const vaults = registered(from, T.vault);
        assert.ok(vaults.length > 0, "a vault is created");
        for (const v of vaults) {
          const p = sub(v.inputs.properties);
          assert.equal(p.enablePurgeProtection, true, `${v.name}: purge protection`);
          assert.equal(p.enableSoftDelete, true, `${v.name}: soft delete`);
          assert.equal(p.softDeleteRetentionInDays, 90, `${v.name}: retention`);
        }
      });
    }

    it("has no argument that reaches enablePurgeProtection", async function () {
      const fs = await import("node:fs");
      const path = await import("node:path");
      const args = fs.readFileSync(
        path.join(__dirname, "..", "..", "components", "postgres", "args.ts"),
        "utf8",
      );
      assert.doesNotMatch(args, /^\s*\w*purge\w*\??:/im, "args.ts declares no purge-protection argument");
      const enc = fs.readFileSync(
        path.join(__dirname, "..", "..", "components", "postgres", "encryption.ts"),
        "utf8",
      );
      assert.match(enc, /enablePurgeProtection: true,/, "the vault's purge protection is a literal true");
    });
  });

  describe("create-only properties", function () {
    it("registers the server with ignoreChanges on exactly the create-only inputs", async function () {
      const name = fresh("co");
      const { options } = await build(name, validArgs());
      const server = options.find((o) => o.type === T.server);
      assert.ok(server);
      assert.deepEqual([...(server.ignoreChanges ?? [])].sort(), [...CREATE_ONLY_PATHS].sort());
      assert.deepEqual([...CREATE_ONLY_PATHS].sort(), [
        "availabilityZone",
        "backup.geoRedundantBackup",
        "dataEncryption.type",
        "network.delegatedSubnetResourceId",
        "serverName",
      ]);
      // Keys: ARM never updates an existing key, so their properties are create-only (encryption.ts).
      for (const o of options.filter((x) => x.type !== T.server))
        if (o.type === "azure-native:keyvault:Key") assert.deepEqual(o.ignoreChanges, ["properties"], o.name);
        else assert.equal(o.ignoreChanges, undefined, `${o.name} ignores nothing`);
    });

    it("resolves the outputs when the deployed server matches its arguments", async function () {
      const name = fresh("match");
      const { component } = await build(name, validArgs());
      assert.match(await promiseOf(component.serverId), /flexibleServers\//);
      assert.match(await promiseOf(component.fqdn), /\.postgres\.database\.azure\.com$/);
    });

    it("accepts a ZoneRedundant server whose primary failed over to the standby zone", async function () {
      const name = fresh("failover");
      const component = await withDeployedServer(
        `${name}-server`,
        (s) => void (s.availabilityZone = "2"),
        async () =>
          (await build(name, { ...validArgs(), availabilityZone: "1", standbyAvailabilityZone: "2" }))
            .component,
      );
      assert.match(await promiseOf(component.serverId), /flexibleServers\//);
    });

    const cases: {
      title: string;
      vnet?: boolean;
      args?: Partial<ZeroTrustPostgresArgs>;
      patch: (s: Record<string, unknown>) => void;
      message: string;
    }[] = [
      {
        title: "geo-redundant backup",
        patch: (s) => void (sub(s.backup).geoRedundantBackup = "Disabled"),
        message:
          '[create-only] `backup.geoRedundantBackup` is fixed at creation: the deployed server has "Disabled", the args ask for "Enabled". Create a new server (or restore with `restore`) and migrate.',
      },
      {
        title: "the encryption mode",
        patch: (s) => void (s.dataEncryption = { type: "SystemManaged" }),
        message:
          '[create-only] `encryption` is fixed at creation: the deployed server has "SystemManaged", the args ask for "AzureKeyVault". Create a new server (or restore with `restore`) and migrate.',
      },
      {
        title: "the availability zone",
        args: { availabilityZone: "3", highAvailability: "SameZone" },
        patch: (s) => void (s.availabilityZone = "1"),
        message:
          '[create-only] `availabilityZone` is fixed at creation: the deployed server has "1", the args ask for "3". Create a new server (or restore with `restore`) and migrate.',
      },
      {
        title: "the server name",
        args: { serverName: "pg-renamed" },
        patch: (s) => void (s.name = "pg-original"),
        message:
          '[create-only] `serverName` is fixed at creation: the deployed server has "pg-original", the args ask for "pg-renamed". Create a new server (or restore with `restore`) and migrate.',
      },
      {
        title: "the network mode (privateEndpoint → vnetIntegration)",
        vnet: true,
        patch: (s) => void (s.network = { publicNetworkAccess: "Disabled" }),
        message:
          '[create-only] `network.mode` is fixed at creation: the deployed server has "privateEndpoint", the args ask for "vnetIntegration". Create a new server (or restore with `restore`) and migrate.',
      },
      {
        title: "the network mode (vnetIntegration → privateEndpoint)",
        patch: (s) =>
          void (s.network = {
            publicNetworkAccess: "Disabled",
            delegatedSubnetResourceId: DELEGATED_SUBNET_ID,
          }),
        message:
          '[create-only] `network.mode` is fixed at creation: the deployed server has "vnetIntegration", the args ask for "privateEndpoint". Create a new server (or restore with `restore`) and migrate.',
      },
    ];

    for (const c of cases) {
      it(`fails with a clear, stack-free error when ${c.title} differs from the deployed server`, async function () {
        const name = fresh("chg");
        const args = { ...(c.vnet ? validVnetArgs() : validArgs()), ...(c.args ?? {}) };
        const { component } = await withDeployedServer(`${name}-server`, c.patch, () => build(name, args));
        for (const out of ["serverId", "serverName", "fqdn", "connection"] as const) {
          await assert.rejects(promiseOf(component[out] as pulumi.Output<unknown>), (e: Error) => {
            assert.equal(e.message, c.message, out);
            assert.ok(pulumi.ResourceError.isInstance(e), `${out}: a ResourceError`);
            assert.equal((e as pulumi.ResourceError).hideStack, true, `${out}: stack hidden`);
            return true;
          });
        }
      });
    }

    it("reports every create-only difference at once", function () {
      const expected: ResolvedExpectation = {
        serverName: "pg",
        availabilityZone: "1",
        networkMode: "privateEndpoint",
        dataEncryptionType: "AzureKeyVault",
        geoRedundantBackup: "Enabled",
      };
      const problems = createOnlyProblems(
        {
          name: "other",
          availabilityZone: "3",
          delegatedSubnetResourceId: DELEGATED_SUBNET_ID,
          dataEncryptionType: "SystemManaged",
          geoRedundantBackup: "Disabled",
        },
        { ...expected, delegatedSubnetResourceId: undefined },
      );
      assert.deepEqual(
        problems.map((p) => /`([^`]+)`/.exec(p)?.[1]),
        ["serverName", "availabilityZone", "network.mode", "encryption", "backup.geoRedundantBackup"],
      );
      // What Azure does not report is not judged; names and ids compare case-insensitively.
      assert.deepEqual(createOnlyProblems({ name: "PG" }, expected), []);
      assert.deepEqual(createOnlyProblems({}, expected), []);
    });

    it("notices a different delegated subnet in vnetIntegration mode", function () {
      const problems = createOnlyProblems(
        { name: "pg", delegatedSubnetResourceId: `${DELEGATED_SUBNET_ID}-old` },
        {
          serverName: "pg",
          availabilityZone: "1",
          networkMode: "vnetIntegration",
          delegatedSubnetResourceId: DELEGATED_SUBNET_ID.toUpperCase(),
          dataEncryptionType: "AzureKeyVault",
          geoRedundantBackup: "Enabled",
        },
      );
      assert.equal(problems.length, 1);
      assert.match(problems[0], /`network\.delegatedSubnetResourceId` is fixed at creation/);
    });

    it("never touches brought keys' vaults (nothing to protect there)", async function () {
      const { from } = await build(fresh("byok"), {
        ...validArgs(),
        encryption: {
          keyUri: KEY_URI,
          keyVaultResourceId: VAULT_ID,
          geoBackupKeyUri: "https://central-geo-kv.vault.azure.net/keys/pg-cmk",
          geoBackupKeyVaultResourceId: GEO_VAULT_ID,
          geoBackupLocation: "northeurope",
        },
      });
      assert.equal(registered(from, T.vault).length, 0);
      assert.equal(registered(from, T.key).length, 0);
    });
  });
});
