// docs/robustness.md carries figures computed from the test tables; this fails when they are stale.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";

import { DOC, figures, refreshed } from "./figures";

describe("docs/robustness.md figures", function () {
  it("match the test tables (refresh: npx ts-node --transpile-only tests/hardening/figures.ts --write)", function () {
    const doc = fs.readFileSync(DOC, "utf8");
    assert.equal(doc, refreshed(doc), "docs/robustness.md figures are stale");
  });

  it("meet issue #7's floors: 30 bad inputs, 10,000 runs per rule", function () {
    const f = figures();
    assert.ok(f.badInputs >= 30, `${f.badInputs} bad inputs`);
    assert.ok(f.runsPerRule >= 10_000, `${f.runsPerRule} runs per rule`);
    assert.ok(f.damagedRequests > 0);
  });
});
