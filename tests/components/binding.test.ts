// The binding (components/postgres/binding.ts) keeps the component and the pack in agreement: for
// each bound rule, a value the rule flags is refused by the component exactly when the rule is
// mandatory or the binding escalates it, and only warned about otherwise. Thresholds and enums the
// component checks come from the rules' own config schemas, and no other file in components/ names a
// rule id.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  getRule,
  resolveRule,
  RULES,
  type ResourceView,
  type RuleId,
  type StackResourceView,
} from "../../policies/rules";
import {
  BINDING,
  bindingOf,
  componentArgumentOf,
  componentRefuses,
  LIMITS,
  ruleConfigs,
  rulesEnforcing,
} from "../../components/postgres/binding";
import { resolveConfig } from "../../components/postgres/defaults";
import { checkFields } from "../../components/postgres/fields";
import { preflight } from "../../components/postgres/guard";
import { validateArgs } from "../../components/postgres/validate";
import type { ZeroTrustPostgresArgs } from "../../components";
import { minimalArgs, tweak } from "./fixtures";

const SERVER = "azure-native:dbforpostgresql:Server";
const CONFIGURATION = "azure-native:dbforpostgresql:Configuration";

function parameter(name: string, value: string): ResourceView {
  return {
    type: CONFIGURATION,
    props: {
      configurationName: name,
      value,
      serverName: "pg",
      resourceGroupName: "rg",
      source: "user-override",
    },
  };
}

/** What the component does with the args: refuses (naming the rule), warns, or neither. */
function component(
  name: string,
  args: ZeroTrustPostgresArgs,
  ruleId: string,
): "refused" | "warned" | "passed" {
  try {
    validateArgs(name, args);
  } catch (e) {
    const message = (e as Error).message;
    assert.ok(message.includes(`[${ruleId}]`), `refused without naming ${ruleId}: ${message}`);
    return "refused";
  }
  const verdict = preflight(resolveConfig(name, args));
  if (verdict.errors.some((m) => m.includes(`[${ruleId}]`))) return "refused";
  assert.deepEqual(verdict.errors, [], "refused for another reason");
  return verdict.warnings.some((m) => m.startsWith(`[${ruleId}]`)) ? "warned" : "passed";
}

/** Whether the pack flags the view, with the config the component passes to the rule. */
function packFlags(
  ruleId: RuleId,
  args: ZeroTrustPostgresArgs,
  view: ResourceView | StackResourceView[],
): boolean {
  const rule = getRule(ruleId);
  let overrides: Record<string, Record<string, unknown>> = {};
  try {
    overrides = ruleConfigs(resolveConfig("agree", args));
  } catch {
    // args the resolver cannot take: the rule's own defaults
  }
  const { config } = resolveRule(rule, overrides);
  return rule.kind === "stack"
    ? rule.check(view as StackResourceView[], config).length > 0
    : rule.check(view as ResourceView, config).length > 0;
}

interface Case {
  ruleId: keyof typeof BINDING;
  title: string;
  change: (a: ZeroTrustPostgresArgs) => void;
  /** The resource (or stack) the pack would judge for these args. */
  view: ResourceView | StackResourceView[];
}

const serverWithoutAdmins: StackResourceView[] = [
  {
    type: SERVER,
    urn: "urn:pulumi:s::p::azure-native:dbforpostgresql:Server::pg",
    name: "pg",
    dependencies: [],
    props: {
      serverName: "pg",
      resourceGroupName: "rg",
      authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled" },
    },
  },
];

/** The table of issue-level disagreements, and one case per other bound rule with an argument. */
const CASES: Case[] = [
  {
    ruleId: "postgres-pgaudit-enabled",
    title: 'pgauditLog "none"',
    change: (a) => (a.monitoring = { pgauditLog: "none" }),
    view: parameter("pgaudit.log", "none"),
  },
  {
    ruleId: "postgres-log-retention",
    title: "logRetentionDays 5",
    change: (a) => (a.monitoring = { logRetentionDays: 5 }),
    view: parameter("logfiles.retention_days", "5"),
  },
  {
    ruleId: "postgres-entra-admin",
    title: "administrators []",
    change: (a) => (a.administrators = []),
    view: serverWithoutAdmins,
  },
  {
    ruleId: "firewall-no-open-ranges",
    title: "a /16 firewall range with the default prefix",
    change: (a) => {
      a.network.allowPublicAccess = true;
      a.network.firewallRules = [{ name: "wide", startIpAddress: "10.1.0.0", endIpAddress: "10.1.255.255" }];
    },
    view: {
      type: "azure-native:dbforpostgresql:FirewallRule",
      props: { firewallRuleName: "wide", startIpAddress: "10.1.0.0", endIpAddress: "10.1.255.255" },
    },
  },
  {
    ruleId: "firewall-total-width",
    title: "256 adjacent /24 firewall rules (a /16 in total)",
    change: (a) => {
      a.network.allowPublicAccess = true;
      a.network.firewallRules = Array.from({ length: 256 }, (_, i) => ({
        name: `office-${i}`,
        startIpAddress: `10.1.${i}.0`,
        endIpAddress: `10.1.${i}.255`,
      }));
    },
    view: [
      { ...serverWithoutAdmins[0], props: { serverName: "pg", resourceGroupName: "rg" } },
      ...Array.from({ length: 256 }, (_, i) => ({
        type: "azure-native:dbforpostgresql:FirewallRule",
        urn: `urn:pulumi:s::p::azure-native:dbforpostgresql:FirewallRule::office-${i}`,
        name: `office-${i}`,
        dependencies: [],
        props: {
          serverName: "pg",
          resourceGroupName: "rg",
          startIpAddress: `10.1.${i}.0`,
          endIpAddress: `10.1.${i}.255`,
        },
      })),
    ],
  },
  {
    ruleId: "postgres-allowed-versions",
    title: 'version "12"',
    change: (a) => (a.version = "12"),
    view: { type: SERVER, props: { version: "12" } },
  },
  {
    ruleId: "keyvault-key-strength",
    title: "keySize 2048",
    change: (a) => (a.encryption = { keySize: 2048 }),
    view: {
      type: "azure-native:keyvault:Key",
      props: { properties: { kty: "RSA-HSM", keySize: 2048 } },
    },
  },
  {
    ruleId: "postgres-ha-zone-redundant",
    title: "highAvailability Disabled",
    change: (a) => (a.highAvailability = "Disabled"),
    view: { type: SERVER, props: { highAvailability: { mode: "Disabled" } } },
  },
  {
    ruleId: "postgres-geo-redundant-backup",
    title: "geoRedundantBackup false",
    change: (a) => (a.backup = { geoRedundantBackup: false }),
    view: { type: SERVER, props: { backup: { geoRedundantBackup: "Disabled", backupRetentionDays: 35 } } },
  },
];

describe("the rule binding", function () {
  it("binds only rules of the catalogue", function () {
    const ids = new Set<string>(RULES.map((r) => r.id));
    for (const id of Object.keys(BINDING)) assert.ok(ids.has(id), id);
  });

  for (const c of CASES) {
    it(`agrees with the pack on ${c.title} [${c.ruleId}]`, function () {
      const args = tweak(minimalArgs(), c.change);
      const flagged = packFlags(c.ruleId, args, c.view);
      assert.equal(flagged, true, "the case must be one the pack flags");
      const expected = componentRefuses(c.ruleId) ? "refused" : "warned";
      assert.equal(component("agree", args, c.ruleId), expected);
    });
  }

  it("escalates only advisory rules, each with its reason (none today: the pack's levels suffice)", function () {
    const escalated = Object.keys(BINDING).filter((id) => bindingOf(id)?.escalate !== undefined);
    assert.deepEqual(escalated, []);
    for (const id of escalated) {
      assert.equal(getRule(id as RuleId).enforcementLevel, "advisory", id);
      assert.match(componentArgumentOf(id) ?? "", /refused by the component: /);
    }
  });

  it("takes the firewall prefix range from the rule's schema: a value is refused iff the schema refuses it", function () {
    const schema = getRule("firewall-no-open-ranges").config.minimumPrefixLength;
    for (const prefix of [-1, 0, 4, 8, 24, 32, 33]) {
      const args = tweak(minimalArgs(), (a) => (a.network.firewallMinimumPrefixLength = prefix));
      const refused = checkFields(args).some((m) => m.startsWith("`network.firewallMinimumPrefixLength`"));
      const schemaRefuses = prefix < (schema.minimum as number) || prefix > (schema.maximum as number);
      assert.equal(refused, schemaRefuses, `/${prefix}`);
    }
    assert.deepEqual(LIMITS.firewallPrefixLength, { min: schema.minimum, max: schema.maximum });
  });

  it("refuses log retention below its declared floor, which the pack only warns about", function () {
    const args = tweak(minimalArgs(), (a) => (a.monitoring = { logRetentionDays: 3 }));
    assert.equal(packFlags("postgres-log-retention", args, parameter("logfiles.retention_days", "3")), true);
    assert.equal(getRule("postgres-log-retention").enforcementLevel, "advisory");
    assert.match(bindingOf("postgres-log-retention")?.floor ?? "", /CIS Azure Foundations/);
    assert.throws(
      () => validateArgs("floor", args),
      /`monitoring.logRetentionDays` 3 is out of range; use a whole number from 4 to 7/,
    );
  });

  it("checks TLS versions, RSA sizes and retention ranges the rules' schemas also use", function () {
    assert.deepEqual(LIMITS.tlsVersions, getRule("postgres-tls-min-version").config.minimumVersion.enum);
    assert.deepEqual(LIMITS.rsaKeySizes, getRule("keyvault-key-strength").config.minimumRsaKeySize.enum);
    const log = getRule("postgres-log-retention").config.minimumDays;
    assert.equal(LIMITS.logRetentionDays.max, log.maximum);
    const backup = getRule("postgres-backup-retention").config.minimumDays;
    assert.deepEqual(LIMITS.backupRetentionDays, { min: backup.minimum, max: backup.maximum });
  });

  it("names the rules enforcing an argument, for the argument reference", function () {
    assert.deepEqual(rulesEnforcing("monitoring.pgauditLog"), ["postgres-pgaudit-enabled"]);
    assert.deepEqual(rulesEnforcing("encryption.keyExpiryDays"), ["keyvault-key-expiry"]);
    assert.deepEqual(rulesEnforcing("encryption.keyRotationDays"), ["keyvault-key-rotation-policy"]);
    assert.deepEqual(rulesEnforcing("administrators"), ["postgres-entra-admin"]);
  });

  it("is the only file in components/ that names a rule id in code", function () {
    const dir = path.join(__dirname, "..", "..", "components");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".ts")) files.push(p);
      }
    };
    walk(dir);
    // parameters.ts is the rules' own parameter set (policies/facts), shared with the component.
    const skip = new Set(["binding.ts", "parameters.ts"]);
    const found: string[] = [];
    for (const file of files.filter((f) => !skip.has(path.basename(f)))) {
      // Code only: comments may cite the rule a default serves.
      const code = fs
        .readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "")
        .replace(/\s\/\/.*$/gm, "");
      for (const r of RULES) if (code.includes(r.id)) found.push(`${path.relative(dir, file)}: ${r.id}`);
    }
    assert.deepEqual(found, []);
  });
});
