// The preview (the pack under an engine stand-in that sends secrets as the engine does) and the audit
// (a stack export) give the same verdict on the same secret-wrapped values, and no output of either
// shows a secret: a secret "Disabled" passes postgres-no-public-network-access in both, a secret
// parameter value that breaks postgres-secure-transport is flagged in both as "[secret]". An encrypted
// export's ciphertext cannot be judged and is read as a value not known during preview.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { collectSecretTexts, redactSecretTexts } from "../../cli/secret-text";
import { azureDefault } from "../../policies/facts/server-parameters";
import { BACKUP_RETENTION_DAYS } from "../../policies/rules/thresholds";
import { secretValue } from "../../cli/wire-values";
import {
  plaintextSecret,
  providerResource,
  secret,
  stackResource,
  urnOf,
  writeExportFile,
  type ExportResourceV3,
} from "../helpers/export-builder";
import { cli } from "../helpers/cli-run";

const PROGRAM = "tests/fixtures/preview-secret";
const PLANTED = "OFF-PLANTED-SECRET-4c7d";
const CTX = { stack: "dev", project: "preview-secret" };
const SERVER = "azure-native:dbforpostgresql:Server";
const CONFIGURATION = "azure-native:dbforpostgresql:Configuration";

/** The program's two resources as `pulumi stack export` writes them, each secret made by `wrap`. */
function exportOf(wrap: (value: string) => Record<string, string>): ExportResourceV3[] {
  const stack = stackResource(CTX);
  const common = { custom: true, parent: stack.urn, created: "t", modified: "t" };
  return [
    stack,
    providerResource(CTX),
    {
      ...common,
      urn: urnOf(CTX, SERVER, "db"),
      type: SERVER,
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/db",
      inputs: {
        resourceGroupName: "rg",
        serverName: "db",
        version: "16",
        network: { publicNetworkAccess: wrap("Disabled") },
      },
    },
    {
      ...common,
      urn: urnOf(CTX, CONFIGURATION, "db-tls"),
      type: CONFIGURATION,
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/db/configurations/require_secure_transport",
      inputs: {
        resourceGroupName: "rg",
        serverName: "db",
        configurationName: "require_secure_transport",
        source: "user-override",
        value: wrap(PLANTED),
      },
    },
  ];
}

interface Verdict {
  rule: string;
  name: string;
  level: string;
}
const key = (v: Verdict): string => `${v.rule} ${v.name} ${v.level}`;

let tmp: string;
let plaintextExport: string;
let ciphertextExport: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-secrets-agree-"));
  plaintextExport = path.join(tmp, "show-secrets.json");
  writeExportFile(
    plaintextExport,
    exportOf((v) => plaintextSecret(v)),
  );
  ciphertextExport = path.join(tmp, "encrypted.json");
  writeExportFile(
    ciphertextExport,
    exportOf(() => secret("v1:Q0lQSEVSVEVYVC1QTEFOVEVE")),
  );
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("secrets: the preview and the audit agree (subprocess)", function () {
  this.timeout(600_000);

  let preview: {
    resources: unknown[];
    diagnostics: { policy: string; level: string; message: string; urn: string }[];
  };
  let previewText: string;
  before(async () => {
    const [json, text] = await Promise.all([
      cli(["preview", PROGRAM, "--json"]),
      cli(["preview", PROGRAM], { NO_COLOR: "1" }),
    ]);
    assert.equal(json.status, 1, json.stderr);
    assert.equal(text.status, 1, text.stderr);
    preview = JSON.parse(json.stdout);
    previewText = text.stdout + text.stderr + json.stdout + json.stderr;
  });

  it("prints unset settings with the defaults of the fact tables, and the secret parameter as [secret]", () => {
    const tls = azureDefault("ssl_min_protocol_version", "16");
    assert.ok(
      previewText.includes(
        `TLS floor               ssl_min_protocol_version=(unset: ${tls}), require_secure_transport=[secret]`,
      ),
      previewText,
    );
    assert.ok(previewText.includes(`retention (unset: ${BACKUP_RETENTION_DAYS.azureDefault}) days`));
    assert.ok(
      previewText.includes("public network access   secret ([secret])"),
      "the pack judges the value; the text shows only the placeholder",
    );
  });

  it("gives the same verdicts on a --show-secrets export as the preview gives on the program", async () => {
    const audit = await cli(["audit", plaintextExport, "--format", "json"]);
    assert.equal(audit.status, 1, audit.stderr);
    const results = (
      JSON.parse(audit.stdout) as {
        results: { ruleId: string; name: string; level: string; message: string }[];
      }
    ).results;
    const fromAudit = results.map((r) => key({ rule: r.ruleId, name: r.name, level: r.level })).sort();
    const fromPreview = preview.diagnostics
      .map((d) => key({ rule: d.policy, name: d.urn.split("::").pop() ?? "", level: d.level }))
      .sort();
    assert.deepEqual(fromAudit, fromPreview);

    // The secret "Disabled" is judged as "Disabled": no public-access finding on either side.
    assert.ok(
      !fromAudit.some((k) => k.startsWith("postgres-no-public-network-access ")),
      fromAudit.join("\n"),
    );
    // The secret that breaks a rule is flagged on both sides, and shown as "[secret]".
    assert.ok(fromAudit.includes("postgres-secure-transport db-tls mandatory"));
    const auditMessage = results.find((r) => r.ruleId === "postgres-secure-transport")!.message;
    const previewMessage = preview.diagnostics.find((d) => d.policy === "postgres-secure-transport")!.message;
    for (const m of [auditMessage, previewMessage])
      assert.ok(
        m.includes('require_secure_transport is "[secret]". Set require_secure_transport to "on".'),
        m,
      );
  });

  it("reads an encrypted export's ciphertext as unknown: the secret is neither passed nor failed as a string", async () => {
    const audit = await cli(["audit", ciphertextExport, "--format", "json"]);
    assert.equal(audit.status, 1, audit.stderr);
    const results = (
      JSON.parse(audit.stdout) as {
        results: { ruleId: string; name: string; level: string; message: string }[];
      }
    ).results;
    // Each rule that reads a ciphertext value says it could not judge it, as advisory (what the policy
    // SDK does for a value not known during preview), never as a mandatory violation.
    const on = (rule: string) => results.filter((r) => r.ruleId === rule).map((r) => [r.level, r.message]);
    assert.deepEqual(on("postgres-no-public-network-access"), [
      [
        "advisory",
        "not judged: the string value at .network.publicNetworkAccess is an encrypted secret in this export; export with `pulumi stack export --show-secrets` for the audit to judge it",
      ],
    ]);
    assert.deepEqual(on("postgres-secure-transport"), [
      [
        "advisory",
        "not judged: the string value at .value is an encrypted secret in this export; export with `pulumi stack export --show-secrets` for the audit to judge it",
      ],
    ]);
  });

  it("shows no secret value in any output format of either command", async () => {
    const outputs = [previewText];
    for (const file of [plaintextExport, ciphertextExport]) {
      for (const format of ["text", "json", "sarif", "junit", "markdown"]) {
        const run = await cli(["audit", file, "--format", format], { NO_COLOR: "1" });
        assert.equal(run.status, 1, `${format}: ${run.stderr}`);
        outputs.push(run.stdout + run.stderr);
      }
    }
    for (const out of outputs) {
      assert.ok(!out.includes(PLANTED), out.slice(0, 400));
      assert.ok(!out.includes("Q0lQSEVSVEVYVC1QTEFOVEVE"), "no ciphertext");
    }
    assert.ok(previewText.includes('"[secret]"'));
  });
});

describe("secret texts", () => {
  it("collects every form a secret can take in a message and hides whole tokens only", () => {
    const secrets = collectSecretTexts(
      { a: secretValue("on"), b: { c: secretValue({ key: 'say "hi"', n: 42 }) }, plain: "visible" },
      new Set(),
    );
    for (const t of ["42", "on", 'say "hi"', 'say \\"hi\\"', '{"key":"say \\"hi\\"","n":42}'])
      assert.ok(secrets.has(t), t);
    assert.equal(secrets.has("visible"), false);
    assert.equal(
      redactSecretTexts('configuration x is "on", key "say \\"hi\\"", 42 not 420', secrets),
      'configuration x is "[secret]", key "[secret]", [secret] not 420',
    );
  });
});
