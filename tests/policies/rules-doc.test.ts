import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { RULES } from "../../policies/rules";
import { RULES_DOC_PATH, renderRulesDoc } from "../../scripts/gen-rules-doc";

describe("docs/rules.md", () => {
  it("is up to date with the catalogue (run `npm run build && npm run docs` after changing a rule)", () => {
    assert.equal(RULES_DOC_PATH, path.join(__dirname, "..", "..", "docs", "rules.md"));
    const committed = fs.readFileSync(RULES_DOC_PATH, "utf8");
    assert.equal(committed, renderRulesDoc());
  });

  it("has a table row and a section for every rule, with level, config defaults, unset meaning and references", () => {
    const doc = renderRulesDoc();
    for (const rule of RULES) {
      assert.ok(doc.includes(`| [\`${rule.id}\`](#${rule.id}) | ${rule.enforcementLevel} |`), rule.id);
      const start = doc.indexOf(`\n## ${rule.id}\n`);
      assert.ok(start >= 0, `no section for ${rule.id}`);
      const next = doc.indexOf("\n## ", start + 1);
      const section = doc.slice(start, next < 0 ? undefined : next);
      assert.ok(section.includes(`Default level: **${rule.enforcementLevel}**`), rule.id);
      assert.ok(section.includes(`Unset means: ${rule.unsetMeans}`), rule.id);
      assert.ok(section.includes(`Seed: ${rule.references.seed}`), rule.id);
      for (const [key, p] of Object.entries(rule.config)) {
        assert.ok(
          section.includes(`| \`${key}\` |`) && section.includes(`\`${JSON.stringify(p.default)}\``),
          `${rule.id}.${key}`,
        );
      }
      if (rule.references.azurePolicyId) assert.ok(section.includes(rule.references.azurePolicyId), rule.id);
    }
  });

  it("changes when a rule changes (the staleness check can fail)", () => {
    const rule = RULES[0];
    const before = renderRulesDoc();
    const saved = rule.remediation;
    try {
      (rule as { remediation: string }).remediation = `${saved} (changed)`;
      assert.notEqual(renderRulesDoc(), before);
    } finally {
      (rule as { remediation: string }).remediation = saved;
    }
    assert.equal(renderRulesDoc(), before);
  });
});
