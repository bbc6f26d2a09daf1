// Compliant baselines for the fuzz suite: for every rule in the catalogue, the resources (or, for a
// stack rule, the stack) that the rule must never flag at its default config. The fuzzer mutates
// these, so each rule sees shapes close to what it really checks, not only random noise.
//
// Baselines are picked from a pool of compliant resources (tests/policies/fixtures.ts `happy`, the
// component's parameter set) by type: a rule gets every pool entry of a type it covers. A new rule is
// covered automatically; a rule that covers a type with no pool entry makes `baselinesFor` throw, so
// the fuzz suite fails until a baseline is added here.

import { RULES, defaultConfig } from "../../policies/rules";
import type { ResourceView, Rule, StackResourceView } from "../../policies/rules";
import { HAPPY_PARAMETERS, T, clone, happy, happyStack, parameter } from "../policies/fixtures";

/** A compliant resource of one type. */
export interface Baseline {
  type: string;
  props: Record<string, unknown>;
}

/**
 * Rules that flag every resource of the types they cover, by design: a compliant instance does not
 * exist. Their baseline is a resource of a type they do not cover (which they must ignore), and the
 * fuzzer still checks that they never throw and are deterministic on their own types.
 */
export const FLAGS_EVERY_INSTANCE: ReadonlySet<string> = new Set(["postgres-single-server-retired"]);

/** Compliant resources by type token. */
function pool(): Baseline[] {
  const out: Baseline[] = [
    { type: T.server, props: happy.server },
    { type: T.classicServer, props: happy.classicServer },
    { type: T.vault, props: happy.vault },
    { type: T.classicVault, props: happy.classicVault },
    { type: T.key, props: happy.key },
    { type: T.classicKey, props: happy.classicKey },
    { type: T.firewall, props: happy.firewall },
    { type: T.classicFirewall, props: happy.classicFirewall },
    { type: T.singleFirewall, props: happy.firewall },
    { type: T.classicSingleFirewall, props: happy.classicFirewall },
    // A single server's own SSL/TLS/public-access properties, compliant for every rule but "retired".
    { type: T.single, props: happy.single },
    { type: T.classicSingle, props: happy.classicSingle },
    // A Reader role assignment on a server, and an immutable backup vault with soft delete on.
    ...["azure-native:authorization:RoleAssignment", "azure:authorization/assignment:Assignment"].map(
      (type) => ({
        type,
        props: {
          principalId: "11111111-1111-4111-8111-111111111111",
          roleDefinitionId:
            "/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
          scope:
            "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-zt/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-zt",
        },
      }),
    ),
    {
      type: "azure-native:dataprotection:BackupVault",
      props: {
        properties: {
          storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }],
          securitySettings: {
            immutabilitySettings: { state: "Unlocked" },
            softDeleteSettings: { state: "On", retentionDurationInDays: 14 },
          },
        },
      },
    },
    {
      type: "azure:dataprotection/backupVault:BackupVault",
      props: { immutability: "Locked", softDelete: "On", retentionDurationInDays: 14 },
    },
    // A PIM for Groups policy with a 2-hour activation cap (entra-pim-activation-duration).
    {
      type: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
      props: {
        groupId: "11111111-1111-4111-8111-111111111111",
        roleId: "member",
        activationRules: { maximumDuration: "PT2H" },
      },
    },
  ];
  for (const [name, value] of HAPPY_PARAMETERS) {
    out.push(parameter(name, value));
    out.push(parameter(name, value, true));
    out.push({ type: T.singleConfig, props: parameter(name, value).props });
    out.push({
      type: "azure:postgresql/configuration:Configuration",
      props: parameter(name, value, true).props,
    });
  }
  return out.map((b) => ({ type: b.type, props: clone(b.props) }));
}

const POOL = pool();

/** The compliant resources a resource rule is fuzzed from (never empty). */
export function baselinesFor(rule: Rule): Baseline[] {
  if (rule.kind !== "resource") throw new Error(`${rule.id} is a stack rule; use stackBaseline()`);
  if (FLAGS_EVERY_INSTANCE.has(rule.id)) {
    return POOL.filter((b) => !rule.resourceTypes.includes(b.type)).slice(0, 3);
  }
  const missing = rule.resourceTypes.filter((t) => !POOL.some((b) => b.type === t));
  if (missing.length > 0) {
    throw new Error(
      `no compliant baseline for ${rule.id} on ${missing.join(", ")}: add one to tests/fuzz/baselines.ts`,
    );
  }
  return POOL.filter((b) => rule.resourceTypes.includes(b.type));
}

/** Resources of types a rule covers, for fuzzing its own code paths (also for FLAGS_EVERY_INSTANCE). */
export function coveredSamples(rule: Rule): Baseline[] {
  if (rule.kind !== "resource") return [];
  return POOL.filter((b) => rule.resourceTypes.includes(b.type));
}

/** A compliant stack: a server and a vault with everything every stack rule looks for. */
export const stackBaseline = happyStack;

/** Runs a rule on one view or a stack at its default config. */
export function runRule(
  rule: Rule,
  input: ResourceView | StackResourceView[],
  config = defaultConfig(rule),
): unknown {
  return rule.kind === "resource"
    ? rule.check(input as ResourceView, config)
    : rule.check(input as StackResourceView[], config);
}

/** Every rule, for iteration (the catalogue itself, so new rules are fuzzed automatically). */
export const ALL_RULES: readonly Rule[] = RULES;
