// What the component emits for the Azure constraints it encodes: alert queries scoped to the server,
// the first key version's expiry and the key's create-only settings, destroy-safe options (keys and
// threat protection retained, locks ordered after what they protect), the created delegated subnet's
// outbound path, the pgaudit restart trigger, and shared private DNS zones for two servers on one VNet.

import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { nameOf, promiseOf, recorder, settle } from "../helpers/mocks"; // mocks first
import { defaultArgs, RG, RG_ID, tweak, VNET_ID } from "../components/fixtures";
import { mockState } from "../../cli/mocks";
import { createOnlyProblems } from "../../components/postgres/create-only";
import { ZeroTrustPostgres, type ZeroTrustPostgresArgs } from "../../components";
import type { RecordedResource } from "../../cli/mocks";
import { createPrivateDnsZones } from "../../components/postgres/dns";
import {
  firstVersionExpiry,
  KEY_CREATE_ONLY_PATHS,
  keyCreateOnlyProblems,
  keyInputs,
} from "../../components/postgres/encryption";
import { failedLoginQuery, kqlString, roleChangeQuery } from "../../components/postgres/monitoring";
import { DELEGATED_SUBNET_OUTBOUND_RULES } from "../../components/postgres/network";
import {
  manualRestartStep,
  RESTART_COMMAND,
  staticParameterTrigger,
} from "../../components/postgres/restart";
import { resolveConfig } from "../../components/postgres/defaults";

interface Opts {
  name: string;
  type: string;
  retainOnDelete?: boolean;
  ignoreChanges?: string[];
  dependsOn: string[];
}

/** Constructs components inside `fn` and returns their registrations and options. */
async function construct(fn: (t: pulumi.ResourceTransformation) => void): Promise<{
  resources: RecordedResource[];
  opts: Opts[];
  opt(name: string): Opts;
  one(type: string, name: string): RecordedResource;
}> {
  const from = recorder.resources.length;
  const opts: Opts[] = [];
  fn((args) => {
    const deps = args.opts.dependsOn;
    const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
    opts.push({
      name: args.name,
      type: args.type,
      retainOnDelete: args.opts.retainOnDelete,
      ignoreChanges: args.opts.ignoreChanges,
      dependsOn: list.map((d) => nameOf(d)),
    });
    return undefined;
  });
  await settle();
  const resources = recorder.resources.slice(from);
  return {
    resources,
    opts,
    opt(name) {
      const hits = opts.filter((o) => o.name === name);
      assert.equal(hits.length, 1, `options of ${name}`);
      return hits[0];
    },
    one(type, name) {
      const hits = resources.filter((r) => r.type === type && r.name === name);
      assert.equal(hits.length, 1, `${type} ${name}`);
      return hits[0];
    },
  };
}

const SERVER_ID =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg1";

describe("alert queries", () => {
  it("match only this server's resource id, right after the table", () => {
    const q = failedLoginQuery(SERVER_ID);
    assert.equal(q.split("\n")[0], "AzureDiagnostics");
    assert.equal(q.split("\n")[1], `| where _ResourceId =~ "${SERVER_ID}"`);
    assert.match(roleChangeQuery(SERVER_ID), /\| where _ResourceId =~ "\/subscriptions\/s\/.*\/pg1"\n/);
    assert.equal(kqlString('a"b\\c'), '"a\\"b\\\\c"');
  });

  it("are emitted scoped to the component's server", async () => {
    const c = await construct((t) => new ZeroTrustPostgres("azq", defaultArgs(), { transformations: [t] }));
    const server = c.one("azure-native:dbforpostgresql:Server", "azq-server");
    for (const name of ["azq-alert-failed-logins", "azq-alert-role-changes"]) {
      const rule = c.one("azure-native:monitor:ScheduledQueryRule", name);
      const query = (rule.inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;
      assert.ok(query.includes(`| where _ResourceId =~ "${server.id}"`), query);
    }
  });
});

describe("customer-managed key", () => {
  const cfg = resolveConfig("azk", defaultArgs());

  it("gives the first key version an expiry keyExpiryDays after creation", () => {
    const now = Date.UTC(2026, 10, 30);
    const props = keyInputs(cfg, "vault", "key", now).properties as { attributes: { expires: number } };
    assert.equal(props.attributes.expires, now / 1000 + 365 * 86400);
    assert.equal(firstVersionExpiry(30, Date.UTC(2026, 10, 30, 23, 59, 59)), Date.UTC(2026, 11, 30) / 1000);
  });

  it("refuses a change to a setting ARM never updates on an existing key", () => {
    assert.deepEqual(
      keyCreateOnlyProblems(
        { kty: "RSA-HSM", keySize: 3072, expiryTime: "P365D", rotateAfter: "P180D" },
        cfg,
      ),
      [],
    );
    const problems = keyCreateOnlyProblems({ kty: "RSA-HSM", keySize: 4096, expiryTime: "P90D" }, cfg);
    assert.equal(problems.length, 2);
    assert.equal(
      problems[0],
      '[create-only] `encryption.keySize` is fixed at creation: the deployed key has "4096", the args ask for "3072". Azure Resource Manager never updates an existing key; set `encryption.keyName` to a new name to create a new key the server moves to, or keep the deployed value.',
    );
    assert.ok(
      problems[1].startsWith(
        '[create-only] `encryption.keyExpiryDays` is fixed at creation: the deployed key has "P90D"',
      ),
    );
  });

  it("is retained on delete and ignores property changes; threat protection is retained too", async () => {
    const c = await construct((t) => new ZeroTrustPostgres("azd", defaultArgs(), { transformations: [t] }));
    for (const key of ["azd-kv-key", "azd-geo-kv-key"]) {
      assert.equal(c.opt(key).retainOnDelete, true, key);
      assert.deepEqual(c.opt(key).ignoreChanges, [...KEY_CREATE_ONLY_PATHS]);
    }
    assert.equal(c.opt("azd-threat-protection").retainOnDelete, true);
    assert.equal(c.opt("azd-kv").retainOnDelete, undefined);
    assert.equal(c.opt("azd-server").retainOnDelete, undefined);
    const key = c.one("azure-native:keyvault:Key", "azd-kv-key");
    const attrs = (key.inputs.properties as { attributes: { expires: number } }).attributes;
    assert.equal(attrs.expires, firstVersionExpiry(365, Date.now()));
  });
});

describe("delegated subnet", () => {
  it("gets an NSG that allows only Entra ID and Storage out, a NAT gateway and a Storage service endpoint", async () => {
    const args = tweak(defaultArgs(), (a) => {
      a.network = {
        mode: "vnetIntegration",
        virtualNetworkName: "vnet-test",
        delegatedSubnetAddressPrefix: "10.0.2.0/28",
        keyVaultSubnetAddressPrefix: "10.0.3.0/29",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      };
    });
    const c = await construct((t) => new ZeroTrustPostgres("azv", args, { transformations: [t] }));
    const nsg = c.one("azure-native:network:NetworkSecurityGroup", "azv-subnet-nsg");
    const rules = nsg.inputs.securityRules as Record<string, unknown>[];
    assert.deepEqual(
      rules.map((r) => [r.name, r.direction, r.access, r.destinationAddressPrefix, r.destinationPortRange]),
      [
        ["allow-entra-id", "Outbound", "Allow", "AzureActiveDirectory", "443"],
        ["allow-storage", "Outbound", "Allow", "Storage", "443"],
        ["deny-internet", "Outbound", "Deny", "Internet", "*"],
      ],
    );
    assert.equal(DELEGATED_SUBNET_OUTBOUND_RULES.length, 3);
    const nat = c.one("azure-native:network:NatGateway", "azv-subnet-nat");
    const ip = c.one("azure-native:network:PublicIPAddress", "azv-subnet-nat-ip");
    assert.deepEqual(nat.inputs.publicIpAddresses, [{ id: ip.id }]);
    const subnet = c.one("azure-native:network:Subnet", "azv-subnet");
    assert.equal(subnet.inputs.defaultOutboundAccess, false);
    assert.deepEqual(subnet.inputs.networkSecurityGroup, { id: nsg.id });
    assert.deepEqual(subnet.inputs.natGateway, { id: nat.id });
    assert.deepEqual(subnet.inputs.serviceEndpoints, [{ service: "Microsoft.Storage" }]);
  });
});

describe("pgaudit restart", () => {
  const params = [
    { name: "shared_preload_libraries", value: "pg_cron,pg_stat_statements,pgaudit" },
    { name: "pgaudit.log", value: "role,ddl" },
    { name: "azure.extensions", value: "pgaudit" },
  ];
  const isStatic = (n: string) => n === "shared_preload_libraries";

  it("keys the trigger on the static parameters' values only", () => {
    const t = staticParameterTrigger(params, isStatic);
    assert.equal(t, "shared_preload_libraries=pg_cron,pg_stat_statements,pgaudit");
    // A dynamic change leaves the trigger (and so the restart) alone; a static change moves it.
    const dynamicChanged = params.map((p) => (p.name === "pgaudit.log" ? { ...p, value: "role" } : p));
    assert.equal(staticParameterTrigger(dynamicChanged, isStatic), t);
    const staticChanged = params.map((p) =>
      p.name === "shared_preload_libraries" ? { ...p, value: "pg_stat_statements,pgaudit" } : p,
    );
    assert.notEqual(staticParameterTrigger(staticChanged, isStatic), t);
    assert.equal(
      staticParameterTrigger(params, () => false),
      "",
    );
  });

  it("runs the Azure CLI with the server id from the environment, and says so when left manual", () => {
    assert.equal(RESTART_COMMAND, 'az postgres flexible-server restart --ids "$ZT_PG_SERVER_ID"');
    assert.equal(
      manualRestartStep("pg1", "rg1", "shared_preload_libraries=pgaudit"),
      "Restart the server once after this update so the static parameters (shared_preload_libraries) take effect and pgaudit is loaded: az postgres flexible-server restart --resource-group rg1 --name pg1",
    );
  });
});

describe("pgaudit restart in the component", () => {
  it("restarts once after the last parameter write and before the next server write, keyed on static values", async () => {
    const c = await construct((t) => new ZeroTrustPostgres("azr", defaultArgs(), { transformations: [t] }));
    const server = c.one("azure-native:dbforpostgresql:Server", "azr-server");
    const restart = c.one("command:local:Command", "azr-restart");
    assert.equal(restart.inputs.create, RESTART_COMMAND);
    assert.deepEqual(restart.inputs.environment, { ZT_PG_SERVER_ID: server.id });
    assert.deepEqual(restart.inputs.triggers, [
      server.id,
      "shared_preload_libraries=pg_stat_statements,pgaudit",
    ]);
    const params = c.opts.filter((o) => o.type === "azure-native:dbforpostgresql:Configuration");
    assert.deepEqual(c.opt("azr-restart").dependsOn, [params[params.length - 1].name]);
    const admins = c.opts.filter(
      (o) => o.type === "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
    );
    assert.deepEqual(admins[0].dependsOn, ["azr-restart"]);
  });
});

describe("pgaudit restart left to the operator", () => {
  it("creates no restart command with automaticRestart: false, and reports the manual step as an output", async () => {
    let made: ZeroTrustPostgres | undefined;
    const c = await construct(
      (t) =>
        (made = new ZeroTrustPostgres(
          "azm",
          tweak(defaultArgs(), (a) => void (a.automaticRestart = false)),
          { transformations: [t] },
        )),
    );
    assert.equal(c.resources.filter((r) => r.type === "command:local:Command").length, 0);
    const server = c.one("azure-native:dbforpostgresql:Server", "azm-server");
    const step = await promiseOf(made!.manualRestartStep!);
    assert.equal(
      step,
      `Restart the server once after this update so the static parameters (shared_preload_libraries) take effect and pgaudit is loaded: az postgres flexible-server restart --resource-group ${RG} --name ${String(server.inputs.serverName)}`,
    );
    // The first administrator write follows the last parameter directly.
    const params = c.opts.filter((o) => o.type === "azure-native:dbforpostgresql:Configuration");
    const admins = c.opts.filter(
      (o) => o.type === "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
    );
    assert.deepEqual(admins[0].dependsOn, [params[params.length - 1].name]);
  });

  it("has no manual step when the component restarts the server itself", async () => {
    let made: ZeroTrustPostgres | undefined;
    await construct((t) => (made = new ZeroTrustPostgres("azq", defaultArgs(), { transformations: [t] })));
    assert.equal(made!.manualRestartStep, undefined);
  });
});

describe("globally unique names", () => {
  const SUFFIX = "random:index/randomString:RandomString";

  it("suffixes the server and both vault names with one random string kept in state", async () => {
    const c = await construct((t) => new ZeroTrustPostgres("azn", defaultArgs(), { transformations: [t] }));
    const suffix = c.one(SUFFIX, "azn-name-suffix");
    // The names come from the RandomString's state (`result`), not from anything known at construction.
    const result = String(mockState(SUFFIX, "azn-name-suffix", suffix.inputs).result);
    assert.equal(
      c.one("azure-native:dbforpostgresql:Server", "azn-server").inputs.serverName,
      `azn-${result}`,
    );
    assert.equal(c.one("azure-native:keyvault:Vault", "azn-kv").inputs.vaultName, `azn-kv-${result}`);
    assert.equal(c.one("azure-native:keyvault:Vault", "azn-geo-kv").inputs.vaultName, `azn-gkv-${result}`);
    assert.equal(c.one("azure-native:keyvault:Key", "azn-kv-key").inputs.vaultName, `azn-kv-${result}`);
    // No keepers: nothing in the arguments can regenerate the suffix (and so rename the server).
    assert.equal(suffix.inputs.keepers, undefined);
  });

  it("uses given names as they are and creates no random string", async () => {
    const c = await construct(
      (t) =>
        new ZeroTrustPostgres(
          "azg",
          tweak(defaultArgs(), (a) => {
            a.serverName = "orders-pg-prod";
            a.encryption = { keyVaultName: "orders-kv-prod", geoBackupKeyVaultName: "orders-gkv-prod" };
          }),
          { transformations: [t] },
        ),
    );
    assert.equal(c.resources.filter((r) => r.type === SUFFIX).length, 0);
    assert.equal(
      c.one("azure-native:dbforpostgresql:Server", "azg-server").inputs.serverName,
      "orders-pg-prod",
    );
    assert.equal(c.one("azure-native:keyvault:Vault", "azg-kv").inputs.vaultName, "orders-kv-prod");
    assert.equal(c.one("azure-native:keyvault:Vault", "azg-geo-kv").inputs.vaultName, "orders-gkv-prod");
  });

  it("still generates the server name when only the vault names are given", async () => {
    const c = await construct(
      (t) =>
        new ZeroTrustPostgres(
          "azh",
          tweak(defaultArgs(), (a) => {
            a.encryption = { keyVaultName: "orders-kv-prod", geoBackupKeyVaultName: "orders-gkv-prod" };
          }),
          { transformations: [t] },
        ),
    );
    const suffix = c.one(SUFFIX, "azh-name-suffix");
    const result = String(mockState(SUFFIX, "azh-name-suffix", suffix.inputs).result);
    assert.equal(
      c.one("azure-native:dbforpostgresql:Server", "azh-server").inputs.serverName,
      `azh-${result}`,
    );
    assert.equal(c.one("azure-native:keyvault:Vault", "azh-kv").inputs.vaultName, "orders-kv-prod");
  });

  it("refuses a deployed server whose name differs from the generated one (create-only)", () => {
    const problems = createOnlyProblems(
      { name: "azn-oldhash1" },
      {
        serverName: "azn-a1b2c3d4",
        availabilityZone: "1",
        networkMode: "privateEndpoint",
        dataEncryptionType: "AzureKeyVault",
        geoRedundantBackup: "Enabled",
      },
    );
    assert.deepEqual(problems, [
      '[create-only] `serverName` is fixed at creation: the deployed server has "azn-oldhash1", the args ask for "azn-a1b2c3d4". Create a new server (or restore with `restore`) and migrate.',
    ]);
  });
});

describe("Key Vault private endpoints in vnetIntegration mode", () => {
  const PE = "azure-native:network:PrivateEndpoint";

  it("creates a second subnet beside the delegated one for the vaults' endpoints and their zone", async () => {
    const args = tweak(defaultArgs(), (a) => {
      a.network = {
        mode: "vnetIntegration",
        virtualNetworkName: "vnet-test",
        delegatedSubnetAddressPrefix: "10.0.2.0/28",
        keyVaultSubnetAddressPrefix: "10.0.3.0/29",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      };
    });
    const c = await construct((t) => new ZeroTrustPostgres("azk", args, { transformations: [t] }));
    const subnet = c.one("azure-native:network:Subnet", "azk-kv-subnet");
    const nsg = c.one("azure-native:network:NetworkSecurityGroup", "azk-kv-subnet-nsg");
    assert.equal(subnet.inputs.addressPrefix, "10.0.3.0/29");
    assert.equal(subnet.inputs.virtualNetworkName, "vnet-test");
    assert.equal(subnet.inputs.delegations, undefined);
    assert.equal(subnet.inputs.privateEndpointNetworkPolicies, "Enabled");
    assert.equal(subnet.inputs.defaultOutboundAccess, false);
    assert.deepEqual(subnet.inputs.networkSecurityGroup, { id: nsg.id });
    assert.equal(nsg.inputs.securityRules, undefined);
    // One subnet write at a time on a VNet.
    assert.deepEqual(c.opt("azk-kv-subnet").dependsOn, ["azk-subnet"]);
    const zone = c.one("azure-native:privatedns:PrivateZone", "azk-kv-zone");
    assert.equal(zone.inputs.privateZoneName, "privatelink.vaultcore.azure.net");
    for (const [pe, vault] of [
      ["azk-kv-pe", "azk-kv"],
      ["azk-geo-kv-pe", "azk-geo-kv"],
    ]) {
      const ep = c.one(PE, pe);
      assert.equal((ep.inputs.subnet as { id: string }).id, subnet.id);
      const conn = (ep.inputs.privateLinkServiceConnections as Record<string, unknown>[])[0];
      assert.equal(conn.privateLinkServiceId, c.one("azure-native:keyvault:Vault", vault).id);
      assert.deepEqual(conn.groupIds, ["vault"]);
      const group = c.one("azure-native:network:PrivateDnsZoneGroup", `${pe}-dns`);
      assert.deepEqual(group.inputs.privateDnsZoneConfigs, [{ name: "vault", privateDnsZoneId: zone.id }]);
    }
    assert.equal(c.resources.filter((r) => r.type === PE).length, 2, "no endpoint for the server itself");
    // The vault's lock goes before its endpoint on destroy.
    assert.ok(c.opt("azk-kv-lock").dependsOn.includes("azk-kv-pe"));
  });

  it("puts the endpoints in a brought subnet, and uses a brought vault zone", async () => {
    const kvZone = `${RG_ID}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
    const endpoints = `${VNET_ID}/subnets/endpoints`;
    const c = await construct(
      (t) =>
        new ZeroTrustPostgres(
          "azb",
          tweak(defaultArgs(), (a) => {
            a.network = {
              mode: "vnetIntegration",
              delegatedSubnetResourceId: `${VNET_ID}/subnets/postgres`,
              keyVaultPrivateEndpointSubnetResourceId: endpoints,
              keyVaultPrivateDnsZoneResourceId: kvZone,
              linkedVirtualNetworkResourceIds: [VNET_ID],
            };
          }),
          { transformations: [t] },
        ),
    );
    assert.equal(c.resources.filter((r) => r.type === "azure-native:network:Subnet").length, 0);
    assert.equal(c.resources.filter((r) => r.name === "azb-kv-zone").length, 0);
    assert.equal((c.one(PE, "azb-kv-pe").inputs.subnet as { id: string }).id, endpoints);
    assert.deepEqual(
      c.one("azure-native:network:PrivateDnsZoneGroup", "azb-kv-pe-dns").inputs.privateDnsZoneConfigs,
      [{ name: "vault", privateDnsZoneId: kvZone }],
    );
  });
});

describe("region checks in the component", () => {
  it("refuses geo-redundant backup in a nonpaired region before registering anything", async () => {
    const from = recorder.resources.length;
    assert.throws(
      () =>
        new ZeroTrustPostgres(
          "azi",
          tweak(defaultArgs(), (a) => void (a.location = "italynorth")),
        ),
      (e: Error) =>
        e.message ===
          'ZeroTrustPostgres "azi" refused its arguments (nothing was created):\n' +
            '  - `backup.geoRedundantBackup` true is not possible in "italynorth" (it has no Azure pair); set `backup.geoRedundantBackup` to false and use a geo-replica for disaster recovery, or choose a region that offers it (e.g. "australiacentral", "australiaeast", "australiasoutheast", "canadacentral").' &&
        !e.message.includes("    at "),
    );
    await settle();
    assert.equal(recorder.resources.length, from);
  });

  it("prints a warning for zone-redundant HA where new deployments are blocked", async () => {
    const { captureWarnings } = await import("../helpers/mocks");
    const { warnings } = await captureWarnings(() => new ZeroTrustPostgres("azw", defaultArgs()));
    await settle();
    assert.ok(
      warnings.some((w) =>
        w.startsWith(
          '`highAvailability` "ZoneRedundant" is temporarily blocked for new servers in "westeurope"',
        ),
      ),
      warnings.join("\n"),
    );
  });
});

describe("locks before what they guard", () => {
  it("deletes each vault's lock before its key, role assignment, private endpoint and diagnostics", async () => {
    const c = await construct((t) => new ZeroTrustPostgres("azl", defaultArgs(), { transformations: [t] }));
    assert.deepEqual([...c.opt("azl-kv-lock").dependsOn].sort(), [
      "azl-kv-crypto",
      "azl-kv-diag",
      "azl-kv-key",
      "azl-kv-pe",
      "azl-kv-pe-dns",
    ]);
    assert.deepEqual([...c.opt("azl-geo-kv-lock").dependsOn].sort(), [
      "azl-geo-kv-crypto",
      "azl-geo-kv-diag",
      "azl-geo-kv-key",
      "azl-geo-kv-pe",
      "azl-geo-kv-pe-dns",
    ]);
    assert.ok(c.opt("azl-server-lock").dependsOn.includes("azl-restart"));
  });
});

describe("two servers on one VNet", () => {
  it("share one pair of private-link zones passed to both components", async () => {
    const shared = (ids: { pg: pulumi.Output<string>; kv: pulumi.Output<string> }): ZeroTrustPostgresArgs => {
      const a = defaultArgs();
      return {
        ...a,
        network: {
          privateEndpointSubnetResourceId: a.network.privateEndpointSubnetResourceId,
          privateDnsZoneResourceId: ids.pg,
          keyVaultPrivateDnsZoneResourceId: ids.kv,
        },
      };
    };
    let zoneIds: { pg: pulumi.Output<string>; kv: pulumi.Output<string> } | undefined;
    const c = await construct((t) => {
      const zones = createPrivateDnsZones(
        "hub",
        { resourceGroupName: RG, linkedVirtualNetworkResourceIds: [VNET_ID] },
        { transformations: [t] } as pulumi.CustomResourceOptions,
      );
      zoneIds = { pg: zones.postgresZoneId, kv: zones.keyVaultZoneId };
      new ZeroTrustPostgres("orders", shared(zoneIds), { transformations: [t] });
      new ZeroTrustPostgres("billing", shared(zoneIds), { transformations: [t] });
    });
    const zones = c.resources.filter((r) => r.type === "azure-native:privatedns:PrivateZone");
    assert.deepEqual(
      zones.map((z) => [z.name, z.inputs.privateZoneName]),
      [
        ["hub-pg-zone", "privatelink.postgres.database.azure.com"],
        ["hub-kv-zone", "privatelink.vaultcore.azure.net"],
      ],
    );
    const links = c.resources.filter((r) => r.type === "azure-native:privatedns:VirtualNetworkLink");
    assert.deepEqual(
      links.map((l) => l.name),
      ["hub-pg-zone-link-0", "hub-kv-zone-link-0"],
    );
    const pgZone = await promiseOf((zoneIds as { pg: pulumi.Output<string> }).pg);
    const kvZone = await promiseOf((zoneIds as { kv: pulumi.Output<string> }).kv);
    const groups = c.resources.filter((r) => r.type === "azure-native:network:PrivateDnsZoneGroup");
    assert.deepEqual(
      groups
        .map((g) => [
          g.name,
          (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[])[0].privateDnsZoneId,
        ])
        .sort(),
      [
        ["orders-pe-dns", pgZone],
        ["orders-kv-pe-dns", kvZone],
        ["orders-geo-kv-pe-dns", kvZone],
        ["billing-pe-dns", pgZone],
        ["billing-kv-pe-dns", kvZone],
        ["billing-geo-kv-pe-dns", kvZone],
      ].sort(),
    );
  });
});
