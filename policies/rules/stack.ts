// Rules that span resources. They share one index per resources array (cached in a WeakMap), built
// in a single pass, so every stack rule runs in linear time.
//
// Linking a child (private endpoint, diagnostic setting, administrator, lock, …) to its server or vault:
//   (a) an input that equals the target's id or names it as an ARM id prefix (resourceUri, scope,
//       privateLinkServiceId, serverId, targetResourceId, …);
//   (b) names: `serverName` + `resourceGroupName` inputs, or the resource group and name parsed out of
//       an ARM id (so a child that references `/subscriptions/…/flexibleServers/db1` finds `db1` even
//       when the server's id is not known);
//   (c) when (a) and (b) find nothing in the stack (typically at preview, where ids are unknown), the
//       child's dependencies and parent: a child that depends on a server's URN belongs to it.
//
// Stack rules read unwrapped props: unknown values are the engine's sentinel strings and count as
// "set, can't judge", never as missing.

import { REPLICA_JUDGED, isReplica, lead, passwordAuthOn, usesDelegatedSubnet } from "./postgres";
import { AZURE_POLICY, CIS, SEED_000, SEED_003 } from "./refs";
import { familyOfType, isClassic, isType, type TokenFamily } from "./tokens";
import type { StackResourceView, StackRule, StackViolation } from "./types";
import { blocks, bool, eqi, get, isSet, isUnknown, items, lower } from "./util";

type Family = "server" | "vault" | "endpoint";

/** Links from a target (server, vault, endpoint) URN to the children that point at it. */
type Links = Map<string, StackResourceView[]>;

export interface StackIndex {
  byUrn: Map<string, StackResourceView>;
  /** PostgreSQL servers (flexible and single, both providers), in stack order. */
  servers: StackResourceView[];
  vaults: StackResourceView[];
  /** Private endpoints that target a server. */
  serverEndpoints: Links;
  /** Private endpoints that target a key vault's `vault` sub-resource. */
  vaultEndpoints: Links;
  /** Private DNS zone groups by endpoint URN. */
  zoneGroups: Links;
  diagnostics: Links;
  admins: Links;
  threatProtection: Links;
  locks: Links;
  /** Flexible server parameters (azure-native Configuration, classic FlexibleServerConfiguration) by server URN. */
  parameters: Links;
  /** Firewall rules (flexible and single, both providers) by server URN. */
  firewallRules: Links;
  /** Lower-cased resource groups under a CanNotDelete/ReadOnly lock. */
  lockedResourceGroups: Set<string>;
  /** A Defender for open-source relational databases plan at Standard covers every server. */
  defenderPlan: boolean;
}

const ARM_PATTERNS: Record<Family, RegExp> = {
  server:
    /\/resourcegroups\/([^/]+)\/providers\/microsoft\.dbforpostgresql\/(?:flexibleservers|servers)\/([^/]+)/,
  vault: /\/resourcegroups\/([^/]+)\/providers\/microsoft\.keyvault\/vaults\/([^/]+)/,
  endpoint: /\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/privateendpoints\/([^/]+)/,
};

function familyOf(r: StackResourceView): Family | undefined {
  if (isType(r.type, "flexibleServer", "singleServer")) return "server";
  if (isType(r.type, "keyVault")) return "vault";
  if (isType(r.type, "privateEndpoint")) return "endpoint";
  return undefined;
}

/** A known (non-sentinel) string, lower-cased and trimmed. */
export function known(v: unknown): string | undefined {
  return typeof v === "string" && !isUnknown(v) && v.trim() !== "" ? v.trim().toLowerCase() : undefined;
}

/** The resource's name as Azure sees it (not the Pulumi name). */
export function azureName(r: StackResourceView, family: Family): string | undefined {
  const prop = isClassic(r.type)
    ? "name"
    : family === "server"
      ? "serverName"
      : family === "vault"
        ? "vaultName"
        : "privateEndpointName";
  // After an update AnalyzeStack sends outputs, where azure-native reports the Azure name as `name`.
  return known(get(r.props, prop)) ?? known(get(r.outputs, "name")) ?? known(get(r.props, "name"));
}

export function resourceGroupOf(r: StackResourceView): string | undefined {
  return known(get(r.props, "resourceGroupName")) ?? known(get(r.outputs, "resourceGroupName"));
}

function idOf(r: StackResourceView): string | undefined {
  return known(r.id) ?? known(get(r.outputs, "id")) ?? known(get(r.props, "id"));
}

class Indexer {
  readonly byUrn = new Map<string, StackResourceView>();
  private readonly byId = new Map<string, StackResourceView>();
  private readonly byName = new Map<string, StackResourceView>();

  add(r: StackResourceView, family: Family | undefined): void {
    if (typeof r.urn === "string") this.byUrn.set(r.urn, r);
    if (!family) return;
    const id = idOf(r);
    if (id) this.byId.set(id, r);
    const rg = resourceGroupOf(r);
    const name = azureName(r, family);
    if (rg && name) this.byName.set(`${family}|${rg}|${name}`, r);
  }

  byRgName(family: Family, rg: unknown, name: unknown): StackResourceView | undefined {
    const g = known(rg);
    const n = known(name);
    return g && n ? this.byName.get(`${family}|${g}|${n}`) : undefined;
  }

  /** Resolves an id-valued input; "unknown" when it can't be known yet. */
  resolve(ref: unknown, family: Family): StackResourceView | "unknown" | undefined {
    if (typeof ref !== "string") return undefined;
    if (isUnknown(ref) || ref.includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9")) return "unknown";
    const s = ref.trim().toLowerCase();
    const exact = this.byId.get(s);
    if (exact && familyOf(exact) === family) return exact;
    const m = ARM_PATTERNS[family].exec(s);
    if (!m) return undefined;
    const prefix = this.byId.get(s.slice(0, m.index + m[0].length));
    if (prefix && familyOf(prefix) === family) return prefix;
    return this.byName.get(`${family}|${m[1]}|${m[2]}`);
  }

  /** Targets of the family the resource depends on or is parented under. */
  viaDependencies(r: StackResourceView, family: Family): StackResourceView[] {
    const out: StackResourceView[] = [];
    const deps = Array.isArray(r.dependencies) ? r.dependencies : [];
    for (const urn of r.parent ? [...deps, r.parent] : deps) {
      const t = typeof urn === "string" ? this.byUrn.get(urn) : undefined;
      if (t && t !== r && familyOf(t) === family && !out.includes(t)) out.push(t);
    }
    return out;
  }

  /** Links a child by its id-valued inputs and names, falling back to dependencies. */
  targets(
    r: StackResourceView,
    family: Family,
    refs: unknown[],
    named?: StackResourceView,
  ): StackResourceView[] {
    const found: StackResourceView[] = [];
    if (named) found.push(named);
    for (const ref of refs) {
      const t = this.resolve(ref, family);
      if (t && t !== "unknown" && !found.includes(t)) found.push(t);
    }
    return found.length > 0 ? found : this.viaDependencies(r, family);
  }
}

function push(links: Links, target: StackResourceView, child: StackResourceView): void {
  const list = links.get(target.urn);
  if (list) list.push(child);
  else links.set(target.urn, [child]);
}

/** Values of `key` in each element of a list (or a single classic block). */
function fieldOf(list: unknown, key: string): unknown[] {
  return blocks(list).map((b) => get(b, key));
}

/** "a/b" types with "x/y" names interleave into "a/x/b/y" (ARM nested resources). */
function armPath(parent: unknown, type: unknown, name: unknown): string {
  const p = known(parent) ?? "";
  const t = (known(type) ?? "").split("/");
  const n = (known(name) ?? "").split("/");
  const tail = t.length === n.length && t.length > 1 ? t.flatMap((x, i) => [x, n[i]]) : [...t, ...n];
  return [p, ...tail].filter((s) => s !== "").join("/");
}

const LOCK_LEVELS = new Set(["cannotdelete", "readonly"]);

/** The token families indexStack links to a server, vault or endpoint (one branch each below). */
const LINKED: ReadonlySet<TokenFamily> = new Set<TokenFamily>([
  "configuration",
  "firewallRule",
  "singleServerFirewallRule",
  "privateEndpoint",
  "privateDnsZoneGroup",
  "diagnosticSetting",
  "entraAdministrator",
  "genericResource",
  "advancedThreatProtection",
  "defenderPricing",
  "resourceLock",
  "resourceGroupLock",
]);

const cache = new WeakMap<readonly StackResourceView[], StackIndex>();

/** The shared index of a resources array, built once in one pass and cached. */
export function indexStack(resources: readonly StackResourceView[]): StackIndex {
  const hit = cache.get(resources);
  if (hit) return hit;
  const ix = new Indexer();
  const list = Array.isArray(resources) ? resources.filter((r) => typeof r === "object" && r !== null) : [];
  const servers: StackResourceView[] = [];
  const vaults: StackResourceView[] = [];
  for (const r of list) {
    const f = familyOf(r);
    ix.add(r, f);
    if (f === "server") servers.push(r);
    if (f === "vault") vaults.push(r);
  }
  const index: StackIndex = {
    byUrn: ix.byUrn,
    servers,
    vaults,
    serverEndpoints: new Map(),
    vaultEndpoints: new Map(),
    zoneGroups: new Map(),
    diagnostics: new Map(),
    admins: new Map(),
    threatProtection: new Map(),
    locks: new Map(),
    parameters: new Map(),
    firewallRules: new Map(),
    lockedResourceGroups: new Set(),
    defenderPlan: false,
  };
  for (const r of list) {
    // Only the types linked below read properties.
    const linked = familyOfType(r.type);
    if (linked === undefined || !LINKED.has(linked)) continue;
    const p = r.props;
    if (isType(r.type, "configuration", "firewallRule", "singleServerFirewallRule")) {
      // azure-native: serverName + resourceGroupName; classic: serverId (an ARM id).
      const named = ix.byRgName("server", get(p, "resourceGroupName"), get(p, "serverName"));
      const links = isType(r.type, "configuration") ? index.parameters : index.firewallRules;
      for (const t of ix.targets(r, "server", [get(p, "serverId")], named)) push(links, t, r);
    } else if (isType(r.type, "privateEndpoint")) {
      const refs = isClassic(r.type)
        ? fieldOf(get(p, "privateServiceConnection"), "privateConnectionResourceId")
        : [
            ...fieldOf(get(p, "privateLinkServiceConnections"), "privateLinkServiceId"),
            ...fieldOf(get(p, "manualPrivateLinkServiceConnections"), "privateLinkServiceId"),
          ];
      for (const t of ix.targets(r, "server", refs)) push(index.serverEndpoints, t, r);
      // A vault endpoint names the vault by id and the `vault` group (classic `subresourceNames`).
      const groups = isClassic(r.type)
        ? fieldOf(get(p, "privateServiceConnection"), "subresourceNames")
        : [
            ...fieldOf(get(p, "privateLinkServiceConnections"), "groupIds"),
            ...fieldOf(get(p, "manualPrivateLinkServiceConnections"), "groupIds"),
          ];
      const vaultGroup = groups.some(
        (g) => isUnknown(g) || items(g).some((x) => isUnknown(x) || eqi(x, "vault")),
      );
      if (vaultGroup) {
        const vaults = refs.map((ref) => ix.resolve(ref, "vault")).filter((t) => t !== undefined);
        const found = vaults.filter((t): t is StackResourceView => t !== "unknown");
        const targets = found.length > 0 ? found : ix.viaDependencies(r, "vault");
        for (const t of targets) push(index.vaultEndpoints, t, r);
      }
    } else if (isType(r.type, "privateDnsZoneGroup")) {
      const named = ix.byRgName("endpoint", get(p, "resourceGroupName"), get(p, "privateEndpointName"));
      for (const t of ix.targets(r, "endpoint", [], named)) push(index.zoneGroups, t, r);
    } else if (isType(r.type, "diagnosticSetting")) {
      const ref = isClassic(r.type) ? get(p, "targetResourceId") : get(p, "resourceUri");
      for (const fam of ["server", "vault"] as const) {
        for (const t of ix.targets(r, fam, [ref])) push(index.diagnostics, t, r);
      }
    } else if (isType(r.type, "entraAdministrator")) {
      const named = ix.byRgName("server", get(p, "resourceGroupName"), get(p, "serverName"));
      for (const t of ix.targets(r, "server", [get(p, "serverId")], named)) push(index.admins, t, r);
    } else if (isType(r.type, "genericResource")) {
      if (!eqi(get(p, "resourceProviderNamespace"), "Microsoft.DBforPostgreSQL")) continue;
      const path = armPath(get(p, "parentResourcePath"), get(p, "resourceType"), get(p, "resourceName"));
      const m = /(?:^|\/)flexibleservers\/([^/]+)\/advancedthreatprotectionsettings(?:\/|$)/.exec(path);
      if (!m && !path.includes("advancedthreatprotectionsettings")) continue;
      const named = m ? ix.byRgName("server", get(p, "resourceGroupName"), m[1]) : undefined;
      for (const t of ix.targets(r, "server", [], named)) push(index.threatProtection, t, r);
    } else if (isType(r.type, "advancedThreatProtection")) {
      const ref = isClassic(r.type) ? get(p, "targetResourceId") : get(p, "resourceId");
      for (const t of ix.targets(r, "server", [ref])) push(index.threatProtection, t, r);
    } else if (isType(r.type, "defenderPricing")) {
      const plan = isClassic(r.type) ? get(p, "resourceType") : get(p, "pricingName");
      const tier = isClassic(r.type) ? get(p, "tier") : get(p, "pricingTier");
      if (eqi(plan, "OpenSourceRelationalDatabases") && (eqi(tier, "Standard") || isUnknown(tier)))
        index.defenderPlan = true;
    } else if (isType(r.type, "resourceLock")) {
      const level = lower(isClassic(r.type) ? get(p, "lockLevel") : get(p, "level"));
      if (!(level !== undefined && (LOCK_LEVELS.has(level) || isUnknown(level)))) continue;
      if (r.type === "azure-native:authorization:ManagementLockAtResourceLevel") {
        const ns = lower(get(p, "resourceProviderNamespace"));
        const type = lower(get(p, "resourceType"));
        const fam: Family | undefined =
          ns === "microsoft.dbforpostgresql" && (type === "flexibleservers" || type === "servers")
            ? "server"
            : ns === "microsoft.keyvault" && type === "vaults"
              ? "vault"
              : undefined;
        if (!fam) continue;
        const named = ix.byRgName(fam, get(p, "resourceGroupName"), get(p, "resourceName"));
        for (const t of ix.targets(r, fam, [], named)) push(index.locks, t, r);
      } else {
        for (const fam of ["server", "vault"] as const) {
          for (const t of ix.targets(r, fam, [get(p, "scope")])) push(index.locks, t, r);
        }
      }
    } else if (isType(r.type, "resourceGroupLock")) {
      const level = lower(get(p, "level"));
      const rg = known(get(p, "resourceGroupName"));
      if (rg && level !== undefined && LOCK_LEVELS.has(level)) index.lockedResourceGroups.add(rg);
    }
  }
  cache.set(resources, index);
  return index;
}

// ---- Rules

function violation(r: StackResourceView, message: string): StackViolation {
  return { urn: r.urn, message };
}

export { isReplica };

export function label(r: StackResourceView): string {
  return `${r.type} "${typeof r.name === "string" ? r.name : ""}"`;
}

export const privateConnectivity: StackRule<"postgres-private-connectivity"> = {
  kind: "stack",
  id: "postgres-private-connectivity",
  title: "Private endpoint or VNet integration",
  description:
    "PostgreSQL servers must be reachable only privately, through a private endpoint that targets them or through VNet integration.",
  enforcementLevel: "mandatory",
  replica: REPLICA_JUDGED,
  config: {},
  remediation:
    'Add a private endpoint (groupId "postgresqlServer") whose `privateLinkServiceConnections[].privateLinkServiceId` is the server id, with the `privatelink.postgres.database.azure.com` zone, or create the server in a subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers.',
  references: {
    comparison:
      "Same as Azure Policy 5375a5bb (a private endpoint), and also accepts VNet integration, which has no public endpoint; no threshold.",
    seed: `${SEED_000.publicAccess}; ${SEED_003.network}`,
    azurePolicyId: AZURE_POLICY.flexPrivateEndpoint,
    mcsb: "NS-2",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `Network.delegatedSubnetResourceId` (no default)",
    },
    {
      kind: "not-set",
      ref: "No delegated subnet and no private endpoint in the stack is treated as no private path and flagged.",
    },
  ],
  unsetMeans:
    "A server with no delegated subnet and no private endpoint in the stack is flagged. Endpoints are linked by id, by name and resource group parsed from the id, or by dependency when the id is not known yet.",
  check(resources) {
    const ix = indexStack(resources);
    const out: StackViolation[] = [];
    for (const s of ix.servers) {
      if (isType(s.type, "flexibleServer") && usesDelegatedSubnet(s)) continue;
      if ((ix.serverEndpoints.get(s.urn)?.length ?? 0) > 0) continue;
      out.push(
        violation(
          s,
          `${lead(privateConnectivity)}: ${label(s)} has no delegated subnet and no private endpoint targets it. Add a private endpoint whose privateLinkServiceId is the server's id, or use VNet integration.`,
        ),
      );
    }
    return out;
  },
};

export const endpointDnsZoneGroup: StackRule<"private-endpoint-dns-zone-group"> = {
  kind: "stack",
  id: "private-endpoint-dns-zone-group",
  title: "Private endpoint DNS zone group",
  description:
    "Private endpoints of PostgreSQL servers should register in a private DNS zone through a DNS zone group.",
  enforcementLevel: "advisory",
  config: {},
  remediation:
    "Add a `PrivateDnsZoneGroup` on the endpoint pointing at the `privatelink.postgres.database.azure.com` zone (classic: the endpoint's `privateDnsZoneGroup` block), so clients resolve the private address.",
  references: { seed: `${SEED_003.network}; ${SEED_000.publicAccess}` },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/private-link/private-endpoint-dns (without a DNS zone group, clients resolve the public name unless DNS is configured elsewhere)",
    },
  ],
  unsetMeans: "An endpoint with no zone group leaves DNS to the client and is flagged.",
  check(resources) {
    const ix = indexStack(resources);
    const out: StackViolation[] = [];
    const seen = new Set<string>();
    for (const endpoints of ix.serverEndpoints.values()) {
      for (const pe of endpoints) {
        if (seen.has(pe.urn)) continue;
        seen.add(pe.urn);
        if (isClassic(pe.type) && blocks(get(pe.props, "privateDnsZoneGroup")).length > 0) continue;
        if ((ix.zoneGroups.get(pe.urn)?.length ?? 0) > 0) continue;
        out.push(
          violation(
            pe,
            `${lead(endpointDnsZoneGroup)}: ${label(pe)} has no DNS zone group. Add a PrivateDnsZoneGroup for privatelink.postgres.database.azure.com.`,
          ),
        );
      }
    }
    return out;
  },
};

/** What a diagnostic setting sends: a destination and at least one enabled log category or group. */
function diagnosticFacts(d: StackResourceView): {
  workspace: boolean;
  anyDestination: boolean;
  enabledLog: boolean;
} {
  const p = d.props;
  const classic = isClassic(d.type);
  const workspace = isSet(get(p, classic ? "logAnalyticsWorkspaceId" : "workspaceId"));
  const other = classic
    ? ["storageAccountId", "eventhubAuthorizationRuleId", "partnerSolutionId"]
    : ["storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"];
  const anyDestination = workspace || other.some((k) => isSet(get(p, k)));
  const named = (l: unknown) => isSet(get(l, "category")) || isSet(get(l, "categoryGroup"));
  const enabledLog =
    isUnknown(get(p, "logs")) ||
    isUnknown(get(p, "enabledLogs")) ||
    items(get(p, "logs")).some((l) => {
      const en = get(l, "enabled");
      return (bool(en) === true || isUnknown(en)) && named(l);
    }) ||
    (classic && items(get(p, "enabledLogs")).some(named));
  return { workspace, anyDestination, enabledLog };
}

export const serverDiagnostics: StackRule<"postgres-diagnostic-settings"> = {
  kind: "stack",
  id: "postgres-diagnostic-settings",
  title: "Server diagnostic settings",
  description:
    "PostgreSQL servers must send enabled logs to a Log Analytics workspace through a diagnostic setting.",
  enforcementLevel: "mandatory",
  replica: REPLICA_JUDGED,
  config: {},
  remediation:
    'Add a diagnostic setting with `resourceUri` = the server id, `workspaceId` = a Log Analytics workspace, and `logs: [{ categoryGroup: "allLogs", enabled: true }]` (classic: `targetResourceId`, `logAnalyticsWorkspaceId`, `enabledLogs`).',
  references: {
    comparison:
      "Same as Azure Policy 78ed47da with its defaults (`logsEnabled` true to the `logAnalytics` workspace, `metricsEnabled` false); `profileName` is not checked.",
    seed: `${SEED_000.monitor}; ${SEED_003.auditing}`,
    azurePolicyId: AZURE_POLICY.flexDiagnostics,
    mcsb: "LT-3",
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings (resource logs are not collected until a diagnostic setting routes them)",
    },
    { kind: "not-set", ref: "No diagnostic setting in the stack is treated as none and flagged." },
  ],
  unsetMeans:
    "No diagnostic setting means no server logs leave the server and is flagged; a setting without a workspace or with every log disabled is flagged too. Values not known yet count as set.",
  check(resources) {
    const ix = indexStack(resources);
    const out: StackViolation[] = [];
    for (const s of ix.servers) {
      const settings = ix.diagnostics.get(s.urn) ?? [];
      const facts = settings.map(diagnosticFacts);
      if (facts.some((f) => f.workspace && f.enabledLog)) continue;
      const why =
        settings.length === 0
          ? "has no diagnostic setting"
          : !facts.some((f) => f.workspace)
            ? "has a diagnostic setting without a Log Analytics workspace (workspaceId)"
            : "has a diagnostic setting with no enabled log";
      out.push(
        violation(
          s,
          `${lead(serverDiagnostics)}: ${label(s)} ${why}. Add a diagnostic setting with workspaceId and logs [{ categoryGroup: "allLogs", enabled: true }].`,
        ),
      );
    }
    return out;
  },
};

export const vaultDiagnostics: StackRule<"keyvault-diagnostic-settings"> = {
  kind: "stack",
  id: "keyvault-diagnostic-settings",
  title: "Key Vault diagnostic settings",
  description: "Key vaults should send their audit logs somewhere through a diagnostic setting.",
  enforcementLevel: "advisory",
  config: {},
  remediation:
    'Add a diagnostic setting on the vault with a destination (preferably `workspaceId`) and `logs: [{ categoryGroup: "audit", enabled: true }]` or `allLogs`.',
  references: {
    comparison:
      "Weaker than Azure Policy cf820ca0 and CIS 6.1.4: the built-in's `requiredRetentionDays` (365) is not checked here; retention is judged where logs land (log-analytics-audit-retention for the component's workspace).",
    seed: `${SEED_000.monitor}; ${SEED_003.auditing}`,
    azurePolicyId: AZURE_POLICY.vaultLogs,
    cis: CIS.vaultLogs,
    mcsb: "LT-3",
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings (resource logs are not collected until a diagnostic setting routes them)",
    },
    { kind: "not-set", ref: "No diagnostic setting in the stack is treated as none and flagged." },
  ],
  unsetMeans: "A vault with no diagnostic setting keeps no audit trail of key use and is flagged.",
  check(resources) {
    const ix = indexStack(resources);
    const out: StackViolation[] = [];
    for (const v of ix.vaults) {
      const facts = (ix.diagnostics.get(v.urn) ?? []).map(diagnosticFacts);
      if (facts.some((f) => f.anyDestination && f.enabledLog)) continue;
      out.push(
        violation(
          v,
          `${lead(vaultDiagnostics)}: ${label(v)} has no diagnostic setting with a destination and an enabled log. Add one with workspaceId and logs [{ categoryGroup: "audit", enabled: true }].`,
        ),
      );
    }
    return out;
  },
};

export const entraAdmin: StackRule<"postgres-entra-admin"> = {
  kind: "stack",
  id: "postgres-entra-admin",
  title: "Microsoft Entra administrator",
  description:
    "PostgreSQL flexible servers with password login off must have a Microsoft Entra administrator.",
  enforcementLevel: "mandatory",
  config: {},
  remediation:
    "Add an `AdministratorsMicrosoftEntra` resource (classic `FlexibleServerActiveDirectoryAdministrator`) for a PIM-managed Entra group, with the server's name and resource group.",
  references: {
    comparison:
      "Same as Azure Policy ce39a96d (an Entra administrator), for servers with password login off; no threshold.",
    seed: `${SEED_000.entra}; ${SEED_003.userAccess}`,
    azurePolicyId: AZURE_POLICY.flexEntraAdmin,
    mcsb: "IM-1",
  },
  replica:
    'Skipped: a replica inherits the primary\'s administrators (Microsoft Learn, read replicas: "The replica inherits the admin account from the primary server"); the primary is judged.',
  unsetSource: [
    {
      kind: "provider-docs",
      ref: '@pulumi/azure-native 3.28.0 types/input.js dbforpostgresql.authConfigArgsProvideDefaults (passwordAuth "Enabled"); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server (`authentication.password_auth_enabled` defaults to true)',
    },
  ],
  unsetMeans:
    "Unset password auth means on, so the rule applies only to servers that turn it off explicitly.",
  check(resources) {
    const ix = indexStack(resources);
    const out: StackViolation[] = [];
    for (const s of ix.servers) {
      if (!isType(s.type, "flexibleServer") || isReplica(s)) continue;
      const raw = isClassic(s.type)
        ? get(s.props, "authentication", "passwordAuthEnabled")
        : get(s.props, "authConfig", "passwordAuth");
      if (isUnknown(raw) || passwordAuthOn(s).on) continue;
      if ((ix.admins.get(s.urn)?.length ?? 0) > 0) continue;
      out.push(
        violation(
          s,
          `${lead(entraAdmin)}: ${label(s)} has password login off and no Entra administrator, so nobody can log in. Add an AdministratorsMicrosoftEntra for an Entra group.`,
        ),
      );
    }
    return out;
  },
};

function threatEnabled(r: StackResourceView): boolean {
  if (isType(r.type, "genericResource")) {
    const state = get(r.props, "properties", "state");
    return isUnknown(state) || isUnknown(get(r.props, "properties")) || eqi(state, "Enabled");
  }
  const v = get(r.props, isClassic(r.type) ? "enabled" : "isEnabled");
  return isUnknown(v) || bool(v) === true;
}

export const threatProtection: StackRule<"postgres-threat-protection"> = {
  kind: "stack",
  id: "postgres-threat-protection",
  title: "Defender threat protection",
  description:
    "PostgreSQL flexible servers should have Microsoft Defender advanced threat protection enabled.",
  enforcementLevel: "advisory",
  replica: REPLICA_JUDGED,
  config: {},
  remediation:
    "Enable the server's `advancedThreatProtectionSettings/Default` (`properties.state: \"Enabled\"`, e.g. through `resources.Resource`), or `security.AdvancedThreatProtection` with `isEnabled: true` on the server id, or the subscription's Defender plan `OpenSourceRelationalDatabases` at Standard.",
  references: {
    comparison: "Same as Azure Policy d38668f5 (Defender for PostgreSQL flexible servers); no threshold.",
    seed: SEED_000.defender,
    azurePolicyId: AZURE_POLICY.flexDefender,
    mcsb: "LT-1",
  },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/postgresql/security/security-defender-for-cloud (Defender for open-source relational databases is enabled per server or per subscription plan; it is not on by default)",
    },
    {
      kind: "not-set",
      ref: "No threat protection resource and no Defender plan in the stack is treated as disabled.",
    },
  ],
  unsetMeans:
    "No threat protection resource and no Defender plan in the stack means disabled and is flagged.",
  check(resources) {
    const ix = indexStack(resources);
    if (ix.defenderPlan) return [];
    const out: StackViolation[] = [];
    for (const s of ix.servers) {
      if (!isType(s.type, "flexibleServer")) continue;
      if ((ix.threatProtection.get(s.urn) ?? []).some(threatEnabled)) continue;
      out.push(
        violation(
          s,
          `${lead(threatProtection)}: ${label(s)} has no enabled advancedThreatProtectionSettings and the stack has no OpenSourceRelationalDatabases Defender plan at Standard. Enable advanced threat protection on the server.`,
        ),
      );
    }
    return out;
  },
};

export const deleteLocks: StackRule<"resource-delete-locks"> = {
  kind: "stack",
  id: "resource-delete-locks",
  title: "Delete locks",
  description: "PostgreSQL servers and key vaults should carry a CanNotDelete management lock.",
  enforcementLevel: "advisory",
  replica: REPLICA_JUDGED,
  config: {},
  remediation:
    'Add a `ManagementLockByScope` with `level: "CanNotDelete"` and `scope` = the resource id (classic `management.Lock` with `lockLevel: "CanNotDelete"`), on the server and on each vault holding a key.',
  references: { seed: `${SEED_000.backups}; ${SEED_003.dataProtection}` },
  unsetSource: [
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources (no lock unless one is created; locks on a parent scope are inherited)",
    },
  ],
  unsetMeans:
    "No lock means the resource can be deleted by anyone with write access and is flagged; a ReadOnly lock or a lock on the resource group also counts.",
  check(resources) {
    const ix = indexStack(resources);
    const out: StackViolation[] = [];
    for (const r of [...ix.servers, ...ix.vaults]) {
      if ((ix.locks.get(r.urn)?.length ?? 0) > 0) continue;
      const rg = resourceGroupOf(r);
      if (rg && ix.lockedResourceGroups.has(rg)) continue;
      out.push(
        violation(
          r,
          `${lead(deleteLocks)}: ${label(r)} has no CanNotDelete lock. Add a ManagementLockByScope with level "CanNotDelete" scoped to it.`,
        ),
      );
    }
    return out;
  },
};

export const STACK_RULE_LIST = [
  privateConnectivity,
  endpointDnsZoneGroup,
  serverDiagnostics,
  vaultDiagnostics,
  entraAdmin,
  threatProtection,
  deleteLocks,
] as const satisfies readonly StackRule[];
