import * as assert from "node:assert/strict";

import { evaluateResource } from "../../policies/rules";
import { run, withPath } from "./fixtures";
import type { Props } from "./fixtures";

const NATIVE = "azure-native:dataprotection:BackupVault";
const CLASSIC = "azure:dataprotection/backupVault:BackupVault";

const vault: Props = {
  resourceGroupName: "rg-zt",
  vaultName: "bv-zt",
  location: "swedencentral",
  identity: { type: "SystemAssigned" },
  properties: {
    storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }],
    securitySettings: {
      immutabilitySettings: { state: "Unlocked" },
      softDeleteSettings: { state: "On", retentionDurationInDays: 14 },
    },
  },
};
const classic: Props = {
  name: "bv-zt",
  datastoreType: "VaultStore",
  redundancy: "GeoRedundant",
  immutability: "Locked",
  softDelete: "AlwaysOn",
  retentionDurationInDays: 30,
};
const IMM = "backup-vault-immutability";
const SD = "backup-vault-soft-delete";

describe("backup-vault-immutability", () => {
  it("passes Unlocked and Locked", () => {
    assert.deepEqual(run(IMM, NATIVE, vault), []);
    assert.deepEqual(run(IMM, CLASSIC, classic), []);
  });

  it("rejects an unset state as Disabled", () => {
    assert.deepEqual(
      run(IMM, NATIVE, withPath(vault, "properties.securitySettings.immutabilitySettings", undefined)),
      [
        'Backup vaults must be immutable, so recovery points cannot be deleted before they expire: properties.securitySettings.immutabilitySettings.state is unset (unset means "Disabled"). Set properties.securitySettings.immutabilitySettings.state to "Unlocked" or "Locked".',
      ],
    );
  });

  it("rejects classic Disabled, and Unlocked when the config requires Locked", () => {
    assert.match(
      run(IMM, CLASSIC, { ...classic, immutability: "Disabled" }).join(),
      /immutability is "Disabled"/,
    );
    assert.match(
      run(IMM, NATIVE, vault, { requireLocked: true }).join(),
      /is "Unlocked"\. Set .* to "Locked"\./,
    );
  });

  it("is mandatory", () => {
    const v = evaluateResource({
      type: NATIVE,
      props: withPath(vault, "properties.securitySettings", undefined),
    });
    assert.deepEqual(
      v.map((x) => [x.ruleId, x.level]),
      [[IMM, "mandatory"]],
    );
  });
});

describe("backup-vault-soft-delete", () => {
  it("passes On with 14 days, AlwaysOn, and an unset state (Azure's default is On)", () => {
    assert.deepEqual(run(SD, NATIVE, vault), []);
    assert.deepEqual(run(SD, CLASSIC, classic), []);
    assert.deepEqual(
      run(SD, NATIVE, withPath(vault, "properties.securitySettings.softDeleteSettings", undefined)),
      [],
    );
  });

  it("rejects Off", () => {
    assert.deepEqual(
      run(SD, NATIVE, withPath(vault, "properties.securitySettings.softDeleteSettings.state", "Off")),
      [
        'Backup vaults must keep soft delete on, so deleted backups can be recovered: properties.securitySettings.softDeleteSettings.state is "Off". Set properties.securitySettings.softDeleteSettings.state to "On" or "AlwaysOn".',
      ],
    );
    assert.match(run(SD, CLASSIC, { ...classic, softDelete: "Off" }).join(), /softDelete is "Off"/);
  });

  it("rejects a retention below the configured minimum", () => {
    assert.match(
      run(SD, NATIVE, vault, { minimumRetentionDays: 30 }).join(),
      /\(30 days\): properties\.securitySettings\.softDeleteSettings\.retentionDurationInDays is 14\. Set .* to 30 or more\./,
    );
    assert.match(
      run(SD, CLASSIC, { ...classic, retentionDurationInDays: 7 }).join(),
      /retentionDurationInDays is 7/,
    );
  });
});
