// Azure Database for PostgreSQL flexible server parameters, per major version: whether the parameter
// exists on that version, Azure's default value, its allowed values and whether a change needs a server
// restart (static) or applies at once (dynamic). One table, shared by the rules (which judge the
// effective value: what a stack declares, else Azure's default for the server's version) and the
// component (which emits only parameters that exist on the server's version).
//
// Only the parameters the component emits or a rule judges are listed. Every row names the page it
// was read from and the date read: the per-version include files of MicrosoftDocs/azure-databases-docs
// (articles/postgresql/server-parameters/includes/param-<version>-<category>.md), which Microsoft Learn
// renders as the server parameter reference
// (https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters). A test pins the table (tests/policies/server-parameters.test.ts).
//
// Pure data: no imports, no Pulumi.

/** The PostgreSQL major versions Azure Database for PostgreSQL flexible server offers. */
export const POSTGRES_MAJOR_VERSIONS = ["12", "13", "14", "15", "16", "17", "18"] as const;
export type PostgresMajorVersion = (typeof POSTGRES_MAJOR_VERSIONS)[number];

/**
 * How a change to the parameter takes effect (the "Parameter type" row of the reference): `static`
 * needs a server restart, `dynamic` applies without one, `read-only` cannot be changed.
 */
export type ParameterKind = "static" | "dynamic" | "read-only";

/** A parameter on one major version. */
export interface ParameterOnVersion {
  /** Azure's default value, exactly as the reference writes it ("" when it lists none). */
  readonly default: string;
  /** Allowed values as the reference writes them: a comma-separated set or list, or a range "1-7". */
  readonly allowed: string;
  readonly kind: ParameterKind;
}

/** Where a fact was read. */
export interface FactSource {
  readonly url: string;
  /** Date read (ISO). */
  readonly read: string;
  /** Which versions this source covers, and anything worth knowing about it. */
  readonly note: string;
}

export interface ServerParameterFact {
  readonly name: string;
  /** The versions the parameter exists on; a version that is absent does not have it. */
  readonly versions: Readonly<Partial<Record<PostgresMajorVersion, ParameterOnVersion>>>;
  readonly sources: readonly FactSource[];
}

const READ = "2026-11-30";
const INCLUDES =
  "https://github.com/MicrosoftDocs/azure-databases-docs/blob/main/articles/postgresql/server-parameters/includes";

function all(on: ParameterOnVersion): Record<PostgresMajorVersion, ParameterOnVersion> {
  return Object.fromEntries(POSTGRES_MAJOR_VERSIONS.map((v) => [v, on])) as Record<
    PostgresMajorVersion,
    ParameterOnVersion
  >;
}

const ON_OFF = "on,off";

/** Libraries Azure lets `shared_preload_libraries` list, per version (the reference's allowed values). */
const PRELOAD_ALLOWED = {
  "12": "anon,auto_explain,azure_storage,pg_cron,pg_failover_slots,pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
  "13": "age,anon,auto_explain,azure_storage,credcheck,pg_cron,pg_failover_slots,pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
  "14": "age,anon,auto_explain,azure_storage,credcheck,pg_cron,pg_duckdb,pg_failover_slots,pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
  "15": "age,anon,auto_explain,azure_storage,credcheck,pg_cron,pg_duckdb,pg_failover_slots,pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
  "16": "age,anon,auto_explain,azure_storage,credcheck,pg_cron,pg_duckdb,pg_failover_slots,pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
  "17": "anon,auto_explain,azure_storage,credcheck,pg_cron,pg_duckdb,pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
  "18": "age,anon,auto_explain,azure_storage,credcheck,pg_cron,pg_duckdb,pg_hint_plan,pg_ivm,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,pglogical,timescaledb,wal2json",
} as const satisfies Record<PostgresMajorVersion, string>;

const preload = (v: PostgresMajorVersion, def: string): ParameterOnVersion => ({
  default: def,
  allowed: PRELOAD_ALLOWED[v],
  kind: "static",
});

/** The parameters, by name. */
export const SERVER_PARAMETERS: readonly ServerParameterFact[] = [
  {
    name: "require_secure_transport",
    versions: all({ default: "on", allowed: ON_OFF, kind: "dynamic" }),
    sources: [
      {
        url: `${INCLUDES}/param-16-tls.md`,
        read: READ,
        note: `TLS category, ${INCLUDES}/param-<version>-tls.md (12-18; read for 11, 14 and 16: default on, dynamic).`,
      },
    ],
  },
  {
    name: "ssl_min_protocol_version",
    versions: all({ default: "TLSv1.2", allowed: "TLSv1.2,TLSv1.3", kind: "dynamic" }),
    sources: [
      {
        url: `${INCLUDES}/param-18-connections-authentication-ssl.md`,
        read: READ,
        note: `${INCLUDES}/param-<version>-connections-authentication-ssl.md, read for 12 and 18 (ms.date 12/29/2025): default TLSv1.2, allowed TLSv1.2,TLSv1.3, dynamic.`,
      },
    ],
  },
  {
    name: "shared_preload_libraries",
    versions: {
      "12": preload("12", "pg_cron,pg_stat_statements"),
      "13": preload("13", "pg_cron,pg_stat_statements"),
      "14": preload("14", "pg_cron,pg_stat_statements"),
      "15": preload("15", "pg_cron,pg_stat_statements"),
      "16": preload("16", "pg_cron,pg_stat_statements"),
      // PostgreSQL 17 on Azure does not preload pg_cron by default.
      "17": preload("17", "pg_stat_statements"),
      "18": preload("18", "pg_cron,pg_stat_statements"),
    },
    sources: [
      {
        url: `${INCLUDES}/param-17-client-connection-defaults-shared-library-preloading.md`,
        read: READ,
        note: `${INCLUDES}/param-<version>-client-connection-defaults-shared-library-preloading.md: 12-17 at ms.date 12/29/2025 (17's default is pg_stat_statements alone), 18 at ms.date 04/01/2026. Static: a change needs a restart.`,
      },
    ],
  },
  {
    name: "azure.extensions",
    versions: all({
      default: "",
      allowed: "(extension names; pgaudit is allowed on every version)",
      kind: "dynamic",
    }),
    sources: [
      {
        url: `${INCLUDES}/param-18-customized-options.md`,
        read: READ,
        note: `${INCLUDES}/param-<version>-customized-options.md (15-18 snapshots in ../shared/reference/microsoft-learn): no default (nothing allow-listed), dynamic; pgaudit in the allowed list of every version.`,
      },
    ],
  },
  {
    name: "pgaudit.log",
    versions: all({
      default: "none",
      allowed: "none,read,write,function,role,ddl,misc,all",
      kind: "dynamic",
    }),
    sources: [
      {
        url: `${INCLUDES}/param-18-customized-options.md`,
        read: READ,
        note: `${INCLUDES}/param-<version>-customized-options.md (15-18 snapshots): default none, allowed none,read,write,function,role,ddl,misc,all (no misc_set), dynamic.`,
      },
      {
        url: "https://learn.microsoft.com/azure/postgresql/security/security-audit",
        read: READ,
        note: 'Azure: pgaudit.log cannot use "-" (class subtraction); pgaudit must be allow-listed, preloaded and created.',
      },
    ],
  },
  {
    name: "log_connections",
    versions: {
      ...all({ default: "on", allowed: ON_OFF, kind: "dynamic" }),
      "18": {
        default: "on",
        allowed: "on,off,receipt,authentication,authorization,setup_durations,all",
        kind: "dynamic",
      },
    },
    sources: [
      {
        url: `${INCLUDES}/param-18-reporting-logging-what-log.md`,
        read: READ,
        note: `${INCLUDES}/param-<version>-reporting-logging-what-log.md, read for 12 and 18 (ms.date 12/29/2025): default on; 18 makes it a set.`,
      },
    ],
  },
  {
    name: "log_disconnections",
    versions: all({ default: "on", allowed: ON_OFF, kind: "dynamic" }),
    sources: [
      {
        url: `${INCLUDES}/param-18-reporting-logging-what-log.md`,
        read: READ,
        note: "Read for 12 and 18: default on, dynamic.",
      },
    ],
  },
  {
    name: "log_checkpoints",
    versions: all({ default: "on", allowed: ON_OFF, kind: "dynamic" }),
    sources: [
      {
        url: `${INCLUDES}/param-18-reporting-logging-what-log.md`,
        read: READ,
        note: "Read for 12 and 18: default on, dynamic.",
      },
    ],
  },
  {
    name: "connection_throttle.enable",
    versions: {
      "12": { default: "off", allowed: ON_OFF, kind: "dynamic" },
      "13": { default: "off", allowed: ON_OFF, kind: "dynamic" },
      "14": { default: "off", allowed: ON_OFF, kind: "dynamic" },
      "15": { default: "off", allowed: ON_OFF, kind: "dynamic" },
      "16": { default: "off", allowed: ON_OFF, kind: "dynamic" },
      "17": { default: "off", allowed: ON_OFF, kind: "dynamic" },
      // Absent on 18: neither the 05/05/2025 nor the newer PostgreSQL 18 customized-options page lists
      // any connection_throttle.* parameter.
    },
    sources: [
      {
        url: `${INCLUDES}/param-18-customized-options.md`,
        read: READ,
        note: `${INCLUDES}/param-<version>-customized-options.md: listed for 12-17 (default off, dynamic; 13 and 14 read at commit 00c45d47), absent from 18.`,
      },
    ],
  },
  {
    name: "logfiles.download_enable",
    versions: all({ default: "off", allowed: ON_OFF, kind: "dynamic" }),
    sources: [
      {
        url: "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/postgresql/flexible-server/server-parameters-table-log-files.md",
        read: READ,
        note: '"Enables or disables server logs functionality": server log files are kept on the server (and can be downloaded) only when it is on. Listed for 11-16 (azure-docs server-parameters-table-<v>-log-files.md) and 18 (customized options).',
      },
    ],
  },
  {
    name: "logfiles.retention_days",
    versions: all({ default: "3", allowed: "1-7", kind: "dynamic" }),
    sources: [
      {
        url: "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/postgresql/flexible-server/server-parameters-table-log-files.md",
        read: READ,
        note: "Default 3, allowed 1-7, dynamic; it applies to the server logs that logfiles.download_enable turns on. Read in server-parameters-table-<version>-log-files.md for 12, 15 and 16 (ms.date 06/18/2024).",
      },
      {
        url: `${INCLUDES}/param-17-intelligent-tuning.md`,
        read: READ,
        note: `17: default 3, allowed 1-7, dynamic (ms.date 01/26/2026). 18: the same in ${INCLUDES}/param-18-customized-options.md (ms.date 05/05/2025).`,
      },
    ],
  },
];

const BY_NAME: ReadonlyMap<string, ServerParameterFact> = new Map(SERVER_PARAMETERS.map((p) => [p.name, p]));

/** True for a major version Azure offers (`"16"`; numbers are accepted too). */
export function isPostgresMajorVersion(v: unknown): v is PostgresMajorVersion {
  const s = typeof v === "number" ? String(v) : v;
  return typeof s === "string" && (POSTGRES_MAJOR_VERSIONS as readonly string[]).includes(s);
}

/** The facts of one parameter; undefined for a parameter this table does not list. */
export function parameterFact(name: string): ServerParameterFact | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** The parameter on one version; undefined when the parameter does not exist there (or is not listed). */
export function parameterOn(name: string, version: PostgresMajorVersion): ParameterOnVersion | undefined {
  return parameterFact(name)?.versions[version];
}

/** Azure's default value of a listed parameter on a version; undefined when it does not exist there. */
export function azureDefault(name: string, version: PostgresMajorVersion): string | undefined {
  return parameterOn(name, version)?.default;
}

/** True when a change to the parameter on this version needs a server restart. */
export function isStaticParameter(name: string, version: PostgresMajorVersion): boolean {
  return parameterOn(name, version)?.kind === "static";
}
