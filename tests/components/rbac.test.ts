import assert from "node:assert/strict";
import { byName, optionsRecorder, recorder, settle, since } from "../helpers/mocks"; // mocks first
import * as pulumi from "@pulumi/pulumi";
import { AzureRole, createRoleAssignments, validateRoleAssignments } from "../../components/postgres/rbac";
import { maintenanceWindowInputs } from "../../components/postgres/maintenance";
import { checkResource } from "../arm-types/walker";

const GROUP = "11111111-1111-4111-8111-111111111111";
const SP = "22222222-2222-4222-8222-222222222222";
const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const SERVER_ID = `${SUB}/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-1`;

describe("roleAssignments", function () {
  it("refuses a bad principal, role, principal type and a repeated pair", () => {
    assert.throws(
      () => validateRoleAssignments([{ principalId: "pg-admins", roleDefinitionId: AzureRole.Reader }]),
      /`roleAssignments\[0\].principalId` "pg-admins" is not a GUID/,
    );
    assert.throws(
      () => validateRoleAssignments([{ principalId: GROUP, roleDefinitionId: "Reader" }]),
      /`roleAssignments\[0\].roleDefinitionId` "Reader" is not a role definition; use a GUID such as AzureRole.Reader/,
    );
    assert.throws(
      () =>
        validateRoleAssignments([
          { principalId: GROUP, roleDefinitionId: AzureRole.Reader, principalType: "Device" as never },
        ]),
      /`roleAssignments\[0\].principalType` "Device" is not allowed; use one of Group, User, ServicePrincipal/,
    );
    assert.throws(
      () =>
        validateRoleAssignments([
          { principalId: GROUP, roleDefinitionId: AzureRole.Reader },
          { principalId: GROUP.toUpperCase(), roleDefinitionId: AzureRole.Reader },
        ]),
      /`roleAssignments\[1\]` assigns Reader to 11111111-1111-4111-8111-111111111111 a second time/,
    );
  });

  it("creates one RoleAssignment per entry under the parent, scoped to the server, named by principal and role", async () => {
    const from = recorder.resources.length;
    const rec = optionsRecorder();
    const parent = new pulumi.ComponentResource(
      "test:index:Parent",
      "rbac-parent",
      {},
      {
        transformations: [rec.transformation],
      },
    );
    const list = validateRoleAssignments([
      { principalId: GROUP, roleDefinitionId: AzureRole.Reader },
      {
        principalId: SP,
        roleDefinitionId: AzureRole.MonitoringReader,
        principalType: "ServicePrincipal",
        description: "dashboards",
      },
    ]);
    const made = createRoleAssignments("pg", list, SERVER_ID, { parent });
    assert.equal(made.length, 2);
    await settle();
    const created = since(from).filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    assert.deepEqual(
      created.map((r) => r.name),
      [`pg-rbac-${GROUP}-${AzureRole.Reader}`, `pg-rbac-${SP}-${AzureRole.MonitoringReader}`],
    );
    const reader = byName(created, `pg-rbac-${GROUP}-${AzureRole.Reader}`);
    assert.deepEqual(reader.inputs, {
      principalId: GROUP,
      principalType: "Group",
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${AzureRole.Reader}`,
      scope: SERVER_ID,
      description: "Azure RBAC on the PostgreSQL flexible server (zero-trust-azure-postgres).",
    });
    assert.deepEqual(
      rec.records.filter((r) => r.type !== "test:index:Parent").map((r) => [r.type, r.parent]),
      [
        ["azure-native:authorization:RoleAssignment", "rbac-parent"],
        ["azure-native:authorization:RoleAssignment", "rbac-parent"],
      ],
    );
    const mapping = {
      dir: "authorization/2022-04-01",
      armType: "Microsoft.Authorization/roleAssignments",
      apiVersion: "2022-04-01",
      nameInput: "roleAssignmentName",
      pathParams: ["scope"],
    };
    for (const r of created) assert.deepEqual(checkResource(mapping, r.inputs), [], r.name);
  });
});

describe("maintenanceWindow", function () {
  it("defaults to Azure's system-managed schedule", () => {
    assert.deepEqual(maintenanceWindowInputs(undefined), { customWindow: "Disabled" });
  });

  it("emits a custom window with the defaults for hour and minute", () => {
    assert.deepEqual(maintenanceWindowInputs({ dayOfWeek: 0 }), {
      customWindow: "Enabled",
      dayOfWeek: 0,
      startHour: 2,
      startMinute: 0,
    });
    assert.deepEqual(maintenanceWindowInputs({ dayOfWeek: 6, startHour: 23, startMinute: 30 }), {
      customWindow: "Enabled",
      dayOfWeek: 6,
      startHour: 23,
      startMinute: 30,
    });
  });

  it("refuses out-of-range values naming the field, the value and the range", () => {
    assert.throws(
      () => maintenanceWindowInputs({ dayOfWeek: 7 }),
      (e: Error) =>
        e.message ===
        "`maintenanceWindow.dayOfWeek` 7 is out of range; use a whole number from 0 to 6 (Sunday = 0, Saturday = 6).",
    );
    assert.throws(
      () => maintenanceWindowInputs({ dayOfWeek: 1, startHour: 24 }),
      /`maintenanceWindow.startHour` 24 is out of range; use a whole number from 0 to 23\./,
    );
    assert.throws(
      () => maintenanceWindowInputs({ dayOfWeek: 1, startMinute: 7.5 }),
      /`maintenanceWindow.startMinute` 7.5 is out of range/,
    );
  });

  it("fits the ARM type of the server's maintenanceWindow", () => {
    const mapping = {
      dir: "postgresql/2025-08-01",
      armType: "Microsoft.DBforPostgreSQL/flexibleServers",
      apiVersion: "2025-08-01",
      nameInput: "serverName",
      pathParams: ["resourceGroupName"],
    };
    const server = {
      serverName: "pg-ok-1",
      resourceGroupName: "rg",
      location: "swedencentral",
      maintenanceWindow: maintenanceWindowInputs({ dayOfWeek: 3, startHour: 1 }),
    };
    assert.deepEqual(checkResource(mapping, server), []);
    assert.match(
      checkResource(mapping, {
        ...server,
        maintenanceWindow: { ...server.maintenanceWindow, day: 3 },
      }).join(),
      /maintenanceWindow\.day: no such ARM property/,
    );
  });
});
