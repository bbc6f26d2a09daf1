// Monitoring and audit (seed 000 §4 "Enable Azure Monitor and Logs", "Enable Azure Defender"):
// a Log Analytics workspace, diagnostic settings on the server and each vault, Defender threat
// protection on the server, and scheduled-query alerts for failed-login bursts and privilege changes.

import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import { THREAT_PROTECTION_API_VERSION, type ResolvedConfig } from "./defaults";
import { destinationInputs, postgresLogsSource } from "./diagnostics";

/** Creates the workspace (`<name>-logs`) unless one is brought. */
export function createWorkspace(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): operationalinsights.Workspace | undefined {
  if (cfg.monitoring.logAnalyticsWorkspaceResourceId !== undefined) return undefined;
  const name = `${cfg.name}-logs`;
  return new operationalinsights.Workspace(
    name,
    {
      workspaceName: name,
      resourceGroupName: cfg.resourceGroupName,
      location: cfg.location,
      sku: { name: "PerGB2018" },
      retentionInDays: cfg.monitoring.workspaceRetentionDays,
      // Resource-context access: who can read a server's logs follows who can read the server.
      // `disableLocalAuth` stays off: log search alert rules without a managed identity of their own
      // (the two below) query the workspace with the service's credentials.
      features: { enableLogAccessUsingOnlyResourcePermissions: true },
      tags: cfg.tags,
    },
    opts,
  );
}

/**
 * Server diagnostics (postgres-diagnostic-settings): the `allLogs` category group covers the six
 * PostgreSQL categories (PostgreSQLLogs, PostgreSQLFlexSessions, PostgreSQLFlexQueryStoreRuntime,
 * PostgreSQLFlexQueryStoreWaitStats, PostgreSQLFlexTableStats, PostgreSQLFlexDatabaseXacts) and any
 * Azure adds later, plus AllMetrics. The table mode (`monitoring.logTableMode`, AzureDiagnostics by
 * default) decides which table the alert queries read; an Event Hub may be added for a SIEM.
 */
export function createServerDiagnostics(
  cfg: ResolvedConfig,
  serverId: pulumi.Input<string>,
  workspaceId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): monitor.DiagnosticSetting {
  const name = `${cfg.name}-server-diag`;
  return new monitor.DiagnosticSetting(
    name,
    {
      name,
      resourceUri: serverId,
      workspaceId,
      // Resource-specific tables and an Event Hub for a SIEM, when asked for (diagnostics.ts).
      ...destinationInputs(cfg.monitoring.logTableMode, cfg.monitoring.eventHub),
      logs: [{ categoryGroup: "allLogs", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );
}

/** Vault diagnostics (keyvault-diagnostic-settings): the `audit` group (AuditEvent) plus AllMetrics. */
export function createVaultDiagnostics(
  cfg: ResolvedConfig,
  prefix: string,
  vaultId: pulumi.Input<string>,
  workspaceId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): monitor.DiagnosticSetting {
  const name = `${cfg.name}-${prefix}-diag`;
  return new monitor.DiagnosticSetting(
    name,
    {
      name,
      resourceUri: vaultId,
      workspaceId,
      logs: [{ categoryGroup: "audit", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );
}

/**
 * Defender for open-source relational databases on this server (postgres-threat-protection):
 * `Microsoft.DBforPostgreSQL/flexibleServers/advancedThreatProtectionSettings/Default` with
 * `state: Enabled`. azure-native has no class for this child type, and
 * `security:AdvancedThreatProtection` (API 2019-01-01) predates flexible servers, so the generic
 * resource carries it (`<name>-threat-protection`).
 */
export function createThreatProtection(
  cfg: ResolvedConfig,
  serverName: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): resources.Resource {
  return new resources.Resource(
    `${cfg.name}-threat-protection`,
    {
      resourceGroupName: cfg.resourceGroupName,
      resourceProviderNamespace: "Microsoft.DBforPostgreSQL",
      parentResourcePath: pulumi.interpolate`flexibleServers/${serverName}`,
      resourceType: "advancedThreatProtectionSettings",
      resourceName: "Default",
      apiVersion: THREAT_PROTECTION_API_VERSION,
      properties: { state: "Enabled" },
    },
    // The 2025-08-01 spec (AdvancedThreatProtectionSettings.json) has GET and PUT but no DELETE, so a
    // destroy that sends one fails. The setting lives and dies with the server: leave it to the
    // server's deletion.
    { ...opts, retainOnDelete: true },
  );
}

/** The PostgreSQL log lines in a workspace fed through diagnostic settings (AzureDiagnostics mode). */
const POSTGRES_LOGS = postgresLogsSource("AzureDiagnostics");

/**
 * Keeps only this server's lines. A shared workspace receives every server's diagnostics, and a log
 * search alert's `scopes` (the workspace) does not narrow the query, so the query itself matches the
 * resource id in `_ResourceId`, the standard column every table carries
 * (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns#_resourceid, read 2026-11-30).
 * `=~` compares case-insensitively: ARM ids are case-insensitive, and the logs need not keep ARM's casing.
 */
export function scopedToServer(query: string, serverId: string): string {
  const [head, ...rest] = query.split("\n");
  return [head, `| where _ResourceId =~ ${kqlString(serverId)}`, ...rest].join("\n");
}

/** A KQL string literal (double quotes, backslash and quote escaped). */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** KQL of the failed-login alert, for one server: password and Entra token failures, and pg_hba refusals. */
export function failedLoginQuery(serverId: string, logs: string = POSTGRES_LOGS): string {
  return scopedToServer(
    `${logs}
| where Message has "authentication failed" or Message has "no pg_hba.conf entry" or Message has "token validation failed"
| project TimeGenerated, _ResourceId, Message`,
    serverId,
  );
}

/** KQL of the privilege-change alert, for one server: pgaudit ROLE-class lines (GRANT, REVOKE, CREATE/ALTER/DROP ROLE). */
export function roleChangeQuery(serverId: string, logs: string = POSTGRES_LOGS): string {
  return scopedToServer(
    `${logs}
| where Message has "AUDIT:" and Message has ",ROLE,"
| project TimeGenerated, _ResourceId, Message`,
    serverId,
  );
}

/** The two scheduled-query alert rules on the workspace (`<name>-alert-failed-logins`, `<name>-alert-role-changes`). */
export function createAlerts(
  cfg: ResolvedConfig,
  serverId: pulumi.Input<string>,
  workspaceId: pulumi.Input<string>,
  after: pulumi.Resource[],
  opts: pulumi.CustomResourceOptions,
): monitor.ScheduledQueryRule[] {
  if (!cfg.monitoring.alerts) return [];
  const actions =
    cfg.monitoring.actionGroupResourceId !== undefined
      ? { actionGroups: [cfg.monitoring.actionGroupResourceId] }
      : undefined;
  const rule = (
    suffix: string,
    description: string,
    severity: number,
    query: (serverId: string) => string,
    operator: string,
    threshold: number,
  ) => {
    const name = `${cfg.name}-alert-${suffix}`;
    return new monitor.ScheduledQueryRule(
      name,
      {
        ruleName: name,
        resourceGroupName: cfg.resourceGroupName,
        location: cfg.location,
        kind: "LogAlert",
        description,
        displayName: name,
        enabled: true,
        severity,
        scopes: [workspaceId],
        evaluationFrequency: "PT5M",
        windowSize: "PT5M",
        autoMitigate: false,
        // A new workspace has no AzureDiagnostics table until the first log arrives, and Azure refuses
        // to create a rule whose query does not validate yet.
        skipQueryValidation: true,
        criteria: {
          allOf: [
            {
              query: pulumi.output(serverId).apply(query),
              timeAggregation: "Count",
              operator,
              threshold,
              resourceIdColumn: "_ResourceId",
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        actions,
        tags: cfg.tags,
      },
      // After the diagnostic settings that feed the table the queries read.
      { ...opts, dependsOn: after },
    );
  };
  return [
    rule(
      "failed-logins",
      `${cfg.monitoring.failedLoginThreshold} or more failed PostgreSQL logins within 5 minutes (possible brute force).`,
      1,
      (id) => failedLoginQuery(id, postgresLogsSource(cfg.monitoring.logTableMode)),
      "GreaterThanOrEqual",
      cfg.monitoring.failedLoginThreshold,
    ),
    rule(
      "role-changes",
      "A PostgreSQL role or privilege changed (pgaudit ROLE class: GRANT, REVOKE, CREATE/ALTER/DROP ROLE).",
      2,
      (id) => roleChangeQuery(id, postgresLogsSource(cfg.monitoring.logTableMode)),
      "GreaterThan",
      0,
    ),
  ];
}
