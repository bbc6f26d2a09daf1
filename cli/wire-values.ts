// The engine's wire constants and the value markers the CLI uses for them, defined once.
//
// A property value travels between the engine, a language SDK and an analyzer as a
// google.protobuf.Struct in which a few objects and strings carry meaning:
// - `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }` is a secret;
// - the same key with "5cf8f73096256a8f31e491e813e4eb8e" is a resource reference, with
//   "c44067f5952c0a294b673a41bacd8c17"/"0def7320c3a5731c473e5ecbe6d01bc7" an asset/archive and with
//   "d0e6a833031e9bbcd3f4e8bde6ca49a4" an output value;
// - a string sentinel stands for a value not known during preview (one per kind; the SDK only writes the
//   string one).
// Sources (read 2026-11-30): @pulumi/pulumi runtime/rpc.ts (`specialSigKey`, `specialSecretSig`,
// `unknownValue`, …), https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/runtime/rpc.ts, and the
// engine's sentinels in https://github.com/pulumi/pulumi/blob/master/sdk/go/common/resource/plugin/rpc.go.
// tests/cli/wire-values.test.ts checks these against the exports of the installed @pulumi/pulumi, so
// the CLI does not load the SDK runtime just to read six strings.

/** The key that marks a special object. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** `SIG_KEY` value of a secret (`{ value }`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** `SIG_KEY` value of a resource reference (`{ urn, id?, packageVersion? }`). */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** `SIG_KEY` value of an asset. */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
/** `SIG_KEY` value of an archive. */
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** `SIG_KEY` value of an output value (`{ value?, secret?, dependencies? }`). */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** The engine's sentinels for values not known during preview (sdk/go/common/resource/plugin/rpc.go). */
export const UNKNOWN_SENTINELS = {
  boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;
export type UnknownKind = keyof typeof UNKNOWN_SENTINELS;

/** The SDK's `unknownValue`: the sentinel a Node.js program sends for any unknown input. */
export const UNKNOWN_SENTINEL = UNKNOWN_SENTINELS.string;

export const SENTINEL_KINDS: ReadonlyMap<string, UnknownKind> = new Map(
  Object.entries(UNKNOWN_SENTINELS).map(([k, v]) => [v, k as UnknownKind]),
);

/** Marks a value that is unknown during preview. */
export class UnknownValue {
  constructor(readonly kind: UnknownKind = "string") {}
}
/** An unknown value, encoded as the engine's generic (string) sentinel. */
export const UNKNOWN: UnknownValue = new UnknownValue("string");
export function unknownValue(kind: UnknownKind = "string"): UnknownValue {
  return kind === "string" ? UNKNOWN : new UnknownValue(kind);
}

/** Marks a secret value; encoded with Pulumi's secret signature, as the engine sends secrets. */
export class SecretValue {
  constructor(readonly value: unknown) {}
}
export function secretValue(value: unknown): SecretValue {
  return new SecretValue(value);
}

/** A resource as the engine shows it to an analyzer. */
export interface PackResource {
  urn: string;
  type: string;
  name: string;
  /** Plain JSON; use `UNKNOWN`/`unknownValue()` for values not known at preview and `secretValue()` for secrets. */
  properties: Record<string, unknown>;
  id?: string;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: string;
  protect?: boolean;
}
