// The platform features wired into ZeroTrustPostgres, under the mock monitor: extensions and server
// parameters, the maintenance window, Azure RBAC on the server and additional databases. Each test
// pins child types, names, parents and key inputs, or the exact refusal a user sees.

import assert from "node:assert/strict";
import { recorder } from "../helpers/mocks"; // mocks first
import * as pulumi from "@pulumi/pulumi";
import {
  ACTION_GROUP_ID,
  build,
  minimalArgs,
  registrationsDuring,
  SOURCE_SERVER_ID,
  tweak,
  type Built,
} from "./fixtures";
import { AzureRole } from "../../components/postgres/rbac";
import type { ZeroTrustPostgresArgs } from "../../components";

const T = {
  server: "azure-native:dbforpostgresql:Server",
  config: "azure-native:dbforpostgresql:Configuration",
  db: "azure-native:dbforpostgresql:Database",
  role: "azure-native:authorization:RoleAssignment",
  lock: "azure-native:authorization:ManagementLockByScope",
  restart: "command:local:Command",
};
const GROUP = "66666666-6666-4666-8666-666666666666";
const SP = "77777777-7777-4777-8777-777777777777";
const EH_RULE =
  "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-siem/providers/Microsoft.EventHub/namespaces/siem/authorizationRules/send";

const BREAK_GLASS = "99999999-9999-4999-8999-999999999999";

type Props = Record<string, unknown>;

/** The KQL of a scheduled-query alert rule. */
function alertQuery(b: Built, name: string): string {
  const criteria = (b.get("azure-native:monitor:ScheduledQueryRule", name).inputs as Props).criteria as {
    allOf: { query: string }[];
  };
  return criteria.allOf[0].query;
}

/** The saved queries of the component's query pack, by key. */
function savedQueryBodies(b: Built, name: string): Record<string, string> {
  return Object.fromEntries(
    b
      .ofType("azure-native:operationalinsights:Query")
      .map((r) => [r.name.slice(`${name}-query-`.length), String((r.inputs as Props).body)]),
  );
}

/** The arguments a platform team turns on in its first month. */
function featureArgs(): ZeroTrustPostgresArgs {
  return tweak(minimalArgs(), (a) => {
    a.extensions = ["pgcrypto", "vector", "pg_stat_statements", "pg_cron"];
    a.serverParameters = [
      { name: "work_mem", value: "65536" },
      { name: "max_connections", value: "400" },
    ];
    a.maintenanceWindow = { dayOfWeek: 0, startHour: 3, startMinute: 30 };
    a.personas = [
      { groupName: "pg-app-readers", objectId: "44444444-4444-4444-8444-444444444444", access: "reader" },
    ];
    a.workloadIdentities = [{ name: "orders", access: "writer" }];
    a.roleAssignments = [
      { principalId: GROUP, roleDefinitionId: AzureRole.Reader },
      { principalId: SP, roleDefinitionId: AzureRole.MonitoringReader, principalType: "ServicePrincipal" },
    ];
    a.databases = [
      {
        databaseName: "reporting",
        schemaName: "reports",
        grants: [
          { principal: "pg-app-readers", access: "reader" },
          { principal: "orders", access: "reader" },
        ],
      },
    ];
  });
}

describe("ZeroTrustPostgres platform features", function () {
  this.timeout(120000);

  describe("extensions, server parameters, maintenance, RBAC and databases", () => {
    let b: Built;
    before(async () => {
      b = await build("ztf", featureArgs());
    });

    it("allow-lists the extensions after pgaudit and preloads the libraries Azure requires, pgaudit last", () => {
      const list = b.get(T.config, "ztf-param-azure-extensions").inputs as Props;
      assert.equal(list.value, "pgaudit,pgcrypto,vector,pg_stat_statements,pg_cron");
      const preload = b.get(T.config, "ztf-param-shared-preload-libraries").inputs as Props;
      const libs = String(preload.value).split(",");
      assert.equal(libs[libs.length - 1], "pgaudit");
      assert.ok(libs.includes("pg_stat_statements") && libs.includes("pg_cron"), String(preload.value));
      assert.ok(!libs.includes("vector") && !libs.includes("pgcrypto"), String(preload.value));
    });

    it("writes the free-form parameters after the component's own, in the serial chain", () => {
      const configs = b.ofType(T.config).map((r) => r.name);
      assert.equal(configs.length, 13);
      assert.deepEqual(configs.slice(-2), ["ztf-param-work-mem", "ztf-param-max-connections"]);
      assert.equal((b.get(T.config, "ztf-param-work-mem").inputs as Props).value, "65536");
      const retention = b.opts("ztf-param-logfiles-retention-days").name;
      assert.ok(b.opts("ztf-param-work-mem").dependsOn.includes(retention));
      assert.ok(b.opts("ztf-param-max-connections").dependsOn.includes("ztf-param-work-mem"));
    });

    it("restarts once after the last parameter, triggered by every static value including max_connections", () => {
      const restart = b.get(T.restart, "ztf-restart");
      assert.ok(b.opts("ztf-restart").dependsOn.includes("ztf-param-max-connections"));
      const triggers = JSON.stringify((restart.inputs as Props).triggers);
      assert.ok(triggers.includes("max_connections=400"), triggers);
      assert.ok(triggers.includes("shared_preload_libraries="), triggers);
      assert.ok(!triggers.includes("work_mem"), triggers);
    });

    it("sets a custom maintenance window on the server", () => {
      const server = b.get(T.server, "ztf-server").inputs as Props;
      assert.deepEqual(server.maintenanceWindow, {
        customWindow: "Enabled",
        dayOfWeek: 0,
        startHour: 3,
        startMinute: 30,
      });
    });

    it("assigns each role at server scope under the component, and locks the server after them", () => {
      const roles = b.ofType(T.role).filter((r) => r.name.startsWith("ztf-rbac-"));
      assert.deepEqual(
        roles.map((r) => r.name),
        [`ztf-rbac-${GROUP}-${AzureRole.Reader}`, `ztf-rbac-${SP}-${AzureRole.MonitoringReader}`],
      );
      for (const r of roles) {
        const p = r.inputs as Props;
        assert.equal(p.scope, b.get(T.server, "ztf-server").id);
        assert.match(String(p.roleDefinitionId), /\/providers\/Microsoft\.Authorization\/roleDefinitions\//);
        assert.equal(b.opts(r.name).parent, "ztf");
      }
      assert.equal((roles[1].inputs as Props).principalType, "ServicePrincipal");
      assert.equal((roles[0].inputs as Props).principalType, "Group");
      const lock = b.opts("ztf-server-lock");
      for (const r of roles) assert.ok(lock.dependsOn.includes(r.name), r.name);
    });

    it("creates the additional database after the first one and bootstraps it with its own roles and grants", async () => {
      const dbs = b.ofType(T.db).map((r) => r.name);
      assert.deepEqual(dbs, ["ztf-db", "ztf-db-reporting"]);
      assert.equal((b.get(T.db, "ztf-db-reporting").inputs as Props).databaseName, "reporting");
      assert.ok(b.opts("ztf-db-reporting").dependsOn.includes("ztf-db"));
      const sql = await new Promise<string>((resolve) => b.component.bootstrapSql.apply(resolve));
      assert.match(sql, /Application databases: app, reporting\./);
      assert.match(sql, /\\connect "reporting"/);
      assert.match(sql, /"reporting_reports_reader"/);
      // The workload writes in the first database and only reads in the second.
      assert.match(sql, /GRANT "app_app_writer" TO "ztf-orders-id"/);
      assert.match(sql, /GRANT "reporting_reports_reader" TO "ztf-orders-id"/);
      assert.doesNotMatch(sql, /GRANT "reporting_reports_writer" TO "ztf-orders-id"/);
    });
  });

  describe("refusals, before anything is registered", () => {
    const cases: [string, (a: ZeroTrustPostgresArgs) => void, string][] = [
      [
        "an extension Azure does not offer",
        (a) => (a.extensions = ["pg_bogus"]),
        '`extensions[0]` "pg_bogus" is not an extension or module Azure Database for PostgreSQL offers',
      ],
      [
        "an extension the version does not offer",
        (a) => {
          a.version = "17";
          a.extensions = ["pg_failover_slots"];
        },
        '`extensions[0]` "pg_failover_slots" is not offered on PostgreSQL 17; it exists up to PostgreSQL 16.',
      ],
      [
        "a TLS floor weakened through serverParameters, with the dedicated argument's message",
        (a) => (a.serverParameters = [{ name: "ssl_min_protocol_version", value: "TLSv1" }]),
        '[postgres-tls-min-version] `serverParameters[0] (ssl_min_protocol_version)` "TLSv1" is not allowed; use one of "TLSv1.2", "TLSv1.3"',
      ],
      [
        "pgaudit switched off through serverParameters",
        (a) => (a.serverParameters = [{ name: "pgaudit.log", value: "none" }]),
        '[postgres-pgaudit-enabled] `serverParameters[0] (pgaudit.log)` "none"',
      ],
      [
        "secure transport switched off through serverParameters, with the pack rule's verdict",
        (a) => (a.serverParameters = [{ name: "require_secure_transport", value: "off" }]),
        '[postgres-secure-transport] `serverParameters[0] (require_secure_transport)` "off"',
      ],
      [
        "a compliant value for a parameter the component owns, naming the argument to use",
        (a) => (a.serverParameters = [{ name: "pgaudit.log", value: "all" }]),
        '`serverParameters[0].name` "pgaudit.log" is set by the component; set it through `monitoring.pgauditLog`',
      ],
      [
        "a maintenance day out of range",
        (a) => (a.maintenanceWindow = { dayOfWeek: 7 }),
        "`maintenanceWindow.dayOfWeek` 7 is out of range; use a whole number from 0 to 6.",
      ],
      [
        "a role that is not a role definition",
        (a) => (a.roleAssignments = [{ principalId: GROUP, roleDefinitionId: "Reader" }]),
        '`roleAssignments[0].roleDefinitionId` "Reader" is not a role definition',
      ],
      [
        "Owner at server scope, with the pack rule's message",
        (a) => (a.roleAssignments = [{ principalId: GROUP, roleDefinitionId: AzureRole.Owner }]),
        `[postgres-no-privileged-role-assignment] \`roleAssignments[0].roleDefinitionId\` "${AzureRole.Owner}": `,
      ],
      [
        "a point in time with GeoRestore",
        (a) =>
          (a.restore = {
            mode: "GeoRestore",
            sourceServerResourceId: SOURCE_SERVER_ID,
            pointInTimeUtc: "2026-01-02T03:04:05Z",
          }),
        '`restore.pointInTimeUtc` "2026-01-02T03:04:05Z" is refused with `restore.mode` "GeoRestore"',
      ],
      [
        "GeoRestore into a region that is not a plain value",
        (a) => {
          a.location = pulumi.output("northeurope");
          a.restore = { mode: "GeoRestore", sourceServerResourceId: SOURCE_SERVER_ID };
        },
        '`location` <output> must be a plain region with `restore.mode` "GeoRestore"',
      ],
      [
        "ReviveDropped without the delete event's timestamp",
        (a) => (a.restore = { mode: "ReviveDropped", sourceServerResourceId: SOURCE_SERVER_ID }),
        '`restore.pointInTimeUtc` is required with `restore.mode` "ReviveDropped"; use the submissionTimestamp',
      ],
      [
        "an unknown restore mode",
        (a) => (a.restore = { mode: "Copy" as never, sourceServerResourceId: SOURCE_SERVER_ID }),
        '`restore.mode` "Copy" is not allowed; use one of "PointInTimeRestore", "GeoRestore", "ReviveDropped".',
      ],
      [
        "an Event Hub destination that is not an authorization rule id",
        (a) => (a.monitoring = { eventHub: { authorizationRuleResourceId: "my-hub" } }),
        '`monitoring.eventHub.authorizationRuleResourceId` "my-hub" is not an Event Hub namespace authorization rule id',
      ],
      [
        "an unknown log table mode",
        (a) => (a.monitoring = { logTableMode: "Both" as never }),
        '`monitoring.logTableMode` "Both" is not allowed; use one of "AzureDiagnostics", "ResourceSpecific".',
      ],
      [
        "long-term backup kept longer than ten years",
        (a) => (a.longTermBackup = { retentionMonths: 121 }),
        "`longTermBackup.retentionMonths` 121 is out of range; use a whole number from 1 to 120.",
      ],
      [
        "a Backup vault soft delete shorter than Azure's minimum",
        (a) => (a.longTermBackup = { softDeleteRetentionDays: 7 }),
        "`longTermBackup.softDeleteRetentionDays` 7 is out of range; use a whole number from 14 to 180.",
      ],
      [
        "a second database named like the first",
        (a) => (a.databases = [{ databaseName: "app" }]),
        '`databases[0].databaseName` "app" is already `databaseName` or another entry',
      ],
      [
        "a grant to a principal the component does not declare",
        (a) =>
          (a.databases = [{ databaseName: "reporting", grants: [{ principal: "ghost", access: "reader" }] }]),
        '`databases[0].grants[0].principal` "ghost" is not declared on this component',
      ],
    ];
    for (const [what, mutate, fragment] of cases) {
      it(`refuses ${what}`, async () => {
        const { ZeroTrustPostgres } = await import("../../components");
        const { count, error } = await registrationsDuring(
          () => new ZeroTrustPostgres("ztr", tweak(minimalArgs(), mutate)),
        );
        assert.equal(count, 0);
        const message = (error as Error | undefined)?.message ?? "";
        assert.ok(message.includes(fragment), message);
        assert.ok(message.startsWith('ZeroTrustPostgres "ztr" refused its arguments (nothing was created):'));
      });
    }

    it("accepts Owner with the waiver and assigns it", async () => {
      const from = recorder.resources.length;
      const b = await build(
        "ztw",
        tweak(minimalArgs(), (a) => {
          a.roleAssignments = [{ principalId: GROUP, roleDefinitionId: AzureRole.Owner }];
          a.allowPrivilegedRoles = true;
        }),
      );
      assert.ok(recorder.resources.length > from);
      assert.equal(
        b.ofType(T.role).filter((r) => r.name === `ztw-rbac-${GROUP}-${AzureRole.Owner}`).length,
        1,
      );
    });

    it("geo-restores into the paired region with its own key and identity there, and no point in time", async () => {
      const b = await build(
        "ztg",
        tweak(minimalArgs(), (a) => {
          a.location = "northeurope";
          a.restore = { mode: "GeoRestore", sourceServerResourceId: SOURCE_SERVER_ID };
        }),
      );
      const server = b.get(T.server, "ztg-server").inputs as Props;
      assert.equal(server.createMode, "GeoRestore");
      assert.equal(server.sourceServerResourceId, SOURCE_SERVER_ID);
      assert.equal(server.pointInTimeUTC, undefined);
      assert.equal(server.location, "northeurope");
      // The restored server's key and identity live where it runs; its own geo key in the next pair.
      assert.equal((b.get("azure-native:keyvault:Vault", "ztg-kv").inputs as Props).location, "northeurope");
      assert.equal(
        (b.get("azure-native:managedidentity:UserAssignedIdentity", "ztg-server-id").inputs as Props)
          .location,
        "northeurope",
      );
      assert.equal(
        (b.get("azure-native:keyvault:Vault", "ztg-geo-kv").inputs as Props).location,
        "westeurope",
      );
    });

    it("sends the server's logs to resource-specific tables and an Event Hub, and every alert and saved query reads that table", async () => {
      const b = await build(
        "ztd",
        tweak(minimalArgs(), (a) => {
          a.monitoring = {
            logTableMode: "ResourceSpecific",
            eventHub: { authorizationRuleResourceId: EH_RULE, eventHubName: "pg-logs" },
          };
          a.breakGlassAdministrator = { objectId: BREAK_GLASS, principalName: "bg-pg@contoso.com" };
        }),
      );
      const diag = b.get("azure-native:monitor:DiagnosticSetting", "ztd-server-diag").inputs as Props;
      assert.equal(diag.logAnalyticsDestinationType, "Dedicated");
      assert.equal(diag.eventHubAuthorizationRuleId, EH_RULE);
      assert.equal(diag.eventHubName, "pg-logs");
      assert.equal(diag.workspaceId, b.get("azure-native:operationalinsights:Workspace", "ztd-logs").id);
      // Vault diagnostics keep their own destination.
      const kvDiag = b.get("azure-native:monitor:DiagnosticSetting", "ztd-kv-diag").inputs as Props;
      assert.equal(kvDiag.eventHubAuthorizationRuleId, undefined);
      for (const alert of ["ztd-alert-failed-logins", "ztd-alert-role-changes"]) {
        assert.match(alertQuery(b, alert), /^PGSQLServerLogs\n\| where _ResourceId =~ /);
      }
      assert.match(alertQuery(b, "ztd-alert-break-glass"), /^union isfuzzy=true\n {4}\(PGSQLServerLogs\n/);
      const bodies = savedQueryBodies(b, "ztd");
      assert.deepEqual(Object.keys(bodies).sort(), [
        "break-glass-use",
        "connections-by-identity",
        "failed-logins-by-source",
        "role-changes",
      ]);
      for (const [key, body] of Object.entries(bodies)) {
        assert.match(body, /PGSQLServerLogs/, key);
        assert.doesNotMatch(body, /AzureDiagnostics|processId_d/, key);
      }
      assert.match(
        bodies["failed-logins-by-source"],
        /join kind=leftouter received on _ResourceId, ProcessId\n/,
      );
    });

    it("keeps AzureDiagnostics and no Event Hub by default, for the alerts and the saved queries", async () => {
      const b = await build("zte", minimalArgs());
      const diag = b.get("azure-native:monitor:DiagnosticSetting", "zte-server-diag").inputs as Props;
      assert.equal(diag.logAnalyticsDestinationType, undefined);
      assert.equal(diag.eventHubAuthorizationRuleId, undefined);
      assert.match(alertQuery(b, "zte-alert-failed-logins"), /^AzureDiagnostics\n/);
      const bodies = savedQueryBodies(b, "zte");
      assert.equal(Object.keys(bodies).length, 3);
      for (const [key, body] of Object.entries(bodies)) {
        assert.match(
          body,
          /AzureDiagnostics\n\s*\| where ResourceProvider == "MICROSOFT.DBFORPOSTGRESQL"/,
          key,
        );
        assert.doesNotMatch(body, /PGSQLServerLogs|\bProcessId\b/, key);
      }
      assert.match(
        bodies["failed-logins-by-source"],
        /join kind=leftouter received on _ResourceId, processId_d\n/,
      );
    });

    it("routes the Resource Health, Defender and break-glass alerts to `monitoring.actionGroupResourceId`", async () => {
      const b = await build(
        "ztag",
        tweak(minimalArgs(), (a) => {
          a.monitoring = { actionGroupResourceId: ACTION_GROUP_ID };
          a.breakGlassAdministrator = { objectId: BREAK_GLASS, principalName: "bg-pg@contoso.com" };
        }),
      );
      for (const alert of ["ztag-alert-server-unavailable", "ztag-alert-defender"])
        assert.deepEqual(
          (b.get("azure-native:monitor:ActivityLogAlert", alert).inputs as Props).actions,
          { actionGroups: [{ actionGroupId: ACTION_GROUP_ID }] },
          alert,
        );
      assert.deepEqual(
        (b.get("azure-native:monitor:ScheduledQueryRule", "ztag-alert-break-glass").inputs as Props).actions,
        { actionGroups: [ACTION_GROUP_ID] },
      );
    });

    it("protects the server in a Backup vault with immutability and soft delete, the instance after its roles", async () => {
      const b = await build(
        "ztl",
        tweak(minimalArgs(), (a) => {
          a.longTermBackup = { retentionMonths: 84, immutability: "Locked", softDeleteRetentionDays: 30 };
        }),
      );
      const vault = b.get("azure-native:dataprotection:BackupVault", "ztl-bv").inputs as Props;
      assert.equal(vault.vaultName, "ztl-bv");
      assert.deepEqual((vault.properties as Props).securitySettings, {
        immutabilitySettings: { state: "Locked" },
        softDeleteSettings: { state: "On", retentionDurationInDays: 30 },
      });
      assert.equal(b.opts("ztl-bv").parent, "ztl");
      const policy = b.get("azure-native:dataprotection:BackupPolicy", "ztl-bv-policy").inputs as Props;
      assert.match(JSON.stringify(policy), /"duration":"P84M"/);
      const server = b.get(T.server, "ztl-server");
      const ltr = b.get(T.role, "ztl-bv-ltr-role").inputs as Props;
      assert.equal(ltr.scope, server.id);
      assert.equal(
        ltr.roleDefinitionId,
        `${String(server.id).split("/resourceGroups/")[0]}/providers/Microsoft.Authorization/roleDefinitions/c088a766-074b-43ba-90d4-1fb21feae531`,
      );
      const reader = b.get(T.role, "ztl-bv-reader").inputs as Props;
      assert.equal(reader.scope, String(server.id).split("/providers/")[0]);
      assert.deepEqual(b.opts("ztl-bv-instance").dependsOn.sort(), ["ztl-bv-ltr-role", "ztl-bv-reader"]);
      assert.ok(b.opts("ztl-server-lock").dependsOn.includes("ztl-bv-instance"));
    });

    it("creates no Backup vault by default", async () => {
      const b = await build("ztn", minimalArgs());
      assert.equal(b.ofType("azure-native:dataprotection:BackupVault").length, 0);
    });

    it("keeps Azure's system-managed window and emits no maintenanceWindow when unset", async () => {
      const b = await build("ztm", minimalArgs());
      assert.equal((b.get(T.server, "ztm-server").inputs as Props).maintenanceWindow, undefined);
      assert.equal(b.ofType(T.config).length, 11);
    });
  });
});
