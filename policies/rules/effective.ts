// Stack rules that judge what Azure will run, not only what a stack declares:
// - postgres-effective-parameters: for each flexible server, its declared parameters (azure-native
//   `Configuration`, classic `FlexibleServerConfiguration`) over Azure's default for the server's
//   PostgreSQL version (policies/facts/server-parameters.ts). A parameter a stack never sets keeps
//   Azure's default, which for pgaudit is "not loaded, pgaudit.log none".
// - postgres-effective-log-parameters: the same for connection logging, connection throttling and
//   server-log retention, whose defaults the resource rules (which judge declared values) never see:
//   connection_throttle.enable is off and logfiles.retention_days is 3 by default.
// - firewall-total-width: the union of a server's firewall rules, so splitting a wide range into
//   many narrow rules does not get past the width limit.
//
// The two effective-value rules share one pass over the stack (serversWithParameters): the servers
// whose parameters are their own, each with its version and its declared parameters by name.

import {
  POSTGRES_MAJOR_VERSIONS,
  azureDefault,
  isPostgresMajorVersion,
  type PostgresMajorVersion,
} from "../facts/server-parameters";
import { firewallUnionProblem } from "./firewall";
import {
  CONNECTION_LOGGING_PARAMETERS,
  CONNECTION_THROTTLING_PARAMETERS,
  LOG_RETENTION_PARAMETERS,
  logRetention,
  onOff,
  parameterOf,
  pgauditLogProblem,
} from "./parameters";
import { lead } from "./postgres";
import { AZURE_POLICY, CIS, SEED_000, SEED_003, policyLink } from "./refs";
import { indexStack, isReplica, label } from "./stack";
import {
  DEFAULT_FIREWALL_PREFIX_LENGTH,
  DEFAULT_PGAUDIT_LOG,
  DEFAULT_TLS_VERSION,
  FIREWALL_PREFIX_LENGTH,
  TLS_RANK,
  TLS_VERSIONS,
} from "./thresholds";
import { isType } from "./tokens";
import type { StackResourceView, StackRule, StackViolation } from "./types";
import { cfg, get, isUnknown, lower, num, parseIPv4, show } from "./util";

/** The server's major version when known; undefined when unset, unknown or not one Azure offers. */
function versionOf(server: StackResourceView): PostgresMajorVersion | undefined {
  const v = get(server.props, "version");
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : undefined;
  return isPostgresMajorVersion(s) ? s : undefined;
}

/**
 * Azure's default for a parameter on the server's version. With the version unset or unknown, the
 * default every version shares (undefined when versions differ).
 */
function defaultFor(name: string, version: PostgresMajorVersion | undefined): string | undefined {
  if (version !== undefined) return azureDefault(name, version);
  const all = new Set(POSTGRES_MAJOR_VERSIONS.map((v) => azureDefault(name, v)));
  return all.size === 1 ? [...all][0] : undefined;
}

type Effective =
  | { kind: "declared"; value: string; resource: StackResourceView }
  | { kind: "default"; value: string }
  | { kind: "unknown" };

/** A flexible server whose parameters the effective-value rules judge. */
interface ServerParameters {
  readonly server: StackResourceView;
  readonly version: PostgresMajorVersion | undefined;
  /** The server's parameter resources by lower-cased parameter name, in stack order. */
  readonly declared: ReadonlyMap<string, StackResourceView[]>;
}

const serversCache = new WeakMap<readonly StackResourceView[], readonly ServerParameters[]>();

/**
 * The flexible servers whose parameters are their own, with their declared parameters, built once per
 * resources array (on the shared stack index) for both effective-value rules. Left out: read replicas,
 * which take the primary's parameters at creation (Microsoft Learn, read replicas, "Server
 * parameters"), and servers whose version is not known yet.
 */
function serversWithParameters(resources: readonly StackResourceView[]): readonly ServerParameters[] {
  const hit = serversCache.get(resources);
  if (hit) return hit;
  const ix = indexStack(resources);
  const out: ServerParameters[] = [];
  for (const s of ix.servers) {
    if (!isType(s.type, "flexibleServer") || isReplica(s)) continue;
    if (isUnknown(get(s.props, "version"))) continue;
    const declared = new Map<string, StackResourceView[]>();
    for (const r of ix.parameters.get(s.urn) ?? []) {
      const p = parameterOf(r);
      if (!p) continue;
      const l = declared.get(p.name);
      if (l) l.push(r);
      else declared.set(p.name, [r]);
    }
    out.push({ server: s, version: versionOf(s), declared });
  }
  if (Array.isArray(resources)) serversCache.set(resources, out);
  return out;
}

/** The effective value of one parameter on a server: the declared one, else Azure's default. */
function effective(s: ServerParameters, name: string): Effective {
  const list = s.declared.get(name) ?? [];
  for (const r of list) {
    const p = parameterOf(r);
    if (p === undefined || isUnknown(p.value)) return { kind: "unknown" };
  }
  const last = list.at(-1);
  if (last) {
    const v = parameterOf(last)?.value;
    if (v !== undefined && v !== null)
      return {
        kind: "declared",
        // A value that is not a scalar is malformed (Azure takes a string): it loads and audits nothing.
        value: typeof v === "string" ? v : typeof v === "object" || typeof v === "function" ? "" : String(v),
        resource: last,
      };
  }
  const def = defaultFor(name, s.version);
  return def === undefined ? { kind: "unknown" } : { kind: "default", value: def };
}

function seen(name: string, e: Effective, version: PostgresMajorVersion | undefined): string {
  if (e.kind === "declared") return `${name} is ${show(e.value)}`;
  const on = version === undefined ? "every version" : `PostgreSQL ${version}`;
  return `${name} is not declared, so Azure's default for ${on} applies (${show(e.kind === "default" ? e.value : undefined)})`;
}

/**
 * Runs an effective-value rule: `judge` lists what is wrong with one server (reading effective values
 * through `at`) and how to fix it; one violation per server that has a problem.
 */
function judgeServers(
  rule: { description: string },
  resources: readonly StackResourceView[],
  judge: (
    at: (name: string) => Effective,
    seenAt: (name: string, e: Effective) => string,
  ) => {
    problems: string[];
    fix: string;
  },
): StackViolation[] {
  const out: StackViolation[] = [];
  for (const s of serversWithParameters(resources)) {
    const { problems, fix } = judge(
      (name) => effective(s, name),
      (name, e) => seen(name, e, s.version),
    );
    if (problems.length === 0) continue;
    out.push({
      urn: s.server.urn,
      message: `${lead(rule)}: ${label(s.server)}${s.version ? ` (PostgreSQL ${s.version})` : ""}: ${problems.join("; ")}. ${fix}`,
    });
  }
  return out;
}

const list = (v: string): string[] =>
  v
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");

/** Replica decision of the effective-value rules. */
const REPLICA_TAKES_PRIMARY_PARAMETERS =
  'Skipped: a replica takes the primary\'s server parameters at creation (Microsoft Learn, read replicas, "Server parameters"); the primary is judged, and parameter resources a stack declares on a replica are judged by the resource rules.';

const SERVER_PARAMETERS_SOURCE = {
  kind: "learn",
  ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (default value per parameter and version; tabulated with sources in policies/facts/server-parameters.ts)",
} as const;

export const effectiveParameters: StackRule<"postgres-effective-parameters"> = {
  kind: "stack",
  id: "postgres-effective-parameters",
  title: "Effective server parameters",
  description:
    "PostgreSQL flexible servers must run with pgaudit loaded and auditing role and ddl, TLS required and a TLS floor, counting Azure's default for every parameter the stack does not set.",
  enforcementLevel: "mandatory",
  config: {
    minimumTlsVersion: {
      type: "string",
      description: "Lowest TLS version accepted (same floor as postgres-tls-min-version).",
      enum: TLS_VERSIONS,
      default: DEFAULT_TLS_VERSION,
    },
  },
  replica: REPLICA_TAKES_PRIMARY_PARAMETERS,
  remediation: `Declare the parameters on the server: \`azure.extensions\` and \`shared_preload_libraries\` including pgaudit (keep Azure's default libraries for the version), \`pgaudit.log\` with role and ddl (e.g. "${DEFAULT_PGAUDIT_LOG}"), \`require_secure_transport\` "on" and \`ssl_min_protocol_version\` at the floor. shared_preload_libraries is static: the server must restart once.`,
  references: {
    comparison:
      "Judges what the AuditIfNotExists built-ins 4eb5e667 (pgaudit), c29c38cb (TLS required) and a43d5475 (TLS 1.2 or newer) judge on the deployed server, counting Azure's defaults; stricter on pgaudit (role and ddl), the same TLS floor by default.",
    seed: `${SEED_003.auditing}; ${SEED_000.monitor}; ${SEED_000.encryptionInTransit}`,
    azurePolicyId: AZURE_POLICY.flexPgAudit,
    cis: CIS.sslEnforcement,
    links: [
      policyLink(AZURE_POLICY.flexSsl),
      policyLink(AZURE_POLICY.flexTls12),
      "https://learn.microsoft.com/azure/postgresql/security/security-audit",
    ],
  },
  unsetSource: [SERVER_PARAMETERS_SOURCE],
  unsetMeans:
    'A parameter the stack does not declare for a server takes Azure\'s default for the server\'s PostgreSQL version (policies/facts/server-parameters.ts, from the Microsoft Learn server parameter reference): pgaudit.log "none" and shared_preload_libraries without pgaudit on every version (flagged, like the AuditIfNotExists built-in 4eb5e667), require_secure_transport "on" and ssl_min_protocol_version "TLSv1.2" (pass at the default floor). With the version unset the default shared by every version is used. A declared pgaudit.log, require_secure_transport or ssl_min_protocol_version is left to its resource rule (postgres-pgaudit-enabled, postgres-secure-transport, postgres-tls-min-version), so nothing is reported twice; a declared shared_preload_libraries, which no resource rule reads, is judged here. Parameter values not known yet pass. Read replicas are skipped: they take the primary\'s parameters at creation (Microsoft Learn, read replicas), and the primary is judged.',
  check(resources, config) {
    const floor = cfg(effectiveParameters, config, "minimumTlsVersion") as string;
    const floorRank = TLS_RANK.get(floor.toLowerCase()) ?? 2;
    return judgeServers(effectiveParameters, resources, (at, seenAt) => {
      const problems: string[] = [];
      // A declared pgaudit.log, require_secure_transport or ssl_min_protocol_version is judged by its
      // resource rule (postgres-pgaudit-enabled, -secure-transport, -tls-min-version); this rule judges
      // what the stack leaves to Azure's default, so a value is never reported twice. No resource rule
      // reads shared_preload_libraries, so it is judged here declared or not.
      const audit = at("pgaudit.log");
      if (audit.kind === "default") {
        const problem = pgauditLogProblem(audit.value);
        if (problem !== undefined) problems.push(`${seenAt("pgaudit.log", audit)}, which ${problem}`);
      }
      const preload = at("shared_preload_libraries");
      if (preload.kind !== "unknown" && !list(preload.value).includes("pgaudit"))
        problems.push(`${seenAt("shared_preload_libraries", preload)}, which does not load pgaudit`);
      const secure = at("require_secure_transport");
      if (secure.kind === "default" && onOff(secure.value) !== "on")
        problems.push(
          `${seenAt("require_secure_transport", secure)}, so connections without TLS are accepted`,
        );
      const tls = at("ssl_min_protocol_version");
      if (tls.kind === "default") {
        const rank = TLS_RANK.get(lower(tls.value) ?? "");
        if (rank === undefined || rank < floorRank)
          problems.push(`${seenAt("ssl_min_protocol_version", tls)}, below ${floor}`);
      }
      return {
        problems,
        fix: `Declare the parameters, e.g. pgaudit.log "${DEFAULT_PGAUDIT_LOG}" and pgaudit in shared_preload_libraries.`,
      };
    });
  },
};

/** What an "off" logging or throttling switch at Azure's default leaves undone. */
const SWITCH_LOSS: Readonly<Record<string, string>> = {
  log_connections: "connection attempts are not logged",
  log_disconnections: "session ends are not logged",
  log_checkpoints: "checkpoints are not logged",
  "connection_throttle.enable": "repeated failed logins from one address are not throttled",
};

export const effectiveLogParameters: StackRule<"postgres-effective-log-parameters"> = {
  kind: "stack",
  id: "postgres-effective-log-parameters",
  title: "Effective logging parameters",
  description:
    "PostgreSQL flexible servers should log connections, disconnections and checkpoints, throttle failed logins and keep server logs for the minimum number of days, counting Azure's default for every such parameter the stack does not set.",
  enforcementLevel: "advisory",
  config: {
    minimumLogRetentionDays: {
      ...logRetention.config.minimumDays,
      description: `${logRetention.config.minimumDays.description} Same floor as postgres-log-retention, applied to Azure's default when the stack does not declare the parameter.`,
    },
  },
  replica: REPLICA_TAKES_PRIMARY_PARAMETERS,
  remediation:
    'Declare the parameters on the server: `log_connections`, `log_disconnections`, `log_checkpoints` and `connection_throttle.enable` "on" (PostgreSQL 12-17; 18 has no connection_throttle.enable), and `logfiles.retention_days` at the minimum or more (the component declares all of them; retention 7 days by default).',
  references: {
    comparison:
      "Judges what the built-ins judge on the deployed server, where Azure's default counts: f5ed3f7a (DeployIfNotExists, `retentionDays` 7, the same default minimum; CIS 5.2.4 wants more than 3 days), 5345bb39 (connection throttling on, single server; its flexible-server twin dacf07fa is deprecated) and 086709ac, 1d14b021, 70be9e12 (each logging switch on; Azure's default, on, passes).",
    seed: `${SEED_000.monitor}; ${SEED_003.auditing}`,
    azurePolicyId: AZURE_POLICY.flexLogRetention,
    cis: `${CIS.connectionThrottling}; ${CIS.logConnections}; ${CIS.logDisconnections}; ${CIS.logCheckpoints}`,
    links: [
      policyLink(AZURE_POLICY.connectionThrottling),
      policyLink(AZURE_POLICY.flexLogConnections),
      policyLink(AZURE_POLICY.flexLogDisconnections),
      policyLink(AZURE_POLICY.flexLogCheckpoints),
    ],
  },
  unsetSource: [SERVER_PARAMETERS_SOURCE],
  unsetMeans:
    'A parameter the stack does not declare for a server takes Azure\'s default for the server\'s PostgreSQL version (policies/facts/server-parameters.ts, from the Microsoft Learn server parameter reference, read 2026-11-30): logfiles.retention_days 3 on every version (flagged below the minimum, 7 by default, like the built-in f5ed3f7a), connection_throttle.enable "off" on 12-17 (flagged; PostgreSQL 18 has no such parameter, so nothing is judged there), log_connections, log_disconnections and log_checkpoints "on" (pass). With the version unset the default shared by every version is used, so retention is flagged and throttling, which 18 lacks, is not judged. A declared parameter with a value is left to its resource rule (postgres-connection-logging, postgres-connection-throttling, postgres-log-retention), so nothing is reported twice; one declared without a value keeps the default and is judged here. Values not known yet pass. Read replicas are skipped: they take the primary\'s parameters at creation (Microsoft Learn, read replicas), and the primary is judged.',
  check(resources, config) {
    const minDays = cfg(effectiveLogParameters, config, "minimumLogRetentionDays") as number;
    const [retentionName] = LOG_RETENTION_PARAMETERS;
    const [throttleName] = CONNECTION_THROTTLING_PARAMETERS;
    return judgeServers(effectiveLogParameters, resources, (at, seenAt) => {
      // Declared values are judged by postgres-connection-logging, -connection-throttling and
      // -log-retention; only Azure's defaults are judged here, so a value is never reported twice.
      const problems: string[] = [];
      const fixes: string[] = [];
      for (const name of [...CONNECTION_LOGGING_PARAMETERS, throttleName]) {
        const e = at(name);
        if (e.kind !== "default" || onOff(e.value) === "on") continue;
        problems.push(`${seenAt(name, e)}, so ${SWITCH_LOSS[name]}`);
        fixes.push(`${name} "on"`);
      }
      const retention = at(retentionName);
      if (retention.kind === "default") {
        const days = num(retention.value);
        if (days === undefined || days < minDays) {
          problems.push(`${seenAt(retentionName, retention)}, fewer than ${minDays} days`);
          fixes.push(`${retentionName} "${minDays}"`);
        }
      }
      return { problems, fix: `Declare ${fixes.join(" and ")}.` };
    });
  },
};

export const firewallTotalWidth: StackRule<"firewall-total-width"> = {
  kind: "stack",
  id: "firewall-total-width",
  title: "Firewall width per server",
  description:
    "PostgreSQL servers must not admit, through firewall rules that overlap or touch, a run of addresses wider than the configured prefix length.",
  enforcementLevel: "mandatory",
  replica:
    'Judged as on any server: a replica\'s firewall rules are its own after creation (Microsoft Learn, read replicas: firewall rules "can be added, deleted, or modified").',
  config: {
    minimumPrefixLength: {
      type: "integer",
      description: `Each run of addresses that a server's overlapping or adjacent firewall rules admit together must fit in a /N block (${DEFAULT_FIREWALL_PREFIX_LENGTH}: 256 addresses); ${FIREWALL_PREFIX_LENGTH.min}-${FIREWALL_PREFIX_LENGTH.max}, the same range as firewall-no-open-ranges.`,
      default: DEFAULT_FIREWALL_PREFIX_LENGTH,
      minimum: FIREWALL_PREFIX_LENGTH.min,
      maximum: FIREWALL_PREFIX_LENGTH.max,
    },
  },
  remediation:
    "Remove firewall rules until the server admits only the client addresses that need it, or connect through a private endpoint. Splitting a range into narrower rules does not make it narrower.",
  references: {
    comparison:
      "Azure Policy 5e1de0e3 and CIS 5.2.5 want no public access at all; this rule applies when that is waived and caps the union of a server's ranges at one /24 by default: a limit of ours.",
    seed: `${SEED_000.firewall}; ${SEED_000.publicAccess}`,
    azurePolicyId: AZURE_POLICY.flexPublicAccessDisabled,
    cis: CIS.publicAccess,
    mcsb: "NS-2",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `FirewallRuleProperties` (startIpAddress and endIpAddress required, no default)",
    },
    { kind: "not-set", ref: "A rule whose addresses are not known yet is not counted in any run." },
  ],
  unsetMeans:
    "Firewall rules are linked to their server by server id, by server name and resource group, or by dependency. Rules that overlap or touch form one run, judged as firewall-no-open-ranges judges one rule, so splitting a range does not make it narrower; separate ranges are judged apart. A single rule is left to firewall-no-open-ranges. Rules whose addresses are not known yet, or are not IPv4, do not count.",
  check(resources, config) {
    const ix = indexStack(resources);
    const min = cfg(firewallTotalWidth, config, "minimumPrefixLength") as number;
    const out: StackViolation[] = [];
    for (const s of ix.servers) {
      const rules = ix.firewallRules.get(s.urn) ?? [];
      const ranges: [number, number][] = [];
      for (const r of rules) {
        const a = parseIPv4(get(r.props, "startIpAddress"));
        const b = parseIPv4(get(r.props, "endIpAddress"));
        if (a !== undefined && b !== undefined && a <= b) ranges.push([a, b]);
      }
      if (ranges.length < 2) continue;
      const problem = firewallUnionProblem(ranges, min);
      if (problem === undefined) continue;
      out.push({
        urn: s.urn,
        message: `${lead(firewallTotalWidth)}: ${label(s)}: ${problem}. Keep only the client addresses that need access, or connect through a private endpoint.`,
      });
    }
    return out;
  },
};

export const EFFECTIVE_STACK_RULES = [
  effectiveParameters,
  effectiveLogParameters,
  firewallTotalWidth,
] as const satisfies readonly StackRule[];
