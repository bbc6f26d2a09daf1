// What Azure sets up on a flexible server before anyone signs in, rebuilt on the throw-away cluster
// for `zt-postgres db` tests. The bootstrap superuser `azuresu` plays the platform.
//
// - `azure_pg_admin`: NOLOGIN, no attributes, and member of exactly the predefined roles Azure grants
//   it that exist in PostgreSQL 15. Microsoft Learn names the role and says the administrator is a
//   member of it and not a superuser ("Access management",
//   https://learn.microsoft.com/azure/postgresql/security/security-access-control, read 2026-11-30; the
//   training module "Describe built-in Azure Database for PostgreSQL server roles",
//   https://learn.microsoft.com/training/modules/secure-azure-database-for-postgresql/3-describe-built-server-roles,
//   lists pg_read_all_settings and pg_monitor among the predefined roles in play). Microsoft does not
//   publish the grant list itself; the list below is what `pg_dumpall --roles-only` shows on an Azure
//   server ("GRANT pg_monitor TO azure_pg_admin WITH ADMIN OPTION ... GRANTED BY azuresu" and so on):
//   pg_checkpoint, pg_monitor, pg_read_all_data, pg_read_all_settings, pg_read_all_stats,
//   pg_signal_backend, pg_stat_scan_tables (plus pg_create_subscription, PostgreSQL 16+ only). No more:
//   in particular not pg_write_all_data, the server-file roles or pg_hba_file_rules().
// - The Entra administrator: LOGIN CREATEROLE CREATEDB, member of azure_pg_admin, not a superuser
//   (what pgaadauth_create_principal(..., isAdmin => true) gives: Microsoft Learn, "Manage Microsoft
//   Entra roles", https://learn.microsoft.com/azure/postgresql/security/security-manage-entra-users).
// - Stand-ins of pgaadauth_create_principal_with_oid (creates a LOGIN role and records the object id
//   and type in its comment, with the caller's rights) and pgaadauth_list_principals(isAdminValue),
//   which returns Azure's documented columns (rolename, principalType, objectId, tenantId, isMfa,
//   isAdmin) from those comments. Both live in `postgres` only, as on Azure.
// - Databases owned by azure_pg_admin, with pgaudit created (on Azure: allow-listed, then created).

import { quoteIdent, quoteLiteral } from "../../../components/postgres/sql";
import type { TestCluster } from "./cluster";

/** The predefined roles Azure makes azure_pg_admin a member of (PostgreSQL 15 subset; see above). */
export const AZURE_PG_ADMIN_MEMBERSHIPS = [
  "pg_checkpoint",
  "pg_monitor",
  "pg_read_all_data",
  "pg_read_all_settings",
  "pg_read_all_stats",
  "pg_signal_backend",
  "pg_stat_scan_tables",
] as const;

/**
 * Stand-in of Azure's pgaadauth_create_principal_with_oid (same signature): creates a LOGIN role with
 * the caller's rights and records the object id and type in the role's comment.
 */
export const CREATE_PRINCIPAL = `
CREATE FUNCTION pg_catalog.pgaadauth_create_principal_with_oid(
  rolename text, objectid text, objecttype text, isadmin boolean, ismfa boolean)
RETURNS text LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  IF objecttype NOT IN ('user', 'group', 'service') THEN
    RAISE EXCEPTION 'objecttype must be user, group or service, got %', objecttype;
  END IF;
  IF objectid !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RAISE EXCEPTION 'objectid must be a GUID, got %', objectid;
  END IF;
  EXECUTE format('CREATE ROLE %I LOGIN', rolename);
  EXECUTE format('COMMENT ON ROLE %I IS %L', rolename,
    format('entra:%s:%s:admin=%s:mfa=%s', objecttype, objectid, isadmin::text, ismfa::text));
  IF isadmin THEN EXECUTE format('GRANT azure_pg_admin TO %I', rolename); END IF;
  RETURN format('Created role for "%s"', rolename);
END $$`;

const LIST_PRINCIPALS = `
CREATE FUNCTION pg_catalog.pgaadauth_list_principals(isadminvalue boolean)
RETURNS TABLE(rolename name, principaltype text, objectid text, tenantid text, ismfa integer, isadmin integer)
LANGUAGE sql STABLE SECURITY INVOKER AS $$
  SELECT r.rolname, split_part(c.d, ':', 2), split_part(c.d, ':', 3), '00000000-0000-0000-0000-0000000000aa',
         (split_part(c.d, ':', 5) = 'mfa=true')::int, (split_part(c.d, ':', 4) = 'admin=true')::int
    FROM pg_catalog.pg_roles r, LATERAL (SELECT pg_catalog.shobj_description(r.oid, 'pg_authid') AS d) c
   WHERE c.d LIKE 'entra:%' AND (NOT isadminvalue OR split_part(c.d, ':', 4) = 'admin=true')
$$`;

export interface AzureStandIn {
  entraAdmin: string;
  entraAdminPassword: string;
}

/** Sets up the platform's roles, functions and databases; returns the Entra administrator's login. */
export async function setUpAzureStandIn(cluster: TestCluster, databases: string[]): Promise<AzureStandIn> {
  const entraAdmin = "Platform DBAs";
  const entraAdminPassword = `entra-${Math.random().toString(36).slice(2)}-token`;
  await cluster.asSuperuser("postgres", async (c) => {
    await c.query("CREATE ROLE azure_pg_admin NOLOGIN");
    for (const r of AZURE_PG_ADMIN_MEMBERSHIPS) await c.query(`GRANT ${r} TO azure_pg_admin`);
    await c.query(CREATE_PRINCIPAL);
    await c.query(LIST_PRINCIPALS);
    for (const f of [
      "pgaadauth_create_principal_with_oid(text, text, text, boolean, boolean)",
      "pgaadauth_list_principals(boolean)",
    ]) {
      await c.query(`REVOKE EXECUTE ON FUNCTION pg_catalog.${f} FROM PUBLIC`);
      await c.query(`GRANT EXECUTE ON FUNCTION pg_catalog.${f} TO azure_pg_admin`);
    }
    await c.query(
      `SELECT pg_catalog.pgaadauth_create_principal_with_oid($1, 'a0a0a0a0-0000-4000-8000-000000000001', 'group', true, true)`,
      [entraAdmin],
    );
    await c.query(`ALTER ROLE ${quoteIdent(entraAdmin)} CREATEROLE CREATEDB`);
    // The test-only password stands in for an Entra token, which only Azure can validate.
    await c.query(`ALTER ROLE ${quoteIdent(entraAdmin)} PASSWORD ${quoteLiteral(entraAdminPassword)}`);
    for (const db of databases) await c.query(`CREATE DATABASE ${quoteIdent(db)} OWNER azure_pg_admin`);
  });
  for (const db of databases) await cluster.asSuperuser(db, (c) => c.query("CREATE EXTENSION pgaudit"));
  return { entraAdmin, entraAdminPassword };
}
