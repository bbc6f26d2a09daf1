// Persona groups under PIM: secure defaults per access level, refusals naming the field, and the
// azuread children (types, names, key inputs) a created persona brings. The planned policy passes the
// pack's PIM rules.

import * as assert from "node:assert/strict";
import { recorder, settle, since, byName } from "../helpers/mocks"; // mocks first
import * as pulumi from "@pulumi/pulumi";
import {
  PIM_DEFAULTS,
  activationDuration,
  createPersonaPim,
  eligibilityInputs,
  groupInputs,
  policyInputs,
  resolvePersonaPim,
  slug,
} from "../../components/postgres/pim";
import { evaluateResource, evaluateStack } from "../../policies/rules";

const APPROVERS = "33333333-3333-4333-8333-333333333333";
const ALICE = "44444444-4444-4444-8444-444444444444";
const BOB = "55555555-5555-4555-8555-555555555555";

describe("persona PIM", () => {
  describe("defaults per access level", () => {
    it("admin: approval, justification, MFA, at most 2 hours", () => {
      const p = resolvePersonaPim("personas[0]", "pg-admins", "admin", { approverIds: [APPROVERS] });
      assert.deepEqual(
        [
          p.maxActivationHours,
          p.requireApproval,
          p.requireJustification,
          p.requireMfaOnActivation,
          p.eligibilityDays,
        ],
        [2, true, true, true, 180],
      );
      assert.deepEqual(policyInputs(p, "gid").activationRules, {
        maximumDuration: "PT2H",
        requireApproval: true,
        approvalStage: { primaryApprovers: [{ objectId: APPROVERS, type: "groupMembers" }] },
        requireJustification: true,
        requireMultifactorAuthentication: true,
      });
    });
    it("writer: justification and MFA, at most 4 hours, no approval", () => {
      const p = resolvePersonaPim("personas[1]", "pg-writers", "writer", {});
      assert.deepEqual(policyInputs(p, "gid").activationRules, {
        maximumDuration: "PT4H",
        requireApproval: false,
        requireJustification: true,
        requireMultifactorAuthentication: true,
      });
    });
    it("reader: justification and MFA, at most 8 hours, no approval", () => {
      const p = resolvePersonaPim("personas[2]", "pg-readers", "reader", {});
      assert.equal(
        policyInputs(p, "gid").activationRules &&
          (policyInputs(p, "gid").activationRules as { maximumDuration: string }).maximumDuration,
        "PT8H",
      );
      assert.deepEqual(PIM_DEFAULTS.reader, { maxActivationHours: 8, requireApproval: false });
    });
    it("forbids permanent assignments and notifies on every activation", () => {
      const p = resolvePersonaPim("personas[2]", "pg-readers", "reader", {
        notificationRecipients: ["dba-oncall@example.com"],
      });
      const i = policyInputs(p, "gid");
      assert.equal(i.roleId, "member");
      assert.deepEqual(i.activeAssignmentRules, { expirationRequired: true, expireAfter: "P15D" });
      assert.deepEqual(i.eligibleAssignmentRules, { expirationRequired: true, expireAfter: "P365D" });
      assert.deepEqual(i.notificationRules, {
        eligibleActivations: {
          adminNotifications: {
            defaultRecipients: true,
            notificationLevel: "All",
            additionalRecipients: ["dba-oncall@example.com"],
          },
        },
      });
    });
    it("spells durations as Entra does", () => {
      assert.deepEqual([0.5, 1.5, 2, 23.5, 24].map(activationDuration), [
        "PT30M",
        "PT1H30M",
        "PT2H",
        "PT23H30M",
        "P1D",
      ]);
    });
  });

  describe("refuses bad settings, naming the field and the value", () => {
    const cases: [string, string, Parameters<typeof resolvePersonaPim>[3], RegExp][] = [
      [
        "admin without approvers",
        "admin",
        {},
        /`personas\[0\]\.pim\.approverIds` is empty but activation of "g" needs approval \(the default for admin groups\)/,
      ],
      [
        "approvers without approval",
        "reader",
        { approverIds: [APPROVERS] },
        /`personas\[0\]\.pim\.approverIds` is set but `personas\[0\]\.pim\.requireApproval` is false/,
      ],
      [
        "a 25-hour activation",
        "reader",
        { maxActivationHours: 25 },
        /`personas\[0\]\.pim\.maxActivationHours` 25 is not allowed; use 0\.5-24 hours in half-hour steps/,
      ],
      [
        "a 20-minute step",
        "reader",
        { maxActivationHours: 1.33 },
        /maxActivationHours` 1\.33 is not allowed/,
      ],
      [
        "an approver that is not a GUID",
        "admin",
        { approverIds: ["dbas"] },
        /`personas\[0\]\.pim\.approverIds\[0\]` "dbas" is not allowed; use an Entra object id/,
      ],
      [
        "a duplicate eligible principal",
        "reader",
        { eligiblePrincipalIds: [ALICE, ALICE.toUpperCase()] },
        /eligiblePrincipalIds\[1\]`.*list each object id once/,
      ],
      [
        "an eligibility of 400 days",
        "reader",
        { eligibilityDays: 400 },
        /`personas\[0\]\.pim\.eligibilityDays` 400 is not allowed; use a whole number of days from 1 to 365/,
      ],
      [
        "an unknown approver type",
        "admin",
        { approverIds: [APPROVERS], approverType: "manager" },
        /approverType` "manager" is not allowed; use "groupMembers" or "singleUser"/,
      ],
      [
        "a bad notification address",
        "reader",
        { notificationRecipients: ["ops"] },
        /notificationRecipients\[0\]` "ops" is not allowed; use an e-mail address/,
      ],
      [
        "a string for a flag",
        "reader",
        { requireJustification: "yes" as unknown as boolean },
        /requireJustification` "yes" is not allowed; use true or false/,
      ],
    ];
    for (const [what, access, input, re] of cases) {
      it(`refuses ${what}`, () => {
        assert.throws(() => resolvePersonaPim("personas[0]", "g", access as "admin", input), re);
      });
    }
  });

  it("plans policies that pass the pack's PIM rules at their defaults", () => {
    const admin = resolvePersonaPim("personas[0]", "pg-app-admins", "admin", { approverIds: [APPROVERS] });
    const reader = resolvePersonaPim("personas[1]", "pg-app-readers", "reader", {});
    for (const p of [admin, reader]) {
      const props = JSON.parse(
        JSON.stringify(policyInputs(p, "11111111-1111-4111-8111-111111111111")),
      ) as Record<string, unknown>;
      assert.deepEqual(
        evaluateResource({
          type: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
          props,
        }),
        [],
      );
    }
    // A writer asked for 12 hours is what the pack's 8-hour limit flags.
    const long = resolvePersonaPim("personas[2]", "pg-app-writers", "writer", { maxActivationHours: 12 });
    const props = JSON.parse(JSON.stringify(policyInputs(long, "gid"))) as Record<string, unknown>;
    assert.deepEqual(
      evaluateResource({
        type: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
        props,
      }).map((v) => v.ruleId),
      ["entra-pim-activation-duration"],
    );
  });

  it("names Pulumi resources from a slug of the group name", () => {
    assert.equal(slug("PG App Admins (prod)"), "pg-app-admins-prod");
    assert.equal(slug("***"), "group");
  });

  it("creates the group, its PIM policy and one time-bound eligibility per principal", async () => {
    const from = recorder.resources.length;
    const p = resolvePersonaPim("personas[0]", "pg-app-admins", "admin", {
      approverIds: [APPROVERS],
      eligiblePrincipalIds: [ALICE, BOB],
      ownerIds: [APPROVERS],
    });
    const made = createPersonaPim("zt", p, "app", {});
    const objectId = await new Promise<string>((resolve) => made.group.objectId.apply((v) => resolve(v)));
    await settle();
    const rs = since(from);
    assert.deepEqual(
      rs.map((r) => [r.type, r.name]),
      [
        ["azuread:index/group:Group", "zt-group-pg-app-admins"],
        ["azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy", "zt-group-pg-app-admins-pim"],
        [
          "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
          `zt-group-pg-app-admins-eligible-${ALICE}`,
        ],
        [
          "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
          `zt-group-pg-app-admins-eligible-${BOB}`,
        ],
      ],
    );
    assert.deepEqual(byName(rs, "zt-group-pg-app-admins").inputs, {
      displayName: "pg-app-admins",
      description: 'PostgreSQL admin persona of database "app", governed by PIM (zero-trust-azure-postgres).',
      securityEnabled: true,
      mailEnabled: false,
      preventDuplicateNames: true,
      owners: [APPROVERS],
    });
    assert.equal(byName(rs, "zt-group-pg-app-admins-pim").inputs.groupId, objectId);
    assert.deepEqual(byName(rs, `zt-group-pg-app-admins-eligible-${BOB}`).inputs, {
      groupId: objectId,
      principalId: BOB,
      assignmentType: "member",
      duration: "P180D",
      justification: "Eligible for the admin persona of PostgreSQL (zero-trust-azure-postgres).",
    });
    // The pure builders give the same inputs the resources were created with.
    assert.deepEqual(
      eligibilityInputs(p, objectId, BOB),
      byName(rs, `zt-group-pg-app-admins-eligible-${BOB}`).inputs,
    );
    assert.equal(groupInputs(p, "app").displayName, "pg-app-admins");

    // The created stack passes the pack's PIM stack rules.
    const stack = rs.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      id: r.type === "azuread:index/group:Group" ? objectId : r.id,
      props: r.inputs,
      dependencies: [],
    }));
    assert.deepEqual(
      evaluateStack(stack).filter((v) => v.ruleId.startsWith("entra-")),
      [],
    );
    assert.ok(pulumi.Output.isInstance(made.policy.id));
  });
});
