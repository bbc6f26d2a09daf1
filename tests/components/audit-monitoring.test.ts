// Monitoring for the access model: the server-unavailable (lost CMK) and Defender alerts routed to the
// action group, the workspace delete lock, the break-glass sign-in alert and the query pack. Children
// are pinned by type, name and key inputs, and checked against the ARM types. The saved queries and the
// break-glass alert read the table of `monitoring.logTableMode`, pinned per mode.

import * as assert from "node:assert/strict";
import { byName, recorder, settle, since } from "../helpers/mocks"; // mocks first
import {
  breakGlassQuery,
  failedLoginsBySourceQuery,
  createAuditMonitoring,
  kqlString,
  queryId,
  queryInputs,
  savedQueries,
  type AuditMonitoringContext,
} from "../../components/postgres/audit-monitoring";
import { LogTableMode } from "../../components/postgres/diagnostics";
import { checkResource, sdkApiVersion, type ArmMapping } from "../arm-types/walker";

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const SERVER_ID = `${SUB}/resourceGroups/rg-zt/providers/Microsoft.DBforPostgreSQL/flexibleServers/zt-pg`;
const WORKSPACE_ID = `${SUB}/resourceGroups/rg-zt/providers/Microsoft.OperationalInsights/workspaces/zt-logs`;
const ACTION_GROUP = `${SUB}/resourceGroups/rg-zt/providers/Microsoft.Insights/actionGroups/oncall`;
const BREAK_GLASS = {
  objectId: "88888888-8888-4888-8888-888888888888",
  principalName: "bg-pg@contoso.com",
  principalType: "User" as const,
};

const ctx: AuditMonitoringContext = {
  name: "zt",
  resourceGroupName: "rg-zt",
  location: "westeurope",
  tags: { env: "test" },
  monitoring: { actionGroupResourceId: ACTION_GROUP },
};

const MAPPINGS: Record<string, ArmMapping> = {
  "azure-native:monitor:ActivityLogAlert": {
    dir: "insights/2020-10-01",
    armType: "Microsoft.Insights/activityLogAlerts",
    apiVersion: "2020-10-01",
    nameInput: "activityLogAlertName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:monitor:ScheduledQueryRule": {
    dir: "insights/2025-01-01-preview",
    armType: "Microsoft.Insights/scheduledQueryRules",
    apiVersion: "2025-01-01-preview",
    nameInput: "ruleName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:authorization:ManagementLockByScope": {
    dir: "authorization/2020-05-01",
    armType: "Microsoft.Authorization/locks",
    apiVersion: "2020-05-01",
    nameInput: "lockName",
    pathParams: ["scope"],
  },
  "azure-native:operationalinsights:QueryPack": {
    dir: "operationalinsights/2023-09-01",
    armType: "Microsoft.OperationalInsights/queryPacks",
    apiVersion: "2023-09-01",
    nameInput: "queryPackName",
    pathParams: ["resourceGroupName"],
  },
  "azure-native:operationalinsights:Query": {
    dir: "operationalinsights/2023-09-01",
    armType: "Microsoft.OperationalInsights/queryPacks/queries",
    apiVersion: "2023-09-01",
    nameInput: "id",
    pathParams: ["resourceGroupName", "queryPackName"],
  },
};

describe("audit monitoring", () => {
  it("maps each emitted type to the API version the installed SDK uses", () => {
    for (const [token, m] of Object.entries(MAPPINGS))
      assert.equal(sdkApiVersion(token), m.apiVersion, token);
  });

  describe("with a created workspace, delete locks and a break-glass administrator", () => {
    let rs: Awaited<ReturnType<typeof since>>;
    before(async () => {
      const from = recorder.resources.length;
      createAuditMonitoring(
        ctx,
        {
          serverId: SERVER_ID,
          workspaceId: WORKSPACE_ID,
          createdWorkspace: true,
          deleteLocks: true,
          alerts: true,
          breakGlass: BREAK_GLASS,
        },
        {},
      );
      await settle();
      rs = since(from);
    });

    it("creates exactly these children", () => {
      const ids = savedQueries(BREAK_GLASS, "AzureDiagnostics").map((q) => q.key);
      // Registration order follows the engine's RPCs, so compare sorted.
      assert.deepEqual(
        rs.map((r) => [r.type, r.name]).sort(),
        [
          ["azure-native:monitor:ActivityLogAlert", "zt-alert-server-unavailable"],
          ["azure-native:monitor:ActivityLogAlert", "zt-alert-defender"],
          ["azure-native:authorization:ManagementLockByScope", "zt-logs-lock"],
          ["azure-native:monitor:ScheduledQueryRule", "zt-alert-break-glass"],
          ["azure-native:operationalinsights:QueryPack", "zt-queries"],
          ...ids.map((k) => ["azure-native:operationalinsights:Query", `zt-query-${k}`]),
        ].sort(),
      );
      assert.deepEqual(ids, [
        "failed-logins-by-source",
        "role-changes",
        "connections-by-identity",
        "break-glass-use",
      ]);
    });

    it("alerts on the server turning Unavailable in Resource Health, routed to the action group", () => {
      const a = byName(rs, "zt-alert-server-unavailable").inputs;
      assert.deepEqual(a.scopes, [SERVER_ID]);
      assert.equal(a.location, "Global");
      assert.deepEqual(a.condition, {
        allOf: [
          { field: "category", equals: "ResourceHealth" },
          { field: "properties.currentHealthStatus", equals: "Unavailable" },
        ],
      });
      assert.deepEqual(a.actions, { actionGroups: [{ actionGroupId: ACTION_GROUP }] });
      assert.match(String(a.description), /customer-managed key/);
    });

    it("routes Defender security alerts for the server to the same action group", () => {
      const a = byName(rs, "zt-alert-defender").inputs;
      assert.deepEqual(a.scopes, [SERVER_ID]);
      assert.deepEqual(a.condition, { allOf: [{ field: "category", equals: "Security" }] });
      assert.deepEqual(a.actions, { actionGroups: [{ actionGroupId: ACTION_GROUP }] });
    });

    it("locks the workspace against deletion", () => {
      const l = byName(rs, "zt-logs-lock").inputs;
      assert.deepEqual([l.scope, l.level, l.lockName], [WORKSPACE_ID, "CanNotDelete", "zt-logs-lock"]);
    });

    it("alerts at severity 0 on any break-glass sign-in", () => {
      const a = byName(rs, "zt-alert-break-glass").inputs;
      assert.deepEqual(
        [a.severity, a.scopes, a.evaluationFrequency, a.windowSize],
        [0, [WORKSPACE_ID], "PT5M", "PT5M"],
      );
      const c = (a.criteria as { allOf: Record<string, unknown>[] }).allOf[0];
      assert.deepEqual([c.operator, c.threshold, c.timeAggregation], ["GreaterThan", 0, "Count"]);
      assert.equal(c.query, breakGlassQuery(BREAK_GLASS, "AzureDiagnostics"));
      assert.match(String(c.query), /Message has "user=bg-pg@contoso\.com"/);
      assert.match(
        String(c.query),
        /SigninLogs\n\s+\| where UserId == "88888888-8888-4888-8888-888888888888"/,
      );
      assert.match(String(c.query), /^union isfuzzy=true/);
      assert.deepEqual(a.actions, { actionGroups: [ACTION_GROUP] });
    });

    it("saves the investigation queries in the pack under stable GUID names", () => {
      const q = byName(rs, "zt-query-failed-logins-by-source").inputs;
      assert.equal(q.queryPackName, "zt-queries");
      // The engine keeps `id` out of recorded inputs; the builder sets it.
      const id = queryInputs(ctx, savedQueries(undefined, "AzureDiagnostics")[0], "zt-queries").id;
      assert.equal(id, queryId("zt", "failed-logins-by-source"));
      assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(queryId("zt", "role-changes"), id);
      assert.equal(q.body, failedLoginsBySourceQuery("AzureDiagnostics"));
      assert.match(String(q.body), /join kind=leftouter received on _ResourceId, processId_d/);
      assert.match(
        String(q.body),
        /summarize Failures = count\(\).* by Source = coalesce\(Source, "\(unknown\)"\), _ResourceId/,
      );
      assert.deepEqual(q.related, {
        categories: ["security", "audit"],
        resourceTypes: ["microsoft.dbforpostgresql/flexibleservers"],
      });
      assert.match(String(byName(rs, "zt-query-role-changes").inputs.body), /Message has ",ROLE,"/);
      assert.match(
        String(byName(rs, "zt-query-connections-by-identity").inputs.body),
        /summarize Connections = count\(\) by Identity, Database/,
      );
    });

    it("emits only inputs that fit the ARM types", () => {
      const problems = rs
        .flatMap((r) => checkResource(MAPPINGS[r.type], r.inputs).map((p) => `${r.name}: ${p}`))
        // A query pack has no settable properties; azure-native sends the required empty `properties`
        // object itself, so the SDK has no input for it.
        .filter(
          (p) =>
            p !==
            "zt-queries: Microsoft.OperationalInsights/queryPacks@2023-09-01.properties: required by ARM, missing",
        );
      assert.deepEqual(problems, []);
      // The query's ARM name (a GUID) is checked from the builder: the engine keeps `id` out of inputs.
      const q = queryInputs(
        ctx,
        savedQueries(undefined, "AzureDiagnostics")[1],
        "zt-queries",
      ) as unknown as Record<string, unknown>;
      assert.deepEqual(checkResource(MAPPINGS["azure-native:operationalinsights:Query"], q), []);
    });
  });

  // What each table mode's PostgreSQL lines look like in KQL (diagnostics.ts has the sources).
  const MODES: Record<
    LogTableMode,
    { source: string; processId: string; otherProcessId: string; unlike: RegExp[] }
  > = {
    AzureDiagnostics: {
      source:
        'AzureDiagnostics\n| where ResourceProvider == "MICROSOFT.DBFORPOSTGRESQL" and Category == "PostgreSQLLogs"',
      processId: "processId_d",
      otherProcessId: "ProcessId",
      unlike: [/PGSQLServerLogs/],
    },
    ResourceSpecific: {
      source: "PGSQLServerLogs",
      processId: "ProcessId",
      otherProcessId: "processId_d",
      // No AzureDiagnostics table, and no AzureDiagnostics-style typed column (`…_d`, `…_s`).
      unlike: [/AzureDiagnostics/, /Category/, /\b[A-Za-z]+_[dsbg]\b/],
    },
  };
  const indent = (source: string) => source.replace(/\n/g, "\n    ");

  for (const mode of Object.values(LogTableMode)) {
    describe(`with logTableMode ${mode}`, () => {
      const m = MODES[mode];
      const name = `ztm-${mode.toLowerCase()}`;
      let rs: Awaited<ReturnType<typeof since>>;
      let bodies: Record<string, string>;
      before(async () => {
        const from = recorder.resources.length;
        createAuditMonitoring(
          { ...ctx, name, monitoring: { actionGroupResourceId: ACTION_GROUP, logTableMode: mode } },
          {
            serverId: SERVER_ID,
            workspaceId: WORKSPACE_ID,
            createdWorkspace: true,
            deleteLocks: false,
            alerts: true,
            breakGlass: BREAK_GLASS,
          },
          {},
        );
        await settle();
        rs = since(from);
        bodies = Object.fromEntries(
          rs
            .filter((r) => r.type === "azure-native:operationalinsights:Query")
            .map((r) => [r.name.slice(`${name}-query-`.length), String(r.inputs.body)]),
        );
      });

      it("saves the four queries", () => {
        assert.deepEqual(Object.keys(bodies).sort(), [
          "break-glass-use",
          "connections-by-identity",
          "failed-logins-by-source",
          "role-changes",
        ]);
      });

      it(`joins failed logins to their connection line on ${m.processId}`, () => {
        const body = bodies["failed-logins-by-source"];
        assert.ok(body.startsWith(`let logs = ${indent(m.source)};\nlet received = logs\n`), body);
        assert.ok(
          body.includes(`| project _ResourceId, ${m.processId}, Source, ReceivedAt = TimeGenerated;`),
        );
        assert.ok(body.includes(`| join kind=leftouter received on _ResourceId, ${m.processId}\n`), body);
      });

      it(`reads role changes and connections by identity from ${m.source.split("\n")[0]}`, () => {
        assert.ok(bodies["role-changes"].startsWith(`${m.source}\n| where Message has "AUDIT:"`));
        assert.ok(
          bodies["connections-by-identity"].startsWith(
            `${m.source}\n| where Message has "connection authorized:"`,
          ),
        );
      });

      it("reads break-glass connections from the same table, in the saved query and the alert", () => {
        const alert = byName(rs, `${name}-alert-break-glass`).inputs;
        const query = String((alert.criteria as { allOf: { query: string }[] }).allOf[0].query);
        for (const body of [bodies["break-glass-use"], query])
          assert.ok(
            body.startsWith(
              `union isfuzzy=true\n    (${indent(m.source)}\n    | where Message has "connection authorized:" and Message has "user=bg-pg@contoso.com"`,
            ),
            body,
          );
        assert.equal(bodies["break-glass-use"], query);
      });

      it(`names no other table mode's table or process-id column`, () => {
        const alert = byName(rs, `${name}-alert-break-glass`).inputs;
        const query = String((alert.criteria as { allOf: { query: string }[] }).allOf[0].query);
        for (const [key, body] of [...Object.entries(bodies), ["alert", query]]) {
          assert.ok(!new RegExp(`\\b${m.otherProcessId}\\b`).test(body), `${key}: ${body}`);
          for (const re of m.unlike) assert.doesNotMatch(body, re, key);
        }
      });
    });
  }

  it("leaves a brought workspace unlocked, skips the break-glass alert and query without one, and creates alerts without an action group", async () => {
    const from = recorder.resources.length;
    const made = createAuditMonitoring(
      { ...ctx, name: "zt2", monitoring: {} },
      {
        serverId: SERVER_ID,
        workspaceId: WORKSPACE_ID,
        createdWorkspace: false,
        deleteLocks: true,
        alerts: true,
      },
      {},
    );
    await settle();
    const rs = since(from);
    assert.equal(made.workspaceLock, undefined);
    assert.equal(made.breakGlassAlert, undefined);
    assert.deepEqual(
      rs.map((r) => r.name).filter((n) => /lock|break-glass/.test(n)),
      [],
    );
    assert.equal(made.queries.length, 3);
    assert.deepEqual(byName(rs, "zt2-alert-defender").inputs.actions, { actionGroups: [] });
  });

  it("quotes KQL literals and refuses control characters", () => {
    assert.equal(kqlString('a"b\\c'), '"a\\"b\\\\c"');
    assert.throws(() => kqlString("a\nb"), /control character/);
  });
});
