import assert from "node:assert/strict";
import { optionsRecorder, recorder, settle, since } from "../helpers/mocks"; // mocks first
import * as pulumi from "@pulumi/pulumi";
import {
  BACKUP_ROLES,
  backupInstanceInputs,
  backupPolicyInputs,
  backupVaultInputs,
  createLongTermBackup,
  resolveLongTermBackup,
  weeklyInterval,
} from "../../components/postgres/backup-vault";
import { evaluateResource } from "../../policies/rules";
import { checkResource, type ArmMapping } from "../arm-types/walker";

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const RG_ID = `${SUB}/resourceGroups/rg`;
const SERVER_ID = `${RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-1`;
const POLICY_ID = `${RG_ID}/providers/Microsoft.DataProtection/backupVaults/pg-bv/backupPolicies/pg-weekly`;

const dp = (armType: string, nameInput: string, pathParams: string[]): ArmMapping => ({
  dir: "dataprotection/2025-01-01",
  armType,
  apiVersion: "2025-01-01",
  nameInput,
  pathParams,
});
const VAULT = dp("Microsoft.DataProtection/backupVaults", "vaultName", ["resourceGroupName"]);
const POLICY = dp("Microsoft.DataProtection/backupVaults/backupPolicies", "backupPolicyName", [
  "resourceGroupName",
  "vaultName",
]);
const INSTANCE = dp("Microsoft.DataProtection/backupVaults/backupInstances", "backupInstanceName", [
  "resourceGroupName",
  "vaultName",
]);

describe("longTermBackup", function () {
  const s = resolveLongTermBackup("pg", {});

  it("defaults to a weekly Sunday 02:00 UTC full backup kept 12 months, Unlocked immutability, 14-day soft delete, geo-redundant", () => {
    assert.deepEqual(s, {
      vaultName: "pg-bv",
      backupDay: "Sunday",
      backupHourUtc: 2,
      retentionMonths: 12,
      immutability: "Unlocked",
      softDeleteRetentionDays: 14,
      geoRedundant: true,
    });
    assert.equal(weeklyInterval("Sunday", 2), "R/2026-01-04T02:00:00+00:00/P1W");
    assert.equal(weeklyInterval("Wednesday", 23), "R/2026-01-07T23:00:00+00:00/P1W");
  });

  it("emits a vault the pack accepts, with immutability, soft delete and no cross-subscription restore", () => {
    const inputs = backupVaultInputs(s, "rg", "swedencentral", { env: "prod" });
    assert.deepEqual(inputs.properties, {
      storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }],
      featureSettings: {
        crossSubscriptionRestoreSettings: { state: "Disabled" },
        crossRegionRestoreSettings: { state: "Enabled" },
      },
      securitySettings: {
        immutabilitySettings: { state: "Unlocked" },
        softDeleteSettings: { state: "On", retentionDurationInDays: 14 },
      },
    });
    assert.deepEqual(
      evaluateResource({
        type: "azure-native:dataprotection:BackupVault",
        props: inputs as unknown as Record<string, unknown>,
      }),
      [],
    );
    const zoned = backupVaultInputs(
      resolveLongTermBackup("pg", { geoRedundant: false, immutability: "Locked" }),
      "rg",
      "swedencentral",
      undefined,
    );
    assert.deepEqual((zoned.properties as unknown as { storageSettings: unknown }).storageSettings, [
      { datastoreType: "VaultStore", type: "ZoneRedundant" },
    ]);
  });

  it("emits vault, policy and instance inputs that fit the ARM types", () => {
    assert.deepEqual(
      checkResource(
        VAULT,
        backupVaultInputs(s, "rg", "swedencentral", undefined) as unknown as Record<string, unknown>,
      ),
      [],
    );
    const policy = backupPolicyInputs(s, "rg", "pg-bv", "pg-weekly") as unknown as Record<string, unknown>;
    // The walker does not descend into discriminated unions (the policy rules); it checks the rest,
    // and the rules' shape is pinned field by field in the next test.
    assert.deepEqual(checkResource(POLICY, policy), [
      "Microsoft.DataProtection/backupVaults/backupPolicies@2025-01-01.properties: unsupported type DiscriminatedObjectType in the reference",
    ]);
    const instance = backupInstanceInputs(
      "rg",
      "pg-bv",
      "pg-pg",
      { id: SERVER_ID, name: "pg-1", location: "swedencentral" },
      POLICY_ID,
    );
    assert.deepEqual(checkResource(INSTANCE, instance as unknown as Record<string, unknown>), []);
    // The checker is not blind: a misspelt property is reported.
    assert.match(
      checkResource(VAULT, {
        ...backupVaultInputs(s, "rg", "x", undefined),
        properties: { storageSettings: [], immutability: "Locked" },
      } as unknown as Record<string, unknown>).join(),
      /properties\.immutability: no such ARM property/,
    );
  });

  it("keeps backups in the vault store for the retention asked", () => {
    const p = backupPolicyInputs(
      resolveLongTermBackup("pg", { retentionMonths: 84, backupDay: "Saturday", backupHourUtc: 5 }),
      "rg",
      "v",
      "n",
    );
    const rules = (p.properties as unknown as { policyRules: Record<string, unknown>[] }).policyRules;
    assert.deepEqual(JSON.parse(JSON.stringify(rules[1])), {
      name: "Default",
      objectType: "AzureRetentionRule",
      isDefault: true,
      lifecycles: [
        {
          deleteAfter: { objectType: "AbsoluteDeleteOption", duration: "P84M" },
          sourceDataStore: { dataStoreType: "VaultStore", objectType: "DataStoreInfoBase" },
        },
      ],
    });
    assert.deepEqual((rules[0].trigger as { schedule: unknown }).schedule, {
      repeatingTimeIntervals: ["R/2026-01-10T05:00:00+00:00/P1W"],
      timeZone: "UTC",
    });
    assert.deepEqual((p.properties as unknown as { datasourceTypes: unknown }).datasourceTypes, [
      "Microsoft.DBforPostgreSQL/flexibleServers",
    ]);
  });

  it("refuses bad settings naming the field, the value and what is allowed", () => {
    assert.throws(
      () => resolveLongTermBackup("pg", { immutability: "Disabled" as never }),
      /^Error: `longTermBackup.immutability` "Disabled" is not allowed; use "Unlocked" or "Locked"/,
    );
    assert.throws(
      () => resolveLongTermBackup("pg", { softDeleteRetentionDays: 7 }),
      /`longTermBackup.softDeleteRetentionDays` 7 is out of range; use a whole number from 14 to 180\./,
    );
    assert.throws(
      () => resolveLongTermBackup("pg", { retentionMonths: 121 }),
      /`longTermBackup.retentionMonths` 121 is out of range; use a whole number from 1 to 120\./,
    );
    assert.throws(
      () => resolveLongTermBackup("pg", { backupHourUtc: 24 }),
      /`longTermBackup.backupHourUtc` 24 is out of range/,
    );
    assert.throws(
      () => resolveLongTermBackup("pg", { backupDay: "Funday" as never }),
      /`longTermBackup.backupDay` "Funday" is not a day; use one of Sunday, Monday/,
    );
    assert.throws(
      () => resolveLongTermBackup("pg", { vaultName: "9vault" }),
      /`longTermBackup.vaultName` "9vault" is not a Backup vault name/,
    );
  });

  it("creates vault, policy, both role assignments and the instance as children, the instance after the roles", async () => {
    const from = recorder.resources.length;
    const rec = optionsRecorder();
    const parent = new pulumi.ComponentResource(
      "test:index:Parent",
      "bv-parent",
      {},
      { transformations: [rec.transformation] },
    );
    createLongTermBackup(
      "pg",
      s,
      {
        resourceGroupName: "rg",
        resourceGroupId: RG_ID,
        location: "swedencentral",
        serverId: SERVER_ID,
        serverName: "pg-1",
      },
      { parent },
    );
    await settle();
    const children = rec.records.filter((r) => r.parent === "bv-parent");
    assert.deepEqual(
      children.map((r) => [r.type, r.name]),
      [
        ["azure-native:dataprotection:BackupVault", "pg-bv"],
        ["azure-native:dataprotection:BackupPolicy", "pg-bv-policy"],
        ["azure-native:authorization:RoleAssignment", "pg-bv-ltr-role"],
        ["azure-native:authorization:RoleAssignment", "pg-bv-reader"],
        ["azure-native:dataprotection:BackupInstance", "pg-bv-instance"],
      ],
    );
    assert.deepEqual(children[4].dependsOn, ["pg-bv-ltr-role", "pg-bv-reader"]);
    const made = since(from);
    const role = (n: string) => made.find((r) => r.name === n)?.inputs;
    assert.equal(role("pg-bv-ltr-role")?.scope, SERVER_ID);
    assert.equal(
      role("pg-bv-ltr-role")?.roleDefinitionId,
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BACKUP_ROLES.longTermRetentionBackup}`,
    );
    assert.equal(role("pg-bv-reader")?.scope, RG_ID);
    assert.equal(
      role("pg-bv-reader")?.roleDefinitionId,
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BACKUP_ROLES.reader}`,
    );
    const instance = made.find((r) => r.name === "pg-bv-instance")?.inputs as {
      properties: { dataSourceInfo: Record<string, unknown> };
    };
    assert.equal(instance.properties.dataSourceInfo.resourceID, SERVER_ID);
    assert.equal(
      instance.properties.dataSourceInfo.datasourceType,
      "Microsoft.DBforPostgreSQL/flexibleServers",
    );
  });
});
