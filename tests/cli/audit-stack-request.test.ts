// The audit's AnalyzeStack request: built piece by piece as the file is read, it is byte for byte
// what the pack client would send for the whole array, and the pack answers it like analyzeStack().

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { toPackResource } from "../../cli/audit/audit";
import { readExport } from "../../cli/audit/read-export";
import { StackRequestBuilder, analyzeStackBytes } from "../../cli/audit/stack-request";
import { startPack, type PackClient, type PackResource } from "../../cli/pack-client";
import { encodeAnalyzeStackRequest } from "../../cli/pack-wire";

const FIXTURES = path.join(__dirname, "..", "fixtures", "exports");

async function resourcesOf(name: string): Promise<PackResource[]> {
  const out: PackResource[] = [];
  await readExport(path.join(FIXTURES, name), (r) => {
    out.push(toPackResource(r));
  });
  return out;
}

describe("audit: the AnalyzeStack request as bytes", function () {
  this.timeout(120_000);
  let pack: PackClient;
  before(async () => {
    pack = await startPack();
  });
  after(async () => pack?.close());

  it("concatenates one-resource requests into exactly the whole-stack request", async () => {
    for (const name of ["clean.json", "dirty.json", "secrets.json"]) {
      const resources = await resourcesOf(name);
      const builder = new StackRequestBuilder();
      for (const r of resources) builder.add(r);
      assert.equal(builder.count, resources.length);
      const bytes = builder.finish();
      assert.ok(bytes.equals(encodeAnalyzeStackRequest(resources)), name);
      assert.equal(builder.count, 0, "finish() empties the builder");
    }
  });

  it("holds exact bytes, not the encoder's working buffers", async () => {
    const resources = await resourcesOf("clean.json");
    const builder = new StackRequestBuilder();
    for (let i = 0; i < 600; i++)
      builder.add({ ...resources[i % resources.length], urn: `${resources[i % resources.length].urn}-${i}` });
    assert.equal(builder.count, 600);
    const held = (builder as unknown as { pieces: Buffer[] }).pieces;
    assert.equal(held.length, 2, "two full batches of 256 encoded, 88 pending");
    for (const piece of held)
      assert.equal(piece.buffer.byteLength, piece.length, "a piece owns exactly its bytes");
    assert.equal(
      builder.finish().length,
      encodeAnalyzeStackRequest(
        Array.from({ length: 600 }, (_, i) => ({
          ...resources[i % resources.length],
          urn: `${resources[i % resources.length].urn}-${i}`,
        })),
      ).length,
    );
  });

  it("spills a large stack to a temporary file, reads back the same bytes, and removes the file", async () => {
    const resources = await resourcesOf("clean.json");
    const many = Array.from({ length: 700 }, (_, i) => ({
      ...resources[i % resources.length],
      urn: `${resources[i % resources.length].urn}-${i}`,
    }));
    const builder = new StackRequestBuilder(64 * 1024);
    for (const r of many) builder.add(r);
    assert.equal(builder.spilled, true);
    const file = (builder as unknown as { spill: { file: string } }).spill.file;
    assert.ok(fs.existsSync(file));
    assert.equal(
      (builder as unknown as { pieces: Buffer[] }).pieces.length,
      0,
      "nothing held in memory once spilled",
    );
    assert.ok(builder.finish().equals(encodeAnalyzeStackRequest(many)));
    assert.equal(fs.existsSync(path.dirname(file)), false, "the temporary directory is gone");

    const abandoned = new StackRequestBuilder(1);
    for (const r of many.slice(0, 300)) abandoned.add(r);
    const other = (abandoned as unknown as { spill: { file: string } }).spill.file;
    abandoned.dispose();
    assert.equal(fs.existsSync(path.dirname(other)), false, "dispose() removes it too");
  });

  it("gets the same diagnostics from the pack as analyzeStack() on the objects", async () => {
    await pack.configure({});
    for (const name of ["dirty.json", "clean.json"]) {
      const resources = await resourcesOf(name);
      const builder = new StackRequestBuilder();
      for (const r of resources) builder.add(r);
      const viaBytes = await analyzeStackBytes(pack.port, builder.finish());
      const viaObjects = await pack.analyzeStack(resources);
      assert.deepEqual(viaBytes, viaObjects, name);
      if (name === "dirty.json")
        assert.ok(viaBytes.some((d) => d.policy === "postgres-private-connectivity"));
    }
  });

  it("reports a pack that is gone as an error", async () => {
    const gone = await startPack();
    const port = gone.port;
    await gone.close();
    await assert.rejects(analyzeStackBytes(port, Buffer.alloc(0)), /policy pack: /);
  });
});
