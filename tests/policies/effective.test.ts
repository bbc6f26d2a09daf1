import * as assert from "node:assert/strict";

import { evaluateResource, evaluateStack } from "../../policies/rules";
import type { StackResourceView } from "../../policies/rules";
import {
  RG,
  SERVER_ID,
  SERVER_NAME,
  T,
  happy,
  happyStack,
  stackResource as res,
  urn,
  withPath,
} from "./fixtures";

const SERVER_URN = urn(T.server, "pg");
const CLASSIC_URN = urn(T.classicServer, "pg");

const only = (stack: StackResourceView[], rule: string) =>
  evaluateStack(stack).filter((v) => v.ruleId === rule);

/** A classic flexible server and its parameters, linked by `serverId`. */
function classicStack(params: Record<string, string>): StackResourceView[] {
  return [
    res(T.classicServer, "pg", happy.classicServer, { id: SERVER_ID }),
    ...Object.entries(params).map(([name, value]) =>
      res(T.classicConfig, `p-${name}`, { serverId: SERVER_ID, name, value }),
    ),
  ];
}

function nativeStack(params: Record<string, string>, server = happy.server): StackResourceView[] {
  return [
    res(T.server, "pg", server, { id: SERVER_ID }),
    ...Object.entries(params).map(([name, value]) =>
      res(T.config, `p-${name}`, {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        configurationName: name,
        value,
      }),
    ),
  ];
}

const AUDIT = { shared_preload_libraries: "pg_stat_statements,pgaudit", "pgaudit.log": "role,ddl,misc" };

describe("postgres-effective-parameters (declared parameters over Azure's defaults per version)", () => {
  it("passes a server that loads pgaudit and audits role and ddl, keeping Azure's TLS defaults", () => {
    assert.deepEqual(only(nativeStack(AUDIT), "postgres-effective-parameters"), []);
    assert.deepEqual(only(classicStack(AUDIT), "postgres-effective-parameters"), []);
  });

  it("passes the compliant stack from the fixtures", () => {
    assert.deepEqual(only(happyStack(), "postgres-effective-parameters"), []);
  });

  for (const [provider, build, target] of [
    ["azure-native", nativeStack, SERVER_URN],
    ["classic", classicStack, CLASSIC_URN],
  ] as const) {
    it(`flags a ${provider} server that declares no parameters (Azure's defaults leave pgaudit off)`, () => {
      const v = only(build({}), "postgres-effective-parameters");
      assert.equal(v.length, 1);
      assert.equal(v[0].urn, target);
      assert.equal(v[0].level, "mandatory");
      assert.ok(
        v[0].message.includes(
          `(PostgreSQL 17): pgaudit.log is not declared, so Azure's default for PostgreSQL 17 applies ("none"), which turns auditing off`,
        ),
        v[0].message,
      );
      assert.ok(
        v[0].message.includes(
          `shared_preload_libraries is not declared, so Azure's default for PostgreSQL 17 applies ("pg_stat_statements"), which does not load pgaudit`,
        ),
        v[0].message,
      );
    });

    it(`leaves a declared ${provider} pgaudit.log or require_secure_transport to its resource rule (never reported twice)`, () => {
      const audit = only(build({ ...AUDIT, "pgaudit.log": "all,-role" }), "postgres-effective-parameters");
      assert.deepEqual(audit, []);
      const secure = only(
        build({ ...AUDIT, require_secure_transport: "off" }),
        "postgres-effective-parameters",
      );
      assert.deepEqual(secure, []);
    });

    it(`flags a ${provider} server that leaves pgaudit.log to Azure's default but preloads pgaudit`, () => {
      const v = only(
        build({ shared_preload_libraries: "pg_stat_statements,pgaudit" }),
        "postgres-effective-parameters",
      );
      assert.equal(v.length, 1);
      assert.ok(
        v[0].message.includes(
          `pgaudit.log is not declared, so Azure's default for PostgreSQL 17 applies ("none")`,
        ),
        v[0].message,
      );
      assert.ok(!v[0].message.includes("shared_preload_libraries is"), v[0].message);
    });

    it(`flags a ${provider} server whose preload list drops pgaudit`, () => {
      const v = only(
        build({ ...AUDIT, shared_preload_libraries: "pg_cron" }),
        "postgres-effective-parameters",
      );
      assert.equal(v.length, 1);
      assert.ok(v[0].message.includes('shared_preload_libraries is "pg_cron", which does not load pgaudit'));
    });
  }

  it("uses the default every version shares when the version is unset", () => {
    const v = only(
      nativeStack({}, withPath(happy.server, "version", undefined)),
      "postgres-effective-parameters",
    );
    assert.equal(v.length, 1);
    assert.ok(
      v[0].message.includes(
        `pgaudit.log is not declared, so Azure's default for every version applies ("none")`,
      ),
    );
  });

  it("judges the TLS floor from the config, counting Azure's default TLSv1.2", () => {
    const v = evaluateStack(nativeStack(AUDIT), {
      "postgres-effective-parameters": { minimumTlsVersion: "TLSv1.3" },
    }).filter((x) => x.ruleId === "postgres-effective-parameters");
    assert.equal(v.length, 1);
    assert.ok(
      v[0].message.includes(
        `ssl_min_protocol_version is not declared, so Azure's default for PostgreSQL 17 applies ("TLSv1.2"), below TLSv1.3`,
      ),
    );
  });

  it("passes a value not known yet, and skips read replicas (they take the primary's parameters)", () => {
    const unknown = nativeStack({ ...AUDIT, "pgaudit.log": "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    assert.deepEqual(only(unknown, "postgres-effective-parameters"), []);
    const replica = nativeStack({}, withPath(happy.server, "createMode", "Replica"));
    assert.deepEqual(only(replica, "postgres-effective-parameters"), []);
  });

  it("links parameters by dependency when the server name is not known yet", () => {
    const stack = nativeStack(AUDIT).map((r) =>
      r.type === T.config
        ? {
            ...r,
            props: { ...r.props, serverName: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
            dependencies: [SERVER_URN],
          }
        : r,
    );
    assert.deepEqual(only(stack, "postgres-effective-parameters"), []);
  });
});

describe("firewall-total-width (the union of a server's firewall rules)", () => {
  const rules = (n: number, type: string = T.firewall): StackResourceView[] =>
    Array.from({ length: n }, (_, i) =>
      res(
        type,
        `fw${i}`,
        type === T.firewall
          ? {
              resourceGroupName: RG,
              serverName: SERVER_NAME,
              startIpAddress: `10.1.${i}.0`,
              endIpAddress: `10.1.${i}.255`,
            }
          : { serverId: SERVER_ID, startIpAddress: `10.1.${i}.0`, endIpAddress: `10.1.${i}.255` },
      ),
    );

  it("refuses 256 adjacent /24 rules (a /16 in total), azure-native", () => {
    const v = only(
      [res(T.server, "pg", happy.server, { id: SERVER_ID }), ...rules(256)],
      "firewall-total-width",
    );
    assert.equal(v.length, 1);
    assert.equal(v[0].urn, SERVER_URN);
    assert.ok(
      v[0].message.includes(
        '"pg": 256 rules together admit 10.1.0.0-10.1.255.255 (65536 addresses, a /16 block), wider than /24',
      ),
      v[0].message,
    );
    assert.ok(!/split/i.test(v[0].message), v[0].message);
  });

  it("refuses two adjacent /24 rules (a /23 run), classic", () => {
    const v = only(
      [res(T.classicServer, "pg", happy.classicServer, { id: SERVER_ID }), ...rules(2, T.classicFirewall)],
      "firewall-total-width",
    );
    assert.equal(v.length, 1);
    assert.ok(
      v[0].message.includes("2 rules together admit 10.1.0.0-10.1.1.255 (512 addresses, a /23 block)"),
      v[0].message,
    );
  });

  it("passes a /24 and a separate single address: runs that do not touch are judged apart", () => {
    const server = res(T.server, "pg", happy.server, { id: SERVER_ID });
    const apart = [
      res(T.firewall, "office", {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        startIpAddress: "203.0.113.0",
        endIpAddress: "203.0.113.255",
      }),
      res(T.firewall, "vpn", {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        startIpAddress: "198.51.100.10",
        endIpAddress: "198.51.100.10",
      }),
    ];
    assert.deepEqual(only([server, ...apart], "firewall-total-width"), []);
  });

  it("passes rules that fit the budget, counting overlaps once, and a wider budget from the config", () => {
    const server = res(T.server, "pg", happy.server, { id: SERVER_ID });
    const overlap = [
      res(T.firewall, "a", {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        startIpAddress: "10.0.0.0",
        endIpAddress: "10.0.0.200",
      }),
      res(T.firewall, "b", {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        startIpAddress: "10.0.0.100",
        endIpAddress: "10.0.0.255",
      }),
    ];
    assert.deepEqual(only([server, ...overlap], "firewall-total-width"), []);
    const wide = evaluateStack([server, ...rules(4)], {
      "firewall-total-width": { minimumPrefixLength: 22 },
    });
    assert.deepEqual(
      wide.filter((x) => x.ruleId === "firewall-total-width"),
      [],
    );
  });
});

describe("postgres-effective-log-parameters (logging parameters over Azure's defaults per version)", () => {
  const RULE = "postgres-effective-log-parameters";
  const LOGS = { ...AUDIT, "logfiles.retention_days": "7", "connection_throttle.enable": "on" };

  it("passes a server that declares retention and throttling, keeping Azure's logging defaults (on)", () => {
    assert.deepEqual(only(nativeStack(LOGS), RULE), []);
    assert.deepEqual(only(classicStack(LOGS), RULE), []);
    assert.deepEqual(only(happyStack(), RULE), []);
  });

  for (const [provider, build, target] of [
    ["azure-native", nativeStack, SERVER_URN],
    ["classic", classicStack, CLASSIC_URN],
  ] as const) {
    it(`flags a ${provider} server that leaves retention and throttling to Azure's defaults, as advisory`, () => {
      const v = only(build(AUDIT), RULE);
      assert.equal(v.length, 1);
      assert.equal(v[0].urn, target);
      assert.equal(v[0].level, "advisory");
      assert.ok(
        v[0].message.includes(
          `(PostgreSQL 17): connection_throttle.enable is not declared, so Azure's default for PostgreSQL 17 applies ("off"), so repeated failed logins from one address are not throttled; logfiles.retention_days is not declared, so Azure's default for PostgreSQL 17 applies ("3"), fewer than 7 days. Declare connection_throttle.enable "on" and logfiles.retention_days "7".`,
        ),
        v[0].message,
      );
      assert.ok(!v[0].message.includes("log_connections"), v[0].message);
    });

    it(`leaves a declared ${provider} value to its resource rule (never reported twice)`, () => {
      for (const [name, value, resourceRule] of [
        ["logfiles.retention_days", "2", "postgres-log-retention"],
        ["connection_throttle.enable", "off", "postgres-connection-throttling"],
        ["log_connections", "off", "postgres-connection-logging"],
      ] as const) {
        const stack = build({ ...LOGS, [name]: value });
        // Reported once, by the resource rule on the parameter resource; no stack rule repeats it.
        const declared = stack.filter((r) => r.name === `p-${name}`);
        assert.deepEqual(
          declared.flatMap((r) => evaluateResource(r)).map((x) => x.ruleId),
          [resourceRule],
          name,
        );
        const effectiveRules = evaluateStack(stack).filter((x) => x.ruleId.startsWith("postgres-effective"));
        assert.deepEqual(effectiveRules, [], name);
      }
    });
  }

  it("flags only retention when throttling is declared", () => {
    const v = only(nativeStack({ ...AUDIT, "connection_throttle.enable": "on" }), RULE);
    assert.equal(v.length, 1);
    assert.match(
      v[0].message,
      /: logfiles\.retention_days is not declared, so Azure's default for PostgreSQL 17 applies \("3"\), fewer than 7 days\. Declare logfiles\.retention_days "7"\.$/,
    );
  });

  it("does not judge throttling on PostgreSQL 18, which has no connection_throttle.enable", () => {
    const v = only(
      nativeStack({ ...AUDIT, "logfiles.retention_days": "7" }, withPath(happy.server, "version", "18")),
      RULE,
    );
    assert.deepEqual(v, []);
    const v16 = only(
      nativeStack({ ...AUDIT, "logfiles.retention_days": "7" }, withPath(happy.server, "version", "16")),
      RULE,
    );
    assert.equal(v16.length, 1);
    assert.ok(v16[0].message.includes(`Azure's default for PostgreSQL 16 applies ("off")`), v16[0].message);
  });

  it("uses the default every version shares when the version is unset: retention, not throttling", () => {
    const v = only(nativeStack(AUDIT, withPath(happy.server, "version", undefined)), RULE);
    assert.equal(v.length, 1);
    assert.ok(
      v[0].message.endsWith(
        `: logfiles.retention_days is not declared, so Azure's default for every version applies ("3"), fewer than 7 days. Declare logfiles.retention_days "7".`,
      ),
      v[0].message,
    );
  });

  it("judges Azure's default retention against the configured minimum", () => {
    const stack = nativeStack({ ...AUDIT, "connection_throttle.enable": "on" });
    const at = (days: number) =>
      evaluateStack(stack, { [RULE]: { minimumLogRetentionDays: days } }).filter((x) => x.ruleId === RULE);
    assert.deepEqual(at(3), []);
    assert.equal(at(4).length, 1);
    assert.ok(at(4)[0].message.includes("fewer than 4 days"), at(4)[0].message);
  });

  it("judges a parameter declared without a value at Azure's default (its resource rule passes it)", () => {
    const stack = [
      ...nativeStack({ ...AUDIT, "logfiles.retention_days": "7" }),
      res(T.config, "p-throttle-unset", {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        configurationName: "connection_throttle.enable",
      }),
    ];
    const v = evaluateStack(stack).filter((x) => x.ruleId.includes("throttl") || x.ruleId === RULE);
    assert.deepEqual(
      v.map((x) => x.ruleId),
      [RULE],
    );
    assert.ok(
      v[0].message.includes(`connection_throttle.enable is not declared, so Azure's default`),
      v[0].message,
    );
  });

  it("passes a value not known yet, and skips read replicas (they take the primary's parameters)", () => {
    const unknown = nativeStack({
      ...LOGS,
      "logfiles.retention_days": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    });
    assert.deepEqual(only(unknown, RULE), []);
    const unknownVersion = nativeStack(
      AUDIT,
      withPath(happy.server, "version", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
    );
    assert.deepEqual(only(unknownVersion, RULE), []);
    const replica = nativeStack(AUDIT, withPath(happy.server, "createMode", "Replica"));
    assert.deepEqual(only(replica, RULE), []);
    assert.equal(only(nativeStack(AUDIT), RULE).length, 1, "the same server as a primary is flagged");
  });
});
