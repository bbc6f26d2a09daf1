// Monitoring the access model needs (seed 003 "Auditing", seed 000 §4), beside the workspace,
// diagnostics and the two log alerts that monitoring.ts creates:
// - an alert when the server becomes unavailable, which is how a server that lost its customer-managed
//   key shows in Resource Health ("Inaccessible"); Microsoft recommends Resource Health and Activity
//   Log alerts with action groups for CMK servers:
//   https://learn.microsoft.com/en-us/azure/postgresql/security/security-data-encryption (read 2026-11-30);
// - Defender for Cloud alerts about the server, routed to the same action group: Defender writes them
//   to the Activity Log's Security category:
//   https://learn.microsoft.com/en-us/azure/azure-monitor/platform/activity-log-schema#security-category
//   (read 2026-11-30);
// - a delete lock on the created workspace, so the audit trail cannot be removed with it;
// - an alert on every sign-in of the break-glass administrator;
// - a query pack with the investigation queries (failed logins by source, role and privilege changes,
//   connections by identity, break-glass use).
//
// Log shape: the server's diagnostic setting sends PostgreSQLLogs to the table that
// `monitoring.logTableMode` chooses (diagnostics.ts, monitoring.ts):
// - "AzureDiagnostics" (the default): the shared `AzureDiagnostics` table, Category "PostgreSQLLogs",
//   the backend's process id in `processId_d`:
//   https://learn.microsoft.com/azure/postgresql/monitor/concepts-logging#log-format and
//   https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/azurediagnostics;
// - "ResourceSpecific" (`logAnalyticsDestinationType: "Dedicated"`): the `PGSQLServerLogs` table, the
//   process id in `ProcessId`: https://learn.microsoft.com/azure/azure-monitor/reference/tables/pgsqlserverlogs
//   and Microsoft's example queries for it,
//   https://learn.microsoft.com/azure/azure-monitor/reference/queries/pgsqlserverlogs (read 2026-11-30).
// The line text is `Message` in both. diagnostics.ts names each mode's source and columns once
// (`postgresLogsSource`, `POSTGRES_LOG_COLUMNS`); every saved query and the break-glass alert are
// built from the mode, so none reads a table the server does not write to.
// With `log_connections` on, PostgreSQL writes "connection received: host=… port=…" and
// "connection authorized: user=… database=…" from the backend that serves the session, and an
// authentication failure from the same backend; the failed-logins query joins them on the backend's
// process id.
// Entra sign-ins are in `SigninLogs` only when the tenant's Entra diagnostic settings send them to this
// workspace (https://learn.microsoft.com/en-us/entra/identity/monitoring-health/howto-integrate-activity-logs-with-azure-monitor-logs);
// the break-glass query reads both and tolerates the table being absent (`union isfuzzy=true`).

import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type { ResolvedBreakGlass } from "./devops";
import { POSTGRES_LOG_COLUMNS, postgresLogsSource, type LogTableMode } from "./diagnostics";

/** What the builders need from the resolved component configuration (the component passes its `ResolvedConfig`). */
export interface AuditMonitoringContext {
  /** Component name; children are named from it. */
  name: string;
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  tags?: Record<string, string>;
  monitoring: {
    /** Action group notified by every alert here; alerts are created without one when absent. */
    actionGroupResourceId?: pulumi.Input<string>;
    /** Table the server's PostgreSQL logs land in; the saved queries and the break-glass alert read it. Defaults to `AzureDiagnostics`. */
    logTableMode?: LogTableMode;
  };
}

/** The table mode the queries read, `AzureDiagnostics` unless the context says otherwise. */
export function tableModeOf(ctx: AuditMonitoringContext): LogTableMode {
  return ctx.monitoring.logTableMode ?? "AzureDiagnostics";
}

/** A source spread over several lines, indented to sit inside a `let` or a `union` leg. */
function indented(source: string): string {
  return source.replace(/\n/g, "\n    ");
}

/** A KQL string literal (double-quoted, backslash escapes). */
export function kqlString(v: string): string {
  if ([...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new Error(`KQL literal ${JSON.stringify(v)} contains a control character`);
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Failed logins grouped by client address, joined to the connection line of the same backend. */
export function failedLoginsBySourceQuery(mode: LogTableMode): string {
  const pid = POSTGRES_LOG_COLUMNS[mode].processId;
  return `let logs = ${indented(postgresLogsSource(mode))};
let received = logs
    | where Message has "connection received:"
    | extend Source = extract(@"host=([^ ]+)", 1, Message)
    | project _ResourceId, ${pid}, Source, ReceivedAt = TimeGenerated;
logs
| where Message has "authentication failed" or Message has "no pg_hba.conf entry" or Message has "token validation failed"
| extend User = extract("user \\"([^\\"]+)\\"", 1, Message)
| join kind=leftouter received on _ResourceId, ${pid}
| where isnull(ReceivedAt) or (TimeGenerated between (ReceivedAt .. 1m))
| summarize Failures = count(), Users = make_set(User, 20), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by Source = coalesce(Source, "(unknown)"), _ResourceId
| order by Failures desc`;
}

/** Role and privilege changes: pgaudit ROLE-class lines (GRANT, REVOKE, CREATE/ALTER/DROP ROLE). */
export function roleChangesQuery(mode: LogTableMode): string {
  return `${postgresLogsSource(mode)}
| where Message has "AUDIT:" and Message has ",ROLE,"
| extend Command = extract(@",ROLE,([A-Z ]+),", 1, Message)
| project TimeGenerated, _ResourceId, Command, Message
| order by TimeGenerated desc`;
}

/** Who connected: each Entra principal or role, by database, per hour. */
export function connectionsByIdentityQuery(mode: LogTableMode): string {
  return `${postgresLogsSource(mode)}
| where Message has "connection authorized:"
| extend Identity = extract(@"user=([^ ]+)", 1, Message), Database = extract(@"database=([^ ]+)", 1, Message)
| summarize Connections = count() by Identity, Database, bin(TimeGenerated, 1h), _ResourceId
| order by TimeGenerated desc, Connections desc`;
}

/** Every sign-in of the break-glass account: its database connections and, when present, its Entra sign-ins. */
export function breakGlassQuery(b: ResolvedBreakGlass, mode: LogTableMode): string {
  return `union isfuzzy=true
    (${indented(postgresLogsSource(mode))}
    | where Message has "connection authorized:" and Message has ${kqlString(`user=${b.principalName}`)}
    | project TimeGenerated, ResourceId = _ResourceId, Source = "PostgreSQL", Message),
    (SigninLogs
    | where UserId == ${kqlString(b.objectId)}
    | project TimeGenerated, ResourceId = "", Source = "Entra sign-in", Message = strcat(AppDisplayName, " from ", IPAddress, " result ", ResultType))
| order by TimeGenerated desc`;
}

/** A stable GUID for a query in the pack (the query's ARM name must be a GUID). */
export function queryId(component: string, key: string): string {
  const h = createHash("sha256").update(`zero-trust-azure-postgres\n${component}\n${key}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One saved investigation query. */
export interface SavedQuery {
  key: string;
  displayName: string;
  description: string;
  body: string;
}

/** The investigation queries for the table mode; the break-glass one only when a break-glass administrator is declared. */
export function savedQueries(breakGlass: ResolvedBreakGlass | undefined, mode: LogTableMode): SavedQuery[] {
  const out: SavedQuery[] = [
    {
      key: "failed-logins-by-source",
      displayName: "PostgreSQL failed logins by source",
      description: "Password, token and pg_hba refusals, grouped by client address and server.",
      body: failedLoginsBySourceQuery(mode),
    },
    {
      key: "role-changes",
      displayName: "PostgreSQL role and privilege changes",
      description: "pgaudit ROLE-class statements: GRANT, REVOKE, CREATE, ALTER and DROP ROLE.",
      body: roleChangesQuery(mode),
    },
    {
      key: "connections-by-identity",
      displayName: "PostgreSQL connections by identity",
      description: "Authorized connections per Entra principal (role) and database, per hour.",
      body: connectionsByIdentityQuery(mode),
    },
  ];
  if (breakGlass) {
    out.push({
      key: "break-glass-use",
      displayName: "PostgreSQL break-glass administrator use",
      description: `Every database connection and Entra sign-in of the break-glass administrator ${breakGlass.principalName}.`,
      body: breakGlassQuery(breakGlass, mode),
    });
  }
  return out;
}

function actionList(ctx: AuditMonitoringContext): monitor.ActivityLogAlertArgs["actions"] {
  return {
    actionGroups:
      ctx.monitoring.actionGroupResourceId === undefined
        ? []
        : [{ actionGroupId: ctx.monitoring.actionGroupResourceId }],
  };
}

/** `<name>-alert-server-unavailable`: Resource Health reports the server Unavailable (a lost CMK makes it Inaccessible). */
export function cmkInaccessibleAlertInputs(
  ctx: AuditMonitoringContext,
  serverId: pulumi.Input<string>,
  replicaIds: pulumi.Input<string>[] = [],
): monitor.ActivityLogAlertArgs {
  return {
    activityLogAlertName: `${ctx.name}-alert-server-unavailable`,
    resourceGroupName: ctx.resourceGroupName,
    location: "Global",
    description:
      "The PostgreSQL server is unavailable in Resource Health. A server that lost access to its customer-managed key turns Inaccessible and refuses every connection: check the key, the vault and the server identity's role.",
    enabled: true,
    // The read replicas too: each has its own key and its own Defender alerts.
    scopes: [serverId, ...replicaIds],
    condition: {
      allOf: [
        { field: "category", equals: "ResourceHealth" },
        { field: "properties.currentHealthStatus", equals: "Unavailable" },
      ],
    },
    actions: actionList(ctx),
    tags: ctx.tags,
  };
}

/** `<name>-alert-defender`: Defender for Cloud security alerts about the server. */
export function defenderAlertInputs(
  ctx: AuditMonitoringContext,
  serverId: pulumi.Input<string>,
  replicaIds: pulumi.Input<string>[] = [],
): monitor.ActivityLogAlertArgs {
  return {
    activityLogAlertName: `${ctx.name}-alert-defender`,
    resourceGroupName: ctx.resourceGroupName,
    location: "Global",
    description: "Microsoft Defender for Cloud raised a security alert for the PostgreSQL server.",
    enabled: true,
    // The read replicas too: each has its own key and its own Defender alerts.
    scopes: [serverId, ...replicaIds],
    condition: { allOf: [{ field: "category", equals: "Security" }] },
    actions: actionList(ctx),
    tags: ctx.tags,
  };
}

/** `<name>-logs-lock`: CanNotDelete on the created workspace that holds the audit trail. */
export function workspaceLockInputs(
  ctx: AuditMonitoringContext,
  workspaceId: pulumi.Input<string>,
): authorization.ManagementLockByScopeArgs {
  return {
    scope: workspaceId,
    level: "CanNotDelete",
    lockName: `${ctx.name}-logs-lock`,
    notes: "Managed by zero-trust-azure-postgres: the workspace holds the PostgreSQL audit trail.",
  };
}

/** `<name>-alert-break-glass`: any sign-in of the break-glass administrator, severity 0, every 5 minutes. */
export function breakGlassAlertInputs(
  ctx: AuditMonitoringContext,
  b: ResolvedBreakGlass,
  workspaceId: pulumi.Input<string>,
): monitor.ScheduledQueryRuleArgs {
  const name = `${ctx.name}-alert-break-glass`;
  return {
    ruleName: name,
    displayName: name,
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.location,
    kind: "LogAlert",
    description: `The break-glass administrator ${b.principalName} signed in. Confirm the emergency and review what it did.`,
    enabled: true,
    severity: 0,
    scopes: [workspaceId],
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    autoMitigate: false,
    // The workspace may not have the tables yet (no log has arrived).
    skipQueryValidation: true,
    criteria: {
      allOf: [
        {
          query: breakGlassQuery(b, tableModeOf(ctx)),
          timeAggregation: "Count",
          operator: "GreaterThan",
          threshold: 0,
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
        },
      ],
    },
    actions:
      ctx.monitoring.actionGroupResourceId === undefined
        ? undefined
        : { actionGroups: [ctx.monitoring.actionGroupResourceId] },
    tags: ctx.tags,
  };
}

/** `<name>-queries`: the query pack. */
export function queryPackInputs(ctx: AuditMonitoringContext): operationalinsights.QueryPackArgs {
  return {
    queryPackName: `${ctx.name}-queries`,
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.location,
    tags: ctx.tags,
  };
}

/** One query of the pack, named by a stable GUID. */
export function queryInputs(
  ctx: AuditMonitoringContext,
  q: SavedQuery,
  queryPackName: pulumi.Input<string>,
): operationalinsights.QueryArgs {
  return {
    resourceGroupName: ctx.resourceGroupName,
    queryPackName,
    id: queryId(ctx.name, q.key),
    displayName: q.displayName,
    description: q.description,
    body: q.body,
    related: {
      categories: ["security", "audit"],
      resourceTypes: ["microsoft.dbforpostgresql/flexibleservers"],
    },
    tags: { labels: ["zero-trust-azure-postgres"] },
  };
}

/** What {@link createAuditMonitoring} creates. */
export interface AuditMonitoringResources {
  serverUnavailableAlert?: monitor.ActivityLogAlert;
  defenderAlert?: monitor.ActivityLogAlert;
  workspaceLock?: authorization.ManagementLockByScope;
  breakGlassAlert?: monitor.ScheduledQueryRule;
  queryPack: operationalinsights.QueryPack;
  queries: operationalinsights.Query[];
}

/**
 * Creates the alerts, the workspace lock (only for a workspace the component created: a brought
 * workspace is someone else's to lock), the break-glass alert and the query pack.
 */
export function createAuditMonitoring(
  ctx: AuditMonitoringContext,
  refs: {
    serverId: pulumi.Input<string>;
    /** The read replicas' ids: the Resource Health and Defender alerts watch them too. */
    replicaIds?: pulumi.Input<string>[];
    workspaceId: pulumi.Input<string>;
    createdWorkspace: boolean;
    deleteLocks: boolean;
    /** Create the alerts (`monitoring.alerts`); the lock and the query pack are created either way. */
    alerts: boolean;
    breakGlass?: ResolvedBreakGlass;
    /** Resources the log alert waits for (the diagnostic settings that feed its tables). */
    after?: pulumi.Resource[];
  },
  opts: pulumi.CustomResourceOptions,
): AuditMonitoringResources {
  const serverUnavailableAlert = refs.alerts
    ? new monitor.ActivityLogAlert(
        `${ctx.name}-alert-server-unavailable`,
        cmkInaccessibleAlertInputs(ctx, refs.serverId, refs.replicaIds),
        opts,
      )
    : undefined;
  const defenderAlert = refs.alerts
    ? new monitor.ActivityLogAlert(
        `${ctx.name}-alert-defender`,
        defenderAlertInputs(ctx, refs.serverId, refs.replicaIds),
        opts,
      )
    : undefined;
  const workspaceLock =
    refs.createdWorkspace && refs.deleteLocks
      ? new authorization.ManagementLockByScope(
          `${ctx.name}-logs-lock`,
          workspaceLockInputs(ctx, refs.workspaceId),
          opts,
        )
      : undefined;
  const breakGlassAlert =
    refs.alerts && refs.breakGlass
      ? new monitor.ScheduledQueryRule(
          `${ctx.name}-alert-break-glass`,
          breakGlassAlertInputs(ctx, refs.breakGlass, refs.workspaceId),
          { ...opts, dependsOn: refs.after ?? [] },
        )
      : undefined;
  const queryPack = new operationalinsights.QueryPack(`${ctx.name}-queries`, queryPackInputs(ctx), opts);
  const queries = savedQueries(refs.breakGlass, tableModeOf(ctx)).map(
    (q) =>
      new operationalinsights.Query(`${ctx.name}-query-${q.key}`, queryInputs(ctx, q, queryPack.name), opts),
  );
  return { serverUnavailableAlert, defenderAlert, workspaceLock, breakGlassAlert, queryPack, queries };
}
