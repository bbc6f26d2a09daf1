// The three report formats, from a hand-built audit result (no pack needed): text grouping and
// summary, the JSON shape, and SARIF checked by both the 2.1.0 schema and the SARIF multitool.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { Log, ReportingDescriptor } from "sarif";

import type { AuditResult, Finding } from "../../cli/audit/audit";
import { formatJson, jsonReport } from "../../cli/audit/report-json";
import {
  artifactUri,
  formatSarif,
  locateUrns,
  pascalName,
  ruleHelp,
  sarifLog,
} from "../../cli/audit/report-sarif";
import { formatText } from "../../cli/audit/report-text";
import { REPOSITORY_URL, ruleHelpUri, toolVersion } from "../../cli/audit/tool";
import { RULES } from "../../policies/rules";
import { multitoolFindings, schemaErrors } from "./sarif-validator";

const FIXTURES = path.join(__dirname, "..", "fixtures", "exports");
const SERVER =
  "urn:pulumi:prod::payments::zero-trust-azure-postgres:index:ZeroTrustPostgres$azure-native:dbforpostgresql:Server::pg-0";
const VAULT =
  "urn:pulumi:prod::payments::zero-trust-azure-postgres:index:ZeroTrustPostgres$azure-native:keyvault:Vault::kv-pg-0";

function result(findings: Finding[], overrides: Partial<AuditResult> = {}): AuditResult {
  const counts = { mandatory: 0, remediate: 0, advisory: 0 };
  for (const f of findings) counts[f.level]++;
  return {
    file: path.join("tests", "fixtures", "exports", "dirty.json"),
    export: {
      version: 3,
      features: [],
      engineVersion: "v3.207.0",
      stack: "prod",
      project: "payments",
      resources: 27,
      skipped: { providers: 1, stack: 1, pendingDelete: 0 },
    },
    pack: {
      name: "zero-trust-azure-postgres",
      version: "0.1.0",
      policies: RULES.map((r) => ({
        name: r.id,
        description: r.description,
        enforcementLevel: r.enforcementLevel,
      })),
    },
    findings,
    counts,
    resourcesWithFindings: new Set(findings.map((f) => f.urn)).size,
    passed: counts.mandatory === 0 && counts.remediate === 0,
    analyzeCalls: 12,
    ...overrides,
  };
}

const FINDINGS: Finding[] = [
  {
    ruleId: "postgres-no-public-network-access",
    level: "mandatory",
    message:
      'PostgreSQL flexible servers must disable public network access: network.publicNetworkAccess is "Enabled".',
    urn: SERVER,
    type: "azure-native:dbforpostgresql:Server",
    name: "pg-0",
    source: "resource",
  },
  {
    ruleId: "postgres-ha-zone-redundant",
    level: "advisory",
    message:
      "PostgreSQL flexible servers should run zone-redundant high availability: highAvailability.mode is unset.",
    urn: SERVER,
    type: "azure-native:dbforpostgresql:Server",
    name: "pg-0",
    source: "resource",
  },
  {
    ruleId: "keyvault-purge-protection",
    level: "mandatory",
    message: "Key vaults must have purge protection on: properties.enablePurgeProtection is false.",
    urn: VAULT,
    type: "azure-native:keyvault:Vault",
    name: "kv-pg-0",
    source: "resource",
  },
  {
    ruleId: "postgres-private-connectivity",
    level: "mandatory",
    message: "PostgreSQL servers must be reachable only privately: the stack has no private endpoint.",
    source: "stack",
  },
];

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-reports-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("audit reports", () => {
  describe("text", () => {
    it("groups findings under their resource, marks levels and ends with a summary line", () => {
      const text = formatText(result(FINDINGS));
      const lines = text.trimEnd().split("\n");
      assert.match(
        lines[0],
        /^zt-postgres audit of tests\/fixtures\/exports\/dirty\.json: stack prod of project payments/,
      );
      const server = lines.indexOf('azure-native:dbforpostgresql:Server "pg-0"');
      const vault = lines.indexOf('azure-native:keyvault:Vault "kv-pg-0"');
      const stack = lines.indexOf("Stack-wide");
      assert.ok(server > 0 && vault > server && stack > vault, text);
      assert.equal(lines[server + 1].trim(), SERVER);
      assert.match(lines[server + 2], /^ {2}MANDATORY {2}postgres-no-public-network-access$/);
      assert.match(lines[server + 4], /^ {2}advisory {3}postgres-ha-zone-redundant$/);
      assert.equal(
        lines[lines.length - 1],
        "FAILED: 3 mandatory and 1 advisory violations in 3 of 27 resources audited, 2 skipped (providers, the stack).",
      );
      assert.ok(!text.includes("\x1b["), "no colour unless asked");
    });

    it("passes a clean stack, and an advisory-only one, in the summary line", () => {
      assert.match(formatText(result([])), /\nPASSED: no violations; 27 resources audited/);
      assert.match(
        formatText(result([FINDINGS[1]])),
        /\nPASSED \(advisory only\): 1 advisory violation in 1 of 27/,
      );
    });

    it("colours levels only when asked", () => {
      assert.ok(formatText(result(FINDINGS), { color: true }).includes("\x1b[31;1mMANDATORY\x1b[0m"));
    });
  });

  describe("json", () => {
    it("has a summary and one result per finding with ruleId, level, message, urn, type and name", () => {
      const report = JSON.parse(formatJson(result(FINDINGS)));
      assert.deepEqual(report, jsonReport(result(FINDINGS)));
      assert.deepEqual(report.summary, {
        passed: false,
        resourcesAudited: 27,
        resourcesSkipped: { providers: 1, stack: 1, pendingDelete: 0 },
        resourcesWithViolations: 3,
        violations: 4,
        mandatory: 3,
        remediate: 0,
        advisory: 1,
      });
      assert.deepEqual(report.results[0], {
        ruleId: "postgres-no-public-network-access",
        level: "mandatory",
        message: FINDINGS[0].message,
        urn: SERVER,
        type: "azure-native:dbforpostgresql:Server",
        name: "pg-0",
      });
      assert.deepEqual(report.results[3], {
        ruleId: "postgres-private-connectivity",
        level: "mandatory",
        message: FINDINGS[3].message,
        urn: null,
        type: null,
        name: null,
      });
      assert.deepEqual(report.tool, { name: "zt-postgres", version: toolVersion() });
      assert.equal(report.export.stack, "prod");
    });
  });

  describe("sarif", () => {
    const log = (): Log =>
      sarifLog(result(FINDINGS), {
        catalogue: RULES,
        lines: new Map([[SERVER, 120]]),
        baseDir: process.cwd(),
      });

    it("describes the tool and every catalogue rule, with help text, references and a help URI", () => {
      const driver = log().runs[0].tool.driver;
      assert.equal(driver.name, "zt-postgres");
      assert.equal(driver.version, toolVersion());
      assert.equal(driver.informationUri, REPOSITORY_URL);
      assert.deepEqual(
        driver.rules?.map((r) => r.id),
        RULES.map((r) => r.id),
      );
      for (const catalogued of RULES) {
        const rule: ReportingDescriptor | undefined = driver.rules?.find((r) => r.id === catalogued.id);
        assert.ok(rule, catalogued.id);
        assert.equal(rule.name, pascalName(catalogued.id));
        assert.equal(rule.shortDescription?.text, catalogued.title);
        assert.equal(rule.fullDescription?.text, catalogued.description);
        assert.equal(rule.helpUri, ruleHelpUri(catalogued.id));
        assert.ok(
          rule.help?.text.includes(catalogued.remediation),
          `${catalogued.id} help has the remediation`,
        );
        assert.ok(
          rule.help?.text.includes(catalogued.references.seed),
          `${catalogued.id} help cites its seed`,
        );
        if (catalogued.references.azurePolicyId)
          assert.ok(rule.help?.markdown?.includes(catalogued.references.azurePolicyId));
        assert.equal(
          rule.defaultConfiguration?.level,
          catalogued.enforcementLevel === "mandatory" ? "error" : "warning",
        );
      }
      assert.equal(
        ruleHelpUri("postgres-cmk-encryption"),
        `${REPOSITORY_URL}/blob/main/docs/rules.md#postgres-cmk-encryption`,
      );
    });

    it("links each rule to a heading that exists in docs/rules.md", () => {
      const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "rules.md"), "utf8");
      const headings = new Set(doc.split("\n").flatMap((l) => (/^#{2,3} (\S+)\s*$/.exec(l) ?? []).slice(1)));
      for (const rule of RULES)
        assert.ok(headings.has(rule.id), `docs/rules.md has no heading for ${rule.id}`);
    });

    it("reports mandatory as error and advisory as warning, with the URN as the logical location", () => {
      const results = log().runs[0].results ?? [];
      assert.deepEqual(
        results.map((r) => [r.ruleId, r.level]),
        [
          ["postgres-no-public-network-access", "error"],
          ["postgres-ha-zone-redundant", "warning"],
          ["keyvault-purge-protection", "error"],
          ["postgres-private-connectivity", "error"],
        ],
      );
      const first = results[0];
      assert.equal(first.message.text, FINDINGS[0].message);
      assert.deepEqual(first.locations?.[0].logicalLocations, [
        { fullyQualifiedName: SERVER, name: "pg-0", kind: "resource" },
      ]);
      // GitHub refuses results without a physical location: the export file, at the resource's line.
      assert.equal(
        first.locations?.[0].physicalLocation?.artifactLocation?.uri,
        "tests/fixtures/exports/dirty.json",
      );
      assert.equal(first.locations?.[0].physicalLocation?.region?.startLine, 120);
      assert.equal(
        results[2].locations?.[0].physicalLocation?.region?.startLine,
        1,
        "unlocated URNs point at line 1",
      );
      assert.equal(results[3].locations?.[0].logicalLocations?.[0].fullyQualifiedName, "payments/prod");
      const rules = log().runs[0].tool.driver.rules ?? [];
      for (const r of results) assert.equal(rules[r.ruleIndex ?? -1]?.id, r.ruleId, "ruleIndex resolves");
      const prints = results.map((r) => Object.values(r.partialFingerprints ?? {})[0]);
      assert.equal(new Set(prints).size, prints.length, "fingerprints are distinct");
      assert.deepEqual(
        sarifLog(result(FINDINGS), { catalogue: RULES }).runs[0].results?.map((r) => r.partialFingerprints),
        results.map((r) => r.partialFingerprints),
        "fingerprints do not depend on line numbers",
      );
    });

    it("adds a descriptor for a policy the catalogue lacks", () => {
      const extra: Finding = {
        ruleId: "org-custom-policy",
        level: "advisory",
        message: "custom",
        urn: SERVER,
        name: "pg-0",
        source: "resource",
      };
      const run = sarifLog(result([extra]), { catalogue: RULES }).runs[0];
      const rule = run.tool.driver.rules?.find((r) => r.id === "org-custom-policy");
      assert.ok(rule);
      assert.equal(run.tool.driver.rules?.[run.results?.[0].ruleIndex ?? -1]?.id, "org-custom-policy");
    });

    it("is valid against the SARIF 2.1.0 schema, with findings and without", () => {
      assert.deepEqual(schemaErrors(log()), []);
      assert.deepEqual(schemaErrors(sarifLog(result([]), { catalogue: RULES })), []);
      // The validator can fail: a wrong level is caught.
      const broken = log();
      (broken.runs[0].results as unknown as { level: string }[])[0].level = "critical";
      assert.ok(schemaErrors(broken).length > 0);
    });

    it("passes the SARIF multitool with no error and no warning", () => {
      const file = path.join(tmp, "report.sarif");
      fs.writeFileSync(file, formatSarif(result(FINDINGS), { catalogue: RULES }));
      assert.deepEqual(multitoolFindings(file), []);
      const bad = path.join(tmp, "bad.sarif");
      fs.writeFileSync(
        bad,
        JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] }),
      );
      assert.ok(
        multitoolFindings(bad).some((f) => f.level === "error"),
        "the multitool can fail",
      );
    });

    it("names the export relative to the working directory, or as a file URI outside it", () => {
      assert.equal(artifactUri("/repo/stack exports/prod.json", "/repo"), "stack%20exports/prod.json");
      assert.equal(artifactUri("stack.json"), "stack.json");
      assert.equal(artifactUri("/elsewhere/prod.json", "/repo"), "file:///elsewhere/prod.json");
    });

    it("finds the line of each resource's URN in a pretty-printed export", async () => {
      const file = path.join(FIXTURES, "dirty.json");
      const lines = fs.readFileSync(file, "utf8").split("\n");
      const want = lines.findIndex((l) => l.includes(`"urn": ${JSON.stringify(SERVER)}`)) + 1;
      assert.ok(want > 1);
      const found = await locateUrns(file, new Set([SERVER, "urn:pulumi:prod::payments::absent::x"]));
      assert.equal(found.get(SERVER), want);
      assert.equal(found.has("urn:pulumi:prod::payments::absent::x"), false);
    });

    it("writes help text with the remediation, what unset means with its sources, and the references", () => {
      const rule = RULES.find((r) => r.id === "postgres-no-public-network-access");
      assert.ok(rule);
      const help = ruleHelp(rule);
      assert.match(help.text, /^PostgreSQL flexible servers must disable public network access\./);
      assert.ok(help.text.includes(`Remediation: ${rule.remediation}`));
      assert.ok(
        help.text.includes(
          [
            `Unset means: ${rule.unsetMeans}`,
            "  - Source, API spec (azure-rest-api-specs): specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Network.publicNetworkAccess` (no default)",
          ].join("\n"),
        ),
        help.text,
      );
      assert.match(
        help.markdown,
        /### Unset means\n\n.+\n\n- Source, API spec \(azure-rest-api-specs\): specification\//,
      );
      assert.match(help.markdown, /### References/);
    });
  });
});
