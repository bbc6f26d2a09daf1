// The Log Analytics workspace that holds a PostgreSQL server's audit trail (pgaudit lines arrive in
// the PostgreSQLLogs category through the server's diagnostic setting) must keep it long enough to
// investigate. Seed 003 "Auditing"; seed 000 §4 "Enable Azure Monitor and Logs".
//
// Facts (read 2026-11-30):
// - Workspace retention (`retentionInDays`, 30-730 on the workspace; interactive retention) defaults
//   to 30 days when unset: https://learn.microsoft.com/en-us/azure/azure-monitor/logs/data-retention-configure
// - A diagnostic setting names its workspace by `workspaceId` (azure-native) or
//   `logAnalyticsWorkspaceId` (classic).

import { lead } from "./postgres";
import { SEED_000, SEED_003 } from "./refs";
import { indexStack } from "./stack";
import { isClassic, isType } from "./tokens";
import type { StackResourceView, StackRule, StackViolation } from "./types";
import { cfg, get, isUnknown, num, show } from "./util";

/** Unset retention: the Log Analytics default. */
export const DEFAULT_WORKSPACE_RETENTION_DAYS = 30;

const WORKSPACE_ID =
  /\/resourcegroups\/([^/]+)\/providers\/microsoft\.operationalinsights\/workspaces\/([^/]+)$/;

function known(v: unknown): string | undefined {
  return typeof v === "string" && !isUnknown(v) && v.trim() !== "" ? v.trim().toLowerCase() : undefined;
}

export const auditWorkspaceRetention: StackRule<"log-analytics-audit-retention"> = {
  kind: "stack",
  id: "log-analytics-audit-retention",
  title: "Audit workspace retention",
  description:
    "Log Analytics workspaces that receive PostgreSQL server logs should retain them for at least `minimumRetentionDays`.",
  enforcementLevel: "advisory",
  config: {
    minimumRetentionDays: {
      type: "integer",
      description:
        "Fewest days a workspace receiving PostgreSQL logs must keep them (Log Analytics allows 30-730).",
      default: 365,
      minimum: 30,
      maximum: 730,
    },
  },
  remediation:
    "Set the workspace's `retentionInDays` to at least the minimum (e.g. 365), or send the server's diagnostics to a workspace that keeps them that long.",
  references: {
    seed: `${SEED_003.auditing}; ${SEED_000.monitor}`,
    links: ["https://learn.microsoft.com/en-us/azure/azure-monitor/logs/data-retention-configure"],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/OperationalInsights/stable/2026-03-01/Workspaces.json `WorkspaceProperties.retentionInDays` (no default)",
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure (default interactive retention 30 days)",
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/log_analytics_workspace (`retention_in_days` optional, 30 to 730, no documented default: the service applies its 30-day default)",
    },
  ],
  unsetMeans: `An unset \`retentionInDays\` is Log Analytics' default of ${DEFAULT_WORKSPACE_RETENTION_DAYS} days and is judged as that. Only workspaces declared in the stack and linked from a PostgreSQL server's diagnostic setting (by id, by resource group and name, or by dependency) are judged; unknown retention passes.`,
  check(resources, config) {
    const minimum = cfg(this, config, "minimumRetentionDays") as number;
    const ix = indexStack(resources);
    const byId = new Map<string, StackResourceView>();
    const byName = new Map<string, StackResourceView>();
    const workspaces = new Map<string, StackResourceView>();
    for (const r of resources) {
      if (typeof r !== "object" || r === null || !isType(r.type, "logAnalyticsWorkspace")) continue;
      workspaces.set(r.urn, r);
      const id = known(r.id) ?? known(get(r.outputs, "id"));
      if (id) byId.set(id, r);
      const rg = known(get(r.props, "resourceGroupName"));
      const name =
        known(get(r.props, isClassic(r.type) ? "name" : "workspaceName")) ?? known(get(r.outputs, "name"));
      if (rg && name) byName.set(`${rg}|${name}`, r);
    }
    if (workspaces.size === 0) return [];
    const receiving = new Map<string, StackResourceView>();
    for (const settings of ix.diagnostics.entries()) {
      const [targetUrn, list] = settings;
      const target = ix.byUrn.get(targetUrn);
      if (!target || !isType(target.type, "flexibleServer", "singleServer")) continue;
      for (const d of list) {
        const ref = get(d.props, isClassic(d.type) ? "logAnalyticsWorkspaceId" : "workspaceId");
        const id = known(ref);
        let ws = id ? byId.get(id) : undefined;
        const m = id ? WORKSPACE_ID.exec(id) : null;
        if (!ws && m) ws = byName.get(`${m[1]}|${m[2]}`);
        if (!ws && !id) {
          for (const urn of d.dependencies ?? []) {
            const w = workspaces.get(urn);
            if (w) ws = w;
          }
        }
        if (ws) receiving.set(ws.urn, ws);
      }
    }
    const out: StackViolation[] = [];
    for (const ws of receiving.values()) {
      const raw = get(ws.props, "retentionInDays");
      if (isUnknown(raw)) continue;
      const days = raw === undefined || raw === null ? DEFAULT_WORKSPACE_RETENTION_DAYS : num(raw);
      if (days !== undefined && days >= minimum) continue;
      out.push({
        urn: ws.urn,
        message: `${lead(this)}: ${ws.type.split(":").pop()} "${ws.name}" receives PostgreSQL logs but retentionInDays is ${show(raw)}${raw === undefined || raw === null ? ` (${DEFAULT_WORKSPACE_RETENTION_DAYS} days)` : ""}, below the ${minimum}-day minimum. Set retentionInDays to at least ${minimum}.`,
      });
    }
    return out;
  },
};

export const WORKSPACE_STACK_RULES = [auditWorkspaceRetention] as const satisfies readonly StackRule[];
