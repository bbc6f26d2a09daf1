// The engine's wire constants are defined once in cli/wire-values.ts; they must be the installed
// @pulumi/pulumi SDK's own.

import assert from "node:assert/strict";

import * as rpc from "@pulumi/pulumi/runtime/rpc";

import * as wire from "../../cli/wire-values";

describe("cli/wire-values: the engine's wire constants", function () {
  it("match the installed SDK's signatures and unknown sentinel", function () {
    assert.equal(wire.SIG_KEY, rpc.specialSigKey);
    assert.equal(wire.SECRET_SIG, rpc.specialSecretSig);
    assert.equal(wire.RESOURCE_SIG, rpc.specialResourceSig);
    assert.equal(wire.ASSET_SIG, rpc.specialAssetSig);
    assert.equal(wire.ARCHIVE_SIG, rpc.specialArchiveSig);
    assert.equal(wire.OUTPUT_VALUE_SIG, rpc.specialOutputValueSig);
    assert.equal(wire.UNKNOWN_SENTINEL, rpc.unknownValue);
    assert.equal(wire.UNKNOWN_SENTINELS.string, rpc.unknownValue);
  });

  it("maps every unknown sentinel back to its kind", function () {
    for (const [kind, sentinel] of Object.entries(wire.UNKNOWN_SENTINELS)) {
      assert.equal(wire.SENTINEL_KINDS.get(sentinel), kind);
    }
    assert.equal(wire.SENTINEL_KINDS.size, 7);
  });
});
