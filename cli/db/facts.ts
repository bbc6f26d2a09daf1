// The facts verify judges by, taken from the rule catalogue's thresholds rather than restated: the TLS
// floors of `postgres-tls-min-version` (and its default) with their order, the pgaudit classes
// `postgres-pgaudit-enabled` requires and how pgaudit computes a `pgaudit.log` value's effective
// classes; and the roles the bootstrap script forbids.

import { FORBIDDEN_MEMBERSHIPS } from "../../components/postgres/sql";
import {
  DEFAULT_TLS_VERSION,
  TLS_RANK,
  TLS_VERSIONS,
  missingPgauditClasses,
} from "../../policies/rules/thresholds";

/** TLS floors verify accepts: the rule's. */
export const TLS_FLOORS: readonly string[] = TLS_VERSIONS;
/** The rule's default floor. */
export const DEFAULT_TLS_FLOOR: string = DEFAULT_TLS_VERSION;

/** The order of a TLS version name (`TLSv1.2` → 2, `TLSv1` → 0), from the rules; undefined if unknown. */
export function tlsRank(version: string | null | undefined): number | undefined {
  return TLS_RANK.get((version ?? "").trim().toLowerCase());
}

/**
 * The classes `postgres-pgaudit-enabled` requires (role, ddl) that a `pgaudit.log` value leaves out, with
 * its effective classes computed as pgaudit does (`all`, `-class`).
 */
export function missingAuditClasses(value: string): string[] {
  return missingPgauditClasses(value);
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
