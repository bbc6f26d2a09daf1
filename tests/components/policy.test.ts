// The component and the policy pack agree (one catalogue, two callers): the component's own preview
// gives zero violations when run through the rules, one waiver gives exactly that rule's violation
// (which the component reports as a warning), and the component logs advisory findings instead of
// hiding them.

import assert from "node:assert/strict";
import { recorder } from "../helpers/mocks"; // mocks first
import { build, defaultArgs, minimalArgs, minimalVnetArgs, tweak, type Built } from "./fixtures";
import { evaluateResource, evaluateStack } from "../../policies/rules";
import type { StackResourceView } from "../../policies/rules/types";
import { plannedBags, preflight, UNKNOWN, withPlaceholders } from "../../components/postgres/guard";
import { resolveConfig } from "../../components/postgres/defaults";
import * as pulumi from "@pulumi/pulumi";

/** The stack as the pack's AnalyzeStack would see it: every registration with ids, parents and dependencies. */
function stackOf(b: Built): StackResourceView[] {
  const urnOf = new Map(recorder.resources.map((r) => [r.name, r.urn]));
  return b.resources.map((r) => {
    const o = b.options.find((x) => x.name === r.name);
    return {
      type: r.type,
      name: r.name,
      urn: r.urn,
      id: r.id,
      props: r.inputs,
      parent: o?.parent ? urnOf.get(o.parent) : undefined,
      dependencies: (o?.dependsOn ?? []).map((d) => urnOf.get(d) ?? d),
    };
  });
}

describe("ZeroTrustPostgres and the policy catalogue", function () {
  this.timeout(60000);
  let b: Built;
  before(async () => {
    b = await build("ztc", defaultArgs());
  });

  it("emits resources that pass every resource rule, at every level", () => {
    const found = b.resources.flatMap((r) =>
      evaluateResource({ type: r.type, props: r.inputs }).map((v) => `${r.name}: [${v.ruleId}] ${v.message}`),
    );
    assert.deepEqual(found, []);
    assert.ok(b.resources.length > 40, "the check ran over the whole estate");
  });

  it("emits a stack that passes every stack rule (private connectivity, DNS, diagnostics, admins, Defender, locks)", () => {
    const found = evaluateStack(stackOf(b)).map((v) => `[${v.ruleId}] ${v.message}`);
    assert.deepEqual(found, []);
  });

  it("passes every resource and stack rule in vnetIntegration mode too (the vaults' private endpoints included)", async () => {
    const v = await build("ztcv", minimalVnetArgs());
    const found = [
      ...v.resources.flatMap((r) =>
        evaluateResource({ type: r.type, props: r.inputs }).map(
          (x) => `${r.name}: [${x.ruleId}] ${x.message}`,
        ),
      ),
      ...evaluateStack(stackOf(v)).map((x) => `[${x.ruleId}] ${x.message}`),
    ];
    assert.deepEqual(found, []);
    assert.deepEqual(
      v.resources.filter((r) => r.type === "azure-native:network:PrivateEndpoint").map((r) => r.name),
      ["ztcv-kv-pe", "ztcv-geo-kv-pe"],
    );
  });

  it("fails the stack rules when the component's protections are removed from the stack", () => {
    const stripped = stackOf(b).filter(
      (r) =>
        !r.type.endsWith(":DiagnosticSetting") &&
        !r.type.endsWith(":ManagementLockByScope") &&
        r.type !== "azure-native:resources:Resource",
    );
    const rules = new Set(evaluateStack(stripped).map((v) => v.ruleId));
    for (const id of [
      "postgres-diagnostic-settings",
      "keyvault-diagnostic-settings",
      "postgres-threat-protection",
      "resource-delete-locks",
    ] as const) {
      assert.ok(rules.has(id), `${id} in ${[...rules].join(", ")}`);
    }
  });

  it("logs no rule warning for the default configuration (only the region table's HA notice)", () => {
    assert.deepEqual(
      b.warnings.filter((w) => !w.startsWith('`highAvailability` "ZoneRedundant" is temporarily blocked')),
      [],
    );
  });

  it("plans the same bags it emits, with Outputs replaced by the engine's unknown sentinel", () => {
    const cfg = resolveConfig("ztc", defaultArgs());
    const bags = plannedBags(cfg);
    const server = bags.find((x) => x.type === "azure-native:dbforpostgresql:Server")!;
    const emitted = b.get("azure-native:dbforpostgresql:Server", "ztc-server").inputs;
    assert.equal(
      JSON.stringify(Object.keys(server.props).sort()),
      JSON.stringify(Object.keys(emitted).sort()),
    );
    assert.equal((server.props.dataEncryption as Record<string, unknown>).primaryKeyURI, UNKNOWN);
    assert.deepEqual(server.props.authConfig, emitted.authConfig);
    assert.equal(bags.filter((x) => x.type === "azure-native:dbforpostgresql:Configuration").length, 11);
    assert.equal(bags.filter((x) => x.type === "azure-native:keyvault:Vault").length, 2);
    assert.deepEqual(
      withPlaceholders({ a: pulumi.output(1), b: [Promise.resolve(2)], c: undefined, d: "x" }),
      {
        a: UNKNOWN,
        b: [UNKNOWN],
        d: "x",
      },
    );
  });

  it("with allowPublicAccess, the server violates exactly postgres-no-public-network-access unless the waiver is passed", async () => {
    const w = await build(
      "ztc-public",
      tweak(minimalArgs(), (a) => {
        a.network.allowPublicAccess = true;
        a.network.firewallRules = [
          { name: "office", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" },
        ];
      }),
    );
    const server = w.get("azure-native:dbforpostgresql:Server", "ztc-public-server");
    const plain = evaluateResource({ type: server.type, props: server.inputs });
    assert.deepEqual(
      plain.map((v) => [v.ruleId, v.level]),
      [["postgres-no-public-network-access", "mandatory"]],
    );
    const waived = evaluateResource(
      { type: server.type, props: server.inputs },
      { "postgres-no-public-network-access": { allowPublicAccess: true } },
    );
    assert.deepEqual(waived, []);
    assert.equal(w.warnings.filter((m) => m.includes("postgres-no-public-network-access")).length, 1);
  });

  it("refuses what a mandatory rule rejects, naming the rule and the argument, and passes the user's prefix to it", () => {
    const open = resolveConfig(
      "ztc-open",
      tweak(minimalArgs(), (a) => {
        a.network.allowPublicAccess = true;
        a.network.firewallRules = [{ name: "wide", startIpAddress: "10.0.0.0", endIpAddress: "10.0.3.255" }];
      }),
    );
    const refused = preflight(open);
    assert.equal(refused.errors.length, 1);
    assert.match(
      refused.errors[0],
      /^\[firewall-no-open-ranges\] `network.firewallRules\[0\]` "10.0.0.0-10.0.3.255": /,
    );
    // A /22 passes when the user lowers the minimum prefix to 22: the component passes it as rule config.
    const allowed = preflight({ ...open, network: { ...open.network, firewallMinimumPrefixLength: 22 } });
    assert.deepEqual(allowed.errors, []);
  });

  it("warns, naming the rule, for advisory findings: an old version, a 2048-bit key, Burstable without HA", async () => {
    const w = await build(
      "ztc-adv",
      tweak(minimalArgs(), (a) => {
        a.version = "12";
        a.skuName = "Standard_B1ms";
        a.encryption = { keySize: 2048 };
      }),
    );
    const rules = w.warnings.map((m) => /^\[([a-z-]+)\]/.exec(m)?.[1]);
    for (const id of ["postgres-allowed-versions", "keyvault-key-strength", "postgres-ha-zone-redundant"]) {
      assert.ok(rules.includes(id), `${id} in ${w.warnings.join("\n")}`);
    }
    assert.ok(w.warnings.some((m) => m.startsWith('[postgres-allowed-versions] `version` "12"')));
    assert.ok(
      w.warnings.some((m) => m.startsWith('[keyvault-key-strength] `encryption.keySize` "RSA-HSM 2048"')),
    );
  });
});
