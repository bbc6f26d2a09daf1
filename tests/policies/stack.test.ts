import * as assert from "node:assert/strict";

import { evaluateStack, getRule, indexStack } from "../../policies/rules";
import type { RuleId, StackResourceView, StackRule } from "../../policies/rules";
import {
  COMPLIANT_PARAMETERS,
  RG,
  SERVER_ID,
  SERVER_NAME,
  SUB,
  T,
  VAULT_ID,
  WORKSPACE_ID,
  clone,
  happy,
  happyStack,
  stackResource as res,
  urn,
  withPath,
} from "./fixtures";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SERVER_URN = urn(T.server, "pg");
const VAULT_URN = urn(T.vault, "kv");
const PE_URN = urn(T.endpoint, "pe");

/** The same stack at preview: ids unknown, every child linked only by its dependencies. */
function previewStack(): StackResourceView[] {
  const s = happyStack().map((r) => {
    const c: StackResourceView = { ...r, props: clone(r.props) };
    delete c.id;
    return c;
  });
  const find = (name: string) => s.find((r) => r.name === name) as StackResourceView;
  find("pe").props = withPath(find("pe").props, "privateLinkServiceConnections", [
    { name: "pg", privateLinkServiceId: UNKNOWN },
  ]);
  find("pe").props.privateEndpointName = undefined;
  find("pe").dependencies = [SERVER_URN];
  find("pe-dns").props.privateEndpointName = UNKNOWN;
  find("pe-dns").dependencies = [PE_URN];
  find("pg-diag").props.resourceUri = UNKNOWN;
  find("pg-diag").dependencies = [SERVER_URN];
  find("kv-diag").props.resourceUri = UNKNOWN;
  find("kv-diag").dependencies = [VAULT_URN];
  find("pg-admin").props.serverName = UNKNOWN;
  find("pg-admin").dependencies = [SERVER_URN];
  find("pg-atp").props.parentResourcePath = UNKNOWN;
  find("pg-atp").parent = SERVER_URN;
  find("pg-lock").props.scope = UNKNOWN;
  find("pg-lock").dependencies = [SERVER_URN];
  find("kv-lock").props.scope = UNKNOWN;
  find("kv-lock").dependencies = [VAULT_URN];
  for (const [suffix] of COMPLIANT_PARAMETERS) {
    const p = `pg-${suffix}`;
    find(p).props.serverName = UNKNOWN;
    find(p).dependencies = [SERVER_URN];
  }
  return s;
}

/** The same stack linked by names parsed from ARM ids (targets have no id in the view). */
function namedStack(): StackResourceView[] {
  return happyStack().map((r) => {
    const c: StackResourceView = { ...r, props: clone(r.props) };
    delete c.id;
    return c;
  });
}

function without(stack: StackResourceView[], ...names: string[]): StackResourceView[] {
  return stack.filter((r) => !names.includes(r.name));
}

function replace(
  stack: StackResourceView[],
  name: string,
  change: (r: StackResourceView) => StackResourceView,
) {
  return stack.map((r) => (r.name === name ? change({ ...r, props: clone(r.props) }) : r));
}

function ids(stack: readonly StackResourceView[]): string[] {
  return evaluateStack(stack).map((v) => v.ruleId);
}

describe("stack rules", () => {
  for (const [how, build] of [
    ["by id", happyStack],
    ["by dependency (preview: ids unknown)", previewStack],
    ["by name and resource group parsed from ids", namedStack],
  ] as const) {
    it(`finds no violation on a compliant stack linked ${how}`, () => {
      assert.deepEqual(evaluateStack(build()), []);
    });
  }

  const removals: [RuleId, string[], string, string][] = [
    [
      "postgres-private-connectivity",
      ["pe", "pe-dns"],
      SERVER_URN,
      "has no delegated subnet and no private endpoint targets it",
    ],
    ["private-endpoint-dns-zone-group", ["pe-dns"], PE_URN, "has no DNS zone group"],
    ["postgres-diagnostic-settings", ["pg-diag"], SERVER_URN, "has no diagnostic setting"],
    [
      "keyvault-diagnostic-settings",
      ["kv-diag"],
      VAULT_URN,
      "has no diagnostic setting with a destination and an enabled log",
    ],
    ["postgres-entra-admin", ["pg-admin"], SERVER_URN, "has password login off and no Entra administrator"],
    ["postgres-threat-protection", ["pg-atp"], SERVER_URN, "has no enabled advancedThreatProtectionSettings"],
    ["resource-delete-locks", ["pg-lock"], SERVER_URN, "has no CanNotDelete lock"],
    [
      "postgres-effective-parameters",
      ["pg-audit"],
      SERVER_URN,
      `pgaudit.log is not declared, so Azure's default for PostgreSQL 17 applies ("none"), which turns auditing off`,
    ],
    [
      "postgres-effective-parameters",
      ["pg-preload"],
      SERVER_URN,
      `shared_preload_libraries is not declared, so Azure's default for PostgreSQL 17 applies ("pg_stat_statements"), which does not load pgaudit`,
    ],
    [
      "postgres-effective-log-parameters",
      ["pg-log-retention"],
      SERVER_URN,
      `logfiles.retention_days is not declared, so Azure's default for PostgreSQL 17 applies ("3"), fewer than 7 days`,
    ],
    [
      "postgres-effective-log-parameters",
      ["pg-throttle"],
      SERVER_URN,
      `connection_throttle.enable is not declared, so Azure's default for PostgreSQL 17 applies ("off"), so repeated failed logins from one address are not throttled`,
    ],
    ["resource-delete-locks", ["kv-lock"], VAULT_URN, "has no CanNotDelete lock"],
  ];
  for (const [rule, names, target, fragment] of removals) {
    for (const [how, build] of [
      ["id", happyStack],
      ["dependency", previewStack],
      ["name", namedStack],
    ] as const) {
      it(`${rule}: flags the stack without ${names.join(", ")} (linked by ${how})`, () => {
        const v = evaluateStack(without(build(), ...names));
        assert.deepEqual(
          v.map((x) => x.ruleId),
          [rule],
        );
        assert.equal(v[0].urn, target);
        assert.ok(v[0].message.includes(fragment), v[0].message);
        assert.equal(v[0].level, getRule(rule).enforcementLevel);
      });
    }
  }

  it("links the outputs AnalyzeStack sends after an update (no path parameters, ids as properties)", () => {
    // azure-native outputs carry `id` and `name` but not inputs such as resourceUri, scope or serverName.
    const outputs = previewStack().map((r) => {
      const props = clone(r.props);
      for (const k of [
        "resourceUri",
        "scope",
        "serverName",
        "resourceGroupName",
        "privateEndpointName",
        "vaultName",
      ])
        delete props[k];
      if (r.name === "pg") Object.assign(props, { id: SERVER_ID, name: SERVER_NAME });
      if (r.name === "kv") Object.assign(props, { id: VAULT_ID, name: "kv-zt" });
      return { ...r, props };
    });
    assert.deepEqual(evaluateStack(outputs), []);
    assert.deepEqual(ids(without(outputs, "pg-lock")), ["resource-delete-locks"]);
  });

  it("postgres-private-connectivity: passes a VNet-integrated server without an endpoint", () => {
    const stack = replace(without(happyStack(), "pe", "pe-dns"), "pg", (r) => ({
      ...r,
      props: withPath(r.props, "network", { delegatedSubnetResourceId: "/subscriptions/x/subnets/pg" }),
    }));
    assert.deepEqual(ids(stack), []);
  });

  it("postgres-private-connectivity: does not count an endpoint that targets another server", () => {
    const other = SERVER_ID.replace(SERVER_NAME, "other");
    const stack = replace(happyStack(), "pe", (r) => ({
      ...r,
      props: withPath(r.props, "privateLinkServiceConnections", [{ privateLinkServiceId: other }]),
    }));
    assert.deepEqual(ids(stack), ["postgres-private-connectivity"]);
  });

  it("postgres-private-connectivity: counts a manual connection", () => {
    const stack = replace(happyStack(), "pe", (r) => ({
      ...r,
      props: {
        ...withPath(r.props, "privateLinkServiceConnections", undefined),
        manualPrivateLinkServiceConnections: [{ privateLinkServiceId: SERVER_ID }],
      },
    }));
    assert.deepEqual(ids(stack), []);
  });

  it("postgres-diagnostic-settings: flags a setting whose logs are all disabled", () => {
    const stack = replace(happyStack(), "pg-diag", (r) => ({
      ...r,
      props: withPath(r.props, "logs", [{ categoryGroup: "allLogs", enabled: false }]),
    }));
    const v = evaluateStack(stack);
    assert.deepEqual(
      v.map((x) => x.ruleId),
      ["postgres-diagnostic-settings"],
    );
    assert.ok(v[0].message.includes("has a diagnostic setting with no enabled log"), v[0].message);
  });

  it("postgres-diagnostic-settings: flags a setting without a workspace", () => {
    const stack = replace(happyStack(), "pg-diag", (r) => ({
      ...r,
      props: { ...withPath(r.props, "workspaceId", undefined), storageAccountId: "sa" },
    }));
    const v = evaluateStack(stack);
    assert.ok(v[0].message.includes("without a Log Analytics workspace"), v[0].message);
  });

  it("postgres-diagnostic-settings: counts explicit categories", () => {
    const stack = replace(happyStack(), "pg-diag", (r) => ({
      ...r,
      props: withPath(r.props, "logs", [
        { category: "PostgreSQLLogs", enabled: true },
        { category: "PostgreSQLFlexSessions", enabled: false },
      ]),
    }));
    assert.deepEqual(ids(stack), []);
  });

  it("postgres-entra-admin: does not apply to a server with password login on", () => {
    const stack = replace(without(happyStack(), "pg-admin"), "pg", (r) => ({
      ...r,
      props: withPath(r.props, "authConfig.passwordAuth", "Enabled"),
    }));
    assert.ok(!ids(stack).includes("postgres-entra-admin"));
  });

  it("postgres-threat-protection: accepts the subscription Defender plan or security.AdvancedThreatProtection", () => {
    const base = without(happyStack(), "pg-atp");
    const plan = res(T.pricing, "defender", {
      pricingName: "OpenSourceRelationalDatabases",
      pricingTier: "Standard",
      scopeId: SUB,
    });
    assert.deepEqual(ids([...base, plan]), []);
    const free = res(T.pricing, "defender", {
      pricingName: "OpenSourceRelationalDatabases",
      pricingTier: "Free",
      scopeId: SUB,
    });
    assert.deepEqual(ids([...base, free]), ["postgres-threat-protection"]);
    const atp = res(T.atp, "atp", { resourceId: SERVER_ID, isEnabled: true });
    assert.deepEqual(ids([...base, atp]), []);
    const off = res(T.atp, "atp", { resourceId: SERVER_ID, isEnabled: false });
    assert.deepEqual(ids([...base, off]), ["postgres-threat-protection"]);
  });

  it("postgres-threat-protection: flags advancedThreatProtectionSettings with state Disabled", () => {
    const stack = replace(happyStack(), "pg-atp", (r) => ({
      ...r,
      props: withPath(r.props, "properties.state", "Disabled"),
    }));
    assert.deepEqual(ids(stack), ["postgres-threat-protection"]);
  });

  it("postgres-threat-protection: links a nested resourceType with a two-part name", () => {
    const stack = replace(happyStack(), "pg-atp", (r) => ({
      ...r,
      props: {
        ...r.props,
        parentResourcePath: "",
        resourceType: "flexibleServers/advancedThreatProtectionSettings",
        resourceName: `${SERVER_NAME}/Default`,
      },
    }));
    assert.deepEqual(ids(stack), []);
  });

  it("resource-delete-locks: accepts resource-level, resource-group and ReadOnly locks; rejects other levels", () => {
    const base = without(happyStack(), "pg-lock");
    const atResource = res(T.lockAtResource, "pg-lock2", {
      resourceGroupName: RG,
      resourceProviderNamespace: "Microsoft.DBforPostgreSQL",
      resourceType: "flexibleServers",
      resourceName: SERVER_NAME,
      parentResourcePath: "",
      level: "CanNotDelete",
      apiVersion: "2025-08-01",
    });
    assert.deepEqual(ids([...base, atResource]), []);
    assert.deepEqual(
      ids([...base, res(T.lockAtGroup, "rg-lock", { resourceGroupName: RG, level: "CanNotDelete" })]),
      [],
    );
    assert.deepEqual(ids([...base, res(T.lockByScope, "ro", { scope: SERVER_ID, level: "ReadOnly" })]), []);
    assert.deepEqual(ids([...base, res(T.lockByScope, "ns", { scope: SERVER_ID, level: "NotSpecified" })]), [
      "resource-delete-locks",
    ]);
  });

  describe("classic provider", () => {
    const CLASSIC_SERVER_URN = urn(T.classicServer, "pg");
    function classicStack(): StackResourceView[] {
      return [
        res(T.classicServer, "pg", happy.classicServer, { id: SERVER_ID }),
        res(T.classicVault, "kv", happy.classicVault, { id: VAULT_ID }),
        res(T.classicEndpoint, "pe", {
          name: "pe-pg",
          resourceGroupName: RG,
          subnetId: "subnet",
          privateServiceConnection: {
            name: "pg",
            privateConnectionResourceId: SERVER_ID,
            subresourceNames: ["postgresqlServer"],
            isManualConnection: false,
          },
          privateDnsZoneGroup: { name: "default", privateDnsZoneIds: ["zone"] },
        }),
        res(T.classicDiag, "pg-diag", {
          targetResourceId: SERVER_ID,
          logAnalyticsWorkspaceId: WORKSPACE_ID,
          enabledLogs: [{ categoryGroup: "allLogs" }],
        }),
        res(T.classicDiag, "kv-diag", {
          targetResourceId: VAULT_ID,
          logAnalyticsWorkspaceId: WORKSPACE_ID,
          enabledLogs: [{ category: "AuditEvent" }],
        }),
        res(T.classicAdmin, "pg-admin", {
          serverName: SERVER_NAME,
          resourceGroupName: RG,
          objectId: "x",
          principalName: "pg-admins",
          principalType: "Group",
          tenantId: "t",
        }),
        res(T.classicAtp, "pg-atp", { targetResourceId: SERVER_ID, enabled: true }),
        res(T.classicLock, "pg-lock", { name: "pg-lock", scope: SERVER_ID, lockLevel: "CanNotDelete" }),
        res(T.classicLock, "kv-lock", { name: "kv-lock", scope: VAULT_ID, lockLevel: "CanNotDelete" }),
        ...COMPLIANT_PARAMETERS.map(([suffix, name, value]) =>
          res(T.classicConfig, `pg-${suffix}`, { serverId: SERVER_ID, name, value }),
        ),
      ];
    }
    it("finds no violation on a compliant classic stack", () => {
      assert.deepEqual(evaluateStack(classicStack()), []);
    });
    it("flags a classic endpoint without an inline DNS zone group", () => {
      const stack = replace(classicStack(), "pe", (r) => ({
        ...r,
        props: withPath(r.props, "privateDnsZoneGroup", undefined),
      }));
      assert.deepEqual(ids(stack), ["private-endpoint-dns-zone-group"]);
    });
    it("flags a classic server without a diagnostic setting, admin, threat protection or lock", () => {
      const v = evaluateStack(without(classicStack(), "pg-diag", "pg-admin", "pg-atp", "pg-lock"));
      assert.deepEqual(v.map((x) => x.ruleId).sort(), [
        "postgres-diagnostic-settings",
        "postgres-entra-admin",
        "postgres-threat-protection",
        "resource-delete-locks",
      ]);
      assert.ok(v.every((x) => x.urn === CLASSIC_SERVER_URN));
    });
    it("counts the classic Defender subscription plan", () => {
      const stack = [
        ...without(classicStack(), "pg-atp"),
        res(T.classicPricing, "plan", { tier: "Standard", resourceType: "OpenSourceRelationalDatabases" }),
      ];
      assert.deepEqual(ids(stack), []);
    });
    it("flags a retired single server without a private endpoint", () => {
      const single = res(T.classicSingle, "single", happy.classicSingle);
      const v = evaluateStack([single]).filter((x) => x.ruleId === "postgres-private-connectivity");
      assert.equal(v.length, 1);
      assert.equal(v[0].urn, single.urn);
    });
  });

  describe("the shared index", () => {
    it("is built once per resources array and shared by every stack rule", () => {
      const stack = happyStack();
      const first = indexStack(stack);
      for (const rule of [
        getRule("postgres-diagnostic-settings"),
        getRule("resource-delete-locks"),
      ] as StackRule[])
        rule.check(stack, {});
      assert.equal(indexStack(stack), first);
      assert.notEqual(indexStack(happyStack()), first);
    });

    it("evaluates 120,000 resources with every stack rule (linear index, no pairwise scans)", function () {
      this.timeout(120_000);
      const stack: StackResourceView[] = [];
      const n = 10_000;
      for (let i = 0; i < n; i++) {
        const name = `pg${i}`;
        const id = SERVER_ID.replace(SERVER_NAME, name);
        const server = res(T.server, name, withPath(happy.server, "serverName", name));
        stack.push(
          server,
          res(
            T.endpoint,
            `${name}-pe`,
            { resourceGroupName: RG, privateLinkServiceConnections: [{ privateLinkServiceId: UNKNOWN }] },
            { dependencies: [server.urn] },
          ),
          res(
            T.zoneGroup,
            `${name}-dns`,
            { resourceGroupName: RG, privateEndpointName: UNKNOWN },
            { dependencies: [urn(T.endpoint, `${name}-pe`)] },
          ),
          res(T.diag, `${name}-diag`, {
            resourceUri: id,
            workspaceId: WORKSPACE_ID,
            logs: [{ categoryGroup: "allLogs", enabled: true }],
          }),
          res(T.admin, `${name}-admin`, { resourceGroupName: RG, serverName: name }),
          res(T.atp, `${name}-atp`, { resourceId: id, isEnabled: true }),
          res(T.lockByScope, `${name}-lock`, { scope: id, level: "CanNotDelete" }),
          res(T.firewall, `${name}-fw`, happy.firewall),
          ...COMPLIANT_PARAMETERS.map(([suffix, configurationName, value]) =>
            res(T.config, `${name}-${suffix}`, {
              resourceGroupName: RG,
              serverName: name,
              configurationName,
              value,
            }),
          ),
        );
      }
      assert.equal(stack.length, 120_000);
      const v = evaluateStack(stack);
      assert.deepEqual(v, []);
      // One missing lock is still found among 120k resources.
      const v2 = evaluateStack(stack.filter((r) => r.name !== "pg777-lock"));
      assert.deepEqual(
        v2.map((x) => [x.ruleId, x.urn]),
        [["resource-delete-locks", urn(T.server, "pg777")]],
      );
    });
  });
});
