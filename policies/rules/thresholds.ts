// Thresholds and enums of the rules: the only place each one is written. Rule config schemas, rule
// checks and the component (through its binding) import them from here; nothing else restates them.
// Each constant says where the value comes from.

// ---- Transport

/**
 * TLS floors a rule or the component accepts for `ssl_min_protocol_version`, in order. Azure offers
 * exactly these two on every version (server parameter reference, connections-authentication-ssl,
 * allowed values `TLSv1.2,TLSv1.3`; see policies/facts/server-parameters.ts).
 */
export const TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];
/** Default floor of `postgres-tls-min-version` (Azure Policy a43d5475… audits TLS 1.2). */
export const DEFAULT_TLS_VERSION: TlsVersion = "TLSv1.2";

/** TLS versions in order, both spellings (flexible `TLSv1.2`, single server `TLS1_2`); -1 = disabled. */
export const TLS_RANK: ReadonlyMap<string, number> = new Map([
  ["tlsv1", 0],
  ["tlsv1.0", 0],
  ["tls1_0", 0],
  ["tlsv1.1", 1],
  ["tls1_1", 1],
  ["tlsv1.2", 2],
  ["tls1_2", 2],
  ["tlsv1.3", 3],
  ["tls1_3", 3],
  ["tlsenforcementdisabled", -1],
]);

// ---- Keys

/**
 * RSA key sizes Key Vault creates and Azure Database for PostgreSQL accepts for a customer-managed key
 * (security-data-encryption: "RSA 2048, 3072 or 4096"); also the allowed values of Azure Policy
 * 82067dbb… `minimumRSAKeySize`.
 */
export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export type RsaKeySize = (typeof RSA_KEY_SIZES)[number];
/** Default minimum of `keyvault-key-strength`. The built-in has no default; we choose 3072 (NIST SP 800-57 beyond 2030). */
export const DEFAULT_MIN_RSA_KEY_SIZE: RsaKeySize = 3072;
/** Elliptic curves Key Vault offers (`JsonWebKeyCurveName`). */
export const EC_CURVES = ["P-256", "P-384", "P-521", "P-256K"] as const;
/** Curves accepted by default: the NIST curves (P-256K, secp256k1, is not one). */
export const DEFAULT_EC_CURVES: readonly (typeof EC_CURVES)[number][] = ["P-256", "P-384", "P-521"];

// ---- Logs

/**
 * `logfiles.retention_days` range Azure accepts (server parameter reference, Log Files: allowed `1-7`,
 * default 3).
 */
export const LOG_RETENTION_DAYS = { min: 1, max: 7, azureDefault: 3 } as const;
/**
 * Default minimum of `postgres-log-retention`: 7, the default `retentionDays` of Azure Policy
 * f5ed3f7a… "Configure logfiles.retention_days to at least 7 days". CIS v3.0.0 5.2.4 asks for more than
 * 3, so 7 satisfies both.
 */
export const DEFAULT_MIN_LOG_RETENTION_DAYS = 7;
/** CIS Azure Foundations v3.0.0 5.2.4: `logfiles.retention_days` "greater than 3 days". */
export const CIS_MIN_LOG_RETENTION_DAYS = 4;

// ---- Backups

/** Backup retention range Azure accepts (concepts-backup-restore: 7 to 35 days; default 7). */
export const BACKUP_RETENTION_DAYS = { min: 7, max: 35, azureDefault: 7 } as const;
/**
 * Default minimum of `postgres-backup-retention`: 14 days. No cited built-in or CIS control sets a
 * number; 14 is our choice so that Azure's default (7) is flagged and two weekly reviews fit in the
 * restore window. The component keeps 35.
 */
export const DEFAULT_MIN_BACKUP_RETENTION_DAYS = 14;

// ---- Firewall

/**
 * Range of `minimumPrefixLength`, the widest block a server's firewall may admit, for the rule config
 * and the component alike. Below /8 is refused: a single rule that wide is a sixteenth of the internet
 * and no zero-trust setup needs it.
 */
export const FIREWALL_PREFIX_LENGTH = { min: 8, max: 32 } as const;
/** Default `minimumPrefixLength`: a /24 at most, for one rule and for the union of a server's rules. */
export const DEFAULT_FIREWALL_PREFIX_LENGTH = 24;

// ---- pgaudit

/**
 * Classes Azure accepts in `pgaudit.log` (server parameter reference, customized options: allowed
 * `none,read,write,function,role,ddl,misc,all` on 12-18). Azure's audit page says the value cannot use
 * "-" subtraction, and `misc_set` (pgaudit 1.5+) is not in Azure's list.
 */
export const PGAUDIT_AZURE_CLASSES = [
  "none",
  "read",
  "write",
  "function",
  "role",
  "ddl",
  "misc",
  "all",
] as const;

/** Classes pgaudit itself knows (https://github.com/pgaudit/pgaudit#pgauditlog), `misc_set` included. */
export const PGAUDIT_CLASSES = ["read", "write", "function", "role", "ddl", "misc", "misc_set"] as const;
export type PgauditClass = (typeof PGAUDIT_CLASSES)[number];

/**
 * Classes that must be effective for `postgres-pgaudit-enabled`: role (GRANT, REVOKE, CREATE/ALTER/DROP
 * ROLE: privilege changes) and ddl (schema changes). Without role, the role-change alert never fires;
 * without ddl, schema tampering is invisible. read/write are left to the user (volume and personal data).
 */
export const PGAUDIT_REQUIRED_CLASSES: readonly PgauditClass[] = ["role", "ddl"];

/** The component's default `pgaudit.log`: the required classes plus misc. */
export const DEFAULT_PGAUDIT_LOG = "role,ddl,misc";

/** The effective set of a `pgaudit.log` value, computed as pgaudit does, or why the value is invalid. */
export type PgauditEffect =
  | { ok: true; classes: ReadonlySet<PgauditClass> }
  | { ok: false; reason: string; token: string };

/**
 * Computes the classes a `pgaudit.log` value audits, as pgaudit's check hook does: tokens are read left
 * to right, case-insensitively, after trimming; `x` adds a class, `-x` removes it; `all` is every class
 * and `none` is no class (so `none` adds nothing and `-none` removes nothing). `"all,-read"` audits
 * everything but read; `"-all"`, `"role,-role"` and `""` audit nothing. An unknown class makes pgaudit
 * refuse the whole value (source: pgaudit.c, check_pgaudit_log).
 */
export function pgauditEffectiveClasses(value: string): PgauditEffect {
  const classes = new Set<PgauditClass>();
  if (value.trim() === "") return { ok: true, classes };
  for (const raw of value.split(",")) {
    const token = raw.trim().toLowerCase();
    const subtract = token.startsWith("-");
    const name = subtract ? token.slice(1).trim() : token;
    let affected: readonly PgauditClass[];
    if (name === "all") affected = PGAUDIT_CLASSES;
    else if (name === "none") affected = [];
    else if ((PGAUDIT_CLASSES as readonly string[]).includes(name)) affected = [name as PgauditClass];
    else
      return {
        ok: false,
        reason: token === "" ? "has an empty class" : "has an unknown class",
        token: token.length > 40 ? `${token.slice(0, 37)}...` : token,
      };
    for (const c of affected) {
      if (subtract) classes.delete(c);
      else classes.add(c);
    }
  }
  return { ok: true, classes };
}

/**
 * Why Azure refuses a `pgaudit.log` value, or undefined when it accepts it: Azure takes a set of
 * {@link PGAUDIT_AZURE_CLASSES} without subtraction.
 */
export function pgauditAzureRefusal(value: string): string | undefined {
  for (const raw of value.split(",")) {
    const token = raw.trim().toLowerCase();
    const shown = token.length > 40 ? `${token.slice(0, 37)}...` : token;
    if (token.startsWith("-"))
      return `uses "${shown}": Azure does not accept class subtraction ("-") in pgaudit.log`;
    if (!(PGAUDIT_AZURE_CLASSES as readonly string[]).includes(token))
      return token === ""
        ? "has an empty class"
        : `has class "${shown}", which Azure does not accept (allowed: ${PGAUDIT_AZURE_CLASSES.join(", ")})`;
  }
  return undefined;
}

/** The required classes a `pgaudit.log` value leaves out (all of them for an invalid value). */
export function missingPgauditClasses(value: string): PgauditClass[] {
  const effect = pgauditEffectiveClasses(value);
  if (!effect.ok) return [...PGAUDIT_REQUIRED_CLASSES];
  return PGAUDIT_REQUIRED_CLASSES.filter((c) => !effect.classes.has(c));
}
