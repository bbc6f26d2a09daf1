// Extensions and free-form server parameters: the door a team uses for `CREATE EXTENSION vector`,
// `pg_trgm`, `postgis`, or a tuning parameter, without a second, unguarded `Configuration` that would
// fight the component's own.
//
// - `extensions` join Azure's `azure.extensions` allow-list (pgaudit is always kept). An extension
//   whose library must be loaded at server start also joins `shared_preload_libraries`, which is a
//   static parameter: the restart handling that applies to pgaudit applies to it too.
// - `serverParameters` are merged into the component's serial write chain (one `Configuration` after
//   another; ServerBusy, bicep-registry-modules#4289).
// - A parameter that a rule guards cannot be weakened here: the rule's own check (or the dedicated
//   argument's validator) decides, with the same message. A parameter that has a dedicated argument is
//   refused here even when the value is compliant, so one value never has two sources.
//
// Pure: no Pulumi imports. Facts below cite the Microsoft Learn page they come from (read 2026-11-30).

import { evaluateResource } from "../../policies/rules";
import {
  validateLogRetentionDays,
  validateMinimumTlsVersion,
  validatePgauditLog,
  type ServerParameter,
} from "./parameters";
import type { ServerParameterArgs } from "./args";

export type { ServerParameterArgs };

/**
 * Extensions Azure Database for PostgreSQL flexible server offers, from "Extensions by name"
 * (https://learn.microsoft.com/azure/postgresql/extensions/concepts-extensions-versions, generated
 * include `extensions-table.md`, ms.date 06/08/2026, read 2026-11-30). `preload` names the library
 * the page marks "Enable corresponding libraries in the `shared_preload_libraries` parameter";
 * `minVersion`/`maxVersion` are the PostgreSQL majors the page lists as supported (12-18 otherwise).
 */
export const AZURE_EXTENSIONS: Readonly<
  Record<string, { preload?: string; minVersion?: number; maxVersion?: number }>
> = {
  address_standardizer: {},
  address_standardizer_data_us: {},
  age: { preload: "age", minVersion: 13 },
  amcheck: {},
  anon: { preload: "anon" },
  azure_ai: {},
  azure_storage: { preload: "azure_storage" },
  bloom: {},
  btree_gin: {},
  btree_gist: {},
  citext: {},
  credcheck: { preload: "credcheck", minVersion: 13 },
  cube: {},
  dblink: {},
  dict_int: {},
  dict_xsyn: {},
  earthdistance: {},
  fuzzystrmatch: {},
  hll: {},
  hstore: {},
  hypopg: {},
  intagg: {},
  intarray: {},
  ip4r: { minVersion: 13 },
  isn: {},
  lo: {},
  login_hook: {},
  ltree: {},
  oracle_fdw: {},
  orafce: {},
  pageinspect: {},
  pgaudit: { preload: "pgaudit" },
  pg_buffercache: {},
  pg_cron: { preload: "pg_cron" },
  pgcrypto: {},
  pg_diskann: { minVersion: 14 },
  pg_duckdb: { preload: "pg_duckdb", minVersion: 14 },
  pg_failover_slots: { preload: "pg_failover_slots", maxVersion: 16 },
  pg_freespacemap: {},
  pg_hint_plan: { preload: "pg_hint_plan" },
  pg_ivm: { preload: "pg_ivm", minVersion: 13 },
  pglogical: { preload: "pglogical" },
  // The page marks pg_partman too; its library is the background worker, pg_partman_bgw.
  pg_partman: { preload: "pg_partman_bgw" },
  pg_prewarm: { preload: "pg_prewarm" },
  pg_repack: {},
  pgrouting: {},
  pgrowlocks: {},
  pg_squeeze: { preload: "pg_squeeze" },
  pg_stat_statements: { preload: "pg_stat_statements" },
  pgstattuple: {},
  pg_trgm: {},
  pg_visibility: {},
  plpgsql: {},
  plv8: {},
  postgis: {},
  postgis_raster: {},
  postgis_sfcgal: {},
  postgis_tiger_geocoder: {},
  postgis_topology: {},
  postgres_fdw: {},
  postgres_protobuf: {},
  semver: {},
  session_variable: {},
  sslinfo: {},
  tablefunc: {},
  tdigest: {},
  tds_fdw: {},
  temporal_tables: { minVersion: 13 },
  timescaledb: { preload: "timescaledb" },
  topn: { minVersion: 13 },
  tsm_system_rows: {},
  tsm_system_time: {},
  unaccent: {},
  "uuid-ossp": {},
  vector: {},
};

/**
 * Modules: shared libraries with no SQL objects, loaded through `shared_preload_libraries` only and
 * never allow-listed ("Special considerations with extensions and modules",
 * https://learn.microsoft.com/azure/postgresql/extensions/concepts-extensions-considerations, read
 * 2026-11-30: "you don't need to allowlist modules"). Listed in `extensions` like any other name.
 */
export const AZURE_MODULES: readonly string[] = ["auto_explain", "pg_partman_bgw", "wal2json"];

/**
 * Parameters a user may set through `serverParameters` that take effect only at server start, so a
 * change goes through the same restart handling as `shared_preload_libraries` (restart.ts). Two
 * sources, read 2026-11-30:
 * - PostgreSQL's "postmaster" context ("can only be set at server start"), e.g.
 *   https://www.postgresql.org/docs/17/runtime-config-connection.html#GUC-MAX-CONNECTIONS and
 *   https://www.postgresql.org/docs/17/runtime-config-resource.html#GUC-SHARED-BUFFERS.
 * - Azure's customized parameters marked "Parameter type | static" for PostgreSQL 15-18
 *   (learn.microsoft.com/azure/postgresql/server-parameters, includes/param-1{5,6,7,8}-customized-options.md,
 *   ms.date 05/18/2026; the union over the versions: cron.timezone is static up to 17, so 18 restarts
 *   once more than it must).
 * A name not listed here is treated as dynamic.
 */
export const STATIC_SERVER_PARAMETERS: readonly string[] = [
  "max_connections",
  "shared_buffers",
  "huge_pages",
  "max_prepared_transactions",
  "max_locks_per_transaction",
  "max_pred_locks_per_transaction",
  "max_worker_processes",
  "max_wal_senders",
  "max_replication_slots",
  "max_logical_replication_workers",
  "wal_level",
  "wal_buffers",
  "track_activity_query_size",
  "azure_cdc.max_fabric_mirrors",
  "cron.database_name",
  "cron.log_run",
  "cron.log_statement",
  "cron.max_running_jobs",
  "cron.timezone",
  "duckdb.max_memory",
  "duckdb.max_workers_per_postgres_scan",
  "duckdb.memory_limit",
  "duckdb.threads",
  "duckdb.worker_threads",
  "pg_stat_statements.max",
];

/** The argument that owns each parameter the component sets itself; `serverParameters` may not set them. */
export const DEDICATED_PARAMETERS: Readonly<Record<string, string>> = {
  require_secure_transport: "(always on; no argument turns it off)",
  ssl_min_protocol_version: "minimumTlsVersion",
  "azure.extensions": "extensions",
  shared_preload_libraries: "extensions",
  "pgaudit.log": "monitoring.pgauditLog",
  "logfiles.retention_days": "monitoring.logRetentionDays",
  "logfiles.download_enable": "(always on with logfiles.retention_days)",
  log_connections: "(always on; no argument turns it off)",
  log_disconnections: "(always on; no argument turns it off)",
  log_checkpoints: "(always on; no argument turns it off)",
  "connection_throttle.enable": "(always on where the version has it)",
};

const PARAMETER_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const MAX_VALUE_LENGTH = 4096;

function quote(v: unknown): string {
  return JSON.stringify(v);
}

/**
 * Checks `extensions` for one PostgreSQL major version and returns the names in order, without
 * duplicates. Throws naming the field, the value and what is allowed.
 */
export function validateExtensions(
  names: readonly string[],
  version: string,
  field = "extensions",
): string[] {
  const major = Number(version);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const at = `${field}[${i}]`;
    if (typeof name !== "string" || !(name in AZURE_EXTENSIONS || AZURE_MODULES.includes(name))) {
      throw new Error(
        `\`${at}\` ${quote(name)} is not an extension or module Azure Database for PostgreSQL offers; use one of ${[...Object.keys(AZURE_EXTENSIONS), ...AZURE_MODULES].join(", ")}.`,
      );
    }
    const fact = AZURE_EXTENSIONS[name];
    if (fact?.minVersion !== undefined && major < fact.minVersion) {
      throw new Error(
        `\`${at}\` ${quote(name)} is not offered on PostgreSQL ${version}; use \`version\` ${fact.minVersion} or later, or drop the extension.`,
      );
    }
    if (fact?.maxVersion !== undefined && major > fact.maxVersion) {
      throw new Error(
        `\`${at}\` ${quote(name)} is not offered on PostgreSQL ${version}; it exists up to PostgreSQL ${fact.maxVersion}.`,
      );
    }
    if (seen.has(name)) throw new Error(`\`${at}\` ${quote(name)} is listed twice; list each name once.`);
    seen.add(name);
  });
  return [...seen];
}

/** The `azure.extensions` allow-list: pgaudit first (always kept), then the extensions in order (modules excluded). */
export function allowList(extensions: readonly string[]): string[] {
  return ["pgaudit", ...extensions.filter((e) => e !== "pgaudit" && !AZURE_MODULES.includes(e))];
}

/** Libraries the extensions need preloaded (modules included), in order, without pgaudit (always added). */
export function preloadLibraries(extensions: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of extensions) {
    const lib = AZURE_MODULES.includes(e) ? e : AZURE_EXTENSIONS[e]?.preload;
    if (lib !== undefined && lib !== "pgaudit" && !out.includes(lib)) out.push(lib);
  }
  return out;
}

/**
 * Checks `serverParameters`. A parameter a rule guards is judged by the rule first (so weakening it
 * gives the rule's message, exactly as the dedicated argument would); any parameter the component
 * owns is then refused with the argument to use instead. Throws naming field, value and what is allowed.
 */
export function validateServerParameters(
  params: readonly ServerParameterArgs[],
  field = "serverParameters",
): ServerParameterArgs[] {
  const seen = new Set<string>();
  return params.map((p, i) => {
    const at = `${field}[${i}]`;
    if (p === null || typeof p !== "object" || typeof p.name !== "string" || !PARAMETER_NAME.test(p.name)) {
      throw new Error(
        `\`${at}.name\` ${quote(p?.name)} is not a server parameter name; use lowercase letters, digits, "_" and "." as Azure names them, e.g. "work_mem".`,
      );
    }
    const name = p.name;
    if (
      typeof p.value !== "string" ||
      p.value.length > MAX_VALUE_LENGTH ||
      [...p.value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
    ) {
      throw new Error(
        `\`${at}.value\` for ${quote(name)} must be a string of at most ${MAX_VALUE_LENGTH} characters without control characters, e.g. "on" or "64000".`,
      );
    }
    if (seen.has(name))
      throw new Error(`\`${at}.name\` ${quote(name)} is set twice; set each parameter once.`);
    seen.add(name);
    const owner = DEDICATED_PARAMETERS[name];
    if (owner !== undefined) {
      // The rule (or the dedicated argument's own validator) decides first: a weaker value gets the
      // same message it would get through the dedicated argument.
      const where = `${field}[${i}] (${name})`;
      if (name === "ssl_min_protocol_version") validateMinimumTlsVersion(p.value, where);
      if (name === "pgaudit.log") validatePgauditLog(p.value, where);
      if (name === "logfiles.retention_days") validateLogRetentionDays(Number(p.value), where);
      const violations = evaluateResource({
        type: "azure-native:dbforpostgresql:Configuration",
        props: { configurationName: name, value: p.value, source: "user-override" },
      });
      if (violations.length > 0) {
        const v = violations[0];
        throw new Error(`[${v.ruleId}] \`${where}\` ${quote(p.value)}: ${v.message}`);
      }
      const fix = owner.startsWith("(") ? `the component sets it ${owner}` : `set it through \`${owner}\``;
      throw new Error(
        `\`${at}.name\` ${quote(name)} is set by the component; ${fix}, not through \`${field}\`.`,
      );
    }
    return { name, value: p.value };
  });
}

/**
 * The component's parameter list with the extensions and free-form parameters merged in: the
 * allow-list and preload list are extended in place (keeping their position in the serial chain),
 * then `serverParameters` follow in the order given. Inputs must already be validated.
 */
export function mergeParameters(
  base: readonly ServerParameter[],
  extensions: readonly string[],
  serverParameters: readonly ServerParameterArgs[],
): ServerParameter[] {
  const out = base.map((p) => {
    if (p.name === "azure.extensions") {
      const list = [...p.value.split(",").filter((x) => x !== ""), ...allowList(extensions)];
      return { name: p.name, value: [...new Set(list)].join(",") };
    }
    if (p.name === "shared_preload_libraries") {
      const libs = p.value.split(",").filter((x) => x !== "");
      const merged = [...libs.filter((l) => l !== "pgaudit"), ...preloadLibraries(extensions), "pgaudit"];
      return { name: p.name, value: [...new Set(merged)].join(",") };
    }
    return { name: p.name, value: p.value };
  });
  for (const p of serverParameters) out.push({ name: p.name, value: p.value });
  return out;
}
