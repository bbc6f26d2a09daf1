// No secret in plain form, swept end to end:
// - the component with `allowPasswordAuth: true`: the RandomPassword result appears only as a secret
//   in every request the program sends to the engine (resource inputs and the component's registered
//   outputs, captured raw off the mock monitor), in no non-secret output, and in no `pulumi.log` line;
// - the offline preview (`runPreview`, text and JSON) of a program with a secret password;
// - the audit reports (text, JSON, SARIF) of a stack export holding secrets as ciphertext and as
//   `--show-secrets` plaintext, nested anywhere.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

import { promiseOf, recorder, settle } from "../helpers/mocks";
import { PLANTED_SECRETS, writeFixtures } from "../helpers/export-builder";
import { PACK_DIR, assertPackBuilt } from "../helpers/pack";
import { startPack } from "../../cli/pack-client";
import { formatPreviewText, runPreview } from "../../cli/preview";
import { runAudit } from "../../cli/audit/audit";
import { formatText } from "../../cli/audit/report-text";
import { formatJson } from "../../cli/audit/report-json";
import { formatSarif } from "../../cli/audit/report-sarif";
import { RULES } from "../../policies/rules";
import { validArgs } from "./bad-inputs.table";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const REPO = path.resolve(__dirname, "..", "..");

/** Paths in `value` where `needle` appears outside a secret envelope. */
function plainHits(value: unknown, needle: string, at = "$", out: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.includes(needle)) out.push(at);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => plainHits(v, needle, `${at}[${i}]`, out));
  } else if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return out; // the engine encrypts this in the state
    for (const [k, v] of Object.entries(o)) {
      if (k.includes(needle)) out.push(`${at}.<key ${k}>`);
      plainHits(v, needle, `${at}.${k}`, out);
    }
  }
  return out;
}

/** Whether `needle` appears inside a secret envelope somewhere in `value`. */
function inEnvelope(value: unknown, needle: string): boolean {
  if (Array.isArray(value)) return value.some((v) => inEnvelope(v, needle));
  if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return JSON.stringify(o.value ?? o.plaintext ?? "").includes(needle);
    return Object.values(o).some((v) => inEnvelope(v, needle));
  }
  return false;
}

interface WireRequest {
  kind: "registerResource" | "registerResourceOutputs";
  type: string;
  name: string;
  object: unknown;
  additionalSecretOutputs?: string[];
}

type LogFn = (msg: string, resource?: pulumi.Resource) => Promise<void>;

describe("no secret in plain form", function () {
  describe("the component with allowPasswordAuth", function () {
    const wire: WireRequest[] = [];
    const logs: string[] = [];
    let password: string;
    let component: import("../../components").ZeroTrustPostgres;

    before(async function () {
      // Capture the raw gRPC requests the SDK sends: secrets are still wrapped in their envelopes there,
      // exactly as the engine receives (and encrypts) them.
      type Monitor = Record<string, (req: unknown, cb: unknown) => unknown>;
      const monitor = (settings as unknown as { getMonitor(): Monitor }).getMonitor();
      const originals = { rr: monitor.registerResource, rro: monitor.registerResourceOutputs };
      monitor.registerResource = function (req: unknown, cb: unknown) {
        const r = req as {
          getType(): string;
          getName(): string;
          getObject(): { toJavaScript(): unknown };
          getAdditionalsecretoutputsList(): string[];
        };
        wire.push({
          kind: "registerResource",
          type: r.getType(),
          name: r.getName(),
          object: r.getObject()?.toJavaScript(),
          additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
        });
        return originals.rr.call(this, req, cb);
      };
      monitor.registerResourceOutputs = function (req: unknown, cb: unknown) {
        const r = req as { getUrn(): string; getOutputs(): { toJavaScript(): unknown } };
        wire.push({
          kind: "registerResourceOutputs",
          type: "",
          name: r.getUrn(),
          object: r.getOutputs()?.toJavaScript(),
        });
        return originals.rro.call(this, req, cb);
      };
      const levels = ["debug", "info", "warn", "error"] as const;
      const saved = Object.fromEntries(levels.map((l) => [l, pulumi.log[l]])) as Record<string, LogFn>;
      for (const l of levels)
        (pulumi.log as unknown as Record<string, LogFn>)[l] = (msg: string) => {
          logs.push(`${l}: ${msg}`);
          return Promise.resolve();
        };
      try {
        const { ZeroTrustPostgres } = await import("../../components");
        component = new ZeroTrustPostgres("pw", { ...validArgs(), allowPasswordAuth: true });
        password = await promiseOf(component.administratorPassword!);
        for (const k of Object.keys(component)) {
          const v = (component as unknown as Record<string, unknown>)[k];
          if (pulumi.Output.isInstance(v)) await promiseOf(v).catch(() => undefined);
        }
        await settle();
      } finally {
        monitor.registerResource = originals.rr;
        monitor.registerResourceOutputs = originals.rro;
        for (const l of levels) (pulumi.log as unknown as Record<string, LogFn>)[l] = saved[l];
      }
    });

    it("generates a real password (the sweep below looks for something)", function () {
      assert.ok(typeof password === "string" && password.length >= 16, `password ${password?.length}`);
      assert.ok(recorder.resources.some((r) => r.type === "random:index/randomPassword:RandomPassword"));
    });

    it("sends the password to the server only inside a secret envelope", function () {
      const server = wire.find(
        (w) =>
          w.kind === "registerResource" &&
          w.type === "azure-native:dbforpostgresql:Server" &&
          w.name === "pw-server",
      );
      assert.ok(server, "the server registration was captured");
      assert.ok(inEnvelope(server.object, password), "the server's administratorLoginPassword is a secret");
    });

    it("never sends the password outside a secret envelope, in any registration or registered output", function () {
      assert.ok(wire.length > 20, `captured ${wire.length} requests`);
      const leaks = wire.flatMap((w) =>
        plainHits(w.object, password).map((p) => `${w.kind} ${w.type} ${w.name} ${p}`),
      );
      assert.deepEqual(leaks, []);
      const outputs = wire.filter((w) => w.kind === "registerResourceOutputs");
      assert.ok(
        outputs.some((w) => inEnvelope(w.object, password)),
        "the component's administratorPassword output is a secret",
      );
    });

    it("exposes the password only through a secret output; no other output carries it", async function () {
      const secretFlag = (o: pulumi.Output<unknown>) =>
        (o as unknown as { isSecret: Promise<boolean> }).isSecret;
      assert.equal(await secretFlag(component.administratorPassword!), true);
      for (const [k, v] of Object.entries(component)) {
        if (k === "administratorPassword" || !pulumi.Output.isInstance(v)) continue;
        const value = await promiseOf(v as pulumi.Output<unknown>).catch(() => undefined);
        assert.doesNotMatch(
          JSON.stringify(value) ?? "",
          new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
          k,
        );
      }
    });

    it("asks the engine to keep the server's echo of the password secret", function () {
      // Providers may echo inputs; additionalSecretOutputs makes the engine encrypt that output too.
      const server = wire.find((w) => w.kind === "registerResource" && w.name === "pw-server");
      assert.ok(server);
      assert.deepEqual(server.additionalSecretOutputs, ["administratorLoginPassword"]);
    });

    it("writes no log line with the password (the SDK's own --debug echo of RPC responses aside)", function () {
      assert.ok(
        logs.some((l) => l.includes("postgres-entra-only-auth")),
        "the waiver warning was captured",
      );
      const leaking = logs.filter((l) => l.includes(password));
      // @pulumi/pulumi 3.270.0 logs every RegisterResource response at debug level, secrets included
      // (runtime/resource.js "RegisterResource RPC finished"); the engine shows those only with
      // `--debug`. Nothing else — no component line, no info, warning or error — may carry it.
      const sdkEcho = /^debug: RegisterResource RPC finished: resource:pw-/;
      assert.deepEqual(
        leaking.filter((l) => !sdkEcho.test(l)).map((l) => l.slice(0, 120)),
        [],
      );
    });
  });

  describe("the offline preview", function () {
    const PLANTED = "Insecure-Demo-Passw0rd!"; // examples/insecure's secret fallback password

    it("shows the insecure example's secret password as [secret] in text and JSON", async function () {
      assertPackBuilt();
      const dir = path.join(REPO, "examples", "insecure");
      assert.ok(
        fs.readFileSync(path.join(dir, "index.ts"), "utf8").includes(PLANTED),
        "the example plants the password",
      );
      const result = await runPreview(dir, { packDir: PACK_DIR, log: () => undefined });
      const json = JSON.stringify(result);
      const text = formatPreviewText(result as never, {} as never);
      assert.ok(json.includes("[secret]"), "the password appears as the placeholder");
      assert.equal(json.includes(PLANTED), false, "JSON preview leaks the password");
      assert.equal(String(text).includes(PLANTED), false, "text preview leaks the password");
    });
  });

  describe("the audit reports", function () {
    let dir: string;
    before(function () {
      assertPackBuilt();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-secrets-"));
      writeFixtures(dir);
    });
    after(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("never prints a planted secret (ciphertext or --show-secrets plaintext) in text, JSON or SARIF", async function () {
      const file = path.join(dir, "secrets.json");
      const exported = fs.readFileSync(file, "utf8");
      for (const s of Object.values(PLANTED_SECRETS))
        assert.ok(exported.includes(s), `the export plants ${s}`);
      const result = await runAudit({ file, startPack: () => startPack({ packDir: PACK_DIR }) });
      assert.ok(result.findings.length > 0, "the audit found something to report");
      const reports = {
        text: formatText(result),
        json: formatJson(result),
        sarif: formatSarif(result, { catalogue: RULES }),
      };
      for (const [kind, report] of Object.entries(reports)) {
        for (const [what, s] of Object.entries(PLANTED_SECRETS)) {
          assert.equal(report.includes(s), false, `${kind} report leaks the ${what} secret`);
        }
      }
    });
  });
});
