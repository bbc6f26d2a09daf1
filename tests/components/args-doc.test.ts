// The argument doc comments (components/postgres/args.ts) name rules, because Pulumi's component
// analyzer copies them into the schema that the Python, Go, C#, Java and YAML SDKs are generated from;
// the binding (components/postgres/binding.ts) is where a rule is tied to an argument. This keeps the
// two from drifting: a doc comment that says "Enforced by `x`" is on an argument the binding ties to
// `x`, and each argument the binding ties to a rule names that rule in its doc comment.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const DOC = path.join(__dirname, "..", "..", "docs", "arguments.md");

interface Row {
  section: string;
  argument: string;
  description: string;
  enforcedBy: string[];
}

/** The rows of every table in docs/arguments.md (generated from the doc comments and the binding). */
function rows(): Row[] {
  const out: Row[] = [];
  let section = "";
  for (const line of fs.readFileSync(DOC, "utf8").split("\n")) {
    const heading = /^#+ (.*)$/.exec(line);
    if (heading) section = heading[1];
    if (!line.startsWith("| `")) continue;
    // Cells are separated by unescaped pipes (the generator escapes pipes inside cells).
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 5) continue; // the output tables have no "Enforced by" column
    const [argument, , , description, enforced] = cells;
    out.push({
      section,
      argument: argument.replace(/`/g, ""),
      description,
      enforcedBy: [...(enforced ?? "").matchAll(/\[`([a-z0-9-]+)`\]/g)].map((m) => m[1]),
    });
  }
  return out;
}

describe("rule ids in the argument doc comments", function () {
  const all = rows();

  it("reads the generated reference", function () {
    assert.ok(
      all.some((r) => r.argument === "pgauditLog" && r.enforcedBy.includes("postgres-pgaudit-enabled")),
      "docs/arguments.md has the pgauditLog row with its rule",
    );
  });

  it("say 'Enforced by' only for a rule the binding ties to that argument", function () {
    const wrong = all.flatMap((r) =>
      [...r.description.matchAll(/Enforced by `([a-z0-9-]+)`/g)]
        .map((m) => m[1])
        .filter((id) => !r.enforcedBy.includes(id))
        .map(
          (id) =>
            `${r.section} \`${r.argument}\` says "Enforced by \`${id}\`" but the binding does not tie them`,
        ),
    );
    assert.deepEqual(wrong, []);
  });

  it("name every rule the binding ties to the argument", function () {
    const missing = all.flatMap((r) =>
      r.enforcedBy
        .filter((id) => !r.description.includes(`\`${id}\``))
        .map(
          (id) =>
            `${r.section} \`${r.argument}\`: the binding ties \`${id}\` but the doc comment does not name it`,
        ),
    );
    assert.deepEqual(missing, []);
  });
});
