// The translation from Azure server parameters to a local configuration, without a server.

import assert from "node:assert/strict";
import { DEFAULT_PGAUDIT_LOG, serverParameters } from "../../components/postgres/parameters";
import { toPostgresConf } from "./helpers/translate";

const params = serverParameters({
  version: "15",
  minimumTlsVersion: "TLSv1.3",
  pgauditLog: DEFAULT_PGAUDIT_LOG,
  logRetentionDays: 7,
});
const available = new Set(["pgaudit", "pg_stat_statements"]);

describe("toPostgresConf", function () {
  it("turns require_secure_transport=on into hostssl lines and a hostnossl reject, with no plain host line", function () {
    const { hba } = toPostgresConf(params, { availableLibraries: available });
    const rules = hba.filter((l) => !l.startsWith("#"));
    assert.deepEqual(
      rules.map((l) => l.split(/\s+/)[0]),
      ["hostssl", "hostnossl"],
    );
    assert.match(rules[1], /reject$/);
    assert.ok(rules.every((l) => !/^host\s/.test(l)));
  });

  it("adds a plain host line only when secure transport is off", function () {
    const off = params.map((p) => (p.name === "require_secure_transport" ? { ...p, value: "off" } : p));
    assert.ok(toPostgresConf(off, { availableLibraries: available }).hba.some((l) => /^host\s/.test(l)));
  });

  it("maps TLS, pgaudit and logging parameters one to one, and keeps only installed preload libraries", function () {
    const { conf } = toPostgresConf(params, { availableLibraries: available });
    assert.deepEqual(conf, [
      "ssl_min_protocol_version = 'TLSv1.3'",
      "shared_preload_libraries = 'pg_stat_statements,pgaudit'",
      "pgaudit.log = 'role,ddl,misc'",
      "log_connections = 'on'",
      "log_disconnections = 'on'",
      "log_checkpoints = 'on'",
    ]);
  });

  it("returns the Azure-only knobs as not testable", function () {
    const { notTestable } = toPostgresConf(params, { availableLibraries: available });
    assert.deepEqual(
      notTestable.map((n) => n.name),
      [
        "azure.extensions",
        "shared_preload_libraries",
        "connection_throttle.enable",
        "logfiles.download_enable",
        "logfiles.retention_days",
      ],
    );
    assert.ok(notTestable.every((n) => n.reason.length > 20));
  });

  it("refuses a parameter it does not know, so none escapes the real-server suite", function () {
    assert.throws(
      () =>
        toPostgresConf([...params, { name: "pgaudit.log_parameter", value: "on" }], {
          availableLibraries: available,
        }),
      /does not know Azure parameter "pgaudit.log_parameter"/,
    );
  });
});
