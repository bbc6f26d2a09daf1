// Defaults (defaults.ts): every name the component derives from any valid component name fits the
// Azure naming rule of its type (property-based), and the secure defaults are the ones the rules ask for.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import "../helpers/mocks"; // mocks first
import {
  canonicalRegion,
  PAIRED_REGIONS,
  resolveConfig,
  slug,
  tierOfSku,
} from "../../components/postgres/defaults";
import { FIELDS, NAME_RULES } from "../../components/postgres/fields";
import { NAME_SUFFIX_LENGTH, serverNameWith, vaultNameWith } from "../../components/postgres/naming";
import { validateArgs } from "../../components/postgres/validate";
import { minimalArgs, tweak } from "./fixtures";

/** ARM name rules of the types whose names derive from the component name (azure-arm-types trees). */
const ARM = {
  workspace: /^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$/, // 4-63
  federatedCredential: /^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$/,
  vault: /^[a-zA-Z0-9-]{3,24}$/,
  server: /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/, // 3-63
};

const componentName = fc.stringMatching(NAME_RULES.component.pattern);
/** What the RandomString (lowercase letters and digits) can hold. */
const suffixes = fc.stringMatching(new RegExp(`^[a-z0-9]{${NAME_SUFFIX_LENGTH}}$`));

describe("ZeroTrustPostgres defaults", () => {
  it("derives Azure names that fit every naming rule, for any valid component name", () => {
    fc.assert(
      fc.property(componentName, suffixes, (name, suffix) => {
        const server = serverNameWith(name, suffix);
        assert.ok(server.endsWith(`-${suffix}`), server);
        assert.match(server, NAME_RULES.server.pattern);
        assert.match(server, ARM.server);
        assert.ok(server.length >= 3 && server.length <= 63, server);
        const vault = vaultNameWith(name, "kv", suffix);
        const geo = vaultNameWith(name, "gkv", suffix);
        for (const v of [vault, geo]) {
          assert.match(v, NAME_RULES.vault.pattern, v);
          assert.match(v, ARM.vault, v);
        }
        assert.notEqual(vault, geo);
        const cfg = resolveConfig(
          name,
          tweak(
            minimalArgs(),
            (a) =>
              (a.workloadIdentities = [
                {
                  name: "a",
                  access: "reader",
                  aks: { issuerUrl: "https://i/", namespace: "n", serviceAccount: "s" },
                },
              ]),
          ),
        );
        assert.match(cfg.encryption.keyName, NAME_RULES.key.pattern);
        assert.match(`${name}-server-id`, NAME_RULES.identity.pattern);
        assert.match(cfg.workloads[0].identityName, NAME_RULES.identity.pattern);
        assert.match(cfg.workloads[0].aks!.credentialName, ARM.federatedCredential);
        const ws = `${name}-logs`;
        assert.match(ws, ARM.workspace);
        assert.ok(ws.length >= 4 && ws.length <= 63);
        // Valid component names pass validation on their own.
        validateArgs(name, minimalArgs());
      }),
      { numRuns: 500 },
    );
  });

  it("refuses component names that would make invalid Azure names", () => {
    for (const bad of ["", "my db", "db.prod", "-db", "db-", "x".repeat(41), "db_1"]) {
      assert.throws(
        () => validateArgs(bad, minimalArgs()),
        /component name .* is not allowed; use 1-40 letters, digits and hyphens/,
        bad,
      );
    }
  });

  it("builds names from the component name and the random suffix only", () => {
    assert.equal(serverNameWith("Orders", "a1b2c3d4"), "orders-a1b2c3d4");
    assert.equal(vaultNameWith("Orders", "kv", "a1b2c3d4"), "orders-kv-a1b2c3d4");
    assert.equal(vaultNameWith("Orders", "gkv", "a1b2c3d4"), "orders-gkv-a1b2c3d4");
    // The vault base starts with a letter and is trimmed to fit 24 characters.
    assert.equal(vaultNameWith("1-very-long-component-name", "kv", "a1b2c3d4"), "kv1-very-lon-kv-a1b2c3d4");
    assert.equal(vaultNameWith("1-very-long-component-name", "gkv", "a1b2c3d4"), "kv1-very-lo-gkv-a1b2c3d4");
    assert.notEqual(serverNameWith("orders", "a1b2c3d4"), serverNameWith("orders", "a1b2c3d5"));
  });

  it("resolves the zero-trust defaults each rule asks for", () => {
    const cfg = resolveConfig("zt", minimalArgs());
    assert.equal(cfg.allowPasswordAuth, false); // postgres-entra-only-auth
    assert.equal(cfg.network.allowPublicAccess, false); // postgres-no-public-network-access
    assert.equal(cfg.network.mode, "privateEndpoint");
    assert.equal(cfg.network.firewallMinimumPrefixLength, 24); // firewall-no-open-ranges
    assert.equal(cfg.encryption.created, true); // postgres-cmk-encryption
    assert.equal(cfg.encryption.keyType, "RSA-HSM"); // keyvault-key-hsm-backed
    assert.equal(cfg.encryption.keySize, 3072); // keyvault-key-strength
    assert.deepEqual([cfg.encryption.keyExpiryDays, cfg.encryption.keyRotationDays], [365, 180]); // keyvault-key-rotation-policy
    assert.equal(cfg.minimumTlsVersion, "TLSv1.3"); // postgres-tls-min-version
    assert.deepEqual(cfg.backup, { retentionDays: 35, geoRedundantBackup: true }); // postgres-backup-retention, -geo-redundant-backup
    assert.equal(cfg.encryption.geo?.location, "northeurope"); // postgres-geo-backup-cmk-key: westeurope's pair
    assert.equal(cfg.highAvailability.mode, "ZoneRedundant"); // postgres-ha-zone-redundant
    assert.equal(cfg.monitoring.pgauditLog, "role,ddl,misc"); // postgres-pgaudit-enabled
    assert.equal(cfg.monitoring.logRetentionDays, 7); // postgres-log-retention
    assert.equal(cfg.protect, true);
    assert.equal(cfg.deleteLocks, true); // resource-delete-locks
    assert.equal(cfg.administrators[0].principalType, "Group");
  });

  it("pairs regions both ways where Azure does, and canonicalises region names", () => {
    assert.equal(canonicalRegion("West Europe"), "westeurope");
    for (const [a, b] of [
      ["westeurope", "northeurope"],
      ["eastus2", "centralus"],
      ["japaneast", "japanwest"],
    ]) {
      assert.equal(PAIRED_REGIONS[a], b);
      assert.equal(PAIRED_REGIONS[b], a);
    }
    for (const [region, pair] of Object.entries(PAIRED_REGIONS)) assert.notEqual(region, pair);
  });

  it("infers the SKU tier from the SKU family and slugs names", () => {
    assert.equal(tierOfSku("Standard_B1ms"), "Burstable");
    assert.equal(tierOfSku("Standard_D4ds_v5"), "GeneralPurpose");
    assert.equal(tierOfSku("Standard_E8ds_v5"), "MemoryOptimized");
    assert.equal(tierOfSku("GP_Gen5_2"), undefined);
    assert.equal(slug("My DB__Prod"), "my-db-prod");
  });
});

/** A documented default as the argument's own value, or undefined when the text is not a literal. */
function literalDefault(description: string, kind: string): unknown {
  const m = /Defaults to `([^`]+)`/.exec(description);
  if (!m || /[<…]/.test(m[1])) return undefined;
  if (kind === "int" || kind === "oneOf") return Number(m[1]);
  if (kind === "bool") return m[1] === "true" ? true : m[1] === "false" ? false : undefined;
  return m[1];
}

describe('"Defaults to" in the argument docs', () => {
  // schema.json carries the doc comments of args.ts; setting a documented default explicitly must
  // leave the resolved configuration unchanged, so no "Defaults to" sentence can drift from defaults.ts.
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schema.json"), "utf8")) as {
    resources: Record<string, { inputProperties: Record<string, { description?: string }> }>;
    types: Record<string, { properties?: Record<string, { description?: string }> }>;
  };
  const component = Object.values(schema.resources)[0].inputProperties;
  const nested: Record<string, string> = {
    network: "NetworkArgs",
    encryption: "EncryptionArgs",
    monitoring: "MonitoringArgs",
    backup: "BackupArgs",
  };
  const documented: { path: string; description: string }[] = [];
  for (const [name, p] of Object.entries(component)) {
    documented.push({ path: name, description: p.description ?? "" });
    const t = nested[name] && Object.entries(schema.types).find(([k]) => k.endsWith(`:${nested[name]}`));
    if (t)
      for (const [child, c] of Object.entries(t[1].properties ?? {}))
        documented.push({ path: `${name}.${child}`, description: c.description ?? "" });
  }

  const checked = documented.flatMap(({ path: p, description }) => {
    const field = FIELDS.find((f) => f.path === p);
    const value = field ? literalDefault(description, field.type.kind) : undefined;
    return value === undefined ? [] : [{ path: p, value }];
  });

  it("finds every literal default to check", () => {
    assert.deepEqual(
      checked.map((c) => c.path),
      [
        "version",
        "skuName",
        "storageSizeGb",
        "storageAutoGrow",
        "storageType",
        "availabilityZone",
        "highAvailability",
        "databaseName",
        "schemaName",
        "allowPasswordAuth",
        "administratorLogin",
        "network.mode",
        "network.allowPublicAccess",
        "network.firewallMinimumPrefixLength",
        "encryption.keyType",
        "encryption.keySize",
        "encryption.keyExpiryDays",
        "encryption.keyRotationDays",
        "minimumTlsVersion",
        "monitoring.workspaceRetentionDays",
        "monitoring.pgauditLog",
        "monitoring.logRetentionDays",
        "monitoring.failedLoginThreshold",
        "monitoring.logTableMode",
        "monitoring.alerts",
        "backup.retentionDays",
        "backup.geoRedundantBackup",
        "allowPrivilegedRoles",
        "protect",
        "automaticRestart",
        "deleteLocks",
      ],
    );
  });

  it("matches defaults.ts for every literal default (setting it explicitly changes nothing)", () => {
    const base = resolveConfig("docs", minimalArgs());
    for (const { path: p, value } of checked) {
      // administratorLogin only applies with the waiver.
      const args = tweak(minimalArgs(), (a) => {
        if (p === "administratorLogin") a.allowPasswordAuth = true;
        const keys = p.split(".");
        let at = a as unknown as Record<string, unknown>;
        for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
        at[keys[keys.length - 1]] = value;
      });
      const expected =
        p === "administratorLogin"
          ? resolveConfig(
              "docs",
              tweak(minimalArgs(), (a) => (a.allowPasswordAuth = true)),
            )
          : base;
      assert.deepEqual(
        resolveConfig("docs", args),
        expected,
        `${p}: documented default ${JSON.stringify(value)}`,
      );
    }
  });
});
