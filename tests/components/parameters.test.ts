import assert from "node:assert/strict";
import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  azureDefaultPreloadLibraries,
  serverParameters,
  staticParameterNames,
  validatePgauditLog,
} from "../../components/postgres/parameters";
import { POSTGRES_MAJOR_VERSIONS } from "../../policies/facts/server-parameters";

const defaults = {
  version: "16",
  minimumTlsVersion: "TLSv1.3",
  pgauditLog: DEFAULT_PGAUDIT_LOG,
  logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
};

const valueOf = (params: ReadonlyArray<{ name: string; value: string }>, name: string) =>
  params.find((p) => p.name === name)?.value;

describe("serverParameters", function () {
  it("emits the zero-trust parameter set in the order the component applies it (PostgreSQL 16)", function () {
    assert.deepEqual(serverParameters(defaults), [
      { name: "require_secure_transport", value: "on" },
      { name: "ssl_min_protocol_version", value: "TLSv1.3" },
      { name: "azure.extensions", value: "pgaudit" },
      { name: "shared_preload_libraries", value: "pg_cron,pg_stat_statements,pgaudit" },
      { name: "pgaudit.log", value: "role,ddl,misc" },
      { name: "log_connections", value: "on" },
      { name: "log_disconnections", value: "on" },
      { name: "log_checkpoints", value: "on" },
      { name: "connection_throttle.enable", value: "on" },
      { name: "logfiles.download_enable", value: "on" },
      { name: "logfiles.retention_days", value: "7" },
    ]);
  });

  it("leaves connection_throttle.enable out on PostgreSQL 18, where Azure has no such parameter", function () {
    const names = serverParameters({ ...defaults, version: "18" }).map((p) => p.name);
    assert.equal(names.length, 10);
    assert.ok(!names.includes("connection_throttle.enable"), names.join(","));
    for (const v of ["12", "13", "14", "15", "16", "17"]) {
      assert.ok(
        serverParameters({ ...defaults, version: v }).some((p) => p.name === "connection_throttle.enable"),
        v,
      );
    }
  });

  it("keeps Azure's default preload libraries of each version and adds pgaudit once", function () {
    const expected: Record<string, string> = {
      "12": "pg_cron,pg_stat_statements,pgaudit",
      "13": "pg_cron,pg_stat_statements,pgaudit",
      "14": "pg_cron,pg_stat_statements,pgaudit",
      "15": "pg_cron,pg_stat_statements,pgaudit",
      "16": "pg_cron,pg_stat_statements,pgaudit",
      "17": "pg_stat_statements,pgaudit",
      "18": "pg_cron,pg_stat_statements,pgaudit",
    };
    for (const v of POSTGRES_MAJOR_VERSIONS) {
      assert.equal(
        valueOf(serverParameters({ ...defaults, version: v }), "shared_preload_libraries"),
        expected[v],
        v,
      );
    }
    assert.deepEqual(azureDefaultPreloadLibraries("17"), ["pg_stat_statements"]);
    const preload = (base?: string[]) =>
      valueOf(serverParameters({ ...defaults, basePreloadLibraries: base }), "shared_preload_libraries");
    assert.equal(preload(["pg_stat_statements", "pgaudit"]), "pg_stat_statements,pgaudit");
    assert.equal(preload([]), "pgaudit");
    assert.throws(
      () => preload(["pg_cron;drop"]),
      /`basePreloadLibraries` entry "pg_cron;drop" is not a library name/,
    );
  });

  it("rejects a version Azure does not offer, naming the field, the value and the versions", function () {
    for (const v of ["11", "19", "", "17.2"]) {
      assert.throws(
        () => serverParameters({ ...defaults, version: v }),
        (err: Error) => {
          assert.ok(
            err.message.startsWith(`\`version\` ${JSON.stringify(v)} is not a PostgreSQL major version`),
          );
          assert.match(err.message, /"12", "13", "14", "15", "16", "17", "18"/);
          return true;
        },
      );
    }
  });

  it("names shared_preload_libraries as the only static parameter it emits", function () {
    for (const v of POSTGRES_MAJOR_VERSIONS) {
      assert.deepEqual(staticParameterNames(serverParameters({ ...defaults, version: v }), v), [
        "shared_preload_libraries",
      ]);
    }
  });

  it("accepts TLSv1.2 as the floor", function () {
    assert.equal(
      valueOf(serverParameters({ ...defaults, minimumTlsVersion: "TLSv1.2" }), "ssl_min_protocol_version"),
      "TLSv1.2",
    );
  });

  it("rejects a TLS floor below 1.2, naming the field, value and allowed values", function () {
    for (const v of ["TLSv1.1", "TLSv1", "tlsv1.3", ""]) {
      assert.throws(
        () => serverParameters({ ...defaults, minimumTlsVersion: v }),
        (err: Error) => {
          assert.match(err.message, /\[postgres-tls-min-version\] `minimumTlsVersion`/);
          assert.ok(err.message.includes(JSON.stringify(v)), err.message);
          assert.match(err.message, /"TLSv1\.2", "TLSv1\.3"/);
          return true;
        },
      );
    }
  });

  it("rejects log retention outside 4-7 days (CIS floor to Azure's maximum)", function () {
    for (const v of [3, 8, 5.5, Number.NaN]) {
      assert.throws(
        () => serverParameters({ ...defaults, logRetentionDays: v }),
        /\[postgres-log-retention\] `monitoring\.logRetentionDays` .* from 4 to 7/,
      );
    }
    assert.equal(
      valueOf(serverParameters({ ...defaults, logRetentionDays: 4 }), "logfiles.retention_days"),
      "4",
    );
  });

  it("turns server logs on wherever it sets their retention", function () {
    for (const v of POSTGRES_MAJOR_VERSIONS) {
      const params = serverParameters({ ...defaults, version: v });
      const names = params.map((p) => p.name);
      assert.equal(
        names.indexOf("logfiles.download_enable") + 1,
        names.indexOf("logfiles.retention_days"),
        v,
      );
      assert.equal(valueOf(params, "logfiles.download_enable"), "on");
    }
  });

  it("returns a frozen array", function () {
    const params = serverParameters(defaults);
    assert.ok(Object.isFrozen(params) && params.every((p) => Object.isFrozen(p)));
  });
});

describe("validatePgauditLog", function () {
  it("accepts Azure's classes in any case when role and ddl are effective, and normalises to lowercase", function () {
    assert.deepEqual(validatePgauditLog("role,ddl,misc"), ["role", "ddl", "misc"]);
    assert.deepEqual(validatePgauditLog("ALL"), ["all"]);
    assert.deepEqual(validatePgauditLog("write, ddl,function,ROLE"), ["write", "ddl", "function", "role"]);
  });

  const cases: [string, RegExp][] = [
    ["none", /turns auditing off: it audits nothing, without role and ddl/],
    ["read", /audits read, without role and ddl/],
    ["role,misc", /audits role,misc, without ddl/],
    ["", /has an empty class/],
    ["role,,ddl", /has an empty class/],
    ["role,select", /has class "select", which Azure does not accept/],
    ["role,ddl,misc_set", /has class "misc_set", which Azure does not accept/],
    ["role,ROLE,ddl", /names class "role" twice/],
    ["all,-read", /uses "-read": Azure does not accept class subtraction/],
    ["-all", /uses "-all": Azure does not accept class subtraction/],
    ["role,-role", /uses "-role": Azure does not accept class subtraction/],
    ["all,-read,-write,-function,-role,-ddl,-misc", /uses "-read"/],
  ];
  for (const [value, reason] of cases) {
    it(`rejects ${JSON.stringify(value)}, naming the field, the value and what is allowed`, function () {
      assert.throws(
        () => validatePgauditLog(value),
        (err: Error) => {
          assert.match(err.message, /^\[postgres-pgaudit-enabled\] `monitoring\.pgauditLog`/);
          assert.ok(err.message.includes(JSON.stringify(value)), err.message);
          assert.match(err.message, reason);
          assert.match(err.message, /read, write, function, role, ddl, misc, all that includes role and ddl/);
          return true;
        },
      );
    });
  }

  it("is applied by serverParameters", function () {
    assert.throws(() => serverParameters({ ...defaults, pgauditLog: "none" }), /turns auditing off/);
  });
});
