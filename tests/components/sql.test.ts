import assert from "node:assert/strict";
import {
  bootstrapSql,
  bootstrapSqlSteps,
  psqlScriptSteps,
  quoteIdent,
  quoteLiteral,
  type BootstrapPrincipal,
  type BootstrapSqlOptions,
} from "../../components/postgres/sql";

const personas: BootstrapPrincipal[] = [
  {
    role: "DB Admins",
    objectId: "0B6F4C0E-6D0A-4D43-9A51-1F7A2F3B8C01",
    principalType: "group",
    access: "admin",
  },
  {
    role: "DB Writers",
    objectId: "1c7a5d1f-7e1b-4e54-8b62-2a8b3a4c9d02",
    principalType: "group",
    access: "writer",
  },
  {
    role: "reporting-job",
    objectId: "4fad8a4c-ab4e-4b87-9e95-5dbe6d7fca05",
    principalType: "service",
    access: "reader",
  },
];
const opts: BootstrapSqlOptions = { databaseName: "app", schemaName: "app", personas };

describe("quoteIdent and quoteLiteral", function () {
  it("double embedded quotes and refuse NUL bytes", function () {
    assert.equal(quoteIdent(`Support "L2"`), `"Support ""L2"""`);
    assert.equal(quoteLiteral("O'Neil"), `'O''Neil'`);
    assert.throws(() => quoteIdent("a\0b"), /NUL/);
    assert.throws(() => quoteLiteral("a\0b"), /NUL/);
  });
});

describe("bootstrapSql", function () {
  const sql = bootstrapSql(opts);

  it("creates each principal with pgaadauth_create_principal_with_oid only when its role is missing", function () {
    assert.match(
      sql,
      /IF NOT EXISTS \(SELECT 1 FROM pg_catalog\.pg_roles WHERE rolname = 'DB Admins'\) THEN\n {4}PERFORM pgaadauth_create_principal_with_oid\('DB Admins', '0b6f4c0e-6d0a-4d43-9a51-1f7a2f3b8c01', 'group', false, false\);/,
    );
    assert.match(
      sql,
      /pgaadauth_create_principal_with_oid\('reporting-job', '[0-9a-f-]{36}', 'service', false, false\)/,
    );
    assert.equal(sql.match(/PERFORM pgaadauth_create_principal_with_oid/g)?.length, personas.length);
  });

  it("creates NOLOGIN access roles and grants each principal exactly one", function () {
    for (const access of ["admin", "writer", "reader"]) {
      assert.match(
        sql,
        new RegExp(`CREATE ROLE "app_app_${access}" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`),
      );
    }
    assert.match(sql, /GRANT "app_app_admin" TO "DB Admins";/);
    assert.match(sql, /GRANT "app_app_writer" TO "DB Writers";/);
    assert.match(sql, /GRANT "app_app_reader" TO "reporting-job";/);
  });

  it("grants least privilege per access level, with default privileges for later tables", function () {
    assert.match(sql, /CREATE SCHEMA IF NOT EXISTS "app" AUTHORIZATION "app_app_admin";/);
    assert.match(sql, /GRANT SELECT ON ALL TABLES IN SCHEMA "app" TO "app_app_reader";/);
    assert.match(
      sql,
      /GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "app" TO "app_app_admin", "app_app_writer";/,
    );
    assert.match(
      sql,
      /ALTER DEFAULT PRIVILEGES FOR ROLE "app_app_admin" IN SCHEMA "app" GRANT SELECT ON TABLES TO "app_app_reader";/,
    );
    assert.match(sql, /REVOKE ALL ON DATABASE "app" FROM PUBLIC;/);
    assert.match(
      sql,
      /GRANT CONNECT ON DATABASE "app" TO "app_app_admin", "app_app_writer", "app_app_reader";/,
    );
    assert.match(sql, /REVOKE CREATE ON SCHEMA public FROM PUBLIC;/);
    assert.match(sql, /ALTER ROLE "DB Admins" IN DATABASE "app" SET role = 'app_app_admin';/);
    assert.doesNotMatch(sql, /ALTER ROLE "(DB Writers|reporting-job)" IN DATABASE/);
  });

  it("never grants powerful attributes and never needs superuser", function () {
    const statements = sql
      .split("\n")
      .filter((l) => !l.trimStart().startsWith("--") && !l.includes("RAISE EXCEPTION"))
      .join("\n");
    // NOSUPERUSER and friends have no word boundary before the attribute, so only grants match.
    assert.doesNotMatch(statements, /\b(SUPERUSER|CREATEROLE|CREATEDB|REPLICATION|BYPASSRLS)\b/);
    assert.doesNotMatch(sql, /ALTER ROLE [^;]*NO(SUPERUSER|REPLICATION|BYPASSRLS)/);
    assert.doesNotMatch(sql, /\bWITH (ADMIN|GRANT) OPTION\b/);
    assert.match(sql, /RAISE EXCEPTION 'role % has SUPERUSER, REPLICATION or BYPASSRLS/);
  });

  it("is a psql script: the roles in the maintenance database, the grants in the app database", function () {
    assert.match(sql, /^\\set ON_ERROR_STOP on$/m);
    const steps = psqlScriptSteps(sql);
    assert.deepEqual(
      steps.map((s) => s.database),
      ["postgres", "app"],
    );
    assert.deepEqual(steps, bootstrapSqlSteps(opts));
    assert.ok(steps.every((s) => s.sql.includes("BEGIN;") && s.sql.trimEnd().endsWith("COMMIT;")));
  });

  it("quotes hostile names so they stay names", function () {
    const hostile = `x"; DROP ROLE postgres; --`;
    const steps = bootstrapSqlSteps({
      ...opts,
      personas: [{ role: hostile, objectId: personas[0].objectId, principalType: "group", access: "reader" }],
    });
    const roles = steps[0].sql;
    assert.ok(roles.includes(`GRANT "app_app_reader" TO "x""; DROP ROLE postgres; --";`));
    assert.ok(roles.includes(`rolname = 'x"; DROP ROLE postgres; --'`));
  });

  it("picks a dollar-quote tag the body does not contain", function () {
    const steps = bootstrapSqlSteps({
      ...opts,
      personas: [
        { role: "pay$zt$", objectId: personas[0].objectId, principalType: "service", access: "writer" },
      ],
    });
    assert.match(steps[0].sql, /DO \$zt1\$/);
  });

  it("uses a role prefix when given, and accepts no personas", function () {
    const steps = bootstrapSqlSteps({ ...opts, personas: [], rolePrefix: "shop" });
    assert.match(steps[0].sql, /CREATE ROLE "shop_reader" NOLOGIN/);
    assert.doesNotMatch(steps[0].sql, /pgaadauth/);
    assert.doesNotMatch(steps[1].sql, /SET role/);
  });

  it("can leave out CREATE EXTENSION pgaudit", function () {
    assert.match(sql, /CREATE EXTENSION IF NOT EXISTS pgaudit;/);
    assert.doesNotMatch(bootstrapSql({ ...opts, createPgauditExtension: false }), /CREATE EXTENSION/);
  });

  const invalid: [
    string,
    Partial<BootstrapSqlOptions> | ((o: BootstrapSqlOptions) => BootstrapSqlOptions),
    RegExp,
  ][] = [
    [
      "a database name with a quote",
      { databaseName: `app"` },
      /`databaseName` "app\\"" is not allowed; use 1-63 letters/,
    ],
    ["the maintenance database as app database", { databaseName: "postgres" }, /is the maintenance database/],
    [
      "a schema name of 64 bytes",
      { schemaName: "s".repeat(64) },
      /`schemaName` "s{64}" is not a valid schema name; use 1-63 bytes/,
    ],
    ["the public schema", { schemaName: "public" }, /`schemaName` "public" is reserved/],
    [
      "access-role names over 63 bytes",
      { databaseName: "d".repeat(30), schemaName: "s".repeat(30) },
      /gives access role "d{30}_s{30}_admin", longer than 63 bytes; set a `rolePrefix`/,
    ],
    [
      "a role name of 64 bytes (multi-byte)",
      (o) => ({ ...o, personas: [{ ...personas[0], role: "é".repeat(32) }] }),
      /`personas\[0\]\.role` "é{32}" is not a valid PostgreSQL role name; use 1-63 bytes/,
    ],
    [
      "a reserved role name",
      (o) => ({ ...o, personas: [{ ...personas[0], role: "pg_monitor" }] }),
      /`personas\[0\]\.role` "pg_monitor" is a reserved role name/,
    ],
    [
      "azure_pg_admin as a persona",
      (o) => ({ ...o, personas: [{ ...personas[0], role: "Azure_PG_Admin" }] }),
      /is a reserved role name/,
    ],
    [
      "a duplicate role",
      (o) => ({ ...o, personas: [personas[0], { ...personas[1], role: personas[0].role }] }),
      /`personas\[1\]\.role` "DB Admins" is used twice/,
    ],
    [
      "a persona named like an access role",
      (o) => ({ ...o, personas: [{ ...personas[0], role: "app_app_writer" }] }),
      /is used twice \(or is an access role\)/,
    ],
    [
      "an object id that is not a GUID",
      (o) => ({ ...o, personas: [{ ...personas[0], objectId: "not-a-guid" }] }),
      /`personas\[0\]\.objectId` "not-a-guid" is not a GUID; use the Entra object id/,
    ],
    [
      "a user principal type",
      (o) => ({ ...o, personas: [{ ...personas[0], principalType: "user" as "group" }] }),
      /`personas\[0\]\.principalType` "user" is not allowed; use "group" \(persona groups\) or "service"/,
    ],
    [
      "an unknown access level",
      (o) => ({ ...o, personas: [{ ...personas[0], access: "owner" as "admin" }] }),
      /`personas\[0\]\.access` "owner" is not allowed; use one of "admin", "writer", "reader"/,
    ],
    [
      "a control character in a role",
      (o) => ({ ...o, personas: [{ ...personas[0], role: "a\nb" }] }),
      /not a valid PostgreSQL role name/,
    ],
  ];
  for (const [what, change, message] of invalid) {
    it(`rejects ${what}`, function () {
      const bad = typeof change === "function" ? change(opts) : { ...opts, ...change };
      assert.throws(() => bootstrapSql(bad), message);
    });
  }
});
