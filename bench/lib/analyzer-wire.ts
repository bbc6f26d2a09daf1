// Analyzer requests encoded once, sent as raw bytes. The benchmarks time what the pack does (decode,
// evaluate, answer) and not the client's own encoding, which the real engine does in Go and which is
// the same for every pack. The messages match what cli/pack-client sends.

import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import { analyzeRequest, analyzerResource, type PackResource } from "../../cli/pack-client";

/** One `Analyze` request (a resource's inputs during preview), serialized. */
export function analyzeRequestBytes(r: PackResource): Uint8Array {
  return analyzeRequest(r).serializeBinary();
}

/** One `AnalyzeStack` request over `rs` (outputs, with the id as a property as the engine sends it), serialized. */
export function analyzeStackRequestBytes(rs: readonly PackResource[]): Uint8Array {
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(rs.map(analyzerResource));
  return req.serializeBinary();
}

/** Number of diagnostics in a serialized `AnalyzeResponse`. */
export function diagnosticCount(response: Buffer): number {
  return analyzerPb.AnalyzeResponse.deserializeBinary(response).getDiagnosticsList().length;
}

const MAX_MESSAGE = 1024 * 1024 * 1024;

/** A gRPC client for the pack's Analyzer service that sends pre-encoded requests. */
export class RawAnalyzer {
  private readonly client: grpc.Client;

  constructor(port: number) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_send_message_length": MAX_MESSAGE,
      "grpc.max_receive_message_length": MAX_MESSAGE,
    });
  }

  call(method: "Analyze" | "AnalyzeStack", request: Uint8Array): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.client.makeUnaryRequest<Uint8Array, Buffer>(
        `/pulumirpc.Analyzer/${method}`,
        (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
        (b) => b,
        request,
        (err, res) => (err || !res ? reject(err ?? new Error(`${method}: no response`)) : resolve(res)),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
