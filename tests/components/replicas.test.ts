// Read replicas and the virtual endpoint: the pure resolution of `replicas` against the primary, the
// pack's verdict on a replica's server inputs, and, under the mock monitor, the children each replica
// gets (types, names, parents, regions, key inputs and the order of writes).

import assert from "node:assert/strict";
import { promiseOf } from "../helpers/mocks"; // mocks first
import {
  build,
  KEY_URI,
  minimalArgs,
  minimalVnetArgs,
  RG_ID,
  SUBNET_ID,
  tweak,
  VAULT_ID,
  type Built,
} from "./fixtures";
import {
  resolveReplicas,
  replicaServerInputs,
  virtualEndpointInputs,
  type PrimaryFacts,
} from "../../components/postgres/replicas";
import { evaluateResource } from "../../policies/rules";
import { checkResource, type ArmMapping } from "../arm-types/walker";

const FAR_VNET = `${RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet-dr`;
const FAR_SUBNET = `${FAR_VNET}/subnets/private-endpoints`;
const FAR_DELEGATED = `${FAR_VNET}/subnets/postgres`;
const IDENTITY = `${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pg-replica-r1-id`;
const STORAGE = { sizeGb: 128, autoGrow: true, type: "Premium_LRS" };
const T = {
  server: "azure-native:dbforpostgresql:Server",
  config: "azure-native:dbforpostgresql:Configuration",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  role: "azure-native:authorization:RoleAssignment",
  pe: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  diag: "azure-native:monitor:DiagnosticSetting",
  generic: "azure-native:resources:Resource",
  lock: "azure-native:authorization:ManagementLockByScope",
  restart: "command:local:Command",
  ve: "azure-native:dbforpostgresql:VirtualEndpoint",
};
type Props = Record<string, unknown>;
const SERVER_TYPE: ArmMapping = {
  dir: "postgresql/2025-08-01",
  armType: "Microsoft.DBforPostgreSQL/flexibleServers",
  apiVersion: "2025-08-01",
  nameInput: "serverName",
  pathParams: ["resourceGroupName"],
};

describe("read replicas: resolution against the primary", function () {
  const primary: PrimaryFacts = {
    componentName: "pg",
    serverName: "pg-1",
    location: "swedencentral",
    mode: "privateEndpoint",
    skuName: "Standard_D2ds_v5",
    skuTier: "GeneralPurpose",
    privateEndpointSubnetResourceId: SUBNET_ID,
  };

  it("puts a same-region replica on the primary's subnet and a cross-region one on its own", () => {
    const [near, far] = resolveReplicas(
      [{ name: "r1" }, { name: "dr", location: "Norway East", privateEndpointSubnetResourceId: FAR_SUBNET }],
      primary,
    );
    assert.deepEqual(
      [
        near.serverName,
        near.location,
        near.crossRegion,
        near.privateEndpointSubnetResourceId,
        near.keyCreated,
      ],
      ["pg-1-r1", "swedencentral", false, SUBNET_ID, true],
    );
    // The created vault's endpoint goes in the replica's own endpoint subnet, in its region.
    assert.equal(near.keyVaultPrivateEndpointSubnetResourceId, SUBNET_ID);
    assert.deepEqual(
      [far.serverName, far.location, far.crossRegion, far.keyVaultPrivateEndpointSubnetResourceId],
      ["pg-1-dr", "Norway East", true, FAR_SUBNET],
    );
  });

  it("leaves the name to the random suffix when the primary's name is generated", () => {
    const [r] = resolveReplicas([{ name: "read" }], { ...primary, serverName: undefined });
    assert.equal(r.serverName, undefined);
  });

  it("refuses a cross-region replica when the primary's region is not known yet", () => {
    assert.throws(
      () => resolveReplicas([{ name: "dr", location: "norwayeast" }], { ...primary, location: undefined }),
      /`replicas\[0\].privateEndpointSubnetResourceId` is required for a replica in "norwayeast".*not a plain region/,
    );
  });

  it("refuses a created vault beside a brought key", () => {
    assert.throws(
      () =>
        resolveReplicas(
          [{ name: "r1", keyUri: KEY_URI, keyVaultResourceId: VAULT_ID, keyVaultName: "r1-vault" }],
          primary,
        ),
      /`replicas\[0\].keyVaultName` is refused with `replicas\[0\].keyUri`/,
    );
  });

  it("emits replica inputs the pack accepts (own key and identity, no public access) that fit the ARM type", () => {
    const [r] = resolveReplicas([{ name: "r1" }], primary);
    const inputs = JSON.parse(
      JSON.stringify(
        replicaServerInputs(r, {
          resourceGroupName: "rg",
          serverName: "pg-1-r1",
          sourceServerResourceId: `${RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-1`,
          identityId: IDENTITY,
          keyUri: KEY_URI,
          storage: STORAGE,
        }),
      ),
    ) as Props;
    assert.equal(inputs.createMode, "Replica");
    assert.deepEqual(inputs.identity, { type: "UserAssigned", userAssignedIdentities: { [IDENTITY]: {} } });
    assert.deepEqual(inputs.dataEncryption, {
      type: "AzureKeyVault",
      primaryKeyURI: KEY_URI,
      primaryUserAssignedIdentityId: IDENTITY,
    });
    assert.deepEqual(inputs.storage, { storageSizeGB: 128, autoGrow: "Enabled", type: "Premium_LRS" });
    // Authentication and administrators are the primary's (inherited), as in Microsoft's example.
    assert.equal(inputs.authConfig, undefined);
    const mandatory = evaluateResource({ type: T.server, props: inputs }).filter(
      (v) => v.level === "mandatory",
    );
    assert.deepEqual(mandatory, []);
    assert.deepEqual(checkResource(SERVER_TYPE, inputs), []);
    // The same replica without its key, or with public access, fails the pack's rules.
    const weakened = { ...inputs, dataEncryption: { type: "SystemManaged" } };
    assert.deepEqual(
      evaluateResource({ type: T.server, props: weakened })
        .filter((v) => v.level === "mandatory")
        .map((v) => v.ruleId),
      ["postgres-cmk-encryption"],
    );
    const open = { ...inputs, network: { publicNetworkAccess: "Enabled" } };
    assert.ok(
      evaluateResource({ type: T.server, props: open }).some(
        (v) => v.ruleId === "postgres-no-public-network-access" && v.level === "mandatory",
      ),
    );
  });

  it("points the virtual endpoint's read-only host at the replica, on the primary", () => {
    assert.deepEqual(virtualEndpointInputs("pg-1-ve", "rg", "pg-1", "pg-1-r1"), {
      virtualEndpointName: "pg-1-ve",
      resourceGroupName: "rg",
      serverName: "pg-1",
      endpointType: "ReadWrite",
      members: ["pg-1-r1"],
    });
  });
});

describe("read replicas under the mock monitor", function () {
  this.timeout(120000);

  describe("privateEndpoint mode: a same-region and a cross-region replica with a virtual endpoint", () => {
    let b: Built;
    const props = (type: string, name: string) => b.get(type, name).inputs as Props;
    before(async () => {
      b = await build(
        "ztr",
        tweak(minimalArgs(), (a) => {
          a.replicas = [
            { name: "read" },
            { name: "dr", location: "northeurope", privateEndpointSubnetResourceId: FAR_SUBNET },
          ];
          a.virtualEndpoint = { readReplica: "dr" };
        }),
      );
    });

    it("creates each replica from the primary with its own identity and key in its region", async () => {
      const primaryId = await promiseOf(b.component.serverId);
      for (const [n, region] of [
        ["read", "westeurope"],
        ["dr", "northeurope"],
      ]) {
        const server = props(T.server, `ztr-replica-${n}-server`);
        assert.equal(server.createMode, "Replica");
        assert.equal(server.sourceServerResourceId, primaryId);
        assert.equal(server.location, region);
        assert.equal(b.opts(`ztr-replica-${n}-server`).parent, "ztr");
        const identity = b.get(T.identity, `ztr-replica-${n}-id`);
        assert.equal((identity.inputs as Props).location, region);
        assert.equal((props(T.vault, `ztr-replica-${n}-kv`) as Props).location, region);
        const key = b.get(T.key, `ztr-replica-${n}-kv-key`);
        assert.deepEqual(server.dataEncryption, {
          type: "AzureKeyVault",
          primaryKeyURI: `https://${props(T.vault, `ztr-replica-${n}-kv`).vaultName}.vault.azure.net/keys/${(key.inputs as Props).keyName}`,
          primaryUserAssignedIdentityId: identity.id,
        });
        assert.deepEqual(server.identity, {
          type: "UserAssigned",
          userAssignedIdentities: { [identity.id]: {} },
        });
        assert.deepEqual(server.network, { publicNetworkAccess: "Disabled" });
        // Azure checks key access when it creates the server.
        assert.ok(b.opts(`ztr-replica-${n}-server`).dependsOn.includes(`ztr-replica-${n}-kv-crypto`));
        assert.equal(props(T.role, `ztr-replica-${n}-kv-crypto`).scope, key.id);
      }
    });

    it("parents every replica child on the component and pins their names and types", () => {
      const children = b.resources.filter((r) => r.name.startsWith("ztr-replica-dr-"));
      for (const r of children) assert.equal(b.opts(r.name).parent, "ztr", r.name);
      const byName = Object.fromEntries(children.map((r) => [r.name, r.type]));
      for (const [n, type] of [
        ["ztr-replica-dr-id", T.identity],
        ["ztr-replica-dr-kv", T.vault],
        ["ztr-replica-dr-kv-key", T.key],
        ["ztr-replica-dr-kv-crypto", T.role],
        ["ztr-replica-dr-server", T.server],
        ["ztr-replica-dr-param-pgaudit-log", T.config],
        ["ztr-replica-dr-restart", T.restart],
        ["ztr-replica-dr-pe", T.pe],
        ["ztr-replica-dr-pe-dns", T.zoneGroup],
        ["ztr-replica-dr-kv-pe", T.pe],
        ["ztr-replica-dr-kv-pe-dns", T.zoneGroup],
        ["ztr-replica-dr-server-diag", T.diag],
        ["ztr-replica-dr-kv-diag", T.diag],
        ["ztr-replica-dr-threat-protection", T.generic],
        ["ztr-replica-dr-server-lock", T.lock],
        ["ztr-replica-dr-kv-lock", T.lock],
      ])
        assert.equal(byName[n], type, n);
    });

    it("names the replicas and their vaults from the shared random suffix", () => {
      const primary = String(props(T.server, "ztr-server").serverName);
      const suffix = primary.slice(-8);
      assert.equal(props(T.server, "ztr-replica-read-server").serverName, `ztr-read-${suffix}`);
      assert.equal(props(T.server, "ztr-replica-dr-server").serverName, `ztr-dr-${suffix}`);
      assert.equal(props(T.vault, "ztr-replica-read-kv").vaultName, `read-rkv-${suffix}`);
      assert.equal(props(T.ve, "ztr-virtual-endpoint").virtualEndpointName, `ztr-ve-${suffix}`);
    });

    it("creates the replicas one after another, after the primary's last write", () => {
      assert.ok(b.opts("ztr-replica-read-server").dependsOn.includes("ztr-threat-protection"));
      assert.ok(b.opts("ztr-replica-dr-server").dependsOn.includes("ztr-replica-read-server"));
    });

    it("writes the component's parameters to each replica in its own serial chain, then restarts it", () => {
      const primary = b.ofType(T.config).filter((r) => r.name.startsWith("ztr-param-"));
      const replica = b.ofType(T.config).filter((r) => r.name.startsWith("ztr-replica-read-param-"));
      assert.deepEqual(
        replica.map((r) => [(r.inputs as Props).configurationName, (r.inputs as Props).value]),
        primary.map((r) => [(r.inputs as Props).configurationName, (r.inputs as Props).value]),
      );
      assert.ok(b.opts(replica[0].name).dependsOn.includes("ztr-replica-read-server"));
      assert.ok(b.opts(replica[1].name).dependsOn.includes(replica[0].name));
      assert.ok(b.opts("ztr-replica-read-restart").dependsOn.includes(replica[replica.length - 1].name));
    });

    it("gives each replica a private endpoint in its region, in the primary's DNS zone", () => {
      const near = props(T.pe, "ztr-replica-read-pe");
      const far = props(T.pe, "ztr-replica-dr-pe");
      assert.deepEqual([near.location, (near.subnet as Props).id], ["westeurope", SUBNET_ID]);
      assert.deepEqual([far.location, (far.subnet as Props).id], ["northeurope", FAR_SUBNET]);
      const link = (far.privateLinkServiceConnections as Props[])[0];
      assert.deepEqual(link.groupIds, ["postgresqlServer"]);
      assert.equal(link.privateLinkServiceId, b.get(T.server, "ztr-replica-dr-server").id);
      const zone = (props(T.zoneGroup, "ztr-pe-dns").privateDnsZoneConfigs as Props[])[0].privateDnsZoneId;
      assert.equal(
        (props(T.zoneGroup, "ztr-replica-dr-pe-dns").privateDnsZoneConfigs as Props[])[0].privateDnsZoneId,
        zone,
      );
      // The created vault is reached through an endpoint in the replica's region too.
      const kv = props(T.pe, "ztr-replica-dr-kv-pe");
      assert.deepEqual([kv.location, (kv.subnet as Props).id], ["northeurope", FAR_SUBNET]);
      assert.deepEqual((kv.privateLinkServiceConnections as Props[])[0].groupIds, ["vault"]);
    });

    it("sends each replica's logs to the workspace and turns on Defender, and locks it after its children", () => {
      const server = b.get(T.server, "ztr-replica-dr-server");
      const diag = props(T.diag, "ztr-replica-dr-server-diag");
      assert.equal(diag.resourceUri, server.id);
      assert.equal(diag.workspaceId, props(T.diag, "ztr-server-diag").workspaceId);
      assert.equal(
        props(T.diag, "ztr-replica-dr-kv-diag").resourceUri,
        b.get(T.vault, "ztr-replica-dr-kv").id,
      );
      const defender = props(T.generic, "ztr-replica-dr-threat-protection");
      assert.equal(defender.resourceType, "advancedThreatProtectionSettings");
      assert.deepEqual(defender.properties, { state: "Enabled" });
      const lock = b.opts("ztr-replica-dr-server-lock");
      for (const n of [
        "ztr-replica-dr-pe",
        "ztr-replica-dr-pe-dns",
        "ztr-replica-dr-threat-protection",
        "ztr-replica-dr-server-diag",
      ])
        assert.ok(lock.dependsOn.includes(n), n);
      assert.equal(props(T.lock, "ztr-replica-dr-server-lock").scope, server.id);
      assert.ok(b.opts("ztr-replica-dr-kv-lock").dependsOn.includes("ztr-replica-dr-kv-pe"));
    });

    it("watches the replicas in the Resource Health (lost key) and Defender alerts", () => {
      const ids = ["ztr-server", "ztr-replica-read-server", "ztr-replica-dr-server"].map(
        (n) => b.get(T.server, n).id,
      );
      for (const alert of ["ztr-alert-server-unavailable", "ztr-alert-defender"])
        assert.deepEqual(props("azure-native:monitor:ActivityLogAlert", alert).scopes, ids, alert);
    });

    it("protects the replicas' vaults and keys but not the replica servers, which are rebuilt from the primary", () => {
      assert.equal(b.opts("ztr-replica-dr-kv").protect, true);
      assert.equal(b.opts("ztr-replica-dr-kv-key").protect, true);
      assert.notEqual(b.opts("ztr-replica-dr-server").protect, true);
      assert.equal(b.opts("ztr-server").protect, true);
    });

    it("creates the virtual endpoint on the primary, pointing its read-only host at the chosen replica", async () => {
      const ve = props(T.ve, "ztr-virtual-endpoint");
      assert.equal(ve.serverName, props(T.server, "ztr-server").serverName);
      assert.deepEqual(ve.members, [props(T.server, "ztr-replica-dr-server").serverName]);
      assert.equal(ve.endpointType, "ReadWrite");
      const after = b.opts("ztr-virtual-endpoint").dependsOn;
      assert.ok(after.includes("ztr-replica-read-server") && after.includes("ztr-replica-dr-server"));
      assert.ok(b.opts("ztr-server-lock").dependsOn.includes("ztr-virtual-endpoint"));
      const hosts = await promiseOf(b.component.virtualEndpointHosts!);
      assert.deepEqual(hosts, [
        `${ve.virtualEndpointName}.writer.postgres.database.azure.com`,
        `${ve.virtualEndpointName}.reader.postgres.database.azure.com`,
      ]);
    });

    it("reports each replica in the `replicas` output, without secrets", async () => {
      const out = await promiseOf(b.component.replicas);
      assert.deepEqual(
        out.map((r) => [r.name, r.location, r.serverName, r.fqdn]),
        [
          [
            "read",
            "westeurope",
            props(T.server, "ztr-replica-read-server").serverName,
            `${props(T.server, "ztr-replica-read-server").serverName}.postgres.database.azure.com`,
          ],
          [
            "dr",
            "northeurope",
            props(T.server, "ztr-replica-dr-server").serverName,
            `${props(T.server, "ztr-replica-dr-server").serverName}.postgres.database.azure.com`,
          ],
        ],
      );
      assert.match(out[1].keyUri, /^https:\/\/dr-rkv-[a-z0-9]{8}\.vault\.azure\.net\/keys\//);
    });
  });

  it("vnetIntegration mode: the replica joins its delegated subnet and the primary's zone, and its vault its endpoint subnet", async () => {
    const b = await build(
      "ztv",
      tweak(minimalVnetArgs(), (a) => {
        a.serverName = "pg-orders";
        a.replicas = [
          {
            name: "dr",
            location: "northeurope",
            delegatedSubnetResourceId: FAR_DELEGATED,
            keyVaultPrivateEndpointSubnetResourceId: FAR_SUBNET,
          },
        ];
      }),
    );
    const server = b.get(T.server, "ztv-replica-dr-server").inputs as Props;
    const primary = b.get(T.server, "ztv-server").inputs as Props;
    assert.equal(server.serverName, "pg-orders-dr");
    assert.deepEqual(server.network, {
      publicNetworkAccess: "Disabled",
      delegatedSubnetResourceId: FAR_DELEGATED,
      privateDnsZoneArmResourceId: (primary.network as Props).privateDnsZoneArmResourceId,
    });
    assert.equal(b.ofType(T.pe).filter((r) => r.name === "ztv-replica-dr-pe").length, 0);
    const kv = b.get(T.pe, "ztv-replica-dr-kv-pe").inputs as Props;
    assert.deepEqual([kv.location, (kv.subnet as Props).id], ["northeurope", FAR_SUBNET]);
  });

  it("a brought replica key: no vault, the role on the key, the URI on the replica", async () => {
    const b = await build(
      "ztk",
      tweak(minimalArgs(), (a) => {
        a.replicas = [{ name: "read", keyUri: KEY_URI, keyVaultResourceId: VAULT_ID }];
      }),
    );
    assert.equal(b.ofType(T.vault).filter((r) => r.name.startsWith("ztk-replica-")).length, 0);
    assert.equal(
      (b.get(T.role, "ztk-replica-read-kv-crypto").inputs as Props).scope,
      `${VAULT_ID}/keys/pg-cmk`,
    );
    assert.equal(
      ((b.get(T.server, "ztk-replica-read-server").inputs as Props).dataEncryption as Props).primaryKeyURI,
      KEY_URI,
    );
    assert.equal(b.ofType(T.lock).filter((r) => r.name === "ztk-replica-read-kv-lock").length, 0);
  });

  it("without replicas: no replica children, an empty `replicas` output and no virtual endpoint", async () => {
    const b = await build("ztn", minimalArgs());
    assert.equal(b.resources.filter((r) => r.name.includes("-replica-")).length, 0);
    assert.deepEqual(await promiseOf(b.component.replicas), []);
    assert.equal(b.component.virtualEndpointHosts, undefined);
  });

  it("with `automaticRestart: false`, the manual step names the primary and each replica", async () => {
    const b = await build(
      "ztm",
      tweak(minimalArgs(), (a) => {
        a.serverName = "pg-manual";
        a.automaticRestart = false;
        a.replicas = [{ name: "read" }];
      }),
    );
    const step = await promiseOf(b.component.manualRestartStep!);
    const lines = step.split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0], /--name pg-manual$/);
    assert.match(lines[1], /--name pg-manual-read$/);
    assert.equal(b.ofType(T.restart).length, 0);
  });
});
