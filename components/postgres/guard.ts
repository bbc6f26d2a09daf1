// The component's pre-flight check: it runs the policy catalogue (policies/rules) on the input bags
// it is about to emit, before anything is registered, and refuses what the pack would reject as
// mandatory. One catalogue, two callers: there is no second copy of any rule here, only the mapping
// from a rule to the argument a user would change.
//
// Values not known at construction (Outputs: ids of other children, brought resource ids) are
// replaced by the engine's own unknown-string sentinel, which the rules already treat as "can't judge
// yet" — exactly what the pack sees at preview time.

import * as pulumi from "@pulumi/pulumi";
import { evaluateResource } from "../../policies/rules";
import type { ResolvedConfig } from "./defaults";
import { keyInputs, vaultInputs } from "./encryption";
import { firewallRuleInputs } from "./network";
import { configurationInputs, parameterList, serverInputs } from "./server-inputs";
import { show } from "./validate";

/** The engine's unknown-string sentinel (pulumi/sdk go/common/resource/plugin/rpc.go). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One input bag the component will emit, with the argument path that shaped it. */
export interface PlannedBag {
  type: string;
  /** Argument path a user changes to change this bag, e.g. `network.firewallRules[0]`. */
  field: string;
  props: Record<string, unknown>;
}

/** Deep copy with Outputs and Promises replaced by {@link UNKNOWN} and `undefined` dropped. */
export function withPlaceholders(v: unknown): unknown {
  if (pulumi.Output.isInstance(v) || v instanceof Promise) return UNKNOWN;
  if (Array.isArray(v)) return v.map(withPlaceholders);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined) out[k] = withPlaceholders(x);
    }
    return out;
  }
  return v;
}

/** A bag before placeholders are applied. */
interface DraftBag {
  type: string;
  field: string;
  props: object;
}

/** Every bag the rules judge one at a time: the server, its parameters and firewall rules, vaults, keys. */
export function plannedBags(cfg: ResolvedConfig): PlannedBag[] {
  const geo = cfg.encryption.geo;
  const bags: DraftBag[] = [
    {
      type: "azure-native:dbforpostgresql:Server",
      field: "args",
      props: serverInputs(cfg, {
        primaryIdentityId: UNKNOWN,
        primaryKeyUri: UNKNOWN,
        geoIdentityId: geo ? UNKNOWN : undefined,
        geoKeyUri: geo ? UNKNOWN : undefined,
        delegatedSubnetId: UNKNOWN,
        privateDnsZoneId: UNKNOWN,
        administratorPassword: cfg.allowPasswordAuth ? UNKNOWN : undefined,
      }),
    },
  ];
  for (const parameter of parameterList(cfg)) {
    bags.push({
      type: "azure-native:dbforpostgresql:Configuration",
      field: `server parameter ${parameter.name}`,
      props: configurationInputs(cfg, parameter, cfg.serverName),
    });
  }
  cfg.network.firewallRules.forEach((rule, i) =>
    bags.push({
      type: "azure-native:dbforpostgresql:FirewallRule",
      field: `network.firewallRules[${i}]`,
      props: firewallRuleInputs(cfg, rule, cfg.serverName),
    }),
  );
  const vaults: {
    field: string;
    name: string;
    keyName: string;
    location: pulumi.Input<string> | undefined;
  }[] = [];
  if (cfg.encryption.created) {
    vaults.push({
      field: "encryption",
      name: cfg.encryption.keyVaultName,
      keyName: cfg.encryption.keyName,
      location: cfg.location,
    });
  }
  if (geo?.created)
    vaults.push({
      field: "encryption (geo-backup key)",
      name: geo.vaultName,
      keyName: geo.keyName,
      location: geo.location,
    });
  for (const v of vaults) {
    bags.push({
      type: "azure-native:keyvault:Vault",
      field: v.field,
      props: vaultInputs(cfg, v.name, v.location),
    });
    bags.push({
      type: "azure-native:keyvault:Key",
      field: v.field,
      props: keyInputs(cfg, v.name, v.keyName),
    });
  }
  return bags.map((b) => ({ ...b, props: withPlaceholders(b.props) as Record<string, unknown> }));
}

/** The argument behind each rule the user can influence, with its current value, for messages. */
function argumentOf(ruleId: string, cfg: ResolvedConfig, bag: PlannedBag): string {
  const fields: Record<string, [string, unknown]> = {
    "postgres-no-public-network-access": ["network.allowPublicAccess", cfg.network.allowPublicAccess],
    "postgres-entra-only-auth": ["allowPasswordAuth", cfg.allowPasswordAuth],
    "postgres-backup-retention": ["backup.retentionDays", cfg.backup.retentionDays],
    "postgres-geo-redundant-backup": ["backup.geoRedundantBackup", cfg.backup.geoRedundantBackup],
    "postgres-geo-backup-cmk-key": ["encryption.geoBackupLocation", cfg.encryption.geo?.location],
    "postgres-ha-zone-redundant": ["highAvailability", cfg.highAvailability.mode],
    "postgres-allowed-versions": ["version", cfg.version],
    "postgres-tls-min-version": ["minimumTlsVersion", cfg.minimumTlsVersion],
    "postgres-pgaudit-enabled": ["monitoring.pgauditLog", cfg.monitoring.pgauditLog],
    "postgres-log-retention": ["monitoring.logRetentionDays", cfg.monitoring.logRetentionDays],
    "keyvault-key-strength": ["encryption.keySize", `${cfg.encryption.keyType} ${cfg.encryption.keySize}`],
    "keyvault-key-hsm-backed": ["encryption.keyType", cfg.encryption.keyType],
    "keyvault-key-rotation-policy": [
      "encryption.keyExpiryDays/keyRotationDays",
      `${cfg.encryption.keyExpiryDays}/${cfg.encryption.keyRotationDays}`,
    ],
  };
  const f = fields[ruleId];
  if (f) return `\`${f[0]}\` ${show(f[1])}`;
  if (bag.field.startsWith("network.firewallRules")) {
    const i = Number(/\[(\d+)\]/.exec(bag.field)?.[1]);
    const r = cfg.network.firewallRules[i];
    return `\`${bag.field}\` ${show(`${r?.startIpAddress}-${r?.endIpAddress}`)}`;
  }
  return `\`${bag.field}\``;
}

/** Rule waivers the user set, passed to the catalogue as the rule's own waiver config. */
export function ruleOverrides(cfg: ResolvedConfig): Record<string, Record<string, unknown>> {
  const overrides: Record<string, Record<string, unknown>> = {
    "firewall-no-open-ranges": { minimumPrefixLength: cfg.network.firewallMinimumPrefixLength },
  };
  if (cfg.network.allowPublicAccess)
    overrides["postgres-no-public-network-access"] = { allowPublicAccess: true };
  if (cfg.allowPasswordAuth) overrides["postgres-entra-only-auth"] = { allowPasswordAuth: true };
  return overrides;
}

/** What the pre-flight check found: mandatory violations refuse construction; the rest are warnings. */
export interface Verdict {
  errors: string[];
  warnings: string[];
}

/** Runs the catalogue on every planned bag. Pure: logs nothing and registers nothing. */
export function preflight(cfg: ResolvedConfig): Verdict {
  const overrides = ruleOverrides(cfg);
  const errors: string[] = [];
  const warnings: string[] = [];
  if (cfg.network.allowPublicAccess) {
    warnings.push(
      "[postgres-no-public-network-access] waived by `network.allowPublicAccess: true`: the server has a public endpoint, limited to `network.firewallRules`. Prefer the private endpoint.",
    );
  }
  if (cfg.allowPasswordAuth) {
    warnings.push(
      "[postgres-entra-only-auth] waived by `allowPasswordAuth: true`: password login is on. The generated password is a secret output; prefer Entra tokens.",
    );
  }
  const seen = new Set<string>();
  for (const bag of plannedBags(cfg)) {
    for (const v of evaluateResource({ type: bag.type, props: bag.props }, overrides)) {
      const line = `[${v.ruleId}] ${argumentOf(v.ruleId, cfg, bag)}: ${v.message}`;
      if (seen.has(line)) continue;
      seen.add(line);
      // "remediate" would make the pack rewrite the resource behind the user's back: refuse it too.
      if (v.level === "mandatory" || v.level === "remediate") errors.push(line);
      else if (v.level !== "disabled") warnings.push(line);
    }
  }
  return { errors, warnings };
}
