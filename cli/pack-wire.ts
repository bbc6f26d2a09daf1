// A direct protobuf encoder for `pulumirpc.AnalyzeStackRequest` and `AnalyzeRequest`.
//
// Where it is used, and why the generated classes are not: `zt-postgres audit` of a 100k-resource
// stack sends one AnalyzeStackRequest holding every resource and 100k AnalyzeRequests. Building them
// with the generated jspb classes (`Struct.fromJavaScript` for every resource) costs several seconds
// and hundreds of MB; this writes the same wire bytes straight from plain objects into one growing
// buffer. Every other, small request (Configure, GetAnalyzerInfo, GetPluginInfo, Remediate, the
// engine stand-in's responses) is built with the SDK's generated classes. Field numbers are from
// pulumi's analyzer.proto and google/protobuf/struct.proto; tests/cli/pack-wire.test.ts decodes the
// output with the generated classes and compares it with what they build.

import {
  SECRET_SIG,
  SIG_KEY,
  SecretValue,
  UNKNOWN_SENTINELS,
  UnknownValue,
  type PackResource,
} from "./wire-values";

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

class Writer {
  private buf: Buffer = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  string(field: number, s: string): void {
    this.tag(field, WIRE_LEN);
    const len = Buffer.byteLength(s, "utf8");
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, "utf8");
  }

  double(field: number, v: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }

  bool(field: number, v: boolean): void {
    this.tag(field, WIRE_VARINT);
    this.varint(v ? 1 : 0);
  }

  /** Starts a length-delimited submessage; one byte is reserved for its length. */
  begin(field: number): number {
    this.tag(field, WIRE_LEN);
    this.ensure(1);
    return this.pos++;
  }

  /** Ends a submessage: writes its length, moving the body when the length needs more than one byte. */
  end(start: number): void {
    const len = this.pos - start - 1;
    if (len < 0x80) {
      this.buf[start] = len;
      return;
    }
    let extra = 0;
    for (let l = len; l > 0x7f; l = Math.floor(l / 128)) extra++;
    this.ensure(extra);
    this.buf.copyWithin(start + 1 + extra, start + 1, this.pos);
    this.pos += extra;
    let v = len;
    let p = start;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

// google.protobuf.Value: null_value=1, number_value=2, string_value=3, bool_value=4, struct_value=5, list_value=6.
function writeValue(w: Writer, v: unknown): void {
  if (v === null || v === undefined) {
    w.tag(1, WIRE_VARINT);
    w.varint(0);
  } else if (typeof v === "string") {
    w.string(3, v);
  } else if (typeof v === "number") {
    if (Number.isFinite(v)) w.double(2, v);
    else w.string(3, String(v));
  } else if (typeof v === "boolean") {
    w.bool(4, v);
  } else if (typeof v === "bigint") {
    w.double(2, Number(v));
  } else if (v instanceof UnknownValue) {
    w.string(3, UNKNOWN_SENTINELS[v.kind]);
  } else if (v instanceof SecretValue) {
    const s = w.begin(5);
    writeStructFields(w, { [SIG_KEY]: SECRET_SIG, value: v.value });
    w.end(s);
  } else if (Array.isArray(v)) {
    const s = w.begin(6);
    for (const x of v) {
      const e = w.begin(1);
      writeValue(w, x);
      w.end(e);
    }
    w.end(s);
  } else if (v instanceof Date) {
    w.string(3, v.toISOString());
  } else if (typeof v === "object") {
    const s = w.begin(5);
    writeStructFields(w, v as Record<string, unknown>);
    w.end(s);
  } else {
    w.string(3, String(v));
  }
}

// google.protobuf.Struct: map<string, Value> fields = 1 (entries: key = 1, value = 2).
function writeStructFields(w: Writer, o: Record<string, unknown>): void {
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === undefined) continue;
    const entry = w.begin(1);
    w.string(1, k);
    const val = w.begin(2);
    writeValue(w, x);
    w.end(val);
    w.end(entry);
  }
}

function providerParts(ref: string): { urn: string; type: string; name: string } {
  const idx = ref.lastIndexOf("::");
  const urn =
    idx > 0 && ref.startsWith("urn:") && ref.slice(0, idx).split("::").length >= 4 ? ref.slice(0, idx) : ref;
  const parts = urn.split("::");
  return { urn, type: (parts[2] ?? "").split("$").pop() ?? "", name: parts[3] ?? "" };
}

// AnalyzerResource: type=1, properties=2, urn=3, name=4, options=5, provider=6, parent=7,
// dependencies=8, propertyDependencies=9 (map<string, AnalyzerPropertyDependencies{urns=1}>).
// AnalyzeRequest (Analyze, Remediate) has the same fields 1-6 and nothing after; it carries inputs,
// so no id is added.
function writeResource(w: Writer, r: PackResource, forStack = true): void {
  if (r.type) w.string(1, r.type);
  const props =
    forStack && r.id !== undefined && !("id" in (r.properties ?? {}))
      ? { ...r.properties, id: r.id }
      : r.properties;
  const p = w.begin(2);
  writeStructFields(w, props ?? {});
  w.end(p);
  if (r.urn) w.string(3, r.urn);
  if (r.name) w.string(4, r.name);
  // AnalyzerResourceOptions: protect=1, parent=8. Always present: the SDK refuses a request without it.
  const o = w.begin(5);
  if (r.protect) w.bool(1, true);
  if (r.parent) w.string(8, r.parent);
  w.end(o);
  if (r.provider) {
    // AnalyzerProviderResource: type=1, properties=2, urn=3, name=4.
    const pr = providerParts(r.provider);
    const s = w.begin(6);
    if (pr.type) w.string(1, pr.type);
    w.end(w.begin(2));
    if (pr.urn) w.string(3, pr.urn);
    if (pr.name) w.string(4, pr.name);
    w.end(s);
  }
  if (!forStack) return;
  if (r.parent) w.string(7, r.parent);
  for (const d of r.dependencies ?? []) w.string(8, d);
  for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
    const entry = w.begin(9);
    w.string(1, k);
    const v = w.begin(2);
    for (const u of urns) w.string(1, u);
    w.end(v);
    w.end(entry);
  }
}

/** The wire bytes of `AnalyzeStackRequest { repeated AnalyzerResource resources = 1; }`. */
export function encodeAnalyzeStackRequest(rs: readonly PackResource[]): Buffer {
  const w = new Writer();
  for (const r of rs) {
    const s = w.begin(1);
    writeResource(w, r);
    w.end(s);
  }
  return w.finish();
}

/** The wire bytes of `AnalyzeRequest` (used by Analyze and Remediate): type, properties, urn, name, options, provider. */
export function encodeAnalyzeRequest(r: PackResource): Buffer {
  const w = new Writer();
  writeResource(w, r, false);
  return w.finish();
}
