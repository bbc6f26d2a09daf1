// The `zt-postgres` program itself: --help, --version, `rules`, and usage errors (built CLI, subprocess).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { EXIT_CODE_TABLE } from "../../cli/main";
import { RULES } from "../../policies/rules";

const ROOT = path.join(__dirname, "..", "..");
const MAIN = path.join(ROOT, "dist", "cli", "main.js");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("zt-postgres (subprocess)", function () {
  this.timeout(60_000);

  before(() => assert.ok(fs.existsSync(MAIN), "dist/cli/main.js is missing: run `npm run build` first"));

  it("is an executable node script", () => {
    assert.match(fs.readFileSync(path.join(ROOT, "cli", "main.ts"), "utf8"), /^#!\/usr\/bin\/env node\n/);
    assert.match(fs.readFileSync(MAIN, "utf8"), /^#!\/usr\/bin\/env node\n/);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.bin["zt-postgres"], "dist/cli/main.js");
  });

  it("--version prints the package version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    for (const flag of ["--version", "-v"]) {
      const run = cli(flag);
      assert.equal(run.status, 0);
      assert.equal(run.stdout.trim(), pkg.version);
    }
  });

  it("--help lists the three commands and the exit codes", () => {
    const run = cli("--help");
    assert.equal(run.status, 0);
    for (const command of ["preview <dir>", "audit <file>", "rules"])
      assert.ok(run.stdout.includes(`zt-postgres ${command}`), command);
    assert.ok(run.stdout.includes(EXIT_CODE_TABLE), "the exit-code table");
    for (const line of [
      "  0  clean: no mandatory violation",
      "  1  at least one mandatory (or remediate-level) violation",
      "  2  bad input: usage, refused component arguments, a broken program or Pulumi.yaml, a program",
      "  3  internal failure: the policy pack or the CLI itself failed",
      "  4  stdout was closed or full (e.g. `| head -1`, a full disk): the output is incomplete",
    ])
      assert.ok(run.stdout.includes(line), line);
  });

  it("audit --help lists its options", () => {
    const run = cli("audit", "--help");
    assert.equal(run.status, 0);
    for (const option of ["--format", "--policy-pack-config", "--output"])
      assert.ok(run.stdout.includes(option), option);
    assert.match(run.stdout, /"text", "json", "sarif"/);
  });

  it("rules lists every catalogue id with its level", () => {
    const run = cli("rules");
    assert.equal(run.status, 0, run.stderr);
    for (const rule of RULES) {
      assert.match(
        run.stdout,
        new RegExp(`^${rule.id} +${rule.enforcementLevel} +${rule.kind} +`, "m"),
        rule.id,
      );
    }
    assert.match(run.stdout, new RegExp(`\\n${RULES.length} rules \\(`));
  });

  it("rules --format json gives every rule with its remediation, references and help URI", () => {
    const run = cli("rules", "--format", "json");
    assert.equal(run.status, 0, run.stderr);
    const listed = JSON.parse(run.stdout) as {
      id: string;
      remediation: string;
      helpUri: string;
      references: { seed: string };
    }[];
    assert.deepEqual(
      listed.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    for (const r of listed) {
      assert.ok(r.remediation.length > 0 && r.references.seed.length > 0, r.id);
      assert.match(r.helpUri, new RegExp(`/docs/rules\\.md#${r.id}$`));
    }
  });

  describe("what an unset input means, and where that default comes from", () => {
    const NO_PUBLIC = "postgres-no-public-network-access";
    const SPEC_REF =
      "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Network.publicNetworkAccess` (no default)";
    const rulesDoc = (): string => fs.readFileSync(path.join(ROOT, "docs", "rules.md"), "utf8");

    it("rules <id> shows the rule whole, with each unset-value source in the words of docs/rules.md", () => {
      const run = cli("rules", NO_PUBLIC);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, "");
      const rule = RULES.find((r) => r.id === NO_PUBLIC);
      assert.ok(rule);
      const lines = run.stdout.split("\n");
      assert.equal(lines[0], NO_PUBLIC);
      const at = lines.indexOf(`- Unset means: ${rule.unsetMeans}`);
      assert.ok(at > 0, run.stdout);
      const sources = [
        `  - Source, API spec (azure-rest-api-specs): ${SPEC_REF}`,
        "  - Source, Microsoft Learn: https://learn.microsoft.com/azure/postgresql/network/concepts-networking-public (a server created without a delegated subnet is reachable through its public endpoint)",
        "  - Source, provider (azure-native SDK or azurerm docs): https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`public_network_access_enabled` defaults to true)",
      ];
      assert.deepEqual(lines.slice(at + 1, at + 4), sources);
      assert.match(lines[at + 4], /^- Remediation: /);
      // The same lines, in the same order, as the rule's section of the generated reference.
      assert.ok(rulesDoc().includes([`- Unset means: ${rule.unsetMeans}`, ...sources].join("\n")));
    });

    it("rules <id> <id> shows each named rule once, in the order given", () => {
      const run = cli("rules", "entra-pim-admin-approval", NO_PUBLIC, "entra-pim-admin-approval");
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(
        run.stdout.split("\n").filter((l) => /^[a-z][a-z0-9-]+$/.test(l)),
        ["entra-pim-admin-approval", NO_PUBLIC],
      );
    });

    it("rules --format json gives every rule's unsetSource with its kind, label and reference", () => {
      const run = cli("rules", "--format", "json");
      assert.equal(run.status, 0, run.stderr);
      const listed = JSON.parse(run.stdout) as {
        id: string;
        unsetMeans: string;
        unsetSource: { kind: string; label: string; ref: string }[];
      }[];
      const noPublic = listed.find((r) => r.id === NO_PUBLIC);
      assert.ok(noPublic);
      assert.deepEqual(noPublic.unsetSource[0], {
        kind: "api-spec",
        label: "Source, API spec (azure-rest-api-specs)",
        ref: SPEC_REF,
      });
      for (const r of listed) {
        const rule = RULES.find((x) => x.id === r.id);
        assert.ok(rule, r.id);
        assert.equal(r.unsetMeans, rule.unsetMeans);
        assert.deepEqual(
          r.unsetSource.map((s) => [s.kind, s.ref]),
          rule.unsetSource.map((s) => [s.kind, s.ref]),
          r.id,
        );
        // Every label is the one the reference prints before that source.
        for (const s of r.unsetSource)
          assert.ok(rulesDoc().includes(`  - ${s.label}: ${s.ref}`), `${r.id}: ${s.ref}`);
      }
    });

    it("rules <id> --format json gives only the named rule", () => {
      const run = cli("rules", NO_PUBLIC, "--format", "json");
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(
        (JSON.parse(run.stdout) as { id: string }[]).map((r) => r.id),
        [NO_PUBLIC],
      );
    });

    it("refuses a rule id the catalogue lacks with exit 2 and one line naming it", () => {
      const run = cli("rules", NO_PUBLIC, "postgres-no-such-rule");
      assert.equal(run.status, 2);
      assert.equal(run.stdout, "");
      assert.equal(
        run.stderr,
        `zt-postgres: rules: no rule "postgres-no-such-rule" in the catalogue; \`zt-postgres rules\` lists the ${RULES.length} rule ids\n`,
      );
    });
  });

  it("refuses an unknown command or option with exit 2 and one line", () => {
    for (const args of [
      ["bogus"],
      ["rules", "--format", "yaml"],
      ["audit", "x.json", "--no-such-flag"],
      [],
    ]) {
      const run = cli(...args);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
      assert.match(run.stderr, /^zt-postgres: .*\(see zt-postgres --help\)\n$/);
    }
  });

  it("refuses a preview of a directory that does not exist with exit 2", () => {
    const run = cli("preview", "examples/no-such-example");
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^zt-postgres: examples\/no-such-example: not a directory/);
  });
});
