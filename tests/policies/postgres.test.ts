import * as assert from "node:assert/strict";

import { evaluateResource, type RuleId } from "../../policies/rules";
import { GEO_IDENTITY_ID, IDENTITY_ID, T, happy, run, withPath } from "./fixtures";
import type { Props } from "./fixtures";

interface Case {
  name: string;
  rule: RuleId;
  type: string;
  props: Props;
  config?: Record<string, unknown>;
  /** Expected message fragment; undefined means the rule passes. */
  fragment?: string;
}

const S = happy.server;
const C = happy.classicServer;
const SUBNET = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pg";

const cases: Case[] = [
  // postgres-no-public-network-access
  {
    name: "passes a server with public access Disabled",
    rule: "postgres-no-public-network-access",
    type: T.server,
    props: S,
  },
  {
    name: "rejects public access Enabled",
    rule: "postgres-no-public-network-access",
    type: T.server,
    props: withPath(S, "network.publicNetworkAccess", "Enabled"),
    fragment:
      'network.publicNetworkAccess is "Enabled" (unset means Enabled). Set network.publicNetworkAccess to "Disabled"',
  },
  {
    name: "rejects an unset network (public by default)",
    rule: "postgres-no-public-network-access",
    type: T.server,
    props: withPath(S, "network", undefined),
    fragment: "network.publicNetworkAccess is unset",
  },
  {
    name: "passes a VNet-integrated server whatever publicNetworkAccess says",
    rule: "postgres-no-public-network-access",
    type: T.server,
    props: withPath(S, "network", { delegatedSubnetResourceId: SUBNET }),
  },
  {
    name: "passes public access when waived with allowPublicAccess",
    rule: "postgres-no-public-network-access",
    type: T.server,
    props: withPath(S, "network.publicNetworkAccess", "Enabled"),
    config: { allowPublicAccess: true },
  },
  {
    name: "compares the value case-insensitively",
    rule: "postgres-no-public-network-access",
    type: T.server,
    props: withPath(S, "network.publicNetworkAccess", "disabled"),
  },
  {
    name: "passes a classic server with public access off",
    rule: "postgres-no-public-network-access",
    type: T.classicServer,
    props: C,
  },
  {
    name: "rejects a classic server with publicNetworkAccessEnabled unset",
    rule: "postgres-no-public-network-access",
    type: T.classicServer,
    props: withPath(C, "publicNetworkAccessEnabled", undefined),
    fragment: "publicNetworkAccessEnabled is unset (unset means true)",
  },
  {
    name: "passes a classic server with a delegated subnet",
    rule: "postgres-no-public-network-access",
    type: T.classicServer,
    props: withPath(withPath(C, "publicNetworkAccessEnabled", undefined), "delegatedSubnetId", SUBNET),
  },

  // postgres-entra-only-auth
  { name: "passes Entra-only login", rule: "postgres-entra-only-auth", type: T.server, props: S },
  {
    name: "rejects password login on",
    rule: "postgres-entra-only-auth",
    type: T.server,
    props: withPath(S, "authConfig.passwordAuth", "Enabled"),
    fragment: 'authConfig.passwordAuth is "Enabled"',
  },
  {
    name: "rejects an unset authConfig (password on, Entra off)",
    rule: "postgres-entra-only-auth",
    type: T.server,
    props: withPath(S, "authConfig", undefined),
    fragment: "authConfig.activeDirectoryAuth is unset (unset means Entra login off)",
  },
  {
    name: "passes password login when waived with allowPasswordAuth",
    rule: "postgres-entra-only-auth",
    type: T.server,
    props: withPath(S, "authConfig.passwordAuth", "Enabled"),
    config: { allowPasswordAuth: true },
  },
  {
    name: "still requires Entra login under the password waiver",
    rule: "postgres-entra-only-auth",
    type: T.server,
    props: withPath(S, "authConfig.activeDirectoryAuth", "Disabled"),
    config: { allowPasswordAuth: true },
    fragment: 'authConfig.activeDirectoryAuth is "Disabled"',
  },
  {
    name: "passes classic Entra-only login",
    rule: "postgres-entra-only-auth",
    type: T.classicServer,
    props: C,
  },
  {
    name: "rejects classic password login",
    rule: "postgres-entra-only-auth",
    type: T.classicServer,
    props: withPath(C, "authentication.passwordAuthEnabled", true),
    fragment: "authentication.passwordAuthEnabled is true",
  },

  // postgres-cmk-encryption
  { name: "passes a CMK server", rule: "postgres-cmk-encryption", type: T.server, props: S },
  {
    name: "rejects system-managed encryption",
    rule: "postgres-cmk-encryption",
    type: T.server,
    props: withPath(S, "dataEncryption", { type: "SystemManaged" }),
    fragment: 'dataEncryption.type is "SystemManaged"',
  },
  {
    name: "rejects an unset dataEncryption",
    rule: "postgres-cmk-encryption",
    type: T.server,
    props: withPath(S, "dataEncryption", undefined),
    fragment: "(unset means SystemManaged)",
  },
  {
    name: "rejects AzureKeyVault without a key URI",
    rule: "postgres-cmk-encryption",
    type: T.server,
    props: withPath(S, "dataEncryption.primaryKeyURI", ""),
    fragment: "dataEncryption.primaryKeyURI is",
  },
  {
    name: "rejects AzureKeyVault without an identity",
    rule: "postgres-cmk-encryption",
    type: T.server,
    props: withPath(S, "dataEncryption.primaryUserAssignedIdentityId", undefined),
    fragment: "dataEncryption.primaryUserAssignedIdentityId is unset",
  },
  {
    name: "passes a key URI that is not known yet (sentinel)",
    rule: "postgres-cmk-encryption",
    type: T.server,
    props: withPath(S, "dataEncryption.primaryKeyURI", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
  },
  { name: "passes a classic CMK server", rule: "postgres-cmk-encryption", type: T.classicServer, props: C },
  {
    name: "rejects a classic server without customerManagedKey",
    rule: "postgres-cmk-encryption",
    type: T.classicServer,
    props: withPath(C, "customerManagedKey", undefined),
    fragment: "customerManagedKey is unset",
  },

  // postgres-geo-backup-cmk-key
  { name: "passes geo backup with a geo key", rule: "postgres-geo-backup-cmk-key", type: T.server, props: S },
  {
    name: "rejects geo backup with CMK but no geo-backup key",
    rule: "postgres-geo-backup-cmk-key",
    type: T.server,
    props: withPath(S, "dataEncryption.geoBackupKeyURI", undefined),
    fragment: "dataEncryption.geoBackupKeyURI is unset",
  },
  {
    name: "passes CMK without geo backup and without a geo key",
    rule: "postgres-geo-backup-cmk-key",
    type: T.server,
    props: withPath(
      withPath(S, "dataEncryption.geoBackupKeyURI", undefined),
      "backup.geoRedundantBackup",
      "Disabled",
    ),
  },
  {
    name: "rejects a classic geo backup without geoBackupUserAssignedIdentityId",
    rule: "postgres-geo-backup-cmk-key",
    type: T.classicServer,
    props: withPath(C, "customerManagedKey.geoBackupUserAssignedIdentityId", undefined),
    fragment: "customerManagedKey.geoBackupUserAssignedIdentityId is unset",
  },
  {
    name: "passes a classic geo backup with a geo key",
    rule: "postgres-geo-backup-cmk-key",
    type: T.classicServer,
    props: C,
  },

  // postgres-managed-identity
  { name: "passes a user-assigned identity", rule: "postgres-managed-identity", type: T.server, props: S },
  {
    name: "accepts userAssignedIdentities as a list",
    rule: "postgres-managed-identity",
    type: T.server,
    props: withPath(S, "identity.userAssignedIdentities", [IDENTITY_ID, GEO_IDENTITY_ID]),
  },
  {
    name: "rejects no identity",
    rule: "postgres-managed-identity",
    type: T.server,
    props: withPath(S, "identity", undefined),
    fragment: "identity.type is unset (unset means none)",
  },
  {
    name: "rejects UserAssigned with no identity listed",
    rule: "postgres-managed-identity",
    type: T.server,
    props: withPath(S, "identity.userAssignedIdentities", {}),
    fragment: "no user-assigned identity is listed",
  },
  { name: "passes a classic identity", rule: "postgres-managed-identity", type: T.classicServer, props: C },
  {
    name: "rejects a classic identity of type None",
    rule: "postgres-managed-identity",
    type: T.classicServer,
    props: withPath(C, "identity.type", "None"),
    fragment: 'identity.type is "None"',
  },

  // postgres-backup-retention
  { name: "passes 35 days", rule: "postgres-backup-retention", type: T.server, props: S },
  {
    name: "rejects retention below the configured minimum",
    rule: "postgres-backup-retention",
    type: T.server,
    props: withPath(S, "backup.backupRetentionDays", 14),
    config: { minimumDays: 30 },
    fragment:
      "backup.backupRetentionDays is 14 (unset means 7). Set backup.backupRetentionDays to 30 or more.",
  },
  {
    name: "rejects unset retention (Azure's 7 days) under the default minimum of 14",
    rule: "postgres-backup-retention",
    type: T.server,
    props: withPath(S, "backup.backupRetentionDays", undefined),
    fragment:
      "(14): backup.backupRetentionDays is unset (unset means 7). Set backup.backupRetentionDays to 14",
  },
  {
    name: "passes unset retention when the minimum is lowered to 7",
    rule: "postgres-backup-retention",
    type: T.server,
    props: withPath(S, "backup.backupRetentionDays", undefined),
    config: { minimumDays: 7 },
  },
  {
    name: "passes 14 days at the default minimum",
    rule: "postgres-backup-retention",
    type: T.server,
    props: withPath(S, "backup.backupRetentionDays", 14),
  },
  {
    name: "rejects classic retention below the default minimum",
    rule: "postgres-backup-retention",
    type: T.classicServer,
    props: withPath(C, "backupRetentionDays", 13),
    fragment: "(14): backupRetentionDays is 13",
  },
  {
    name: "rejects classic unset retention",
    rule: "postgres-backup-retention",
    type: T.classicServer,
    props: withPath(C, "backupRetentionDays", undefined),
    fragment: "backupRetentionDays is unset (unset means 7)",
  },

  // postgres-geo-redundant-backup
  { name: "passes geo-redundant backup", rule: "postgres-geo-redundant-backup", type: T.server, props: S },
  {
    name: "rejects geo backup Disabled",
    rule: "postgres-geo-redundant-backup",
    type: T.server,
    props: withPath(S, "backup.geoRedundantBackup", "Disabled"),
    fragment: 'backup.geoRedundantBackup is "Disabled"',
  },
  {
    name: "rejects classic geo backup unset",
    rule: "postgres-geo-redundant-backup",
    type: T.classicServer,
    props: withPath(C, "geoRedundantBackupEnabled", undefined),
    fragment: "geoRedundantBackupEnabled is unset",
  },
  {
    name: "passes classic geo backup",
    rule: "postgres-geo-redundant-backup",
    type: T.classicServer,
    props: C,
  },

  // postgres-ha-zone-redundant
  { name: "passes zone-redundant HA", rule: "postgres-ha-zone-redundant", type: T.server, props: S },
  {
    name: "rejects SameZone HA",
    rule: "postgres-ha-zone-redundant",
    type: T.server,
    props: withPath(S, "highAvailability.mode", "SameZone"),
    fragment: 'highAvailability.mode is "SameZone"',
  },
  {
    name: "rejects classic HA unset",
    rule: "postgres-ha-zone-redundant",
    type: T.classicServer,
    props: withPath(C, "highAvailability", undefined),
    fragment: "highAvailability.mode is unset",
  },
  {
    name: "passes classic zone-redundant HA",
    rule: "postgres-ha-zone-redundant",
    type: T.classicServer,
    props: C,
  },

  // postgres-allowed-versions
  { name: "passes version 17", rule: "postgres-allowed-versions", type: T.server, props: S },
  {
    name: "rejects version 12",
    rule: "postgres-allowed-versions",
    type: T.server,
    props: withPath(S, "version", "12"),
    fragment: 'version is "12"; allowed: 14, 15, 16, 17, 18',
  },
  {
    name: "honours a configured allow-list",
    rule: "postgres-allowed-versions",
    type: T.classicServer,
    props: C,
    config: { allowedVersions: ["18"] },
    fragment: 'version is "17"; allowed: 18',
  },
  {
    name: "passes an unset version (service default)",
    rule: "postgres-allowed-versions",
    type: T.server,
    props: withPath(S, "version", undefined),
  },
];

describe("flexible server rules", () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const messages = run(c.rule, c.type, c.props, c.config);
      if (c.fragment === undefined) {
        assert.deepEqual(messages, []);
      } else {
        assert.ok(messages.length > 0, "expected a violation");
        assert.ok(
          messages.some((m) => m.includes(c.fragment as string)),
          `no message contains ${JSON.stringify(c.fragment)}:\n${messages.join("\n")}`,
        );
      }
    });
  }

  it("covers every flexible-server rule with a passing and a failing case", () => {
    const ids = [...new Set(cases.map((c) => c.rule))];
    for (const id of ids) {
      assert.ok(
        cases.some((c) => c.rule === id && c.fragment === undefined),
        `${id}: no passing case`,
      );
      assert.ok(
        cases.some((c) => c.rule === id && c.fragment !== undefined),
        `${id}: no failing case`,
      );
    }
    assert.equal(ids.length, 9);
  });

  it("finds no violation on the happy azure-native and classic servers", () => {
    assert.deepEqual(evaluateResource({ type: T.server, props: S }), []);
    assert.deepEqual(evaluateResource({ type: T.classicServer, props: C }), []);
  });

  it("reports the exact rule id, level and the example message for a public server", () => {
    const v = evaluateResource({
      type: T.server,
      props: withPath(S, "network.publicNetworkAccess", "Enabled"),
    });
    assert.deepEqual(v, [
      {
        ruleId: "postgres-no-public-network-access",
        level: "mandatory",
        message:
          'PostgreSQL flexible servers must disable public network access: network.publicNetworkAccess is "Enabled" (unset means Enabled). Set network.publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      },
    ]);
  });

  it("applies component waivers passed as config", () => {
    const props = withPath(
      withPath(S, "network.publicNetworkAccess", "Enabled"),
      "authConfig.passwordAuth",
      "Enabled",
    );
    assert.deepEqual(
      evaluateResource(
        { type: T.server, props },
        {
          "postgres-no-public-network-access": { allowPublicAccess: true },
          "postgres-entra-only-auth": { allowPasswordAuth: true },
        },
      ),
      [],
    );
  });

  it("remediates public access to Disabled without touching other properties", async () => {
    const { getRule } = await import("../../policies/rules");
    const rule = getRule("postgres-no-public-network-access");
    assert.equal(rule.kind, "resource");
    if (rule.kind !== "resource" || !rule.remediate) throw new Error("no remediation");
    const bad = withPath(S, "network.publicNetworkAccess", "Enabled");
    const fixed = rule.remediate({ type: T.server, props: bad }, {});
    assert.deepEqual(fixed, withPath(S, "network.publicNetworkAccess", "Disabled"));
    assert.equal((bad.network as Props).publicNetworkAccess, "Enabled", "input not mutated");
    const classic = rule.remediate(
      { type: T.classicServer, props: withPath(C, "publicNetworkAccessEnabled", true) },
      {},
    );
    assert.equal(classic?.publicNetworkAccessEnabled, false);
  });
});
