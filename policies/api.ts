// The policy side of the package, for a pack of your own: `zero-trust-azure-postgres/policies`
// (package.json "exports"). It loads @pulumi/policy and the rule catalogue, never @pulumi/azure-native
// or the component, so a policy pack that imports it starts in a fraction of the time the package
// root takes (docs/policy-pack.md has the figures). The package root re-exports the same names.

import { PolicyPack } from "@pulumi/policy";

import { zeroTrustPostgresPolicies, type ZeroTrustPostgresPoliciesArgs } from "./pack";

export {
  zeroTrustPostgresPolicies,
  resolveSettings as resolveZeroTrustPolicySettings,
  type ZeroTrustPostgresPoliciesArgs,
  type ZeroTrustRuleSetting,
} from "./pack";
export { RULES, RULE_IDS, isRuleId, type RuleId, type Level } from "./rules";

/** The pack's name when none is given (the name `policies/` publishes under). */
export const DEFAULT_PACK_NAME = "zero-trust-azure-postgres";

/**
 * The zero-trust PostgreSQL pack with your levels and config, the AWSGuard way:
 *
 * ```ts
 * new ZeroTrustPostgresPolicies({ all: "mandatory", "postgres-tls-min-version": { minimumVersion: "TLSv1.3" } });
 * new ZeroTrustPostgresPolicies("my-org-postgres", { "postgres-ha-zone-redundant": "disabled" });
 * ```
 *
 * Settings are checked against each rule's config schema: an unknown rule id, config key, level or a
 * value outside the schema throws before the pack serves anything. To put our rules beside your own
 * policies in one pack, use {@link zeroTrustPostgresPolicies} instead. Only one PolicyPack may be
 * constructed per process (it starts the gRPC server).
 */
export class ZeroTrustPostgresPolicies extends PolicyPack {
  constructor(args?: ZeroTrustPostgresPoliciesArgs);
  constructor(name: string, args?: ZeroTrustPostgresPoliciesArgs);
  constructor(nameOrArgs?: string | ZeroTrustPostgresPoliciesArgs, args?: ZeroTrustPostgresPoliciesArgs) {
    const name = typeof nameOrArgs === "string" ? nameOrArgs : DEFAULT_PACK_NAME;
    const settings = typeof nameOrArgs === "string" ? args : nameOrArgs;
    super(name, { policies: zeroTrustPostgresPolicies(settings) });
  }
}
