// The adapter from catalogue to @pulumi/policy objects, driven with arguments in the SDK's own shape
// (tests/helpers/policy-args.ts). Imports policies/pack.ts, never policies/index.ts.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import Ajv from "ajv";

import { configSchemaOf, toPolicies } from "../../policies/pack";
import { RULES, defaultConfig, getRule, isRuleId } from "../../policies/rules";
import {
  UNKNOWN_STRING,
  UnknownValueError,
  collector,
  resourceArgs,
  stackArgs,
} from "../helpers/policy-args";
import { RG, SERVER_ID, SERVER_NAME, T, VAULT_ID, WORKSPACE_ID, happy, withPath } from "./fixtures";

const policies = toPolicies(RULES);
const byName = new Map(policies.map((p) => [p.name, p]));

function resourcePolicy(name: string): ResourceValidationPolicy {
  const p = byName.get(name) as ResourceValidationPolicy | undefined;
  assert.ok(p && typeof p.validateResource === "function", `${name} is not a resource policy`);
  return p;
}
function stackPolicy(name: string): StackValidationPolicy {
  const p = byName.get(name) as StackValidationPolicy | undefined;
  assert.ok(p && typeof p.validateStack === "function", `${name} is not a stack policy`);
  return p;
}

async function validate(
  name: string,
  type: string,
  props: Record<string, unknown>,
  config: Record<string, unknown> = {},
) {
  const c = collector();
  const v = resourcePolicy(name).validateResource;
  assert.equal(typeof v, "function");
  await (v as (a: unknown, r: unknown) => unknown)(resourceArgs(type, props, { config }), c.report);
  return c.violations;
}

describe("policy pack adapter", () => {
  it("has one policy per rule, named by the rule id, in catalogue order", () => {
    assert.deepEqual(
      policies.map((p) => p.name),
      RULES.map((r) => r.id),
    );
  });

  it("carries description, level, remediation and a config schema with the catalogue defaults", () => {
    for (const rule of RULES) {
      const p = byName.get(rule.id);
      assert.ok(p);
      assert.equal(p.description, rule.description);
      assert.equal(p.enforcementLevel, rule.enforcementLevel);
      assert.equal(p.remediationSteps, rule.remediation);
      const schema = p.configSchema;
      if (Object.keys(rule.config).length === 0) {
        assert.equal(schema, undefined);
        continue;
      }
      assert.ok(schema);
      const defaults = Object.fromEntries(
        Object.entries(schema.properties).map(([k, s]) => [k, (s as { default?: unknown }).default]),
      );
      assert.deepEqual(defaults, defaultConfig(rule), rule.id);
    }
  });

  it("has validateResource for resource rules, validateStack for stack rules, remediateResource exactly where a fix exists", () => {
    for (const rule of RULES) {
      const p = byName.get(rule.id) as ResourceValidationPolicy & StackValidationPolicy;
      if (rule.kind === "resource") {
        assert.equal(typeof p.validateResource, "function", rule.id);
        assert.equal(typeof p.remediateResource === "function", rule.remediate !== undefined, rule.id);
      } else {
        assert.equal(typeof p.validateStack, "function", rule.id);
      }
    }
    const remediable = RULES.filter((r) => r.kind === "resource" && r.remediate).map((r) => r.id);
    assert.deepEqual(remediable.sort(), [
      "keyvault-purge-protection",
      "keyvault-soft-delete",
      "postgres-no-public-network-access",
      "postgres-secure-transport",
      "postgres-tls-min-version",
    ]);
  });

  it("reports a public server through validateResource and nothing for the happy server", async () => {
    assert.deepEqual(await validate("postgres-no-public-network-access", T.server, happy.server), []);
    const v = await validate(
      "postgres-no-public-network-access",
      T.server,
      withPath(happy.server, "network.publicNetworkAccess", "Enabled"),
    );
    assert.equal(v.length, 1);
    assert.match(
      v[0].message,
      /^PostgreSQL flexible servers must disable public network access: network\.publicNetworkAccess is "Enabled"/,
    );
  });

  it("ignores resources of other types", async () => {
    assert.deepEqual(await validate("postgres-no-public-network-access", T.vault, {}), []);
    assert.deepEqual(await validate("keyvault-purge-protection", T.server, {}), []);
  });

  it("reads config through getConfig: a waiver and a threshold", async () => {
    const open = withPath(happy.server, "network.publicNetworkAccess", "Enabled");
    assert.deepEqual(
      await validate("postgres-no-public-network-access", T.server, open, { allowPublicAccess: true }),
      [],
    );
    const fw = withPath(withPath(happy.firewall, "startIpAddress", "10.0.0.0"), "endIpAddress", "10.0.3.255");
    assert.equal((await validate("firewall-no-open-ranges", T.firewall, fw)).length, 1);
    assert.deepEqual(
      await validate("firewall-no-open-ranges", T.firewall, fw, { minimumPrefixLength: 22 }),
      [],
    );
  });

  it("lets the SDK's UnknownValueError escape for a value the rule needs, and never throws a TypeError", async () => {
    const unknownAccess = withPath(happy.server, "network.publicNetworkAccess", UNKNOWN_STRING);
    await assert.rejects(
      async () => validate("postgres-no-public-network-access", T.server, unknownAccess),
      (e: unknown) => e instanceof UnknownValueError,
    );
    // An unknown value the rule does not read changes nothing.
    const unknownTags = { ...happy.server, tags: UNKNOWN_STRING };
    for (const rule of RULES) {
      if (rule.kind !== "resource" || !rule.resourceTypes.includes(T.server)) continue;
      assert.deepEqual(await validate(rule.id, T.server, unknownTags), [], rule.id);
    }
  });

  it("remediates through remediateResource and keeps unknown values as the engine's sentinels", async () => {
    const p = resourcePolicy("postgres-no-public-network-access");
    const props = withPath(
      withPath(happy.server, "network.publicNetworkAccess", "Enabled"),
      "dataEncryption.primaryKeyURI",
      UNKNOWN_STRING,
    );
    const fixed = (await p.remediateResource?.(resourceArgs(T.server, props))) as Record<string, unknown>;
    assert.deepEqual(fixed, withPath(props, "network.publicNetworkAccess", "Disabled"));
    assert.equal((fixed.dataEncryption as Record<string, unknown>).primaryKeyURI, UNKNOWN_STRING);
    assert.equal(await p.remediateResource?.(resourceArgs(T.server, happy.server)), undefined);
    assert.equal(await p.remediateResource?.(resourceArgs(T.vault, happy.vault)), undefined);

    const purge = resourcePolicy("keyvault-purge-protection");
    const vault = await purge.remediateResource?.(
      resourceArgs(T.classicVault, withPath(happy.classicVault, "purgeProtectionEnabled", false)),
    );
    assert.deepEqual(vault, happy.classicVault);

    const tls = resourcePolicy("postgres-tls-min-version");
    const param = {
      configurationName: "ssl_min_protocol_version",
      value: "TLSv1.2",
      serverName: SERVER_NAME,
      resourceGroupName: RG,
    };
    assert.deepEqual(
      await tls.remediateResource?.(resourceArgs(T.config, param, { config: { minimumVersion: "TLSv1.3" } })),
      {
        ...param,
        value: "TLSv1.3",
      },
    );
  });

  it("runs stack rules over SDK-shaped resources, linking by property dependencies and parents", async () => {
    const server = { type: T.server, name: "pg", props: happy.server };
    const diag = {
      type: T.diag,
      name: "pg-diag",
      props: {
        resourceUri: UNKNOWN_STRING,
        workspaceId: WORKSPACE_ID,
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      },
      propertyDependsOn: { resourceUri: ["pg"] },
    };
    const pe = {
      type: T.endpoint,
      name: "pe",
      props: {
        resourceGroupName: RG,
        privateLinkServiceConnections: [{ privateLinkServiceId: UNKNOWN_STRING }],
      },
      dependsOn: ["pg"],
    };
    const atp = {
      type: T.generic,
      name: "atp",
      parent: "pg",
      props: {
        resourceGroupName: RG,
        resourceProviderNamespace: "Microsoft.DBforPostgreSQL",
        parentResourcePath: UNKNOWN_STRING,
        resourceType: "advancedThreatProtectionSettings",
        resourceName: "Default",
        properties: { state: "Enabled" },
      },
    };
    const run = async (name: string, inputs: Parameters<typeof stackArgs>[0]) => {
      const c = collector();
      await stackPolicy(name).validateStack(stackArgs(inputs), c.report);
      return c.violations;
    };
    assert.deepEqual(await run("postgres-diagnostic-settings", [server, diag]), []);
    assert.deepEqual(await run("postgres-private-connectivity", [server, pe]), []);
    assert.deepEqual(await run("postgres-threat-protection", [server, atp]), []);
    const v = await run("postgres-diagnostic-settings", [server, pe]);
    assert.equal(v.length, 1);
    assert.equal(v[0].urn, "urn:pulumi:dev::zt-test::azure-native:dbforpostgresql:Server::pg");
    assert.match(v[0].message, /has no diagnostic setting/);
  });

  it("links stack resources by id and by name as well", async () => {
    const c = collector();
    await stackPolicy("resource-delete-locks").validateStack(
      stackArgs([
        { type: T.vault, name: "kv", props: happy.vault },
        { type: T.lockByScope, name: "lock", props: { scope: VAULT_ID, level: "CanNotDelete" } },
        { type: T.server, name: "pg", props: happy.server },
        { type: T.lockByScope, name: "lock2", props: { scope: SERVER_ID, level: "CanNotDelete" } },
      ]),
      c.report,
    );
    assert.deepEqual(c.violations, []);
  });

  describe("policy-config.sample.json", () => {
    const sample = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "policies", "policy-config.sample.json"), "utf8"),
    ) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false });

    it("names only real policies (or `all`)", () => {
      for (const key of Object.keys(sample)) {
        if (key === "all") continue;
        assert.ok(isRuleId(key), key);
      }
    });

    it("validates against every policy's config schema", () => {
      for (const [key, value] of Object.entries(sample)) {
        if (key === "all") continue;
        if (typeof value === "string") {
          assert.ok(["advisory", "mandatory", "remediate", "disabled"].includes(value), key);
          continue;
        }
        assert.ok(isRuleId(key), key);
        const rule = getRule(key);
        const schema = configSchemaOf(rule);
        const { enforcementLevel, ...rest } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined)
          assert.ok(["advisory", "mandatory", "remediate", "disabled"].includes(enforcementLevel as string));
        const full = {
          type: "object",
          properties: schema?.properties ?? {},
          additionalProperties: false,
        };
        assert.ok(ajv.validate(full, rest), `${key}: ${ajv.errorsText()}`);
      }
    });

    it("rejects a wrong type, as the engine would", () => {
      const schema = configSchemaOf(getRule("firewall-no-open-ranges"));
      assert.equal(
        ajv.validate({ type: "object", properties: schema?.properties }, { minimumPrefixLength: "24" }),
        false,
      );
    });
  });
});
