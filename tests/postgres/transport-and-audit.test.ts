// Transport and logging: the component's own server parameters, loaded into a real
// PostgreSQL 15 with pgaudit, refuse plain and old-TLS clients and write the audit trail the alert
// rules read.

import assert from "node:assert/strict";
import { Client } from "pg";
import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  serverParameters,
} from "../../components/postgres/parameters";
import { SUPERUSER, TestCluster, requirePostgres } from "./helpers/cluster";
import { toPostgresConf } from "./helpers/translate";
import { waitForLog } from "./helpers/log";

const params = (minimumTlsVersion: string) =>
  serverParameters({
    // The real-server suite runs PostgreSQL 15: emit what Azure's PostgreSQL 15 gets.
    version: "15",
    minimumTlsVersion,
    pgauditLog: DEFAULT_PGAUDIT_LOG,
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
  });

describe("real PostgreSQL 15: transport and audit settings", function () {
  let cluster: TestCluster | undefined;
  const server = (): TestCluster => {
    if (!cluster) throw new Error("the test server did not start");
    return cluster;
  };
  const su = () => ({ user: SUPERUSER, password: server().superuserPassword });

  before(async function () {
    requirePostgres();
    cluster = await TestCluster.start(params("TLSv1.3"));
  });
  after(async function () {
    await cluster?.stop();
  });

  describe("configuration", function () {
    it("runs with every PostgreSQL-level value from serverParameters() in effect", async function () {
      const translated = toPostgresConf(params("TLSv1.3"), { availableLibraries: new Set(["pgaudit"]) });
      const expected = new Map(
        translated.conf.map((line) => {
          const m = /^(\S+) = '(.*)'$/.exec(line);
          assert.ok(m, line);
          return [m[1], m[2]] as const;
        }),
      );
      const live = await server().asSuperuser("postgres", (c) =>
        c.query<{ name: string; setting: string }>(
          "SELECT name, setting FROM pg_settings WHERE name = ANY ($1)",
          [[...expected.keys()]],
        ),
      );
      const seen = new Map(live.rows.map((r) => [r.name, r.setting]));
      // shared_preload_libraries may also keep pg_stat_statements when it is installed here.
      assert.match(seen.get("shared_preload_libraries") ?? "", /(^|,)pgaudit$/);
      seen.delete("shared_preload_libraries");
      expected.delete("shared_preload_libraries");
      assert.deepEqual(Object.fromEntries(seen), Object.fromEntries(expected));
    });

    it("lists the Azure-only knobs it cannot test here", function () {
      const names = server().notTestable.map((n) => `${n.name}=${n.value}`);
      console.log(
        `      not testable on a self-hosted server:\n${server()
          .notTestable.map((n) => `        - ${n.name}=${n.value}: ${n.reason}`)
          .join("\n")}`,
      );
      assert.deepEqual(names, [
        "azure.extensions=pgaudit",
        "shared_preload_libraries=pg_cron",
        "connection_throttle.enable=on",
        "logfiles.download_enable=on",
        `logfiles.retention_days=${DEFAULT_LOG_RETENTION_DAYS}`,
      ]);
    });
  });

  describe("transport: require_secure_transport=on, ssl_min_protocol_version=TLSv1.3", function () {
    it("refuses a plain, non-TLS connection", async function () {
      await assert.rejects(
        server().connect({ ...su(), tls: false }),
        /pg_hba\.conf rejects connection .* no encryption/,
      );
    });

    it("accepts sslmode=verify-full against the test CA, over TLS 1.3", async function () {
      const s = server();
      const url =
        `postgresql://${SUPERUSER}:${encodeURIComponent(s.superuserPassword)}@127.0.0.1:${s.port}/postgres` +
        `?sslmode=verify-full&sslrootcert=${encodeURIComponent(s.caFile)}`;
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const r = await client.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        assert.deepEqual(r.rows[0], { ssl: true, version: "TLSv1.3" });
      } finally {
        await client.end();
      }
    });

    it("refuses verify-full against a CA that did not sign the server certificate", async function () {
      await assert.rejects(server().connect({ ...su(), tls: { ca: "rogue" } }), /unable to verify/);
    });

    it("refuses a client capped at TLS 1.2", async function () {
      await assert.rejects(server().connect({ ...su(), tls: { maxVersion: "TLSv1.2" } }), /protocol version/);
      await waitForLog(server(), /could not accept SSL connection: unsupported protocol/);
    });
  });

  describe("transport: ssl_min_protocol_version=TLSv1.2", function () {
    before(async function () {
      await server().reconfigure(params("TLSv1.2"));
    });
    after(async function () {
      await server().reconfigure(params("TLSv1.3"));
    });

    it("accepts a client capped at TLS 1.2, and still refuses plain connections", async function () {
      const version = await server().with({ ...su(), tls: { maxVersion: "TLSv1.2" } }, async (c) => {
        const r = await c.query<{ version: string }>(
          "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        );
        return r.rows[0].version;
      });
      assert.equal(version, "TLSv1.2");
      await assert.rejects(server().connect({ ...su(), tls: false }), /no encryption/);
    });
  });

  describe(`logging: pgaudit.log=${DEFAULT_PGAUDIT_LOG}, log_connections, log_disconnections, log_checkpoints`, function () {
    const probePassword = `probe-${Math.random().toString(36).slice(2)}`;

    before(async function () {
      // One statement per query: pgaudit logs the whole query string with each statement, and only the
      // role statement itself gets its password redacted.
      await server().asSuperuser("postgres", async (c) => {
        await c.query("CREATE TABLE audit_probe (id int)");
        await c.query("CREATE ROLE audit_probe_role LOGIN");
        await c.query(`ALTER ROLE audit_probe_role PASSWORD '${probePassword}'`);
        await c.query("GRANT SELECT ON audit_probe TO audit_probe_role");
        await c.query("INSERT INTO audit_probe VALUES (1)");
        await c.query("SELECT * FROM audit_probe");
        await c.query("CHECKPOINT");
      });
      await assert.rejects(
        server().connect({ user: "audit_probe_role", password: "wrong" }),
        /password authentication failed/,
      );
    });

    it("writes an AUDIT line for DDL", async function () {
      await waitForLog(server(), /AUDIT: SESSION,\d+,\d+,DDL,CREATE TABLE,,,CREATE TABLE audit_probe/);
    });

    it("writes AUDIT lines for role changes: CREATE ROLE, ALTER ROLE and GRANT", async function () {
      const log = await waitForLog(
        server(),
        /AUDIT: SESSION,\d+,\d+,ROLE,GRANT,,,GRANT SELECT ON audit_probe/,
      );
      assert.match(log, /AUDIT: SESSION,\d+,\d+,ROLE,CREATE ROLE,,,CREATE ROLE audit_probe_role LOGIN/);
      assert.match(
        log,
        /AUDIT: SESSION,\d+,\d+,ROLE,ALTER ROLE,,,ALTER ROLE audit_probe_role PASSWORD <REDACTED>/,
      );
    });

    it("keeps the password out of the log", function () {
      assert.ok(!server().log().includes(probePassword), "the probe password appears in the server log");
    });

    it("does not audit plain reads and writes, which the default classes leave out", function () {
      assert.doesNotMatch(server().log(), /AUDIT: SESSION,\d+,\d+,(READ|WRITE),/);
    });

    it("logs each connection with its TLS protocol, and each disconnection", async function () {
      const log = await waitForLog(
        server(),
        /disconnection: session time: \S+ user=azuresu database=postgres host=127\.0\.0\.1/,
      );
      assert.match(
        log,
        /connection authorized: user=azuresu database=postgres SSL enabled \(protocol=TLSv1\.3,/,
      );
      assert.match(
        log,
        /connection authorized: user=azuresu database=postgres SSL enabled \(protocol=TLSv1\.2,/,
      );
    });

    it("logs failed logins, which the brute-force alert counts", async function () {
      await waitForLog(server(), /FATAL: {2}password authentication failed for user "audit_probe_role"/);
    });

    it("logs checkpoints", async function () {
      await waitForLog(server(), /LOG: {2}checkpoint complete: /);
    });
  });
});
