// Diagnostics destinations: where the server's logs go besides the Log Analytics workspace, and in
// which table mode. A SIEM usually reads an Event Hub; resource-specific tables are cheaper to query
// and can have their own retention and access.
//
// Facts (read 2026-11-30):
// - A diagnostic setting may send to a workspace, an Event Hub (authorization rule id + hub name) and
//   storage at once; `logAnalyticsDestinationType: "Dedicated"` selects resource-specific tables,
//   unset means AzureDiagnostics: https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings
//   and Microsoft.Insights/diagnosticSettings@2021-05-01-preview (../shared/reference/azure-arm-types).
// - PostgreSQL server logs land in `AzureDiagnostics` (Category "PostgreSQLLogs") in AzureDiagnostics
//   mode and in `PGSQLServerLogs` in resource-specific mode:
//   https://learn.microsoft.com/azure/azure-monitor/reference/tables/pgsqlserverlogs
// - Columns of a log line (see POSTGRES_LOG_COLUMNS). AzureDiagnostics: `Message`, `errorLevel_s`,
//   `processId_d` ("Process ID of the PostgreSQL backend"), `sqlerrcode_s`:
//   https://learn.microsoft.com/azure/postgresql/monitor/concepts-logging#log-format.
//   PGSQLServerLogs: `ErrorLevel` (string, "Logging level, example: LOG, ERROR, NOTICE") in the table
//   reference above (its column list as served at
//   https://docs.azure.cn/en-us/azure-monitor/reference/tables/PGSQLServerLogs); `ProcessId`,
//   `ErrorLevel`, `SqlErrorCode` and `Message` projected from PGSQLServerLogs in Microsoft's generated
//   example queries "Connections received" and "Connections authorized":
//   https://learn.microsoft.com/azure/azure-monitor/reference/queries/pgsqlserverlogs; `Message` in
//   both modes' examples in
//   https://learn.microsoft.com/azure/postgresql/monitor/how-to-configure-and-access-logs.
//   Not verified: the declared type of `ProcessId` (the part of the column table read stops before
//   it). The queries only compare it with itself within one table (a join of two lines of the same
//   backend), so its type does not change their result.
//
// Pure: no Pulumi resources. monitoring.ts (the diagnostic setting and the alerts) takes these values.

import { LogTableMode, type EventHubDestinationArgs } from "./args";
export { LogTableMode, type EventHubDestinationArgs };

/** The destination fields of a diagnostic setting. */
export interface DestinationInputs {
  logAnalyticsDestinationType?: "Dedicated";
  eventHubAuthorizationRuleId?: string;
  eventHubName?: string;
}

const AUTH_RULE =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.EventHub\/namespaces\/[^/]+\/authorizationRules\/[^/]+$/i;
const HUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Validates the destinations and returns the diagnostic setting's destination fields. Throws naming field, value and what is allowed. */
export function destinationInputs(
  mode: LogTableMode | undefined,
  eventHub: EventHubDestinationArgs | undefined,
  field = "monitoring",
): DestinationInputs {
  const m = mode ?? "AzureDiagnostics";
  if (!(Object.values(LogTableMode) as string[]).includes(m)) {
    throw new Error(
      `\`${field}.logTableMode\` ${JSON.stringify(m)} is not allowed; use one of ${Object.values(LogTableMode).join(", ")}.`,
    );
  }
  const out: DestinationInputs = m === "ResourceSpecific" ? { logAnalyticsDestinationType: "Dedicated" } : {};
  if (eventHub !== undefined) {
    if (
      typeof eventHub.authorizationRuleResourceId !== "string" ||
      !AUTH_RULE.test(eventHub.authorizationRuleResourceId)
    ) {
      throw new Error(
        `\`${field}.eventHub.authorizationRuleResourceId\` ${JSON.stringify(eventHub.authorizationRuleResourceId)} is not an Event Hub namespace authorization rule id; use "/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<namespace>/authorizationRules/<rule>".`,
      );
    }
    if (eventHub.eventHubName !== undefined && !HUB_NAME.test(eventHub.eventHubName)) {
      throw new Error(
        `\`${field}.eventHub.eventHubName\` ${JSON.stringify(eventHub.eventHubName)} is not an event hub name; use 1-256 letters, digits, ".", "-" and "_", starting with a letter or digit.`,
      );
    }
    out.eventHubAuthorizationRuleId = eventHub.authorizationRuleResourceId;
    if (eventHub.eventHubName !== undefined) out.eventHubName = eventHub.eventHubName;
  }
  return out;
}

/** The columns of a PostgreSQL log line whose names differ between the table modes (`Message` is the same in both). */
export interface PostgresLogColumns {
  /** The process id of the PostgreSQL backend that wrote the line: one session's lines share it. */
  processId: string;
  /** The PostgreSQL severity: LOG, ERROR, FATAL … */
  errorLevel: string;
}

/** Per table mode, the column names (sources in the header). */
export const POSTGRES_LOG_COLUMNS: Readonly<Record<LogTableMode, Readonly<PostgresLogColumns>>> = {
  AzureDiagnostics: { processId: "processId_d", errorLevel: "errorLevel_s" },
  ResourceSpecific: { processId: "ProcessId", errorLevel: "ErrorLevel" },
};

/** The KQL source of the server's PostgreSQL log lines in the chosen table mode, with the line text as `Message`. */
export function postgresLogsSource(mode: LogTableMode): string {
  return mode === "ResourceSpecific"
    ? "PGSQLServerLogs"
    : 'AzureDiagnostics\n| where ResourceProvider == "MICROSOFT.DBFORPOSTGRESQL" and Category == "PostgreSQLLogs"';
}
