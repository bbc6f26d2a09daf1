// docs/azure-constraints.md stays true: each row names a file that exists, a symbol declared in it, and
// a test file holding the quoted test fragment, so a renamed symbol or test fails here.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const DOC = fs.readFileSync(path.join(ROOT, "docs/azure-constraints.md"), "utf8");

interface Row {
  id: string;
  file: string;
  symbol: string;
  testFile: string;
  fragment: string;
}

/** The constraint table's rows: `| # | constraint | source | `file#symbol` | `test` › `fragment` |`. */
function rows(): Row[] {
  const out: Row[] = [];
  for (const line of DOC.split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    if (!/^\d+$/.test(cells[0] ?? "")) continue;
    const encoded = /^`([^`#]+)#([A-Za-z_$][\w$]*)`$/.exec(cells[3]);
    const pinned = /^`([^`]+)` › `([^`]+)`$/.exec(cells[4]);
    assert.ok(encoded, `row ${cells[0]}: "Encoded in" is \`file#symbol\`: ${cells[3]}`);
    assert.ok(pinned, `row ${cells[0]}: "Pinned by" is \`test file\` › \`fragment\`: ${cells[4]}`);
    out.push({
      id: cells[0],
      file: encoded[1],
      symbol: encoded[2],
      testFile: pinned[1],
      fragment: pinned[2],
    });
  }
  return out;
}

describe("docs/azure-constraints.md", () => {
  const table = rows();

  it("lists the constraints in order, each with a source", () => {
    assert.ok(table.length >= 26, String(table.length));
    assert.deepEqual(
      table.map((r) => r.id),
      table.map((_, i) => String(i + 1)),
    );
    for (const line of DOC.split("\n").filter((l) => /^\| \d+ +\|/.test(l)))
      assert.ok(/https:\/\/|shared\/reference|not re-read|^as \d/.test(line.split("|")[3].trim()), line);
  });

  it("names symbols declared in the files it names", () => {
    for (const r of table) {
      const file = path.join(ROOT, r.file);
      assert.ok(fs.existsSync(file), `row ${r.id}: ${r.file} exists`);
      const declared = new RegExp(
        `\\b(?:const|let|function|class|interface|type)\\s+${r.symbol.replace(/\$/g, "\\$")}\\b`,
      );
      assert.match(
        fs.readFileSync(file, "utf8"),
        declared,
        `row ${r.id}: ${r.symbol} is declared in ${r.file}`,
      );
    }
  });

  it("names tests that exist", () => {
    for (const r of table) {
      const file = path.join(ROOT, r.testFile);
      assert.ok(fs.existsSync(file), `row ${r.id}: ${r.testFile} exists`);
      assert.ok(
        fs.readFileSync(file, "utf8").includes(r.fragment),
        `row ${r.id}: ${r.testFile} contains "${r.fragment}"`,
      );
    }
  });
});
