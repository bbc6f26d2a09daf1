import assert from "node:assert/strict";
import {
  AZURE_DEFAULT_SHARED_PRELOAD_LIBRARIES,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  serverParameters,
  validatePgauditLog,
} from "../../components/postgres/parameters";

const defaults = {
  minimumTlsVersion: "TLSv1.3",
  pgauditLog: DEFAULT_PGAUDIT_LOG,
  logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
};

describe("serverParameters", function () {
  it("emits the zero-trust parameter set in the order the component applies it", function () {
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
      { name: "logfiles.retention_days", value: "7" },
    ]);
  });

  it("names each parameter once", function () {
    const names = serverParameters(defaults).map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
  });

  it("keeps Azure's default preload libraries and adds pgaudit once", function () {
    assert.deepEqual(AZURE_DEFAULT_SHARED_PRELOAD_LIBRARIES, ["pg_cron", "pg_stat_statements"]);
    const preload = (base?: string[]) =>
      serverParameters({ ...defaults, basePreloadLibraries: base }).find(
        (p) => p.name === "shared_preload_libraries",
      )?.value;
    assert.equal(preload(["pg_stat_statements", "pgaudit"]), "pg_stat_statements,pgaudit");
    assert.equal(preload([]), "pgaudit");
    assert.throws(
      () => preload(["pg_cron;drop"]),
      /`basePreloadLibraries` entry "pg_cron;drop" is not a library name/,
    );
  });

  it("accepts TLSv1.2 as the floor", function () {
    const tls = serverParameters({ ...defaults, minimumTlsVersion: "TLSv1.2" }).find(
      (p) => p.name === "ssl_min_protocol_version",
    );
    assert.equal(tls?.value, "TLSv1.2");
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

  it("rejects log retention outside 4-7 days", function () {
    for (const v of [3, 8, 5.5, Number.NaN]) {
      assert.throws(
        () => serverParameters({ ...defaults, logRetentionDays: v }),
        /\[postgres-log-retention\] `monitoring\.logRetentionDays` .* from 4 to 7/,
      );
    }
    assert.equal(serverParameters({ ...defaults, logRetentionDays: 4 }).at(-1)?.value, "4");
  });

  it("returns a frozen array", function () {
    const params = serverParameters(defaults);
    assert.ok(Object.isFrozen(params) && params.every((p) => Object.isFrozen(p)));
  });
});

describe("validatePgauditLog", function () {
  it("accepts pgaudit's classes, subtraction and any case, and normalises to lowercase", function () {
    assert.deepEqual(validatePgauditLog("role,ddl,misc"), ["role", "ddl", "misc"]);
    assert.deepEqual(validatePgauditLog("ALL, -read"), ["all", "-read"]);
    assert.deepEqual(validatePgauditLog("write,function,misc_set"), ["write", "function", "misc_set"]);
  });

  const cases: [string, RegExp][] = [
    ["none", /turns auditing off/],
    ["", /has an empty class/],
    ["role,,ddl", /has an empty class/],
    ["role,select", /has unknown class "select"/],
    ["role,ROLE", /names class "role" twice/],
    ["role,-role", /names class "role" twice/],
    ["-read,-write", /only subtracts classes and audits nothing/],
  ];
  for (const [value, reason] of cases) {
    it(`rejects ${JSON.stringify(value)}, naming the field, the value and what is allowed`, function () {
      assert.throws(
        () => validatePgauditLog(value),
        (err: Error) => {
          assert.match(err.message, /^\[postgres-pgaudit-enabled\] `monitoring\.pgauditLog`/);
          assert.ok(err.message.includes(JSON.stringify(value)), err.message);
          assert.match(err.message, reason);
          assert.match(err.message, /read, write, function, role, ddl, misc, misc_set, all/);
          return true;
        },
      );
    });
  }

  it("is applied by serverParameters", function () {
    assert.throws(() => serverParameters({ ...defaults, pgauditLog: "none" }), /turns auditing off/);
  });
});
