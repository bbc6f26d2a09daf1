// The stack-export reader: what it hands over, what it skips, what it redacts, and every way a file
// can be refused (with the error kind the CLI maps to exit code 2).

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { InputError, type InputErrorKind } from "../../cli/audit/errors";
import { readExport, type ExportResource } from "../../cli/audit/read-export";
import { packValue } from "../../cli/audit/secrets";
import { secretValue, unknownValue } from "../../cli/wire-values";
import {
  DEFAULT_CONTEXT,
  PLANTED_SECRETS,
  SECRET_SIG,
  SIG_KEY,
  exportText,
  stackExport,
  urnOf,
  withStack,
  compliantEstate,
  writeFixtures,
  type ExportResourceV3,
} from "../helpers/export-builder";

const FIXTURES = path.join(__dirname, "..", "fixtures", "exports");
const fixture = (name: string): string => path.join(FIXTURES, name);

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-read-export-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

async function readAll(
  file: string,
): Promise<{ resources: ExportResource[]; summary: Awaited<ReturnType<typeof readExport>> }> {
  const resources: ExportResource[] = [];
  const summary = await readExport(file, (r) => {
    resources.push(r);
  });
  return { resources, summary };
}

async function refusal(file: string): Promise<InputError> {
  try {
    await readExport(file, () => undefined);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${file} was accepted`);
}

async function assertRefused(file: string, kind: InputErrorKind, fragment: RegExp): Promise<void> {
  const err = await refusal(file);
  assert.equal(err.kind, kind, err.message);
  assert.match(err.message, fragment);
  assert.ok(!err.message.includes("\n"), "one line");
}

const minimal = (resources: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    version: 3,
    deployment: { manifest: { time: "t", magic: "m", version: "v3.1.0" }, resources },
    ...extra,
  });

describe("audit: reading a stack export", () => {
  it("the committed fixtures match the export builder", () => {
    const fresh = path.join(tmp, "fixtures");
    writeFixtures(fresh);
    const names = fs.readdirSync(fresh).sort();
    assert.deepEqual(fs.readdirSync(FIXTURES).sort(), names, "the same fixture files");
    for (const name of names) {
      const want = fs.readFileSync(path.join(fresh, name), "utf8");
      const got = fs.readFileSync(fixture(name), "utf8");
      const stale = `tests/fixtures/exports/${name} is stale: regenerate it with writeFixtures() and prettier`;
      if (name.endsWith(".json")) assert.deepEqual(JSON.parse(got), JSON.parse(want), stale);
      else assert.equal(got, want, stale);
    }
  });

  it("hands over every resource in file order and skips the stack and providers", async () => {
    const { resources, summary } = await readAll(fixture("clean.json"));
    const all = JSON.parse(fs.readFileSync(fixture("clean.json"), "utf8")).deployment
      .resources as ExportResourceV3[];
    const audited = all.filter(
      (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
    );
    assert.deepEqual(
      resources.map((r) => r.urn),
      audited.map((r) => r.urn),
    );
    assert.equal(summary.resources, audited.length);
    assert.deepEqual(summary.skipped, { providers: 1, stack: 1, pendingDelete: 0 });
    assert.equal(summary.version, 3);
    assert.equal(summary.stack, "prod");
    assert.equal(summary.project, "payments");
    assert.equal(summary.engineVersion, "v3.207.0");
  });

  it("keeps inputs, id, parent, provider, dependencies and protect, and drops outputs", async () => {
    const { resources } = await readAll(fixture("clean.json"));
    const server = resources.find((r) => r.type === "azure-native:dbforpostgresql:Server");
    assert.ok(server);
    assert.equal(server.name, "pg-0");
    assert.match(server.id ?? "", /\/flexibleServers\/pg-0$/);
    assert.equal(
      server.parent,
      urnOf(DEFAULT_CONTEXT, "zero-trust-azure-postgres:index:ZeroTrustPostgres", "pg-0"),
    );
    assert.match(
      server.provider ?? "",
      /^urn:pulumi:prod::payments::pulumi:providers:azure-native::default_3_28_0::/,
    );
    assert.equal(server.protect, true);
    assert.equal(server.dependencies.length, 3);
    assert.deepEqual((server.inputs.network as Record<string, unknown>).publicNetworkAccess, "Disabled");
    assert.equal("outputs" in server, false);
    assert.equal(
      "fullyQualifiedDomainName" in server.inputs,
      false,
      "an output-only property is not an input",
    );
  });

  it("reads deployment version 4 (with features) and a minified file the same way", async () => {
    const pretty = await readAll(fixture("clean.json"));
    const parsed = JSON.parse(fs.readFileSync(fixture("clean.json"), "utf8"));
    const file = write(
      "v4.json",
      JSON.stringify({ version: 4, features: ["refreshBeforeUpdate"], deployment: parsed.deployment }),
    );
    const v4 = await readAll(file);
    assert.equal(v4.summary.version, 4);
    assert.deepEqual(v4.summary.features, ["refreshBeforeUpdate"]);
    assert.deepEqual(v4.resources, pretty.resources);
  });

  it("accepts a UTF-8 byte-order mark", async () => {
    const file = write(
      "bom.json",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(fixture("dirty.json"))]),
    );
    const { summary } = await readAll(file);
    assert.equal(summary.resources, 27);
  });

  it("skips a replaced resource awaiting deletion, and accepts an empty stack", async () => {
    const ctx = DEFAULT_CONTEXT;
    const [server] = compliantEstate(ctx, 0).filter((r) => r.type === "azure-native:dbforpostgresql:Server");
    const file = write("pending.json", minimal([{ ...server, delete: true }, server]));
    const { resources, summary } = await readAll(file);
    assert.equal(resources.length, 1);
    assert.equal(summary.skipped.pendingDelete, 1);

    const empty = write(
      "empty-stack.json",
      JSON.stringify({ version: 3, deployment: { manifest: { time: "t", magic: "m", version: "v" } } }),
    );
    const none = await readAll(empty);
    assert.equal(none.summary.resources, 0);
  });

  it("keeps no ciphertext and wraps every plaintext secret before handing a resource over", async () => {
    const { resources } = await readAll(fixture("secrets.json"));
    const text = JSON.stringify(resources);
    for (const planted of [
      PLANTED_SECRETS.ciphertext,
      PLANTED_SECRETS.outputCiphertext,
      PLANTED_SECRETS.nested,
    ])
      assert.ok(!text.includes(planted), `${planted} leaked`);
    assert.ok(!text.includes(SECRET_SIG), "no secret signature survives");
    const server = resources.find((r) => r.type === "azure-native:dbforpostgresql:Server");
    assert.equal(server?.inputs.administratorLoginPassword, unknownValue());
    const workspace = resources.find((r) => r.type === "azure-native:operationalinsights:Workspace");
    assert.deepEqual(workspace?.inputs.sharedKeys, [
      { primary: secretValue(PLANTED_SECRETS.plaintext) },
      unknownValue(),
    ]);
  });

  it("lowers resource references and output values the way the engine does for an analyzer", () => {
    const value = {
      ref: {
        [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e",
        urn: "urn:pulumi:a::b::t::n",
        id: "/subscriptions/x",
      },
      refNoId: { [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:pulumi:a::b::t::n" },
      out: { [SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "known" },
      secretOut: { [SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "hidden", secret: true },
      unknownOut: { [SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4" },
      plain: [1, "two", { three: 3 }],
    };
    assert.deepEqual(packValue(value), {
      ref: "/subscriptions/x",
      refNoId: "urn:pulumi:a::b::t::n",
      out: "known",
      secretOut: secretValue("hidden"),
      plain: [1, "two", { three: 3 }],
    });
    const untouched = { a: { b: [1, 2] } };
    assert.equal(packValue(untouched), untouched, "a value without secrets is not copied");
  });

  it("keeps a `__proto__` input as data, never as a prototype", async () => {
    const file = write(
      "proto.json",
      minimal([
        {
          urn: "urn:pulumi:s::p::azure-native:keyvault:Vault::v",
          custom: true,
          type: "azure-native:keyvault:Vault",
          inputs: JSON.parse('{"__proto__": {"polluted": true}}'),
        },
      ]).replace('"inputs":{}', '"inputs":{"__proto__":{"polluted":true}}'),
    );
    const { resources } = await readAll(file);
    assert.equal(Object.getPrototypeOf(resources[0].inputs), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(resources[0].inputs, "__proto__")?.value, {
      polluted: true,
    });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("pauses reading while the callback's promise is pending", async () => {
    let pending = 0;
    let maxPending = 0;
    const summary = await readExport(fixture("clean.json"), () => {
      pending++;
      maxPending = Math.max(maxPending, pending);
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          pending--;
          resolve();
        }),
      );
    });
    assert.equal(summary.resources, 58);
    assert.equal(maxPending, 1);
  });

  describe("refuses bad input with one line and the right kind", () => {
    it("a missing file", () =>
      assertRefused(path.join(tmp, "nope.json"), "missing", /nope\.json: no such file/));
    it("a directory", () => assertRefused(tmp, "unreadable", /is a directory/));
    it("an empty file", () => assertRefused(write("empty.json", ""), "empty", /is empty/));
    it("a file of blanks", () => assertRefused(write("blank.json", "  \n\t\n"), "empty", /is empty/));
    it("a UTF-16 file (a PowerShell redirect)", () =>
      assertRefused(write("utf16.json", Buffer.from("\ufeff{}", "utf16le")), "encoding", /UTF-16.*--file/));
    it("garbage (an HTML error page)", () =>
      assertRefused(fixture("garbage.txt"), "not-json", /is not JSON/));
    it("garbage after a complete document", () =>
      assertRefused(
        write("trailing.json", minimal([]) + " and then some text that is not JSON at all"),
        "not-json",
        /not valid JSON/,
      ));
    it("a truncated export", () =>
      assertRefused(fixture("truncated.json.part"), "truncated", /is truncated/));
    it("an export cut at every tenth of its length", async () => {
      const full = exportText(withStack(DEFAULT_CONTEXT, compliantEstate(DEFAULT_CONTEXT, 0)));
      for (let tenth = 1; tenth < 10; tenth++) {
        const file = write(`cut-${tenth}.json`, full.slice(0, Math.floor((full.length * tenth) / 10)));
        await assertRefused(file, "truncated", /is truncated/);
      }
      // Cut right after a resource's closing brace: still incomplete.
      const afterBrace = full.lastIndexOf("}", full.lastIndexOf("]")) + 1;
      await assertRefused(write("cut-brace.json", full.slice(0, afterBrace)), "truncated", /is truncated/);
    });
    it("JSON that is not an object", () =>
      assertRefused(write("array.json", "[1, 2, 3]"), "not-export", /top-level value is not an object/));
    it("an object that is not an export", () =>
      assertRefused(
        fixture("not-an-export.json"),
        "not-export",
        /not a Pulumi stack export \(it has no "deployment" object\)/,
      ));
    it("an export without a manifest", () =>
      assertRefused(
        write("no-manifest.json", JSON.stringify({ version: 3, deployment: { resources: [] } })),
        "not-export",
        /no "manifest"/,
      ));
    it("an export without a version", () =>
      assertRefused(
        write("no-version.json", JSON.stringify({ deployment: { manifest: {} } })),
        "not-export",
        /no "version"/,
      ));
    it("resources that are not an array", () =>
      assertRefused(
        write("res-object.json", JSON.stringify({ version: 3, deployment: { manifest: {}, resources: {} } })),
        "not-export",
        /"deployment.resources" is not an array/,
      ));
    it("an older deployment version", () =>
      assertRefused(
        fixture("wrong-version.json"),
        "unsupported-version",
        /version 2; this audit reads versions 3 and 4/,
      ));
    it("a newer deployment version", () =>
      assertRefused(
        write("v5.json", JSON.stringify(stackExport([], { version: 5 }))),
        "unsupported-version",
        /version 5/,
      ));
    it("a resource without a URN", () =>
      assertRefused(
        write("no-urn.json", minimal([{ type: "azure-native:keyvault:Vault" }])),
        "bad-resource",
        /resources\[0\] has no valid "urn"/,
      ));
    it("a resource without a type", () =>
      assertRefused(
        write("no-type.json", minimal([{ urn: "urn:pulumi:s::p::t::n" }])),
        "bad-resource",
        /resources\[0\] has no "type"/,
      ));
    it("a resource whose inputs are not an object", () =>
      assertRefused(
        write("bad-inputs.json", minimal([{ urn: "urn:pulumi:s::p::t::n", type: "t", inputs: [1] }])),
        "bad-resource",
        /"inputs" that is not an object/,
      ));
    it("a resource that is not an object", () =>
      assertRefused(
        write("res-string.json", minimal(["urn:pulumi:s::p::t::n"])),
        "bad-resource",
        /resources\[0\] is not an object/,
      ));
    it("never prints a value from the file in a refusal", async () => {
      const file = write(
        "secret-bad.json",
        minimal([
          {
            urn: "urn:pulumi:s::p::t::n",
            type: "t",
            inputs: { password: { [SIG_KEY]: SECRET_SIG, plaintext: '"hunter2"' } },
            dependencies: "hunter3",
          },
        ]),
      );
      const err = await refusal(file);
      assert.equal(err.kind, "bad-resource");
      assert.ok(!err.message.includes("hunter"), err.message);
    });
  });
});
