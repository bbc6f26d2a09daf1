// The shape of the zero-trust rule catalogue. One catalogue, three callers: the CrossGuard pack
// (policies/index.ts), the component (which refuses what a mandatory rule would flag) and the docs
// generator. Everything here is pure: no Pulumi engine imports, so importing a rule never starts a
// gRPC server and costs nothing at pack start-up.

/** CrossGuard enforcement levels, as strings so this file needs no @pulumi/policy import. */
export type Level = "advisory" | "mandatory" | "remediate" | "disabled";

/** A JSON-schema property of a rule's config. Its `default` is the one place a threshold's default lives. */
export interface ConfigProperty {
  type: "number" | "integer" | "string" | "boolean" | "array";
  description: string;
  default?: unknown;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  items?: { type: "string" | "number"; enum?: readonly string[] };
}

/** Where a rule comes from. */
export interface RuleReferences {
  /** Section of a seed document, e.g. "000 §2 Restrict Public Network Access" or "003 Access Control". */
  seed: string;
  /** Azure Policy built-in definition id (GUID) where one exists (../shared/reference/azure-policy-builtins/INDEX.tsv). */
  azurePolicyId?: string;
  /** CIS Microsoft Azure Foundations Benchmark control, where one maps. */
  cis?: string;
  /** Microsoft cloud security benchmark control, where one maps. */
  mcsb?: string;
  /** Upstream docs or issues worth reading. */
  links?: string[];
  /**
   * How the rule's threshold compares with the cited Azure Policy built-in and CIS control: the same,
   * stricter or weaker, and why. Required when `azurePolicyId` or `cis` is set; the rules reference
   * shows it, and tests/policies/references.test.ts reads each cited built-in's parameters and checks
   * the comparison against them.
   */
  comparison?: string;
}

/**
 * Where the value an unset property takes comes from (sources read 2026-11-30):
 * - "api-spec": the azure-rest-api-specs file and property, e.g.
 *   "specification/keyvault/…/2024-11-01/keyvault.json `VaultProperties.enableSoftDelete` (default true)".
 *   Whether the spec declares a `default` was checked against the ARM template schemas generated from it
 *   (../shared/reference/azure-arm-types/arm-template-schemas).
 * - "provider-docs": the azure-native SDK (its generated `…ArgsProvideDefaults` functions fill a default
 *   before the request is sent) or the azurerm/classic provider's documented default, which decides the
 *   deployed value for classic `azure:` tokens.
 * - "learn": a Microsoft Learn page (https://learn.microsoft.com/…) documenting what Azure applies when the
 *   spec declares no default.
 * - "not-set": nothing declares or documents a default; the rule treats the value as not set and `ref`
 *   says what it then decides.
 */
export interface UnsetSource {
  kind: "api-spec" | "provider-docs" | "learn" | "not-set";
  ref: string;
}

interface RuleBase<Id extends string = string> {
  /**
   * kebab-case, descriptive, stable: it is the pack's policy name and the SARIF ruleId. Declare each
   * rule with its literal id (`ResourceRule<"postgres-…">`) so `RuleId` stays a union of literals.
   */
  id: Id;
  /** Short title for tables. */
  title: string;
  /** One sentence: "PostgreSQL flexible servers must …". */
  description: string;
  enforcementLevel: Level;
  /** Config schema properties (without `enforcementLevel`, which every policy has). */
  config: Record<string, ConfigProperty>;
  /** What to change, in words a user can act on. */
  remediation: string;
  references: RuleReferences;
  /** What an unset property means for this rule (the provider default) and what the rule decides about it. */
  unsetMeans: string;
  /**
   * Where the default in `unsetMeans` comes from, one entry per source (at least one). Rendered in the
   * rules reference next to "Unset means"; tests/policies/unset-sources.test.ts checks each entry's form.
   */
  unsetSource: readonly UnsetSource[];
  /**
   * Rules that judge a PostgreSQL server: what the rule decides for a read replica (`createMode:
   * "Replica"`, classic `createMode = "Replica"`) and why, from Microsoft Learn's read replica page. The
   * rules reference shows it; tests/policies/replicas.test.ts holds each rule to it.
   */
  replica?: string;
  /**
   * The config key that waives the rule, if any (e.g. `allowPublicAccess`). The component exposes the
   * same switch under the same name; when it is set the rule passes and the component logs a warning.
   */
  waiver?: string;
}

/** Rule config after defaults are applied: property name → value. */
export type RuleConfig = Record<string, unknown>;

/** A resource as the rules see it: its type token and its input properties. */
export interface ResourceView {
  type: string;
  /** Input properties exactly as the engine passes them (may be a proxy that throws on unknown values). */
  props: Record<string, unknown>;
  urn?: string;
  name?: string;
}

/** A rule over one resource at a time. */
export interface ResourceRule<Id extends string = string> extends RuleBase<Id> {
  kind: "resource";
  /** Every type token the rule covers (azure-native, retired single server, classic `azure:`). */
  resourceTypes: readonly string[];
  /** Returns one message per violation; empty when compliant. Never throws for odd shapes. */
  check(resource: ResourceView, config: RuleConfig): string[];
  /** The fixed properties when a safe automatic fix exists, else undefined. */
  remediate?(resource: ResourceView, config: RuleConfig): Record<string, unknown> | undefined;
}

/** A resource inside a stack, as stack rules see it. */
export interface StackResourceView extends ResourceView {
  urn: string;
  name: string;
  /** URNs this resource depends on (property and explicit dependencies). */
  dependencies: readonly string[];
  /** Parent URN, if any. */
  parent?: string;
  /** Cloud id once known (AnalyzeStack after an update; audit of an export). */
  id?: string;
  /** Output properties, when known (audit of an export); rules may fall back to them. */
  outputs?: Record<string, unknown>;
}

/** One violation from a stack rule, attached to a resource when there is one. */
export interface StackViolation {
  urn?: string;
  message: string;
}

/** A rule over the whole stack. Must run in linear time: index once, then look up. */
export interface StackRule<Id extends string = string> extends RuleBase<Id> {
  kind: "stack";
  check(resources: readonly StackResourceView[], config: RuleConfig): StackViolation[];
}

export type Rule<Id extends string = string> = ResourceRule<Id> | StackRule<Id>;
