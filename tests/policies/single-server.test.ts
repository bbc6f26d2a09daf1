import * as assert from "node:assert/strict";

import { evaluateResource } from "../../policies/rules";
import { T, happy, run, withPath } from "./fixtures";

describe("retired single server", () => {
  it("flags every single server, in both providers, with a migration hint", () => {
    for (const [type, props] of [
      [T.single, happy.single],
      [T.classicSingle, happy.classicSingle],
    ] as const) {
      const m = run("postgres-single-server-retired", type, props);
      assert.equal(m.length, 1);
      assert.ok(m[0].includes("retired on 2025-03-28"), m[0]);
      assert.ok(m[0].includes("Migrate it to a flexible server"), m[0]);
    }
  });

  it("says what else is wrong besides retirement, in both providers, declared and unset", () => {
    const native = run("postgres-single-server-retired", T.single, happy.single)[0];
    assert.ok(
      native.includes(
        "Until then it also has geo-redundant backup is off (properties.storageProfile.geoRedundantBackup is unset); infrastructure double encryption is off (properties.infrastructureEncryption is unset).",
      ),
      native,
    );
    const hardened = withPath(
      withPath(happy.single, "properties.storageProfile", { geoRedundantBackup: "Enabled" }),
      "properties.infrastructureEncryption",
      "Enabled",
    );
    assert.ok(!run("postgres-single-server-retired", T.single, hardened)[0].includes("Until then"));
    const classic = run("postgres-single-server-retired", T.classicSingle, {
      ...happy.classicSingle,
      geoRedundantBackupEnabled: false,
    })[0];
    assert.ok(classic.includes("geo-redundant backup is off (geoRedundantBackupEnabled is false)"), classic);
    assert.ok(
      classic.includes("infrastructure double encryption is off (infrastructureEncryptionEnabled is unset)"),
    );
    assert.ok(classic.includes("threat detection is off (threatDetectionPolicy.enabled is unset)"), classic);
    const classicHardened = run("postgres-single-server-retired", T.classicSingle, {
      ...happy.classicSingle,
      geoRedundantBackupEnabled: true,
      infrastructureEncryptionEnabled: true,
      threatDetectionPolicy: { enabled: true },
    })[0];
    assert.ok(!classicHardened.includes("Until then"), classicHardened);
  });

  it("does not flag a flexible server", () => {
    assert.deepEqual(run("postgres-single-server-retired", T.server, happy.server), []);
    assert.ok(
      !evaluateResource({ type: T.server, props: happy.server }).some(
        (v) => v.ruleId === "postgres-single-server-retired",
      ),
    );
  });

  it("flags only retirement on an otherwise hardened single server", () => {
    assert.deepEqual(
      evaluateResource({ type: T.single, props: happy.single }).map((v) => v.ruleId),
      ["postgres-single-server-retired"],
    );
  });

  it("also judges its SSL, TLS and public access", () => {
    const bad = withPath(
      withPath(
        withPath(happy.single, "properties.sslEnforcement", "Disabled"),
        "properties.minimalTlsVersion",
        "TLS1_0",
      ),
      "properties.publicNetworkAccess",
      "Enabled",
    );
    assert.deepEqual(
      evaluateResource({ type: T.single, props: bad })
        .map((v) => v.ruleId)
        .sort(),
      [
        "postgres-no-public-network-access",
        "postgres-secure-transport",
        "postgres-single-server-retired",
        "postgres-tls-min-version",
      ],
    );
    const classicBad = withPath(happy.classicSingle, "publicNetworkAccessEnabled", true);
    const v = evaluateResource({ type: T.classicSingle, props: classicBad });
    assert.ok(
      v.some(
        (x) =>
          x.ruleId === "postgres-no-public-network-access" &&
          x.message.includes("publicNetworkAccessEnabled is true"),
      ),
    );
  });

  it("treats an unset single-server public access as Enabled", () => {
    const m = run(
      "postgres-no-public-network-access",
      T.single,
      withPath(happy.single, "properties.publicNetworkAccess", undefined),
    );
    assert.ok(m[0].includes("properties.publicNetworkAccess is unset (unset means Enabled)"), m[0]);
  });
});
