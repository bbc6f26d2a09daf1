// `zt-postgres audit` as users run it: the built CLI in a subprocess (`npm run build` first). Exit
// codes, one-line errors without stack traces, reports in every format, no secret in any output.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { DIRTY_MANDATORY, PLANTED_SECRETS, writeLargeExport } from "../helpers/export-builder";
import { multitoolFindings, schemaErrors } from "./sarif-validator";

const ROOT = path.join(__dirname, "..", "..");
const MAIN = path.join(ROOT, "dist", "cli", "main.js");
const FIXTURES = "tests/fixtures/exports";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  const run = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ZT_POSTGRES_DEBUG: "" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const STACK_FRAME = /^\s+at .+[(:]\d+/m;

/** Exit code 2, nothing on stdout, and exactly one line on stderr naming the problem. */
function assertBadInput(run: Run, fragment: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, "");
  assert.doesNotMatch(run.stderr, STACK_FRAME, "no stack trace");
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^zt-postgres: /);
  assert.match(lines[0], fragment);
}

let tmp: string;
before(() => {
  assert.ok(fs.existsSync(MAIN), "dist/cli/main.js is missing: run `npm run build` before the CLI tests");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-audit-cli-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("zt-postgres audit (subprocess)", function () {
  this.timeout(120_000);

  it("exits 0 on the clean estate, with a passing text report", () => {
    const run = cli("audit", `${FIXTURES}/clean.json`);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /^zt-postgres audit of tests\/fixtures\/exports\/clean\.json: stack prod of project payments/,
    );
    assert.match(run.stdout, /\nPASSED: no violations; 58 resources audited, 2 skipped/);
    assert.equal(run.stderr, "", "no progress for a small stack");
  });

  it("exits 1 on the dirty estate, listing each violation under its resource", () => {
    const run = cli("audit", `${FIXTURES}/dirty.json`);
    assert.equal(run.status, 1, run.stderr);
    for (const id of DIRTY_MANDATORY) assert.match(run.stdout, new RegExp(`MANDATORY {2}${id}`));
    assert.match(run.stdout, /\nazure-native:dbforpostgresql:Server "pg-0"\n/);
    assert.match(run.stdout, /\nFAILED: 7 mandatory violations in 4 of 27 resources audited/);
  });

  it("writes JSON with the summary and exact rule ids", () => {
    const run = cli("audit", `${FIXTURES}/dirty.json`, "--format", "json");
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.summary.passed, false);
    assert.equal(report.summary.mandatory, DIRTY_MANDATORY.length);
    assert.deepEqual(
      report.results
        .filter((r: { level: string }) => r.level === "mandatory")
        .map((r: { ruleId: string }) => r.ruleId)
        .sort(),
      [...DIRTY_MANDATORY],
    );
    for (const r of report.results)
      assert.deepEqual(Object.keys(r), ["ruleId", "level", "message", "urn", "type", "name"]);
  });

  it("writes SARIF to --output that both validators accept, with each rule's unset-value source, and says so on stderr", () => {
    const out = path.join(tmp, "zt.sarif");
    const run = cli("audit", `${FIXTURES}/dirty.json`, "--format", "sarif", "--output", out);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /^zt-postgres audit: failed: 7 mandatory and 0 advisory violations in 27 resources; sarif report written to /,
    );
    const log = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.deepEqual(schemaErrors(log), []);
    assert.deepEqual(multitoolFindings(out), []);
    const results = log.runs[0].results as {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
    assert.deepEqual(results.map((r) => r.ruleId).sort(), [...DIRTY_MANDATORY]);
    assert.ok(results.every((r) => r.level === "error"));
    // Each catalogue rule's descriptor says where its unset default comes from, in its property bag
    // (SARIF 2.1.0 §3.8) and in its help text, in the words of docs/rules.md; both validators above
    // accepted the file with them.
    const descriptor = (
      log.runs[0].tool.driver.rules as {
        id: string;
        help: { text: string };
        properties: { unsetMeans: string; unsetSource: { kind: string; label: string; ref: string }[] };
      }[]
    ).find((d) => d.id === "postgres-no-public-network-access");
    assert.ok(descriptor);
    const spec = {
      kind: "api-spec",
      label: "Source, API spec (azure-rest-api-specs)",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Network.publicNetworkAccess` (no default)",
    };
    assert.deepEqual(descriptor.properties.unsetSource[0], spec);
    assert.match(descriptor.properties.unsetMeans, /^An unset `network\.publicNetworkAccess` /);
    assert.ok(descriptor.help.text.includes(`\n  - ${spec.label}: ${spec.ref}\n`), descriptor.help.text);
    // Each result points at its resource's line in the export, relative to the working directory.
    const lines = fs.readFileSync(path.join(ROOT, FIXTURES, "dirty.json"), "utf8").split("\n");
    for (const r of results) {
      const loc = r.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, `${FIXTURES}/dirty.json`);
      assert.match(lines[loc.region.startLine - 1], /^\s*"urn": "urn:pulumi:prod::payments::/);
    }
  });

  it("never prints a secret from the export, in any format or on stderr", () => {
    for (const format of ["text", "json", "sarif"]) {
      const run = cli("audit", `${FIXTURES}/secrets.json`, "--format", format);
      assert.equal(run.status, 1, run.stderr);
      const everything = run.stdout + run.stderr;
      for (const planted of Object.values(PLANTED_SECRETS)) {
        assert.ok(!everything.includes(planted), `${format} output contains ${planted}`);
      }
      assert.ok(everything.includes("[secret]"), `${format}: the secret parameter is reported as "[secret]"`);
    }
    // The fixture really holds them: the test would catch a leak.
    const raw = fs.readFileSync(path.join(ROOT, FIXTURES, "secrets.json"), "utf8");
    for (const planted of Object.values(PLANTED_SECRETS)) assert.ok(raw.includes(planted));
  });

  it("applies --policy-pack-config", () => {
    const config = path.join(tmp, "policy-config.json");
    fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
    const run = cli("audit", `${FIXTURES}/dirty.json`, "--policy-pack-config", config, "--format", "json");
    assert.equal(run.status, 0, "advisory violations do not fail the audit");
    const report = JSON.parse(run.stdout);
    assert.equal(report.summary.mandatory, 0);
    assert.equal(report.summary.advisory, DIRTY_MANDATORY.length);
  });

  describe("bad input: exit 2, one line, no stack trace", () => {
    it("a missing file", () =>
      assertBadInput(cli("audit", `${FIXTURES}/missing.json`), /missing\.json: no such file/));
    it("garbage", () => assertBadInput(cli("audit", `${FIXTURES}/garbage.txt`), /garbage\.txt: is not JSON/));
    it("a truncated export", () =>
      assertBadInput(cli("audit", `${FIXTURES}/truncated.json.part`), /is truncated/));
    it("an unsupported version", () =>
      assertBadInput(
        cli("audit", `${FIXTURES}/wrong-version.json`),
        /deployment version 2; this audit reads versions 3 and 4/,
      ));
    it("JSON that is not a stack export", () =>
      assertBadInput(cli("audit", `${FIXTURES}/not-an-export.json`), /is not a Pulumi stack export/));
    it("an empty file", () => {
      const file = path.join(tmp, "empty.json");
      fs.writeFileSync(file, "");
      assertBadInput(cli("audit", file), /is empty/);
    });
    it("a missing --policy-pack-config file", () =>
      assertBadInput(
        cli("audit", `${FIXTURES}/clean.json`, "--policy-pack-config", "nope.json"),
        /--policy-pack-config nope\.json: no such file/,
      ));
    it("a --policy-pack-config naming an unknown policy", () => {
      const config = path.join(tmp, "unknown-policy.json");
      fs.writeFileSync(config, JSON.stringify({ "postgres-typo": "mandatory" }));
      assertBadInput(
        cli("audit", `${FIXTURES}/clean.json`, "--policy-pack-config", config),
        /unknown policy "postgres-typo"/,
      );
    });
    it("a --policy-pack-config that is not an object", () => {
      const config = path.join(tmp, "array.json");
      fs.writeFileSync(config, "[]");
      assertBadInput(
        cli("audit", `${FIXTURES}/clean.json`, "--policy-pack-config", config),
        /must be a JSON object/,
      );
    });
    it("an unknown format", () =>
      assertBadInput(cli("audit", `${FIXTURES}/clean.json`, "--format", "xml"), /Invalid values/));
    it("no file", () => assertBadInput(cli("audit"), /Not enough non-option arguments/));
    it("an --output that cannot be written", () =>
      assertBadInput(
        cli("audit", `${FIXTURES}/clean.json`, "--output", path.join(tmp, "no", "such", "dir", "r.txt")),
        /--output .*cannot be written/,
      ));
  });

  it("shows progress on stderr for a stack over 1,000 resources", async () => {
    const file = path.join(tmp, "big.json");
    await writeLargeExport(file, { resources: 1_102 });
    const run = cli("audit", file, "--format", "json");
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(
      run.stderr
        .trimEnd()
        .split("\n")
        .map((l) => l.replace(/, [\d,]+ analyzed$/, "")),
      ["audit: 1,001 resources read", "audit: 1,100 resources analyzed; running stack policies"],
    );
    assert.equal(JSON.parse(run.stdout).summary.resourcesAudited, 1_100);
  });
});
