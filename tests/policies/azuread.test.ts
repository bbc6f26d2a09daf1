// The PIM for Groups rules: each starts from a compliant persona stack (a group, its PIM policy and an
// eligibility) and changes one thing.

import * as assert from "node:assert/strict";

import { evaluateResource, evaluateStack, getRule } from "../../policies/rules";
import type { StackResourceView } from "../../policies/rules";
import { durationMinutes } from "../../policies/rules/azuread";
import { T, stackResource as res, urn } from "./fixtures";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const A = {
  group: "azuread:index/group:Group",
  policy: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
  eligible: "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  active: "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
  member: "azuread:index/groupMember:GroupMember",
};
const ADMIN_ID = "11111111-1111-4111-8111-111111111111";
const READER_ID = "22222222-2222-4222-8222-222222222222";
const APPROVERS = "33333333-3333-4333-8333-333333333333";
const USER = "44444444-4444-4444-8444-444444444444";

const adminPolicy = () => ({
  groupId: ADMIN_ID,
  roleId: "member",
  activationRules: {
    maximumDuration: "PT2H",
    requireApproval: true,
    approvalStage: { primaryApprovers: [{ objectId: APPROVERS, type: "groupMembers" }] },
    requireJustification: true,
    requireMultifactorAuthentication: true,
  },
});
const readerPolicy = () => ({
  groupId: READER_ID,
  roleId: "member",
  activationRules: {
    maximumDuration: "PT8H",
    requireJustification: true,
    requireMultifactorAuthentication: true,
  },
});

/** After an update: ids known, every link by object id. */
function happyStack(): StackResourceView[] {
  return [
    res(A.group, "app-admins", { displayName: "pg-app-admins", securityEnabled: true }, { id: ADMIN_ID }),
    res(A.group, "app-readers", { displayName: "pg-app-readers", securityEnabled: true }, { id: READER_ID }),
    res(A.policy, "app-admins-pim", adminPolicy()),
    res(A.policy, "app-readers-pim", readerPolicy()),
    res(A.eligible, "app-admins-eligible", {
      groupId: ADMIN_ID,
      principalId: USER,
      assignmentType: "member",
      duration: "P180D",
    }),
  ];
}

/** At preview: group ids unknown, links by dependency only. */
function previewStack(): StackResourceView[] {
  const s = happyStack().map((r) => ({
    ...r,
    props: JSON.parse(JSON.stringify(r.props)) as Record<string, unknown>,
  }));
  for (const r of s) {
    delete r.id;
    if (r.props.groupId === ADMIN_ID) {
      r.props.groupId = UNKNOWN;
      r.dependencies = [urn(A.group, "app-admins")];
    } else if (r.props.groupId === READER_ID) {
      r.props.groupId = UNKNOWN;
      r.dependencies = [urn(A.group, "app-readers")];
    }
  }
  return s;
}

function ids(stack: StackResourceView[], config: Record<string, unknown> = {}): [string, string][] {
  return evaluateStack(stack, config as never)
    .filter((v) => v.ruleId.startsWith("entra-"))
    .map((v) => [v.ruleId, (v.urn ?? "").split("::").pop() ?? ""]);
}

function find(stack: StackResourceView[], name: string): StackResourceView {
  const r = stack.find((x) => x.name === name);
  assert.ok(r, name);
  return r;
}

describe("entra PIM rules", () => {
  it("reads ISO 8601 activation durations in minutes", () => {
    assert.equal(durationMinutes("PT2H"), 120);
    assert.equal(durationMinutes("PT23H30M"), 1410);
    assert.equal(durationMinutes("P1D"), 1440);
    assert.equal(durationMinutes("pt30m"), 30);
    assert.equal(durationMinutes("P"), undefined);
    assert.equal(durationMinutes("PT"), undefined);
    assert.equal(durationMinutes("8 hours"), undefined);
    assert.equal(durationMinutes(8), undefined);
  });

  describe("entra-pim-activation-duration", () => {
    const check = (props: Record<string, unknown>, config = {}) =>
      evaluateResource({ type: A.policy, props }, { "entra-pim-activation-duration": config }).map(
        (v) => `${v.ruleId} ${v.level}: ${v.message}`,
      );

    it("passes caps at or under the default 8 hours", () => {
      assert.deepEqual(check(adminPolicy()), []);
      assert.deepEqual(check(readerPolicy()), []);
    });
    it("flags a 9-hour activation", () => {
      const p = readerPolicy();
      p.activationRules.maximumDuration = "PT9H";
      const [m, ...rest] = check(p);
      assert.deepEqual(rest, []);
      assert.match(m, /^entra-pim-activation-duration mandatory: /);
      assert.match(m, /"PT9H" allows 9 hours of membership, above the 8-hour limit/);
    });
    it("flags a whole day, and honours a stricter configured limit", () => {
      const p = readerPolicy();
      p.activationRules.maximumDuration = "P1D";
      assert.match(check(p)[0], /24 hours/);
      assert.match(
        check(readerPolicy(), { maximumActivationHours: 4 })[0],
        /above the 4-hour limit\. Set it to at most "PT4H"/,
      );
    });
    it("flags an unset cap and a value that is not a duration", () => {
      assert.match(check({ groupId: READER_ID, roleId: "member" })[0], /maximumDuration is unset/);
      const p = readerPolicy();
      p.activationRules.maximumDuration = "8h";
      assert.match(check(p)[0], /"8h" is not an ISO 8601 duration/);
    });
    it("leaves an unknown cap to the SDK", () => {
      const p = readerPolicy();
      p.activationRules.maximumDuration = UNKNOWN;
      assert.deepEqual(check(p), []);
    });
    it("ignores other resource types", () => {
      assert.deepEqual(
        evaluateResource({ type: A.group, props: {} }).filter((v) => v.ruleId.startsWith("entra-")),
        [],
      );
    });
  });

  for (const [when, stack] of [
    ["after an update (linked by object id)", happyStack],
    ["at preview (linked by dependency)", previewStack],
  ] as const) {
    describe(`stack rules ${when}`, () => {
      it("pass the compliant persona stack", () => {
        assert.deepEqual(ids(stack()), []);
      });

      it("entra-pim-admin-approval flags an admin group's policy without approval", () => {
        const s = stack();
        const p = find(s, "app-admins-pim");
        (p.props.activationRules as Record<string, unknown>).requireApproval = false;
        assert.deepEqual(ids(s), [["entra-pim-admin-approval", "app-admins-pim"]]);
        const [v] = evaluateStack(s).filter((x) => x.ruleId === "entra-pim-admin-approval");
        assert.equal(v.level, "mandatory");
        assert.match(
          v.message,
          /governs admin-level group "pg-app-admins" but activationRules\.requireApproval is false/,
        );
      });

      it("entra-pim-admin-approval flags approval with no approvers", () => {
        const s = stack();
        const p = find(s, "app-admins-pim");
        (p.props.activationRules as Record<string, unknown>).approvalStage = { primaryApprovers: [] };
        const [v, ...rest] = evaluateStack(s).filter((x) => x.ruleId.startsWith("entra-"));
        assert.deepEqual(rest, []);
        assert.match(v.message, /names no approvalStage\.primaryApprovers/);
      });

      it("entra-pim-admin-approval leaves a reader group without approval alone", () => {
        assert.deepEqual(
          ids(stack()).filter(([id]) => id === "entra-pim-admin-approval"),
          [],
        );
      });

      it("entra-pim-admin-approval treats a server's Entra administrator group as admin-level whatever its name", () => {
        const s = stack();
        const g = find(s, "app-readers");
        g.props.displayName = "pg-app-operators";
        s.push(
          res(
            T.admin,
            "pg-admin",
            {
              resourceGroupName: "rg",
              serverName: "pg",
              objectId: find(s, "app-readers-pim").props.groupId,
              principalType: "Group",
            },
            { dependencies: [g.urn] },
          ),
        );
        assert.deepEqual(ids(s), [["entra-pim-admin-approval", "app-readers-pim"]]);
      });

      it("entra-pim-admin-approval matches configured name patterns", () => {
        assert.deepEqual(ids(stack(), { "entra-pim-admin-approval": { adminNamePatterns: ["readers"] } }), [
          ["entra-pim-admin-approval", "app-readers-pim"],
        ]);
      });

      it("entra-pim-no-standing-access flags a permanent active assignment", () => {
        const s = stack();
        const e = find(s, "app-admins-eligible");
        s.push(
          res(
            A.active,
            "app-admins-forever",
            { ...e.props, duration: undefined, permanentAssignment: true },
            { dependencies: e.dependencies },
          ),
        );
        assert.deepEqual(ids(s), [["entra-pim-no-standing-access", "app-admins-forever"]]);
        assert.match(
          evaluateStack(s).find((v) => v.ruleId === "entra-pim-no-standing-access")?.message ?? "",
          /is a permanent active assignment to persona group "pg-app-admins"/,
        );
      });

      it("entra-pim-no-standing-access flags an active assignment without an end, and passes a time-bound one", () => {
        const s = stack();
        const e = find(s, "app-admins-eligible");
        s.push(
          res(
            A.active,
            "app-admins-open",
            { ...e.props, duration: undefined },
            { dependencies: e.dependencies },
          ),
        );
        s.push(
          res(A.active, "app-admins-4h", { ...e.props, duration: "PT4H" }, { dependencies: e.dependencies }),
        );
        assert.deepEqual(ids(s), [["entra-pim-no-standing-access", "app-admins-open"]]);
      });

      it("entra-pim-no-standing-access flags a GroupMember and inline members of a persona group", () => {
        const s = stack();
        const g = find(s, "app-readers");
        s.push(
          res(
            A.member,
            "reader-bob",
            { groupObjectId: find(s, "app-readers-pim").props.groupId, memberObjectId: USER },
            { dependencies: [g.urn] },
          ),
        );
        g.props.members = [USER];
        assert.deepEqual(ids(s), [
          ["entra-pim-no-standing-access", "app-readers"],
          ["entra-pim-no-standing-access", "reader-bob"],
        ]);
      });

      it("entra-pim-no-standing-access ignores groups no PIM policy governs", () => {
        const s = stack();
        s.push(res(A.group, "team", { displayName: "team", members: [USER] }));
        s.push(
          res(A.member, "team-bob", {
            groupObjectId: "55555555-5555-4555-8555-555555555555",
            memberObjectId: USER,
          }),
        );
        assert.deepEqual(ids(s), []);
      });
    });
  }

  it("links a policy and a member to a group brought by object id", () => {
    const s = [
      res(A.policy, "byo-admins-pim", { ...adminPolicy(), groupId: ADMIN_ID }),
      res(A.member, "byo-bob", { groupObjectId: ADMIN_ID, memberObjectId: USER }),
    ];
    assert.deepEqual(ids(s), [["entra-pim-no-standing-access", "byo-bob"]]);
    const p = s[0].props.activationRules as Record<string, unknown>;
    delete p.requireApproval;
    assert.deepEqual(ids(s), [
      ["entra-pim-admin-approval", "byo-admins-pim"],
      ["entra-pim-no-standing-access", "byo-bob"],
    ]);
    assert.match(
      evaluateStack(s).find((v) => v.ruleId === "entra-pim-admin-approval")?.message ?? "",
      /group 11111111-1111-4111-8111-111111111111 but activationRules\.requireApproval is unset/,
    );
  });

  it("declares its config defaults in the schema", () => {
    assert.equal(getRule("entra-pim-activation-duration").config.maximumActivationHours.default, 8);
    assert.deepEqual(getRule("entra-pim-admin-approval").config.adminNamePatterns.default, ["admin", "dba"]);
  });
});
