// AnalyzeStack for a stack read from a file, in bounded memory.
//
// AnalyzeStack takes the whole stack in one message, so the audit must hold every resource until the
// end of the file. Held as objects, 100k resources' inputs cost hundreds of MB of heap. Held as their
// protobuf wire bytes they cost about their size on the wire, off the heap; past 16 MiB those bytes go
// to a temporary file, so memory stays flat while the file streams. A repeated field's
// encoding is the concatenation of its elements' encodings, so the request is built by encoding each
// resource as part of a small AnalyzeStackRequest soon after it is read (cli/pack-wire.ts, the encoder
// the pack client itself uses), a batch of 256 at a time, and concatenating the pieces: the same bytes
// `PackClient.analyzeStack` would send for the whole array (tests/cli/audit-stack-request.test.ts).
//
// The pack client's `analyzeStack` takes objects, so the bytes go out on a channel of our own to the
// same pack process (its port), as the same `/pulumirpc.Analyzer/AnalyzeStack` unary call.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import { diagnostics, type PackClient, type PackDiagnostic, type PackResource } from "../pack-client";
import { encodeAnalyzeStackRequest } from "../pack-wire";

/** Resources encoded together: one encoder buffer per batch rather than one 64 KiB buffer per resource. */
const BATCH = 256;

/** Above this many encoded bytes the pieces go to a temporary file instead of staying in memory. */
export const SPILL_BYTES = 16 * 1024 * 1024;

/**
 * Collects resources as wire bytes; `finish()` returns the whole AnalyzeStackRequest. Small stacks stay
 * in memory. A large one is spilled to a temporary file as it is read, so memory stays flat while the
 * file streams, and the request exists once, in one buffer, only when it is sent.
 */
export class StackRequestBuilder {
  private pieces: Buffer[] = [];
  private pending: PackResource[] = [];
  private bytes = 0;
  private resources = 0;
  private spill: { dir: string; file: string; fd: number } | undefined;

  constructor(private readonly spillBytes: number = SPILL_BYTES) {}

  /** Bytes encoded so far (resources still pending in the batch excluded). */
  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.resources;
  }

  /** Whether the pieces are in a temporary file. */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  add(resource: PackResource): void {
    this.pending.push(resource);
    this.resources++;
    if (this.pending.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const encoded = encodeAnalyzeStackRequest(this.pending);
    this.pending = [];
    this.bytes += encoded.length;
    if (this.spill === undefined && this.bytes > this.spillBytes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-audit-stack-"));
      const file = path.join(dir, "analyze-stack-request.bin");
      this.spill = { dir, file, fd: fs.openSync(file, "w+", 0o600) };
      for (const piece of this.pieces) writeAll(this.spill.fd, piece);
      this.pieces = [];
    }
    if (this.spill !== undefined) writeAll(this.spill.fd, encoded);
    // The encoder returns a view into its growing working buffer: keep a copy of the exact bytes.
    else this.pieces.push(Buffer.from(encoded));
  }

  /** The request bytes; the builder is emptied. */
  finish(): Buffer {
    this.flush();
    let out: Buffer;
    if (this.spill === undefined) {
      out = Buffer.concat(this.pieces, this.bytes);
    } else {
      out = Buffer.allocUnsafe(this.bytes);
      for (let at = 0; at < out.length; ) {
        const n = fs.readSync(this.spill.fd, out, at, out.length - at, at);
        if (n <= 0) throw new Error(`short read of ${this.spill.file}`);
        at += n;
      }
    }
    this.dispose();
    return out;
  }

  /** Drops everything held, and removes the temporary file. */
  dispose(): void {
    this.pieces = [];
    this.pending = [];
    this.bytes = 0;
    this.resources = 0;
    if (this.spill !== undefined) {
      fs.closeSync(this.spill.fd);
      fs.rmSync(this.spill.dir, { recursive: true, force: true });
      this.spill = undefined;
    }
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length; ) at += fs.writeSync(fd, data, at, data.length - at);
}

/** 1 GiB, as the pack client allows: AnalyzeStack over 100k resources is far above gRPC's 4 MiB default. */
const MAX_MESSAGE = 1024 * 1024 * 1024;

/** Sends already-encoded AnalyzeStackRequest bytes to the pack listening on `port`. */
export function analyzeStackBytes(port: number, request: Buffer): Promise<PackDiagnostic[]> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": MAX_MESSAGE,
    "grpc.max_receive_message_length": MAX_MESSAGE,
  });
  return new Promise<PackDiagnostic[]>((resolve, reject) => {
    client.makeUnaryRequest(
      "/pulumirpc.Analyzer/AnalyzeStack",
      (b: Buffer) => b,
      (b: Buffer) =>
        analyzerPb.AnalyzeResponse.deserializeBinary(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
      request,
      new grpc.Metadata(),
      {},
      (err, response) => {
        client.close();
        if (err || response === undefined) {
          reject(new Error(`policy pack: ${err?.details || err?.message || "no response"}`));
          return;
        }
        resolve(diagnostics(response));
      },
    );
  });
}

/** A pack client that can also take AnalyzeStack as bytes (what `runAudit` uses when it can). */
export interface BytesPack {
  analyzeStackBytes(request: Buffer): Promise<PackDiagnostic[]>;
}

/** Adds `analyzeStackBytes` to a started pack client. */
export function withStackBytes<P extends Pick<PackClient, "port">>(pack: P): P & BytesPack {
  return Object.assign(pack, {
    analyzeStackBytes: (request: Buffer) => analyzeStackBytes(pack.port, request),
  });
}
