// The catalogue itself: fixed ids, complete metadata, references that exist, schema defaults that
// agree with the declared types, tokens that exist in the installed SDK, and the evaluate API.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import {
  RESOURCE_RULES,
  RULES,
  STACK_RULES,
  TOKENS,
  defaultConfig,
  evaluateResource,
  evaluateStack,
  getRule,
  type RuleId,
} from "../../policies/rules";
import { cfg, matchesType } from "../../policies/rules/util";
import { T, happy, withPath } from "./fixtures";

const REPO = path.join(__dirname, "..", "..");

const RESOURCE_IDS = [
  "postgres-no-public-network-access",
  "postgres-entra-only-auth",
  "postgres-cmk-encryption",
  "postgres-geo-backup-cmk-key",
  "postgres-managed-identity",
  "postgres-backup-retention",
  "postgres-geo-redundant-backup",
  "postgres-ha-zone-redundant",
  "postgres-allowed-versions",
  "postgres-secure-transport",
  "postgres-tls-min-version",
  "postgres-connection-logging",
  "postgres-connection-throttling",
  "postgres-log-retention",
  "postgres-pgaudit-enabled",
  "firewall-no-open-ranges",
  "firewall-allowed-ranges",
  "keyvault-purge-protection",
  "keyvault-soft-delete",
  "keyvault-rbac-authorization",
  "keyvault-network-restricted",
  "keyvault-key-strength",
  "keyvault-key-expiry",
  "keyvault-key-rotation-policy",
  "keyvault-key-hsm-backed",
  "postgres-single-server-retired",
  "postgres-no-privileged-role-assignment",
  "backup-vault-immutability",
  "backup-vault-soft-delete",
  "entra-pim-activation-duration",
];
const STACK_IDS = [
  "postgres-private-connectivity",
  "private-endpoint-dns-zone-group",
  "postgres-diagnostic-settings",
  "keyvault-diagnostic-settings",
  "postgres-entra-admin",
  "postgres-threat-protection",
  "resource-delete-locks",
  "postgres-effective-parameters",
  "postgres-effective-log-parameters",
  "firewall-total-width",
  "keyvault-cmk-private-access",
  "entra-pim-admin-approval",
  "entra-pim-no-standing-access",
  "log-analytics-audit-retention",
];
const MANDATORY = [
  "postgres-no-public-network-access",
  "postgres-entra-only-auth",
  "postgres-cmk-encryption",
  "postgres-geo-backup-cmk-key",
  "postgres-secure-transport",
  "postgres-tls-min-version",
  "firewall-no-open-ranges",
  "keyvault-purge-protection",
  "keyvault-soft-delete",
  "postgres-single-server-retired",
  "postgres-private-connectivity",
  "postgres-diagnostic-settings",
  "postgres-no-privileged-role-assignment",
  "backup-vault-immutability",
  "backup-vault-soft-delete",
  "postgres-pgaudit-enabled",
  "postgres-entra-admin",
  "entra-pim-activation-duration",
  "entra-pim-admin-approval",
  "entra-pim-no-standing-access",
  "postgres-effective-parameters",
  "firewall-total-width",
  "keyvault-cmk-private-access",
];

/** Rows of the Azure Policy built-in index the rules cite (copied from ../shared/reference/azure-policy-builtins/INDEX.tsv). */
function policyIndex(): Map<string, { displayName: string; groups: string }> {
  const text = fs.readFileSync(path.join(__dirname, "azure-policy-index.subset.tsv"), "utf8");
  const rows = new Map<string, { displayName: string; groups: string }>();
  for (const line of text.split("\n").slice(1)) {
    const [guid, displayName, , groups] = line.split("\t");
    if (guid) rows.set(guid, { displayName, groups: groups ?? "" });
  }
  return rows;
}

describe("rule catalogue", () => {
  it("has exactly the agreed ids, resource rules then stack rules", () => {
    assert.deepEqual(
      RESOURCE_RULES.map((r) => r.id),
      RESOURCE_IDS,
    );
    assert.deepEqual(
      STACK_RULES.map((r) => r.id),
      STACK_IDS,
    );
    assert.deepEqual(
      RULES.map((r) => r.id),
      [...RESOURCE_IDS, ...STACK_IDS],
    );
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
  });

  it("is mandatory exactly where the issue says", () => {
    assert.deepEqual(
      RULES.filter((r) => r.enforcementLevel === "mandatory")
        .map((r) => r.id)
        .sort(),
      [...MANDATORY].sort(),
    );
    assert.ok(RULES.every((r) => r.enforcementLevel === "mandatory" || r.enforcementLevel === "advisory"));
  });

  for (const rule of RULES) {
    it(`${rule.id}: is fully described`, () => {
      assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.notEqual(rule.id, "all");
      assert.ok(rule.title.length > 3);
      assert.match(rule.description, /^[A-Z].*\.$/, "a sentence ending in a period");
      assert.doesNotMatch(rule.description, /\.\s+\S/, "only one sentence");
      assert.match(rule.description, /\b(must|should)\b/);
      assert.equal(
        /\bmust\b/.test(rule.description),
        rule.enforcementLevel === "mandatory",
        "must ⇔ mandatory",
      );
      assert.ok(rule.remediation.length > 20);
      assert.ok(rule.unsetMeans.length > 20);
      assert.match(rule.references.seed, /^(000|003) /);
    });
  }

  it("cites seed sections that exist in the seed documents", () => {
    // Headings of ../shared/seeds/000_*.txt and 003_*.txt, copied into seed-sections.tsv.
    const headings = fs
      .readFileSync(path.join(__dirname, "seed-sections.tsv"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("\t") as [string, string]);
    const has = (seed: string, h: string) =>
      headings.some(([n, t]) => n === seed && t.replace(/^\d+\. /, "") === h);
    for (const rule of RULES) {
      for (const part of rule.references.seed.split("; ")) {
        const seed = part.slice(0, 3);
        assert.ok(seed === "000" || seed === "003", `${rule.id}: ${part}`);
        const names = part
          .slice(4)
          .replace(/^§\d+ /, "")
          .split(": ");
        for (const h of names) assert.ok(has(seed, h), `${rule.id}: seed ${seed} has no section "${h}"`);
      }
    }
  });

  it("cites Azure Policy built-ins, CIS and MCSB controls that exist in INDEX.tsv", () => {
    const index = policyIndex();
    const allGroups = [...index.values()].map((r) => r.groups).join(";");
    for (const rule of RULES) {
      const r = rule.references;
      if (r.azurePolicyId)
        assert.ok(index.has(r.azurePolicyId), `${rule.id}: ${r.azurePolicyId} not in INDEX.tsv`);
      for (const n of (r.cis ?? "").match(/(?<![v\d.])\d+\.\d+(\.\d+)?/g) ?? []) {
        assert.ok(allGroups.includes(`_${n}`), `${rule.id}: CIS ${n} not in INDEX.tsv`);
      }
      if (r.mcsb)
        assert.ok(
          allGroups.includes(`Azure_Security_Benchmark_v3.0_${r.mcsb}`),
          `${rule.id}: MCSB ${r.mcsb}`,
        );
    }
    assert.match(
      index.get(getRule("postgres-no-public-network-access").references.azurePolicyId ?? "")?.displayName ??
        "",
      /Public network access should be disabled for PostgreSQL flexible servers/,
    );
  });

  it("has config defaults that match their declared types, and typed readers that fall back to them", () => {
    for (const rule of RULES) {
      for (const [key, prop] of Object.entries(rule.config)) {
        assert.notEqual(prop.default, undefined, `${rule.id}.${key} has no default`);
        assert.ok(
          matchesType(prop, prop.default),
          `${rule.id}.${key}: default ${JSON.stringify(prop.default)} is not a ${prop.type}`,
        );
        assert.deepEqual(cfg(rule, {}, key), prop.default);
        // A value of the wrong type falls back to the schema default rather than being trusted.
        assert.deepEqual(cfg(rule, { [key]: { wrong: true } }, key), prop.default);
      }
      if (rule.waiver) {
        assert.equal(rule.config[rule.waiver]?.type, "boolean", `${rule.id}: waiver is a boolean config`);
        assert.equal(rule.config[rule.waiver]?.default, false);
      }
    }
    assert.deepEqual(
      RULES.filter((r) => r.waiver).map((r) => [r.id, r.waiver]),
      [
        ["postgres-no-public-network-access", "allowPublicAccess"],
        ["postgres-entra-only-auth", "allowPasswordAuth"],
      ],
    );
  });

  it("uses the component's names for waivers and thresholds", () => {
    const args = fs.readFileSync(path.join(REPO, "components", "postgres", "args.ts"), "utf8");
    for (const name of ["allowPublicAccess", "allowPasswordAuth"])
      assert.ok(args.includes(`${name}?: boolean`), name);
  });

  it("defaultConfig returns fresh copies", () => {
    const rule = getRule("postgres-allowed-versions");
    const a = defaultConfig(rule);
    (a.allowedVersions as string[]).push("9");
    assert.deepEqual(defaultConfig(rule).allowedVersions, ["14", "15", "16", "17", "18"]);
  });

  it("getRule throws for an unknown id", () => {
    assert.equal(getRule("postgres-cmk-encryption").id, "postgres-cmk-encryption");
    assert.throws(() => getRule("postgres-cmk" as RuleId), /Unknown zero-trust rule id "postgres-cmk"/);
  });

  describe("tokens", () => {
    it("lists every token a resource rule covers", () => {
      const all = new Set<string>(Object.values(TOKENS).flat());
      for (const rule of RESOURCE_RULES)
        for (const t of rule.resourceTypes) assert.ok(all.has(t), `${rule.id}: ${t}`);
    });

    it("spells every azure-native token as the installed SDK does", () => {
      const sdk = path.join(REPO, "node_modules", "@pulumi", "azure-native");
      for (const token of Object.values(TOKENS).flat()) {
        if (!token.startsWith("azure-native:")) continue;
        const [, mod, name] = token.split(":");
        const file = path.join(sdk, mod, `${name[0].toLowerCase()}${name.slice(1)}.js`);
        assert.ok(fs.existsSync(file), `${token}: ${file} missing`);
        assert.ok(fs.readFileSync(file, "utf8").includes(`__pulumiType = '${token}'`), token);
      }
    });

    it("spells classic tokens as module/resource:Resource", () => {
      for (const token of Object.values(TOKENS).flat()) {
        if (!token.startsWith("azure:")) continue;
        assert.match(token, /^azure:[a-z]+\/[a-z][A-Za-z]*:[A-Z][A-Za-z]*$/);
        const [, modRes, name] = token.split(":");
        assert.equal(modRes.split("/")[1].toLowerCase(), name.toLowerCase(), token);
      }
    });

    it("never imports a provider SDK or the policy engine into the rules", () => {
      for (const f of fs.readdirSync(path.join(REPO, "policies", "rules"))) {
        const text = fs.readFileSync(path.join(REPO, "policies", "rules", f), "utf8");
        assert.doesNotMatch(text, /from "@pulumi\//, f);
      }
      const pack = fs.readFileSync(path.join(REPO, "policies", "pack.ts"), "utf8");
      assert.doesNotMatch(pack, /@pulumi\/azure/);
      assert.doesNotMatch(
        pack,
        /^import \{[^}]*\} from "@pulumi\/policy"/m,
        "pack.ts imports only types from @pulumi/policy",
      );
    });
  });

  describe("evaluateResource / evaluateStack", () => {
    const publicServer = withPath(happy.server, "network.publicNetworkAccess", "Enabled");

    it("applies a level override and skips disabled rules", () => {
      assert.deepEqual(
        evaluateResource(
          { type: T.server, props: publicServer },
          { "postgres-no-public-network-access": { enforcementLevel: "advisory" } },
        ).map((v) => v.level),
        ["advisory"],
      );
      assert.deepEqual(
        evaluateResource(
          { type: T.server, props: publicServer },
          { "postgres-no-public-network-access": { enforcementLevel: "disabled" } },
        ),
        [],
      );
    });

    it("merges config over defaults", () => {
      const short = withPath(happy.server, "backup.backupRetentionDays", 10);
      assert.deepEqual(
        evaluateResource(
          { type: T.server, props: short },
          { "postgres-backup-retention": { minimumDays: 7 } },
        ),
        [],
      );
      assert.deepEqual(
        evaluateResource({ type: T.server, props: short }).map((v) => v.ruleId),
        ["postgres-backup-retention"],
      );
    });

    it("returns nothing for a type no rule covers", () => {
      assert.deepEqual(evaluateResource({ type: "azure-native:storage:StorageAccount", props: {} }), []);
    });

    it("reports stack violations with the resource's URN and runs stack remediate levels as mandatory", () => {
      const server = { type: T.server, name: "pg", urn: "urn:pg", props: happy.server, dependencies: [] };
      const v = evaluateStack([server], { "postgres-threat-protection": { enforcementLevel: "remediate" } });
      assert.ok(v.every((x) => x.urn === "urn:pg"));
      assert.equal(v.find((x) => x.ruleId === "postgres-threat-protection")?.level, "mandatory");
      assert.deepEqual(
        evaluateStack(
          [server],
          Object.fromEntries(STACK_RULES.map((r) => [r.id, { enforcementLevel: "disabled" as const }])),
        ),
        [],
      );
    });
  });
});
