// AnalyzeStack for a stack read from a file, in bounded memory.
//
// AnalyzeStack takes the whole stack in one message, so the audit must hold every resource until the
// end of the file. Held as objects, 100k resources' inputs cost hundreds of MB of heap. Held as their
// protobuf wire bytes they cost about their size on the wire, off the heap. A repeated field's
// encoding is the concatenation of its elements' encodings, so the request is built by encoding each
// resource as part of a small AnalyzeStackRequest soon after it is read (cli/pack-wire.ts, the encoder
// the pack client itself uses), a batch of 256 at a time, and concatenating the pieces: the same bytes
// `PackClient.analyzeStack` would send for the whole array (tests/cli/audit-stack-request.test.ts).
//
// The pack client's `analyzeStack` takes objects, so the bytes go out on a channel of our own to the
// same pack process (its port), as the same `/pulumirpc.Analyzer/AnalyzeStack` unary call.

import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import { levelFromProto, type PackClient, type PackDiagnostic, type PackResource } from "../pack-client";
import { encodeAnalyzeStackRequest } from "../pack-wire";

/** Resources encoded together: one encoder buffer per batch rather than one 64 KiB buffer per resource. */
const BATCH = 256;

/** Collects resources as wire bytes; `finish()` returns the whole AnalyzeStackRequest. */
export class StackRequestBuilder {
  private pieces: Buffer[] = [];
  private pending: PackResource[] = [];
  private bytes = 0;
  private resources = 0;

  /** Bytes encoded so far (resources still pending in the batch excluded). */
  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.resources;
  }

  add(resource: PackResource): void {
    this.pending.push(resource);
    this.resources++;
    if (this.pending.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    // The encoder returns a view into its growing working buffer: copy the exact bytes out.
    const piece = Buffer.from(encodeAnalyzeStackRequest(this.pending));
    this.pending = [];
    this.pieces.push(piece);
    this.bytes += piece.length;
  }

  /** The request bytes; the builder is emptied. */
  finish(): Buffer {
    this.flush();
    const out = Buffer.concat(this.pieces, this.bytes);
    this.pieces = [];
    this.bytes = 0;
    this.resources = 0;
    return out;
  }
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
        resolve(
          response.getDiagnosticsList().map((d) => {
            const out: PackDiagnostic = {
              policy: d.getPolicyname(),
              level: levelFromProto(d.getEnforcementlevel()),
              message: d.getMessage(),
            };
            if (d.getUrn()) out.urn = d.getUrn();
            if (d.getDescription()) out.description = d.getDescription();
            if (d.getPolicypackname()) out.packName = d.getPolicypackname();
            return out;
          }),
        );
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
