import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { RULES, getRule } from "../../policies/rules";
import { AZURE_POLICY } from "../../policies/rules/refs";
import {
  BACKUP_RETENTION_DAYS,
  CIS_MIN_LOG_RETENTION_DAYS,
  DEFAULT_MIN_BACKUP_RETENTION_DAYS,
  DEFAULT_MIN_LOG_RETENTION_DAYS,
  DEFAULT_MIN_RSA_KEY_SIZE,
  RSA_KEY_SIZES,
  TLS_VERSIONS,
} from "../../policies/rules/thresholds";

const BUILTINS = path.join(__dirname, "..", "..", "..", "shared", "reference", "azure-policy-builtins");

/** The built-in definition with this GUID, read through INDEX.tsv. */
function builtin(guid: string): {
  parameters: Record<string, { defaultValue?: unknown; allowedValues?: unknown[] }>;
  policyRule: unknown;
} {
  const index = fs.readFileSync(path.join(BUILTINS, "INDEX.tsv"), "utf8").split("\n");
  const row = index.find((l) => l.startsWith(`${guid}\t`));
  assert.ok(row, `${guid} is in INDEX.tsv`);
  const file = row.split("\t")[5];
  const json = JSON.parse(fs.readFileSync(path.join(BUILTINS, file), "utf8")) as {
    properties: {
      parameters: Record<string, { defaultValue?: unknown; allowedValues?: unknown[] }>;
      policyRule: unknown;
    };
  };
  return json.properties;
}

describe("thresholds against the Azure Policy built-ins the rules cite", () => {
  it("postgres-log-retention: the default minimum equals the built-in's retentionDays (7)", () => {
    const p = builtin(AZURE_POLICY.flexLogRetention);
    assert.equal(p.parameters.retentionDays.defaultValue, DEFAULT_MIN_LOG_RETENTION_DAYS);
    const rule = getRule("postgres-log-retention");
    assert.equal(rule.config.minimumDays.default, p.parameters.retentionDays.defaultValue);
  });

  it("keyvault-key-strength: offers exactly the built-in's RSA sizes; the built-in has no default, ours is 3072", () => {
    const p = builtin(AZURE_POLICY.keyRsaMinSize);
    assert.deepEqual(p.parameters.minimumRSAKeySize.allowedValues, [...RSA_KEY_SIZES]);
    assert.equal(p.parameters.minimumRSAKeySize.defaultValue, undefined);
    assert.equal(getRule("keyvault-key-strength").config.minimumRsaKeySize.default, DEFAULT_MIN_RSA_KEY_SIZE);
  });

  it("postgres-pgaudit-enabled: the built-in only wants pgaudit.log other than none; the rule is stricter (role and ddl)", () => {
    const p = builtin(AZURE_POLICY.flexPgAudit);
    assert.match(JSON.stringify(p.policyRule), /"name":"pgaudit.log".*"notEquals":"none"/);
    assert.match(getRule("postgres-pgaudit-enabled").unsetMeans, /Stricter than Azure Policy 4eb5e667/);
  });

  it("postgres-tls-min-version: the default floor is the built-in's TLS 1.2", () => {
    const p = builtin(AZURE_POLICY.flexTls12);
    assert.match(JSON.stringify(p.policyRule), /"in":\["TLSV1.2","TLSV1.3"\]/);
    assert.equal(getRule("postgres-tls-min-version").config.minimumVersion.default, TLS_VERSIONS[0]);
  });

  for (const rule of RULES) {
    const refs = rule.references;
    if (refs.azurePolicyId === undefined && refs.cis === undefined) continue;
    it(`${rule.id}: states how its threshold compares with each parameter of the cited built-in`, () => {
      assert.ok(refs.comparison !== undefined && refs.comparison.length > 20, "references.comparison is set");
      if (refs.azurePolicyId === undefined) return;
      const p = builtin(refs.azurePolicyId);
      assert.ok(
        refs.comparison.includes(refs.azurePolicyId.slice(0, 8)),
        `the comparison names built-in ${refs.azurePolicyId.slice(0, 8)}`,
      );
      for (const name of Object.keys(p.parameters).filter((n) => !/effect/i.test(n)))
        assert.ok(refs.comparison.includes(`\`${name}\``), `the comparison names the parameter \`${name}\``);
    });
  }

  it('postgres-ha-zone-redundant: stricter than the built-in\'s default allow "Both" (it accepts only ZoneRedundant)', () => {
    const p = builtin(AZURE_POLICY.flexZoneResilient);
    assert.equal(p.parameters.allow.defaultValue, "Both");
    assert.deepEqual(p.parameters.allow.allowedValues, ["Both", "Redundant", "Aligned"]);
    assert.match(getRule("postgres-ha-zone-redundant").references.comparison ?? "", /Stricter .* "Both"/);
  });

  it("postgres-backup-retention: the default minimum fires on Azure's default retention (no built-in sets one)", () => {
    assert.ok(DEFAULT_MIN_BACKUP_RETENTION_DAYS > BACKUP_RETENTION_DAYS.azureDefault);
    assert.equal(
      getRule("postgres-backup-retention").config.minimumDays.default,
      DEFAULT_MIN_BACKUP_RETENTION_DAYS,
    );
    assert.equal(getRule("postgres-backup-retention").references.azurePolicyId, undefined);
  });

  it("postgres-log-retention: CIS 5.2.4's floor (more than 3) is below the built-in's 7, and the comparison says so", () => {
    assert.equal(CIS_MIN_LOG_RETENTION_DAYS, 4);
    assert.ok(CIS_MIN_LOG_RETENTION_DAYS < DEFAULT_MIN_LOG_RETENTION_DAYS);
    assert.match(getRule("postgres-log-retention").references.comparison ?? "", /stricter than CIS 5\.2\.4/);
  });

  it("postgres-diagnostic-settings: the built-in's defaults send logs, not metrics, to a workspace", () => {
    const p = builtin(AZURE_POLICY.flexDiagnostics);
    assert.equal(p.parameters.logsEnabled.defaultValue, true);
    assert.equal(p.parameters.metricsEnabled.defaultValue, false);
  });

  it("keyvault-key-rotation-policy: the built-in's maximumDaysToRotate has no default, and ours sets no day limit", () => {
    const p = builtin(AZURE_POLICY.keyRotationPolicy);
    assert.equal(p.parameters.maximumDaysToRotate.defaultValue, undefined);
    assert.deepEqual(Object.keys(getRule("keyvault-key-rotation-policy").config), []);
  });
});
