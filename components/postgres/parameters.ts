// The server-parameter set the component emits: the single source of truth.
//
// The component turns each entry into a `Microsoft.DBforPostgreSQL/flexibleServers/configurations`
// child and chains them strictly one after another, in this order: Azure rejects concurrent
// configuration writes on one server with `ServerBusy` (bicep-registry-modules#4289). The real-server
// suite (tests/postgres) loads the same array into a throw-away PostgreSQL 15 to prove what the
// settings do; keep the two in step by never copying these values anywhere else.
//
// Pure: no Pulumi imports, so tests and the policy pack can call it for free.

/** One Azure server parameter: the configuration's resource name and its `properties.value`. */
export interface ServerParameter {
  readonly name: string;
  readonly value: string;
}

/** Inputs of {@link serverParameters}. */
export interface ServerParameterOptions {
  /** `ssl_min_protocol_version`: `TLSv1.2` or `TLSv1.3`. Field `minimumTlsVersion` of the component. */
  minimumTlsVersion: string;
  /** `pgaudit.log`: classes to audit, see {@link validatePgauditLog}. Field `monitoring.pgauditLog`. */
  pgauditLog: string;
  /** `logfiles.retention_days`, 4-7. Field `monitoring.logRetentionDays`. */
  logRetentionDays: number;
  /**
   * Libraries Azure preloads on this server before we add `pgaudit`. Defaults to
   * {@link AZURE_DEFAULT_SHARED_PRELOAD_LIBRARIES}. Setting `shared_preload_libraries` replaces Azure's
   * value, so leaving its defaults out would silently switch off pg_cron and pg_stat_statements.
   */
  basePreloadLibraries?: readonly string[];
}

/** TLS floors the component offers. Nothing below TLS 1.2. Enforced by `postgres-tls-min-version`. */
export const ALLOWED_TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;

/**
 * Azure's default `shared_preload_libraries` on Flexible Server (PostgreSQL 12-17), from the server
 * parameter reference "Client Connection Defaults / Shared Library Preloading":
 * https://learn.microsoft.com/azure/postgresql/flexible-server/param-client-connection-defaults-shared-library-preloading
 * (default value `pg_cron,pg_stat_statements`; `pgaudit` is in its allowed values).
 */
export const AZURE_DEFAULT_SHARED_PRELOAD_LIBRARIES: readonly string[] = ["pg_cron", "pg_stat_statements"];

/**
 * Extensions added to the `azure.extensions` allow-list. Only pgaudit: Azure's audit docs
 * (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-audit) require it to be
 * allow-listed, preloaded and created. Everything else stays off the list: least functionality.
 */
export const AZURE_EXTENSIONS_ALLOW_LIST: readonly string[] = ["pgaudit"];

/**
 * Default `pgaudit.log`: role (GRANT, REVOKE, CREATE/ALTER/DROP ROLE), ddl (all DDL not in role) and
 * misc (DISCARD, FETCH, CHECKPOINT, VACUUM, SET). These are the privilege and schema changes the alert
 * rules watch, without the volume of read/write. Enforced by `postgres-pgaudit-enabled`.
 */
export const DEFAULT_PGAUDIT_LOG = "role,ddl,misc";

/**
 * Classes pgaudit accepts in `pgaudit.log` (https://github.com/pgaudit/pgaudit#pgauditlog). Each may be
 * prefixed with `-` to subtract it. `none` is accepted by pgaudit but refused here: it turns audit off.
 *
 * `pgaudit.log_parameter` is deliberately not emitted, so Azure's default (`off`) stays: bind
 * parameters carry application data, often personal, and the audit trail needs the statement, not the
 * values. Role-class statements with passwords are redacted by pgaudit itself.
 */
export const PGAUDIT_LOG_CLASSES = [
  "read",
  "write",
  "function",
  "role",
  "ddl",
  "misc",
  "misc_set",
  "all",
] as const;

/** Default `logfiles.retention_days`: the most Azure keeps server log files on the server (7). */
export const DEFAULT_LOG_RETENTION_DAYS = 7;
/** Range of `logfiles.retention_days` the component accepts. Enforced by `postgres-log-retention`. */
export const LOG_RETENTION_DAYS_RANGE = { min: 4, max: 7 } as const;

/**
 * Checks a `pgaudit.log` value and returns its classes in order. Throws an error that names the field,
 * the value and what is allowed when the value is empty, `none`, has an unknown or repeated class, or
 * only subtracts classes (which audits nothing).
 */
export function validatePgauditLog(value: string, field = "monitoring.pgauditLog"): string[] {
  const allowed = `a comma-separated list of ${PGAUDIT_LOG_CLASSES.join(", ")}, each optionally prefixed with "-", e.g. "${DEFAULT_PGAUDIT_LOG}"`;
  const tokens = value.split(",").map((t) => t.trim().toLowerCase());
  if (value.trim() === "" || tokens.some((t) => t === "")) {
    throw new Error(
      `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} has an empty class; use ${allowed}.`,
    );
  }
  if (tokens.includes("none")) {
    throw new Error(
      `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} turns auditing off; use ${allowed}.`,
    );
  }
  const seen = new Set<string>();
  for (const token of tokens) {
    const name = token.startsWith("-") ? token.slice(1) : token;
    if (!(PGAUDIT_LOG_CLASSES as readonly string[]).includes(name)) {
      throw new Error(
        `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} has unknown class "${token}"; use ${allowed}.`,
      );
    }
    if (seen.has(name)) {
      throw new Error(
        `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} names class "${name}" twice; use ${allowed}.`,
      );
    }
    seen.add(name);
  }
  if (!tokens.some((t) => !t.startsWith("-"))) {
    throw new Error(
      `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} only subtracts classes and audits nothing; use ${allowed}.`,
    );
  }
  return tokens;
}

/** Throws unless `value` is one of {@link ALLOWED_TLS_VERSIONS}. */
export function validateMinimumTlsVersion(value: string, field = "minimumTlsVersion"): void {
  if (!(ALLOWED_TLS_VERSIONS as readonly string[]).includes(value)) {
    throw new Error(
      `[postgres-tls-min-version] \`${field}\` ${JSON.stringify(value)} is not allowed; use one of ${ALLOWED_TLS_VERSIONS.map((v) => `"${v}"`).join(", ")} (nothing below TLS 1.2).`,
    );
  }
}

/** Throws unless `value` is an integer in {@link LOG_RETENTION_DAYS_RANGE}. */
export function validateLogRetentionDays(value: number, field = "monitoring.logRetentionDays"): void {
  const { min, max } = LOG_RETENTION_DAYS_RANGE;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `[postgres-log-retention] \`${field}\` ${JSON.stringify(value)} is out of range; use a whole number of days from ${min} to ${max}.`,
    );
  }
}

const LIBRARY_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The ordered server-parameter set for a zero-trust Flexible Server. Validates every input first and
 * throws an error naming the field, the value and what is allowed.
 *
 * `shared_preload_libraries` is a static parameter: Azure applies it only after a server restart.
 */
export function serverParameters(opts: ServerParameterOptions): ReadonlyArray<ServerParameter> {
  validateMinimumTlsVersion(opts.minimumTlsVersion);
  const auditClasses = validatePgauditLog(opts.pgauditLog);
  validateLogRetentionDays(opts.logRetentionDays);
  const base = opts.basePreloadLibraries ?? AZURE_DEFAULT_SHARED_PRELOAD_LIBRARIES;
  for (const lib of base) {
    if (!LIBRARY_NAME.test(lib)) {
      throw new Error(
        `\`basePreloadLibraries\` entry ${JSON.stringify(lib)} is not a library name; use lowercase letters, digits and "_", e.g. "pg_cron".`,
      );
    }
  }
  const preload = [...base.filter((lib) => lib !== "pgaudit"), "pgaudit"];

  const params: ServerParameter[] = [
    // Transport: refuse non-TLS connections, and TLS below the floor.
    { name: "require_secure_transport", value: "on" },
    { name: "ssl_min_protocol_version", value: opts.minimumTlsVersion },
    // Audit: allow-list, preload (keeping Azure's defaults), then what to log.
    { name: "azure.extensions", value: AZURE_EXTENSIONS_ALLOW_LIST.join(",") },
    { name: "shared_preload_libraries", value: preload.join(",") },
    { name: "pgaudit.log", value: auditClasses.join(",") },
    // Connection and checkpoint logging, feeding the failed-login alert.
    { name: "log_connections", value: "on" },
    { name: "log_disconnections", value: "on" },
    { name: "log_checkpoints", value: "on" },
    // Azure's brute-force brake: temporarily refuses an IP after repeated failed logins.
    { name: "connection_throttle.enable", value: "on" },
    { name: "logfiles.retention_days", value: String(opts.logRetentionDays) },
  ];
  return Object.freeze(params.map((p) => Object.freeze(p)));
}
