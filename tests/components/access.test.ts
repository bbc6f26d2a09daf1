// The access plan: personas brought or created under PIM, CI identities and the break-glass
// administrator resolved together; then the principals the bootstrap script gets and the outputs.

import * as assert from "node:assert/strict";
import { promiseOf, settle } from "../helpers/mocks"; // mocks first
import {
  accessPrincipals,
  ciConnections,
  createAccess,
  personaGroupIds,
  planAccess,
  serviceAccountManifests,
} from "../../components/postgres/access";

const ADMINS = [{ objectId: "11111111-1111-4111-8111-111111111111", principalName: "pg-admins" }];
const READERS = "22222222-2222-4222-8222-222222222222";
const APPROVERS = "33333333-3333-4333-8333-333333333333";
const ALICE = "44444444-4444-4444-8444-444444444444";

describe("access plan", () => {
  it("refuses a persona with both an object id and PIM, and one with neither", () => {
    assert.throws(
      () =>
        planAccess("zt", {
          administrators: ADMINS,
          personas: [{ groupName: "g", objectId: READERS, access: "reader", pim: {} }],
        }),
      /`personas\[0\]\.objectId` and `personas\[0\]\.pim` are both set/,
    );
    assert.throws(
      () => planAccess("zt", { administrators: ADMINS, personas: [{ groupName: "g", access: "reader" }] }),
      /`personas\[0\]\.objectId` is missing; give the Entra group's object id, or set `personas\[0\]\.pim`/,
    );
    assert.throws(
      () =>
        planAccess("zt", {
          administrators: ADMINS,
          personas: [
            { groupName: "g", objectId: READERS, access: "reader", requireMfa: "yes" as unknown as boolean },
          ],
        }),
      /`personas\[0\]\.requireMfa` "yes" is not allowed; use true or false/,
    );
  });

  it("refuses a CI identity whose role collides with a persona group", () => {
    assert.throws(
      () =>
        planAccess("zt", {
          administrators: ADMINS,
          personas: [{ groupName: "zt-ci-deploy-id", objectId: READERS, access: "reader" }],
          ciIdentities: [
            { name: "deploy", federations: [{ github: { repository: "a/b", branch: "main" } }] },
          ],
        }),
      /`ciIdentities\[0\]\.name` "deploy" gives role "zt-ci-deploy-id", already a persona's group name/,
    );
  });

  it("gives the bootstrap script every persona (MFA on by default) and CI identity (no MFA)", async () => {
    const plan = planAccess("zt", {
      administrators: ADMINS,
      personas: [
        {
          groupName: "pg-app-admins",
          access: "admin",
          pim: { approverIds: [APPROVERS], eligiblePrincipalIds: [ALICE] },
        },
        { groupName: "pg-app-readers", objectId: READERS.toUpperCase(), access: "reader", requireMfa: false },
      ],
      ciIdentities: [
        { name: "deploy", federations: [{ github: { repository: "contoso/db", environment: "prod" } }] },
      ],
      breakGlassAdministrator: {
        objectId: "88888888-8888-4888-8888-888888888888",
        principalName: "bg-pg@contoso.com",
      },
    });
    assert.equal(plan.breakGlass?.principalName, "bg-pg@contoso.com");
    assert.equal(plan.personas[0].pim?.maxActivationHours, 2);
    const made = createAccess(
      "zt",
      plan,
      { databaseName: "app", resourceGroupName: "rg-zt", location: "westeurope" },
      {},
    );
    const principals = await promiseOf(accessPrincipals(plan, made));
    const groupId = await promiseOf(made.personaGroups.get("pg-app-admins")!.group.objectId);
    const ci = await promiseOf(ciConnections(made));
    await settle();
    assert.deepEqual(
      principals.map((p) => [p.role, p.principalType, p.access, p.requireMfa]),
      [
        ["pg-app-admins", "group", "admin", true],
        ["pg-app-readers", "group", "reader", false],
        ["zt-ci-deploy-id", "service", "admin", false],
      ],
    );
    assert.equal(principals[0].objectId, groupId);
    assert.equal(principals[1].objectId, READERS);
    assert.deepEqual(await promiseOf(personaGroupIds(plan, made)), {
      "pg-app-admins": groupId,
      "pg-app-readers": READERS,
    });
    assert.deepEqual(
      ci.map((c) => [c.name, c.role, c.access]),
      [["deploy", "zt-ci-deploy-id", "admin"]],
    );
    assert.match(ci[0].clientId, /^[0-9a-f-]{36}$/);
  });

  it("emits a ServiceAccount manifest per AKS-federated workload only", async () => {
    const clientId = "77777777-7777-4777-8777-777777777777";
    const manifests = await promiseOf(
      serviceAccountManifests(
        [
          { name: "orders", aks: { namespace: "orders", serviceAccount: "orders-api" }, clientId },
          { name: "batch", clientId },
        ],
        "00000000-0000-4000-8000-0000000000aa",
      ),
    );
    assert.deepEqual(Object.keys(manifests), ["orders"]);
    assert.match(manifests.orders, /^apiVersion: v1\nkind: ServiceAccount\n/);
    assert.match(
      manifests.orders,
      /"azure\.workload\.identity\/client-id": "77777777-7777-4777-8777-777777777777"/,
    );
  });
});
