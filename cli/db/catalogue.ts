// The checks of `zt-postgres db verify`: one entry each, with what it proves and how to fix a failure.
// Reports (text, JSON, SARIF) take titles and fixes from here.

/** Outcome of one finding. `cannot-verify` is never a pass: the fact could not be read. */
export type Status = "pass" | "fail" | "cannot-verify" | "not-applicable";

export interface CheckInfo {
  title: string;
  description: string;
  fix: string;
  /** Only on Azure (needs pgaadauth); elsewhere the check is not applicable. */
  azureOnly?: true;
  /** Only with --plan. */
  needsPlan?: true;
}

export const CHECKS = {
  "db-tls-session": {
    title: "Session uses TLS at or above the floor",
    description: "The verifying session itself is encrypted with TLS at or above the minimum version.",
    fix: "Connect with sslmode=verify-full and set the ssl_min_protocol_version server parameter to the floor.",
  },
  "db-tls-required": {
    title: "Plaintext connections are refused",
    description:
      "require_secure_transport is on (Azure), and the server refuses a plaintext connection attempt before authentication.",
    fix: "Set the require_secure_transport server parameter to on (self-hosted: hostssl lines and `hostnossl all all all reject` in pg_hba.conf).",
  },
  "db-tls-min-version": {
    title: "ssl_min_protocol_version at or above the floor",
    description: "The server refuses TLS versions below the floor.",
    fix: "Set the ssl_min_protocol_version server parameter to the floor or newer.",
  },
  "db-pgaudit-preloaded": {
    title: "pgaudit in shared_preload_libraries",
    description: "shared_preload_libraries lists pgaudit.",
    fix: "Add pgaudit to the shared_preload_libraries server parameter (and to azure.extensions), then restart the server.",
  },
  "db-pgaudit-loaded": {
    title: "pgaudit is loaded",
    description:
      "The running server has loaded the pgaudit library (its settings are defined, not placeholders).",
    fix: "Restart the server after adding pgaudit to shared_preload_libraries.",
  },
  "db-no-pending-restart": {
    title: "No restart pending",
    description:
      "No setting waits for a restart (pg_settings.pending_restart), so what is configured is what runs.",
    fix: "Restart the server (az postgres flexible-server restart) so the pending settings take effect.",
  },
  "db-pgaudit-log": {
    title: "pgaudit.log covers role and ddl",
    description: "The audit classes in effect include role (GRANT, REVOKE, CREATE/ALTER/DROP ROLE) and ddl.",
    fix: 'Set the pgaudit.log server parameter to include role and ddl, e.g. "role,ddl,misc".',
  },
  "db-connection-logging": {
    title: "Connection logging on",
    description: "log_connections is on, so every sign-in is in the server log.",
    fix: "Set the log_connections server parameter to on.",
  },
  "db-public-connect": {
    title: "PUBLIC cannot connect to the application database",
    description: "The application database grants neither CONNECT nor TEMPORARY to PUBLIC.",
    fix: 'Run `REVOKE ALL ON DATABASE "<db>" FROM PUBLIC;` as the database owner (zt-postgres db apply does).',
  },
  "db-public-schema-create": {
    title: "PUBLIC cannot create in schema public",
    description: "PUBLIC has no CREATE on the public schema of the application database.",
    fix: "Run `REVOKE CREATE ON SCHEMA public FROM PUBLIC;` in the database (zt-postgres db apply does).",
  },
  "db-role-attributes": {
    title: "No powerful attributes outside the administrators",
    description:
      "No role but Azure's own and the administrators (members of azure_pg_admin) has SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS.",
    fix: "ALTER ROLE <role> NOCREATEROLE NOCREATEDB as an administrator; SUPERUSER, REPLICATION and BYPASSRLS need Azure support or dropping the role.",
  },
  "db-role-memberships": {
    title: "No membership of roles that bypass grants",
    description:
      "No role but Azure's own and the administrators is a member of pg_read_all_data, pg_write_all_data or the server-file roles (or, for the plan's principals, azure_pg_admin).",
    fix: "REVOKE <role> FROM <member>;",
  },
  "db-persona-access": {
    title: "Each persona and workload has exactly its declared access",
    description:
      "With --plan: each principal exists, is a member of exactly its access role, and has exactly that level's privileges on the databases, schemas, tables and sequences; the access roles have no other members.",
    fix: "Revoke the extra grant or membership (REVOKE ... FROM <role>), then run zt-postgres db apply.",
    needsPlan: true,
  },
  "db-default-privileges": {
    title: "Default privileges in place",
    description:
      "With --plan: tables and sequences the admin role creates later are granted to the writer and reader roles, and to nobody else.",
    fix: "Run zt-postgres db apply; remove other entries with ALTER DEFAULT PRIVILEGES ... REVOKE.",
    needsPlan: true,
  },
  "db-entra-principals": {
    title: "Principals are Microsoft Entra principals",
    description:
      "Azure only: each principal of the plan is listed by pgaadauth_list_principals with its object id and type.",
    fix: "Drop the role and run zt-postgres db apply, which creates it with pgaadauth_create_principal_with_oid.",
    azureOnly: true,
    needsPlan: true,
  },
  "db-no-password-logins": {
    title: "No password login roles",
    description:
      "Azure only: every role that can log in is a Microsoft Entra principal (pgaadauth_list_principals), except Azure's own azuresu and replication.",
    fix: "Drop the role (or ALTER ROLE ... NOLOGIN) and give the person or workload an Entra identity; turn password authentication off on the server.",
    azureOnly: true,
  },
} as const satisfies Record<string, CheckInfo>;

export type CheckId = keyof typeof CHECKS;

/** One finding: a check's outcome for one subject (the server, a database, a role). */
export interface Finding {
  check: CheckId;
  status: Status;
  /** The database the finding is about, when it is about one. */
  database?: string;
  /** The role or setting the finding is about. */
  subject?: string;
  /** What was seen. */
  seen: string;
  /** How to fix it (empty for a pass). */
  fix: string;
}
