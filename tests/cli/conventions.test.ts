// Command-line conventions as a user meets them, through the built CLI (tests/helpers/cli-run.ts):
// unknown arguments, NO_COLOR/FORCE_COLOR, the per-rule summary of the text report, the JUnit and
// Markdown reports (escaped so an export cannot inject markup), and the words mandatory/advisory.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { colorEnabled } from "../../cli/color";
import { terminalWidth } from "../../cli/main";
import { fitToWidth, visibleWidth, wrapToWidth } from "../../cli/text";
import {
  COMPONENT_TYPE,
  DEFAULT_CONTEXT,
  insecureEstate,
  urnOf,
  withStack,
  writeExportFile,
} from "../helpers/export-builder";
import { cli, ROOT, type Run } from "../helpers/cli-run";
import { parseXml, type XmlElement } from "./xml-check";

/** The environment with every colour variable removed, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, ZT_POSTGRES_DEBUG: "" };
  for (const k of ["NO_COLOR", "FORCE_COLOR", "NODE_DISABLE_COLORS", "TERM"]) delete out[k];
  return { ...out, ...extra };
}

/** cli() with exactly this environment (cli-run merges over process.env, so unset keys explicitly). */
function run(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const e = env(extra);
  const unset: NodeJS.ProcessEnv = {};
  for (const k of ["NO_COLOR", "FORCE_COLOR", "NODE_DISABLE_COLORS", "TERM"])
    if (!(k in e)) unset[k] = undefined;
  return cli(args, { ...e, ...unset });
}

/** A resource name that tries Markdown, HTML, a terminal escape and a mention. */
const HOSTILE = "fw `x` <b>bold</b> [click](https://evil.example) \u001b[2J PASSED | @octocat";
const HOSTILE_SHOWN = "fw `x` <b>bold</b> [click](https://evil.example) \\x1b[2J PASSED | @octocat";
const FIREWALL = "azure-native:dbforpostgresql:FirewallRule";

let tmp: string;
let hostileExport: string;
let advisoryConfig: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-conventions-"));
  const ctx = DEFAULT_CONTEXT;
  const resources = withStack(ctx, insecureEstate(ctx, 0));
  const fw = resources.find((r) => r.type === FIREWALL)!;
  fw.urn = urnOf(ctx, FIREWALL, HOSTILE, [COMPONENT_TYPE]);
  hostileExport = path.join(tmp, "hostile.json");
  writeExportFile(hostileExport, resources);
  // Two rules made advisory, so the reports show both levels.
  advisoryConfig = path.join(tmp, "config.json");
  fs.writeFileSync(
    advisoryConfig,
    JSON.stringify({ "postgres-secure-transport": "advisory", "keyvault-purge-protection": "advisory" }),
  );
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("zt-postgres conventions (subprocess)", function () {
  this.timeout(120_000);

  before(() =>
    assert.ok(fs.existsSync(path.join(ROOT, "dist", "cli", "main.js")), "run `npm run build` first"),
  );

  it("refuses an unknown option or command with exit 2 and 'Unknown argument'", async () => {
    for (const args of [
      ["--nope"],
      ["nope"],
      ["audit", "--nope", "x.json"],
      ["audit", "x.json", "--nope"],
      ["audit", "--format=json", "--nope=3", "x.json"],
      ["preview", "--nope", "examples/private-endpoint"],
      ["rules", "--nope"],
    ]) {
      const r = await run(args);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        "zt-postgres: Unknown argument: nope (see zt-postgres --help)\n",
        args.join(" "),
      );
    }
    const short = await run(["audit", "-x", "x.json"]);
    assert.equal(short.stderr, "zt-postgres: Unknown argument: x (see zt-postgres --help)\n");
    // An option of a nested command is known there: the real problem is named, not the option.
    const db = await run(["db", "apply", "--plan", "p.json"]);
    assert.equal(db.status, 2);
    assert.match(db.stderr, /^zt-postgres: Not enough non-option arguments/);
    // Known options and commands still work.
    assert.equal((await run(["--help"])).status, 0);
    const noCommand = await run([]);
    assert.equal(noCommand.status, 2);
    assert.equal(
      noCommand.stderr,
      "zt-postgres: Give a command: preview, audit or rules. (see zt-postgres --help)\n",
    );
  });

  it("colours the text report by FORCE_COLOR and NO_COLOR, never on a pipe by default", async () => {
    // The whole table is checked on colorEnabled below; these prove every command path uses it.
    const cases: [Record<string, string>, boolean][] = [
      [{}, false],
      [{ FORCE_COLOR: "1", NO_COLOR: "1" }, true],
      [{ FORCE_COLOR: "0" }, false],
    ];
    const runs = await Promise.all(
      cases.map(([vars]) => run(["audit", "tests/fixtures/exports/dirty.json"], vars)),
    );
    cases.forEach(([vars, coloured], i) => {
      assert.equal(runs[i].status, 1, runs[i].stderr);
      assert.equal(runs[i].stdout.includes("\x1b["), coloured, JSON.stringify(vars));
    });
  });

  it("ends the text report with a per-rule summary, mandatory first, then by count", async () => {
    const r = await run(["audit", hostileExport, "--policy-pack-config", advisoryConfig]);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    const at = lines.indexOf("Violations by rule:");
    assert.ok(at > 0, r.stdout);
    assert.deepEqual(lines.slice(at), [
      "Violations by rule:",
      "  rule                               level      count",
      "  firewall-no-open-ranges            mandatory      1",
      "  postgres-diagnostic-settings       mandatory      1",
      "  postgres-entra-only-auth           mandatory      1",
      "  postgres-no-public-network-access  mandatory      1",
      "  postgres-private-connectivity      mandatory      1",
      "  keyvault-purge-protection          advisory       1",
      "  postgres-secure-transport          advisory       1",
      "",
      "FAILED: 5 mandatory and 2 advisory violations in 4 of 27 resources audited, 2 skipped (providers, the stack).",
    ]);
    assert.ok(r.stdout.includes(`${FIREWALL} "${HOSTILE_SHOWN}"`), "the name's escape is shown, not run");
  });

  it("says mandatory and advisory, never blocking, when a report goes to --output", async () => {
    const out = path.join(tmp, "report.md");
    const r = await run([
      "audit",
      hostileExport,
      "--policy-pack-config",
      advisoryConfig,
      "--format",
      "markdown",
      "-o",
      out,
    ]);
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      `zt-postgres audit: failed: 5 mandatory and 2 advisory violations in 27 resources; markdown report written to ${out}\n`,
    );
    assert.doesNotMatch(r.stderr + fs.readFileSync(out, "utf8"), /blocking/i);
  });

  describe("--format junit", () => {
    let root: XmlElement;
    let raw: string;
    before(async () => {
      const r = await run([
        "audit",
        hostileExport,
        "--policy-pack-config",
        advisoryConfig,
        "--format",
        "junit",
      ]);
      assert.equal(r.status, 1, r.stderr);
      raw = r.stdout;
      root = parseXml(raw);
    });

    it("is well-formed XML 1.0 with no control character", () => {
      assert.equal(root.name, "testsuites");
      assert.match(raw, /^<\?xml version="1.0" encoding="UTF-8"\?>\n/);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(raw, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    });

    it("has one suite per policy: mandatory findings fail, advisory ones are skipped with their message", () => {
      const suites = root.children;
      assert.ok(suites.every((s) => s.name === "testsuite"));
      assert.equal(root.attrs.failures, "5");
      assert.equal(root.attrs.skipped, "2");
      assert.equal(
        Number(root.attrs.tests),
        suites.reduce((n, s) => n + Number(s.attrs.tests), 0),
      );
      const byName = new Map(suites.map((s) => [s.attrs.name, s]));
      const fw = byName.get("firewall-no-open-ranges")!;
      assert.equal(fw.attrs.failures, "1");
      const [testcase] = fw.children;
      assert.equal(testcase.attrs.classname, "firewall-no-open-ranges");
      assert.equal(testcase.attrs.name, `${FIREWALL} "${HOSTILE_SHOWN}"`);
      const failure = testcase.children[0];
      assert.equal(failure.name, "failure");
      assert.equal(failure.attrs.type, "mandatory");
      assert.match(failure.text, /^urn:pulumi:prod::payments::.*FirewallRule::fw `x` <b>bold<\/b>/);
      assert.match(failure.text, /\nmandatory: PostgreSQL firewall rules must not open the server/);

      const transport = byName.get("postgres-secure-transport")!;
      assert.equal(transport.attrs.failures, "0");
      assert.equal(transport.attrs.skipped, "1");
      const [skipped, out] = transport.children[0].children;
      assert.equal(skipped.name, "skipped");
      assert.match(skipped.attrs.message, /^advisory: PostgreSQL servers must require TLS/);
      assert.equal(out.name, "system-out");
      assert.match(out.text, /\nadvisory: PostgreSQL servers must require TLS/);

      const clean = byName.get("postgres-cmk-encryption")!;
      assert.deepEqual(
        clean.children.map((c) => [c.attrs.name, c.children.length]),
        [["no violations", 0]],
      );
    });
  });

  it("--format markdown puts everything from the export in code spans, with a summary table", async () => {
    const r = await run([
      "audit",
      hostileExport,
      "--policy-pack-config",
      advisoryConfig,
      "--format",
      "markdown",
    ]);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], "## zt-postgres audit: FAILED");
    const table = lines.indexOf("| Rule | Level | Count |");
    assert.deepEqual(lines.slice(table, table + 5), [
      "| Rule | Level | Count |",
      "| --- | --- | ---: |",
      "| `firewall-no-open-ranges` | mandatory | 1 |",
      "| `postgres-diagnostic-settings` | mandatory | 1 |",
      "| `postgres-entra-only-auth` | mandatory | 1 |",
    ]);
    const fw = lines.find((l) => l.includes("firewall-no-open-ranges` on"))!;
    // The name has one backtick, so its fence is two; the terminal escape is shown as text.
    assert.ok(
      fw.startsWith(
        "- **mandatory** `firewall-no-open-ranges` on `azure-native:dbforpostgresql:FirewallRule` " +
          "``fw `x` <b>bold</b> [click](https://evil.example) \\x1b[2J PASSED | @octocat``: `PostgreSQL firewall rules",
      ),
      fw,
    );
    assert.ok(
      lines.includes(
        '- advisory `postgres-secure-transport` on `azure-native:dbforpostgresql:Configuration` `pg-0-require-secure-transport`: `PostgreSQL servers must require TLS for every connection: require_secure_transport is "off". Set require_secure_transport to "on".`',
      ),
      r.stdout,
    );
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe("zt-postgres preview: colour and width (subprocess)", function () {
  this.timeout(300_000);
  const SPOOF = "tests/fixtures/preview-spoof";

  it("colours + green as pulumi preview does, and fits every line to --width without cutting an escape", async () => {
    const r = await run(["preview", SPOOF, "--width", "60"], { FORCE_COLOR: "1" });
    assert.equal(r.status, 0, r.stderr);
    const GREEN = "\x1b[38;5;2m";
    const RESET = "\x1b[0m";
    assert.match(
      r.stdout,
      new RegExp(`^ ${escapeRe(GREEN)}\\+ ${escapeRe(RESET)} {2}pulumi:pulumi:Stack`, "m"),
    );
    assert.ok(r.stdout.includes(`${GREEN}+ 1 to create${RESET}`));
    const lines = r.stdout.trimEnd().split("\n");
    for (const line of lines) assert.ok(visibleWidth(line) <= 60, `${visibleWidth(line)}: ${line}`);
    // The only escape characters left are the colour codes we wrote; the program's are shown as text.
    assert.ok(!r.stdout.replaceAll(GREEN, "").replaceAll(RESET, "").includes("\x1b"), "no other escape");
    assert.ok(r.stdout.includes("rg\\x1b[2J"), r.stdout);
    // A cut never leaves part of an escape that escapeControl wrote.
    assert.doesNotMatch(r.stdout, /\\(x[0-9a-f]?|u[0-9a-f]{0,3})…/);
    assert.ok(
      lines.some((l) => l.endsWith("…")),
      "something was cut",
    );
  });

  it("prints whole lines to a pipe, and fits them to COLUMNS when set", async () => {
    const whole = await run(["preview", SPOOF]);
    assert.equal(whole.status, 0, whole.stderr);
    assert.ok(!whole.stdout.includes("\x1b"), "no colour on a pipe");
    assert.ok(
      whole.stdout.includes(
        "(Pulumi's program runner against a local engine stand-in: no cloud calls, no state)",
      ),
    );
    const narrow = await run(["preview", SPOOF], { COLUMNS: "70" });
    for (const line of narrow.stdout.trimEnd().split("\n")) assert.ok(visibleWidth(line) <= 70, line);
    const bad = await run(["preview", SPOOF, "--width", "5"]);
    assert.equal(bad.status, 2);
    assert.equal(
      bad.stderr,
      "zt-postgres: --width must be 0 (no limit) or a whole number of columns from 20, got 5\n",
    );
  });
});

describe("terminal width helpers", () => {
  it("chooses --width, then a terminal's columns, then COLUMNS, else no limit", () => {
    assert.equal(terminalWidth(90, { isTTY: true, columns: 120 }, {}), 90);
    assert.equal(terminalWidth(0, { isTTY: true, columns: 120 }, {}), undefined);
    assert.equal(terminalWidth(undefined, { isTTY: true, columns: 120 }, { COLUMNS: "80" }), 120);
    assert.equal(terminalWidth(undefined, { isTTY: false }, { COLUMNS: "80" }), 80);
    assert.equal(terminalWidth(undefined, { isTTY: false }, { COLUMNS: "wide" }), undefined);
    assert.equal(terminalWidth(undefined, { isTTY: false }, {}), undefined);
  });

  it("cuts at the width, keeps escapes and colour codes whole, and resets an open colour", () => {
    assert.equal(fitToWidth("abcdef", 4), "abc…");
    assert.equal(fitToWidth("ab\\x1bcd", 5), "ab…");
    assert.equal(fitToWidth("ab\\x1bcd", 7), "ab\\x1b…");
    assert.equal(fitToWidth("\x1b[38;5;2mgreen text\x1b[0m", 6), "\x1b[38;5;2mgreen…\x1b[0m");
    assert.equal(fitToWidth("short", 10), "short");
    assert.equal(visibleWidth("\x1b[38;5;2m+\x1b[0m ├─ é"), 6);
  });

  it("wraps a long message at spaces with the indent", () => {
    assert.deepEqual(wrapToWidth("  one two three four", 10, "  "), ["  one two", "  three", "  four"]);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("colorEnabled", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it("follows FORCE_COLOR, then a non-empty NO_COLOR, then TERM=dumb, then the terminal", () => {
    const cases: [{ isTTY: boolean }, NodeJS.ProcessEnv, boolean][] = [
      [tty, {}, true],
      [pipe, {}, false],
      [tty, { NO_COLOR: "1" }, false],
      [tty, { NO_COLOR: "" }, true],
      [tty, { TERM: "dumb" }, false],
      [pipe, { FORCE_COLOR: "1" }, true],
      [pipe, { FORCE_COLOR: "true" }, true],
      [pipe, { FORCE_COLOR: "3" }, true],
      [pipe, { FORCE_COLOR: "" }, true],
      [tty, { FORCE_COLOR: "0" }, false],
      [tty, { FORCE_COLOR: "false" }, false],
      [pipe, { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    ];
    for (const [stream, e, expected] of cases) {
      assert.equal(colorEnabled(stream, e), expected, `${JSON.stringify(stream)} ${JSON.stringify(e)}`);
    }
  });
});
