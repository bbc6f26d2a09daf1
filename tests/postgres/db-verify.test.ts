// `zt-postgres db apply` and `db verify`, run through the CLI against a real PostgreSQL 15 + pgaudit
// server configured from the component's own serverParameters(), with Azure's platform roles rebuilt
// by helpers/azure-stand-in.ts. One cluster for the whole file: each broken case breaks one thing,
// asserts exactly which checks fail, and puts it back.
//
// Azure-only checks (db-entra-principals, db-no-password-logins) run against the stand-in of
// pgaadauth_list_principals; without it they are reported as not applicable.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  serverParameters,
  type ServerParameter,
} from "../../components/postgres/parameters";
import {
  bootstrapSql,
  bootstrapSqlSteps,
  quoteIdent,
  quoteLiteral,
  type BootstrapPrincipal,
} from "../../components/postgres/sql";
import { CHECKS } from "../../cli/db/catalogue";
import { applyCommand, verifyCommand } from "../../cli/db/command";
import { ENTRA_SCOPE } from "../../cli/db/connection";
import { planFromSteps } from "../../cli/db/plan";
import { setUpAzureStandIn, type AzureStandIn } from "./helpers/azure-stand-in";
import { TestCluster, requirePostgres } from "./helpers/cluster";

const MAIN = path.resolve(__dirname, "../../dist/cli/main.js");

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
const PARAMS = serverParameters({
  version: "15",
  minimumTlsVersion: "TLSv1.3",
  pgauditLog: DEFAULT_PGAUDIT_LOG,
  logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
});
const withParam = (name: string, value: string): ServerParameter[] =>
  PARAMS.map((p) => (p.name === name ? { name, value } : p));
const passwordOf = (role: string) => `pw-${Buffer.from(role).toString("hex")}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface JsonFinding {
  check: string;
  status: string;
  database?: string;
  subject?: string;
  seen: string;
  fix: string;
  title: string;
}

describe("real PostgreSQL 15: zt-postgres db apply and db verify", function () {
  this.timeout(120000);
  let cluster: TestCluster | undefined;
  let azure: AzureStandIn;
  let dir: string;
  const runs: Run[] = [];
  const secrets: string[] = [];
  const server = (): TestCluster => {
    if (!cluster) throw new Error("the test server did not start");
    return cluster;
  };

  function cli(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [MAIN, ...args],
        { env: { ...process.env, NO_COLOR: "1" } },
        (err, stdout, stderr) => {
          const run = { code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr };
          runs.push(run);
          resolve(run);
        },
      );
    });
  }

  /** A libpq keyword/value connection string for the test server. */
  function conn(o: { user?: string; password?: string; sslmode?: string; dbname?: string } = {}): string {
    const user = o.user ?? azure.entraAdmin;
    const password = o.password ?? (o.user ? passwordOf(o.user) : azure.entraAdminPassword);
    const q = (v: string) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    return [
      "host=127.0.0.1",
      `port=${server().port}`,
      `user=${q(user)}`,
      `password=${q(password)}`,
      `dbname=${o.dbname ?? "postgres"}`,
      `sslmode=${o.sslmode ?? "verify-full"}`,
      ...(o.sslmode === "disable" ? [] : [`sslrootcert=${q(server().caFile)}`]),
    ].join(" ");
  }

  const planFile = () => path.join(dir, "plan.json");

  async function verifyJson(
    args: string[] = [],
  ): Promise<{ run: Run; findings: JsonFinding[]; passed: boolean }> {
    const run = await cli(["db", "verify", conn(), "--plan", planFile(), "--format", "json", ...args]);
    assert.ok(run.stdout.length > 0, `no report; exit ${run.code}, stderr: ${run.stderr}`);
    const doc = JSON.parse(run.stdout) as { findings: JsonFinding[]; passed: boolean };
    return { run, findings: doc.findings, passed: doc.passed };
  }

  /** The findings that are not passes, as "check status [database] subject" strings. */
  const problems = (findings: JsonFinding[]) =>
    findings
      .filter((f) => f.status === "fail" || f.status === "cannot-verify")
      .map(
        (f) =>
          `${f.check} ${f.status}${f.database ? ` [${f.database}]` : ""}${f.subject ? ` ${f.subject}` : ""}`,
      )
      .sort();

  async function superuser(sql: string, database = "postgres"): Promise<void> {
    await server().asSuperuser(database, (c) => c.query(sql));
  }

  before(async function () {
    requirePostgres();
    assert.ok(fs.existsSync(MAIN), "dist/cli/main.js is missing: run `npm run build` first");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-db-"));
    cluster = await TestCluster.start(PARAMS);
    azure = await setUpAzureStandIn(server(), ["app", "crm"]);
    secrets.push(azure.entraAdminPassword, server().superuserPassword);
    // crm is brownfield: its schema and a table exist before the plan, owned by azure_pg_admin.
    await server().asSuperuser("crm", async (c) => {
      await c.query("CREATE SCHEMA sales AUTHORIZATION azure_pg_admin");
      await c.query("CREATE TABLE sales.leads (id int, name text)");
      await c.query("ALTER TABLE sales.leads OWNER TO azure_pg_admin");
    });
    // Two databases in one structured plan.
    fs.writeFileSync(
      planFile(),
      JSON.stringify({ steps: [...bootstrapSqlSteps(APP), ...bootstrapSqlSteps(CRM)] }),
    );
  });
  after(async function () {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads the principals, access roles and schemas of a plan back from the bootstrap steps", function () {
    const plan = planFromSteps([...bootstrapSqlSteps(APP), ...bootstrapSqlSteps(CRM)]);
    assert.deepEqual(plan.databases, [
      {
        database: "app",
        schema: "app",
        roles: { admin: "app_app_admin", writer: "app_app_writer", reader: "app_app_reader" },
      },
      {
        database: "crm",
        schema: "sales",
        roles: { admin: "crm_sales_admin", writer: "crm_sales_writer", reader: "crm_sales_reader" },
      },
    ]);
    assert.deepEqual(
      plan.principals.map((p) => [p.role, p.objectId, p.principalType, p.accessRole]),
      [
        ...personas.map((p) => [p.role, p.objectId, p.principalType, `app_app_${p.access}`]),
        ["CRM Readers", crmPersonas[0].objectId, "group", "crm_sales_reader"],
      ],
    );
  });

  it("applies the plan's steps, each in its database, and applies them again without change", async function () {
    const first = await cli(["db", "apply", conn(), "--plan", planFile()]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /step 1\/4 in database "postgres": applied/);
    assert.match(first.stdout, /step 2\/4 in database "app": applied/);
    assert.match(first.stdout, /step 4\/4 in database "crm": applied/);
    const second = await cli(["db", "apply", conn(), "--plan", planFile(), "--format", "json"]);
    assert.equal(second.code, 0, second.stderr);
    const doc = JSON.parse(second.stdout) as { ok: boolean; steps: { status: string }[] };
    assert.deepEqual(
      doc.steps.map((s) => s.status),
      ["applied", "applied", "applied", "applied"],
    );
    // Test-only passwords for the principals (the stand-in for their Entra tokens), and a table the
    // admin persona creates, so table, sequence and default privileges all have something to check.
    await server().asSuperuser("postgres", async (c) => {
      for (const p of [...personas, ...crmPersonas]) {
        await c.query(`ALTER ROLE ${quoteIdent(p.role)} PASSWORD ${quoteLiteral(passwordOf(p.role))}`);
        secrets.push(passwordOf(p.role));
      }
    });
    await server().with({ user: "DB Admins", password: passwordOf("DB Admins"), database: "app" }, (c) =>
      c.query("CREATE TABLE app.orders (id serial PRIMARY KEY, item text)"),
    );
  });

  it("passes every check on the server set up from the component's parameters and apply", async function () {
    const { run, findings, passed } = await verifyJson();
    assert.deepEqual(problems(findings), []);
    assert.equal(passed, true);
    assert.equal(run.code, 0, run.stderr);
    // Every check in the catalogue ran and passed (the Azure-only ones against the stand-in).
    assert.deepEqual([...new Set(findings.map((f) => f.check))].sort(), Object.keys(CHECKS).sort());
    assert.ok(findings.every((f) => f.status === "pass"));
    const seen = (check: string) => findings.filter((f) => f.check === check).map((f) => f.seen);
    assert.deepEqual(seen("db-tls-session"), ["this session uses TLSv1.3 (floor TLSv1.2)"]);
    assert.match(seen("db-tls-required")[0], /plaintext connection attempt is refused before authentication/);
    assert.deepEqual(seen("db-pgaudit-log"), ['pgaudit.log is "role,ddl,misc"']);
    assert.deepEqual(
      findings.filter((f) => f.check === "db-public-connect").map((f) => f.database),
      ["app", "crm"],
    );
  });

  it("passes with the plan given as the bootstrapSql JSON string and as a preview document", async function () {
    const script = path.join(dir, "bootstrap.json");
    fs.writeFileSync(script, JSON.stringify(bootstrapSql(APP)));
    const preview = path.join(dir, "preview.json");
    fs.writeFileSync(
      preview,
      JSON.stringify({ resources: [], diagnostics: [], outputs: { bootstrapSql: bootstrapSql(APP) } }),
    );
    for (const file of [script, preview]) {
      const run = await cli(["db", "verify", conn(), "--plan", file]);
      assert.equal(run.code, 0, run.stdout);
      assert.match(
        run.stdout,
        /PASS {10}db-persona-access \[app\]: 4 principals have exactly their declared access in "app"/,
      );
    }
  });

  it("accepts the connection as a postgresql:// URI with percent-encoded user and password", async function () {
    const uri =
      `postgresql://${encodeURIComponent(azure.entraAdmin)}:${encodeURIComponent(azure.entraAdminPassword)}` +
      `@127.0.0.1:${server().port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(server().caFile)}`;
    const run = await cli(["db", "verify", uri, "--plan", planFile()]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^zt-postgres db verify: Platform DBAs@127\.0\.0\.1:\d+\/postgres \(TLS floor TLSv1\.2\)$/m,
    );
  });

  describe("servers broken one way each", function () {
    it("names db-public-connect when PUBLIC may connect to the application database", async function () {
      await superuser("GRANT CONNECT ON DATABASE app TO PUBLIC");
      try {
        const { run, findings } = await verifyJson();
        assert.equal(run.code, 1);
        // PUBLIC's CONNECT also reaches the crm principal, which the plan keeps out of app.
        assert.deepEqual(problems(findings), [
          "db-persona-access fail [crm] CRM Readers",
          "db-public-connect fail [app]",
        ]);
        const f = findings.find((x) => x.check === "db-public-connect" && x.status === "fail")!;
        assert.equal(f.seen, 'PUBLIC has CONNECT on "app"');
        assert.match(f.fix, /REVOKE ALL ON DATABASE/);
      } finally {
        await superuser("REVOKE CONNECT ON DATABASE app FROM PUBLIC");
      }
    });

    it("names db-persona-access and the reader when a reader gets an extra grant", async function () {
      await superuser('GRANT INSERT ON app.orders TO "reporting-job"', "app");
      try {
        const { run, findings } = await verifyJson();
        assert.equal(run.code, 1);
        assert.deepEqual(problems(findings), ["db-persona-access fail [app] reporting-job"]);
        assert.equal(
          findings.find((f) => f.status === "fail")!.seen,
          '"reporting-job" (reader) has [INSERT,SELECT] on table "app.orders", expected [SELECT]',
        );
      } finally {
        await superuser('REVOKE INSERT ON app.orders FROM "reporting-job"', "app");
      }
    });

    it("names db-role-attributes and the persona when a persona has CREATEROLE", async function () {
      await superuser('ALTER ROLE "orders-api" CREATEROLE');
      try {
        const { run, findings } = await verifyJson();
        assert.equal(run.code, 1);
        assert.deepEqual(problems(findings), ["db-role-attributes fail orders-api"]);
        assert.equal(findings.find((f) => f.status === "fail")!.seen, 'role "orders-api" has CREATEROLE');
      } finally {
        await superuser('ALTER ROLE "orders-api" NOCREATEROLE');
      }
    });

    it("names db-role-memberships when a workload becomes a member of pg_write_all_data", async function () {
      await superuser('GRANT pg_write_all_data TO "orders-api"');
      try {
        const { findings } = await verifyJson();
        assert.deepEqual(problems(findings), [
          "db-persona-access fail [app] orders-api",
          "db-role-memberships fail orders-api",
        ]);
      } finally {
        await superuser('REVOKE pg_write_all_data FROM "orders-api"');
      }
    });

    it("names db-no-pending-restart and the setting when a restart is pending", async function () {
      const waitPending = async (want: boolean) => {
        for (let i = 0; i < 100; i++) {
          const r = await server().asSuperuser("postgres", (c) =>
            c.query("SELECT count(*)::int AS n FROM pg_settings WHERE pending_restart"),
          );
          if (r.rows[0].n > 0 === want) return;
          await new Promise((res) => setTimeout(res, 50));
        }
        throw new Error(`pending_restart did not become ${want}`);
      };
      await superuser("ALTER SYSTEM SET max_connections = 91");
      await superuser("SELECT pg_reload_conf()");
      await waitPending(true);
      try {
        const { run, findings } = await verifyJson();
        assert.equal(run.code, 1);
        assert.deepEqual(problems(findings), ["db-no-pending-restart fail"]);
        assert.equal(findings.find((f) => f.status === "fail")!.seen, "pending a restart: max_connections");
      } finally {
        await superuser("ALTER SYSTEM RESET max_connections");
        await superuser("SELECT pg_reload_conf()");
        await waitPending(false);
      }
    });

    it("names db-pgaudit-preloaded and db-pgaudit-loaded when pgaudit is not preloaded", async function () {
      const withoutPgaudit = PARAMS.find((p) => p.name === "shared_preload_libraries")!
        .value.split(",")
        .filter((l) => l !== "pgaudit")
        .join(",");
      await server().reconfigure(withParam("shared_preload_libraries", withoutPgaudit));
      try {
        const { run, findings } = await verifyJson();
        assert.equal(run.code, 1);
        assert.deepEqual(problems(findings), ["db-pgaudit-loaded fail", "db-pgaudit-preloaded fail"]);
        assert.match(findings.find((f) => f.check === "db-pgaudit-preloaded")!.seen, /without pgaudit$/);
      } finally {
        await server().reconfigure(PARAMS);
      }
    });

    it("names db-tls-session and db-tls-required when TLS is off", async function () {
      await server().reconfigure(withParam("require_secure_transport", "off"));
      try {
        const run = await cli([
          "db",
          "verify",
          conn({ sslmode: "disable" }),
          "--plan",
          planFile(),
          "--format",
          "json",
        ]);
        assert.equal(run.code, 1, run.stderr);
        const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
        assert.deepEqual(problems(findings), ["db-tls-required fail", "db-tls-session fail"]);
        assert.equal(
          findings.find((f) => f.check === "db-tls-required")!.seen,
          "a plaintext connection attempt is accepted: the server asked for authentication without TLS",
        );
      } finally {
        await server().reconfigure(PARAMS);
      }
    });

    it("names db-no-password-logins (Azure-only, against the pgaadauth stand-in) for a password login role", async function () {
      await superuser("CREATE ROLE legacy_app LOGIN PASSWORD 'legacy-password-1'");
      secrets.push("legacy-password-1");
      try {
        const { findings } = await verifyJson();
        assert.deepEqual(problems(findings), ["db-no-password-logins fail legacy_app"]);
      } finally {
        await superuser("DROP ROLE legacy_app");
      }
    });

    it("names db-entra-principals (Azure-only, against the stand-in) when the plan requires MFA of a role created without it", async function () {
      const mfaPlan = path.join(dir, "mfa-plan.json");
      const mfaPersonas = personas.map((p) => (p.role === "DB Admins" ? { ...p, requireMfa: true } : p));
      fs.writeFileSync(mfaPlan, JSON.stringify(bootstrapSql({ ...APP, personas: mfaPersonas })));
      const run = await cli(["db", "verify", conn(), "--plan", mfaPlan, "--format", "json"]);
      assert.equal(run.code, 1, run.stderr);
      const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
      assert.deepEqual(problems(findings), ["db-entra-principals fail DB Admins"]);
      assert.equal(
        findings.find((f) => f.status === "fail")!.seen,
        'role "DB Admins" does not require MFA (isMfa 0), the plan says it must',
      );
    });

    it("names db-default-privileges when a default privilege is revoked", async function () {
      await server().with({ user: "DB Admins", password: passwordOf("DB Admins"), database: "app" }, (c) =>
        c.query(
          "ALTER DEFAULT PRIVILEGES FOR ROLE app_app_admin IN SCHEMA app REVOKE SELECT ON TABLES FROM app_app_reader",
        ),
      );
      try {
        const { findings } = await verifyJson();
        assert.deepEqual(problems(findings), ["db-default-privileges fail [app]"]);
      } finally {
        const again = await cli(["db", "apply", conn(), "--plan", planFile()]);
        assert.equal(again.code, 0, again.stdout);
      }
      assert.deepEqual(problems((await verifyJson()).findings), []);
    });
  });

  describe("apply that stops", function () {
    it("exits 1, naming the step and the guard's message, when a principal is a member of pg_read_all_data", async function () {
      await superuser('GRANT pg_read_all_data TO "reporting-job"');
      try {
        const run = await cli(["db", "apply", conn(), "--plan", planFile()]);
        assert.equal(run.code, 1, run.stderr);
        assert.match(
          run.stdout,
          /step 1\/4 in database "postgres": failed\n {4}role reporting-job is a member of pg_read_all_data; revoke it \(SQLSTATE P0001\)/,
        );
        assert.match(run.stdout, /step 2\/4 in database "app": not-run/);
        assert.match(run.stdout, /failed: a step failed; nothing after it ran\n$/);
      } finally {
        await superuser('REVOKE pg_read_all_data FROM "reporting-job"');
      }
    });
  });

  describe("signing in with a Microsoft Entra token", function () {
    it("asks the token source for the PostgreSQL scope and signs in with the token when the connection has no password", async function () {
      const scopes: string[] = [];
      // The stand-in for DefaultAzureCredential: the test server takes the admin's password as its "token".
      const tokens = async (scope: string) => {
        scopes.push(scope);
        return azure.entraAdminPassword;
      };
      const noPassword = conn().replace(/ password='[^']*'/, "");
      assert.doesNotMatch(noPassword, /password=/);
      const out = path.join(dir, "token-verify.json");
      const code = await verifyCommand(
        {
          connection: noPassword,
          plan: planFile(),
          format: "json",
          output: out,
          minimumTlsVersion: "TLSv1.2",
        },
        tokens,
      );
      assert.equal(code, 0, fs.readFileSync(out, "utf8"));
      assert.deepEqual(scopes, [ENTRA_SCOPE]);
      assert.equal(ENTRA_SCOPE, "https://ossrdbms-aad.database.windows.net/.default");
      assert.ok(
        !fs.readFileSync(out, "utf8").includes(azure.entraAdminPassword),
        "the token appears in the report",
      );
    });

    it("refuses to send a token over sslmode=disable, before connecting", async function () {
      let asked = false;
      await assert.rejects(
        applyCommand(
          {
            connection: conn({ sslmode: "disable" }).replace(/ password='[^']*'/, ""),
            plan: planFile(),
            format: "text",
          },
          async () => {
            asked = true;
            return "token";
          },
        ),
        /connection: sslmode=disable with an Entra token would send the token in clear; use sslmode=verify-full/,
      );
      assert.equal(asked, false);
    });
  });

  describe("what cannot be read, and where Azure's functions are missing", function () {
    it("reports cannot-verify, never a pass, when the verifying role cannot read superuser-only settings", async function () {
      const run = await cli(["db", "verify", conn({ user: "DB Writers" }), "--format", "json"]);
      assert.equal(run.code, 1);
      const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
      const status = (check: string) => findings.filter((f) => f.check === check).map((f) => f.status);
      assert.deepEqual(status("db-pgaudit-preloaded"), ["cannot-verify"]);
      assert.deepEqual(status("db-no-pending-restart"), ["cannot-verify"]);
      assert.match(
        findings.find((f) => f.check === "db-pgaudit-preloaded")!.seen,
        /must be superuser or have privileges of pg_read_all_settings|must be superuser or a member of pg_read_all_settings/,
      );
    });

    it("lists the Azure-only checks as not applicable when pgaadauth_list_principals does not exist", async function () {
      await superuser(
        "ALTER FUNCTION pg_catalog.pgaadauth_list_principals(boolean) RENAME TO pgaadauth_list_principals_off",
      );
      try {
        const run = await cli(["db", "verify", conn(), "--plan", planFile()]);
        assert.equal(run.code, 0, run.stdout);
        assert.match(run.stdout, /^N\/A {11}db-entra-principals: pgaadauth_list_principals does not exist/m);
        assert.match(run.stdout, /^N\/A {11}db-no-password-logins: /m);
      } finally {
        await superuser(
          "ALTER FUNCTION pg_catalog.pgaadauth_list_principals_off(boolean) RENAME TO pgaadauth_list_principals",
        );
      }
    });
  });

  describe("reports", function () {
    it("carries the same findings in JSON and SARIF", async function () {
      await superuser('ALTER ROLE "DB Writers" CREATEDB');
      try {
        const json = await verifyJson();
        const sarifRun = await cli(["db", "verify", conn(), "--plan", planFile(), "--format", "sarif"]);
        assert.equal(sarifRun.code, 1);
        const sarif = JSON.parse(sarifRun.stdout) as {
          version: string;
          runs: {
            tool: { driver: { rules: { id: string }[] } };
            results: { ruleId: string; level: string; message: { text: string } }[];
          }[];
        };
        assert.equal(sarif.version, "2.1.0");
        assert.deepEqual(sarif.runs[0].tool.driver.rules.map((r) => r.id).sort(), Object.keys(CHECKS).sort());
        const failing = json.findings.filter((f) => f.status === "fail");
        assert.deepEqual(
          sarif.runs[0].results.map((r) => [r.ruleId, r.level, r.message.text]),
          failing.map((f) => ["db-role-attributes", "error", `${f.seen}. Fix: ${f.fix}`]),
        );
        assert.equal(failing.length, 1);
      } finally {
        await superuser('ALTER ROLE "DB Writers" NOCREATEDB');
      }
    });
  });

  describe("bad input", function () {
    const cases: { name: string; args: () => string[]; message: RegExp }[] = [
      {
        name: "an unknown connection parameter",
        args: () => ["db", "verify", `${conn()} sslcompression=1`],
        message: /^zt-postgres: connection: unknown parameter "sslcompression"; use host, port, dbname/,
      },
      {
        name: "sslmode=prefer, which falls back to plaintext",
        args: () => ["db", "verify", conn().replace("sslmode=verify-full", "sslmode=prefer")],
        message:
          /^zt-postgres: connection: sslmode "prefer" is not allowed; use one of disable, require, verify-ca, verify-full/,
      },
      {
        name: "a port that is not a number",
        args: () => ["db", "apply", conn().replace(/port=\d+/, "port=54x"), "--plan", planFile()],
        message: /^zt-postgres: connection: port "54x" is not a port number; use 1-65535/,
      },
      {
        name: "a wrong password",
        args: () => ["db", "verify", conn({ password: "not-the-right-secret" })],
        message:
          /^zt-postgres: cannot connect to Platform DBAs@127\.0\.0\.1:\d+\/postgres: password authentication failed for user "Platform DBAs" \(28P01\)/,
      },
      {
        name: "a server that does not answer",
        args: () => ["db", "verify", conn().replace(/port=\d+/, "port=1")],
        message:
          /^zt-postgres: cannot connect to Platform DBAs@127\.0\.0\.1:1\/postgres: connect ECONNREFUSED/,
      },
      {
        name: "a plan that is not JSON",
        args: () => {
          fs.writeFileSync(path.join(dir, "bad.json"), "\\connect app\nSELECT 1;");
          return ["db", "apply", conn(), "--plan", path.join(dir, "bad.json")];
        },
        message: /^zt-postgres: --plan \S+bad\.json: is not JSON/,
      },
      {
        name: "a preview document whose bootstrapSql is a secret",
        args: () => {
          fs.writeFileSync(
            path.join(dir, "secret.json"),
            JSON.stringify({ outputs: { bootstrapSql: "[secret]" } }),
          );
          return ["db", "verify", conn(), "--plan", path.join(dir, "secret.json")];
        },
        message:
          /outputs\.bootstrapSql is "\[secret\]"; write the plan with `pulumi stack output bootstrapSql --json --show-secrets`/,
      },
      {
        name: "a missing plan file",
        args: () => ["db", "apply", conn(), "--plan", path.join(dir, "nope.json")],
        message: /^zt-postgres: --plan \S+nope\.json: no such file$/m,
      },
    ];
    for (const c of cases) {
      it(`exits 2 with one line for ${c.name}`, async function () {
        const run = await cli(c.args());
        assert.equal(run.code, 2, run.stdout + run.stderr);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, c.message);
        assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      });
    }

    it("exits 2, naming the scope, when there is no password and no Entra credential", async function () {
      this.timeout(60000);
      const noPassword = conn().replace(/ password='[^']*'/, "");
      const env = {
        ...process.env,
        AZURE_CLIENT_ID: "",
        AZURE_TENANT_ID: "",
        AZURE_FEDERATED_TOKEN_FILE: "",
        IDENTITY_ENDPOINT: "",
        MSI_ENDPOINT: "",
        PATH: "/usr/bin:/bin",
      };
      const run = await new Promise<Run>((resolve) =>
        execFile(process.execPath, [MAIN, "db", "verify", noPassword], { env }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        ),
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /^zt-postgres: connection: no password given and no Microsoft Entra token could be obtained for https:\/\/ossrdbms-aad\.database\.windows\.net\/\.default/,
      );
    });

    it("never prints a password or token in any output of this file's runs", function () {
      assert.ok(runs.length > 20, `only ${runs.length} runs`);
      for (const run of runs) {
        for (const s of secrets) {
          assert.ok(!run.stdout.includes(s) && !run.stderr.includes(s), "a secret appears in the output");
        }
        assert.doesNotMatch(run.stderr, /\n\s+at /, "a stack trace");
      }
    });
  });
});
