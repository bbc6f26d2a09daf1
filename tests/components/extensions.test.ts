import assert from "node:assert/strict";
import {
  allowList,
  mergeParameters,
  preloadLibraries,
  validateExtensions,
  validateServerParameters,
} from "../../components/postgres/extensions";
import { serverParameters } from "../../components/postgres/parameters";

const base = serverParameters({
  version: "16",
  minimumTlsVersion: "TLSv1.3",
  pgauditLog: "role,ddl,misc",
  logRetentionDays: 7,
});

describe("extensions", function () {
  it("allow-lists the extensions after pgaudit and leaves modules off the allow-list", function () {
    assert.deepEqual(allowList(["vector", "pg_trgm", "auto_explain", "pgaudit"]), [
      "pgaudit",
      "vector",
      "pg_trgm",
    ]);
  });

  it("preloads exactly the libraries Microsoft marks, modules included, pgaudit left to the base list", function () {
    assert.deepEqual(preloadLibraries(["vector", "pg_partman", "timescaledb", "auto_explain", "pgaudit"]), [
      "pg_partman_bgw",
      "timescaledb",
      "auto_explain",
    ]);
    assert.deepEqual(preloadLibraries(["pgcrypto", "postgis"]), []);
  });

  it("merges into azure.extensions and shared_preload_libraries in place, pgaudit kept last", function () {
    const merged = mergeParameters(base, ["vector", "pg_hint_plan"], [{ name: "work_mem", value: "65536" }]);
    assert.deepEqual(
      merged.map((p) => p.name),
      [...base.map((p) => p.name), "work_mem"],
    );
    assert.equal(merged.find((p) => p.name === "azure.extensions")?.value, "pgaudit,vector,pg_hint_plan");
    assert.equal(
      merged.find((p) => p.name === "shared_preload_libraries")?.value,
      "pg_cron,pg_stat_statements,pg_hint_plan,pgaudit",
    );
    assert.equal(merged.at(-1)?.value, "65536");
  });

  it("does not duplicate a library Azure already preloads", function () {
    const merged = mergeParameters(base, ["pg_stat_statements", "pg_cron"], []);
    assert.equal(
      merged.find((p) => p.name === "shared_preload_libraries")?.value,
      "pg_cron,pg_stat_statements,pgaudit",
    );
    assert.equal(
      merged.find((p) => p.name === "azure.extensions")?.value,
      "pgaudit,pg_stat_statements,pg_cron",
    );
  });

  it("rejects an unknown extension naming the field, the value and the allowed names", function () {
    assert.throws(
      () => validateExtensions(["vector", "pgvector"], "17"),
      (e: Error) =>
        e.message.startsWith('`extensions[1]` "pgvector" is not an extension or module Azure') &&
        e.message.includes("; use one of address_standardizer, ") &&
        e.message.endsWith(", vector, auto_explain, pg_partman_bgw, wal2json."),
    );
  });

  it("rejects an extension the version does not offer, and a repeated name", function () {
    assert.throws(
      () => validateExtensions(["pg_failover_slots"], "17"),
      /`extensions\[0\]` "pg_failover_slots" is not offered on PostgreSQL 17; it exists up to PostgreSQL 16/,
    );
    assert.throws(() => validateExtensions(["pg_duckdb"], "13"), /use `version` 14 or later/);
    assert.throws(
      () => validateExtensions(["vector", "vector"], "17"),
      /`extensions\[1\]` "vector" is listed twice/,
    );
    assert.deepEqual(validateExtensions(["pg_failover_slots"], "16"), ["pg_failover_slots"]);
  });
});

describe("serverParameters", function () {
  it("accepts an ordinary parameter and keeps it as given", function () {
    assert.deepEqual(validateServerParameters([{ name: "pg_stat_statements.track", value: "all" }]), [
      { name: "pg_stat_statements.track", value: "all" },
    ]);
  });

  it("refuses weakening TLS with the rule's message, as the dedicated argument would", function () {
    assert.throws(
      () => validateServerParameters([{ name: "ssl_min_protocol_version", value: "TLSv1.1" }]),
      (e: Error) =>
        e.message.startsWith(
          '[postgres-tls-min-version] `serverParameters[0] (ssl_min_protocol_version)` "TLSv1.1" is not allowed',
        ),
    );
  });

  it("refuses switching secure transport off through the rule", function () {
    assert.throws(
      () => validateServerParameters([{ name: "require_secure_transport", value: "off" }]),
      /^Error: \[postgres-secure-transport\] `serverParameters\[0\] \(require_secure_transport\)` "off": /,
    );
  });

  it("refuses pgaudit.log none with the pgaudit rule's message", function () {
    assert.throws(
      () => validateServerParameters([{ name: "pgaudit.log", value: "none" }]),
      /^Error: \[postgres-pgaudit-enabled\] `serverParameters\[0\] \(pgaudit.log\)` "none" turns auditing off/,
    );
  });

  it("refuses short log retention and connection logging off through their rules", function () {
    assert.throws(
      () => validateServerParameters([{ name: "logfiles.retention_days", value: "2" }]),
      /^Error: \[postgres-log-retention\] `serverParameters\[0\] \(logfiles.retention_days\)` 2 is out of range/,
    );
    assert.throws(
      () => validateServerParameters([{ name: "log_connections", value: "off" }]),
      /^Error: \[postgres-connection-logging\] `serverParameters\[0\] \(log_connections\)` "off": /,
    );
  });

  it("refuses a compliant value for a parameter another argument owns, naming that argument", function () {
    assert.throws(
      () => validateServerParameters([{ name: "ssl_min_protocol_version", value: "TLSv1.3" }]),
      /`serverParameters\[0\].name` "ssl_min_protocol_version" is set by the component; set it through `minimumTlsVersion`/,
    );
    assert.throws(
      () => validateServerParameters([{ name: "shared_preload_libraries", value: "pg_cron" }]),
      /set it through `extensions`/,
    );
  });

  it("refuses bad names, control characters and repeats", function () {
    assert.throws(
      () => validateServerParameters([{ name: "Work Mem", value: "1" }]),
      /`serverParameters\[0\].name` "Work Mem" is not a server parameter name/,
    );
    assert.throws(
      () => validateServerParameters([{ name: "work_mem", value: "1\n2" }]),
      /`serverParameters\[0\].value` for "work_mem" must be a string .* without control characters/,
    );
    assert.throws(
      () =>
        validateServerParameters([
          { name: "work_mem", value: "1" },
          { name: "work_mem", value: "2" },
        ]),
      /`serverParameters\[1\].name` "work_mem" is set twice/,
    );
  });
});
