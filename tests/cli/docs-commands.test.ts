// The commands and snippets of README.md and docs/*.md work as written: every `pulumi stack output <name>`
// names an output the default example has; every `zt-postgres` command line names a command and
// options the CLI accepts; every TypeScript snippet type-checks against this package (names the
// snippet takes from the reader's own program, such as `rg` or `vnet`, are the only thing it may
// leave undeclared); every Python snippet parses.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import * as ts from "typescript";

import { previewOnce } from "./preview-runs";

const ROOT = path.join(__dirname, "..", "..");
const MAIN = path.join(ROOT, "dist", "cli", "main.js");

interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
}

function docs(): string[] {
  const dir = path.join(ROOT, "docs");
  return [
    path.join(ROOT, "README.md"),
    ...fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".md"))
      .map((f) => path.join(dir, f)),
  ];
}

/** Fenced code blocks with their language and first line. */
function blocks(file: string): Block[] {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const out: Block[] = [];
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((l, i) => {
    const fence = /^```\s*([\w-]*)/.exec(l);
    if (fence && open === undefined) open = { lang: fence[1].toLowerCase(), line: i + 2, body: [] };
    else if (/^```\s*$/.test(l) && open !== undefined) {
      out.push({
        file: path.relative(ROOT, file),
        line: open.line,
        lang: open.lang,
        text: open.body.join("\n"),
      });
      open = undefined;
    } else open?.body.push(l);
  });
  return out;
}

/** Every occurrence of a pattern in the docs' text (code blocks and inline code), with its place. */
function occurrences(re: RegExp): { where: string; match: RegExpExecArray }[] {
  const out: { where: string; match: RegExpExecArray }[] = [];
  for (const file of docs()) {
    fs.readFileSync(file, "utf8")
      .split("\n")
      .forEach((l, i) => {
        for (const m of l.matchAll(new RegExp(re.source, "g"))) {
          out.push({ where: `${path.relative(ROOT, file)}:${i + 1}`, match: m as RegExpExecArray });
        }
      });
  }
  return out;
}

describe("README.md and docs/*.md: commands and snippets work as written", function () {
  this.timeout(600_000);

  it("names only stack outputs the default example has in `pulumi stack output`", async function () {
    const { outputs } = await previewOnce("examples/private-endpoint");
    const uses = occurrences(/pulumi stack output(?: --\S+)* ([A-Za-z][\w]*)/);
    assert.ok(uses.length > 0, "the docs use `pulumi stack output`");
    for (const { where, match } of uses) {
      assert.ok(
        match[1] in outputs,
        `${where}: \`pulumi stack output ${match[1]}\` is not an output of examples/private-endpoint`,
      );
    }
  });

  it("uses only commands and options zt-postgres accepts", function () {
    const help = new Map<string, string>();
    const helpOf = (command: string): string => {
      let text = help.get(command);
      if (text === undefined) {
        const run = spawnSync(process.execPath, [MAIN, ...command.split(" "), "--help"], {
          cwd: ROOT,
          encoding: "utf8",
        });
        assert.equal(run.status, 0, `zt-postgres ${command} --help: ${run.stderr}`);
        text = run.stdout;
        help.set(command, text);
      }
      return text;
    };
    const uses = occurrences(/zt-postgres ([a-z]+)((?: +[^\s`|#;)]+)*)/);
    assert.ok(uses.length > 3, "the docs show zt-postgres commands");
    for (const { where, match } of uses) {
      const [, command, rest] = match;
      if (!["preview", "audit", "rules", "db"].includes(command)) continue; // prose such as "zt-postgres audit" in a sentence
      // `db` has subcommands (apply, verify): their options are in the subcommand's help.
      const sub = command === "db" ? /^ +(apply|verify)\b/.exec(rest)?.[1] : undefined;
      if (command === "db" && sub === undefined) continue;
      const text = helpOf(sub ? `${command} ${sub}` : command);
      for (const option of rest.match(/--[a-z][a-z-]*/g) ?? []) {
        assert.ok(text.includes(option), `${where}: zt-postgres ${command} has no option ${option}`);
      }
    }
  });

  it("type-checks every TypeScript snippet against this package", function () {
    const snippets = docs()
      .flatMap(blocks)
      .filter((b) => b.lang === "ts" || b.lang === "typescript");
    assert.ok(snippets.length > 0, "the docs have TypeScript snippets");
    const virtual = new Map(
      snippets.map((b, i) => [path.join(ROOT, "tests", "cli", `.snippet-${i}.ts`), b] as const),
    );
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      baseUrl: ROOT,
      // The package root is `index.ts`, its `./policies` export `policies/api.ts`; a deep import (`zero-trust-azure-postgres/dist/policies/pack`)
      // resolves to the TypeScript source the published `dist/` file is built from.
      paths: {
        "zero-trust-azure-postgres": ["index.ts"],
        "zero-trust-azure-postgres/policies": ["policies/api.ts"],
        "zero-trust-azure-postgres/dist/*": ["*"],
      },
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (f) => virtual.get(f)?.text ?? readFile(f);
    host.fileExists = (f) => virtual.has(f) || fileExists(f);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, onError) => {
      const b = virtual.get(f);
      return b ? ts.createSourceFile(f, `export {};\n${b.text}`, lang) : getSourceFile(f, lang, onError);
    };
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems: string[] = [];
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const b = d.file ? virtual.get(d.file.fileName) : undefined;
      if (!b) continue;
      // A name the snippet takes from the reader's program (`rg`, `vnet`): the only thing it may leave open.
      if (d.code === 2304 || d.code === 2552 || d.code === 18004) continue;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      problems.push(
        `${b.file}:${b.line + line - 1}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
      );
    }
    assert.deepEqual(problems, []);
  });

  it("parses every Python snippet", function () {
    const snippets = docs()
      .flatMap(blocks)
      .filter((b) => b.lang === "python" || b.lang === "py");
    for (const b of snippets) {
      const run = spawnSync("python3", ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], {
        input: b.text,
        encoding: "utf8",
      });
      assert.equal(run.status, 0, `${b.file}:${b.line}: ${run.stderr}`);
    }
  });
});
