// Restore modes and diagnostics destinations: the pure builders, their refusals, the
// pack's verdict on what they emit, and the ARM types of the emitted inputs.

import assert from "node:assert/strict";
import { restoreInputs } from "../../components/postgres/restore";
import {
  POSTGRES_LOG_COLUMNS,
  destinationInputs,
  postgresLogsSource,
} from "../../components/postgres/diagnostics";
import { checkResource, type ArmMapping } from "../arm-types/walker";

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const RG_ID = `${SUB}/resourceGroups/rg`;
const SOURCE = `${RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-1`;
const NOW = new Date("2026-11-30T12:00:00Z");
const pg = (armType: string, nameInput: string, pathParams: string[]): ArmMapping => ({
  dir: "postgresql/2025-08-01",
  armType,
  apiVersion: "2025-08-01",
  nameInput,
  pathParams,
});
const SERVER = pg("Microsoft.DBforPostgreSQL/flexibleServers", "serverName", ["resourceGroupName"]);

describe("restore modes", function () {
  it("keeps point-in-time restore as before: createMode and the restore point", () => {
    assert.deepEqual(
      restoreInputs({ sourceServerResourceId: SOURCE, pointInTimeUtc: "2026-11-20T08:00:00Z" }, { now: NOW }),
      {
        createMode: "PointInTimeRestore",
        pointInTimeUTC: "2026-11-20T08:00:00Z",
      },
    );
  });

  it("geo-restores without a restore point, into a plain region", () => {
    assert.deepEqual(
      restoreInputs(
        { mode: "GeoRestore", sourceServerResourceId: SOURCE },
        { location: "norwayeast", now: NOW },
      ),
      {
        createMode: "GeoRestore",
      },
    );
    assert.throws(
      () =>
        restoreInputs(
          { mode: "GeoRestore", sourceServerResourceId: SOURCE, pointInTimeUtc: "2026-11-20T08:00:00Z" },
          { location: "norwayeast" },
        ),
      /`restore.pointInTimeUtc` "2026-11-20T08:00:00Z" is refused with mode "GeoRestore": Azure restores the last backup copied to the paired region/,
    );
    assert.throws(
      () => restoreInputs({ mode: "GeoRestore", sourceServerResourceId: SOURCE }, {}),
      /`location` must be set to a plain region with mode "GeoRestore"/,
    );
  });

  it("revives a dropped server at the delete event's timestamp", () => {
    assert.deepEqual(
      restoreInputs(
        { mode: "ReviveDropped", sourceServerResourceId: SOURCE, pointInTimeUtc: "2026-11-29T06:08:02Z" },
        { now: NOW },
      ),
      { createMode: "ReviveDropped", pointInTimeUTC: "2026-11-29T06:08:02Z" },
    );
    assert.throws(
      () => restoreInputs({ mode: "ReviveDropped", sourceServerResourceId: SOURCE }, { now: NOW }),
      /`restore.pointInTimeUtc` undefined is required with mode "ReviveDropped" as an ISO 8601 UTC timestamp \(the submissionTimestamp of the delete event in the activity log\)/,
    );
  });

  it("refuses an unknown mode, a local time and a future point", () => {
    assert.throws(
      () => restoreInputs({ mode: "Copy" as never, sourceServerResourceId: SOURCE }, {}),
      /`restore.mode` "Copy" is not allowed; use one of PointInTimeRestore, GeoRestore, ReviveDropped\./,
    );
    assert.throws(
      () =>
        restoreInputs({ sourceServerResourceId: SOURCE, pointInTimeUtc: "2026-11-20 08:00" }, { now: NOW }),
      /is required with mode "PointInTimeRestore" as an ISO 8601 UTC timestamp/,
    );
    assert.throws(
      () =>
        restoreInputs(
          { sourceServerResourceId: SOURCE, pointInTimeUtc: "2027-01-01T00:00:00Z" },
          { now: NOW },
        ),
      /"2027-01-01T00:00:00Z" is in the future/,
    );
  });

  it("emits createMode values the ARM type accepts", () => {
    for (const mode of ["PointInTimeRestore", "GeoRestore", "ReviveDropped"] as const) {
      const r = restoreInputs(
        {
          mode,
          sourceServerResourceId: SOURCE,
          pointInTimeUtc: mode === "GeoRestore" ? undefined : "2026-11-20T08:00:00Z",
        },
        { location: "norwayeast", now: NOW },
      );
      assert.deepEqual(
        checkResource(SERVER, {
          serverName: "pg-drill",
          resourceGroupName: "rg",
          location: "norwayeast",
          sourceServerResourceId: SOURCE,
          ...r,
        }),
        [],
        mode,
      );
    }
  });
});

describe("diagnostics destinations", function () {
  const RULE = `${RG_ID}/providers/Microsoft.EventHub/namespaces/siem/authorizationRules/send`;
  const DIAG: ArmMapping = {
    dir: "insights/2021-05-01-preview",
    armType: "Microsoft.Insights/diagnosticSettings",
    apiVersion: "2021-05-01-preview",
    nameInput: "name",
    pathParams: ["resourceUri"],
  };

  it("adds the SIEM's Event Hub beside the workspace, and Dedicated for resource-specific tables", () => {
    assert.deepEqual(destinationInputs(undefined, undefined), {});
    assert.deepEqual(
      destinationInputs("ResourceSpecific", { authorizationRuleResourceId: RULE, eventHubName: "postgres" }),
      {
        logAnalyticsDestinationType: "Dedicated",
        eventHubAuthorizationRuleId: RULE,
        eventHubName: "postgres",
      },
    );
    const setting = {
      name: "pg-server-diag",
      resourceUri: SOURCE,
      workspaceId: `${RG_ID}/providers/Microsoft.OperationalInsights/workspaces/law`,
      logs: [{ categoryGroup: "allLogs", enabled: true }],
      ...destinationInputs("ResourceSpecific", { authorizationRuleResourceId: RULE }),
    };
    assert.deepEqual(checkResource(DIAG, setting), []);
  });

  it("points the alert queries at the table the mode writes", () => {
    assert.equal(postgresLogsSource("ResourceSpecific"), "PGSQLServerLogs");
    assert.match(
      postgresLogsSource("AzureDiagnostics"),
      /^AzureDiagnostics\n\| where .*Category == "PostgreSQLLogs"$/,
    );
  });

  it("names the backend process id and severity columns of each table mode", () => {
    assert.deepEqual(POSTGRES_LOG_COLUMNS, {
      AzureDiagnostics: { processId: "processId_d", errorLevel: "errorLevel_s" },
      ResourceSpecific: { processId: "ProcessId", errorLevel: "ErrorLevel" },
    });
  });

  it("refuses a wrong mode and an id that is not an authorization rule", () => {
    assert.throws(
      () => destinationInputs("Dedicated" as never, undefined),
      /`monitoring.logTableMode` "Dedicated" is not allowed; use one of AzureDiagnostics, ResourceSpecific\./,
    );
    assert.throws(
      () =>
        destinationInputs(undefined, {
          authorizationRuleResourceId: `${RG_ID}/providers/Microsoft.EventHub/namespaces/siem`,
        }),
      /`monitoring.eventHub.authorizationRuleResourceId` ".*namespaces\/siem" is not an Event Hub namespace authorization rule id/,
    );
  });
});
