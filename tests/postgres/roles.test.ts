// The role SQL: the component's bootstrap script, run by a non-superuser administrator on a
// real PostgreSQL 15, gives each persona group and workload identity exactly its declared access.
//
// The Azure side is simulated as closely as a self-hosted server allows:
// - the superuser `azuresu` plays the platform: it creates `azure_pg_admin`, the Entra administrator
//   login (CREATEROLE, CREATEDB, member of azure_pg_admin, NOT superuser), the databases (owned by
//   azure_pg_admin), the pgaudit extension (allow-listed on Azure) and the stand-in below;
// - `pg_catalog.pgaadauth_create_principal_with_oid` is a stand-in with Azure's signature that creates
//   a LOGIN role and records the object id and type in the role's comment. It runs with the caller's
//   rights, so the script's role creation needs only CREATEROLE;
// - personas then log in with passwords set only here, over hostssl with scram: the stand-in for an
//   Entra token, which only Azure can validate.

import assert from "node:assert/strict";
import type { Client } from "pg";
import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  serverParameters,
} from "../../components/postgres/parameters";
import {
  bootstrapPlan,
  bootstrapSql,
  psqlScriptSteps,
  quoteIdent,
  quoteLiteral,
  type BootstrapPrincipal,
} from "../../components/postgres/sql";
import { TestCluster, requirePostgres } from "./helpers/cluster";
import { CREATE_PRINCIPAL } from "./helpers/azure-stand-in";
import { waitForLog } from "./helpers/log";

const ENTRA_ADMIN = "entra-dba-group";
const ENTRA_ADMIN_PASSWORD = `admin-${Math.random().toString(36).slice(2)}`;

const personas: BootstrapPrincipal[] = [
  {
    role: "DB Admins",
    objectId: "0b6f4c0e-6d0a-4d43-9a51-1f7a2f3b8c01",
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
    role: `Support "L2" O'Neil`,
    objectId: "2d8b6e2a-8f2c-4f65-9c73-3b9c4b5dae03",
    principalType: "group",
    access: "reader",
  },
  {
    role: "orders-api",
    objectId: "3e9c7f3b-9a3d-4a76-8d84-4cad5c6ebf04",
    principalType: "service",
    access: "writer",
  },
  {
    role: "reporting-job",
    objectId: "4fad8a4c-ab4e-4b87-9e95-5dbe6d7fca05",
    principalType: "service",
    access: "reader",
  },
  {
    role: "schema-migrator",
    objectId: "5abe9b5d-bc5f-4c98-afa6-6ecf7e8adb06",
    principalType: "service",
    access: "admin",
  },
];
const crmPersonas: BootstrapPrincipal[] = [
  {
    role: "CRM Readers",
    objectId: "6bcfac6e-cd6a-4da9-b0b7-7fd08f9bec07",
    principalType: "group",
    access: "reader",
  },
];
const APP = { databaseName: "app", schemaName: "app", personas };
const CRM = { databaseName: "crm", schemaName: "sales", personas: crmPersonas };
const GROUPS = { admin: "app_app_admin", writer: "app_app_writer", reader: "app_app_reader" };
const passwordOf = (role: string) => `pw-${Buffer.from(role).toString("hex")}`;

/** Every SQLSTATE 42501 (insufficient_privilege) is a refusal we expect. */
async function denied(p: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(p, (err: { code?: string; message?: string }) => {
    assert.equal(
      err.code,
      "42501",
      `${what}: expected insufficient_privilege, got ${err.code} ${err.message}`,
    );
    return true;
  });
}

describe("real PostgreSQL 15: the bootstrap SQL's roles and grants", function () {
  let cluster: TestCluster | undefined;
  const server = (): TestCluster => {
    if (!cluster) throw new Error("the test server did not start");
    return cluster;
  };
  const as = <T>(role: string, database: string, fn: (c: Client) => Promise<T>) =>
    server().with({ user: role, password: passwordOf(role), database }, fn);
  const asEntraAdmin = <T>(database: string, fn: (c: Client) => Promise<T>) =>
    server().with({ user: ENTRA_ADMIN, password: ENTRA_ADMIN_PASSWORD, database }, fn);

  /** Runs the script the component emits, step by step, as the Entra administrator. */
  async function runBootstrap(opts: typeof APP): Promise<void> {
    for (const step of psqlScriptSteps(bootstrapSql(opts))) {
      await asEntraAdmin(step.database, (c) => c.query(step.sql));
    }
  }

  /** Roles, attributes, memberships, comments and ACLs: what a second run must not change. */
  async function snapshot(): Promise<unknown> {
    const cluster = await server().asSuperuser("postgres", (c) =>
      c.query(`SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication,
                      r.rolbypassrls, shobj_description(r.oid, 'pg_authid') AS comment,
                      ARRAY(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                            WHERE m.member = r.oid ORDER BY 1) AS member_of,
                      (SELECT array_agg(s.setconfig::text ORDER BY s.setdatabase) FROM pg_db_role_setting s
                        WHERE s.setrole = r.oid) AS settings,
                      (SELECT array_agg(d.datname || '=' || coalesce(d.datacl::text, '') ORDER BY d.datname)
                         FROM pg_database d) AS databases
                 FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY r.rolname`),
    );
    const app = await server().asSuperuser("app", (c) =>
      c.query(`SELECT n.nspname, n.nspowner::regrole::text AS owner, n.nspacl::text,
                      (SELECT array_agg(d.defaclobjtype::text || ':' || d.defaclacl::text ORDER BY 1) FROM pg_default_acl d
                        WHERE d.defaclnamespace = n.oid) AS defaults,
                      (SELECT array_agg(c.relname || '=' || coalesce(c.relacl::text, '') ORDER BY 1) FROM pg_class c
                        WHERE c.relnamespace = n.oid) AS relations
                 FROM pg_namespace n WHERE n.nspname IN ('app', 'public') ORDER BY 1`),
    );
    return { roles: cluster.rows, app: app.rows };
  }

  before(async function () {
    requirePostgres();
    cluster = await TestCluster.start(
      serverParameters({
        version: "15",
        minimumTlsVersion: "TLSv1.3",
        pgauditLog: DEFAULT_PGAUDIT_LOG,
        logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
      }),
    );
    await server().asSuperuser("postgres", async (c) => {
      await c.query("CREATE ROLE azure_pg_admin NOLOGIN");
      await c.query(
        `CREATE ROLE ${quoteIdent(ENTRA_ADMIN)} LOGIN CREATEROLE CREATEDB IN ROLE azure_pg_admin`,
      );
      await c.query(`ALTER ROLE ${quoteIdent(ENTRA_ADMIN)} PASSWORD ${quoteLiteral(ENTRA_ADMIN_PASSWORD)}`);
      await c.query("CREATE DATABASE app OWNER azure_pg_admin");
      await c.query("CREATE DATABASE crm OWNER azure_pg_admin");
      await c.query(CREATE_PRINCIPAL);
      await c.query("REVOKE EXECUTE ON FUNCTION pg_catalog.pgaadauth_create_principal_with_oid FROM PUBLIC");
      await c.query(
        "GRANT EXECUTE ON FUNCTION pg_catalog.pgaadauth_create_principal_with_oid TO azure_pg_admin",
      );
    });
    for (const db of ["app", "crm"]) {
      await server().asSuperuser(db, (c) => c.query("CREATE EXTENSION pgaudit"));
    }
    // crm is brownfield: its schema and a table exist before the script, owned by someone else.
    await server().asSuperuser("crm", async (c) => {
      await c.query("CREATE SCHEMA sales AUTHORIZATION azure_pg_admin");
      await c.query("CREATE TABLE sales.leads (id int, name text)");
      await c.query("ALTER TABLE sales.leads OWNER TO azure_pg_admin");
      await c.query("INSERT INTO sales.leads VALUES (1, 'first lead')");
    });
  });
  after(async function () {
    await cluster?.stop();
  });

  describe("running the script", function () {
    let first: unknown;

    it("runs as an Entra administrator who is not a superuser", async function () {
      const who = await server().asSuperuser("postgres", (c) =>
        c.query(
          "SELECT rolsuper, rolcreaterole, pg_has_role(oid, 'azure_pg_admin', 'MEMBER') AS azure_pg_admin FROM pg_roles WHERE rolname = $1",
          [ENTRA_ADMIN],
        ),
      );
      assert.deepEqual(who.rows[0], { rolsuper: false, rolcreaterole: true, azure_pg_admin: true });
      await runBootstrap(APP);
      await runBootstrap(CRM);
      first = await snapshot();
    });

    it("runs a second time without error, changes nothing, and issues no role DDL", async function () {
      const before = server().log().length;
      await runBootstrap(APP);
      await runBootstrap(CRM);
      assert.deepEqual(await snapshot(), first);
      const rerun = server().log().slice(before);
      assert.match(
        rerun,
        /AUDIT: SESSION,\d+,\d+,ROLE,GRANT ROLE,/,
        "the second run is not in the audit log",
      );
      assert.doesNotMatch(rerun, /AUDIT: SESSION,\d+,\d+,ROLE,(CREATE ROLE|ALTER ROLE),/);
    });

    it("creates each principal through pgaadauth_create_principal_with_oid with its object id and type", async function () {
      const r = await server().asSuperuser("postgres", (c) =>
        c.query<{ rolname: string; comment: string }>(
          "SELECT rolname, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = ANY ($1)",
          [[...personas, ...crmPersonas].map((p) => p.role)],
        ),
      );
      const got = Object.fromEntries(r.rows.map((row) => [row.rolname, row.comment]));
      const want = Object.fromEntries(
        [...personas, ...crmPersonas].map((p) => [
          p.role,
          `entra:${p.principalType}:${p.objectId}:admin=false:mfa=false`,
        ]),
      );
      assert.deepEqual(got, want);
    });

    it("leaves a pgaudit trail of the principals, memberships, schema and grants it creates", async function () {
      const by = `${ENTRA_ADMIN}@`;
      const log = await waitForLog(
        server(),
        new RegExp(`${by}app LOG: {2}AUDIT: SESSION,\\d+,\\d+,DDL,CREATE SCHEMA,SCHEMA,app,`),
      );
      assert.match(
        log,
        new RegExp(
          `${by}postgres LOG: {2}AUDIT: SESSION,\\d+,\\d+,ROLE,CREATE ROLE,,,"CREATE ROLE ""DB Admins"" LOGIN"`,
        ),
      );
      assert.match(log, new RegExp(`${by}postgres LOG: {2}AUDIT: SESSION,\\d+,\\d+,ROLE,GRANT ROLE,`));
      assert.match(
        log,
        new RegExp(`${by}app LOG: {2}AUDIT: SESSION,\\d+,\\d+,ROLE,ALTER DEFAULT PRIVILEGES,TABLES,`),
      );
    });
  });

  describe("what each principal may do", function () {
    before(async function () {
      // Test-only passwords, one statement each: the stand-in for Entra tokens.
      await server().asSuperuser("postgres", async (c) => {
        for (const p of [...personas, ...crmPersonas]) {
          await c.query(`ALTER ROLE ${quoteIdent(p.role)} PASSWORD ${quoteLiteral(passwordOf(p.role))}`);
        }
      });
      await as("DB Admins", "app", async (c) => {
        await c.query("CREATE TABLE app.orders (id serial PRIMARY KEY, item text NOT NULL)");
        await c.query("INSERT INTO app.orders (item) VALUES ('seed')");
      });
      // A later run (say, after adding a persona) grants on the tables that exist by then.
      await runBootstrap(APP);
    });

    it("gives no principal or access role SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS, and no login to the access roles", async function () {
      const r = await server().asSuperuser("postgres", (c) =>
        c.query(
          `SELECT rolname, rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls AS powerful, rolcanlogin
             FROM pg_roles WHERE rolname = ANY ($1) ORDER BY rolname`,
          [[...personas.map((p) => p.role), ...Object.values(GROUPS)]],
        ),
      );
      assert.equal(r.rows.length, personas.length + 3);
      for (const row of r.rows) {
        assert.equal(row.powerful, false, `${row.rolname} has a powerful attribute`);
        assert.equal(row.rolcanlogin, !Object.values(GROUPS).includes(row.rolname), `${row.rolname} login`);
      }
    });

    it("lets a reader SELECT, and refuses INSERT, UPDATE, DELETE and CREATE", async function () {
      for (const role of [`Support "L2" O'Neil`, "reporting-job"]) {
        await as(role, "app", async (c) => {
          const r = await c.query("SELECT item FROM app.orders");
          assert.deepEqual(r.rows, [{ item: "seed" }]);
          await denied(c.query("INSERT INTO app.orders (item) VALUES ('x')"), `${role} INSERT`);
          await denied(c.query("UPDATE app.orders SET item = 'x'"), `${role} UPDATE`);
          await denied(c.query("DELETE FROM app.orders"), `${role} DELETE`);
          await denied(c.query("CREATE TABLE app.mine (id int)"), `${role} CREATE`);
        });
      }
    });

    it("lets a writer do DML (sequences included), and refuses DDL", async function () {
      for (const role of ["DB Writers", "orders-api"]) {
        await as(role, "app", async (c) => {
          await c.query("INSERT INTO app.orders (item) VALUES ($1)", [role]);
          await c.query("UPDATE app.orders SET item = item || '!' WHERE item = $1", [role]);
          await c.query("DELETE FROM app.orders WHERE item = $1", [`${role}!`]);
          await denied(c.query("CREATE TABLE app.mine (id int)"), `${role} CREATE TABLE`);
          await denied(c.query("ALTER TABLE app.orders ADD COLUMN note text"), `${role} ALTER TABLE`);
          await denied(c.query("DROP TABLE app.orders"), `${role} DROP TABLE`);
          await denied(c.query("TRUNCATE app.orders"), `${role} TRUNCATE`);
        });
      }
    });

    it("lets an admin do DDL in the app schema, as the admin role, and nowhere else", async function () {
      for (const role of ["DB Admins", "schema-migrator"]) {
        await as(role, "app", async (c) => {
          const who = await c.query("SELECT current_user, session_user");
          assert.deepEqual(who.rows[0], { current_user: GROUPS.admin, session_user: role });
          await c.query("CREATE TABLE app.scratch (id int)");
          await c.query("ALTER TABLE app.scratch ADD COLUMN note text");
          const owner = await c.query(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'app' AND tablename = 'scratch'",
          );
          assert.equal(owner.rows[0].tableowner, GROUPS.admin);
          await c.query("DROP TABLE app.scratch");
          await denied(c.query("CREATE TABLE public.mine (id int)"), `${role} CREATE in public`);
          await denied(c.query("CREATE SCHEMA other"), `${role} CREATE SCHEMA`);
        });
      }
    });

    it("covers tables the admin creates later with the default privileges", async function () {
      // serial, not identity: inserting then needs USAGE on the sequence, which only default privileges give.
      await as("schema-migrator", "app", (c) =>
        c.query("CREATE TABLE app.invoices (id serial, total numeric)"),
      );
      await as("orders-api", "app", (c) => c.query("INSERT INTO app.invoices (total) VALUES (42)"));
      await as("reporting-job", "app", async (c) => {
        const r = await c.query("SELECT total FROM app.invoices");
        assert.deepEqual(r.rows, [{ total: "42" }]);
        await denied(
          c.query("INSERT INTO app.invoices (total) VALUES (1)"),
          "reader INSERT into a later table",
        );
      });
    });

    it("gives each principal exactly its declared access, checked privilege by privilege", async function () {
      const expected = {
        admin: {
          db: "CONNECT",
          schema: "CREATE,USAGE",
          table: "DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE",
          sequence: "SELECT,UPDATE,USAGE",
        },
        writer: {
          db: "CONNECT",
          schema: "USAGE",
          table: "DELETE,INSERT,SELECT,UPDATE",
          sequence: "SELECT,UPDATE,USAGE",
        },
        reader: { db: "CONNECT", schema: "USAGE", table: "SELECT", sequence: "" },
      };
      const privileges = (kinds: string[], fn: string, object: string) =>
        `array_to_string(ARRAY(SELECT p FROM unnest(ARRAY[${kinds.map((k) => `'${k}'`).join(",")}]) p
           WHERE ${fn}(r.rolname, ${object}, p) ORDER BY p), ',')`;
      const r = await server().asSuperuser("app", (c) =>
        c.query(
          `SELECT r.rolname,
                  ${privileges(["CONNECT", "CREATE", "TEMPORARY"], "has_database_privilege", "'app'")} AS db,
                  ${privileges(["CREATE", "USAGE"], "has_schema_privilege", "'app'")} AS schema,
                  ${privileges(["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"], "has_table_privilege", "'app.invoices'")} AS table,
                  ${privileges(["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"], "has_table_privilege", "'app.orders'")} AS existing_table,
                  ${privileges(["USAGE", "SELECT", "UPDATE"], "has_sequence_privilege", "'app.invoices_id_seq'")} AS sequence,
                  ${privileges(["USAGE", "SELECT", "UPDATE"], "has_sequence_privilege", "'app.orders_id_seq'")} AS existing_sequence,
                  has_database_privilege(r.rolname, 'crm', 'CONNECT') AS crm,
                  has_schema_privilege(r.rolname, 'public', 'CREATE') AS public_create
             FROM pg_roles r WHERE r.rolname = ANY ($1)`,
          [personas.map((p) => p.role)],
        ),
      );
      const got = Object.fromEntries(r.rows.map(({ rolname, ...rest }) => [rolname, rest]));
      const want = Object.fromEntries(
        personas.map((p) => [
          p.role,
          {
            ...expected[p.access],
            existing_table: expected[p.access].table,
            existing_sequence: expected[p.access].sequence,
            crm: false,
            public_create: false,
          },
        ]),
      );
      assert.deepEqual(got, want);
    });

    it("refuses CREATE ROLE and CREATE DATABASE to every principal", async function () {
      for (const p of personas) {
        await as(p.role, "app", async (c) => {
          await denied(c.query("CREATE ROLE sneaky"), `${p.role} CREATE ROLE`);
          await denied(c.query("CREATE DATABASE sneaky"), `${p.role} CREATE DATABASE`);
        });
      }
    });

    it("refuses a connection to a database the principal was not granted", async function () {
      for (const p of personas) {
        await denied(
          server().connect({ user: p.role, password: passwordOf(p.role), database: "crm" }),
          `${p.role} connecting to crm`,
        );
      }
      await denied(
        server().connect({ user: "CRM Readers", password: passwordOf("CRM Readers"), database: "app" }),
        "CRM Readers connecting to app",
      );
    });

    it("covers tables that existed in a schema before the script, without taking the schema over", async function () {
      await as("CRM Readers", "crm", async (c) => {
        const r = await c.query("SELECT name FROM sales.leads");
        assert.deepEqual(r.rows, [{ name: "first lead" }]);
        await denied(c.query("INSERT INTO sales.leads VALUES (2, 'x')"), "CRM Readers INSERT");
        await denied(c.query("CREATE TABLE sales.mine (id int)"), "CRM Readers CREATE");
      });
      const owner = await server().asSuperuser("crm", (c) =>
        c.query(
          "SELECT nspowner::regrole::text AS owner, has_schema_privilege('crm_sales_admin', oid, 'CREATE') AS admin_create FROM pg_namespace WHERE nspname = 'sales'",
        ),
      );
      assert.deepEqual(owner.rows[0], { owner: "azure_pg_admin", admin_create: true });
    });
  });

  describe("several application databases in one plan", function () {
    const analyst: BootstrapPrincipal = {
      role: "Finance Analysts",
      objectId: "7cd0bd7f-de7b-4eba-81c8-8ae19aacfd08",
      principalType: "group",
      access: "reader",
    };

    it("runs each step in its database: one principal reads in one database and writes in the other", async function () {
      await server().asSuperuser("postgres", async (c) => {
        await c.query("CREATE DATABASE orders OWNER azure_pg_admin");
        await c.query("CREATE DATABASE billing OWNER azure_pg_admin");
      });
      for (const db of ["orders", "billing"]) {
        await server().asSuperuser(db, (c) => c.query("CREATE EXTENSION pgaudit"));
      }
      const steps = bootstrapPlan({
        databases: [
          { databaseName: "orders", schemaName: "app", personas: [analyst] },
          { databaseName: "billing", schemaName: "ledger", personas: [{ ...analyst, access: "writer" }] },
        ],
      });
      assert.deepEqual(
        steps.map((s) => `${s.purpose}@${s.database}`),
        ["roles@postgres", "grants@orders", "roles@postgres", "grants@billing"],
      );
      for (const step of steps) await asEntraAdmin(step.database, (c) => c.query(step.sql));
      await server().asSuperuser("postgres", (c) =>
        c.query(`ALTER ROLE ${quoteIdent(analyst.role)} PASSWORD ${quoteLiteral(passwordOf(analyst.role))}`),
      );
      // Created as the admin role, so the default privileges of the grants step cover them.
      await server().asSuperuser("orders", (c) =>
        c.query("SET ROLE orders_app_admin; CREATE TABLE app.o (id int)"),
      );
      await server().asSuperuser("billing", (c) =>
        c.query("SET ROLE billing_ledger_admin; CREATE TABLE ledger.b (id int)"),
      );
      await as(analyst.role, "orders", async (c) => {
        assert.deepEqual((await c.query("SELECT count(*)::int AS n FROM app.o")).rows, [{ n: 0 }]);
        await denied(c.query("INSERT INTO app.o VALUES (1)"), "reader INSERT in orders");
      });
      await as(analyst.role, "billing", async (c) => {
        await c.query("INSERT INTO ledger.b VALUES (1)");
        await denied(c.query("CREATE TABLE ledger.x (id int)"), "writer CREATE in billing");
      });
      await denied(
        server().connect({ user: analyst.role, password: passwordOf(analyst.role), database: "app" }),
        "Finance Analysts connecting to app",
      );
    });
  });

  describe("guards that need no superuser", function () {
    it("cannot switch off SUPERUSER as a non-superuser in PostgreSQL 15, which is why the script verifies it instead", async function () {
      await denied(
        asEntraAdmin("postgres", (c) => c.query(`ALTER ROLE "DB Writers" NOSUPERUSER`)),
        "ALTER ROLE NOSUPERUSER by the Entra administrator",
      );
    });

    it("stops, instead of only warning, when the runner does not own the database", async function () {
      // Owned by the platform superuser; the administrator may only CREATE in it, so its GRANT and
      // REVOKE on the database would only warn.
      await server().asSuperuser("postgres", async (c) => {
        await c.query("CREATE DATABASE stray");
        await c.query(`GRANT CREATE ON DATABASE stray TO ${quoteIdent(ENTRA_ADMIN)}`);
      });
      await server().asSuperuser("stray", (c) => c.query("CREATE EXTENSION pgaudit"));
      try {
        await assert.rejects(
          runBootstrap({ databaseName: "stray", schemaName: "app", personas: [] }),
          /database stray still grants privileges to PUBLIC; run this script as a member of its owner/,
        );
      } finally {
        await server().asSuperuser("postgres", (c) => c.query("DROP DATABASE stray"));
      }
    });

    it("removes CREATEDB that a principal gained, on the next run", async function () {
      await server().asSuperuser("postgres", (c) => c.query(`ALTER ROLE "orders-api" CREATEDB`));
      await runBootstrap(APP);
      const r = await server().asSuperuser("postgres", (c) =>
        c.query("SELECT rolcreatedb FROM pg_roles WHERE rolname = 'orders-api'"),
      );
      assert.equal(r.rows[0].rolcreatedb, false);
    });

    it("stops, naming the role, when a principal became a member of pg_read_all_data", async function () {
      await server().asSuperuser("postgres", (c) => c.query(`GRANT pg_read_all_data TO "reporting-job"`));
      try {
        await assert.rejects(
          runBootstrap(APP),
          /role reporting-job is a member of pg_read_all_data; revoke it/,
        );
      } finally {
        await server().asSuperuser("postgres", (c) =>
          c.query(`REVOKE pg_read_all_data FROM "reporting-job"`),
        );
      }
      await runBootstrap(APP);
    });
  });
});
