// The component's pre-flight check: it runs the policy catalogue (policies/rules) on the input bags
// it is about to emit, before anything is registered, and refuses what the pack would reject as
// mandatory. One catalogue, two callers: there is no second copy of any rule here, only the mapping
// from a rule to the argument a user would change.
//
// Values not known at construction (Outputs: ids of other children, brought resource ids) are
// replaced by the engine's own unknown-string sentinel, which the rules already treat as "can't judge
// yet" — exactly what the pack sees at preview time.

import * as pulumi from "@pulumi/pulumi";
import { evaluateResource, resolveRule, type StackResourceView } from "../../policies/rules";
import { bindingOf, bindings, componentRefuses, ruleConfigs } from "./binding";
import type { ResolvedConfig } from "./defaults";
import { keyInputs, vaultInputs } from "./encryption";
import { firewallRuleInputs } from "./network";
import { roleAssignmentInputs } from "./rbac";
import { backupVaultInputs } from "./backup-vault";
import { replicaServerInputs } from "./replicas";
import { configurationInputs, parameterList, serverInputs } from "./server-inputs";
import { show } from "./fields";

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
        // A generated name (naming.ts) is unknown until the random suffix exists, as in a first preview.
        serverName: cfg.names.server ?? UNKNOWN,
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
      props: configurationInputs(cfg, parameter, cfg.names.server ?? UNKNOWN),
    });
  }
  cfg.network.firewallRules.forEach((rule, i) =>
    bags.push({
      type: "azure-native:dbforpostgresql:FirewallRule",
      field: `network.firewallRules[${i}]`,
      props: firewallRuleInputs(cfg, rule, cfg.names.server ?? UNKNOWN),
    }),
  );
  // Role assignments at the server's scope, as the pack sees them once the server id is known.
  const serverScope = `/subscriptions/${UNKNOWN}/resourceGroups/${typeof cfg.resourceGroupName === "string" ? cfg.resourceGroupName : UNKNOWN}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${cfg.names.server ?? UNKNOWN}`;
  cfg.roleAssignments.forEach((a, i) =>
    bags.push({
      type: "azure-native:authorization:RoleAssignment",
      field: `roleAssignments[${i}].roleDefinitionId`,
      props: {
        ...roleAssignmentInputs(a, serverScope),
        roleDefinitionId:
          a.roleDefinitionId ?? `/providers/Microsoft.Authorization/roleDefinitions/${a.roleGuid}`,
      },
    }),
  );
  if (cfg.longTermBackup !== undefined)
    bags.push({
      type: "azure-native:dataprotection:BackupVault",
      field: "longTermBackup",
      props: backupVaultInputs(cfg.longTermBackup, cfg.resourceGroupName, cfg.location, cfg.tags),
    });
  const vaults: {
    field: string;
    name: string;
    keyName: string;
    location: pulumi.Input<string> | undefined;
  }[] = [];
  if (cfg.encryption.created) {
    vaults.push({
      field: "encryption",
      name: cfg.names.keyVault ?? UNKNOWN,
      keyName: cfg.encryption.keyName,
      location: cfg.location,
    });
  }
  if (geo?.created)
    vaults.push({
      field: "encryption (geo-backup key)",
      name: cfg.names.geoVault ?? UNKNOWN,
      keyName: geo.keyName,
      location: geo.location,
    });
  // Each replica: its server, and the vault and key created for it in its region.
  cfg.replicas.forEach((r, i) => {
    bags.push({
      type: "azure-native:dbforpostgresql:Server",
      field: `replicas[${i}]`,
      props: replicaServerInputs(r, {
        resourceGroupName: cfg.resourceGroupName,
        serverName: r.serverName ?? UNKNOWN,
        sourceServerResourceId: UNKNOWN,
        identityId: UNKNOWN,
        keyUri: UNKNOWN,
        storage: cfg.storage,
        privateDnsZoneId: UNKNOWN,
        tags: cfg.tags,
      }),
    });
    if (r.keyCreated)
      vaults.push({
        field: `replicas[${i}] (its key)`,
        name: r.keyVaultName ?? UNKNOWN,
        keyName: cfg.encryption.keyName,
        location: r.location,
      });
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

/** The argument behind a rule, with its current value, for messages (from the binding). */
function argumentOf(ruleId: string, cfg: ResolvedConfig, bag: PlannedBag): string {
  const b = bindingOf(ruleId);
  if (b?.argument !== undefined && b.value !== undefined) return `\`${b.argument}\` ${show(b.value(cfg))}`;
  if (bag.field.startsWith("roleAssignments[")) {
    const i = Number(/\[(\d+)\]/.exec(bag.field)?.[1]);
    return `\`${bag.field}\` ${show(cfg.roleAssignments[i]?.roleDefinitionId ?? cfg.roleAssignments[i]?.roleGuid)}`;
  }
  if (bag.field.startsWith("network.firewallRules")) {
    const i = Number(/\[(\d+)\]/.exec(bag.field)?.[1]);
    const r = cfg.network.firewallRules[i];
    return `\`${bag.field}\` ${show(`${r?.startIpAddress}-${r?.endIpAddress}`)}`;
  }
  return `\`${b?.argument ?? bag.field}\``;
}

/** What the pre-flight check found: refusals stop construction; the rest are warnings. */
export interface Verdict {
  errors: string[];
  warnings: string[];
}

/**
 * The component's planned children that stack rules can judge at construction, as the pack would see
 * them at preview: the server and its Entra administrators (linked to it by dependency).
 */
export function plannedStack(cfg: ResolvedConfig, bags = plannedBags(cfg)): StackResourceView[] {
  const server = bags[0];
  const urn = (type: string, n: string) => `urn:pulumi:planned::component::${type}::${n}`;
  const serverUrn = urn(server.type, `${cfg.name}-server`);
  const views: StackResourceView[] = [
    { type: server.type, props: server.props, urn: serverUrn, name: `${cfg.name}-server`, dependencies: [] },
  ];
  for (const admin of cfg.administrators) {
    const type = "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra";
    views.push({
      type,
      urn: urn(type, `${cfg.name}-admin-${admin.objectId}`),
      name: `${cfg.name}-admin-${admin.objectId}`,
      dependencies: [serverUrn],
      props: withPlaceholders({
        resourceGroupName: cfg.resourceGroupName,
        serverName: UNKNOWN,
        objectId: admin.objectId,
        principalName: admin.principalName,
        principalType: admin.principalType,
        tenantId: cfg.tenantId,
      }) as Record<string, unknown>,
    });
  }
  return views;
}

/** Runs the bound rules on every planned bag and planned child. Pure: logs and registers nothing. */
export function preflight(cfg: ResolvedConfig): Verdict {
  const overrides = ruleConfigs(cfg);
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const { rule, binding } of bindings()) {
    const waiver = rule.waiver !== undefined ? overrides[rule.id]?.[rule.waiver] : undefined;
    if (waiver === true)
      warnings.push(
        `[${rule.id}] waived by \`${binding.argument}: true\`: ${rule.description} ${rule.remediation}`,
      );
  }
  // The parameter set validates its own inputs and throws; report that as a refusal.
  let bags: PlannedBag[];
  try {
    bags = plannedBags(cfg);
  } catch (err) {
    return { errors: [(err as Error).message], warnings };
  }
  const seen = new Set<string>();
  const report = (ruleId: string, level: string, line: string) => {
    if (seen.has(line)) return;
    seen.add(line);
    if (level === "disabled") return;
    // "remediate" would make the pack rewrite the resource behind the user's back: refuse it too.
    if (componentRefuses(ruleId)) errors.push(line);
    else warnings.push(line);
  };
  for (const bag of bags) {
    for (const v of evaluateResource({ type: bag.type, props: bag.props }, overrides)) {
      if (bindingOf(v.ruleId) === undefined) continue;
      report(v.ruleId, v.level, `[${v.ruleId}] ${argumentOf(v.ruleId, cfg, bag)}: ${v.message}`);
    }
  }
  const stack = plannedStack(cfg, bags);
  for (const { rule, binding } of bindings()) {
    if (rule.kind !== "stack" || !binding.atConstruction) continue;
    const { level, config } = resolveRule(rule, overrides);
    for (const v of rule.check(stack, config)) {
      const arg =
        binding.argument !== undefined ? `\`${binding.argument}\` ${show(binding.value?.(cfg))}` : "";
      report(rule.id, level, `[${rule.id}] ${arg}: ${v.message}`);
    }
  }
  return { errors, warnings };
}
