// A throw-away PostgreSQL 15 cluster with pgaudit, TLS from a test CA, and the component's own
// server parameters (via toPostgresConf), on a free loopback port, with no Unix socket.
// Always stopped and deleted: by `stop()` from after() hooks, and by exit and signal handlers when a
// run dies first (tests/postgres/lifecycle.test.ts proves both). Runs the PostgreSQL binaries as the
// `postgres` OS user when the tests run as root, since initdb refuses root.

import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Client, type ClientConfig } from "pg";
import type { ServerParameter } from "../../../components/postgres/parameters";
import { toPostgresConf, type NotTestable } from "./translate";

const run = promisify(execFile);

/** Where Debian's postgresql-15 puts its binaries and libraries. */
export const PG_BIN = "/usr/lib/postgresql/15/bin";
export const PG_LIB = "/usr/lib/postgresql/15/lib";
/** The bootstrap superuser, standing in for Azure's own `azuresu`. */
export const SUPERUSER = "azuresu";

/** Throws, with how to fix it, unless PostgreSQL 15, pgaudit and openssl are installed. Never skips. */
export function requirePostgres(): void {
  const missing: string[] = [];
  if (!fs.existsSync(path.join(PG_BIN, "initdb"))) missing.push(`${PG_BIN}/initdb (package postgresql-15)`);
  if (!fs.existsSync(path.join(PG_LIB, "pgaudit.so")))
    missing.push(`${PG_LIB}/pgaudit.so (package postgresql-15-pgaudit)`);
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
  } catch {
    missing.push("openssl");
  }
  if (missing.length > 0) {
    throw new Error(
      `The real-server suite needs ${missing.join(", ")}. Install them with ` +
        "`apt-get install postgresql-15 postgresql-15-pgaudit openssl` (.ci/run does this).",
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` OS user when we are root (initdb refuses root). */
async function pg(bin: string, args: string[]): Promise<string> {
  const [cmd, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", path.join(PG_BIN, bin), ...args]]
    : [path.join(PG_BIN, bin), args];
  try {
    const { stdout } = await run(cmd, argv, { env: { ...process.env, LC_ALL: "C" } });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${bin} ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
  }
}

/** Synchronous clean-ups still due (running clusters, the initdb template): a signal runs them first. */
const cleanups = new Set<() => void>();
let signalsHooked = false;
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const cleanup of [...cleanups]) cleanup();
      // Die of the same signal, as if we had not caught it.
      process.kill(process.pid, signal);
    });
  }
}

/** An initdb'd data directory and its superuser password, copied by every cluster. */
export interface ClusterTemplate {
  dataDir: string;
  password: string;
}

let template: Promise<ClusterTemplate> | undefined;

/**
 * One initdb per process tree (initdb is the slow part of a start): later clusters copy its data
 * directory. A child process inherits it through ZT_PG_TEMPLATE and ZT_PG_TEMPLATE_PASSWORD and leaves
 * it alone; the process that made it deletes it on exit or signal.
 */
export function clusterTemplate(): Promise<ClusterTemplate> {
  template ??= makeTemplate();
  return template;
}

async function makeTemplate(): Promise<ClusterTemplate> {
  const inherited = process.env.ZT_PG_TEMPLATE;
  const inheritedPassword = process.env.ZT_PG_TEMPLATE_PASSWORD;
  if (inherited && inheritedPassword && fs.existsSync(inherited)) {
    return { dataDir: inherited, password: inheritedPassword };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-pg-template-"));
  const remove = () => {
    cleanups.delete(remove);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(remove);
  process.once("exit", remove);
  hookSignals();
  const password = `su-${randomBytes(12).toString("hex")}`;
  const pwfile = path.join(dir, "pwfile");
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const dataDir = path.join(dir, "data");
  await pg("initdb", [
    "-D",
    dataDir,
    "-U",
    SUPERUSER,
    `--pwfile=${pwfile}`,
    "--auth=scram-sha-256",
    "--encoding=UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  fs.rmSync(pwfile);
  fs.appendFileSync(path.join(dataDir, "postgresql.conf"), "\ninclude = 'zero_trust.conf'\n");
  return { dataDir, password };
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

/** A self-signed EC P-256 CA written to `<name>.key` and `<name>.crt` in `dir`. */
function selfSignedCa(dir: string, name: string, subject: string, days: string): void {
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-days",
      days,
      "-subj",
      subject,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
    ],
    dir,
  );
}

/** A CA and a server certificate for CN/SAN localhost and 127.0.0.1, plus an unrelated CA. */
function makeCertificates(dir: string): void {
  const days = "2";
  selfSignedCa(dir, "ca", "/CN=zero-trust test CA", days);
  openssl(
    [
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      "/CN=localhost",
    ],
    dir,
  );
  fs.writeFileSync(
    path.join(dir, "server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.crt",
    ].concat(["-days", days, "-extfile", "server.ext"]),
    dir,
  );
  // A CA that did not sign the server: verify-full against it must fail.
  selfSignedCa(dir, "rogue-ca", "/CN=rogue CA", days);
  fs.chmodSync(path.join(dir, "server.key"), 0o600);
}

/** Connection options for {@link TestCluster.connect}. */
export interface ConnectOptions {
  user: string;
  password: string;
  database?: string;
  /** `false` for a plain TCP connection; otherwise TLS verified against the test CA. */
  tls?: false | { maxVersion?: "TLSv1.2" | "TLSv1.3"; ca?: "test" | "rogue" };
}

/** A running throw-away cluster. */
export class TestCluster {
  private stopped = false;
  private readonly exitHandler = () => this.stopNow();

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly superuserPassword: string,
    public notTestable: NotTestable[],
  ) {
    process.once("exit", this.exitHandler);
    cleanups.add(this.exitHandler);
    hookSignals();
  }

  get dataDir(): string {
    return path.join(this.dir, "data");
  }
  get logFile(): string {
    return path.join(this.dir, "server.log");
  }
  get caFile(): string {
    return path.join(this.dir, "ca.crt");
  }

  /** A copy of the initdb template in a fresh temp dir, certificates, configuration from `params`, start. */
  static async start(params: ReadonlyArray<ServerParameter>): Promise<TestCluster> {
    requirePostgres();
    const base = await clusterTemplate();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-pg-"));
    let cluster: TestCluster | undefined;
    try {
      makeCertificates(dir);
      if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
      cluster = new TestCluster(dir, await freePort(), base.password, []);
      execFileSync("cp", ["-a", base.dataDir, cluster.dataDir]);
      cluster.configure(params);
      await pg("pg_ctl", ["-D", cluster.dataDir, "-l", cluster.logFile, "-w", "-t", "30", "start"]);
      return cluster;
    } catch (err) {
      if (cluster) cluster.stopNow();
      else fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Writes zero_trust.conf and pg_hba.conf: the translated Azure parameters, plus the harness's own
   * settings (port, loopback only, no Unix socket, the certificate files), which are not Azure's.
   */
  private configure(params: ReadonlyArray<ServerParameter>): void {
    const available = new Set(
      fs
        .readdirSync(PG_LIB)
        .filter((f) => f.endsWith(".so"))
        .map((f) => f.slice(0, -3)),
    );
    const translated = toPostgresConf(params, { availableLibraries: available });
    this.notTestable = translated.notTestable;
    const harness = [
      "# Harness settings (not from the component):",
      `port = ${this.port}`,
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      "ssl = on",
      `ssl_cert_file = '${path.join(this.dir, "server.crt")}'`,
      `ssl_key_file = '${path.join(this.dir, "server.key")}'`,
      "password_encryption = 'scram-sha-256'",
      "log_line_prefix = '%m [%p] %q%u@%d '",
      "fsync = off",
      "# From serverParameters() via toPostgresConf():",
    ];
    const write = (file: string, lines: string[]) => {
      const p = path.join(this.dataDir, file);
      fs.writeFileSync(p, lines.join("\n") + "\n", { mode: 0o600 });
      if (asRoot) execFileSync("chown", ["postgres:postgres", p]);
    };
    write("zero_trust.conf", [...harness, ...translated.conf]);
    write("pg_hba.conf", translated.hba);
  }

  /** Applies a new parameter set and restarts (shared_preload_libraries needs a restart, as on Azure). */
  async reconfigure(params: ReadonlyArray<ServerParameter>): Promise<void> {
    this.configure(params);
    await pg("pg_ctl", ["-D", this.dataDir, "-l", this.logFile, "-w", "-t", "30", "-m", "fast", "restart"]);
  }

  /** Client config for 127.0.0.1 with TLS verified like `sslmode=verify-full` (CA + host name). */
  clientConfig(o: ConnectOptions): ClientConfig {
    const tls = o.tls ?? {};
    return {
      host: "127.0.0.1",
      port: this.port,
      user: o.user,
      password: o.password,
      database: o.database ?? "postgres",
      connectionTimeoutMillis: 10000,
      ssl:
        tls === false
          ? false
          : {
              ca: fs.readFileSync(
                path.join(this.dir, tls.ca === "rogue" ? "rogue-ca.crt" : "ca.crt"),
                "utf8",
              ),
              rejectUnauthorized: true,
              ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
            },
    };
  }

  /** Connects, or rejects with the server's or TLS layer's error. */
  async connect(o: ConnectOptions): Promise<Client> {
    const client = new Client(this.clientConfig(o));
    client.on("error", () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  /** Runs `fn` with a connection and always closes it. */
  async with<T>(o: ConnectOptions, fn: (c: Client) => Promise<T>): Promise<T> {
    const client = await this.connect(o);
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Runs `fn` as the superuser (standing in for the Azure platform itself). */
  asSuperuser<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
    return this.with({ user: SUPERUSER, password: this.superuserPassword, database }, fn);
  }

  /** The server log so far. */
  log(): string {
    return fs.readFileSync(this.logFile, "utf8");
  }

  /** Stops the server and deletes every file. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    try {
      if (fs.existsSync(path.join(this.dataDir, "postmaster.pid"))) {
        await pg("pg_ctl", ["-D", this.dataDir, "-w", "-t", "30", "-m", "fast", "stop"]);
      }
    } finally {
      this.stopNow();
    }
  }

  /** Synchronous stop and delete, for exit and signal handlers. Safe to call twice. */
  stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    cleanups.delete(this.exitHandler);
    process.removeListener("exit", this.exitHandler);
    try {
      if (fs.existsSync(path.join(this.dataDir, "postmaster.pid"))) {
        const argv = ["-D", this.dataDir, "-w", "-t", "30", "-m", "immediate", "stop"];
        if (asRoot)
          execFileSync("runuser", ["-u", "postgres", "--", path.join(PG_BIN, "pg_ctl"), ...argv], {
            stdio: "ignore",
          });
        else execFileSync(path.join(PG_BIN, "pg_ctl"), argv, { stdio: "ignore" });
      }
    } catch {
      // The server may already be gone; the files still go.
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
