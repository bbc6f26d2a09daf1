import * as assert from "node:assert/strict";

import { evaluateResource, getRule, type RuleId } from "../../policies/rules";
import { HAPPY_PARAMETERS, T, happy, parameter, run, withPath } from "./fixtures";

describe("server parameter rules", () => {
  it("finds no violation on the component's parameter set, in both providers", () => {
    for (const classic of [false, true]) {
      for (const [name, value] of HAPPY_PARAMETERS) {
        const p = parameter(name, value, classic);
        assert.deepEqual(
          evaluateResource({ type: p.type, props: p.props }),
          [],
          `${name}=${value} classic=${classic}`,
        );
      }
    }
  });

  const failing: [RuleId, string, string, string, Record<string, unknown>?][] = [
    // [rule, parameter, bad value, fragment, config]
    [
      "postgres-secure-transport",
      "require_secure_transport",
      "off",
      'require_secure_transport is "off". Set require_secure_transport to "on".',
    ],
    ["postgres-secure-transport", "require_secure_transport", "OFF", 'require_secure_transport is "OFF"'],
    [
      "postgres-tls-min-version",
      "ssl_min_protocol_version",
      "TLSv1.1",
      'ssl_min_protocol_version is "TLSv1.1". Set ssl_min_protocol_version to "TLSv1.2" or newer.',
    ],
    [
      "postgres-tls-min-version",
      "ssl_min_protocol_version",
      "TLSv1.2",
      '(TLSv1.3): ssl_min_protocol_version is "TLSv1.2"',
      { minimumVersion: "TLSv1.3" },
    ],
    ["postgres-connection-logging", "log_connections", "off", 'log_connections is "off"'],
    ["postgres-connection-logging", "log_disconnections", "Off", 'log_disconnections is "Off"'],
    ["postgres-connection-logging", "log_checkpoints", "false", 'log_checkpoints is "false"'],
    [
      "postgres-connection-throttling",
      "connection_throttle.enable",
      "off",
      'connection_throttle.enable is "off"',
    ],
    [
      "postgres-log-retention",
      "logfiles.retention_days",
      "3",
      'logfiles.retention_days is "3". Set logfiles.retention_days to "7" or more.',
    ],
    ["postgres-log-retention", "logfiles.retention_days", "6", '(7): logfiles.retention_days is "6"'],
    [
      "postgres-log-retention",
      "logfiles.retention_days",
      "4",
      '(5): logfiles.retention_days is "4"',
      { minimumDays: 5 },
    ],
    ["postgres-pgaudit-enabled", "pgaudit.log", "none", 'pgaudit.log is "none", which turns auditing off'],
    ["postgres-pgaudit-enabled", "pgaudit.log", "NONE", 'pgaudit.log is "NONE"'],
    ["postgres-pgaudit-enabled", "pgaudit.log", "", 'pgaudit.log is "", which turns auditing off'],
    ["postgres-pgaudit-enabled", "pgaudit.log", "-all", 'is "-all", which turns auditing off'],
    ["postgres-pgaudit-enabled", "pgaudit.log", "role,-role", 'is "role,-role", which turns auditing off'],
    [
      "postgres-pgaudit-enabled",
      "pgaudit.log",
      "all,-read,-write,-function,-role,-ddl,-misc",
      "which audits misc_set, without role and ddl",
    ],
    ["postgres-pgaudit-enabled", "pgaudit.log", "read", 'is "read", which audits read, without role and ddl'],
    ["postgres-pgaudit-enabled", "pgaudit.log", "all,-role", "without role."],
    ["postgres-pgaudit-enabled", "pgaudit.log", "role,misc", "which audits role,misc, without ddl."],
    ["postgres-pgaudit-enabled", "pgaudit.log", "role,bogus", 'has an unknown class "bogus"'],
  ];
  for (const [rule, name, value, fragment, config] of failing) {
    for (const classic of [false, true]) {
      it(`${rule}: rejects ${name}=${value} (${classic ? "classic" : "azure-native"})`, () => {
        const p = parameter(name, value, classic);
        const messages = run(rule, p.type, p.props, config);
        assert.equal(messages.length, 1, messages.join("\n"));
        assert.ok(messages[0].includes(fragment), messages[0]);
        const v = evaluateResource({ type: p.type, props: p.props }, config ? { [rule]: config } : undefined);
        assert.deepEqual(
          v.map((x) => x.ruleId),
          [rule],
        );
      });
    }
  }

  const passing: [RuleId, string, string, Record<string, unknown>?][] = [
    ["postgres-secure-transport", "require_secure_transport", "ON"],
    ["postgres-tls-min-version", "ssl_min_protocol_version", "TLSv1.3", { minimumVersion: "TLSv1.3" }],
    ["postgres-tls-min-version", "ssl_min_protocol_version", "tlsv1.2"],
    ["postgres-connection-logging", "log_checkpoints", "On"],
    ["postgres-connection-throttling", "connection_throttle.enable", "ON"],
    ["postgres-log-retention", "logfiles.retention_days", "7"],
    ["postgres-log-retention", "logfiles.retention_days", "4", { minimumDays: 4 }],
    ["postgres-pgaudit-enabled", "pgaudit.log", "all,-misc"],
    ["postgres-pgaudit-enabled", "pgaudit.log", "DDL, role"],
    ["postgres-pgaudit-enabled", "pgaudit.log", "none,role,ddl"],
  ];
  for (const [rule, name, value, config] of passing) {
    it(`${rule}: passes ${name}=${value}`, () => {
      const p = parameter(name, value);
      assert.deepEqual(run(rule, p.type, p.props, config), []);
    });
  }

  it("ignores parameters a rule does not own", () => {
    const p = parameter("work_mem", "off");
    assert.deepEqual(evaluateResource({ type: p.type, props: p.props }), []);
  });

  it("judges single-server parameters by their single-server names", () => {
    const props = {
      configurationName: "connection_throttling",
      value: "OFF",
      serverName: "s",
      resourceGroupName: "rg",
    };
    assert.deepEqual(
      evaluateResource({ type: T.singleConfig, props }).map((v) => v.ruleId),
      ["postgres-connection-throttling"],
    );
  });

  it("passes a parameter whose value is not known yet", () => {
    const p = parameter("require_secure_transport", "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    assert.deepEqual(evaluateResource({ type: p.type, props: p.props }), []);
  });

  describe("single server transport and TLS", () => {
    it("passes the happy single servers", () => {
      for (const rule of ["postgres-secure-transport", "postgres-tls-min-version"] as const) {
        assert.deepEqual(run(rule, T.single, happy.single), []);
        assert.deepEqual(run(rule, T.classicSingle, happy.classicSingle), []);
      }
    });
    it("rejects sslEnforcement Disabled (azure-native) and sslEnforcementEnabled false (classic)", () => {
      assert.match(
        run(
          "postgres-secure-transport",
          T.single,
          withPath(happy.single, "properties.sslEnforcement", "Disabled"),
        )[0],
        /properties\.sslEnforcement is "Disabled"/,
      );
      assert.match(
        run(
          "postgres-secure-transport",
          T.classicSingle,
          withPath(happy.classicSingle, "sslEnforcementEnabled", false),
        )[0],
        /sslEnforcementEnabled is false/,
      );
    });
    it("rejects an unset minimal TLS version on an azure-native single server as not set (the spec has no default)", () => {
      const m = run(
        "postgres-tls-min-version",
        T.single,
        withPath(happy.single, "properties.minimalTlsVersion", undefined),
      );
      assert.equal(m.length, 1);
      assert.match(
        m[0],
        /properties\.minimalTlsVersion is unset \(the API spec declares no default, so no floor is set\)\. Set properties\.minimalTlsVersion to "TLS1_2"/,
      );
      assert.doesNotMatch(m[0], /TLSEnforcementDisabled/);
    });
    it("rejects an unset sslEnforcement on an azure-native single server (the spec has no default); passes it declared Enabled", () => {
      const m = run(
        "postgres-secure-transport",
        T.single,
        withPath(happy.single, "properties.sslEnforcement", undefined),
      );
      assert.equal(m.length, 1);
      assert.match(
        m[0],
        /properties\.sslEnforcement is unset \(the API spec declares no default, so unset is not enforced\)\. Set properties\.sslEnforcement to "Enabled"/,
      );
      assert.deepEqual(
        run(
          "postgres-secure-transport",
          T.single,
          withPath(happy.single, "properties.sslEnforcement", "Enabled"),
        ),
        [],
      );
    });
    it("rejects an unset sslEnforcementEnabled on a classic single server; passes an unset TLS version there (azurerm default TLS1_2)", () => {
      assert.match(
        run(
          "postgres-secure-transport",
          T.classicSingle,
          withPath(happy.classicSingle, "sslEnforcementEnabled", undefined),
        )[0],
        /sslEnforcementEnabled is unset/,
      );
      assert.deepEqual(
        run(
          "postgres-tls-min-version",
          T.classicSingle,
          withPath(happy.classicSingle, "sslMinimalTlsVersionEnforced", undefined),
        ),
        [],
      );
    });
    it("rejects TLS1_0 on a classic single server", () => {
      const m = run(
        "postgres-tls-min-version",
        T.classicSingle,
        withPath(happy.classicSingle, "sslMinimalTlsVersionEnforced", "TLS1_0"),
      );
      assert.match(
        m[0],
        /sslMinimalTlsVersionEnforced is "TLS1_0"\. Set sslMinimalTlsVersionEnforced to "TLS1_2"/,
      );
    });
  });

  describe("remediation", () => {
    const remediate = (
      ruleId: RuleId,
      type: string,
      props: Record<string, unknown>,
      config: Record<string, unknown> = {},
    ) => {
      const rule = getRule(ruleId);
      if (rule.kind !== "resource" || !rule.remediate) throw new Error(`${ruleId} has no remediation`);
      return rule.remediate({ type, props }, config);
    };
    it("turns require_secure_transport back on", () => {
      const p = parameter("require_secure_transport", "off");
      assert.deepEqual(remediate("postgres-secure-transport", p.type, p.props), { ...p.props, value: "on" });
    });
    it("leaves a compliant parameter alone", () => {
      const p = parameter("require_secure_transport", "on");
      assert.equal(remediate("postgres-secure-transport", p.type, p.props), undefined);
    });
    it("raises the TLS floor to the configured minimum", () => {
      const p = parameter("ssl_min_protocol_version", "TLSv1", true);
      assert.deepEqual(
        remediate("postgres-tls-min-version", p.type, p.props, { minimumVersion: "TLSv1.3" }),
        {
          ...p.props,
          value: "TLSv1.3",
        },
      );
    });
    it("fixes a single server's SSL enforcement and TLS version", () => {
      const bad = withPath(
        withPath(happy.single, "properties.sslEnforcement", "Disabled"),
        "properties.minimalTlsVersion",
        "TLS1_0",
      );
      const fixedSsl = remediate("postgres-secure-transport", T.single, bad);
      assert.equal((fixedSsl?.properties as Record<string, unknown>).sslEnforcement, "Enabled");
      const fixedTls = remediate("postgres-tls-min-version", T.single, bad, { minimumVersion: "TLSv1.2" });
      assert.equal((fixedTls?.properties as Record<string, unknown>).minimalTlsVersion, "TLS1_2");
    });
  });
});
