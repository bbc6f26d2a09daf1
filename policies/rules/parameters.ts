// Server parameter rules. A parameter resource is azure-native `Configuration` (`configurationName` +
// `value`) or classic `FlexibleServerConfiguration` (`name` + `value`), and the single-server
// equivalents. Values are compared case-insensitively ("ON", "On", "on").
//
// A rule here judges only the parameter resources a program declares. A parameter the program never
// sets keeps Azure's default for the server's version, which the stack rules in effective.ts judge:
// postgres-effective-parameters (pgaudit, preload, TLS) and postgres-effective-log-parameters (connection
// logging, throttling, server-log retention), so a value is judged once, declared or not.

import { AZURE_POLICY, CIS, SEED_000, SEED_003, policyLink } from "./refs";
import { lead } from "./postgres";
import { TOKENS, isClassic, isType } from "./tokens";
import {
  DEFAULT_MIN_LOG_RETENTION_DAYS,
  DEFAULT_PGAUDIT_LOG,
  DEFAULT_TLS_VERSION,
  LOG_RETENTION_DAYS,
  PGAUDIT_REQUIRED_CLASSES,
  TLS_RANK,
  TLS_VERSIONS,
  missingPgauditClasses,
  pgauditEffectiveClasses,
} from "./thresholds";
import type { ResourceRule, ResourceView } from "./types";
import { cfg, get, isUnknown, lower, num, setPath, show, covers } from "./util";

const PARAMETER_TYPES = [...TOKENS.configuration, ...TOKENS.singleServerConfiguration];

/** The parameter's name and value, or undefined when the resource is not a parameter. */
export function parameterOf(view: ResourceView): { name: string; value: unknown } | undefined {
  if (!isType(view.type, "configuration", "singleServerConfiguration")) return undefined;
  const name = isClassic(view.type) ? get(view.props, "name") : get(view.props, "configurationName");
  if (typeof name !== "string" || isUnknown(name)) return undefined;
  return { name: name.trim().toLowerCase(), value: get(view.props, "value") };
}

const ON = new Set(["on", "true", "1", "yes"]);

/** "on" | "off-ish" | "unset" | "unknown" for a boolean-like parameter value. */
export function onOff(v: unknown): "on" | "off" | "unset" | "unknown" {
  if (v === undefined || v === null) return "unset";
  if (isUnknown(v)) return "unknown";
  if (typeof v === "boolean") return v ? "on" : "off";
  const s = lower(v);
  return s !== undefined && ON.has(s) ? "on" : "off";
}

/** Builds a rule that requires each listed boolean parameter to be "on" where it is declared. */
function onParameterRule<Id extends string>(spec: {
  id: Id;
  title: string;
  description: string;
  parameters: readonly string[];
  enforcementLevel: "advisory" | "mandatory";
  references: ResourceRule["references"];
  remediate: boolean;
}): ResourceRule<Id> {
  const rule: ResourceRule<Id> = {
    kind: "resource",
    id: spec.id,
    title: spec.title,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    resourceTypes: PARAMETER_TYPES,
    config: {},
    remediation: `Set ${spec.parameters.map((p) => `\`${p}\``).join(", ")} to "on" (or remove the override so the server default applies).`,
    references: spec.references,
    unsetSource: [
      {
        kind: "learn",
        ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (an undeclared parameter keeps the server default for the version; the stack rule postgres-effective-log-parameters judges that default)",
      },
    ],
    unsetMeans:
      "Only declared parameter resources are judged; a parameter the program does not set keeps Azure's default for the server's version, which the stack rule postgres-effective-log-parameters judges. A declared parameter with an unset value also keeps the default: it passes here and is judged there.",
    check(view) {
      if (!covers(rule, view)) return [];
      const p = parameterOf(view);
      if (!p || !spec.parameters.includes(p.name)) return [];
      if (onOff(p.value) !== "off") return [];
      return [`${lead(rule)}: ${p.name} is ${show(p.value)}. Set ${p.name} to "on".`];
    },
  };
  if (spec.remediate) {
    rule.remediate = (view) =>
      rule.check(view, {}).length > 0 ? setPath(view.props, ["value"], "on") : undefined;
  }
  return rule;
}

export const secureTransport: ResourceRule<"postgres-secure-transport"> = {
  kind: "resource",
  id: "postgres-secure-transport",
  title: "Secure transport required",
  description: "PostgreSQL servers must require TLS for every connection.",
  enforcementLevel: "mandatory",
  resourceTypes: [...PARAMETER_TYPES, ...TOKENS.singleServer],
  config: {},
  remediation:
    'Set the `require_secure_transport` parameter to "on" (single server: `sslEnforcement: "Enabled"`, classic `sslEnforcementEnabled: true`), and connect with sslmode=verify-full.',
  references: {
    comparison:
      "Same as Azure Policy c29c38cb (flexible) and d158790f (single) and CIS 4.3.1: TLS required; no threshold.",
    seed: `${SEED_000.ssl}; ${SEED_000.encryptionInTransit}`,
    azurePolicyId: AZURE_POLICY.flexSsl,
    links: [policyLink(AZURE_POLICY.singleSsl)],
    cis: CIS.sslEnforcement,
    mcsb: "DP-3",
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (require_secure_transport default on)",
    },
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2017-12-01/postgresql.json `ServerProperties.sslEnforcement` (`SslEnforcement`, no default)",
    },
    { kind: "not-set", ref: "An unset single-server sslEnforcement is treated as not set and flagged." },
  ],
  unsetMeans:
    "An undeclared `require_secure_transport` keeps the flexible server default, on (server parameter reference; the stack rule postgres-effective-parameters counts it). A single server's `properties.sslEnforcement` has no default in the API spec (Microsoft.DBforPostgreSQL 2017-12-01 postgresql.json, `SslEnforcement`, read 2026-11-30), so unset is not taken as Enabled and is flagged; classic `sslEnforcementEnabled` is required by azurerm, and unset is flagged.",
  check(view) {
    if (!covers(secureTransport, view)) return [];
    if (isType(view.type, "singleServer")) {
      if (isClassic(view.type)) {
        const v = get(view.props, "sslEnforcementEnabled");
        if (isUnknown(v) || v === true) return [];
        return [
          `${lead(secureTransport)}: sslEnforcementEnabled is ${show(v)}. Set sslEnforcementEnabled to true (better: migrate to a flexible server).`,
        ];
      }
      const v = get(view.props, "properties", "sslEnforcement");
      if (isUnknown(v) || lower(v) === "enabled") return [];
      const unset =
        v === undefined || v === null ? " (the API spec declares no default, so unset is not enforced)" : "";
      return [
        `${lead(secureTransport)}: properties.sslEnforcement is ${show(v)}${unset}. Set properties.sslEnforcement to "Enabled" (better: migrate to a flexible server).`,
      ];
    }
    const p = parameterOf(view);
    if (!p || p.name !== "require_secure_transport" || onOff(p.value) !== "off") return [];
    return [
      `${lead(secureTransport)}: require_secure_transport is ${show(p.value)}. Set require_secure_transport to "on".`,
    ];
  },
  remediate(view) {
    if (!covers(secureTransport, view)) return undefined;
    if (secureTransport.check(view, {}).length === 0) return undefined;
    if (isType(view.type, "singleServer")) {
      return isClassic(view.type)
        ? setPath(view.props, ["sslEnforcementEnabled"], true)
        : setPath(view.props, ["properties", "sslEnforcement"], "Enabled");
    }
    return setPath(view.props, ["value"], "on");
  },
};

export const tlsMinVersion: ResourceRule<"postgres-tls-min-version"> = {
  kind: "resource",
  id: "postgres-tls-min-version",
  title: "Minimum TLS version",
  description: "PostgreSQL servers must refuse TLS versions below the configured floor.",
  enforcementLevel: "mandatory",
  resourceTypes: [...PARAMETER_TYPES, ...TOKENS.singleServer],
  config: {
    minimumVersion: {
      type: "string",
      description: "Lowest TLS version accepted.",
      enum: TLS_VERSIONS,
      default: DEFAULT_TLS_VERSION,
    },
  },
  remediation:
    'Set the `ssl_min_protocol_version` parameter to the floor (e.g. "TLSv1.2" or "TLSv1.3"); single server: `minimalTlsVersion: "TLS1_2"` (classic `sslMinimalTlsVersionEnforced`).',
  references: {
    comparison:
      "Same floor as Azure Policy a43d5475 by default (TLS 1.2 or newer); `minimumVersion` may raise it to TLS 1.3.",
    seed: SEED_000.encryptionInTransit,
    azurePolicyId: AZURE_POLICY.flexTls12,
    mcsb: "DP-3",
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (ssl_min_protocol_version default TLSv1.2)",
    },
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2017-12-01/postgresql.json `ServerProperties.minimalTlsVersion` (`MinimalTlsVersion`, no default)",
    },
    {
      kind: "not-set",
      ref: "An unset single-server minimalTlsVersion is treated as not set: no floor, flagged.",
    },
  ],
  unsetMeans:
    'An undeclared `ssl_min_protocol_version` keeps the flexible server default, TLSv1.2 (server parameter reference), which passes the default floor; postgres-effective-parameters counts it. A single server\'s `properties.minimalTlsVersion` has no default in the API spec (Microsoft.DBforPostgreSQL 2017-12-01 postgresql.json, `MinimalTlsVersion`, read 2026-11-30), so unset is treated as not set, no floor, and flagged; classic `sslMinimalTlsVersionEnforced` unset means "TLS1_2" (the azurerm provider default, which decides the deployed value because the provider sends it).',
  check(view, config) {
    if (!covers(tlsMinVersion, view)) return [];
    const floor = cfg(tlsMinVersion, config, "minimumVersion") as string;
    const floorRank = TLS_RANK.get(floor.toLowerCase()) ?? 2;
    const judge = (path: string, v: unknown, unsetMeans: string | undefined, target: string): string[] => {
      if (isUnknown(v)) return [];
      const seen = lower(v === undefined || v === null ? unsetMeans : v);
      const rank = seen !== undefined ? TLS_RANK.get(seen) : undefined;
      if (rank !== undefined && rank >= floorRank) return [];
      const unset =
        v !== undefined && v !== null
          ? ""
          : unsetMeans === undefined
            ? " (the API spec declares no default, so no floor is set)"
            : ` (unset means ${JSON.stringify(unsetMeans)})`;
      return [`${lead(tlsMinVersion)} (${floor}): ${path} is ${show(v)}${unset}. Set ${path} to ${target}.`];
    };
    if (isType(view.type, "singleServer")) {
      // The single server offers nothing above TLS 1.2: a TLS 1.3 floor means migrating.
      const target =
        floor === "TLSv1.2" ? '"TLS1_2"' : '"TLS1_2" and migrate to a flexible server for TLS 1.3';
      return isClassic(view.type)
        ? judge(
            "sslMinimalTlsVersionEnforced",
            get(view.props, "sslMinimalTlsVersionEnforced"),
            "TLS1_2",
            target,
          )
        : judge(
            "properties.minimalTlsVersion",
            get(view.props, "properties", "minimalTlsVersion"),
            undefined,
            target,
          );
    }
    const p = parameterOf(view);
    if (!p || p.name !== "ssl_min_protocol_version" || p.value === undefined || p.value === null) return [];
    return judge("ssl_min_protocol_version", p.value, "TLSv1.2", `${JSON.stringify(floor)} or newer`);
  },
  remediate(view, config) {
    if (!covers(tlsMinVersion, view)) return undefined;
    if (tlsMinVersion.check(view, config).length === 0) return undefined;
    const floor = cfg(tlsMinVersion, config, "minimumVersion") as string;
    if (isType(view.type, "singleServer")) {
      // The single server offers nothing above TLS 1.2; a TLS 1.3 floor has no automatic fix.
      if (floor !== "TLSv1.2") return undefined;
      return isClassic(view.type)
        ? setPath(view.props, ["sslMinimalTlsVersionEnforced"], "TLS1_2")
        : setPath(view.props, ["properties", "minimalTlsVersion"], "TLS1_2");
    }
    return setPath(view.props, ["value"], floor);
  },
};

/** The parameters postgres-connection-logging judges where declared (and postgres-effective-log-parameters where not). */
export const CONNECTION_LOGGING_PARAMETERS = [
  "log_connections",
  "log_disconnections",
  "log_checkpoints",
] as const;
/** The flexible server's throttling switch, and the retired single server's name for it. */
export const CONNECTION_THROTTLING_PARAMETERS = [
  "connection_throttle.enable",
  "connection_throttling",
] as const;
/** The flexible server's server-log retention, and the retired single server's name for it. */
export const LOG_RETENTION_PARAMETERS = ["logfiles.retention_days", "log_retention_days"] as const;

export const connectionLogging = onParameterRule({
  id: "postgres-connection-logging",
  title: "Connection logging",
  description: "PostgreSQL servers should log connections, disconnections and checkpoints.",
  parameters: CONNECTION_LOGGING_PARAMETERS,
  enforcementLevel: "advisory",
  references: {
    comparison:
      "Same as Azure Policy 086709ac, 1d14b021, 70be9e12 and CIS 5.2.2/5.2.6/5.2.7: each parameter on; no threshold.",
    seed: `${SEED_000.monitor}; ${SEED_003.auditing}`,
    azurePolicyId: AZURE_POLICY.flexLogConnections,
    cis: `${CIS.logConnections}; ${CIS.logDisconnections}; ${CIS.logCheckpoints}`,
    links: [policyLink(AZURE_POLICY.flexLogDisconnections), policyLink(AZURE_POLICY.flexLogCheckpoints)],
  },
  remediate: false,
});

export const connectionThrottling = onParameterRule({
  id: "postgres-connection-throttling",
  title: "Connection throttling",
  description: "PostgreSQL servers should throttle repeated failed connection attempts.",
  parameters: CONNECTION_THROTTLING_PARAMETERS,
  enforcementLevel: "advisory",
  references: {
    comparison: "Same as Azure Policy 5345bb39 and CIS 5.2.3: throttling on; no threshold.",
    seed: SEED_000.monitor,
    azurePolicyId: AZURE_POLICY.connectionThrottling,
    cis: CIS.connectionThrottling,
  },
  remediate: false,
});

export const logRetention: ResourceRule<"postgres-log-retention"> = {
  kind: "resource",
  id: "postgres-log-retention",
  title: "Server log retention",
  description: "PostgreSQL servers should keep server log files for at least the configured number of days.",
  enforcementLevel: "advisory",
  resourceTypes: PARAMETER_TYPES,
  config: {
    minimumDays: {
      type: "integer",
      description: `Fewest days of \`logfiles.retention_days\` accepted (Azure allows ${LOG_RETENTION_DAYS.min}-${LOG_RETENTION_DAYS.max}; Azure Policy f5ed3f7a wants at least ${DEFAULT_MIN_LOG_RETENTION_DAYS}).`,
      default: DEFAULT_MIN_LOG_RETENTION_DAYS,
      minimum: LOG_RETENTION_DAYS.min,
      maximum: LOG_RETENTION_DAYS.max,
    },
  },
  remediation:
    "Set the `logfiles.retention_days` parameter (single server `log_retention_days`) to the minimum or more (the component uses 7).",
  references: {
    comparison:
      "Same default as Azure Policy f5ed3f7a (`retentionDays` 7); stricter than CIS 5.2.4 (more than 3 days), which the component uses as its refusal floor (4).",
    seed: `${SEED_000.monitor}; ${SEED_003.auditing}`,
    azurePolicyId: AZURE_POLICY.flexLogRetention,
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (logfiles.retention_days default 3)",
    },
  ],
  unsetMeans:
    "Only a declared `logfiles.retention_days` is judged here. Undeclared, it keeps Azure's default, 3 days on every version (server parameter reference), which the stack rule postgres-effective-log-parameters flags against the same minimum.",
  check(view, config) {
    if (!covers(logRetention, view)) return [];
    const p = parameterOf(view);
    if (!p || !(LOG_RETENTION_PARAMETERS as readonly string[]).includes(p.name)) return [];
    if (p.value === undefined || p.value === null || isUnknown(p.value)) return [];
    const min = cfg(logRetention, config, "minimumDays") as number;
    const days = num(p.value);
    if (days !== undefined && days >= min) return [];
    return [
      `${lead(logRetention)} (${min}): ${p.name} is ${show(p.value)}. Set ${p.name} to "${min}" or more.`,
    ];
  },
};

/**
 * What is wrong with a `pgaudit.log` value for `postgres-pgaudit-enabled`, or undefined when the classes
 * it makes effective include every required class. Shared by the resource rule, the effective-value
 * stack rule and the component.
 */
export function pgauditLogProblem(value: string): string | undefined {
  const effect = pgauditEffectiveClasses(value);
  if (!effect.ok) return `${effect.reason} "${effect.token}", so pgaudit refuses the value`;
  const missing = missingPgauditClasses(value);
  if (missing.length === 0) return undefined;
  const effective = [...effect.classes];
  if (effective.length === 0)
    return `turns auditing off: it audits nothing, without ${missing.join(" and ")}`;
  return `audits ${effective.join(",")}, without ${missing.join(" and ")}`;
}

export const pgauditEnabled: ResourceRule<"postgres-pgaudit-enabled"> = {
  kind: "resource",
  id: "postgres-pgaudit-enabled",
  title: "pgaudit logging",
  description: `PostgreSQL flexible servers must audit with pgaudit, with at least the ${PGAUDIT_REQUIRED_CLASSES.join(" and ")} classes effective in pgaudit.log.`,
  enforcementLevel: "mandatory",
  resourceTypes: PARAMETER_TYPES,
  config: {},
  remediation: `Add pgaudit to \`azure.extensions\` and \`shared_preload_libraries\` and set \`pgaudit.log\` to a list of classes that includes ${PGAUDIT_REQUIRED_CLASSES.join(" and ")}, e.g. "${DEFAULT_PGAUDIT_LOG}" (Azure accepts no "-" subtraction).`,
  references: {
    comparison:
      'Stricter than Azure Policy 4eb5e667, which only wants `pgaudit.log` other than "none": ours requires the role and ddl classes to be effective.',
    seed: `${SEED_003.auditing}; ${SEED_000.monitor}`,
    azurePolicyId: AZURE_POLICY.flexPgAudit,
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (pgaudit.log default none on every version)",
    },
  ],
  unsetMeans:
    'A declared `pgaudit.log` is judged by the classes pgaudit makes effective ("all,-role" lacks role; "-all" and "role,-role" audit nothing); an empty value means none and is flagged. A server that declares no pgaudit.log keeps Azure\'s default "none" (server parameter reference, every version): the stack rule postgres-effective-parameters flags it. Stricter than Azure Policy 4eb5e667, which only wants a value other than "none".',
  check(view) {
    if (!covers(pgauditEnabled, view)) return [];
    const p = parameterOf(view);
    if (!p || p.name !== "pgaudit.log" || isUnknown(p.value)) return [];
    if (p.value === undefined || p.value === null) return [];
    const problem = typeof p.value === "string" ? pgauditLogProblem(p.value) : "is not a string";
    if (problem === undefined) return [];
    return [
      `${lead(pgauditEnabled)}: pgaudit.log is ${show(p.value)}, which ${problem}. Set pgaudit.log to e.g. "${DEFAULT_PGAUDIT_LOG}".`,
    ];
  },
};

export const PARAMETER_RULES = [
  secureTransport,
  tlsMinVersion,
  connectionLogging,
  connectionThrottling,
  logRetention,
  pgauditEnabled,
] as const satisfies readonly ResourceRule[];
