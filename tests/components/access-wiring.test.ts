// The access model inside the component: personas created under PIM, CI identities, the break-glass
// administrator and the access-model monitoring are children of the component with pinned names; the
// bootstrap script carries isMfa; bad settings are refused before anything is registered.

import * as assert from "node:assert/strict";
import "../helpers/mocks"; // mocks first
import { promiseOf } from "../helpers/mocks";
import type { ZeroTrustPostgresArgs } from "../../components";
import { build, minimalArgs, registrationsDuring, tweak, ADMIN_ID, ISSUER } from "./fixtures";

const APPROVERS = "33333333-3333-4333-8333-333333333333";
const ALICE = "44444444-4444-4444-8444-444444444444";
const BYO = "55555555-5555-4555-8555-555555555555";
const BREAK_GLASS = "99999999-9999-4999-8999-999999999999";

function accessArgs(): ZeroTrustPostgresArgs {
  return tweak(minimalArgs(), (a) => {
    a.personas = [
      {
        groupName: "pg-app-admins",
        access: "admin",
        pim: { approverIds: [APPROVERS], eligiblePrincipalIds: [ALICE] },
      },
      { groupName: "pg-app-readers", access: "reader", pim: {} },
      { groupName: "pg-support", objectId: BYO, access: "reader", requireMfa: false },
    ];
    a.ciIdentities = [
      { name: "deploy", federations: [{ github: { repository: "contoso/db", environment: "prod" } }] },
    ];
    a.breakGlassAdministrator = { objectId: BREAK_GLASS, principalName: "bg-pg@contoso.com" };
    a.workloadIdentities = [
      {
        name: "orders",
        access: "writer",
        aks: { issuerUrl: ISSUER, namespace: "orders", serviceAccount: "orders-api" },
      },
    ];
  });
}

describe("access model in the component", function () {
  this.timeout(120000);
  let b: Awaited<ReturnType<typeof build>>;
  before(async () => {
    b = await build("zac", accessArgs());
  });

  it("creates the persona groups, their PIM policies and eligibilities as children of the component", () => {
    const names = (type: string) =>
      b
        .ofType(type)
        .map((r) => r.name)
        .sort();
    assert.deepEqual(names("azuread:index/group:Group"), [
      "zac-group-pg-app-admins",
      "zac-group-pg-app-readers",
    ]);
    assert.deepEqual(names("azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy"), [
      "zac-group-pg-app-admins-pim",
      "zac-group-pg-app-readers-pim",
    ]);
    assert.deepEqual(
      names(
        "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
      ),
      [`zac-group-pg-app-admins-eligible-${ALICE}`],
    );
    for (const n of [
      "zac-group-pg-app-admins",
      "zac-group-pg-app-admins-pim",
      "zac-ci-deploy-id",
      "zac-queries",
    ])
      assert.equal(b.opts(n).parent, "zac", n);
    const policy = b.get(
      "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
      "zac-group-pg-app-readers-pim",
    );
    assert.equal((policy.inputs.activationRules as { maximumDuration: string }).maximumDuration, "PT8H");
  });

  it("adds the break-glass administrator as a separate Entra administrator and alerts on its sign-ins", () => {
    const admins = b
      .ofType("azure-native:dbforpostgresql:AdministratorsMicrosoftEntra")
      .map((r) => r.name)
      .sort();
    assert.deepEqual(admins, [`zac-admin-${ADMIN_ID}`, `zac-admin-${BREAK_GLASS}`]);
    assert.equal(
      b.get("azure-native:dbforpostgresql:AdministratorsMicrosoftEntra", `zac-admin-${BREAK_GLASS}`).inputs
        .principalType,
      "User",
    );
    const alert = b.get("azure-native:monitor:ScheduledQueryRule", "zac-alert-break-glass").inputs;
    assert.equal(alert.severity, 0);
  });

  it("creates the CI identity with its GitHub credential, the CMK and Defender alerts, the workspace lock and the query pack", () => {
    assert.equal(
      b
        .ofType("azure-native:managedidentity:FederatedIdentityCredential")
        .filter((r) => r.name.startsWith("zac-ci-deploy-github-")).length,
      1,
    );
    for (const n of ["zac-alert-server-unavailable", "zac-alert-defender"])
      b.get("azure-native:monitor:ActivityLogAlert", n);
    b.get("azure-native:authorization:ManagementLockByScope", "zac-logs-lock");
    b.get("azure-native:operationalinsights:QueryPack", "zac-queries");
    assert.equal(b.ofType("azure-native:operationalinsights:Query").length, 4);
    assert.equal(b.get("azure-native:operationalinsights:Workspace", "zac-logs").inputs.retentionInDays, 365);
  });

  it("writes isMfa per principal into the bootstrap script and exposes the access outputs", async () => {
    const c = b.component as unknown as Record<string, import("@pulumi/pulumi").Output<unknown>>;
    const sql = (await promiseOf(c.bootstrapSql)) as string;
    const groups = (await promiseOf(c.personaGroupIds)) as Record<string, string>;
    assert.ok(
      sql.includes(
        `pgaadauth_create_principal_with_oid('pg-app-admins', '${groups["pg-app-admins"]}', 'group', false, true)`,
      ),
      sql,
    );
    assert.ok(
      sql.includes(`pgaadauth_create_principal_with_oid('pg-support', '${BYO}', 'group', false, false)`),
    );
    assert.match(
      sql,
      /pgaadauth_create_principal_with_oid\('zac-ci-deploy-id', '[0-9a-f-]{36}', 'service', false, false\)/,
    );
    assert.equal(groups["pg-support"], BYO);
    const ci = (await promiseOf(c.ciIdentities)) as { name: string; role: string; access: string }[];
    assert.deepEqual(
      ci.map((x) => [x.name, x.role, x.access]),
      [["deploy", "zac-ci-deploy-id", "admin"]],
    );
    const manifests = (await promiseOf(c.serviceAccountManifests)) as Record<string, string>;
    assert.deepEqual(Object.keys(manifests), ["orders"]);
    assert.match(manifests.orders, /"azure\.workload\.identity\/client-id": "[0-9a-f-]{36}"/);
  });

  describe("refuses before registering anything", () => {
    const cases: [string, (a: ZeroTrustPostgresArgs) => void, RegExp][] = [
      [
        "an admin persona whose activation needs no approval (what the pack flags)",
        (a) =>
          (a.personas = [{ groupName: "pg-app-admins", access: "admin", pim: { requireApproval: false } }]),
        /\[entra-pim-admin-approval\] .*governs admin-level group "pg-app-admins" but activationRules\.requireApproval is false/,
      ],
      [
        "a 12-hour reader activation (above the pack's 8-hour limit)",
        (a) =>
          (a.personas = [{ groupName: "pg-app-readers", access: "reader", pim: { maxActivationHours: 12 } }]),
        /\[entra-pim-activation-duration\] .*"PT12H" allows 12 hours of membership, above the 8-hour limit/,
      ],
      [
        "a persona with both objectId and pim",
        (a) => (a.personas = [{ groupName: "g", objectId: BYO, access: "reader", pim: {} }]),
        /`personas\[0\]\.objectId` and `personas\[0\]\.pim` are both set/,
      ],
      [
        "the daily admin group as break-glass",
        (a) => (a.breakGlassAdministrator = { objectId: ADMIN_ID, principalName: "other" }),
        /`breakGlassAdministrator` "other" is also listed in `administrators`/,
      ],
      [
        "a CI identity without a federation",
        (a) => (a.ciIdentities = [{ name: "deploy", federations: [] }]),
        /`ciIdentities\[0\]\.federations` \[\] is not allowed/,
      ],
    ];
    for (const [what, change, re] of cases) {
      it(`refuses ${what}`, async () => {
        const { ZeroTrustPostgres } = await import("../../components");
        const { count, error } = await registrationsDuring(
          () => new ZeroTrustPostgres("zac-bad", tweak(minimalArgs(), change)),
        );
        assert.equal(count, 0);
        assert.match(String((error as Error)?.message), /refused its arguments \(nothing was created\)/);
        assert.match(String((error as Error)?.message), re);
      });
    }
  });
});
