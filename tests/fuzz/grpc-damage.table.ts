// Damaged requests for the pack's gRPC Analyzer service, as data: each is a method path
// and the exact bytes sent, built from the real protobuf messages and then broken (missing fields,
// weird Struct values, huge strings, deep nesting, bad enums and config types, duplicate URNs) or
// not protobuf at all (random, truncated, overflowing bytes). grpc-damage.test.ts sends each through a
// raw client and checks the pack answers (a diagnostic, a response or a clean gRPC error) and keeps
// answering; docs/robustness.md counts them. Importing this file starts nothing.

import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";

export const ANALYZER = "/pulumirpc.Analyzer/";
/** Seed of the random-bytes requests (fixed: the same bytes every run). */
export const DAMAGE_SEED = 0x5eed_7007;

export interface DamagedRequest {
  title: string;
  method:
    | "Analyze"
    | "AnalyzeStack"
    | "Remediate"
    | "Configure"
    | "GetAnalyzerInfo"
    | "GetPluginInfo"
    | string;
  bytes: Uint8Array;
}

const SERVER = "azure-native:dbforpostgresql:Server";
const urn = (type: string, name: string) => `urn:pulumi:dev::zt::${type}::${name}`;
const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";

// --- Struct building without the JSON round trip, so NaN, Infinity and odd keys survive ----------

type V = structPb.Value;
function num(n: number): V {
  const v = new structPb.Value();
  v.setNumberValue(n);
  return v;
}
function str(s: string): V {
  const v = new structPb.Value();
  v.setStringValue(s);
  return v;
}
function bool(b: boolean): V {
  const v = new structPb.Value();
  v.setBoolValue(b);
  return v;
}
function nul(): V {
  const v = new structPb.Value();
  v.setNullValue(structPb.NullValue.NULL_VALUE);
  return v;
}
function list(...items: V[]): V {
  const l = new structPb.ListValue();
  l.setValuesList(items);
  const v = new structPb.Value();
  v.setListValue(l);
  return v;
}
function struct(entries: [string, V][]): structPb.Struct {
  const s = new structPb.Struct();
  const m = s.getFieldsMap();
  for (const [k, v] of entries) m.set(k, v);
  return s;
}
function obj(entries: [string, V][]): V {
  const v = new structPb.Value();
  v.setStructValue(struct(entries));
  return v;
}
/** A Value with no kind set at all (the oneof left empty). */
function empty(): V {
  return new structPb.Value();
}
function nested(depth: number, asList: boolean): V {
  let v: V = str("bottom");
  for (let i = 0; i < depth; i++) v = asList ? list(v) : obj([["network", v]]);
  return v;
}

// --- Hand-encoded protobuf for nesting deeper than google-protobuf's recursive writer can go -------

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
function lenField(field: number, body: Uint8Array): Uint8Array {
  const head = [...varint((field << 3) | 2), ...varint(body.length)];
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}
const utf8 = (s: string) => new TextEncoder().encode(s);
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * An AnalyzeRequest for a server whose `network` property is a Value nested `depth` times (lists or
 * objects), encoded iteratively: field numbers from analyzer.proto and struct.proto (Value.string_value
 * 3, struct_value 5, list_value 6; ListValue.values 1; Struct.fields 1 as {key 1, value 2}).
 */
export function deepRequest(depth: number, asList: boolean): Uint8Array {
  // Sizes inside out, then the level headers outside in: linear in the depth, no recursion.
  const key = [0x0a, 7, ...utf8("network")];
  const core = lenField(3, utf8("bottom"));
  const headers: number[][] = [];
  let size = core.length;
  for (let i = 0; i < depth; i++) {
    if (asList) {
      const list = 1 + varint(size).length + size;
      headers.push([0x32, ...varint(list), 0x0a, ...varint(size)]);
      size = 1 + varint(list).length + list;
    } else {
      const entry = key.length + 1 + varint(size).length + size;
      const struct = 1 + varint(entry).length + entry;
      headers.push([0x2a, ...varint(struct), 0x0a, ...varint(entry), ...key, 0x12, ...varint(size)]);
      size = 1 + varint(struct).length + struct;
    }
  }
  const value = new Uint8Array(size);
  let at = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    value.set(headers[i], at);
    at += headers[i].length;
  }
  value.set(core, at);
  const props = lenField(1, concat(lenField(1, utf8("network")), lenField(2, value)));
  return concat(
    lenField(1, utf8(SERVER)),
    lenField(2, props),
    lenField(3, utf8(urn(SERVER, "pg"))),
    lenField(4, utf8("pg")),
  );
}

function analyze(fill: (r: analyzerPb.AnalyzeRequest) => void): Uint8Array {
  const r = new analyzerPb.AnalyzeRequest();
  fill(r);
  return r.serializeBinary();
}
function serverRequest(props: [string, V][], withOptions = false): Uint8Array {
  return analyze((r) => {
    r.setType(SERVER);
    r.setUrn(urn(SERVER, "pg"));
    r.setName("pg");
    r.setProperties(struct(props));
    if (withOptions) r.setOptions(new analyzerPb.AnalyzerResourceOptions());
  });
}

function resource(
  type: string,
  name: string,
  props: [string, V][],
  fill?: (r: analyzerPb.AnalyzerResource) => void,
) {
  const r = new analyzerPb.AnalyzerResource();
  r.setType(type);
  r.setUrn(urn(type, name));
  r.setName(name);
  r.setProperties(struct(props));
  fill?.(r);
  return r;
}
function stack(resources: analyzerPb.AnalyzerResource[]): Uint8Array {
  const s = new analyzerPb.AnalyzeStackRequest();
  s.setResourcesList(resources);
  return s.serializeBinary();
}
function configure(entries: [string, number, structPb.Struct | undefined][]): Uint8Array {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  const m = req.getPolicyconfigMap();
  for (const [name, level, props] of entries) {
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(level as analyzerPb.EnforcementLevel);
    if (props) pc.setProperties(props);
    m.set(name, pc);
  }
  return req.serializeBinary();
}

/** mulberry32: a tiny seeded PRNG, so the random requests are the same every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HAPPY: [string, V][] = [
  ["resourceGroupName", str("rg")],
  ["serverName", str("pg")],
  ["network", obj([["publicNetworkAccess", str("Disabled")]])],
  [
    "authConfig",
    obj([
      ["activeDirectoryAuth", str("Enabled")],
      ["passwordAuth", str("Disabled")],
    ]),
  ],
];

function structured(): DamagedRequest[] {
  const huge = (n: number) => str("x".repeat(n));
  const out: DamagedRequest[] = [
    // Analyze: missing fields.
    { title: "Analyze with nothing set", method: "Analyze", bytes: analyze(() => undefined) },
    {
      title: "Analyze without a type",
      method: "Analyze",
      bytes: analyze((r) => {
        r.setUrn(urn(SERVER, "pg"));
        r.setProperties(struct(HAPPY));
      }),
    },
    {
      title: "Analyze without a URN or name",
      method: "Analyze",
      bytes: analyze((r) => {
        r.setType(SERVER);
        r.setProperties(struct(HAPPY));
      }),
    },
    {
      title: "Analyze without properties",
      method: "Analyze",
      bytes: analyze((r) => {
        r.setType(SERVER);
        r.setUrn(urn(SERVER, "pg"));
      }),
    },
    {
      title: "Analyze with a URN that is not a URN",
      method: "Analyze",
      bytes: analyze((r) => {
        r.setType(SERVER);
        r.setUrn("::::");
        r.setProperties(struct(HAPPY));
      }),
    },
    // Analyze: weird Struct values.
    {
      title: "Analyze with NaN, ±Infinity and -0 numbers",
      method: "Analyze",
      bytes: serverRequest([
        ["backup", obj([["backupRetentionDays", num(NaN)]])],
        ["storage", obj([["storageSizeGB", num(Infinity)]])],
        ["version", num(-Infinity)],
        ["availabilityZone", num(-0)],
      ]),
    },
    {
      title: "Analyze with every property null",
      method: "Analyze",
      bytes: serverRequest(HAPPY.map(([k]) => [k, nul()])),
    },
    {
      title: "Analyze with Values whose kind is unset",
      method: "Analyze",
      bytes: serverRequest([
        ["network", empty()],
        ["authConfig", obj([["passwordAuth", empty()]])],
      ]),
    },
    {
      title: "Analyze with lists where objects belong and objects where strings belong",
      method: "Analyze",
      bytes: serverRequest([
        ["network", list(str("Disabled"), num(1))],
        ["authConfig", obj([["passwordAuth", obj([["value", str("Disabled")]])]])],
        ["dataEncryption", list()],
      ]),
    },
    {
      title: "Analyze with booleans and numbers for enum strings",
      method: "Analyze",
      bytes: serverRequest([
        ["network", obj([["publicNetworkAccess", bool(false)]])],
        ["authConfig", obj([["passwordAuth", num(0)]])],
        ["backup", obj([["geoRedundantBackup", bool(true)]])],
      ]),
    },
    {
      title: "Analyze with unknown sentinels everywhere",
      method: "Analyze",
      bytes: serverRequest([
        ...HAPPY.map(([k]): [string, V] => [k, str(SENTINEL)]),
        ["dataEncryption", str(SENTINEL)],
      ]),
    },
    {
      title: "Analyze with malformed secret, asset and resource-reference signatures",
      method: "Analyze",
      bytes: serverRequest([
        ["network", obj([[SIG, str("1b47061264138c4ac30d75fd1eb44270")]])],
        [
          "authConfig",
          obj([
            [SIG, str("1b47061264138c4ac30d75fd1eb44270")],
            ["value", list(nul())],
          ]),
        ],
        [
          "dataEncryption",
          obj([
            [SIG, str("5cf8f73096256a8f31e491e813e4eb8e")],
            ["urn", num(7)],
          ]),
        ],
        [
          "backup",
          obj([
            [SIG, str("c44067f5952c0a294b673a41bacd8c17")],
            ["path", nul()],
          ]),
        ],
        ["sku", obj([[SIG, str("not-a-signature")]])],
        [
          "identity",
          obj([
            [SIG, str("d0e6a833031e9bbcd3f4e8bde6ca49a4")],
            ["dependencies", str("x")],
          ]),
        ],
      ]),
    },
    {
      title: "Analyze with __proto__, constructor and prototype keys",
      method: "Analyze",
      bytes: serverRequest([
        [
          "__proto__",
          obj([
            ["publicNetworkAccess", str("Enabled")],
            ["polluted", bool(true)],
          ]),
        ],
        ["constructor", obj([["prototype", obj([["polluted", bool(true)]])]])],
        ["network", obj([["__proto__", obj([["publicNetworkAccess", str("Disabled")]])]])],
        ["hasOwnProperty", str("x")],
      ]),
    },
    {
      title: "Analyze with a 1 MiB string",
      method: "Analyze",
      bytes: serverRequest([["serverName", huge(1 << 20)]]),
    },
    {
      title: "Analyze with a 3 MiB string (under the 4 MiB message limit)",
      method: "Analyze",
      bytes: serverRequest([["network", obj([["publicNetworkAccess", huge(3 << 20)]])]]),
    },
    {
      title: "Analyze with a 6 MiB string (over the default 4 MiB message limit)",
      method: "Analyze",
      bytes: serverRequest([["serverName", huge(6 << 20)]]),
    },
    {
      title: "Analyze with 100,000 properties",
      method: "Analyze",
      bytes: serverRequest(Array.from({ length: 100_000 }, (_, i): [string, V] => [`p${i}`, num(i)])),
    },
    {
      title: "Analyze with objects nested 100 deep",
      method: "Analyze",
      bytes: serverRequest([["network", nested(100, false)]]),
    },
    { title: "Analyze with objects nested 1,000 deep", method: "Analyze", bytes: deepRequest(1000, false) },
    { title: "Analyze with lists nested 3,000 deep", method: "Analyze", bytes: deepRequest(3000, true) },
    {
      title: "Analyze with objects nested 50,000 deep",
      method: "Analyze",
      bytes: deepRequest(50_000, false),
    },
    { title: "Analyze with lists nested 100,000 deep", method: "Analyze", bytes: deepRequest(100_000, true) },
    {
      title: "Analyze with a control-character and lone-surrogate type token",
      method: "Analyze",
      bytes: analyze((r) => {
        r.setType("azure-native:\u0000dbforpostgresql:Server\ud800");
        r.setUrn(urn("x", "\u0000"));
        r.setProperties(struct(HAPPY));
      }),
    },
    {
      title: "Analyze with garbage options and provider",
      method: "Analyze",
      bytes: analyze((r) => {
        r.setType(SERVER);
        r.setUrn(urn(SERVER, "pg"));
        r.setProperties(struct(HAPPY));
        r.setProvider(new analyzerPb.AnalyzerProviderResource());
        const o = new analyzerPb.AnalyzerResourceOptions();
        o.setProtect(true);
        o.setAliasesList(["", "::", SENTINEL]);
        o.setIgnorechangesList(["", "[", "a.b.c"]);
        r.setOptions(o);
      }),
    },
    // Remediate. Every Remediate request here carries resource options and properties: @pulumi/policy
    // 1.21.0 reads both before the try block of its Remediate handler, so a request without them is
    // never answered (the engine always sends both). See docs/robustness.md, "Known limits".
    {
      title: "Remediate a public server whose network is a list",
      method: "Remediate",
      bytes: serverRequest(
        [
          ["network", list(str("Enabled"))],
          ["authConfig", str(SENTINEL)],
        ],
        true,
      ),
    },
    {
      title: "Remediate with __proto__ keys",
      method: "Remediate",
      bytes: serverRequest(
        [["__proto__", obj([["network", obj([["publicNetworkAccess", str("Enabled")]])]])]],
        true,
      ),
    },
    // Configure.
    { title: "Configure with no policies", method: "Configure", bytes: configure([]) },
    {
      title: "Configure with an unknown enforcement level (99)",
      method: "Configure",
      bytes: configure([["postgres-no-public-network-access", 99, undefined]]),
    },
    {
      title: "Configure with a negative enforcement level",
      method: "Configure",
      bytes: configure([["postgres-backup-retention", -1, undefined]]),
    },
    {
      title: "Configure with config of the wrong types",
      method: "Configure",
      bytes: configure([
        ["postgres-backup-retention", 1, struct([["minimumDays", str("abc")]])],
        ["postgres-allowed-versions", 0, struct([["allowedVersions", obj([["x", num(1)]])]])],
        ["firewall-no-open-ranges", 1, struct([["minimumPrefixLength", num(NaN)]])],
        ["postgres-no-public-network-access", 1, struct([["allowPublicAccess", str("yes")]])],
      ]),
    },
    {
      title: "Configure with config values nested 100 deep",
      method: "Configure",
      bytes: configure([["postgres-allowed-versions", 0, struct([["allowedVersions", nested(100, true)]])]]),
    },
    {
      title: "Configure with a policy the pack does not have",
      method: "Configure",
      bytes: configure([["no-such-policy", 1, struct([["x", num(1)]])]]),
    },
    {
      title: "Configure with a __proto__ policy name and config key",
      method: "Configure",
      bytes: configure([
        ["__proto__", 1, struct([["polluted", bool(true)]])],
        ["postgres-log-retention", 1, struct([["__proto__", obj([["minimumDays", num(1)]])]])],
      ]),
    },
    // AnalyzeStack.
    { title: "AnalyzeStack with no resources", method: "AnalyzeStack", bytes: stack([]) },
    {
      title: "AnalyzeStack with duplicate URNs",
      method: "AnalyzeStack",
      bytes: stack([
        resource(SERVER, "pg", HAPPY),
        resource(SERVER, "pg", HAPPY),
        resource(SERVER, "pg", []),
      ]),
    },
    {
      title: "AnalyzeStack with resources missing type and URN",
      method: "AnalyzeStack",
      bytes: stack([
        new analyzerPb.AnalyzerResource(),
        resource("", "", HAPPY),
        resource(SERVER, "pg", HAPPY),
      ]),
    },
    {
      title: "AnalyzeStack with dangling, self and cyclic dependencies and a garbage parent",
      method: "AnalyzeStack",
      bytes: stack([
        resource(SERVER, "a", HAPPY, (r) => {
          r.setDependenciesList([urn(SERVER, "a"), urn(SERVER, "b"), "nope", ""]);
          r.setParent(SENTINEL);
        }),
        resource(SERVER, "b", HAPPY, (r) => r.setDependenciesList([urn(SERVER, "a")])),
        resource("azure-native:monitor:DiagnosticSetting", "d", [["resourceUri", str(SENTINEL)]], (r) =>
          r.setDependenciesList([urn(SERVER, "a"), urn(SERVER, "a")]),
        ),
      ]),
    },
    {
      title: "AnalyzeStack with property dependencies on unknown URNs",
      method: "AnalyzeStack",
      bytes: stack([
        resource(SERVER, "pg", HAPPY, (r) => {
          const d = new analyzerPb.AnalyzerPropertyDependencies();
          d.setUrnsList(["", "urn:pulumi:nowhere", SENTINEL]);
          r.getPropertydependenciesMap().set("__proto__", d);
          r.getPropertydependenciesMap().set("network", d);
        }),
      ]),
    },
    {
      title: "AnalyzeStack with 5,000 servers sharing one URN",
      method: "AnalyzeStack",
      bytes: stack(Array.from({ length: 5000 }, () => resource(SERVER, "same", HAPPY))),
    },
    {
      title: "AnalyzeStack with deeply nested and huge properties",
      method: "AnalyzeStack",
      bytes: stack([
        resource(SERVER, "deep", [["network", nested(100, false)]]),
        resource("azure-native:network:PrivateEndpoint", "pe", [
          ["privateLinkServiceConnections", list(obj([["privateLinkServiceId", huge(1 << 20)]]))],
        ]),
      ]),
    },
  ];
  return out;
}

function raw(): DamagedRequest[] {
  const rnd = prng(DAMAGE_SEED);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  const valid = serverRequest(HAPPY);
  const validStack = stack([resource(SERVER, "pg", HAPPY)]);
  const validConfigure = configure([["postgres-backup-retention", 1, struct([["minimumDays", num(7)]])]]);
  const out: DamagedRequest[] = [
    {
      title: "Analyze truncated to half its bytes",
      method: "Analyze",
      bytes: valid.slice(0, valid.length >> 1),
    },
    { title: "Analyze truncated by one byte", method: "Analyze", bytes: valid.slice(0, valid.length - 1) },
    {
      title: "AnalyzeStack truncated to half its bytes",
      method: "AnalyzeStack",
      bytes: validStack.slice(0, validStack.length >> 1),
    },
    {
      title: "Configure truncated to half its bytes",
      method: "Configure",
      bytes: validConfigure.slice(0, validConfigure.length >> 1),
    },
    {
      title: "Analyze with a varint that never ends",
      method: "Analyze",
      bytes: Uint8Array.from([0x08, ...Array(12).fill(0xff)]),
    },
    {
      title: "Analyze whose field length claims 1 MiB but carries one byte",
      method: "Analyze",
      // (A claim of 2 GiB is answered too, but google-protobuf then walks the missing bytes for tens of
      // seconds of CPU; see docs/robustness.md, "Known limits".)
      bytes: Uint8Array.from([0x0a, 0x80, 0x80, 0x40, 0x41]),
    },
    {
      title: "Analyze with an invalid wire type",
      method: "Analyze",
      bytes: Uint8Array.from([0x0f, 0x01, 0x02]),
    },
    { title: "Analyze with field number 0", method: "Analyze", bytes: Uint8Array.from([0x00, 0x01]) },
    {
      title: "Analyze whose type field is invalid UTF-8",
      method: "Analyze",
      bytes: Uint8Array.from([0x0a, 0x04, 0xff, 0xfe, 0xc0, 0x80]),
    },
    {
      title: "Analyze with a start-group tag and no end",
      method: "Analyze",
      bytes: Uint8Array.from([0x0b, 0x0a, 0x01, 0x41]),
    },
    {
      title: "GetAnalyzerInfo with garbage where Empty belongs",
      method: "GetAnalyzerInfo",
      bytes: bytes(64),
    },
    { title: "GetPluginInfo with garbage where Empty belongs", method: "GetPluginInfo", bytes: bytes(64) },
    { title: "a method the service does not have", method: "NoSuchMethod", bytes: valid },
  ];
  // Random bytes to each method, of lengths from 1 byte to 64 KiB.
  // Not Remediate: random bytes that happen to decode reach the SDK handler's unguarded reads (above).
  const methods = ["Analyze", "AnalyzeStack", "Configure"];
  const lengths = [1, 2, 7, 33, 256, 4096, 65536];
  for (const m of methods) {
    for (const n of lengths) out.push({ title: `${m} with ${n} random bytes`, method: m, bytes: bytes(n) });
  }
  // A valid request with random bytes flipped.
  for (let i = 0; i < 8; i++) {
    const b = Uint8Array.from(valid);
    for (let k = 0; k < 1 + i * 2; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    out.push({ title: `Analyze with ${1 + i * 2} random bytes overwritten`, method: "Analyze", bytes: b });
  }
  return out;
}

/** Every damaged request, in the order the test sends them. Built once, on first use. */
let cache: DamagedRequest[] | undefined;
export function damagedRequests(): DamagedRequest[] {
  cache ??= [...structured(), ...raw()];
  return cache;
}
