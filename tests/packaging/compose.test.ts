// The composition API (`zeroTrustPostgresPolicies(args)`, `ZeroTrustPostgresPolicies`): levels and
// config per rule, checked against each rule's config schema, with errors that name the rule, the key,
// the value and what is allowed. Through the SDK's own policy objects only (no gRPC here; the packed
// template is driven over gRPC in install.test.ts).

import * as assert from "node:assert/strict";

import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

import { resolveSettings, toPolicies, zeroTrustPostgresPolicies } from "../../policies/pack";
import { RULES, getRule } from "../../policies/rules";
import { BACKUP_RETENTION_DAYS } from "../../policies/rules/thresholds";
import { resourceArgs } from "../helpers/policy-args";
import { RG, SERVER_NAME, T } from "../policies/fixtures";

function byName(name: string) {
  const p = zeroTrustPostgresPolicies({
    all: "mandatory",
    "postgres-tls-min-version": { minimumVersion: "TLSv1.3" },
  }).find((x) => x.name === name);
  assert.ok(p, name);
  return p;
}

/** The messages a resource policy reports for one resource. */
async function reported(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
  const seen: string[] = [];
  const v = p.validateResource;
  for (const f of Array.isArray(v) ? v : v ? [v] : []) await f(args, (m: string) => seen.push(m));
  return seen;
}

describe("composing the zero-trust rules into a pack of your own", function () {
  it("without settings, is the catalogue at its own levels and defaults", function () {
    const plain = toPolicies(RULES).map((p) => [p.name, p.enforcementLevel, p.configSchema]);
    const composed = zeroTrustPostgresPolicies().map((p) => [p.name, p.enforcementLevel, p.configSchema]);
    assert.deepEqual(composed, plain);
  });

  it("`all` sets every level, and a rule's own setting wins over it", function () {
    const ps = zeroTrustPostgresPolicies({ all: "mandatory", "postgres-ha-zone-redundant": "disabled" });
    assert.equal(ps.length, RULES.length, "a disabled rule stays in the list, so a config can enable it");
    for (const p of ps) {
      assert.equal(
        p.enforcementLevel,
        p.name === "postgres-ha-zone-redundant" ? "disabled" : "mandatory",
        p.name,
      );
    }
  });

  it("publishes a configured value as the policy's schema default", function () {
    const schema = byName("postgres-tls-min-version").configSchema;
    assert.equal(schema?.properties?.minimumVersion?.default, "TLSv1.3");
    const others = byName("postgres-backup-retention").configSchema?.properties?.minimumDays?.default;
    assert.equal(others, getRule("postgres-backup-retention").config.minimumDays.default);
  });

  it("checks with the configured value when the engine passes no config", async function () {
    const p = byName("postgres-tls-min-version") as ResourceValidationPolicy;
    const param = {
      configurationName: "ssl_min_protocol_version",
      value: "TLSv1.2",
      serverName: SERVER_NAME,
      resourceGroupName: RG,
    };
    const seen = await reported(p, resourceArgs(T.config, param));
    assert.equal(seen.length, 1);
    assert.match(seen[0], /TLSv1\.3/);
    // The catalogue default (TLSv1.2) accepts the same parameter.
    const plain = toPolicies(RULES).find(
      (x) => x.name === "postgres-tls-min-version",
    ) as ResourceValidationPolicy;
    assert.deepEqual(await reported(plain, resourceArgs(T.config, param)), []);
  });

  it("lets a --policy-pack-config value win over the composed one", async function () {
    const p = byName("postgres-tls-min-version") as ResourceValidationPolicy;
    const param = {
      configurationName: "ssl_min_protocol_version",
      value: "TLSv1.2",
      serverName: SERVER_NAME,
      resourceGroupName: RG,
    };
    const args = resourceArgs(T.config, param, { config: { minimumVersion: "TLSv1.2" } });
    assert.deepEqual(await reported(p, args), []);
  });

  it("runs a stack rule asked to remediate as mandatory, as the policy SDK does", function () {
    const stackRule = RULES.find((r) => r.kind === "stack");
    assert.ok(stackRule);
    assert.equal(resolveSettings({ all: "remediate" }).get(stackRule.id)?.level, "mandatory");
  });

  describe("refuses settings the rules do not take, naming what is wrong", function () {
    const cases: [string, unknown, RegExp][] = [
      [
        "an unknown rule id",
        { "postgres-tls-min-versoin": "mandatory" },
        /unknown rule id "postgres-tls-min-versoin"; use "all" or one of: .*postgres-tls-min-version/,
      ],
      [
        "an unknown level for all",
        { all: "strict" },
        /`all` is "strict"; allowed: "advisory", "mandatory", "remediate", "disabled"/,
      ],
      [
        "an unknown level for a rule",
        { "postgres-tls-min-version": "blocking" },
        /the level of "postgres-tls-min-version" is "blocking"; allowed: "advisory"/,
      ],
      [
        "an unknown enforcementLevel",
        { "postgres-tls-min-version": { enforcementLevel: "on" } },
        /"postgres-tls-min-version".enforcementLevel is "on"/,
      ],
      [
        "a value outside the enum",
        { "postgres-tls-min-version": { minimumVersion: "TLSv1.4" } },
        /"postgres-tls-min-version".minimumVersion is "TLSv1.4"; allowed: one of "TLSv1.2", "TLSv1.3"\./,
      ],
      [
        "a number out of range",
        { "postgres-backup-retention": { minimumDays: 0 } },
        new RegExp(
          `"postgres-backup-retention".minimumDays is 0; allowed: an integer from ${BACKUP_RETENTION_DAYS.min} to ${BACKUP_RETENTION_DAYS.max}\\.`,
        ),
      ],
      [
        "a config key the rule does not have",
        { "postgres-tls-min-version": { minimumTls: "TLSv1.3" } },
        /"postgres-tls-min-version" has no config key "minimumTls"; its keys are enforcementLevel, minimumVersion\./,
      ],
      [
        "a setting that is neither a level nor an object",
        { "postgres-tls-min-version": 3 },
        /the setting of "postgres-tls-min-version" is 3; give a level/,
      ],
      [
        "settings that are not an object",
        "mandatory",
        /the settings must be an object like \{ all: "mandatory" \}, got "mandatory"/,
      ],
      [
        "a control character in a value",
        { "postgres-tls-min-version": { minimumVersion: "TLS\u001b[31m" } },
        /is "TLS\\u001b\[31m"/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(`refuses ${what}`, function () {
        assert.throws(
          () => zeroTrustPostgresPolicies(args as Parameters<typeof zeroTrustPostgresPolicies>[0]),
          (e: Error) => {
            assert.match(e.message, /^ZeroTrustPostgresPolicies: /);
            assert.match(e.message, message);
            // eslint-disable-next-line no-control-regex
            assert.doesNotMatch(e.message, /[\u0000-\u001f]/);
            return true;
          },
        );
      });
    }
  });
});
