// The component driven the way every other language drives it: through the component
// provider's `construct`, with the plain JSON a Python, Go, C#, Java or YAML program sends. It must
// register the same resources, with the same inputs and parents, as the TypeScript API given the
// equivalent args, keep the legacy alias, and hand back outputs that serialize onto the wire.
//
// The Pulumi runtime is process-global: the mock monitor is installed once (tests/helpers/mocks via
// ./host), each run starts from an empty recorder, and the two runs use distinct component names
// that are normalised before comparing.

import {
  ANALYZER_TIMEOUT_MS,
  COMPONENT_TOKEN,
  LEGACY_TOKEN,
  hostedProvider,
  recorder,
  type Hosted,
  type PackageSchema,
} from "./host";
import { optionsRecorder, promiseOf, settle, type RecordedOptions } from "../helpers/mocks";
import { MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID, type RecordedResource } from "../../cli/mocks";
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import * as providerServer from "@pulumi/pulumi/provider/server";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  DatabaseAccess,
  HighAvailabilityMode,
  NetworkMode,
  PostgresVersion,
  PrincipalType,
  SkuTier,
  TlsVersion,
  ZeroTrustPostgres,
  type ZeroTrustPostgresArgs,
} from "../../index";

const RG = "rg-orders-prod";
const RG_ID = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${RG}`;
const VNET_ID = `${RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet-orders`;
const SUBNET_ID = `${VNET_ID}/subnets/private-endpoints`;
const ACTION_GROUP_ID = `${RG_ID}/providers/Microsoft.Insights/actionGroups/dba-oncall`;
const ISSUER = `https://westeurope.oic.prod-aks.azure.com/${MOCK_TENANT_ID}/6b1f0c4e-2a3d-4c5e-9f10-0a1b2c3d4e5f/`;
const ADMINS = "11111111-1111-4111-8111-111111111111";
const WRITERS = "33333333-3333-4333-8333-333333333333";
const READERS = "44444444-4444-4444-8444-444444444444";

/** What a YAML (or Python, Go…) program sends: JSON only, enums as their string values. */
const JSON_INPUTS = {
  resourceGroupName: RG,
  location: "westeurope",
  tenantId: MOCK_TENANT_ID,
  serverName: "orders-prod-pg",
  version: "17",
  skuName: "Standard_D4ds_v5",
  skuTier: "GeneralPurpose",
  storageSizeGb: 256,
  highAvailability: "ZoneRedundant",
  administrators: [{ objectId: ADMINS, principalName: "pg-admins", principalType: "Group" }],
  personas: [
    { groupName: "orders-writers", objectId: WRITERS, access: "writer" },
    { groupName: "orders-readers", objectId: READERS, access: "reader" },
  ],
  workloadIdentities: [
    {
      name: "orders-api",
      access: "writer",
      aks: { issuerUrl: ISSUER, namespace: "orders", serviceAccount: "orders-api" },
    },
    { name: "reporting", access: "reader" },
  ],
  network: {
    mode: "privateEndpoint",
    privateEndpointSubnetResourceId: SUBNET_ID,
    linkedVirtualNetworkResourceIds: [VNET_ID],
  },
  encryption: {
    keyVaultName: "kv-orders-prod-01",
    geoBackupKeyVaultName: "gkv-orders-prod-01",
    geoBackupLocation: "northeurope",
  },
  minimumTlsVersion: "TLSv1.3",
  monitoring: { actionGroupResourceId: ACTION_GROUP_ID, failedLoginThreshold: 5, workspaceRetentionDays: 90 },
  backup: { retentionDays: 35, geoRedundantBackup: true },
  tags: { workload: "orders", environment: "prod" },
};

/** The same intent written against the TypeScript API, with its enum constants. */
function typescriptArgs(): ZeroTrustPostgresArgs {
  return {
    resourceGroupName: RG,
    location: "westeurope",
    tenantId: MOCK_TENANT_ID,
    serverName: "orders-prod-pg",
    version: PostgresVersion.V17,
    skuName: "Standard_D4ds_v5",
    skuTier: SkuTier.GeneralPurpose,
    storageSizeGb: 256,
    highAvailability: HighAvailabilityMode.ZoneRedundant,
    administrators: [{ objectId: ADMINS, principalName: "pg-admins", principalType: PrincipalType.Group }],
    personas: [
      { groupName: "orders-writers", objectId: WRITERS, access: DatabaseAccess.Writer },
      { groupName: "orders-readers", objectId: READERS, access: DatabaseAccess.Reader },
    ],
    workloadIdentities: [
      {
        name: "orders-api",
        access: DatabaseAccess.Writer,
        aks: { issuerUrl: ISSUER, namespace: "orders", serviceAccount: "orders-api" },
      },
      { name: "reporting", access: DatabaseAccess.Reader },
    ],
    network: {
      mode: NetworkMode.PrivateEndpoint,
      privateEndpointSubnetResourceId: SUBNET_ID,
      linkedVirtualNetworkResourceIds: [VNET_ID],
    },
    encryption: {
      keyVaultName: "kv-orders-prod-01",
      geoBackupKeyVaultName: "gkv-orders-prod-01",
      geoBackupLocation: "northeurope",
    },
    minimumTlsVersion: TlsVersion.TLSv1_3,
    monitoring: {
      actionGroupResourceId: ACTION_GROUP_ID,
      failedLoginThreshold: 5,
      workspaceRetentionDays: 90,
    },
    backup: { retentionDays: 35, geoRedundantBackup: true },
    tags: { workload: "orders", environment: "prod" },
  };
}

const TS_NAME = "ztpg-ts";
const ML_NAME = "ztpg-ml";
const WIRE_NAME = "ztpg-wire";

/** One run: what reached the mock monitor, and the options each resource was constructed with. */
interface Run {
  name: string;
  resources: RecordedResource[];
  options: RecordedOptions[];
}

/** A registration with the component's name replaced, so two runs compare. */
interface Normalised {
  type: string;
  name: string;
  parent?: string;
  /** Explicit `dependsOn` (the serial chain of server writes) and `protect`. */
  dependsOn: string[];
  protect?: boolean;
  inputs: string;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const GIVEN_GUIDS = new Set(JSON.stringify(JSON_INPUTS).match(GUID) ?? []);

/**
 * Replaces the component name, and GUIDs the mock derived from names (principal and client ids),
 * with placeholders; GUIDs the caller gave (tenant, groups) stay, so a lost or swapped one shows.
 */
function normalise(run: Run): Normalised[] {
  const scrub = (s: string) =>
    s
      .split(run.name)
      .join("<component>")
      .replace(GUID, (g) => (GIVEN_GUIDS.has(g) ? g : "<derived-guid>"));
  const optionsOf = new Map(run.options.map((o) => [`${o.type}::${o.name}`, o]));
  return run.resources
    .map((r) => {
      const o = optionsOf.get(`${r.type}::${r.name}`);
      assert.ok(o, `no options recorded for ${r.type} ${r.name}`);
      return {
        type: r.type,
        name: scrub(r.name),
        parent: o.parent === undefined ? undefined : scrub(o.parent),
        dependsOn: o.dependsOn.map(scrub).sort(),
        protect: o.protect,
        // `record` already sorted the keys at every level.
        inputs: scrub(JSON.stringify(r.inputs)),
      };
    })
    .sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
}

/** Full-depth stable JSON (object keys sorted at every level). */
function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** Runs `create` against an empty recorder and waits for every registration. */
async function record(
  name: string,
  create: (opts: pulumi.ComponentResourceOptions) => Promise<unknown>,
): Promise<Run> {
  await settle();
  recorder.reset();
  const rec = optionsRecorder();
  await create({ transformations: [rec.transformation] });
  await settle();
  return {
    name,
    resources: recorder.resources.map((r) => ({
      ...r,
      inputs: JSON.parse(stable(r.inputs)) as Record<string, unknown>,
    })),
    options: [...rec.records],
  };
}

describe("ZeroTrustPostgres through the component provider's construct", function () {
  this.timeout(ANALYZER_TIMEOUT_MS);

  let hosted: Hosted;
  let schema: PackageSchema;
  let ts: Run;
  let tsComponent: ZeroTrustPostgres;
  let ml: Run;
  let constructed: pulumi.provider.ConstructResult;

  before(async () => {
    hosted = await hostedProvider();
    schema = hosted.schema;
    ts = await record(TS_NAME, async (opts) => {
      tsComponent = new ZeroTrustPostgres(TS_NAME, typescriptArgs(), opts);
      await promiseOf(tsComponent.urn);
    });
    ml = await record(ML_NAME, async (opts) => {
      // A deep copy: the provider must not depend on object identity with anything in this file.
      const inputs = JSON.parse(JSON.stringify(JSON_INPUTS)) as pulumi.Inputs;
      constructed = await hosted.provider.construct(ML_NAME, COMPONENT_TOKEN, inputs, opts);
      await promiseOf(pulumi.output(constructed.urn));
    });
  });

  it("sends only inputs the schema declares, with enum values the schema lists", () => {
    const inputs = schema.resources[COMPONENT_TOKEN].inputProperties;
    for (const key of Object.keys(JSON_INPUTS)) assert.ok(inputs[key], `${key} is not a schema input`);
    const enumOf = (token: string) =>
      (schema.types[`zero-trust-azure-postgres:index:${token}`].enum ?? []).map((e) => e.value);
    assert.ok(enumOf("PostgresVersion").includes(JSON_INPUTS.version));
    assert.ok(enumOf("NetworkMode").includes(JSON_INPUTS.network.mode));
    assert.ok(enumOf("TlsVersion").includes(JSON_INPUTS.minimumTlsVersion));
  });

  it("registers the component under the package token, keeping the legacy alias", async () => {
    const own = ml.resources.filter((r) => r.name === ML_NAME);
    assert.deepEqual(
      own.map((r) => r.type),
      [COMPONENT_TOKEN],
    );
    const opts = ml.options.find((o) => o.name === ML_NAME);
    assert.ok(opts, "the component's own options were recorded");
    assert.equal(opts.type, COMPONENT_TOKEN);
    assert.deepEqual(opts.aliases, [{ type: LEGACY_TOKEN }]);
    assert.equal(ZeroTrustPostgres.prototype instanceof pulumi.ComponentResource, true);
    const urn = await promiseOf(pulumi.output(constructed.urn));
    assert.match(urn, new RegExp(`::${COMPONENT_TOKEN}::${ML_NAME}$`));
    const aliases = (tsComponent as unknown as { __aliases: pulumi.Input<string>[] }).__aliases;
    const aliasUrns = await Promise.all(aliases.map((a) => promiseOf(pulumi.output(a))));
    assert.ok(
      aliasUrns.some((u) => u.endsWith(`::${LEGACY_TOKEN}::${TS_NAME}`)),
      `an alias to ${LEGACY_TOKEN} is kept, found ${aliasUrns.join(", ")}`,
    );
  });

  it("registers the same resources, names, parents and inputs as the TypeScript API", () => {
    const a = normalise(ts);
    const b = normalise(ml);
    assert.ok(a.length >= 30, `the TypeScript run registered only ${a.length} resources`);
    assert.ok(a.filter((r) => r.dependsOn.length > 0).length >= 10, "the serial write chain is compared too");
    assert.ok(
      a.some((r) => r.protect === true),
      "protect is compared too",
    );
    assert.deepEqual(
      b.map((r) => `${r.type}::${r.name}`),
      a.map((r) => `${r.type}::${r.name}`),
    );
    assert.deepEqual(b, a);
  });

  it("gives every child the component as parent and a name derived from it", () => {
    const children = ml.options.filter((o) => o.name !== ML_NAME);
    assert.ok(children.length >= 30);
    for (const c of children) {
      assert.ok(c.name.startsWith(`${ML_NAME}-`), `${c.type} ${c.name} derives its name from the component`);
    }
    const direct = children.filter((c) => c.parent === ML_NAME);
    assert.ok(direct.length >= 30, "children hang directly under the component");
  });

  it("passes the JSON values through to the Azure resources", () => {
    const server = ml.resources.filter((r) => r.type === "azure-native:dbforpostgresql:Server");
    assert.equal(server.length, 1);
    const s = server[0].inputs as Record<string, Record<string, unknown> | string>;
    assert.equal(s.serverName, "orders-prod-pg");
    assert.equal(s.version, "17");
    assert.deepEqual(s.sku, { name: "Standard_D4ds_v5", tier: "GeneralPurpose" });
    assert.equal((s.network as Record<string, unknown>).publicNetworkAccess, "Disabled");
    assert.equal((s.authConfig as Record<string, unknown>).passwordAuth, "Disabled");
    assert.equal((s.authConfig as Record<string, unknown>).tenantId, MOCK_TENANT_ID);
    assert.equal((s.backup as Record<string, unknown>).backupRetentionDays, 35);
    assert.equal((s.highAvailability as Record<string, unknown>).mode, "ZoneRedundant");
    const tls = ml.resources.find(
      (r) =>
        r.type === "azure-native:dbforpostgresql:Configuration" &&
        r.inputs.configurationName === "ssl_min_protocol_version",
    );
    assert.equal(tls?.inputs.value, "TLSv1.3");
    const identities = ml.resources
      .filter((r) => r.type === "azure-native:managedidentity:UserAssignedIdentity")
      .map((r) => r.name)
      .sort();
    assert.ok(
      identities.includes(`${ML_NAME}-orders-api-id`) && identities.includes(`${ML_NAME}-reporting-id`),
    );
    const federated = ml.resources.filter(
      (r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential",
    );
    assert.equal(federated.length, 1);
    assert.equal(federated[0].inputs.issuer, ISSUER);
    assert.equal(federated[0].inputs.subject, "system:serviceaccount:orders:orders-api");
    const vaults = ml.resources
      .filter((r) => r.type === "azure-native:keyvault:Vault")
      .map((r) => r.inputs.vaultName);
    assert.deepEqual(vaults.sort(), ["gkv-orders-prod-01", "kv-orders-prod-01"]);
  });

  it("returns every schema output, and the state serializes onto the wire", async () => {
    const outputs = Object.keys(schema.resources[COMPONENT_TOKEN].properties);
    assert.deepEqual(Object.keys(constructed.state).sort(), [...outputs].sort());
    const state = constructed.state as Record<string, unknown>;
    assert.equal(
      await promiseOf(state.fqdn as pulumi.Output<string>),
      "orders-prod-pg.postgres.database.azure.com",
    );
    const connection = await promiseOf(state.connection as pulumi.Output<Record<string, unknown>>);
    assert.equal(connection.sslmode, "verify-full");
    assert.equal(connection.port, 5432);
    assert.deepEqual(
      (connection.workloads as { name: string; role: string }[]).map((w) => [w.name, w.role]),
      [
        ["orders-api", `${ML_NAME}-orders-api-id`],
        ["reporting", `${ML_NAME}-reporting-id`],
      ],
    );
    assert.equal(state.administratorPassword, undefined, "no password without allowPasswordAuth");
    // The engine that calls construct supports resource references; say so for this serialization
    // (another test file's mock restore can leave the process-global flag off).
    // getStore is @internal in the SDK's typings but exported at run time.
    const store = (
      runtimeState as unknown as { getStore(): { supportsResourceReferences: boolean } }
    ).getStore();
    const supported = store.supportsResourceReferences;
    store.supportsResourceReferences = true;
    let wire: Record<string, unknown>;
    try {
      [wire] = await rpc.serializeResourceProperties(
        `construct(${ML_NAME})`,
        constructed.state as pulumi.Inputs,
      );
    } finally {
      store.supportsResourceReferences = supported;
    }
    assert.equal(wire.fqdn, "orders-prod-pg.postgres.database.azure.com");
    assert.match(String(wire.bootstrapSql), /pgaadauth_create_principal_with_oid/);
    const server = wire.server as Record<string, unknown>;
    assert.equal(
      server[rpc.specialSigKey],
      rpc.specialResourceSig,
      "the server travels as a resource reference",
    );
    assert.match(String(server.urn), /\$azure-native:dbforpostgresql:Server::ztpg-ml-server$/);
  });

  it("builds the same estate from a gRPC request whose ids are outputs of other resources", async () => {
    // What the engine sends when a program passes `subnet.id` and `rg.name`: the subnet id as an
    // output value inside the plain `network` object, the resource group with an input dependency.
    const subnetUrn = "urn:pulumi:test::zt-postgres-test::azure-native:network:Subnet::endpoints";
    const rgUrn = "urn:pulumi:test::zt-postgres-test::azure-native:resources:ResourceGroup::rg";
    const wireInputs = {
      ...JSON_INPUTS,
      network: {
        ...JSON_INPUTS.network,
        privateEndpointSubnetResourceId: {
          [rpc.specialSigKey]: rpc.specialOutputValueSig,
          value: SUBNET_ID,
          dependencies: [subnetUrn],
        },
      },
    };
    const dependencies = new Map([["resourceGroupName", { getUrnsList: () => [rgUrn] }]]);
    const deserializeInputs = (
      providerServer as unknown as {
        deserializeInputs(
          inputs: Struct,
          deps: Map<string, { getUrnsList(): string[] }>,
        ): Promise<pulumi.Inputs>;
      }
    ).deserializeInputs;
    const wire = await record(WIRE_NAME, async (opts) => {
      const inputs = await deserializeInputs(Struct.fromJavaScript(wireInputs as never), dependencies);
      assert.ok(pulumi.Output.isInstance(inputs.resourceGroupName), "a dependency makes the input an output");
      const network = inputs.network as Record<string, unknown>;
      assert.ok(
        pulumi.Output.isInstance(network.privateEndpointSubnetResourceId),
        "the output value stays an output",
      );
      assert.equal(typeof inputs.tenantId, "string", "plain inputs stay plain");
      const result = await hosted.provider.construct(WIRE_NAME, COMPONENT_TOKEN, inputs, opts);
      await promiseOf(pulumi.output(result.urn));
    });
    assert.deepEqual(normalise(wire), normalise(ts));
  });

  it("refuses a value outside the schema's enum before registering anything", async () => {
    await settle();
    recorder.reset();
    const bad = { ...JSON_INPUTS, minimumTlsVersion: "TLSv1.1" } as pulumi.Inputs;
    await assert.rejects(
      hosted.provider.construct("ztpg-bad", COMPONENT_TOKEN, bad, {}),
      /minimumTlsVersion/,
    );
    await settle();
    assert.deepEqual(
      recorder.resources.map((r) => r.name),
      [],
    );
  });

  it("refuses a token outside the package", async () => {
    await assert.rejects(
      hosted.provider.construct("ztpg-legacy", LEGACY_TOKEN, JSON_INPUTS as pulumi.Inputs, {}),
      /Invalid package name zerotrust/,
    );
  });
});
