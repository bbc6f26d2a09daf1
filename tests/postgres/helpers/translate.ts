// The one place where Azure server-parameter names become a plain PostgreSQL configuration.
//
// Input: the component's own `serverParameters()` output. Output: postgresql.conf lines, pg_hba.conf
// lines, and the parameters that cannot be tested on a self-hosted PostgreSQL, each with a reason.
// An Azure parameter this function does not know is an error, so a parameter added to the component
// cannot silently escape the real-server suite.

import type { ServerParameter } from "../../../components/postgres/parameters";

/** An Azure parameter (or part of one) the local server cannot reproduce, and why. */
export interface NotTestable {
  name: string;
  value: string;
  reason: string;
}

/** The local configuration derived from an Azure parameter set. */
export interface PostgresConf {
  /** `postgresql.conf` lines (`name = 'value'`). */
  conf: string[];
  /** `pg_hba.conf` lines, in match order. */
  hba: string[];
  /** Azure parameters, or parts of values, that are not tested here. */
  notTestable: NotTestable[];
}

/** Options of {@link toPostgresConf}. */
export interface TranslateOptions {
  /** Libraries that exist on this machine; other `shared_preload_libraries` entries are reported as not testable. */
  availableLibraries: ReadonlySet<string>;
  /** Address clients connect from. Defaults to `127.0.0.1/32`. */
  clientCidr?: string;
}

/** Parameters PostgreSQL itself understands with the same name and value. */
const DIRECT = new Set([
  "ssl_min_protocol_version",
  "pgaudit.log",
  "log_connections",
  "log_disconnections",
  "log_checkpoints",
]);

/** Azure-only knobs: the Azure control plane or its fork of PostgreSQL implements them. */
const AZURE_ONLY: Record<string, string> = {
  "azure.extensions":
    "Azure's extension allow-list is enforced by Azure's fork; here the test creates pgaudit as superuser, standing in for an allow-listed CREATE EXTENSION",
  "connection_throttle.enable": "Azure's per-IP login throttling is not part of PostgreSQL",
  "logfiles.retention_days":
    "Azure's retention of server log files is managed by the platform, not by PostgreSQL",
  "logfiles.download_enable":
    "Azure's server-log download feature is managed by the platform, not by PostgreSQL",
};

function confLine(name: string, value: string): string {
  return `${name} = '${value.replace(/'/g, "''")}'`;
}

/**
 * Translates Azure server parameters into a local PostgreSQL configuration:
 * - `require_secure_transport=on` becomes a TLS-only `pg_hba.conf`: `hostssl` lines for scram-sha-256,
 *   `hostnossl … reject`, and no `host` line. Off would add a plain `host` line.
 * - `ssl_min_protocol_version`, `pgaudit.log` and the `log_*` switches map one to one.
 * - `shared_preload_libraries` keeps the libraries installed here; the rest (e.g. pg_cron) are listed
 *   as not testable.
 * - `azure.extensions`, `connection_throttle.enable` and `logfiles.retention_days` are Azure-only and
 *   listed as not testable.
 * Throws on a parameter it does not know.
 */
export function toPostgresConf(params: ReadonlyArray<ServerParameter>, opts: TranslateOptions): PostgresConf {
  const cidr = opts.clientCidr ?? "127.0.0.1/32";
  const conf: string[] = [];
  const notTestable: NotTestable[] = [];
  let secureTransport: boolean | undefined;

  for (const { name, value } of params) {
    if (name === "require_secure_transport") {
      if (value !== "on" && value !== "off")
        throw new Error(`require_secure_transport must be on or off, got ${value}`);
      secureTransport = value === "on";
    } else if (DIRECT.has(name)) {
      conf.push(confLine(name, value));
    } else if (name === "shared_preload_libraries") {
      const libs = value.split(",").map((l) => l.trim());
      const local = libs.filter((l) => opts.availableLibraries.has(l));
      const missing = libs.filter((l) => !opts.availableLibraries.has(l));
      conf.push(confLine(name, local.join(",")));
      if (missing.length > 0) {
        notTestable.push({
          name,
          value: missing.join(","),
          reason:
            "Azure-provided libraries not installed here; only the locally available ones are preloaded",
        });
      }
    } else if (name in AZURE_ONLY) {
      notTestable.push({ name, value, reason: AZURE_ONLY[name] });
    } else {
      throw new Error(
        `toPostgresConf does not know Azure parameter "${name}"; teach it how to test it, or list it as Azure-only`,
      );
    }
  }
  if (secureTransport === undefined) throw new Error("the parameter set has no require_secure_transport");

  const hba = [
    "# TYPE    DATABASE USER ADDRESS METHOD",
    `hostssl   all      all  ${cidr}  scram-sha-256`,
    ...(secureTransport
      ? [`hostnossl all      all  all  reject`]
      : [`host      all      all  ${cidr}  scram-sha-256`]),
  ];
  return { conf, hba, notTestable };
}
