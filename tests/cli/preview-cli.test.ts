// `zt-postgres preview` as a user runs it (built CLI, subprocess): what a refusal, a broken manifest,
// a type error, a program that never finishes and hostile names look like, and the exit code of each.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { cli, ROOT } from "../helpers/cli-run";

/** A temporary project directory with this Pulumi.yaml (and an index.ts that is never reached). */
function project(manifest: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-manifest-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), manifest);
  fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
  return dir;
}

describe("zt-postgres preview (subprocess): refusals and exit codes", function () {
  this.timeout(600_000);

  it("shows every line of a component's refusal, without a stack trace, and exits 2", async function () {
    const run = await cli(["preview", "tests/fixtures/preview-refused"]);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, "");
    const err = run.stderr;
    assert.match(err, /zt-postgres: tests\/fixtures\/preview-refused: the program failed:\n/);
    assert.match(err, /ZeroTrustPostgres "db" refused its arguments \(nothing was created\):\n/);
    assert.match(
      err,
      /- \[postgres-allowed-versions\] `version` "11" is not supported; use one of 16, 17\.\n/,
    );
    assert.match(err, /- \[firewall-no-open-ranges\] `firewallRules\[0\]` "0\.0\.0\.0\/0" opens the server/);
    assert.match(
      err,
      /- \[postgres-backup-retention\] `backup\.retentionDays` 3 is below the minimum of 7\./,
    );
    assert.doesNotMatch(err, /^\s+at /m, "no stack frame");
    assert.ok(!err.includes("\u001b"), "no colour codes");
  });

  it("keeps a TypeScript error's file and line, and exits 2", async function () {
    // Outside the repository (whose typecheck would refuse the file), with the repository's node_modules.
    const dir = project("name: ts-error\nruntime: nodejs\nmain: index.ts\n");
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      [
        "// A type error on line 5.",
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        "export const port = pulumi.output(5432);",
        'const wrong: number = "not a number";',
        "export const value = wrong;",
        "",
      ].join("\n"),
    );
    try {
      const run = await cli(["preview", dir], { PULUMI_NODEJS_TRANSPILE_ONLY: "false" });
      assert.equal(run.status, 2, run.stderr);
      assert.match(
        run.stderr,
        /index\.ts\(5,7\): error TS2322: Type 'string' is not assignable to type 'number'\./,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops a program that never finishes after --timeout, says what was pending, and exits 2", async function () {
    const started = Date.now();
    const run = await cli(["preview", "tests/fixtures/preview-hang", "--timeout", "45"]);
    assert.equal(run.status, 2, run.stderr);
    assert.ok(Date.now() - started < 120_000, "stopped, not left running");
    assert.match(run.stderr, /the program did not finish within 45 s \(--timeout\) and was stopped/);
    assert.match(run.stderr, /the stack's outputs were never registered/);
    assert.match(
      run.stderr,
      /2 resources registered so far; the last: .*azure-native:resources:ResourceGroup "before-the-hang"/,
    );
  });

  it("refuses a bad --timeout and a bad --stack before running anything", async function () {
    const t = await cli(["preview", "examples/insecure", "--timeout", "0"]);
    assert.equal(t.status, 2);
    assert.match(t.stderr, /--timeout must be a positive number of seconds, got 0/);
    const s = await cli(["preview", "examples/insecure", "--stack", "dev/../x"]);
    assert.equal(s.status, 2);
    assert.match(s.stderr, /--stack "dev\/\.\.\/x": a stack name may contain only letters/);
  });

  describe("broken Pulumi.yaml (refused before the program runs, exit 2)", function () {
    const cases: [string, string, RegExp][] = [
      ["not YAML", "name: [x\nruntime: nodejs\n", /Pulumi\.yaml: is not valid YAML at line 2, column 1/],
      ["a list", "- name\n", /Pulumi\.yaml: must be a YAML mapping of project settings, got a list/],
      ["no name", "runtime: nodejs\n", /`name` is required and must be a string/],
      ["a bad name", "name: has space\nruntime: nodejs\n", /`name` "has space" may contain only letters/],
      ["no runtime", "name: x\n", /`runtime` is required/],
      [
        "main outside",
        "name: x\nruntime: nodejs\nmain: ../elsewhere.ts\n",
        /`main` "\.\.\/elsewhere\.ts" must be inside the project directory/,
      ],
      ["main missing", "name: x\nruntime: nodejs\nmain: nope.ts\n", /`main` "nope\.ts" does not exist/],
      [
        "config a list",
        "name: x\nruntime: nodejs\nconfig: [1]\n",
        /`config` must be a mapping of config keys/,
      ],
    ];
    for (const [what, manifest, message] of cases) {
      it(`refuses ${what}`, async function () {
        const dir = project(manifest);
        try {
          const run = await cli(["preview", dir]);
          assert.equal(run.status, 2, run.stderr);
          assert.equal(run.stdout, "");
          assert.match(run.stderr, message);
          assert.doesNotMatch(run.stderr, /^\s+at /m);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it("refuses a broken Pulumi.<stack>.yaml", async function () {
      const dir = project("name: x\nruntime: nodejs\nmain: index.ts\n");
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  x:a: [unclosed\n");
      try {
        const run = await cli(["preview", dir]);
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /Pulumi\.dev\.yaml: is not valid YAML at line \d+/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it("escapes control characters in the tree, the outputs and the JSON stays exact", async function () {
    const text = await cli(["preview", "tests/fixtures/preview-spoof"]);
    assert.ok(text.status === 0 || text.status === 1, text.stderr);
    const raw = [...text.stdout].filter((c) => {
      const n = c.charCodeAt(0);
      return (n < 0x20 && c !== "\n") || (n >= 0x7f && n <= 0x9f) || c === "\u202e";
    });
    assert.deepEqual(raw, [], "no raw control character");
    assert.match(text.stdout, /rg\\x1b\[2J\\x1b\[H\\x0d0 mandatory, 0 advisory\\u202e/);
    assert.match(text.stdout, /note +all good\\x1b\[2J/);
    const json = await cli(["preview", "tests/fixtures/preview-spoof", "--json"]);
    const doc = JSON.parse(json.stdout) as { outputs: { note: string } };
    assert.equal(doc.outputs.note, "all good\u001b[2J\u001b[H\r0 mandatory, 0 advisory\u202e");
  });
});
