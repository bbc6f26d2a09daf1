// `zt-postgres audit` inputs and outputs a shell user reaches for (built CLI, subprocess): exports from
// a pipe, a FIFO or /dev/stdin; values nested too deeply; an `inputs` that is one secret envelope;
// names that carry terminal control sequences; and a stdout that closes early.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const MAIN = path.join(ROOT, "dist", "cli", "main.js");
const DIRTY = path.join(ROOT, "tests", "fixtures", "exports", "dirty.json");
const CLEAN = path.join(ROOT, "tests", "fixtures", "exports", "clean.json");

/** Runs a shell command line with `zt` standing for the built CLI. */
function sh(script: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync("bash", ["-c", `zt() { "${process.execPath}" "${MAIN}" "$@"; }\n${script}`], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ZT_POSTGRES_DEBUG: "" },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function exportWith(resources: unknown[]): string {
  return JSON.stringify({
    version: 3,
    deployment: { manifest: { time: "2026-11-30T00:00:00Z" }, resources },
  });
}

describe("zt-postgres audit (subprocess): pipes, depth, envelopes, escaping, closed stdout", function () {
  this.timeout(300_000);
  let tmp: string;
  let direct: string;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-audit-input-"));
    const run = sh(`zt audit "${DIRTY}" --format json`);
    assert.equal(run.status, 1, run.stderr);
    direct = run.stdout;
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The JSON report without the file name, which names the input. */
  const findings = (json: string) => (JSON.parse(json) as { results: unknown[] }).results;

  for (const [how, script] of [
    ["a pipe into `audit -`", `cat "${DIRTY}" | zt audit - --format json`],
    ["a pipe into `audit /dev/stdin`", `cat "${DIRTY}" | zt audit /dev/stdin --format json`],
    ["process substitution `audit <(…)`", `zt audit <(cat "${DIRTY}") --format json`],
  ] as const) {
    it(`reads ${how}, with the same findings as the file`, function () {
      const run = sh(script);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(findings(run.stdout), findings(direct));
    });
  }

  it("reads a named FIFO without hanging", function () {
    const fifo = path.join(tmp, "export.fifo");
    const run = sh(`mkfifo "${fifo}"; (cat "${DIRTY}" > "${fifo}" &); zt audit "${fifo}" --format json`);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findings(run.stdout), findings(direct));
  });

  it("names the pipe, not a temporary file, in a refusal", function () {
    const run = sh(`printf '' | zt audit -`);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^zt-postgres: stdin: is empty/);
    assert.doesNotMatch(run.stderr, /zt-postgres-audit-/);
  });

  it("refuses values nested thousands of levels deep with one line and exit 2", function () {
    const file = path.join(tmp, "deep.json");
    const deep = "[".repeat(5000) + "]".repeat(5000);
    fs.writeFileSync(
      file,
      exportWith([]).replace(
        '"resources":[]',
        `"resources":[{"urn":"urn:pulumi:dev::p::azure-native:keyvault:Vault::v","type":"azure-native:keyvault:Vault","custom":true,"inputs":{"x":${deep}}}]`,
      ),
    );
    const run = sh(`zt audit "${file}"`);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    assert.match(run.stderr, /deployment\.resources\[0\] nests values more than 1000 levels deep/);
    assert.doesNotMatch(run.stderr, /Maximum call stack/);
  });

  it("reads a resource whose whole `inputs` is one secret envelope", function () {
    const file = path.join(tmp, "envelope.json");
    fs.writeFileSync(
      file,
      exportWith([
        {
          urn: "urn:pulumi:dev::p::azure-native:keyvault:Vault::v",
          type: "azure-native:keyvault:Vault",
          custom: true,
          inputs: {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            ciphertext: "AAAA",
          },
        },
      ]),
    );
    const run = sh(`zt audit "${file}" --format json`);
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const doc = JSON.parse(run.stdout) as { summary: { resourcesAudited: number } };
    assert.equal(doc.summary.resourcesAudited, 1);
    assert.ok(!run.stdout.includes("AAAA"), "the ciphertext is not repeated");
  });

  it("escapes control characters of names in the text report", function () {
    const file = path.join(tmp, "spoof.json");
    const name = "v\u001b[2J\u001b[H\rPASSED: no violations\u202e";
    fs.writeFileSync(
      file,
      exportWith([
        {
          urn: `urn:pulumi:dev::p::azure-native:keyvault:Vault::${name}`,
          type: "azure-native:keyvault:Vault",
          custom: true,
          inputs: { properties: { enablePurgeProtection: false } },
        },
      ]),
    );
    const run = sh(`zt audit "${file}"`);
    assert.equal(run.status, 1, run.stderr);
    const raw = [...run.stdout].filter((c) => {
      const n = c.charCodeAt(0);
      return (n < 0x20 && c !== "\n") || (n >= 0x7f && n <= 0x9f) || c === "\u202e";
    });
    assert.deepEqual(raw, [], "no raw control character");
    assert.match(run.stdout, /"v\\x1b\[2J\\x1b\[H\\x0dPASSED: no violations\\u202e"/);
    assert.match(run.stdout, /^FAILED: /m);
  });

  it("ends quietly with exit 4 when stdout closes early (`| head -1`)", function () {
    // PIPESTATUS[0] is the audit's own exit status.
    const run = sh(
      `zt audit "${CLEAN}" --format json | head -c 1 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`,
    );
    const m = /status=(\d+)/.exec(run.stderr);
    assert.ok(m, run.stderr);
    // A JSON report smaller than the pipe buffer may be written before head exits: then 0 is right.
    assert.ok(m[1] === "4" || m[1] === "0", run.stderr);
    assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
    assert.doesNotMatch(run.stderr, /EPIPE/);
  });

  it("exits 4 without a stack trace when the report does not fit through a closed pipe", function () {
    const big = path.join(tmp, "big.json");
    const resources = Array.from({ length: 3000 }, (_, i) => ({
      urn: `urn:pulumi:dev::p::azure-native:keyvault:Vault::vault-${i}`,
      type: "azure-native:keyvault:Vault",
      custom: true,
      inputs: { properties: { enablePurgeProtection: false } },
    }));
    fs.writeFileSync(big, exportWith(resources));
    const run = sh(`zt audit "${big}" | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`);
    assert.match(run.stderr, /status=4/, run.stderr);
    assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
  });
});
