// The facts verify judges by, taken from the rule catalogue and the component rather than restated:
// the TLS floors the `postgres-tls-min-version` rule accepts (and its default), the pgaudit classes the
// component knows, and the roles the bootstrap script forbids.

import { FORBIDDEN_MEMBERSHIPS } from "../../components/postgres/sql";
import { PGAUDIT_LOG_CLASSES } from "../../components/postgres/parameters";
import { tlsMinVersion } from "../../policies/rules/parameters";

/** TLS floors verify accepts, from the rule's config schema. */
export const TLS_FLOORS = tlsMinVersion.config.minimumVersion.enum as readonly string[];
/** The rule's default floor. */
export const DEFAULT_TLS_FLOOR = tlsMinVersion.config.minimumVersion.default as string;

/** `TLSv1.2` → 1.2, `TLSv1` → 1.0; undefined for anything else. */
export function tlsRank(version: string | null | undefined): number | undefined {
  const m = /^TLSv(\d)(?:\.(\d))?$/i.exec((version ?? "").trim());
  return m ? Number(`${m[1]}.${m[2] ?? "0"}`) : undefined;
}

/** The classes pgaudit.log must cover for the role and privilege trail. */
export const REQUIRED_PGAUDIT_CLASSES = ["role", "ddl"] as const;

/**
 * The classes a `pgaudit.log` value turns on: a comma list where `all` means every class and `-class`
 * removes one (pgaudit README, "pgaudit.log": https://github.com/pgaudit/pgaudit#pgauditlog, read
 * 2026-11-30). `none` and unknown words add nothing.
 */
export function effectivePgauditClasses(value: string): Set<string> {
  const all = PGAUDIT_LOG_CLASSES.filter((c) => c !== "all");
  const on = new Set<string>();
  for (const raw of value.split(",")) {
    const word = raw.trim().toLowerCase();
    const minus = word.startsWith("-");
    const name = minus ? word.slice(1).trim() : word;
    const names = name === "all" ? all : (all as readonly string[]).includes(name) ? [name] : [];
    for (const n of names) {
      if (minus) on.delete(n);
      else on.add(n);
    }
  }
  return on;
}

/** Memberships that bypass per-schema grants, from the bootstrap script's own list. */
export const BYPASS_ROLES = FORBIDDEN_MEMBERSHIPS.filter((r) => r !== "azure_pg_admin");

/**
 * Roles Azure itself keeps on a flexible server: `azuresu` (the platform's superuser), `azure_pg_admin`
 * (the administrators' group) and `replication` (a LOGIN REPLICATION role for Azure's replicas).
 * Microsoft Learn, "Access management" (https://learn.microsoft.com/azure/postgresql/security/security-access-control,
 * read 2026-11-30) names azure_pg_admin, azuresu and the administrator role; `replication` is seen in
 * `pg_dumpall --roles-only` of Azure servers (e.g. `CREATE ROLE replication; ALTER ROLE replication WITH
 * NOSUPERUSER ... LOGIN REPLICATION`).
 */
export const AZURE_OWN_ROLES = ["azuresu", "azure_pg_admin", "replication"] as const;

/** Databases Azure keeps for itself (not application databases). */
export const AZURE_OWN_DATABASES = ["postgres", "azure_maintenance", "azure_sys"] as const;
