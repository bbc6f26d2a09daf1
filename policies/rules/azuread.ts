// Rules for Microsoft Entra persona groups under Privileged Identity Management (PIM for Groups), as
// @pulumi/azuread declares them. Seed 003 "User Access": persona groups live in Entra under PIM, so
// membership is just-in-time, time-bound, approved and MFA-backed while the database role stays
// constant.
//
// Resources read (@pulumi/azuread 6.x, https://www.pulumi.com/registry/packages/azuread/api-docs/,
// read 2026-11-30):
// - `GroupRoleManagementPolicy`: `groupId`, `roleId` (member|owner), `activationRules`
//   { maximumDuration (ISO 8601, PT30M..PT23H30M or PT1D), requireApproval, approvalStage
//   { primaryApprovers[] }, requireJustification, requireMultifactorAuthentication, … }.
// - `PrivilegedAccessGroupAssignmentSchedule` (active assignment): `groupId`, `principalId`,
//   `permanentAssignment`, `expirationDate`, `duration`.
// - `GroupMember`: `groupObjectId`, `memberObjectId` (standing membership, outside PIM).
// - `Group`: `displayName`, `description`, `members`.
// Microsoft's model of the same settings: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-role-settings
// (read 2026-11-30).
//
// Linking a policy, member or assignment to its group: the group id input equals a group's known
// object id, or (at preview, where ids are unknown) the resource depends on the group's URN. A group
// the stack does not declare (brought by object id) is keyed by that id string.

import { lead } from "./postgres";
import { SEED_003 } from "./refs";
import { isType } from "./tokens";
import type { ResourceRule, StackResourceView, StackRule, StackViolation } from "./types";
import { bool, cfg, covers, get, isUnknown, items, show, str } from "./util";

const TENANT_PIM_SETTINGS =
  "https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-role-settings";
const AZUREAD_POLICY_DOCS =
  "https://www.pulumi.com/registry/packages/azuread/api-docs/grouprolemanagementpolicy/";

/** Minutes in an ISO 8601 duration of days, hours, minutes and seconds (`P1D`, `PT8H`, `PT23H30M`); undefined otherwise. */
export function durationMinutes(v: unknown): number | undefined {
  if (typeof v !== "string" || v.length > 40) return undefined;
  const m = /^P(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,7})M)?(?:(\d{1,9})S)?)?$/.exec(
    v.trim().toUpperCase(),
  );
  if (!m || v.trim().toUpperCase() === "P" || v.trim().toUpperCase().endsWith("T")) return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return d * 1440 + h * 60 + min + s / 60;
}

function hours(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hours` : `${(minutes / 60).toFixed(1)} hours`;
}

export const pimActivationDuration: ResourceRule<"entra-pim-activation-duration"> = {
  kind: "resource",
  id: "entra-pim-activation-duration",
  title: "PIM activation duration",
  description:
    "PIM for Groups policies must cap activation at `maximumActivationHours` or less and state the cap explicitly.",
  enforcementLevel: "mandatory",
  resourceTypes: ["azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy"],
  config: {
    maximumActivationHours: {
      type: "integer",
      description:
        "Longest allowed activation of a persona group membership, in hours (Entra allows 0.5-24).",
      default: 8,
      minimum: 1,
      maximum: 24,
    },
  },
  remediation:
    'Set `activationRules.maximumDuration` to an ISO 8601 duration at or under the limit, e.g. "PT2H" for admin groups and "PT8H" for readers.',
  references: { seed: SEED_003.userAccess, links: [TENANT_PIM_SETTINGS, AZUREAD_POLICY_DOCS] },
  unsetSource: [
    {
      kind: "learn",
      // Read 2026-11-30 (page dated 2025-04-30): "Role settings are defined per role per group"; the
      // activation maximum duration "can be from one to 24 hours". The page names no default. Graph's
      // PIM for Groups overview (graph/api/resources/privilegedidentitymanagement-for-groups-api-overview,
      // dated 2025-08-29) says activation is "time-bound for a maximum of eight hours", which contradicts
      // the 24-hour range and is not a stated default, so the unset value is reported as not verified.
      ref: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-role-settings (activation maximum duration is a per-group role setting, one to 24 hours, that the tenant keeps unless the program sets it; the page names no default, read 2026-11-30)",
    },
    {
      kind: "provider-docs",
      ref: "https://www.pulumi.com/registry/packages/azuread/api-docs/grouprolemanagementpolicy/ (`activationRules.maximumDuration` optional, no default: the tenant's setting stays)",
    },
  ],
  unsetMeans:
    "An unset `activationRules.maximumDuration` keeps whatever the tenant's policy for the group has (Microsoft Learn documents a range of one to 24 hours, which an administrator can change outside the stack, and names no default; an 8-hour default is not verified), so it is flagged: a persona's cap must be declared. Unknown values are left to the SDK.",
  check(view, config) {
    if (!covers(this, view)) return [];
    const limitHours = cfg(this, config, "maximumActivationHours") as number;
    const raw = get(view.props, "activationRules", "maximumDuration");
    if (isUnknown(raw)) return [];
    if (raw === undefined || raw === null) {
      return [
        `${lead(this)}: activationRules.maximumDuration is unset, so the tenant's setting applies. Set it to at most "PT${limitHours}H".`,
      ];
    }
    const minutes = durationMinutes(raw);
    if (minutes === undefined) {
      return [
        `${lead(this)}: activationRules.maximumDuration ${show(raw)} is not an ISO 8601 duration. Use e.g. "PT${limitHours}H".`,
      ];
    }
    if (minutes > limitHours * 60) {
      return [
        `${lead(this)}: activationRules.maximumDuration ${show(raw)} allows ${hours(minutes)} of membership, above the ${limitHours}-hour limit. Set it to at most "PT${limitHours}H".`,
      ];
    }
    return [];
  },
};

// ---- Stack rules: they need the group behind a policy, member or assignment.

/** A string value that is known: not a preview sentinel, not empty. */
function knownId(v: unknown): string | undefined {
  return typeof v === "string" && !isUnknown(v) && v.trim() !== "" ? v.trim().toLowerCase() : undefined;
}

interface GroupIndex {
  /** Groups by URN. */
  groups: Map<string, StackResourceView>;
  /** Groups by known object id (`id` after create, `objectId` output). */
  byObjectId: Map<string, StackResourceView>;
}

function indexGroups(resources: readonly StackResourceView[]): GroupIndex {
  const groups = new Map<string, StackResourceView>();
  const byObjectId = new Map<string, StackResourceView>();
  for (const r of resources) {
    if (typeof r !== "object" || r === null || !isType(r.type, "entraGroup")) continue;
    groups.set(r.urn, r);
    for (const id of [r.id, get(r.outputs, "objectId"), get(r.outputs, "id")]) {
      const k = knownId(id);
      if (k) byObjectId.set(k, r);
    }
  }
  return { groups, byObjectId };
}

/**
 * The key of the group a resource points at through `prop`: the declared group's URN when one is
 * found (by object id, then by dependency), else `id:<object id>` for a group brought by id.
 */
function groupKey(r: StackResourceView, prop: string, ix: GroupIndex): string | undefined {
  const ref = get(r.props, prop);
  const id = knownId(ref);
  if (id) {
    const g = ix.byObjectId.get(id);
    return g ? g.urn : `id:${id}`;
  }
  const deps = Array.isArray(r.dependencies) ? r.dependencies : [];
  for (const urn of r.parent ? [...deps, r.parent] : deps) {
    if (typeof urn === "string" && ix.groups.has(urn)) return urn;
  }
  return undefined;
}

function label(r: StackResourceView): string {
  return `${r.type.split(":").pop() ?? r.type} "${typeof r.name === "string" ? r.name : ""}"`;
}

function groupLabel(key: string, ix: GroupIndex): string {
  const g = ix.groups.get(key);
  if (!g) return `group ${key.slice(3)}`;
  const name = str(get(g.props, "displayName"));
  return `group ${name && !isUnknown(name) ? JSON.stringify(name) : JSON.stringify(g.name)}`;
}

export const pimAdminApproval: StackRule<"entra-pim-admin-approval"> = {
  kind: "stack",
  id: "entra-pim-admin-approval",
  title: "PIM approval for admin groups",
  description:
    "PIM for Groups policies of admin-level persona groups must require approval by at least one named approver.",
  enforcementLevel: "mandatory",
  config: {
    adminNamePatterns: {
      type: "array",
      items: { type: "string" },
      description:
        "Case-insensitive fragments of a group's display name or description (or of the policy's name when the group is brought by id) that make it admin-level.",
      default: ["admin", "dba"],
    },
  },
  remediation:
    'Set `activationRules.requireApproval: true` with `approvalStage.primaryApprovers: [{ objectId, type: "groupMembers" }]` naming approvers other than the requesters.',
  references: { seed: SEED_003.userAccess, links: [TENANT_PIM_SETTINGS, AZUREAD_POLICY_DOCS] },
  unsetSource: [
    {
      kind: "learn",
      // Read 2026-11-30 (page dated 2025-04-30): "You can require approval for activation"; "There are no
      // default approvers." The page does not say whether a group's default policy requires approval.
      ref: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-role-settings (require approval to activate is a per-group role setting the tenant keeps unless the program sets it; there are no default approvers, read 2026-11-30)",
    },
    {
      kind: "provider-docs",
      ref: "https://www.pulumi.com/registry/packages/azuread/api-docs/grouprolemanagementpolicy/ (`activationRules.requireApproval` optional, no default: the tenant's setting stays)",
    },
  ],
  unsetMeans:
    "An unset `requireApproval` keeps the tenant's setting for the group (Microsoft Learn says there are no default approvers but not whether the default policy requires approval; a no-approval default is not verified), so it is flagged on an admin-level group. A group is admin-level when its display name or description matches a pattern, or when it is a PostgreSQL server's Entra administrator in the stack. Unknown values pass.",
  check(resources, config) {
    const ix = indexGroups(resources);
    const patterns = (cfg(this, config, "adminNamePatterns") as string[]).map((p) => p.toLowerCase());
    const matches = (...texts: unknown[]) =>
      texts.some(
        (t) => typeof t === "string" && patterns.some((p) => p !== "" && t.toLowerCase().includes(p)),
      );
    // Groups that administer a server: the administrator depends on the group or names its object id.
    const adminGroups = new Set<string>();
    for (const r of resources) {
      if (typeof r !== "object" || r === null || !isType(r.type, "entraAdministrator")) continue;
      const key = groupKey(r, "objectId", ix);
      if (key) adminGroups.add(key);
    }
    const out: StackViolation[] = [];
    for (const r of resources) {
      if (typeof r !== "object" || r === null || !isType(r.type, "pimGroupPolicy")) continue;
      const key = groupKey(r, "groupId", ix);
      const g = key ? ix.groups.get(key) : undefined;
      const admin =
        (key !== undefined && adminGroups.has(key)) ||
        (g ? matches(get(g.props, "displayName"), get(g.props, "description"), g.name) : matches(r.name));
      if (!admin) continue;
      const approval = get(r.props, "activationRules", "requireApproval");
      const approvers = get(r.props, "activationRules", "approvalStage", "primaryApprovers");
      if (isUnknown(approval) || isUnknown(get(r.props, "activationRules"))) continue;
      const what = key ? groupLabel(key, ix) : "an admin-level group";
      if (bool(approval) !== true) {
        out.push({
          urn: r.urn,
          message: `${lead(this)}: ${label(r)} governs admin-level ${what} but activationRules.requireApproval is ${show(approval)}. Set requireApproval: true with approvalStage.primaryApprovers.`,
        });
      } else if (!isUnknown(approvers) && items(approvers).length === 0) {
        out.push({
          urn: r.urn,
          message: `${lead(this)}: ${label(r)} requires approval for ${what} but names no approvalStage.primaryApprovers. Add at least one approver.`,
        });
      }
    }
    return out;
  },
};

export const pimNoStandingAccess: StackRule<"entra-pim-no-standing-access"> = {
  kind: "stack",
  id: "entra-pim-no-standing-access",
  title: "No standing access to PIM groups",
  description:
    "Persona groups under PIM must have no permanent active assignments and no standing members outside PIM.",
  enforcementLevel: "mandatory",
  config: {},
  remediation:
    "Replace permanent `PrivilegedAccessGroupAssignmentSchedule`s, `GroupMember`s and inline `members` of the group with `PrivilegedAccessGroupEligibilitySchedule`s, so members activate just in time.",
  references: { seed: SEED_003.userAccess, links: [TENANT_PIM_SETTINGS] },
  unsetSource: [
    {
      kind: "provider-docs",
      ref: "https://www.pulumi.com/registry/packages/azuread/api-docs/privilegedaccessgroupassignmentschedule/ (`permanentAssignment`, `expirationDate` and `duration` optional; none set means no expiry)",
    },
  ],
  unsetMeans:
    "A group is a persona group when a `GroupRoleManagementPolicy` in the stack governs it. An active assignment with `permanentAssignment` unset and no `expirationDate` or `duration` is permanent too; `members` unset means none. Unknown values pass.",
  check(resources) {
    const ix = indexGroups(resources);
    const governed = new Set<string>();
    for (const r of resources) {
      if (typeof r !== "object" || r === null || !isType(r.type, "pimGroupPolicy")) continue;
      const key = groupKey(r, "groupId", ix);
      if (key) governed.add(key);
    }
    if (governed.size === 0) return [];
    const out: StackViolation[] = [];
    for (const r of resources) {
      if (typeof r !== "object" || r === null) continue;
      if (isType(r.type, "pimGroupAssignment")) {
        const key = groupKey(r, "groupId", ix);
        if (!key || !governed.has(key)) continue;
        const permanent = get(r.props, "permanentAssignment");
        const ends = [get(r.props, "expirationDate"), get(r.props, "duration")];
        if (isUnknown(permanent) || ends.some(isUnknown)) continue;
        const bounded = ends.some((e) => typeof e === "string" && e.trim() !== "");
        if (bool(permanent) === true || !bounded) {
          out.push({
            urn: r.urn,
            message: `${lead(this)}: ${label(r)} is a permanent active assignment to persona ${groupLabel(key, ix)}. Use a PrivilegedAccessGroupEligibilitySchedule instead.`,
          });
        }
      } else if (isType(r.type, "entraGroupMember")) {
        const key = groupKey(r, "groupObjectId", ix);
        if (!key || !governed.has(key)) continue;
        out.push({
          urn: r.urn,
          message: `${lead(this)}: ${label(r)} makes a standing member of persona ${groupLabel(key, ix)}, outside PIM. Use a PrivilegedAccessGroupEligibilitySchedule instead.`,
        });
      } else if (isType(r.type, "entraGroup") && governed.has(r.urn)) {
        const members = get(r.props, "members");
        if (isUnknown(members) || items(members).length === 0) continue;
        out.push({
          urn: r.urn,
          message: `${lead(this)}: ${label(r)} lists ${items(members).length} standing member(s) of a persona group, outside PIM. Remove \`members\` and use PrivilegedAccessGroupEligibilitySchedules.`,
        });
      }
    }
    return out;
  },
};

/** The azuread resource rules. */
export const AZUREAD_RULES = [pimActivationDuration] as const satisfies readonly ResourceRule[];

/** The azuread stack rules. */
export const AZUREAD_STACK_RULES = [
  pimAdminApproval,
  pimNoStandingAccess,
] as const satisfies readonly StackRule[];
