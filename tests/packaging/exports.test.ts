// The package's `exports` map as a consumer resolves it: the root, the light `./policies` subpath and
// the deep imports that existed before the map (`dist/...` with or without `.js`, `package.json`).
// One child process from a folder where the package is `node_modules/zero-trust-azure-postgres` (a
// link to this repository), so Node applies the map exactly as it does for an installed copy.

import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { REPO } from "../helpers/pack";

describe("the package's exports map, resolved from a consumer folder", function () {
  this.timeout(120_000);
  let tmp: string;
  let resolved: Record<string, { file?: string; keys?: string[]; azureNative?: number; error?: string }>;

  before(function () {
    assert.ok(fs.existsSync(path.join(REPO, "dist", "index.js")), "run `npm run build` first");
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-exports-"));
    fs.mkdirSync(path.join(tmp, "node_modules"));
    fs.symlinkSync(REPO, path.join(tmp, "node_modules", "zero-trust-azure-postgres"), "dir");
    const specifiers = [
      "zero-trust-azure-postgres/policies",
      "zero-trust-azure-postgres",
      "zero-trust-azure-postgres/dist/policies/pack",
      "zero-trust-azure-postgres/dist/policies/rules/index.js",
      "zero-trust-azure-postgres/package.json",
      "zero-trust-azure-postgres/components/postgres/args.ts",
    ];
    const script = `
      const out = {};
      for (const s of ${JSON.stringify(specifiers)}) {
        try {
          const file = require.resolve(s);
          const before = Object.keys(require.cache).filter((k) => k.includes("@pulumi/azure-native")).length;
          const m = s.endsWith(".ts") ? {} : require(s);
          const azureNative = Object.keys(require.cache).filter((k) => k.includes("@pulumi/azure-native")).length - before;
          out[s] = { file, keys: Object.keys(m).sort(), azureNative };
        } catch (e) {
          out[s] = { error: e.code || String(e) };
        }
      }
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: tmp, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    resolved = JSON.parse(r.stdout) as typeof resolved;
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("serves the policies from ./policies without loading @pulumi/azure-native", function () {
    const p = resolved["zero-trust-azure-postgres/policies"];
    assert.equal(p.file, path.join(REPO, "dist", "policies", "api.js"));
    for (const k of ["ZeroTrustPostgresPolicies", "zeroTrustPostgresPolicies", "RULES", "RULE_IDS"]) {
      assert.ok(p.keys?.includes(k), `./policies exports ${k}`);
    }
    assert.equal(p.azureNative, 0);
  });

  it("serves the component and the policies from the root", function () {
    const p = resolved["zero-trust-azure-postgres"];
    assert.equal(p.file, path.join(REPO, "dist", "index.js"));
    for (const k of ["ZeroTrustPostgres", "ZeroTrustPostgresPolicies", "zeroTrustPostgresPolicies"]) {
      assert.ok(p.keys?.includes(k), `the root exports ${k}`);
    }
  });

  it("keeps the deep imports: dist/… with or without .js, and package.json", function () {
    assert.equal(
      resolved["zero-trust-azure-postgres/dist/policies/pack"].file,
      path.join(REPO, "dist", "policies", "pack.js"),
    );
    assert.ok(resolved["zero-trust-azure-postgres/dist/policies/pack"].keys?.includes("toPolicies"));
    assert.equal(
      resolved["zero-trust-azure-postgres/dist/policies/rules/index.js"].file,
      path.join(REPO, "dist", "policies", "rules", "index.js"),
    );
    assert.equal(resolved["zero-trust-azure-postgres/package.json"].file, path.join(REPO, "package.json"));
  });

  it("does not export what is not in the map", function () {
    assert.deepEqual(resolved["zero-trust-azure-postgres/components/postgres/args.ts"], {
      error: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    });
  });
});
