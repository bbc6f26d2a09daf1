// `zt-postgres db verify`: checks from inside the database that the zero-trust posture holds.
//
// It runs as a Microsoft Entra administrator, who on Azure is not a superuser but a member of
// azure_pg_admin. What that role can read decides what can be checked: settings marked superuser-only
// (shared_preload_libraries, for one) need pg_read_all_settings, which Azure grants to azure_pg_admin
// (with pg_monitor, pg_read_all_stats and others; see docs/db.md). Whatever cannot be read is reported
// as `cannot-verify`, which fails the run like a failed check: an unread fact is never a pass.

import type { Client } from "pg";

import { CHECKS, type CheckId, type Finding, type Status } from "./catalogue";
import { describe } from "./connection";
import { AZURE_OWN_DATABASES, AZURE_OWN_ROLES, BYPASS_ROLES, missingAuditClasses, tlsRank } from "./facts";
import type { AccessLevel, Plan, PlanDatabase } from "./plan";
import { probePlaintext } from "./probe";
import type { Sessions } from "./session";

export interface VerifyOptions {
  /** Lowest TLS version accepted, e.g. "TLSv1.2". */
  tlsFloor: string;
  plan?: Plan;
}

export interface VerifyResult {
  target: string;
  tlsFloor: string;
  passed: boolean;
  counts: Record<Status, number>;
  findings: Finding[];
}

const ok = (check: CheckId, seen: string, extra: Partial<Finding> = {}): Finding => ({
  check,
  status: "pass",
  seen,
  fix: "",
  ...extra,
});
const fail = (check: CheckId, seen: string, extra: Partial<Finding> = {}): Finding => ({
  check,
  status: "fail",
  seen,
  fix: CHECKS[check].fix,
  ...extra,
});
const cannot = (check: CheckId, seen: string, extra: Partial<Finding> = {}): Finding => ({
  check,
  status: "cannot-verify",
  seen,
  fix: `Run verify as a member of azure_pg_admin (on Azure, a Microsoft Entra administrator). ${CHECKS[check].fix}`,
  ...extra,
});
const notApplicable = (check: CheckId, seen: string): Finding => ({
  check,
  status: "not-applicable",
  seen,
  fix: "",
});

type Row = Record<string, unknown>;

/** Runs a query; a refusal (insufficient_privilege and the like) comes back as a message, not a throw. */
async function read(client: Client, sql: string, params: unknown[] = []): Promise<Row[] | string> {
  try {
    return (await client.query(sql, params)).rows as Row[];
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return `${e.message ?? String(err)}${e.code ? ` (SQLSTATE ${e.code})` : ""}`;
  }
}

async function setting(client: Client, name: string): Promise<string | null | { error: string }> {
  const r = await read(client, "SELECT pg_catalog.current_setting($1, true) AS v", [name]);
  if (typeof r === "string") return { error: r };
  return (r[0]?.v as string | null) ?? null;
}

const isError = (v: unknown): v is { error: string } => typeof v === "object" && v !== null && "error" in v;

async function serverChecks(sessions: Sessions, floor: string): Promise<Finding[]> {
  const c = await sessions.get();
  const out: Finding[] = [];
  const floorRank = tlsRank(floor)!;

  // The session's own TLS.
  const ssl = await read(
    c,
    "SELECT ssl, version FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()",
  );
  if (typeof ssl === "string" || ssl.length === 0) {
    out.push(
      cannot(
        "db-tls-session",
        `pg_stat_ssl cannot be read: ${typeof ssl === "string" ? sessions.clean(ssl) : "no row"}`,
      ),
    );
  } else if (!ssl[0].ssl) {
    out.push(fail("db-tls-session", "this session is not encrypted (no TLS)"));
  } else {
    const v = String(ssl[0].version);
    const rank = tlsRank(v);
    out.push(
      rank !== undefined && rank >= floorRank
        ? ok("db-tls-session", `this session uses ${v} (floor ${floor})`)
        : fail("db-tls-session", `this session uses ${v}, below the floor ${floor}`),
    );
  }

  // Plaintext refused: Azure's switch where it exists, and a plaintext attempt in any case.
  const rst = await setting(c, "require_secure_transport");
  const probe = await probePlaintext(
    sessions.connection.host,
    sessions.connection.port,
    sessions.connection.user,
    sessions.connection.database,
  );
  const probeText =
    probe.outcome === "refused"
      ? `a plaintext connection attempt is refused before authentication (${sessions.clean(probe.message)})`
      : probe.outcome === "accepted"
        ? "a plaintext connection attempt is accepted: the server asked for authentication without TLS"
        : `a plaintext connection attempt gave no clear answer (${sessions.clean(probe.reason)})`;
  if (isError(rst)) {
    out.push(
      cannot("db-tls-required", `require_secure_transport cannot be read: ${sessions.clean(rst.error)}`),
    );
  } else if (rst !== null && rst.toLowerCase() !== "on") {
    out.push(fail("db-tls-required", `require_secure_transport is ${rst}; ${probeText}`));
  } else if (probe.outcome === "accepted") {
    out.push(fail("db-tls-required", probeText));
  } else if (
    (probe.outcome === "refused" && /^(28|08)/.test(probe.sqlstate)) ||
    // Where the server has Azure's switch and it is on, that is the authority; a probe that got no
    // clear answer (a transient error, a network path that drops plaintext) does not overrule it.
    rst !== null
  ) {
    out.push(ok("db-tls-required", `${rst === null ? "" : "require_secure_transport is on; "}${probeText}`));
  } else {
    out.push(cannot("db-tls-required", probeText));
  }

  const minProto = await setting(c, "ssl_min_protocol_version");
  if (isError(minProto) || minProto === null) {
    out.push(
      cannot(
        "db-tls-min-version",
        `ssl_min_protocol_version cannot be read${isError(minProto) ? `: ${sessions.clean(minProto.error)}` : ""}`,
      ),
    );
  } else {
    const rank = tlsRank(minProto);
    out.push(
      rank !== undefined && rank >= floorRank
        ? ok("db-tls-min-version", `ssl_min_protocol_version is ${minProto} (floor ${floor})`)
        : fail("db-tls-min-version", `ssl_min_protocol_version is ${minProto}, below the floor ${floor}`),
    );
  }

  // pgaudit: configured to preload, actually loaded, nothing waiting for a restart.
  const spl = await setting(c, "shared_preload_libraries");
  if (isError(spl) || spl === null) {
    out.push(
      cannot(
        "db-pgaudit-preloaded",
        `shared_preload_libraries cannot be read${isError(spl) ? `: ${sessions.clean(spl.error)}` : ""}`,
      ),
    );
  } else {
    const libs = spl.split(",").map((l) => l.trim().replace(/^"|"$/g, ""));
    out.push(
      libs.includes("pgaudit")
        ? ok("db-pgaudit-preloaded", `shared_preload_libraries is "${spl}"`)
        : fail("db-pgaudit-preloaded", `shared_preload_libraries is "${spl}", without pgaudit`),
    );
  }
  // A loaded library defines its settings (with a description and a type); a name merely set in the
  // configuration is a placeholder, which pg_settings does not list.
  const loaded = await read(c, "SELECT vartype FROM pg_catalog.pg_settings WHERE name = 'pgaudit.log'");
  if (typeof loaded === "string") {
    out.push(cannot("db-pgaudit-loaded", `pg_settings cannot be read: ${sessions.clean(loaded)}`));
  } else {
    out.push(
      loaded.length > 0
        ? ok("db-pgaudit-loaded", "pgaudit's settings are defined: the library is loaded")
        : fail(
            "db-pgaudit-loaded",
            "pgaudit's settings are not defined: the library is not loaded in the running server",
          ),
    );
  }
  const canReadAll = await read(
    c,
    "SELECT pg_catalog.pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS ok",
  );
  const pending = await read(
    c,
    "SELECT name FROM pg_catalog.pg_settings WHERE pending_restart ORDER BY name",
  );
  if (typeof pending === "string" || typeof canReadAll === "string" || canReadAll[0]?.ok !== true) {
    out.push(
      cannot(
        "db-no-pending-restart",
        typeof pending === "string"
          ? `pg_settings cannot be read: ${sessions.clean(pending)}`
          : "pg_settings hides superuser-only settings from this role (not a member of pg_read_all_settings)",
      ),
    );
  } else {
    out.push(
      pending.length === 0
        ? ok("db-no-pending-restart", "no setting is pending a restart")
        : fail(
            "db-no-pending-restart",
            `pending a restart: ${pending.map((r) => String(r.name)).join(", ")}`,
          ),
    );
  }

  const auditLog = await setting(c, "pgaudit.log");
  if (isError(auditLog)) {
    out.push(cannot("db-pgaudit-log", `pgaudit.log cannot be read: ${sessions.clean(auditLog.error)}`));
  } else if (auditLog === null) {
    out.push(fail("db-pgaudit-log", "pgaudit.log is not set (pgaudit not loaded, or never configured)"));
  } else {
    const missing = missingAuditClasses(auditLog);
    out.push(
      missing.length === 0
        ? ok("db-pgaudit-log", `pgaudit.log is "${auditLog}"`)
        : fail(
            "db-pgaudit-log",
            `pgaudit.log is "${auditLog}", which does not cover ${missing.join(" and ")}`,
          ),
    );
  }

  const logConn = await setting(c, "log_connections");
  if (isError(logConn) || logConn === null) {
    out.push(
      cannot(
        "db-connection-logging",
        `log_connections cannot be read${isError(logConn) ? `: ${sessions.clean(logConn.error)}` : ""}`,
      ),
    );
  } else {
    out.push(
      logConn === "on"
        ? ok("db-connection-logging", "log_connections is on")
        : fail("db-connection-logging", `log_connections is ${logConn}`),
    );
  }
  return out;
}

/** The application databases: the plan's, or every connectable database Azure does not keep for itself. */
async function applicationDatabases(sessions: Sessions, plan: Plan | undefined): Promise<string[] | string> {
  if (plan) return plan.databases.map((d) => d.database);
  const r = await read(
    await sessions.get(),
    "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate AND datname <> ALL ($1) ORDER BY datname",
    [AZURE_OWN_DATABASES],
  );
  return typeof r === "string" ? r : r.map((x) => String(x.datname));
}

async function databaseChecks(sessions: Sessions, databases: string[]): Promise<Finding[]> {
  const out: Finding[] = [];
  const c = await sessions.get();
  for (const database of databases) {
    const at = { database };
    const pub = await read(
      c,
      `SELECT pg_catalog.has_database_privilege('public', d.oid, 'CONNECT') AS connect,
              pg_catalog.has_database_privilege('public', d.oid, 'TEMPORARY') AS temp
         FROM pg_catalog.pg_database d WHERE d.datname = $1`,
      [database],
    );
    if (typeof pub === "string" || pub.length === 0) {
      out.push(
        typeof pub === "string"
          ? cannot(
              "db-public-connect",
              `the database's privileges cannot be read: ${sessions.clean(pub)}`,
              at,
            )
          : fail("db-public-connect", `database "${database}" does not exist`, {
              ...at,
              fix: "Run zt-postgres db apply after the component has created the database.",
            }),
      );
    } else {
      const granted = [pub[0].connect ? "CONNECT" : "", pub[0].temp ? "TEMPORARY" : ""].filter(Boolean);
      out.push(
        granted.length === 0
          ? ok("db-public-connect", `PUBLIC has neither CONNECT nor TEMPORARY on "${database}"`, at)
          : fail("db-public-connect", `PUBLIC has ${granted.join(" and ")} on "${database}"`, at),
      );
    }
    let dbClient: Client;
    try {
      dbClient = await sessions.get(database);
    } catch (err) {
      out.push(cannot("db-public-schema-create", sessions.clean((err as Error).message), at));
      continue;
    }
    const schema = await read(
      dbClient,
      "SELECT pg_catalog.has_schema_privilege('public', n.oid, 'CREATE') AS create FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public'",
    );
    if (typeof schema === "string") {
      out.push(
        cannot("db-public-schema-create", `schema public cannot be read: ${sessions.clean(schema)}`, at),
      );
    } else if (schema.length === 0) {
      out.push(ok("db-public-schema-create", `"${database}" has no schema public`, at));
    } else {
      out.push(
        schema[0].create
          ? fail("db-public-schema-create", `PUBLIC may CREATE in schema public of "${database}"`, at)
          : ok("db-public-schema-create", `PUBLIC may not CREATE in schema public of "${database}"`, at),
      );
    }
  }
  return out;
}

/** SQL: is role `r` exempt (Azure's own, pg_*, or an administrator) — unless the plan names it. */
const EXEMPT = `(r.rolname = ANY ($1) OR r.rolname ~ '^pg_' OR r.oid = 10
   OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles a WHERE a.rolname = 'azure_pg_admin' AND pg_catalog.pg_has_role(r.oid, a.oid, 'MEMBER')))
   AND r.rolname <> ALL ($2)`;

async function roleChecks(sessions: Sessions, plan: Plan | undefined): Promise<Finding[]> {
  const c = await sessions.get();
  const out: Finding[] = [];
  const planned = plan ? plan.principals.map((p) => p.role) : [];
  const attrs = await read(
    c,
    `SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls
       FROM pg_catalog.pg_roles r
      WHERE NOT (${EXEMPT}) AND (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
      ORDER BY r.rolname`,
    [AZURE_OWN_ROLES, planned],
  );
  if (typeof attrs === "string") {
    out.push(cannot("db-role-attributes", `pg_roles cannot be read: ${sessions.clean(attrs)}`));
  } else if (attrs.length === 0) {
    out.push(
      ok(
        "db-role-attributes",
        "no role outside Azure's own and the administrators has SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS",
      ),
    );
  } else {
    for (const r of attrs) {
      const names = (["SUPERUSER", "CREATEROLE", "CREATEDB", "REPLICATION", "BYPASSRLS"] as const).filter(
        (_, i) => r[["rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls"][i]],
      );
      out.push(
        fail("db-role-attributes", `role "${String(r.rolname)}" has ${names.join(", ")}`, {
          subject: String(r.rolname),
        }),
      );
    }
  }
  const members = await read(
    c,
    `SELECT r.rolname AS member, g.rolname AS granted
       FROM pg_catalog.pg_roles r, pg_catalog.pg_roles g
      WHERE NOT (${EXEMPT}) AND (g.rolname = ANY ($3) OR (g.rolname = 'azure_pg_admin' AND r.rolname = ANY ($2)))
        AND pg_catalog.pg_has_role(r.oid, g.oid, 'MEMBER')
      ORDER BY 1, 2`,
    [AZURE_OWN_ROLES, planned, BYPASS_ROLES],
  );
  if (typeof members === "string") {
    out.push(cannot("db-role-memberships", `role memberships cannot be read: ${sessions.clean(members)}`));
  } else if (members.length === 0) {
    out.push(
      ok(
        "db-role-memberships",
        `no role outside Azure's own and the administrators is a member of ${BYPASS_ROLES.join(", ")}`,
      ),
    );
  } else {
    for (const m of members) {
      out.push(
        fail("db-role-memberships", `role "${String(m.member)}" is a member of ${String(m.granted)}`, {
          subject: String(m.member),
          fix: `REVOKE ${String(m.granted)} FROM "${String(m.member)}"; (or from the role it inherits it through)`,
        }),
      );
    }
  }
  return out;
}

const TABLE_PRIVS = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
const SEQ_PRIVS = ["USAGE", "SELECT", "UPDATE"];
const DML = ["DELETE", "INSERT", "SELECT", "UPDATE"];

/** What each access level may do in its schema; elsewhere a principal may do what PUBLIC may. */
const EXPECTED: Record<AccessLevel, { db: string[]; schema: string[]; table: string[]; sequence: string[] }> =
  {
    admin: {
      db: ["CONNECT"],
      schema: ["CREATE", "USAGE"],
      table: DML,
      sequence: ["SELECT", "UPDATE", "USAGE"],
    },
    writer: { db: ["CONNECT"], schema: ["USAGE"], table: DML, sequence: ["SELECT", "UPDATE", "USAGE"] },
    reader: { db: ["CONNECT"], schema: ["USAGE"], table: ["SELECT"], sequence: [] },
  };

const privList = (kinds: string[], fn: string, who: string, what: string) =>
  `array_to_string(ARRAY(SELECT p FROM unnest(ARRAY[${kinds.map((k) => `'${k}'`).join(",")}]) p WHERE pg_catalog.${fn}(${who}, ${what}, p) ORDER BY p), ',')`;

async function personaChecks(sessions: Sessions, plan: Plan): Promise<Finding[]> {
  const out: Finding[] = [];
  const c = await sessions.get();
  const allDatabases = plan.databases.map((d) => d.database);
  for (const db of plan.databases) {
    const at = { database: db.database };
    const levelOf = new Map<string, AccessLevel>(
      (Object.entries(db.roles) as [AccessLevel, string][]).map(([level, role]) => [role, level]),
    );
    const principals = plan.principals.filter((p) => levelOf.has(p.accessRole));
    let dbc: Client;
    try {
      dbc = await sessions.get(db.database);
    } catch (err) {
      out.push(cannot("db-persona-access", sessions.clean((err as Error).message), at));
      out.push(cannot("db-default-privileges", sessions.clean((err as Error).message), at));
      continue;
    }
    const failures: Finding[] = [];
    // Access roles: present, NOLOGIN, and members only from the plan (administrators aside).
    const roleRows = await read(
      c,
      `SELECT g.rolname, g.rolcanlogin,
              ARRAY(SELECT m.rolname FROM pg_catalog.pg_auth_members am JOIN pg_catalog.pg_roles m ON m.oid = am.member
                     WHERE am.roleid = g.oid AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles a
                       WHERE a.rolname = 'azure_pg_admin' AND pg_catalog.pg_has_role(m.oid, a.oid, 'MEMBER')
                         AND m.rolname <> ALL ($2))
                     ORDER BY 1)::text[] AS members
         FROM pg_catalog.pg_roles g WHERE g.rolname = ANY ($1)`,
      [Object.values(db.roles), principals.map((p) => p.role)],
    );
    if (typeof roleRows === "string") {
      out.push(cannot("db-persona-access", `roles cannot be read: ${sessions.clean(roleRows)}`, at));
      continue;
    }
    const byName = new Map(roleRows.map((r) => [String(r.rolname), r]));
    for (const [level, role] of Object.entries(db.roles)) {
      const r = byName.get(role);
      if (!r) {
        failures.push(
          fail("db-persona-access", `access role "${role}" (${level}) does not exist`, {
            ...at,
            subject: role,
            fix: "Run zt-postgres db apply.",
          }),
        );
        continue;
      }
      if (r.rolcanlogin)
        failures.push(
          fail("db-persona-access", `access role "${role}" can log in`, {
            ...at,
            subject: role,
            fix: `ALTER ROLE "${role}" NOLOGIN;`,
          }),
        );
      const expected = new Set(principals.filter((p) => p.accessRole === role).map((p) => p.role));
      for (const m of r.members as string[]) {
        if (!expected.has(m)) {
          failures.push(
            fail(
              "db-persona-access",
              `role "${m}" is a member of access role "${role}" but the plan does not give it ${level} access`,
              { ...at, subject: m, fix: `REVOKE "${role}" FROM "${m}";` },
            ),
          );
        }
      }
    }
    // Each principal: exists, exactly one membership, exactly its level's privileges.
    for (const p of principals) {
      const level = levelOf.get(p.accessRole)!;
      const want = EXPECTED[level];
      const who = "$1::text";
      const subject = { ...at, subject: p.role };
      const exists = await read(dbc, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [p.role]);
      if (typeof exists !== "string" && exists.length === 0) {
        failures.push(
          fail("db-persona-access", `role "${p.role}" does not exist`, {
            ...subject,
            fix: "Run zt-postgres db apply.",
          }),
        );
        continue;
      }
      const rows = await read(
        dbc,
        `SELECT
           ARRAY(SELECT g.rolname FROM pg_catalog.pg_auth_members am JOIN pg_catalog.pg_roles g ON g.oid = am.roleid
                   JOIN pg_catalog.pg_roles m ON m.oid = am.member WHERE m.rolname = $1::text ORDER BY 1)::text[] AS member_of,
           ARRAY(SELECT d.datname || '=' || ${privList(["CONNECT", "CREATE", "TEMPORARY"], "has_database_privilege", who, "d.oid")}
                   FROM pg_catalog.pg_database d WHERE d.datname = ANY ($2) ORDER BY 1) AS databases,
           ARRAY(SELECT n.nspname || '=' || ${privList(["CREATE", "USAGE"], "has_schema_privilege", who, "n.oid")}
                     || '|' || ${privList(["CREATE", "USAGE"], "has_schema_privilege", "'public'", "n.oid")}
                   FROM pg_catalog.pg_namespace n
                  WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1) AS schemas,
           ARRAY(SELECT n.nspname || '.' || c.relname || '=' || ${privList(TABLE_PRIVS, "has_table_privilege", who, "c.oid")}
                     || '|' || ${privList(TABLE_PRIVS, "has_table_privilege", "'public'", "c.oid")}
                     || '|' || pg_catalog.pg_get_userbyid(c.relowner)
                   FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                  ORDER BY 1) AS tables,
           ARRAY(SELECT n.nspname || '.' || c.relname || '=' || ${privList(SEQ_PRIVS, "has_sequence_privilege", who, "c.oid")}
                     || '|' || ${privList(SEQ_PRIVS, "has_sequence_privilege", "'public'", "c.oid")}
                   FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind = 'S' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                  ORDER BY 1) AS sequences`,
        [p.role, allDatabases],
      );
      if (typeof rows === "string") {
        failures.push(
          cannot(
            "db-persona-access",
            `privileges of "${p.role}" cannot be read: ${sessions.clean(rows)}`,
            subject,
          ),
        );
        continue;
      }
      const row = rows[0];
      const problems: string[] = [];
      const memberOf = row.member_of as string[];
      if (memberOf.length !== 1 || memberOf[0] !== p.accessRole) {
        problems.push(
          `is a member of ${memberOf.length ? memberOf.map((m) => `"${m}"`).join(", ") : "no role"}, expected exactly "${p.accessRole}"`,
        );
      }
      const set = (s: string) => (s === "" ? [] : s.split(","));
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
      for (const entry of row.databases as string[]) {
        const [name, privs] = [
          entry.slice(0, entry.lastIndexOf("=")),
          set(entry.slice(entry.lastIndexOf("=") + 1)),
        ];
        const expected = name === db.database ? want.db : [];
        if (!same(privs, expected))
          problems.push(`has [${privs.join(",")}] on database "${name}", expected [${expected.join(",")}]`);
      }
      for (const entry of row.schemas as string[]) {
        const eq = entry.lastIndexOf("=");
        const [name, rest] = [entry.slice(0, eq), entry.slice(eq + 1)];
        const [mine, pub] = rest.split("|").map(set);
        const expected = name === db.schema ? want.schema : pub;
        if (!same(mine, expected))
          problems.push(`has [${mine.join(",")}] on schema "${name}", expected [${expected.join(",")}]`);
      }
      for (const entry of row.tables as string[]) {
        const eq = entry.lastIndexOf("=");
        const [name, rest] = [entry.slice(0, eq), entry.slice(eq + 1)];
        const [mineS, pubS, owner] = rest.split("|");
        const [mine, pub] = [set(mineS), set(pubS)];
        const inSchema = name.startsWith(`${db.schema}.`);
        // The admin role owns what admins create, so it holds every table privilege there.
        const expected = !inSchema
          ? pub
          : level === "admin" && owner === db.roles.admin
            ? TABLE_PRIVS
            : want.table;
        if (!same(mine, expected))
          problems.push(
            `has [${mine.sort().join(",")}] on table "${name}", expected [${[...expected].sort().join(",")}]`,
          );
      }
      for (const entry of row.sequences as string[]) {
        const eq = entry.lastIndexOf("=");
        const [name, rest] = [entry.slice(0, eq), entry.slice(eq + 1)];
        const [mine, pub] = rest.split("|").map(set);
        const expected = name.startsWith(`${db.schema}.`) ? want.sequence : pub;
        if (!same(mine, expected))
          problems.push(`has [${mine.join(",")}] on sequence "${name}", expected [${expected.join(",")}]`);
      }
      if (problems.length > 0) {
        failures.push(fail("db-persona-access", `"${p.role}" (${level}) ${problems.join("; ")}`, subject));
      }
    }
    out.push(
      ...(failures.length > 0
        ? failures
        : [
            ok(
              "db-persona-access",
              `${principals.length} principals have exactly their declared access in "${db.database}"`,
              at,
            ),
          ]),
    );
    out.push(await defaultPrivileges(sessions, dbc, db));
  }
  return out;
}

async function defaultPrivileges(sessions: Sessions, dbc: Client, db: PlanDatabase): Promise<Finding> {
  const at = { database: db.database };
  const rows = await read(
    dbc,
    `SELECT d.defaclobjtype AS kind, pg_catalog.pg_get_userbyid(a.grantee) AS grantee, a.grantee = 0 AS public, a.privilege_type AS priv
       FROM pg_catalog.pg_default_acl d JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,
            LATERAL pg_catalog.aclexplode(d.defaclacl) a
      WHERE pg_catalog.pg_get_userbyid(d.defaclrole) = $1 AND n.nspname = $2`,
    [db.roles.admin, db.schema],
  );
  if (typeof rows === "string")
    return cannot("db-default-privileges", `pg_default_acl cannot be read: ${sessions.clean(rows)}`, at);
  const got = new Set(
    rows.map((r) => `${String(r.kind)}:${r.public ? "PUBLIC" : String(r.grantee)}:${String(r.priv)}`),
  );
  const want = [
    ...DML.map((p) => `r:${db.roles.writer}:${p}`),
    ...SEQ_PRIVS.map((p) => `S:${db.roles.writer}:${p}`),
    `r:${db.roles.reader}:SELECT`,
  ];
  const missing = want.filter((w) => !got.has(w));
  const extra = [...got].filter((g) => !want.includes(g));
  if (missing.length === 0 && extra.length === 0) {
    return ok(
      "db-default-privileges",
      `tables and sequences "${db.roles.admin}" creates in "${db.schema}" go to the writer and reader roles`,
      at,
    );
  }
  const show = (xs: string[]) =>
    xs.map((x) => x.replace(/^r:/, "tables: ").replace(/^S:/, "sequences: ")).join("; ");
  return fail(
    "db-default-privileges",
    [missing.length ? `missing ${show(missing)}` : "", extra.length ? `unexpected ${show(extra)}` : ""]
      .filter(Boolean)
      .join("; ") + ` (default privileges of "${db.roles.admin}" in schema "${db.schema}")`,
    at,
  );
}

async function azureChecks(sessions: Sessions, plan: Plan | undefined): Promise<Finding[]> {
  const maintenance =
    plan?.steps.find((s) => s.sql.includes("pgaadauth_create_principal_with_oid"))?.database ?? "postgres";
  const onAzureHost = /\.postgres\.database\.(azure\.com|chinacloudapi\.cn|usgovcloudapi\.net)$/i.test(
    sessions.connection.host,
  );
  let c: Client;
  try {
    c = await sessions.get(maintenance);
  } catch (err) {
    const seen = sessions.clean((err as Error).message);
    return [cannot("db-no-password-logins", seen), ...(plan ? [cannot("db-entra-principals", seen)] : [])];
  }
  const has = await read(
    c,
    "SELECT pg_catalog.to_regprocedure('pg_catalog.pgaadauth_list_principals(boolean)') IS NOT NULL AS present",
  );
  const present = typeof has !== "string" && has[0]?.present === true;
  if (!present) {
    const seen = `pgaadauth_list_principals does not exist in database "${maintenance}": not an Azure server with Microsoft Entra authentication`;
    if (onAzureHost) {
      return [cannot("db-no-password-logins", seen), ...(plan ? [cannot("db-entra-principals", seen)] : [])];
    }
    return [
      notApplicable("db-no-password-logins", seen),
      ...(plan ? [notApplicable("db-entra-principals", seen)] : []),
    ];
  }
  const out: Finding[] = [];
  const list = await read(c, "SELECT * FROM pg_catalog.pgaadauth_list_principals(false)");
  if (typeof list === "string") {
    const seen = `pgaadauth_list_principals cannot be called: ${sessions.clean(list)}`;
    return [cannot("db-no-password-logins", seen), ...(plan ? [cannot("db-entra-principals", seen)] : [])];
  }
  const principals = new Map(
    list.map((r) => [
      String(r.rolename),
      {
        objectId: String(r.objectid ?? "").toLowerCase(),
        type: String(r.principaltype ?? ""),
        mfa: Number(r.ismfa) === 1,
      },
    ]),
  );
  if (plan) {
    const bad: Finding[] = [];
    for (const p of plan.principals) {
      const e = principals.get(p.role);
      if (!e) {
        bad.push(
          fail("db-entra-principals", `role "${p.role}" is not a Microsoft Entra principal`, {
            subject: p.role,
          }),
        );
      } else if (p.objectId && e.objectId !== p.objectId.toLowerCase()) {
        bad.push(
          fail(
            "db-entra-principals",
            `role "${p.role}" is bound to object id ${e.objectId}, the plan says ${p.objectId}`,
            { subject: p.role },
          ),
        );
      } else if (p.principalType && e.type !== p.principalType) {
        bad.push(
          fail(
            "db-entra-principals",
            `role "${p.role}" is an Entra ${e.type}, the plan says ${p.principalType}`,
            { subject: p.role },
          ),
        );
      } else if (p.requireMfa && !e.mfa) {
        bad.push(
          fail(
            "db-entra-principals",
            `role "${p.role}" does not require MFA (isMfa 0), the plan says it must`,
            {
              subject: p.role,
              fix: "Drop the role and run zt-postgres db apply, which creates it with pgaadauth_create_principal_with_oid(..., isMfa => true).",
            },
          ),
        );
      }
    }
    out.push(
      ...(bad.length
        ? bad
        : [
            ok(
              "db-entra-principals",
              `${plan.principals.length} principals are Entra principals with their object ids`,
            ),
          ]),
    );
  }
  const logins = await read(
    c,
    "SELECT rolname FROM pg_catalog.pg_roles WHERE rolcanlogin AND rolname <> ALL ($1) AND rolname !~ '^pg_' AND oid <> 10 ORDER BY 1",
    [["azuresu", "replication"]],
  );
  if (typeof logins === "string") {
    out.push(cannot("db-no-password-logins", `pg_roles cannot be read: ${sessions.clean(logins)}`));
  } else {
    const pw = logins.map((r) => String(r.rolname)).filter((r) => !principals.has(r));
    out.push(
      ...(pw.length === 0
        ? [
            ok(
              "db-no-password-logins",
              `every login role is a Microsoft Entra principal (${logins.length} login roles)`,
            ),
          ]
        : pw.map((r) =>
            fail("db-no-password-logins", `role "${r}" can log in and is not a Microsoft Entra principal`, {
              subject: r,
            }),
          )),
    );
  }
  return out;
}

/** Runs every check. Connection failures of the first session are bad input (thrown); later ones are findings. */
export async function runVerify(sessions: Sessions, options: VerifyOptions): Promise<VerifyResult> {
  await sessions.get();
  const findings: Finding[] = [...(await serverChecks(sessions, options.tlsFloor))];
  const databases = await applicationDatabases(sessions, options.plan);
  if (typeof databases === "string") {
    findings.push(
      cannot("db-public-connect", `the databases cannot be listed: ${sessions.clean(databases)}`),
    );
  } else {
    findings.push(...(await databaseChecks(sessions, databases)));
  }
  findings.push(...(await roleChecks(sessions, options.plan)));
  if (options.plan) findings.push(...(await personaChecks(sessions, options.plan)));
  findings.push(...(await azureChecks(sessions, options.plan)));
  const counts: Record<Status, number> = { pass: 0, fail: 0, "cannot-verify": 0, "not-applicable": 0 };
  for (const f of findings) counts[f.status]++;
  return {
    target: describe(sessions.connection),
    tlsFloor: options.tlsFloor,
    passed: counts.fail === 0 && counts["cannot-verify"] === 0,
    counts,
    findings,
  };
}
