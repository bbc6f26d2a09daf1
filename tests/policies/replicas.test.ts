// Read replicas (`createMode: "Replica"`): each rule that judges a server decides about them on purpose
// (the rule's `replica` field), and behaves as it says, in both providers.

import * as assert from "node:assert/strict";

import { RULES, evaluateResource, evaluateStack, type StackResourceView } from "../../policies/rules";
import { TOKENS } from "../../policies/rules/tokens";
import { SERVER_ID, T, happy, happyStack, withPath } from "./fixtures";
import type { Props } from "./fixtures";

const PRIMARY_ID = SERVER_ID.replace(/pg-zt$/, "pg-primary");

/** A replica that declares only what a replica needs: the mode, the source, and where it runs. */
const nativeReplica: Props = {
  resourceGroupName: happy.server.resourceGroupName,
  serverName: "pg-zt",
  location: "westeurope",
  createMode: "Replica",
  sourceServerResourceId: PRIMARY_ID,
  network: { publicNetworkAccess: "Disabled" },
};
const classicReplica: Props = {
  name: "pg-zt",
  resourceGroupName: happy.classicServer.resourceGroupName,
  location: "westeurope",
  createMode: "Replica",
  sourceServerId: PRIMARY_ID,
  publicNetworkAccessEnabled: false,
};

const ruleIds = (type: string, props: Props) => evaluateResource({ type, props }).map((v) => v.ruleId);

describe("read replicas: every rule that judges a server decides about them", () => {
  it("every rule over flexible servers, and every stack rule over servers, states its replica decision", () => {
    const serverRules = RULES.filter(
      (r) =>
        (r.kind === "resource" &&
          r.resourceTypes.some((t) => (TOKENS.flexibleServer as readonly string[]).includes(t))) ||
        [
          "postgres-private-connectivity",
          "postgres-diagnostic-settings",
          "postgres-entra-admin",
          "postgres-threat-protection",
          "resource-delete-locks",
          "postgres-effective-parameters",
          "postgres-effective-log-parameters",
          "firewall-total-width",
          "keyvault-cmk-private-access",
        ].includes(r.id),
    );
    assert.equal(serverRules.length, 18);
    for (const r of serverRules)
      assert.match(r.replica ?? "", /^(Skipped|Unset on a replica passes|Judged)/, r.id);
  });

  for (const [provider, type, replica] of [
    ["azure-native", T.server, nativeReplica],
    ["classic", T.classicServer, classicReplica],
  ] as const) {
    it(`${provider}: a replica that leaves backup, HA, identity, key and auth to its primary is flagged only for what it owns`, () => {
      const ids = ruleIds(type, replica);
      for (const skipped of [
        "postgres-geo-redundant-backup",
        "postgres-backup-retention",
        "postgres-ha-zone-redundant",
        "postgres-geo-backup-cmk-key",
        "postgres-cmk-encryption",
        "postgres-managed-identity",
        "postgres-entra-only-auth",
        "postgres-allowed-versions",
      ])
        assert.ok(!ids.includes(skipped as never), `${skipped} in ${ids.join(", ")}`);
      assert.deepEqual(ids, []);
    });

    it(`${provider}: the same server without createMode Replica is flagged for all of them`, () => {
      const primary = withPath(replica, "createMode", undefined);
      const ids = new Set(ruleIds(type, primary));
      for (const id of [
        "postgres-geo-redundant-backup",
        "postgres-backup-retention",
        "postgres-ha-zone-redundant",
        "postgres-cmk-encryption",
        "postgres-managed-identity",
        "postgres-entra-only-auth",
      ])
        assert.ok(ids.has(id as never), `${id} missing from ${[...ids].join(", ")}`);
    });
  }

  it("judges what a replica declares: password login on, or a public endpoint", () => {
    const pw = evaluateResource({
      type: T.server,
      props: withPath(nativeReplica, "authConfig", {
        passwordAuth: "Enabled",
        activeDirectoryAuth: "Enabled",
      }),
    });
    assert.ok(
      pw.some(
        (v) =>
          v.ruleId === "postgres-entra-only-auth" &&
          v.message.includes('authConfig.passwordAuth is "Enabled"'),
      ),
    );
    const open = evaluateResource({
      type: T.classicServer,
      props: withPath(classicReplica, "publicNetworkAccessEnabled", true),
    });
    assert.ok(
      open.some(
        (v) =>
          v.ruleId === "postgres-no-public-network-access" &&
          v.message.includes("publicNetworkAccessEnabled is true"),
      ),
    );
    const cmk = evaluateResource({
      type: T.server,
      props: withPath(nativeReplica, "dataEncryption", { type: "SystemManaged" }),
    });
    assert.ok(
      cmk.some(
        (v) =>
          v.ruleId === "postgres-cmk-encryption" &&
          v.message.includes('dataEncryption.type is "SystemManaged"'),
      ),
    );
  });

  it("stack rules: a replica without parameters or an Entra administrator is not flagged for them; it still needs private connectivity", () => {
    const stack: StackResourceView[] = happyStack()
      .map((r) =>
        r.type === T.server
          ? {
              ...r,
              props: {
                ...nativeReplica,
                authConfig: { passwordAuth: "Disabled", activeDirectoryAuth: "Enabled" },
              },
            }
          : r,
      )
      .filter((r) => r.type !== T.config && r.type !== T.admin);
    const ids = evaluateStack(stack).map((v) => v.ruleId);
    assert.ok(!ids.includes("postgres-effective-parameters"), ids.join(", "));
    assert.ok(!ids.includes("postgres-effective-log-parameters"), ids.join(", "));
    assert.ok(!ids.includes("postgres-entra-admin"), ids.join(", "));
    const noEndpoint = stack.filter((r) => r.type !== T.endpoint);
    assert.ok(evaluateStack(noEndpoint).some((v) => v.ruleId === "postgres-private-connectivity"));
    const primaryIds = evaluateStack(
      stack.map((r) =>
        r.type === T.server ? { ...r, props: withPath(r.props, "createMode", undefined) } : r,
      ),
    ).map((v) => v.ruleId);
    assert.ok(primaryIds.includes("postgres-effective-parameters"), primaryIds.join(", "));
    assert.ok(primaryIds.includes("postgres-effective-log-parameters"), primaryIds.join(", "));
    assert.ok(primaryIds.includes("postgres-entra-admin"), primaryIds.join(", "));
  });
});
