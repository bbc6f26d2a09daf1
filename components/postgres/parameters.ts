// The server-parameter set the component emits, per PostgreSQL major version.
//
// The component turns each entry into a `Microsoft.DBforPostgreSQL/flexibleServers/configurations`
// child and chains them strictly one after another, in this order: Azure rejects concurrent
// configuration writes on one server with `ServerBusy` (bicep-registry-modules#4289). The real-server
// suite (tests/postgres) loads the same array into a throw-away PostgreSQL 15 to prove what the
// settings do; keep the two in step by never copying these values anywhere else.
//
// Which parameter exists on which version, Azure's defaults and which ones need a restart come from
// policies/facts/server-parameters.ts (one table, with its sources). Thresholds and enums come from
// policies/rules/thresholds.ts. Pure: no Pulumi imports, so tests and the policy pack can call it.

import {
  POSTGRES_MAJOR_VERSIONS,
  azureDefault,
  isPostgresMajorVersion,
  isStaticParameter,
  parameterOn,
  type PostgresMajorVersion,
} from "../../policies/facts/server-parameters";
import { pgauditLogProblem } from "../../policies/rules/parameters";
import {
  CIS_MIN_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  LOG_RETENTION_DAYS,
  PGAUDIT_AZURE_CLASSES,
  PGAUDIT_CLASSES,
  TLS_VERSIONS,
  pgauditAzureRefusal,
} from "../../policies/rules/thresholds";

export { DEFAULT_PGAUDIT_LOG };

/**
 * Classes pgaudit knows, plus `all` (kept for callers that list them; judge a value with
 * `pgauditEffectiveClasses` from policies/rules, which computes what pgaudit audits).
 */
export const PGAUDIT_LOG_CLASSES = [...PGAUDIT_CLASSES, "all"] as const;

/** One Azure server parameter: the configuration's resource name and its `properties.value`. */
export interface ServerParameter {
  readonly name: string;
  readonly value: string;
}

/** Inputs of {@link serverParameters}. */
export interface ServerParameterOptions {
  /** PostgreSQL major version of the server ("12"-"18"): decides which parameters exist. Field `version`. */
  version: string;
  /** `ssl_min_protocol_version`, one of `TLS_VERSIONS`. Field `minimumTlsVersion` of the component. */
  minimumTlsVersion: string;
  /** `pgaudit.log`: classes to audit, see {@link validatePgauditLog}. Field `monitoring.pgauditLog`. */
  pgauditLog: string;
  /** `logfiles.retention_days`, see {@link LOG_RETENTION_DAYS_RANGE}. Field `monitoring.logRetentionDays`. */
  logRetentionDays: number;
  /**
   * Libraries to preload before `pgaudit`. Defaults to Azure's default `shared_preload_libraries` for
   * the version. Setting the parameter replaces Azure's value, so leaving Azure's defaults out would
   * silently switch off what Azure preloads (pg_stat_statements; pg_cron except on 17).
   */
  basePreloadLibraries?: readonly string[];
}

/** Azure's default `shared_preload_libraries` on a version, as a list (facts table). */
export function azureDefaultPreloadLibraries(version: PostgresMajorVersion): string[] {
  return (azureDefault("shared_preload_libraries", version) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * Extensions added to the `azure.extensions` allow-list. Only pgaudit: Azure's audit docs
 * (https://learn.microsoft.com/azure/postgresql/security/security-audit) require it to be allow-listed,
 * preloaded and created. Everything else stays off the list: least functionality.
 */
export const AZURE_EXTENSIONS_ALLOW_LIST: readonly string[] = ["pgaudit"];

/** Default `logfiles.retention_days`: the most Azure keeps server log files on the server (7). */
export const DEFAULT_LOG_RETENTION_DAYS = LOG_RETENTION_DAYS.max;
/**
 * Range of `logfiles.retention_days` the component accepts: from CIS Azure Foundations v3.0.0 5.2.4's
 * floor ("more than 3 days") to Azure's maximum (7). Below the floor the component refuses; from the
 * floor up to the advisory rule's default minimum (`DEFAULT_MIN_LOG_RETENTION_DAYS`, 7, after Azure
 * Policy f5ed3f7a) the pack only warns. Enforced by `postgres-log-retention`.
 */
export const LOG_RETENTION_DAYS_RANGE = {
  min: CIS_MIN_LOG_RETENTION_DAYS,
  max: LOG_RETENTION_DAYS.max,
} as const;

/**
 * Checks a `pgaudit.log` value and returns its classes in order. Throws an error that names the field,
 * the value and what is allowed when Azure would refuse the value (a class Azure does not accept, "-"
 * subtraction, an empty or repeated class) or when the classes it makes effective leave out one that
 * `postgres-pgaudit-enabled` requires (e.g. "none", "read").
 *
 * `pgaudit.log_parameter` is deliberately not emitted, so Azure's default (`off`) stays: bind
 * parameters carry application data, often personal, and the audit trail needs the statement, not the
 * values. Role-class statements with passwords are redacted by pgaudit itself.
 */
export function validatePgauditLog(value: string, field = "monitoring.pgauditLog"): string[] {
  const allowed = `a comma-separated list of ${PGAUDIT_AZURE_CLASSES.filter((c) => c !== "none").join(", ")} that includes role and ddl, e.g. "${DEFAULT_PGAUDIT_LOG}"`;
  const refusal = pgauditAzureRefusal(value);
  if (refusal !== undefined)
    throw new Error(
      `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} ${refusal}; use ${allowed}.`,
    );
  const tokens = value.split(",").map((t) => t.trim().toLowerCase());
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token))
      throw new Error(
        `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} names class "${token}" twice; use ${allowed}.`,
      );
    seen.add(token);
  }
  const problem = pgauditLogProblem(value);
  if (problem !== undefined)
    throw new Error(
      `[postgres-pgaudit-enabled] \`${field}\` ${JSON.stringify(value)} ${problem}; use ${allowed}.`,
    );
  return tokens;
}

/** Throws unless `value` is one of `TLS_VERSIONS`. */
export function validateMinimumTlsVersion(value: string, field = "minimumTlsVersion"): void {
  if (!(TLS_VERSIONS as readonly string[]).includes(value)) {
    throw new Error(
      `[postgres-tls-min-version] \`${field}\` ${JSON.stringify(value)} is not allowed; use one of ${TLS_VERSIONS.map((v) => `"${v}"`).join(", ")} (nothing below TLS 1.2).`,
    );
  }
}

/** Throws unless `value` is an integer in {@link LOG_RETENTION_DAYS_RANGE}. */
export function validateLogRetentionDays(value: number, field = "monitoring.logRetentionDays"): void {
  const { min, max } = LOG_RETENTION_DAYS_RANGE;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `[postgres-log-retention] \`${field}\` ${JSON.stringify(value)} is out of range; use a whole number of days from ${min} to ${max} (CIS 5.2.4 wants more than 3; Azure keeps server logs at most ${LOG_RETENTION_DAYS.max}).`,
    );
  }
}

/** Throws unless `value` is a major version Azure offers; returns it. */
export function validatePostgresVersion(value: unknown, field = "version"): PostgresMajorVersion {
  const s = typeof value === "number" ? String(value) : value;
  if (!isPostgresMajorVersion(s))
    throw new Error(
      `\`${field}\` ${JSON.stringify(value)} is not a PostgreSQL major version Azure offers; use one of ${POSTGRES_MAJOR_VERSIONS.map((v) => `"${v}"`).join(", ")}.`,
    );
  return s;
}

const LIBRARY_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The ordered server-parameter set for a zero-trust flexible server on `opts.version`. Emits only
 * parameters that exist on that version (PostgreSQL 18 on Azure has no `connection_throttle.enable`).
 * Validates every input first and throws an error naming the field, the value and what is allowed.
 *
 * `shared_preload_libraries` is static: Azure applies it only after a server restart
 * ({@link staticParameterNames}).
 */
export function serverParameters(opts: ServerParameterOptions): ReadonlyArray<ServerParameter> {
  const version = validatePostgresVersion(opts.version);
  validateMinimumTlsVersion(opts.minimumTlsVersion);
  const auditClasses = validatePgauditLog(opts.pgauditLog);
  validateLogRetentionDays(opts.logRetentionDays);
  const base = opts.basePreloadLibraries ?? azureDefaultPreloadLibraries(version);
  for (const lib of base) {
    if (!LIBRARY_NAME.test(lib)) {
      throw new Error(
        `\`basePreloadLibraries\` entry ${JSON.stringify(lib)} is not a library name; use lowercase letters, digits and "_", e.g. "pg_stat_statements".`,
      );
    }
  }
  const preload = [...base.filter((lib) => lib !== "pgaudit"), "pgaudit"];

  const params: ServerParameter[] = [
    // Transport: refuse non-TLS connections, and TLS below the floor.
    { name: "require_secure_transport", value: "on" },
    { name: "ssl_min_protocol_version", value: opts.minimumTlsVersion },
    // Audit: allow-list, preload (keeping Azure's defaults for this version), then what to log.
    { name: "azure.extensions", value: AZURE_EXTENSIONS_ALLOW_LIST.join(",") },
    { name: "shared_preload_libraries", value: preload.join(",") },
    { name: "pgaudit.log", value: auditClasses.join(",") },
    // Connection and checkpoint logging, feeding the failed-login alert.
    { name: "log_connections", value: "on" },
    { name: "log_disconnections", value: "on" },
    { name: "log_checkpoints", value: "on" },
    // Azure's brute-force brake: temporarily refuses an IP after repeated failed logins (not on 18).
    { name: "connection_throttle.enable", value: "on" },
    // Server logs: retention applies to the server logs that download_enable turns on, so both are set.
    { name: "logfiles.download_enable", value: "on" },
    { name: "logfiles.retention_days", value: String(opts.logRetentionDays) },
  ];
  return Object.freeze(
    params.filter((p) => parameterOn(p.name, version) !== undefined).map((p) => Object.freeze(p)),
  );
}

/**
 * Names of the given parameters that are static on `version` (a change needs a server restart), from
 * the facts table. The component restarts the server only when one of these changed.
 */
export function staticParameterNames(
  params: ReadonlyArray<ServerParameter>,
  version: PostgresMajorVersion,
): string[] {
  return params.filter((p) => isStaticParameter(p.name, version)).map((p) => p.name);
}
