// Streams a `pulumi stack export` file, one resource at a time, in bounded memory.
//
// The format (pulumi/pulumi sdk/go/common/apitype/core.go: UntypedDeployment, DeploymentV3, ResourceV3):
//
//   {
//     "version": 3,                        // 3 today; 4 when the state uses a feature listed in "features"
//     "features": ["..."],                 // version 4 only
//     "deployment": {                      // DeploymentV3
//       "manifest": { "time": "...", "magic": "...", "version": "v3.x.y", "plugins": [...] },
//       "secrets_providers": { "type": "passphrase" | "service" | ..., "state": {...} },
//       "resources": [                     // ResourceV3, omitted when the stack is empty
//         {
//           "urn": "urn:pulumi:<stack>::<project>::<parent types$>type::<name>",
//           "custom": true,                // false for component resources and the stack
//           "delete": true,                // optional: a replaced resource still to be deleted
//           "id": "/subscriptions/...",    // provider id, custom resources only
//           "type": "azure-native:dbforpostgresql:Server",
//           "inputs": {...}, "outputs": {...},
//           "parent": "urn:...", "protect": true, "external": true,
//           "dependencies": ["urn:..."], "propertyDependencies": { "prop": ["urn:..."] },
//           "provider": "urn:...::default_3_28_0::<uuid>",
//           "pendingReplacement", "additionalSecretOutputs", "aliases", "customTimeouts", "importID",
//           "retainOnDelete", "deletedWith", "created", "modified", "sourcePosition", ...
//         }
//       ],
//       "pending_operations": [ { "resource": {ResourceV3}, "type": "creating" | ... } ],
//       "metadata": {...}
//     }
//   }
//
// Secret values anywhere in a resource are `{ "<sig key>": "<secret sig>", "ciphertext" | "plaintext": ... }`
// (see secrets.ts). Only `deployment.resources` is assembled, one element at a time; every other part of
// the file is skipped token by token, so memory does not grow with the file (stream-json's parser with
// packed values; the parser never holds more than one chunk).

import * as fs from "node:fs";
import { parser as jsonParser } from "stream-json";
import { InputError } from "./errors";
import { packValue, setOwn } from "./secrets";
import { SecretValue, UnknownValue } from "../wire-values";

/** Deployment versions this reader understands. Version 4 keeps the v3 shape and adds `features`. */
export const SUPPORTED_VERSIONS: readonly number[] = [3, 4];

/** One resource of the export, ready for the pack: secrets as the engine sends them, outputs dropped. */
export interface ExportResource {
  urn: string;
  type: string;
  /** The resource name, the URN's last `::` segment. */
  name: string;
  custom: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  protect?: boolean;
  dependencies: string[];
  propertyDependencies?: Record<string, string[]>;
  /** The input properties: plaintext secrets as `SecretValue`, ciphertext ones as `UnknownValue`. */
  inputs: Record<string, unknown>;
}

/** What the reader saw, besides the resources it handed over. */
export interface ExportSummary {
  version: number;
  features: string[];
  /** The Pulumi engine version that wrote the export (manifest.version), when present. */
  engineVersion?: string;
  /** When the export's deployment ran (manifest.time), when present. */
  time?: string;
  /** The stack and project, from the first URN. */
  stack?: string;
  project?: string;
  /** Resources handed to `onResource`. */
  resources: number;
  /** Resources read but not audited, by reason. */
  skipped: { providers: number; stack: number; pendingDelete: number };
}

/**
 * Called once per audited resource, in file order. Return a promise to apply back-pressure: reading
 * pauses until it settles (a rejection aborts the read with that error).
 */
export type OnResource = (resource: ExportResource, index: number) => void | Promise<void>;

interface Token {
  name: string;
  value?: string;
}

type Container = Record<string, unknown> | unknown[];

/** Assembles one JSON value from stream-json tokens. Objects never get a prototype-changing `__proto__`. */
class ValueBuilder {
  private readonly stack: Container[] = [];
  private readonly keys: (string | null)[] = [];
  private key: string | null = null;
  value: unknown = undefined;

  /** Feeds a token; returns true when the value is complete. */
  consume(token: Token): boolean {
    switch (token.name) {
      case "startObject":
        return this.open({});
      case "startArray":
        return this.open([]);
      case "endObject":
      case "endArray":
        return this.close();
      case "keyValue":
        this.key = token.value ?? "";
        return false;
      case "stringValue":
        return this.save(token.value ?? "");
      case "numberValue":
        return this.save(Number(token.value));
      case "nullValue":
        return this.save(null);
      case "trueValue":
        return this.save(true);
      case "falseValue":
        return this.save(false);
      default:
        return false; // chunk tokens are not emitted: the parser packs every value.
    }
  }

  private open(container: Container): boolean {
    if (this.stack.length > 0) this.keys.push(this.key);
    this.stack.push(container);
    this.key = null;
    return false;
  }

  private close(): boolean {
    const done = this.stack.pop() as Container;
    if (this.stack.length === 0) {
      this.value = done;
      return true;
    }
    this.key = this.keys.pop() ?? null;
    return this.save(done);
  }

  private save(value: unknown): boolean {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.value = value;
      return true;
    }
    if (Array.isArray(top)) top.push(value);
    else setOwn(top, this.key ?? "", value);
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string");

/** Splits `urn:pulumi:<stack>::<project>::<type>::<name>`; undefined when it is not a Pulumi URN. */
export function parseUrn(urn: string): { stack: string; project: string; name: string } | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  // A name may itself contain "::", so everything after the type is the name.
  return { stack: parts[0], project: parts[1], name: parts.slice(3).join("::") };
}

/**
 * A resource's inputs as the engine shows them to an analyzer (secrets.ts: plaintext secrets wrapped,
 * ciphertext unknown). An `inputs` that is itself one secret envelope (the engine never writes one, but
 * a hand-edited export can) is read as no inputs: its properties cannot be seen, as if none were set.
 */
function readInputs(inputs: unknown): Record<string, unknown> {
  const value = packValue(inputs ?? {});
  return isObject(value) &&
    !Array.isArray(value) &&
    !(value instanceof SecretValue) &&
    !(value instanceof UnknownValue)
    ? (value as Record<string, unknown>)
    : {};
}

/** Turns one raw `deployment.resources[i]` into an ExportResource, or a skip reason. */
function toResource(
  raw: unknown,
  index: number,
  where: string,
): ExportResource | "providers" | "stack" | "pendingDelete" {
  const at = `${where}: deployment.resources[${index}]`;
  if (!isObject(raw))
    throw new InputError("bad-resource", `${at} is not an object; this is not a Pulumi stack export`);
  const { urn, type } = raw;
  if (typeof urn !== "string" || parseUrn(urn) === undefined) {
    throw new InputError(
      "bad-resource",
      `${at} has no valid "urn" (urn:pulumi:<stack>::<project>::<type>::<name>)`,
    );
  }
  if (typeof type !== "string" || type === "")
    throw new InputError("bad-resource", `${at} has no "type" string`);
  if (type.startsWith("pulumi:providers:")) return "providers";
  if (type === "pulumi:pulumi:Stack") return "stack";
  // A replaced resource awaiting deletion: the live one follows under the same URN.
  if (raw.delete === true) return "pendingDelete";

  const field = (name: string, ok: (v: unknown) => boolean, what: string): void => {
    if (raw[name] !== undefined && !ok(raw[name])) {
      throw new InputError("bad-resource", `${at} (${urn}) has a "${name}" that is not ${what}`);
    }
  };
  field("inputs", isObject, "an object");
  field("id", (v) => typeof v === "string", "a string");
  field("parent", (v) => typeof v === "string", "a string");
  field("provider", (v) => typeof v === "string", "a string");
  field("protect", (v) => typeof v === "boolean", "a boolean");
  field("custom", (v) => typeof v === "boolean", "a boolean");
  field("dependencies", isStringArray, "an array of URNs");
  field(
    "propertyDependencies",
    (v) => isObject(v) && Object.values(v).every(isStringArray),
    "an object of URN arrays",
  );

  const resource: ExportResource = {
    urn,
    type,
    name: parseUrn(urn)?.name ?? "",
    custom: raw.custom !== false,
    dependencies: (raw.dependencies as string[] | undefined) ?? [],
    inputs: readInputs(raw.inputs),
  };
  // Empty ids are what the engine writes for resources not yet created; they carry nothing.
  if (typeof raw.id === "string" && raw.id !== "") resource.id = raw.id;
  if (typeof raw.parent === "string" && raw.parent !== "") resource.parent = raw.parent;
  if (typeof raw.provider === "string" && raw.provider !== "") resource.provider = raw.provider;
  if (raw.protect === true) resource.protect = true;
  if (raw.propertyDependencies !== undefined) {
    resource.propertyDependencies = raw.propertyDependencies as Record<string, string[]>;
  }
  return resource;
}

/**
 * The deepest nesting of containers accepted (the export's own three levels included). ARM resources
 * nest a few dozen levels at most; Go's protobuf decoder in the engine stops at 10,000
 * (google.golang.org/protobuf `protowire` default recursion limit), Node's stack at a few thousand.
 */
export const MAX_DEPTH = 1003;

/** Reads the first bytes: refuses missing, empty and UTF-16 files, and says how many BOM bytes to skip. */
export function precheck(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError("missing", `${file}: no such file`);
    if (code === "EISDIR")
      throw new InputError("unreadable", `${file}: is a directory, not a stack export file`);
    throw new InputError("unreadable", `${file}: cannot be read (${code ?? "unknown error"})`);
  }
  try {
    if (fs.fstatSync(fd).isDirectory()) {
      throw new InputError("unreadable", `${file}: is a directory, not a stack export file`);
    }
    const head = Buffer.alloc(4);
    const n = fs.readSync(fd, head, 0, 4, 0);
    if (n === 0)
      throw new InputError(
        "empty",
        `${file}: is empty; create it with \`pulumi stack export --file ${file}\``,
      );
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      throw new InputError(
        "encoding",
        `${file}: is UTF-16 encoded (a PowerShell redirect?); write it with \`pulumi stack export --file ${file}\``,
      );
    }
    return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Streams `file`, validating as it goes, and hands each audited resource to `onResource`. Providers,
 * the stack resource and replaced resources awaiting deletion are counted and skipped. Rejects with an
 * InputError (exit code 2) for anything that is not a complete, supported stack export.
 */
export async function readExport(file: string, onResource: OnResource): Promise<ExportSummary> {
  const skipBytes = precheck(file);
  const summary: ExportSummary = {
    version: 0,
    features: [],
    resources: 0,
    skipped: { providers: 0, stack: 0, pendingDelete: 0 },
  };

  const tokens = jsonParser({ packValues: true, streamValues: false });
  let failure: unknown;
  let failed!: () => void;
  // Settles when reading fails, so a write whose callback a destroyed stream never calls cannot hang us.
  const failedSignal = new Promise<undefined>((resolve) => (failed = () => resolve(undefined)));
  const fail = (err: unknown): void => {
    if (failure !== undefined) return;
    failure = err;
    failed();
    tokens.destroy();
  };

  // Where we are: depth counts open containers; the keys name the containers at depths 1 and 2.
  let depth = 0;
  let tokenCount = 0;
  let topKey: string | undefined;
  let deploymentKey: string | undefined;
  let sawVersion = false;
  let versionNotNumber = false;
  let sawDeployment = false;
  let sawManifest = false;
  let inResources = false;
  let index = 0;
  /** While set, tokens are skipped until depth returns to this value. */
  let skipTo: number | undefined;
  /** While set, tokens go to this builder; `target` says what the value is. */
  let builder: ValueBuilder | undefined;
  let target: "resource" | "manifest" | "features" | undefined;

  const notExport = (why: string): InputError =>
    new InputError(
      "not-export",
      `${file}: is not a Pulumi stack export (${why}); create one with \`pulumi stack export\``,
    );

  const finishValue = (value: unknown): void => {
    if (target === "manifest") {
      if (!isObject(value)) throw notExport('"deployment.manifest" is not an object');
      sawManifest = true;
      if (typeof value.version === "string") summary.engineVersion = value.version;
      if (typeof value.time === "string") summary.time = value.time;
    } else if (target === "features") {
      if (isStringArray(value)) summary.features = value;
    } else if (target === "resource") {
      const resource = toResource(value, index++, file);
      if (typeof resource === "string") {
        summary.skipped[resource]++;
        return;
      }
      if (summary.stack === undefined) {
        const parsed = parseUrn(resource.urn);
        summary.stack = parsed?.stack;
        summary.project = parsed?.project;
      }
      summary.resources++;
      const pending = onResource(resource, summary.resources - 1);
      if (pending && typeof pending.then === "function") {
        // Back-pressure: a paused parser stops taking bytes, so the file stops being read.
        tokens.pause();
        pending.then(
          () => {
            if (failure === undefined) tokens.resume();
          },
          (err: unknown) => fail(err),
        );
      }
    }
  };

  const startBuilder = (token: Token, what: typeof target): void => {
    depth++;
    builder = new ValueBuilder();
    builder.consume(token);
    target = what;
  };

  const onToken = (token: Token): void => {
    tokenCount++;
    const opens = token.name === "startObject" || token.name === "startArray";
    const closes = token.name === "endObject" || token.name === "endArray";

    if (builder !== undefined) {
      if (opens && ++depth > MAX_DEPTH) {
        // Refused here, while streaming: every later step (secret redaction, the protobuf encoders,
        // the pack's own decoder) walks values recursively and would overflow the stack instead.
        throw new InputError(
          "bad-resource",
          `${file}: deployment.resources[${index}] nests values more than ${MAX_DEPTH - 3} levels deep; a stack export from \`pulumi stack export\` does not`,
        );
      }
      if (closes) depth--;
      if (builder.consume(token)) {
        const value = builder.value;
        builder = undefined;
        finishValue(value);
        target = undefined;
      }
      return;
    }
    if (skipTo !== undefined) {
      if (opens) depth++;
      if (closes) depth--;
      if (depth === skipTo) skipTo = undefined;
      return;
    }
    if (depth === 0) {
      if (token.name !== "startObject") throw notExport("the top-level value is not an object");
      depth = 1;
      return;
    }
    if (depth === 1) {
      if (token.name === "keyValue") {
        topKey = token.value;
      } else if (closes) {
        depth = 0;
      } else if (topKey === "version") {
        // A non-numeric version is judged at the end, where a missing "deployment" is the better answer.
        if (token.name !== "numberValue") {
          versionNotNumber = true;
          if (opens) {
            skipTo = depth;
            depth++;
          }
          return;
        }
        summary.version = Number(token.value);
        sawVersion = true;
        if (!SUPPORTED_VERSIONS.includes(summary.version)) {
          throw new InputError(
            "unsupported-version",
            `${file}: has deployment version ${token.value}; this audit reads versions ${SUPPORTED_VERSIONS.join(" and ")}, as \`pulumi stack export\` writes them today`,
          );
        }
      } else if (topKey === "deployment") {
        if (token.name !== "startObject") throw notExport('"deployment" is not an object');
        sawDeployment = true;
        depth = 2;
      } else if (topKey === "features" && opens) {
        startBuilder(token, "features");
      } else if (opens) {
        skipTo = depth;
        depth++;
      }
      return;
    }
    if (depth === 2) {
      if (token.name === "keyValue") {
        deploymentKey = token.value;
      } else if (closes) {
        depth = 1;
      } else if (deploymentKey === "manifest") {
        if (token.name !== "startObject") throw notExport('"deployment.manifest" is not an object');
        startBuilder(token, "manifest");
      } else if (deploymentKey === "resources") {
        if (token.name === "nullValue") return;
        if (token.name !== "startArray") throw notExport('"deployment.resources" is not an array');
        depth = 3;
        inResources = true;
      } else if (opens) {
        skipTo = depth;
        depth++;
      }
      return;
    }
    // Depth 3: directly inside deployment.resources.
    if (inResources && closes) {
      inResources = false;
      depth = 2;
      return;
    }
    if (token.name !== "startObject") {
      throw new InputError(
        "bad-resource",
        `${file}: deployment.resources[${index}] is not an object; this is not a Pulumi stack export`,
      );
    }
    startBuilder(token, "resource");
  };

  tokens.on("data", (token: Token) => {
    if (failure !== undefined) return;
    try {
      onToken(token);
    } catch (err) {
      fail(err);
    }
  });
  // Parse errors arrive through the write and end callbacks below, where we know which one failed.
  tokens.on("error", () => undefined);
  const tokensDone = new Promise<void>((resolve) => {
    tokens.on("end", resolve);
    tokens.on("close", resolve);
  });

  const parseError = (err: Error): string => err.message.replace(/^Parser /, "parser ");
  const source = fs.createReadStream(file, { start: skipBytes, highWaterMark: 1 << 20 });
  try {
    for await (const chunk of source) {
      const err = await Promise.race([
        new Promise<Error | null | undefined>((resolve) => tokens.write(chunk, resolve)),
        failedSignal,
      ]);
      if (failure !== undefined) break;
      if (err) {
        // A parse error inside the input: what came before was JSON, this is not.
        throw tokenCount === 0
          ? new InputError("not-json", `${file}: is not JSON (${parseError(err)})`)
          : new InputError("not-json", `${file}: is not valid JSON (${parseError(err)})`);
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError("unreadable", `${file}: cannot be read (${code ?? (err as Error).message})`);
  } finally {
    source.destroy();
  }
  if (failure === undefined) {
    const err = await Promise.race([
      new Promise<Error | null | undefined>((resolve) => tokens.end(resolve)),
      failedSignal,
    ]);
    if (failure === undefined && err) {
      // Every byte was accepted, but the document never closed: the file was cut short. (The parser
      // waits for more input before it rejects the last few bytes, so garbage there lands here too.)
      if (tokenCount > 0) {
        throw new InputError(
          "truncated",
          `${file}: is truncated: the JSON ends before the export is complete (${sizeOf(file)} bytes)`,
        );
      }
      throw isBlank(file, skipBytes)
        ? new InputError("empty", `${file}: is empty; create it with \`pulumi stack export --file ${file}\``)
        : new InputError("not-json", `${file}: is not JSON (${parseError(err)})`);
    }
    await Promise.race([tokensDone, failedSignal]);
  }
  if (failure !== undefined) throw failure;
  if (!sawDeployment && !sawVersion && !versionNotNumber)
    throw notExport('it has no "version" and no "deployment"');
  if (!sawDeployment) throw notExport('it has no "deployment" object');
  if (versionNotNumber) throw notExport('"version" is not a number');
  if (!sawVersion) throw notExport('it has no "version"');
  if (!sawManifest) throw notExport('"deployment" has no "manifest"');
  return summary;
}

/** Whether a small file holds only whitespace (only called when the parser found no token at all). */
function isBlank(file: string, skipBytes: number): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(4096);
    const n = fs.readSync(fd, head, 0, head.length, skipBytes);
    return !/\S/.test(head.subarray(0, n).toString("latin1"));
  } finally {
    fs.closeSync(fd);
  }
}

function sizeOf(file: string): string {
  return fs.statSync(file).size.toLocaleString("en-US");
}
