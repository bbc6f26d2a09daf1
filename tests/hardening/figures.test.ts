// docs/robustness.md carries figures computed from the test tables; this fails when they are stale.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";

import { DOCS, refreshed } from "./figures";

describe("robustness figures in docs/robustness.md and README.md", function () {
  for (const page of DOCS) {
    it(`match the test tables in ${page.split("/").slice(-2).join("/")} (refresh: npx ts-node --transpile-only tests/hardening/figures.ts --write)`, function () {
      const doc = fs.readFileSync(page, "utf8");
      assert.equal(doc, refreshed(doc), `${page} figures are stale`);
    });
  }
});
