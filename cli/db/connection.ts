// The `<connection>` argument of `zt-postgres db apply|verify`: a libpq URI or keyword/value string,
// turned into `pg` client settings. TLS is verified by default (sslmode=verify-full), and without a
// password the client signs in with a Microsoft Entra access token.
//
// Formats (libpq, "Connection Strings", https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING,
// read 2026-11-30):
//   postgresql://user[:password]@host[:port]/dbname?sslmode=verify-full&sslrootcert=/path/ca.pem
//   host=... port=... dbname=... user=... password=... sslmode=... sslrootcert=...
//
// Entra tokens: the token's resource is https://ossrdbms-aad.database.windows.net (so the scope is that
// plus `/.default`) and it is sent as the password ("Configure Microsoft Entra authentication":
// https://learn.microsoft.com/azure/postgresql/security/security-entra-configure, read 2026-11-30). The token comes from @azure/identity's DefaultAzureCredential (environment,
// workload identity, managed identity, Azure CLI ...):
// https://learn.microsoft.com/javascript/api/@azure/identity/defaultazurecredential (read 2026-11-30).
//
// Secrets: the password (or token) is kept out of every message; {@link redact} removes it from any
// text that might still carry it (a server error that echoes input, say).

import * as fs from "node:fs";
import type { ClientConfig } from "pg";

import { InputError } from "../audit/errors";

/** The OAuth scope of Azure Database for PostgreSQL (security-entra-configure, read 2026-11-30; see above). */
export const ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default";

/** sslmode values we accept. `prefer` and `allow` are refused: they fall back to plaintext silently. */
export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

const KEYS = [
  "host",
  "port",
  "dbname",
  "user",
  "password",
  "sslmode",
  "sslrootcert",
  "connect_timeout",
] as const;
type Key = (typeof KEYS)[number];

/** A parsed connection string. `password` is absent when the token should be fetched. */
export interface Connection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: SslMode;
  sslrootcert?: string;
  connectTimeoutSeconds: number;
}

/** How the password is obtained when the connection string has none. Tests pass their own. */
export type TokenSource = (scope: string) => Promise<string>;

function bad(message: string): InputError {
  return new InputError("usage", `connection: ${message}`);
}

function parseKeywordValue(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const eq = s.indexOf("=", i);
    if (eq < 0)
      throw bad(
        `"${s.slice(i).split(/\s/)[0]}" is not key=value; write e.g. host=myserver.postgres.database.azure.com`,
      );
    const key = s.slice(i, eq).trim();
    i = eq + 1;
    while (i < s.length && s[i] === " ") i++;
    let value = "";
    if (s[i] === "'") {
      i++;
      for (;;) {
        if (i >= s.length) throw bad(`the quoted value of "${key}" is not closed`);
        if (s[i] === "\\" && i + 1 < s.length) {
          value += s[i + 1];
          i += 2;
        } else if (s[i] === "'") {
          i++;
          break;
        } else value += s[i++];
      }
    } else {
      while (i < s.length && !/\s/.test(s[i])) {
        if (s[i] === "\\" && i + 1 < s.length) {
          value += s[i + 1];
          i += 2;
        } else value += s[i++];
      }
    }
    out.set(key, value);
  }
  return out;
}

function parseUri(text: string): Map<string, string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad("is not a valid postgresql:// URI; write postgresql://user@host:5432/dbname");
  }
  const out = new Map<string, string>();
  if (url.hostname) out.set("host", decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, "$1"));
  if (url.port) out.set("port", url.port);
  if (url.username) out.set("user", decodeURIComponent(url.username));
  if (url.password) out.set("password", decodeURIComponent(url.password));
  const db = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (db) out.set("dbname", db);
  for (const [k, v] of url.searchParams) out.set(k, v);
  return out;
}

/**
 * Parses a connection string. Errors name the field and what is allowed, never the password, and are
 * thrown before any connection is attempted.
 */
export function parseConnection(text: string): Connection {
  if ([...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    throw bad("contains control characters");
  }
  const values = /^postgres(ql)?:\/\//i.test(text) ? parseUri(text) : parseKeywordValue(text);
  for (const key of values.keys()) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw bad(`unknown parameter "${key}"; use ${KEYS.join(", ")}`);
    }
  }
  const get = (k: Key) => values.get(k);
  const host = get("host");
  if (!host) throw bad('no host; give the server name, e.g. "host=myserver.postgres.database.azure.com"');
  if (host.startsWith("/")) throw bad(`host "${host}" is a Unix socket directory; give a TCP host name`);
  const portText = get("port") ?? "5432";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw bad(`port "${portText}" is not a port number; use 1-65535`);
  }
  const user = get("user");
  if (!user) throw bad("no user; give the role to sign in as (the Microsoft Entra administrator's name)");
  const sslmode = (get("sslmode") ?? "verify-full") as SslMode;
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw bad(
      `sslmode "${sslmode}" is not allowed; use one of ${SSL_MODES.join(", ")} (default verify-full)`,
    );
  }
  const sslrootcert = get("sslrootcert");
  if (sslrootcert !== undefined && !fs.existsSync(sslrootcert)) {
    throw bad(`sslrootcert "${sslrootcert}": no such file`);
  }
  const timeoutText = get("connect_timeout") ?? "15";
  const connectTimeoutSeconds = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText) || connectTimeoutSeconds < 1) {
    throw bad(`connect_timeout "${timeoutText}" is not a positive number of seconds`);
  }
  const password = get("password");
  return {
    host,
    port,
    database: get("dbname") ?? "postgres",
    user,
    ...(password ? { password } : {}),
    sslmode,
    ...(sslrootcert !== undefined ? { sslrootcert } : {}),
    connectTimeoutSeconds,
  };
}

/** Where we are connecting, for messages: no password. */
export function describe(c: Connection, database = c.database): string {
  return `${c.user}@${c.host}:${c.port}/${database}`;
}

/** The default token source: DefaultAzureCredential, loaded only when a token is needed. */
export const defaultTokenSource: TokenSource = async (scope) => {
  const { DefaultAzureCredential } = await import("@azure/identity");
  const token = await new DefaultAzureCredential().getToken(scope);
  if (!token?.token) throw new Error("DefaultAzureCredential returned no token");
  return token.token;
};

/** The password to sign in with: the connection's own, or an Entra token. */
export async function resolvePassword(c: Connection, tokens: TokenSource): Promise<string> {
  if (c.password !== undefined) return c.password;
  if (c.sslmode === "disable") {
    throw bad("sslmode=disable with an Entra token would send the token in clear; use sslmode=verify-full");
  }
  try {
    return await tokens(ENTRA_SCOPE);
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split("\n", 1)[0];
    throw new InputError(
      "usage",
      `connection: no password given and no Microsoft Entra token could be obtained for ${ENTRA_SCOPE} (${first.slice(0, 300)}); sign in with "az login", or run with a managed or workload identity`,
    );
  }
}

/** `pg` client settings for one database of the server. */
export function clientConfig(c: Connection, password: string, database = c.database): ClientConfig {
  let ssl: ClientConfig["ssl"];
  if (c.sslmode === "disable") ssl = false;
  else {
    const ca = c.sslrootcert !== undefined ? fs.readFileSync(c.sslrootcert, "utf8") : undefined;
    ssl = {
      rejectUnauthorized: c.sslmode !== "require",
      ...(ca !== undefined ? { ca } : {}),
      // verify-ca checks the chain but not the host name.
      ...(c.sslmode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    password,
    database,
    ssl,
    connectionTimeoutMillis: c.connectTimeoutSeconds * 1000,
    application_name: "zt-postgres",
  };
}

/** Removes every occurrence of the secrets from a text. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  }
  return out;
}
