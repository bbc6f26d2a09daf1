// Stack rules that judge what Azure will run, not only what a stack declares:
// - postgres-effective-parameters: for each flexible server, its declared parameters (azure-native
//   `Configuration`, classic `FlexibleServerConfiguration`) over Azure's default for the server's
//   PostgreSQL version (policies/facts/server-parameters.ts). A parameter a stack never sets keeps
//   Azure's default, which for pgaudit is "not loaded, pgaudit.log none".
// - firewall-total-width: the union of a server's firewall rules, so splitting a wide range into
//   many narrow rules does not get past the width limit.

import {
  POSTGRES_MAJOR_VERSIONS,
  azureDefault,
  isPostgresMajorVersion,
  type PostgresMajorVersion,
} from "../facts/server-parameters";
import { firewallUnionProblem } from "./firewall";
import { parameterOf, pgauditLogProblem } from "./parameters";
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
import { cfg, get, isUnknown, lower, parseIPv4, show } from "./util";

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

/** The effective value of one parameter on a server: the declared one, else Azure's default. */
function effective(
  declared: ReadonlyMap<string, StackResourceView[]>,
  name: string,
  version: PostgresMajorVersion | undefined,
): Effective {
  const list = declared.get(name) ?? [];
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
  const def = defaultFor(name, version);
  return def === undefined ? { kind: "unknown" } : { kind: "default", value: def };
}

function seen(name: string, e: Effective, version: PostgresMajorVersion | undefined): string {
  if (e.kind === "declared") return `${name} is ${show(e.value)}`;
  const on = version === undefined ? "every version" : `PostgreSQL ${version}`;
  return `${name} is not declared, so Azure's default for ${on} applies (${show(e.kind === "default" ? e.value : undefined)})`;
}

const list = (v: string): string[] =>
  v
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");

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
  replica:
    'Skipped: a replica takes the primary\'s server parameters at creation (Microsoft Learn, read replicas, "Server parameters"); the primary is judged, and parameter resources a stack declares on a replica are judged by the resource rules.',
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
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/server-parameters/concepts-server-parameters (default value per parameter and version; tabulated with sources in policies/facts/server-parameters.ts)",
    },
  ],
  unsetMeans:
    'A parameter the stack does not declare for a server takes Azure\'s default for the server\'s PostgreSQL version (policies/facts/server-parameters.ts, from the Microsoft Learn server parameter reference): pgaudit.log "none" and shared_preload_libraries without pgaudit on every version (flagged, like the AuditIfNotExists built-in 4eb5e667), require_secure_transport "on" and ssl_min_protocol_version "TLSv1.2" (pass at the default floor). With the version unset the default shared by every version is used. A declared pgaudit.log, require_secure_transport or ssl_min_protocol_version is left to its resource rule (postgres-pgaudit-enabled, postgres-secure-transport, postgres-tls-min-version), so nothing is reported twice; a declared shared_preload_libraries, which no resource rule reads, is judged here. Parameter values not known yet pass. Read replicas are skipped: they take the primary\'s parameters at creation (Microsoft Learn, read replicas), and the primary is judged.',
  check(resources, config) {
    const ix = indexStack(resources);
    const floor = cfg(effectiveParameters, config, "minimumTlsVersion") as string;
    const floorRank = TLS_RANK.get(floor.toLowerCase()) ?? 2;
    const out: StackViolation[] = [];
    for (const s of ix.servers) {
      if (!isType(s.type, "flexibleServer") || isReplica(s)) continue;
      if (isUnknown(get(s.props, "version"))) continue;
      const version = versionOf(s);
      const declared = new Map<string, StackResourceView[]>();
      for (const r of ix.parameters.get(s.urn) ?? []) {
        const p = parameterOf(r);
        if (!p) continue;
        const l = declared.get(p.name);
        if (l) l.push(r);
        else declared.set(p.name, [r]);
      }
      const problems: string[] = [];
      // A declared pgaudit.log, require_secure_transport or ssl_min_protocol_version is judged by its
      // resource rule (postgres-pgaudit-enabled, -secure-transport, -tls-min-version); this rule judges
      // what the stack leaves to Azure's default, so a value is never reported twice. No resource rule
      // reads shared_preload_libraries, so it is judged here declared or not.
      const audit = effective(declared, "pgaudit.log", version);
      if (audit.kind === "default") {
        const problem = pgauditLogProblem(audit.value);
        if (problem !== undefined) problems.push(`${seen("pgaudit.log", audit, version)}, which ${problem}`);
      }
      const preload = effective(declared, "shared_preload_libraries", version);
      if (preload.kind !== "unknown" && !list(preload.value).includes("pgaudit"))
        problems.push(`${seen("shared_preload_libraries", preload, version)}, which does not load pgaudit`);
      const secure = effective(declared, "require_secure_transport", version);
      if (secure.kind === "default" && !["on", "true", "1", "yes"].includes(lower(secure.value) ?? ""))
        problems.push(
          `${seen("require_secure_transport", secure, version)}, so connections without TLS are accepted`,
        );
      const tls = effective(declared, "ssl_min_protocol_version", version);
      if (tls.kind === "default") {
        const rank = TLS_RANK.get(lower(tls.value) ?? "");
        if (rank === undefined || rank < floorRank)
          problems.push(`${seen("ssl_min_protocol_version", tls, version)}, below ${floor}`);
      }
      if (problems.length === 0) continue;
      out.push({
        urn: s.urn,
        message: `${lead(effectiveParameters)}: ${label(s)}${version ? ` (PostgreSQL ${version})` : ""}: ${problems.join("; ")}. Declare the parameters, e.g. pgaudit.log "${DEFAULT_PGAUDIT_LOG}" and pgaudit in shared_preload_libraries.`,
      });
    }
    return out;
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
  firewallTotalWidth,
] as const satisfies readonly StackRule[];
