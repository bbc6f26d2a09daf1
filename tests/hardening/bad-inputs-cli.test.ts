// The bad-input table as a user meets it: one row of each kind, and each row marked `cli`, is written into a Pulumi program in a
// temporary directory and run with `zt-postgres preview` (the built CLI, a separate process, Pulumi's
// own program runner). The refusal must exit 2 and print the field, the value and what is allowed,
// with no stack trace. Every row also runs in-process in bad-inputs.test.ts; the programs here take
// seconds each, so the CLI runs one representative per kind, all at once.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { BAD_INPUTS, validArgs, validVnetArgs, type BadInput } from "./bad-inputs.table";

const REPO = path.join(__dirname, "..", "..");
const CLI = path.join(REPO, "dist", "cli", "main.js");

/** The first row of each kind, and every row marked `cli`, in table order. */
function representatives(): BadInput[] {
  const seen = new Set<string>();
  return BAD_INPUTS.filter((r) => {
    const first = !seen.has(r.category);
    seen.add(r.category);
    return first || r.cli === true;
  });
}

/** Writes a program that constructs the component with `args` and returns its directory. */
function program(root: string, i: number, name: string, args: unknown): string {
  const dir = path.join(root, `case-${i}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bad-input-${i}\nruntime: nodejs\nmain: index.ts\n`);
  const components = path.relative(dir, path.join(REPO, "components")).split(path.sep).join("/");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    [
      `import { ZeroTrustPostgres } from "${components}";`,
      `const args = ${JSON.stringify(args, null, 2)};`,
      `new ZeroTrustPostgres(${JSON.stringify(name)}, args as never);`,
      "",
    ].join("\n"),
  );
  return dir;
}

function run(dir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "preview", dir], {
      cwd: REPO,
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("bad component inputs through `zt-postgres preview`", function () {
  this.timeout(300_000);
  const rows = representatives();
  const results = new Map<string, { code: number | null; out: string }>();
  let root: string;

  before(async function () {
    fs.mkdirSync(path.join(REPO, "tmp"), { recursive: true });
    root = fs.mkdtempSync(path.join(REPO, "tmp", "bad-inputs-"));
    const dirs = rows.map((row, i) => {
      const args = row.vnet ? validVnetArgs() : validArgs();
      row.change(args);
      return program(root, i, row.name ?? "pg", args);
    });
    const outcomes = await Promise.all(dirs.map(run));
    rows.forEach((row, i) => results.set(row.title, outcomes[i]));
  });

  after(function () {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("runs a row of every kind and every row marked cli", function () {
    assert.deepEqual(
      [...new Set(rows.map((r) => r.category))].sort(),
      [...new Set(BAD_INPUTS.map((r) => r.category))].sort(),
    );
    for (const r of BAD_INPUTS.filter((x) => x.cli)) assert.ok(rows.includes(r), r.title);
  });

  for (const row of representatives()) {
    it(`refuses ${row.title} with exit 2, naming ${row.says.field}, the value and what is allowed`, function () {
      const { code, out } = results.get(row.title) ?? { code: null, out: "" };
      assert.equal(code, 2, out);
      const line = out
        .split("\n")
        .find(
          (l) => l.includes(row.says.field) && l.includes(row.says.value) && l.includes(row.says.allowed),
        );
      assert.ok(line, `no line names ${row.says.field}, ${row.says.value} and ${row.says.allowed}:\n${out}`);
      assert.match(out, /refused its arguments \(nothing was created\)/);
      assert.doesNotMatch(out, /^\s+at /m, "no stack trace");
    });
  }
});
