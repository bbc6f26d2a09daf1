// The offline preview: `zt-postgres preview <example dir>` (and `npm run demo`).
//
// Runs a Pulumi program in-process under Pulumi's mock monitor (cli/mocks.ts answers with ARM-shaped
// outputs), records what `pulumi preview` would show for every resource — URN, type, name, parent,
// the inputs the program gave (secrets as "[secret]") and its dependencies — and then evaluates the
// policy pack over those resources through the pack's real gRPC Analyzer, as the engine does:
// `Analyze` on each resource, `AnalyzeStack` on all of them.
//
// Parents and dependencies are read from the RegisterResource requests themselves (the mock's
// `newResource` never sees them), by wrapping the runtime's MockMonitor instance. Secrets are detected
// in the request's wire form (the secret signature), so secret Outputs are covered, not only plain
// values that happen to be marked secret.

import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";

import * as pulumi from "@pulumi/pulumi";

import { installMocks } from "./mocks";
import {
  secretValue,
  startPack,
  UNKNOWN,
  type PackClient,
  type PackDiagnostic,
  type PackResource,
} from "./pack-client";

export const SECRET_PLACEHOLDER = "[secret]";
export const UNKNOWN_PLACEHOLDER = "[unknown]";

export interface PreviewResourceRecord {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  /** The inputs the program gave; secrets are "[secret]", values unknown at preview are "[unknown]". */
  inputs: Record<string, unknown>;
  /** URNs this resource depends on: explicit `dependsOn` plus property dependencies. */
  dependencies: string[];
}

export interface PreviewDiagnostic {
  policy: string;
  level: "advisory" | "mandatory" | "remediate" | "disabled";
  message: string;
  urn: string;
}

export interface PreviewResult {
  resources: PreviewResourceRecord[];
  diagnostics: PreviewDiagnostic[];
}

export interface PreviewOptions {
  /** Only affects callers that print; kept for the CLI's `--json`. */
  json?: boolean;
  /** Evaluate the policy pack over the resources. Defaults to true. */
  withPolicies?: boolean;
  /** Stack name for URNs and config (`Pulumi.<stack>.yaml`). Defaults to `dev`. */
  stack?: string;
  /** Policy pack directory; defaults to the repo's `policies/`. */
  packDir?: string;
  /** Same JSON format as `pulumi --policy-pack-config`. */
  policyPackConfig?: Record<string, unknown>;
  /** Where the program's console output and the pack's logs go. Defaults to stderr; never stdout. */
  log?: (line: string) => void;
}

// Wire-format signatures (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Converts a RegisterResource request's wire value to what we display and what we send to the pack. */
function fromWire(v: unknown, forPack: boolean): unknown {
  if (v === UNKNOWN_SENTINEL) return forPack ? UNKNOWN : UNKNOWN_PLACEHOLDER;
  if (Array.isArray(v)) return v.map((x) => fromWire(x, forPack));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    switch (o[SIG_KEY]) {
      case SECRET_SIG:
        // Never keep the plaintext, not even for the pack: rules must not depend on secret contents.
        return forPack ? secretValue(SECRET_PLACEHOLDER) : SECRET_PLACEHOLDER;
      case RESOURCE_SIG:
        return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
      case ASSET_SIG:
      case ARCHIVE_SIG:
        return o.path ?? o.uri ?? o.text ?? "[asset]";
      default: {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) out[k] = fromWire(x, forPack);
        return out;
      }
    }
  }
  return v;
}

// The subset of the generated request/response classes we read.
interface StructLike {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequestLike {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): StructLike | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getProvider(): string;
  getProtect?(): boolean;
}
interface ReadRequestLike {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProperties(): StructLike | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
}
interface UrnResponseLike {
  getUrn(): string;
  getId?(): string;
}
type Callback = (err: unknown, res: UrnResponseLike | undefined) => void;
interface MonitorLike {
  registerResource(req: RegisterRequestLike, cb: Callback): unknown;
  readResource(req: ReadRequestLike, cb: Callback): unknown;
}

interface Captured {
  seq: number;
  urn?: string;
  id?: string;
  type: string;
  name: string;
  parent?: string;
  custom: boolean;
  read: boolean;
  inputs: Record<string, unknown>;
  packProps: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider?: string;
  protect?: boolean;
  failed?: boolean;
}

function uniq(xs: Iterable<string>): string[] {
  return [...new Set([...xs].filter((x) => x !== ""))];
}

/** Wraps the runtime's MockMonitor so every registration's parent, dependencies and wire inputs are captured. */
function captureRegistrations(): Captured[] {
  // `getMonitor()` returns the MockMonitor instance `setMocks` just installed.
  const monitor = runtimeInternals().settings.getMonitor();
  if (!monitor) throw new Error("preview: the mock monitor is not installed");
  const captured: Captured[] = [];
  const origRegister = monitor.registerResource.bind(monitor);
  const origRead = monitor.readResource.bind(monitor);

  monitor.registerResource = (req, cb) => {
    const wire = req.getObject()?.toJavaScript() ?? {};
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v, k) => {
      propertyDependencies[k] = uniq(v.getUrnsList());
    });
    const rec: Captured = {
      seq: captured.length,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || undefined,
      custom: req.getCustom(),
      read: false,
      inputs: fromWire(wire, false) as Record<string, unknown>,
      packProps: fromWire(wire, true) as Record<string, unknown>,
      dependencies: uniq([...req.getDependenciesList(), ...Object.values(propertyDependencies).flat()]),
      propertyDependencies,
      provider: req.getProvider() || undefined,
      protect: req.getProtect?.() || undefined,
    };
    captured.push(rec);
    return origRegister(req, (err, res) => {
      if (err || !res) rec.failed = true;
      else {
        rec.urn = res.getUrn();
        rec.id = res.getId?.() || undefined;
      }
      cb(err, res);
    });
  };

  monitor.readResource = (req, cb) => {
    const wire = req.getProperties()?.toJavaScript() ?? {};
    const rec: Captured = {
      seq: captured.length,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || undefined,
      custom: true,
      read: true,
      inputs: fromWire(wire, false) as Record<string, unknown>,
      packProps: fromWire(wire, true) as Record<string, unknown>,
      dependencies: uniq(req.getDependenciesList()),
      propertyDependencies: {},
      provider: req.getProvider() || undefined,
      id: req.getId() || undefined,
    };
    captured.push(rec);
    return origRead(req, (err, res) => {
      if (err || !res) rec.failed = true;
      else rec.urn = res.getUrn();
      cb(err, res);
    });
  };
  return captured;
}

interface RuntimeOptions {
  monitorAddr?: string;
  engineAddr?: string;
  project?: string;
  stack?: string;
  dryRun?: boolean;
  parallel?: number;
  organization?: string;
}
interface SettingsModule {
  getMonitor(): MonitorLike | undefined;
  waitForRPCs(): Promise<void>;
  setMockOptions(
    monitor: unknown,
    project?: string,
    stack?: string,
    preview?: boolean,
    organization?: string,
  ): void;
  resetOptions(
    project?: string,
    stack?: string,
    parallel?: number,
    engineAddr?: string,
    monitorAddr?: string,
    preview?: boolean,
    organization?: string,
  ): void;
}
interface Store {
  settings: { options: RuntimeOptions; monitor?: unknown } & Record<string, unknown>;
  config: Record<string, string>;
  [k: string]: unknown;
}
interface StateModule {
  getStore(): Store;
}

/** The runtime's settings and state modules (internal API of @pulumi/pulumi 3.x). */
function runtimeInternals(): { settings: SettingsModule; state: StateModule } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    settings: require("@pulumi/pulumi/runtime/settings") as SettingsModule,
    state: require("@pulumi/pulumi/runtime/state") as StateModule,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Snapshots the runtime's global state (monitor, options, feature flags, config) so a preview run in a
 * process that has its own mocks (a test file that called setMocks at load time) hands the runtime
 * back exactly as it found it. `setMocks` resets the feature flags and config; putting back only the
 * monitor would leave secrets and resource references switched off for everyone else.
 */
function saveRuntime(): () => void {
  const { settings, state } = runtimeInternals();
  const store = state.getStore();
  const snapStore = { ...store };
  const snapSettings = { ...store.settings };
  const snapOptions = { ...store.settings.options };
  const snapConfig = { ...store.config };
  return () => {
    const o = snapOptions;
    if (o.monitorAddr === "mock") {
      settings.setMockOptions(snapSettings.monitor, o.project, o.stack, o.dryRun, o.organization);
    } else {
      settings.resetOptions(
        o.project,
        o.stack,
        o.parallel,
        o.engineAddr,
        o.monitorAddr,
        o.dryRun,
        o.organization,
      );
    }
    Object.assign(store, snapStore);
    Object.assign(store.settings, snapSettings);
    store.settings.options = Object.assign(store.settings.options, snapOptions);
    for (const k of Object.keys(store.config)) if (!(k in snapConfig)) delete store.config[k];
    Object.assign(store.config, snapConfig);
  };
}

/** Reads `name:` from Pulumi.yaml. */
function projectName(dir: string): string {
  for (const f of ["Pulumi.yaml", "Pulumi.yml"]) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) {
      const m = /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(p, "utf8"));
      if (m) return m[1];
    }
  }
  return path.basename(dir);
}

function scalar(raw: string): unknown {
  const s = raw.trim().replace(/\s+#.*$/, "");
  if (/^".*"$|^'.*'$/.test(s)) return s.slice(1, -1);
  if (s === "true" || s === "false") return s === "true";
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

/**
 * Plain scalar config from `Pulumi.<stack>.yaml` (`config:` block, `key: value` lines) and the project's
 * `config: { key: { default: … } }` / `key: value` entries. Encrypted (`secure:`) values cannot be
 * decrypted offline and are skipped; programs fall back to their own defaults.
 */
function readConfig(dir: string, project: string, stack: string): Record<string, string> {
  const out: Record<string, string> = {};
  const qualify = (k: string) => (k.includes(":") ? k : `${project}:${k}`);
  const files = [path.join(dir, "Pulumi.yaml"), path.join(dir, `Pulumi.${stack}.yaml`)];
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    const lines = fs.readFileSync(f, "utf8").split(/\r?\n/);
    let inConfig = false;
    let pendingKey: string | undefined;
    for (const line of lines) {
      if (/^config:\s*$/.test(line)) {
        inConfig = true;
        continue;
      }
      if (/^\S/.test(line)) {
        inConfig = false;
        continue;
      }
      if (!inConfig) continue;
      const top = /^ {2}(["']?)([^\s"':][^"']*?(?::[^\s"':][^"']*?)?)\1:\s*(.*)$/.exec(line);
      if (top) {
        pendingKey = undefined;
        const [, , key, rest] = top;
        if (rest.trim() === "") pendingKey = key;
        else if (!/^\{|^\[|^secure:/.test(rest.trim())) out[qualify(key)] = String(scalar(rest));
        else {
          const d = /default:\s*([^,}]+)/.exec(rest);
          if (d) out[qualify(key)] = String(scalar(d[1]));
        }
        continue;
      }
      const def = /^ {4,}default:\s*(.+)$/.exec(line);
      if (def && pendingKey) out[qualify(pendingKey)] ??= String(scalar(def[1]));
    }
  }
  return out;
}

function registerTypeScript(): void {
  if (require.extensions[".ts"]) return; // already registered (mocha, ts-node)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsnode = require("ts-node") as typeof import("ts-node");
  tsnode.register({
    transpileOnly: true,
    compilerOptions: { module: "commonjs", target: "ES2022", esModuleInterop: true },
  });
}

function resolveProgram(dir: string): string {
  for (const f of ["index.ts", "index.js"]) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) return p;
  }
  const pkg = path.join(dir, "package.json");
  if (fs.existsSync(pkg)) {
    const main = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main;
    if (main) return path.resolve(dir, main);
  }
  throw new Error(`preview: no Pulumi program (index.ts, index.js or package.json "main") in ${dir}`);
}

/** Sends everything the program writes to stdout (console.* and process.stdout.write) to `log` instead. */
function divertStdout(log: (line: string) => void): () => void {
  const origWrite = process.stdout.write.bind(process.stdout);
  const origConsole = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
  const fmt = (args: unknown[]) =>
    args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 4 }))).join(" ");
  console.log = (...a: unknown[]) => log(fmt(a));
  console.info = (...a: unknown[]) => log(fmt(a));
  console.debug = (...a: unknown[]) => log(fmt(a));
  console.warn = (...a: unknown[]) => log(fmt(a));
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    log(String(chunk).replace(/\n$/, ""));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = origWrite as typeof process.stdout.write;
    Object.assign(console, origConsole);
  };
}

async function settle(captured: Captured[]): Promise<void> {
  const { settings } = runtimeInternals();
  // Registrations made inside apply() callbacks start after earlier ones finish: wait until the RPC
  // queue drains and no new registration appears across a full macrotask turn.
  let last = -1;
  for (let i = 0; i < 1000; i++) {
    await settings.waitForRPCs();
    await new Promise((r) => setImmediate(r));
    const pending = captured.some((c) => c.urn === undefined && !c.failed);
    if (captured.length === last && !pending) return;
    last = captured.length;
  }
}

function stackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** What a program registered: the preview's records and the same resources as the engine would send them to a pack. */
export interface CollectedPreview {
  resources: PreviewResourceRecord[];
  /** Inputs as the engine sends them (secrets as secret values, unknowns as the sentinel, ids from the mock). */
  packResources: PackResource[];
  /** URNs of resources read with `.get()`: the engine analyzes them only as part of the stack. */
  readUrns: Set<string>;
  stackUrn: string;
}

/** Runs the program in-process under the mock monitor and records every registration. No policy pack. */
export async function collectPreview(
  exampleDir: string,
  opts: Pick<PreviewOptions, "stack" | "log"> = {},
): Promise<CollectedPreview> {
  const dir = path.resolve(exampleDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`preview: ${exampleDir} is not a directory`);
  }
  const program = resolveProgram(dir);
  const stack = opts.stack ?? "dev";
  const project = projectName(dir);
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));

  const prevCwd = process.cwd();
  const restoreRuntime = saveRuntime();
  const errors: unknown[] = [];
  const onRejection = (e: unknown) => errors.push(e);
  const restoreStdout = divertStdout(log);
  process.on("unhandledRejection", onRejection);
  let captured: Captured[];
  try {
    pulumi.runtime.setAllConfig(readConfig(dir, project, stack));
    installMocks(project, stack);
    captured = captureRegistrations();
    if (program.endsWith(".ts")) registerTypeScript();
    // Re-run the program on every call: drop its modules (only those under its own directory) from the cache.
    for (const k of Object.keys(require.cache)) {
      if (k.startsWith(dir + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`))
        delete require.cache[k];
    }
    process.chdir(dir);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(program) as unknown;
      const result = typeof mod === "function" ? (mod as () => unknown)() : mod;
      await result;
    } finally {
      process.chdir(prevCwd);
    }
    await settle(captured);
  } finally {
    process.removeListener("unhandledRejection", onRejection);
    restoreStdout();
    restoreRuntime();
  }
  if (errors.length > 0) {
    const e = errors[0];
    throw e instanceof Error ? e : new Error(String(e));
  }

  const done = captured.filter((c) => c.urn !== undefined && !c.failed).sort((a, b) => a.seq - b.seq);
  // Key order matches the documented JSON: urn, type, name, parent, inputs, dependencies.
  const resources: PreviewResourceRecord[] = done.map((c) => ({
    urn: c.urn!,
    type: c.type,
    name: c.name,
    ...(c.parent ? { parent: c.parent } : {}),
    inputs: c.inputs,
    dependencies: c.dependencies,
  }));
  return {
    resources,
    packResources: done.map(toPackResource),
    readUrns: new Set(done.filter((c) => c.read).map((c) => c.urn!)),
    stackUrn: stackUrn(project, stack),
  };
}

/** Runs the program under mocks and (unless disabled) the policy pack over its resources. */
export async function runPreview(exampleDir: string, opts: PreviewOptions = {}): Promise<PreviewResult> {
  const collected = await collectPreview(exampleDir, opts);
  let diagnostics: PreviewDiagnostic[] = [];
  if (opts.withPolicies !== false) {
    diagnostics = await evaluateWithPack(collected.packResources, {
      packDir: opts.packDir,
      policyPackConfig: opts.policyPackConfig,
      log: opts.log,
      stackUrn: collected.stackUrn,
      readUrns: collected.readUrns,
    });
  }
  return { resources: collected.resources, diagnostics };
}

function toPackResource(c: Captured): PackResource {
  const r: PackResource = { urn: c.urn!, type: c.type, name: c.name, properties: c.packProps };
  if (c.id) r.id = c.id;
  if (c.parent) r.parent = c.parent;
  if (c.dependencies.length) r.dependencies = c.dependencies;
  if (Object.keys(c.propertyDependencies).length) r.propertyDependencies = c.propertyDependencies;
  if (c.provider) r.provider = c.provider;
  if (c.protect) r.protect = true;
  return r;
}

const ANALYZE_CONCURRENCY = 8;

export interface EvaluateOptions {
  /** Reuse a running pack (it is left running); otherwise one is started and closed. */
  pack?: PackClient;
  packDir?: string;
  policyPackConfig?: Record<string, unknown>;
  log?: (line: string) => void;
  /** URN that stack-level diagnostics without a resource are attributed to. */
  stackUrn?: string;
  /** Resources not to Analyze one by one (reads); they still go to AnalyzeStack. */
  readUrns?: ReadonlySet<string>;
}

/**
 * Evaluates the pack over resources exactly as the engine does during a preview: `Analyze` on each
 * resource's inputs in registration order, then `AnalyzeStack` over all of them.
 */
export async function evaluateWithPack(
  resources: PackResource[],
  o: EvaluateOptions = {},
): Promise<PreviewDiagnostic[]> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const pack =
    o.pack ??
    (await startPack({ packDir: o.packDir, onLog: (sev, msg) => log(`[policy pack ${sev}] ${msg}`) }));
  try {
    if (o.policyPackConfig) await pack.configure(o.policyPackConfig);
    const out: PreviewDiagnostic[] = [];
    const add = (d: PackDiagnostic, urn: string) =>
      out.push({ policy: d.policy, level: d.level, message: d.message, urn: d.urn || urn });
    // The engine analyzes resources as their steps run, many at once; keep a bounded number of calls in
    // flight and report in registration order.
    const analyzed = resources.filter((r) => !o.readUrns?.has(r.urn));
    const perResource: PackDiagnostic[][] = new Array(analyzed.length);
    let next = 0;
    const worker = async () => {
      while (next < analyzed.length) {
        const i = next++;
        perResource[i] = await pack.analyze(analyzed[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ANALYZE_CONCURRENCY, analyzed.length) }, worker));
    analyzed.forEach((r, i) => perResource[i].forEach((d) => add(d, r.urn)));
    const fallback = o.stackUrn ?? "urn:pulumi:stack::project::pulumi:pulumi:Stack::project-stack";
    for (const d of await pack.analyzeStack(resources)) add(d, fallback);
    return out;
  } finally {
    if (!o.pack) await pack.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Text output, like `pulumi preview`.
// ---------------------------------------------------------------------------------------------------

const SERVER_TYPES = new Set([
  "azure-native:dbforpostgresql:Server",
  "azure:postgresql/flexibleServer:FlexibleServer",
]);
const CONFIG_TYPES = new Set([
  "azure-native:dbforpostgresql:Configuration",
  "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
]);

function get(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function show(v: unknown, unset = "(unset)"): string {
  if (v === undefined || v === null) return unset;
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

function serverSettings(server: PreviewResourceRecord, all: PreviewResourceRecord[]): [string, string][] {
  const i = server.inputs;
  const serverName = i.serverName ?? i.name;
  // Parameters of this server: matched by serverName input, by dependency, or by the server's URN.
  const params = new Map<string, string>();
  for (const r of all) {
    if (!CONFIG_TYPES.has(r.type)) continue;
    const matches =
      (serverName !== undefined &&
        (r.inputs.serverName === serverName || r.inputs.serverId === serverName)) ||
      r.dependencies.includes(server.urn);
    if (!matches) continue;
    const key = String(r.inputs.configurationName ?? r.inputs.name ?? r.name).toLowerCase();
    params.set(key, show(r.inputs.value));
  }
  const classic = server.type.startsWith("azure:");
  const publicAccess = classic
    ? show(i.publicNetworkAccessEnabled, "(unset: true)")
    : show(get(i, "network", "publicNetworkAccess"), "(unset: Enabled)");
  const delegated = classic ? i.delegatedSubnetId : get(i, "network", "delegatedSubnetResourceId");
  const entra = classic
    ? get(i, "authentication", "activeDirectoryAuthEnabled")
    : get(i, "authConfig", "activeDirectoryAuth");
  const password = classic
    ? get(i, "authentication", "passwordAuthEnabled")
    : get(i, "authConfig", "passwordAuth");
  const cmkType = classic
    ? get(i, "customerManagedKey", "keyVaultKeyId")
      ? "AzureKeyVault"
      : undefined
    : get(i, "dataEncryption", "type");
  const keyUri = classic
    ? get(i, "customerManagedKey", "keyVaultKeyId")
    : get(i, "dataEncryption", "primaryKeyURI");
  const geo = classic ? i.geoRedundantBackupEnabled : get(i, "backup", "geoRedundantBackup");
  const geoKey = classic
    ? get(i, "customerManagedKey", "geoBackupKeyVaultKeyId")
    : get(i, "dataEncryption", "geoBackupKeyURI");
  const ha = classic ? get(i, "highAvailability", "mode") : get(i, "highAvailability", "mode");
  const retention = classic ? i.backupRetentionDays : get(i, "backup", "backupRetentionDays");
  const preload = params.get("shared_preload_libraries");
  const pgauditLoaded = preload !== undefined && /(^|,)\s*pgaudit\s*(,|$)/i.test(preload);
  const rows: [string, string][] = [
    ["public network access", publicAccess + (delegated ? " (VNet-integrated)" : "")],
    [
      "authentication",
      `Entra ID ${show(entra, "(unset: Disabled)")}, password ${show(password, "(unset: Enabled)")}`,
    ],
    [
      "customer-managed key",
      cmkType ? `${show(cmkType)}${keyUri ? ` ${show(keyUri)}` : ""}` : "(unset: service-managed key)",
    ],
    [
      "TLS floor",
      `${params.get("ssl_min_protocol_version") ?? "(unset: TLSv1.2)"}, require_secure_transport=${params.get("require_secure_transport") ?? "(unset: on)"}`,
    ],
    [
      "backup",
      `geo-redundant ${show(geo, "(unset: Disabled)")}${geoKey ? " with geo key" : ""}, retention ${show(retention, "(unset: 7)")} days`,
    ],
    ["high availability", show(ha, "(unset: Disabled)")],
    [
      "pgaudit",
      pgauditLoaded
        ? `loaded, pgaudit.log=${params.get("pgaudit.log") ?? "(unset: none)"}`
        : "not in shared_preload_libraries",
    ],
  ];
  return rows;
}

/** Project and stack from the URNs (`urn:pulumi:<stack>::<project>::…`). */
function stackOf(resources: PreviewResourceRecord[]): { project: string; stack: string } | undefined {
  const m = resources.length > 0 ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resources[0].urn) : null;
  return m ? { stack: m[1], project: m[2] } : undefined;
}

/**
 * The CrossGuard SDK prefixes each message with the policy description; when the rule's own message
 * already starts with that sentence, show it once.
 */
function messageLines(message: string): string[] {
  const lines = message.split("\n");
  if (lines.length > 1 && lines[1].startsWith(lines[0].replace(/\.$/, ""))) return lines.slice(1);
  return lines;
}

/** Renders a preview result the way `pulumi preview` lays it out, plus security settings and policy results. */
export function formatPreviewText(
  result: PreviewResult,
  opts: { title?: string; policiesEvaluated?: boolean } = {},
): string {
  const out: string[] = [];
  const { resources, diagnostics } = result;
  const where = stackOf(resources);
  const title =
    opts.title ??
    (where
      ? `Previewing ${where.project}/${where.stack} offline (Pulumi mock monitor: no cloud calls, no state)`
      : undefined);
  if (title) out.push(title, "");
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, PreviewResourceRecord[]>();
  const roots: PreviewResourceRecord[] = [];
  for (const r of resources) {
    if (r.parent && byUrn.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else roots.push(r);
  }
  const flagged = new Map<string, string>();
  for (const d of diagnostics) {
    if (d.level === "mandatory") flagged.set(d.urn, "mandatory");
    else if (!flagged.has(d.urn) && d.level === "advisory") flagged.set(d.urn, "advisory");
  }
  // Like `pulumi preview`: the stack resource at the root, everything else under it by parent.
  const stack = stackOf(resources);
  const rows: [string, string, string, string][] = [];
  if (stack) rows.push([" +  ", "pulumi:pulumi:Stack", `${stack.project}-${stack.stack}`, ""]);
  const walk = (r: PreviewResourceRecord, prefix: string, last: boolean) => {
    const level = flagged.get(r.urn);
    const mark =
      level === "mandatory" ? "  ✗ mandatory violation" : level === "advisory" ? "  ! advisory" : "";
    rows.push([" +  ", `${prefix}${last ? "└─ " : "├─ "}${r.type}`, r.name, mark]);
    const kids = children.get(r.urn) ?? [];
    const nextPrefix = prefix + (last ? "   " : "│  ");
    kids.forEach((k, idx) => walk(k, nextPrefix, idx === kids.length - 1));
  };
  roots.forEach((r, idx) => walk(r, "", idx === roots.length - 1));
  const width = Math.max(4, ...rows.map((r) => r[1].length)) + 2;
  const nameWidth = Math.max(4, ...rows.map((r) => r[2].length)) + 2;
  out.push(`     ${"Type".padEnd(width)}${"Name".padEnd(nameWidth)}Plan`);
  for (const [op, type, name, mark] of rows) {
    out.push(` ${op}${type.padEnd(width)}${name.padEnd(nameWidth)}create${mark}`);
  }

  out.push("", "Resources:", `    + ${resources.length} to create`, "");
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push("By type:");
  for (const [type, n] of sorted) out.push(`    ${String(n).padStart(3)}  ${type}`);

  const servers = resources.filter((r) => SERVER_TYPES.has(r.type));
  for (const s of servers) {
    out.push("", `Security settings: ${s.type} "${s.name}"`);
    for (const [k, v] of serverSettings(s, resources)) out.push(`    ${k.padEnd(24)}${v}`);
  }

  const counted = (lvl: string) => diagnostics.filter((d) => d.level === lvl);
  if (opts.policiesEvaluated === false) {
    out.push("", "Policies: not evaluated (--no-policies)");
    return out.join("\n") + "\n";
  }
  out.push(
    "",
    "Policies (evaluated through the pack's gRPC Analyzer, as `pulumi preview --policy-pack` does):",
  );
  if (diagnostics.length === 0) out.push("    no violations");
  for (const lvl of ["mandatory", "remediate", "advisory", "disabled"]) {
    const ds = counted(lvl);
    if (ds.length === 0) continue;
    out.push(`    ${lvl} (${ds.length}):`);
    for (const d of ds) {
      const who = byUrn.get(d.urn);
      out.push(`      [${d.policy}] ${who ? `${who.type} "${who.name}"` : d.urn}`);
      for (const line of messageLines(d.message)) out.push(`          ${line}`);
    }
  }
  out.push("", `${counted("mandatory").length} mandatory, ${counted("advisory").length} advisory`);
  return out.join("\n") + "\n";
}
