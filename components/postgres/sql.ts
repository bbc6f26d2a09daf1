// The SQL bootstrap script: Entra principals, access roles and least-privilege grants.
//
// Seed 003 ("User Access", "Workload Access"): persona groups (admin, writer, reader) live in Entra
// under PIM, so membership is just-in-time while the database role stays constant; workloads log in
// with their own managed identity. The database maps each principal to exactly one access level.
//
// Shape of the grants:
// - One NOLOGIN role per access level, `<prefix>_admin`, `<prefix>_writer`, `<prefix>_reader`
//   (prefix defaults to `<database>_<schema>`, since roles are cluster-wide and two databases must not
//   share them). Personas and workloads are members; grants go to the access roles only.
// - `<prefix>_admin` owns the app schema (or has CREATE on one that existed), so it has DDL there. Admin principals log in with their
//   role defaulting to `<prefix>_admin` in the app database (`ALTER ROLE … IN DATABASE … SET role`),
//   so the tables they create are owned by the group role and the default privileges below apply.
// - writer: SELECT/INSERT/UPDATE/DELETE on tables, USAGE/SELECT/UPDATE on sequences, no CREATE.
//   reader: USAGE on the schema and SELECT on tables, nothing else.
// - The database loses its PUBLIC grants; only the access roles may CONNECT. PUBLIC may not CREATE
//   in the `public` schema.
// - No role gets SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS, or membership in
//   azure_pg_admin or the pg_*_data/server-file roles; the script checks and stops if one has.
//
// Who runs it: a Microsoft Entra administrator of the server, who on Azure is a member of
// azure_pg_admin with CREATEROLE, not a superuser. So the script never issues a statement that needs
// superuser. In particular it never runs `ALTER ROLE … NOSUPERUSER/NOREPLICATION/NOBYPASSRLS`: in
// PostgreSQL 15 naming those attributes at all needs superuser, even to switch them off. It verifies
// them instead.
//
// Idempotent: every statement is IF NOT EXISTS, guarded by a DO block, or a GRANT/REVOKE that is a
// no-op the second time, so the script can run again after adding a persona.

/** One Entra principal mapped to a database access level. */
export interface BootstrapPrincipal {
  /** PostgreSQL role name: the Entra group's display name, or the workload's managed identity name. 1-63 bytes. */
  role: string;
  /** Entra object id (GUID) of the group, or of the managed identity's service principal. */
  objectId: string;
  /** `group` for persona groups, `service` for managed identities and service principals. */
  principalType: "group" | "service";
  /** Access level: admin (DDL + DML), writer (DML), reader (SELECT). */
  access: "admin" | "writer" | "reader";
  /**
   * Create the role with `isMfa` true, so the server refuses a token without the `mfa` claim
   * (`pgaadauth_create_principal_with_oid(roleName, objectId, objectType, isAdmin, isMfa)`,
   * https://learn.microsoft.com/en-us/azure/postgresql/security/security-manage-entra-users, read
   * 2026-11-30). Applies when the role is created; an existing role keeps its label. Defaults to `false`.
   */
  requireMfa?: boolean;
}

/** Inputs of {@link bootstrapSql}. */
export interface BootstrapSqlOptions {
  /** Application database (created by the component). Letters, digits, `_` and `-`; 1-63 characters. */
  databaseName: string;
  /** Application schema the script creates and grants on. 1-63 bytes. */
  schemaName: string;
  /** Persona groups and workload identities. */
  personas: BootstrapPrincipal[];
  /** Prefix of the access roles. Defaults to `<databaseName>_<schemaName>`. */
  rolePrefix?: string;
  /**
   * Database where Azure exposes `pgaadauth_create_principal_with_oid`. Defaults to `postgres`: the
   * pgaadauth functions exist only in the maintenance database, and roles are cluster-wide anyway.
   */
  maintenanceDatabase?: string;
  /** Run `CREATE EXTENSION IF NOT EXISTS pgaudit` in the app database. Defaults to `true`. */
  createPgauditExtension?: boolean;
}

/** One part of the script: the database to connect to and the SQL to run there. */
export interface ScriptStep {
  database: string;
  sql: string;
}

/** Access levels, in the order the script creates their roles. */
export const ACCESS_LEVELS = ["admin", "writer", "reader"] as const;

/** Roles a principal must never be a member of: they bypass the per-schema grants. Absent ones are skipped. */
export const FORBIDDEN_MEMBERSHIPS = [
  "azure_pg_admin",
  "pg_read_all_data",
  "pg_write_all_data",
  "pg_execute_server_program",
  "pg_read_server_files",
  "pg_write_server_files",
] as const;

const MAX_IDENTIFIER_BYTES = 63;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const RESERVED_ROLES = new Set([
  "public",
  "none",
  "current_user",
  "current_role",
  "session_user",
  "azure_pg_admin",
  "azuresu",
  "azure_superuser",
  "replication",
  "postgres",
]);

/** Quotes an SQL identifier: wraps it in double quotes and doubles embedded ones. */
export function quoteIdent(name: string): string {
  if (name.includes("\0")) throw new Error(`identifier ${JSON.stringify(name)} contains a NUL byte`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL string literal for `standard_conforming_strings = on` (set by the script). */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new Error(`literal ${JSON.stringify(value)} contains a NUL byte`);
  return `'${value.replace(/'/g, "''")}'`;
}

function checkIdentifier(field: string, value: string, what: string): void {
  const bytes = Buffer.byteLength(value, "utf8");
  if (
    bytes === 0 ||
    bytes > MAX_IDENTIFIER_BYTES ||
    [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    throw new Error(
      `\`${field}\` ${JSON.stringify(value)} is not a valid ${what}; use 1-${MAX_IDENTIFIER_BYTES} bytes (UTF-8) without control characters.`,
    );
  }
}

function checkRoleName(field: string, value: string): void {
  checkIdentifier(field, value, "PostgreSQL role name");
  const lower = value.toLowerCase();
  if (RESERVED_ROLES.has(lower) || lower.startsWith("pg_")) {
    throw new Error(
      `\`${field}\` ${JSON.stringify(value)} is a reserved role name; use a name that does not start with "pg_" and is none of ${[...RESERVED_ROLES].join(", ")}.`,
    );
  }
}

/** Validates the options and returns the resolved names. Errors name the field, the value and what is allowed. */
function resolve(opts: BootstrapSqlOptions) {
  if (!DATABASE_NAME.test(opts.databaseName)) {
    throw new Error(
      `\`databaseName\` ${JSON.stringify(opts.databaseName)} is not allowed; use 1-63 letters, digits, "_" or "-", starting with a letter or "_".`,
    );
  }
  const maintenanceDatabase = opts.maintenanceDatabase ?? "postgres";
  if (!DATABASE_NAME.test(maintenanceDatabase)) {
    throw new Error(
      `\`maintenanceDatabase\` ${JSON.stringify(maintenanceDatabase)} is not allowed; use 1-63 letters, digits, "_" or "-", starting with a letter or "_".`,
    );
  }
  if (maintenanceDatabase === opts.databaseName) {
    throw new Error(
      `\`databaseName\` ${JSON.stringify(opts.databaseName)} is the maintenance database; use a separate application database.`,
    );
  }
  checkIdentifier("schemaName", opts.schemaName, "schema name");
  if (/^(pg_|information_schema$|public$)/i.test(opts.schemaName)) {
    throw new Error(
      `\`schemaName\` ${JSON.stringify(opts.schemaName)} is reserved; use an application schema name that is not "public", "information_schema" or "pg_*".`,
    );
  }
  const prefix = opts.rolePrefix ?? `${opts.databaseName}_${opts.schemaName}`;
  const groups = {
    admin: `${prefix}_admin`,
    writer: `${prefix}_writer`,
    reader: `${prefix}_reader`,
  };
  for (const access of ACCESS_LEVELS) {
    const field = opts.rolePrefix === undefined ? "databaseName`/`schemaName" : "rolePrefix";
    if (Buffer.byteLength(groups[access], "utf8") > MAX_IDENTIFIER_BYTES) {
      throw new Error(
        `\`${field}\` gives access role ${JSON.stringify(groups[access])}, longer than ${MAX_IDENTIFIER_BYTES} bytes; set a \`rolePrefix\` of at most ${MAX_IDENTIFIER_BYTES - "_writer".length} bytes.`,
      );
    }
    checkRoleName(field, groups[access]);
  }
  const seen = new Set<string>(Object.values(groups));
  opts.personas.forEach((p, i) => {
    const at = `personas[${i}]`;
    checkRoleName(`${at}.role`, p.role);
    if (seen.has(p.role)) {
      throw new Error(
        `\`${at}.role\` ${JSON.stringify(p.role)} is used twice (or is an access role); give each principal its own role name.`,
      );
    }
    seen.add(p.role);
    if (!GUID.test(p.objectId)) {
      throw new Error(
        `\`${at}.objectId\` ${JSON.stringify(p.objectId)} is not a GUID; use the Entra object id, e.g. "00000000-0000-0000-0000-000000000000".`,
      );
    }
    if (p.principalType !== "group" && p.principalType !== "service") {
      throw new Error(
        `\`${at}.principalType\` ${JSON.stringify(p.principalType)} is not allowed; use "group" (persona groups) or "service" (managed identities).`,
      );
    }
    if (!(ACCESS_LEVELS as readonly string[]).includes(p.access)) {
      throw new Error(
        `\`${at}.access\` ${JSON.stringify(p.access)} is not allowed; use one of ${ACCESS_LEVELS.map((a) => `"${a}"`).join(", ")}.`,
      );
    }
  });
  return { maintenanceDatabase, groups, createPgaudit: opts.createPgauditExtension ?? true };
}

/** Wraps a PL/pgSQL body in a DO block whose dollar-quote tag does not occur in the body. */
function doBlock(body: string): string {
  let tag = "$zt$";
  for (let i = 1; body.includes(tag); i++) tag = `$zt${i}$`;
  return `DO ${tag}\nBEGIN\n${body}\nEND\n${tag};`;
}

function arrayLiteral(values: readonly string[]): string {
  return `ARRAY[${values.map(quoteLiteral).join(", ")}]::text[]`;
}

/**
 * The script as steps: which database to connect to and what to run there. {@link bootstrapSql}
 * renders them as one psql script; run them yourself with any driver if you prefer.
 */
export function bootstrapSqlSteps(opts: BootstrapSqlOptions): ScriptStep[] {
  const { maintenanceDatabase, groups, createPgaudit } = resolve(opts);
  const db = quoteIdent(opts.databaseName);
  const schema = quoteIdent(opts.schemaName);
  const admin = quoteIdent(groups.admin);
  const writer = quoteIdent(groups.writer);
  const reader = quoteIdent(groups.reader);
  const managed = [...Object.values(groups), ...opts.personas.map((p) => p.role)];

  const roles: string[] = [
    "SET standard_conforming_strings = on;",
    "BEGIN;",
    "-- Entra principals, each bound to its object id (display names are not unique in Entra).",
  ];
  for (const p of opts.personas) {
    roles.push(
      doBlock(
        `  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(p.role)}) THEN\n` +
          `    PERFORM pgaadauth_create_principal_with_oid(${quoteLiteral(p.role)}, ${quoteLiteral(p.objectId.toLowerCase())}, ${quoteLiteral(p.principalType)}, false, ${p.requireMfa === true});\n` +
          `  END IF;`,
      ),
    );
  }
  roles.push("-- Access roles: NOLOGIN, and no attribute beyond the defaults.");
  for (const access of ACCESS_LEVELS) {
    roles.push(
      doBlock(
        `  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(groups[access])}) THEN\n` +
          `    CREATE ROLE ${quoteIdent(groups[access])} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;\n` +
          `  END IF;`,
      ),
    );
  }
  roles.push(
    "-- The running administrator joins the admin role: owning the schema and setting default privileges",
    "-- for objects the admin role creates both require membership.",
    `GRANT ${admin} TO CURRENT_USER;`,
    "-- Each principal gets exactly one access role.",
  );
  for (const p of opts.personas) {
    roles.push(`GRANT ${quoteIdent(groups[p.access])} TO ${quoteIdent(p.role)};`);
  }
  roles.push(
    "-- Nobody may create databases or roles. Switched off only when set, so a rerun needs no privilege.",
    doBlock(
      `  DECLARE r record;\n  BEGIN\n` +
        `    FOR r IN SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY (${arrayLiteral(managed)}) AND (rolcreatedb OR rolcreaterole) LOOP\n` +
        `      EXECUTE format('ALTER ROLE %I NOCREATEDB NOCREATEROLE', r.rolname);\n` +
        `    END LOOP;\n  END;`,
    ),
    "-- SUPERUSER, REPLICATION and BYPASSRLS can only be removed by a superuser: refuse to continue instead.",
    doBlock(
      `  DECLARE r record;\n  BEGIN\n` +
        `    FOR r IN SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY (${arrayLiteral(managed)}) AND (rolsuper OR rolreplication OR rolbypassrls) LOOP\n` +
        `      RAISE EXCEPTION 'role % has SUPERUSER, REPLICATION or BYPASSRLS; a superuser must remove it', r.rolname;\n` +
        `    END LOOP;\n` +
        `    FOR r IN SELECT m.rolname AS member, g.rolname AS granted FROM pg_catalog.pg_roles m, pg_catalog.pg_roles g\n` +
        `      WHERE m.rolname = ANY (${arrayLiteral(managed)}) AND g.rolname = ANY (${arrayLiteral(FORBIDDEN_MEMBERSHIPS)})\n` +
        `        AND pg_catalog.pg_has_role(m.oid, g.oid, 'MEMBER') LOOP\n` +
        `      RAISE EXCEPTION 'role % is a member of %; revoke it', r.member, r.granted;\n` +
        `    END LOOP;\n  END;`,
    ),
    "COMMIT;",
  );

  const app: string[] = ["SET standard_conforming_strings = on;", "BEGIN;"];
  if (createPgaudit) {
    app.push("-- Needs pgaudit in azure.extensions and shared_preload_libraries (server parameters).");
    app.push("CREATE EXTENSION IF NOT EXISTS pgaudit;");
  }
  app.push(
    "-- Only the access roles may connect; PUBLIC loses CONNECT and TEMPORARY.",
    `REVOKE ALL ON DATABASE ${db} FROM PUBLIC;`,
    `GRANT CONNECT ON DATABASE ${db} TO ${admin}, ${writer}, ${reader};`,
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
    "-- The admin role owns a new app schema: DDL there, nowhere else. A schema that already exists keeps",
    "-- its owner (moving it would need CREATE on the database for the admin role); the admin role gets",
    "-- CREATE and USAGE on it instead, and the grants below cover the tables already in it.",
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${admin};`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC;`,
    `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${admin};`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${writer}, ${reader};`,
    "-- Objects that exist now.",
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${admin}, ${writer};`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${admin}, ${writer};`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader};`,
    "-- Objects the admin role creates later.",
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${admin} IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${writer};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${admin} IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${writer};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${admin} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader};`,
  );
  const admins = opts.personas.filter((p) => p.access === "admin");
  if (admins.length > 0) {
    app.push(
      "-- Admin principals act as the admin role in this database, so what they create is owned by it (and",
      "-- covered by the default privileges above), not by their own login role. Set only when missing, so a",
      "-- rerun needs no privilege. On PostgreSQL 16+ this needs ADMIN OPTION on the principal's role; without",
      "-- it the script warns and carries on, and that principal must SET ROLE before DDL.",
    );
    for (const p of admins) {
      const role = quoteIdent(p.role);
      app.push(
        doBlock(
          `  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_db_role_setting s\n` +
            `      JOIN pg_catalog.pg_roles r ON r.oid = s.setrole JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase\n` +
            `      WHERE r.rolname = ${quoteLiteral(p.role)} AND d.datname = ${quoteLiteral(opts.databaseName)}\n` +
            `        AND ${quoteLiteral(`role=${groups.admin}`)} = ANY (s.setconfig)) THEN\n` +
            `    BEGIN\n` +
            `      ALTER ROLE ${role} IN DATABASE ${db} SET role = ${quoteLiteral(groups.admin)};\n` +
            `    EXCEPTION WHEN insufficient_privilege THEN\n` +
            `      RAISE WARNING 'role % cannot be made to act as % here (%); its members must run SET ROLE % before DDL',\n` +
            `        ${quoteLiteral(p.role)}, ${quoteLiteral(groups.admin)}, SQLERRM, ${quoteLiteral(groups.admin)};\n` +
            `    END;\n` +
            `  END IF;`,
        ),
      );
    }
  }
  app.push(
    "-- GRANT and REVOKE by a role without grant options only warn. Check that they took effect: the script",
    "-- must be run by (a member of) the database owner, which is azure_pg_admin for databases Azure creates.",
    doBlock(
      `  IF EXISTS (SELECT 1 FROM pg_catalog.pg_database d, pg_catalog.aclexplode(coalesce(d.datacl, pg_catalog.acldefault('d', d.datdba))) a\n` +
        `      WHERE d.datname = ${quoteLiteral(opts.databaseName)} AND a.grantee = 0) THEN\n` +
        `    RAISE EXCEPTION 'database % still grants privileges to PUBLIC; run this script as a member of its owner', ${quoteLiteral(opts.databaseName)};\n` +
        `  END IF;\n` +
        `  IF NOT (pg_catalog.has_database_privilege(${quoteLiteral(groups.admin)}, ${quoteLiteral(opts.databaseName)}, 'CONNECT')\n` +
        `      AND pg_catalog.has_database_privilege(${quoteLiteral(groups.writer)}, ${quoteLiteral(opts.databaseName)}, 'CONNECT')\n` +
        `      AND pg_catalog.has_database_privilege(${quoteLiteral(groups.reader)}, ${quoteLiteral(opts.databaseName)}, 'CONNECT')\n` +
        `      AND pg_catalog.has_schema_privilege(${quoteLiteral(groups.admin)}, ${quoteLiteral(opts.schemaName)}, 'CREATE')) THEN\n` +
        `    RAISE EXCEPTION 'the access roles did not get CONNECT on % and CREATE on schema %; run this script as a member of the owners', ${quoteLiteral(opts.databaseName)}, ${quoteLiteral(opts.schemaName)};\n` +
        `  END IF;`,
    ),
    "COMMIT;",
  );

  return [
    { database: maintenanceDatabase, sql: roles.join("\n") + "\n" },
    { database: opts.databaseName, sql: app.join("\n") + "\n" },
  ];
}

/**
 * The idempotent bootstrap script, for psql: run it once after deployment as a Microsoft Entra
 * administrator, connected to the `postgres` database, with a token as password:
 *
 *     PGPASSWORD="$(az account get-access-token --resource-type oss-rdbms --query accessToken -o tsv)" \
 *       psql "host=<fqdn> dbname=postgres user=<admin group name> sslmode=verify-full sslrootcert=<ca>" -f bootstrap.sql
 *
 * It switches databases with `\connect`; {@link psqlScriptSteps} splits it back into steps.
 */
export function bootstrapSql(opts: BootstrapSqlOptions): string {
  const steps = bootstrapSqlSteps(opts);
  const header = [
    "-- zero-trust-azure-postgres: database roles for persona groups and workload identities.",
    "-- Run with psql as a Microsoft Entra administrator (member of azure_pg_admin; no superuser needed).",
    "-- Idempotent: safe to run again after adding principals.",
    "\\set ON_ERROR_STOP on",
  ];
  const body = steps.map((s) => `\\connect ${quoteIdent(s.database)}\n${s.sql}`);
  return header.join("\n") + "\n" + body.join("");
}

/**
 * Splits a script from {@link bootstrapSql} into its steps at each `\connect "<database>"` line,
 * dropping other psql meta-commands. For running the script with a driver instead of psql.
 */
export function psqlScriptSteps(script: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const lines = script.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const connect = /^\\connect "((?:[^"]|"")+)"$/.exec(line);
    if (connect) {
      steps.push({ database: connect[1].replace(/""/g, '"'), sql: "" });
    } else if (line.startsWith("\\")) {
      continue;
    } else if (steps.length > 0) {
      steps[steps.length - 1].sql += line + "\n";
    }
  }
  return steps;
}

/** One application database of a {@link bootstrapPlan}: its own schema, access roles and principals. */
export interface DatabaseBootstrap {
  /** Application database. Letters, digits, `_` and `-`; 1-63 characters; unique in the plan. */
  databaseName: string;
  /** Application schema in that database. */
  schemaName: string;
  /** Persona groups and workload identities with their access in this database. */
  personas: BootstrapPrincipal[];
  /** Prefix of this database's access roles. Defaults to `<databaseName>_<schemaName>`. */
  rolePrefix?: string;
}

/** Inputs of {@link bootstrapPlan}. */
export interface BootstrapPlanOptions {
  /** The application databases, in the order their steps run. At least one. */
  databases: DatabaseBootstrap[];
  /** Database where Azure exposes `pgaadauth_create_principal_with_oid`. Defaults to `postgres`. */
  maintenanceDatabase?: string;
  /** Run `CREATE EXTENSION IF NOT EXISTS pgaudit` in each application database. Defaults to `true`. */
  createPgauditExtension?: boolean;
}

/** One step of a {@link bootstrapPlan}: where it connects, what it runs, and which application database it serves. */
export interface PlanStep extends ScriptStep {
  /** `roles`: principals and access roles (runs in the maintenance database); `grants`: schema and grants (runs in the application database). */
  purpose: "roles" | "grants";
  /** The application database this step is for. */
  forDatabase: string;
}

/**
 * The bootstrap for several application databases as one ordered plan: for each database, its roles
 * step (in the maintenance database) and then its grants step (in the database itself). An Entra
 * principal may appear in several databases with a different access level in each; it is created once
 * (the steps are idempotent) and must carry the same object id and type everywhere. Throws naming the
 * field, the value and what is allowed.
 */
export function bootstrapPlan(opts: BootstrapPlanOptions): PlanStep[] {
  if (!Array.isArray(opts.databases) || opts.databases.length === 0) {
    throw new Error("`databases` is empty; list at least one application database.");
  }
  const databases = new Set<string>();
  const accessRoles = new Map<string, string>();
  const principals = new Map<string, { objectId: string; principalType: string; at: string }>();
  opts.databases.forEach((d, i) => {
    const at = `databases[${i}]`;
    if (databases.has(d.databaseName)) {
      throw new Error(
        `\`${at}.databaseName\` ${JSON.stringify(d.databaseName)} is listed twice; give each application database one entry.`,
      );
    }
    databases.add(d.databaseName);
    const prefix = d.rolePrefix ?? `${d.databaseName}_${d.schemaName}`;
    for (const access of ACCESS_LEVELS) {
      const role = `${prefix}_${access}`;
      const other = accessRoles.get(role);
      if (other !== undefined) {
        throw new Error(
          `\`${at}\` gives access role ${JSON.stringify(role)}, which ${other} already uses; set a distinct \`${at}.rolePrefix\`.`,
        );
      }
      accessRoles.set(role, at);
    }
    d.personas.forEach((p, j) => {
      const seen = principals.get(p.role);
      if (
        seen !== undefined &&
        (seen.objectId.toLowerCase() !== String(p.objectId).toLowerCase() ||
          seen.principalType !== p.principalType)
      ) {
        throw new Error(
          `\`${at}.personas[${j}]\` role ${JSON.stringify(p.role)} is a different principal than in ${seen.at} (object id or type differ); one role name is one Entra principal.`,
        );
      }
      if (accessRoles.has(p.role)) {
        throw new Error(
          `\`${at}.personas[${j}].role\` ${JSON.stringify(p.role)} is an access role name; give the principal its own role name.`,
        );
      }
      principals.set(p.role, {
        objectId: String(p.objectId),
        principalType: p.principalType,
        at: `${at}.personas[${j}]`,
      });
    });
  });
  for (const role of principals.keys()) {
    if (accessRoles.has(role)) {
      throw new Error(
        `principal role ${JSON.stringify(role)} is also an access role name; give the principal its own role name.`,
      );
    }
  }
  const steps: PlanStep[] = [];
  opts.databases.forEach((d, i) => {
    let part: ScriptStep[];
    try {
      part = bootstrapSqlSteps({
        databaseName: d.databaseName,
        schemaName: d.schemaName,
        personas: d.personas,
        rolePrefix: d.rolePrefix,
        maintenanceDatabase: opts.maintenanceDatabase,
        createPgauditExtension: opts.createPgauditExtension,
      });
    } catch (e) {
      // Name the database entry: the single-database messages name fields relative to it.
      throw new Error(`\`databases[${i}]\`: ${(e as Error).message}`);
    }
    steps.push({ ...part[0], purpose: "roles", forDatabase: d.databaseName });
    steps.push({ ...part[1], purpose: "grants", forDatabase: d.databaseName });
  });
  return steps;
}

/** The plan rendered as one psql script, like {@link bootstrapSql}; {@link psqlScriptSteps} splits it back. */
export function bootstrapPlanSql(opts: BootstrapPlanOptions): string {
  const steps = bootstrapPlan(opts);
  const header = [
    "-- zero-trust-azure-postgres: database roles for persona groups and workload identities.",
    `-- Application databases: ${opts.databases.map((d) => d.databaseName).join(", ")}.`,
    "-- Run with psql as a Microsoft Entra administrator (member of azure_pg_admin; no superuser needed).",
    "-- Idempotent: safe to run again after adding principals.",
    "\\set ON_ERROR_STOP on",
  ];
  const body = steps.map((s) => `\\connect ${quoteIdent(s.database)}\n${s.sql}`);
  return header.join("\n") + "\n" + body.join("");
}
