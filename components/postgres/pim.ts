// Persona groups under Privileged Identity Management (seed 003 "User Access"): when a persona asks
// the component to create its group, the component creates the Entra security group, the PIM for
// Groups policy of its `member` role and one eligibility schedule per eligible principal. Bringing the
// group by object id stays the default (creating groups needs Entra directory roles many platform
// engineers do not hold: see docs/access-model.md).
//
// @pulumi/azuread 6.x resources and inputs (https://www.pulumi.com/registry/packages/azuread/api-docs/
// group, grouprolemanagementpolicy, privilegedaccessgroupeligibilityschedule; read 2026-11-30):
// - `Group`: displayName, description, securityEnabled, mailEnabled, owners, preventDuplicateNames.
// - `GroupRoleManagementPolicy`: groupId, roleId (`member` | `owner`), activationRules
//   { maximumDuration (ISO 8601, PT30M..PT23H30M in 30-minute steps, or PT1D), requireApproval,
//   approvalStage { primaryApprovers [{ objectId, type: singleUser | groupMembers }] },
//   requireJustification, requireMultifactorAuthentication }, activeAssignmentRules /
//   eligibleAssignmentRules { expirationRequired, expireAfter (P15D|P30D|P90D|P180D|P365D) },
//   notificationRules { eligibleActivations { adminNotifications { defaultRecipients,
//   notificationLevel (All | Critical), additionalRecipients } } }.
// - `PrivilegedAccessGroupEligibilitySchedule`: groupId, principalId, assignmentType, duration,
//   justification.
// Microsoft's settings model: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-role-settings
// (read 2026-11-30).
//
// Secure defaults per access level (the brief's floor, and our choice for writer):
//   admin:  approval by named approvers, justification, MFA on activation, at most 2 hours.
//   writer: justification and MFA on activation, at most 4 hours, no approval (writers change data,
//           not the schema; 4 hours covers a maintenance window; opt in to approval per persona).
//   reader: justification and MFA on activation, at most 8 hours (a working day).

import * as pulumi from "@pulumi/pulumi";
import type * as azuread from "@pulumi/azuread";

/** Access levels a persona can have (the values of `DatabaseAccess`). */
export type PersonaAccess = "admin" | "writer" | "reader";

/** What a persona asks of PIM. Every field is optional; defaults depend on the access level. */
export interface PersonaPimInput {
  /** Object ids of users or groups made eligible to activate membership. Defaults to none. */
  eligiblePrincipalIds?: string[];
  /** Object ids of the approvers (groups by default). Required when approval is on. */
  approverIds?: string[];
  /** `groupMembers` (approver ids are groups) or `singleUser`. Defaults to `groupMembers`. */
  approverType?: string;
  /** Longest activation in hours, 0.5-24 in half-hour steps. Defaults to 2 (admin), 4 (writer), 8 (reader). */
  maxActivationHours?: number;
  /** Activation needs approval. Defaults to `true` for admin, `false` otherwise. */
  requireApproval?: boolean;
  /** Activation needs a justification. Defaults to `true`. */
  requireJustification?: boolean;
  /** Activation needs multifactor authentication. Defaults to `true`. */
  requireMfaOnActivation?: boolean;
  /** Days each eligibility lasts before it must be renewed (1-365). Defaults to `180`. */
  eligibilityDays?: number;
  /** Extra e-mail recipients of activation notifications. Defaults to none (Entra's default recipients are always notified). */
  notificationRecipients?: string[];
  /** Object ids of the created group's owners. Defaults to none (the deploying principal). */
  ownerIds?: string[];
}

/** A persona's PIM settings after defaults, with every value checked. */
export interface ResolvedPersonaPim {
  groupName: string;
  access: PersonaAccess;
  eligiblePrincipalIds: string[];
  approverIds: string[];
  approverType: "groupMembers" | "singleUser";
  maxActivationHours: number;
  requireApproval: boolean;
  requireJustification: boolean;
  requireMfaOnActivation: boolean;
  eligibilityDays: number;
  notificationRecipients: string[];
  ownerIds: string[];
}

/** Secure defaults per access level. */
export const PIM_DEFAULTS: Readonly<
  Record<PersonaAccess, { maxActivationHours: number; requireApproval: boolean }>
> = {
  admin: { maxActivationHours: 2, requireApproval: true },
  writer: { maxActivationHours: 4, requireApproval: false },
  reader: { maxActivationHours: 8, requireApproval: false },
};

/** Days an eligibility lasts by default; PIM's eligible-assignment rule then requires expiry within 365 days. */
export const DEFAULT_ELIGIBILITY_DAYS = 180;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>",;]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

function fail(field: string, value: unknown, allowed: string): never {
  throw new Error(`\`${field}\` ${JSON.stringify(value)} is not allowed; ${allowed}.`);
}

function guids(field: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, v, "use a list of Entra object ids (GUIDs)");
  const seen = new Set<string>();
  return v.map((x, i) => {
    if (typeof x !== "string" || !GUID.test(x))
      fail(`${field}[${i}]`, x, 'use an Entra object id, e.g. "00000000-0000-0000-0000-000000000000"');
    const id = x.toLowerCase();
    if (seen.has(id)) fail(`${field}[${i}]`, x, "list each object id once");
    seen.add(id);
    return id;
  });
}

function flag(field: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") fail(field, v, "use true or false");
  return v;
}

/**
 * Resolves and checks a persona's PIM settings. `at` is the argument path of the persona (e.g.
 * `personas[0]`), used in every error message. Throws before anything is created.
 */
export function resolvePersonaPim(
  at: string,
  groupName: string,
  access: PersonaAccess,
  input: PersonaPimInput,
): ResolvedPersonaPim {
  const d = PIM_DEFAULTS[access];
  if (!d) fail(`${at}.access`, access, 'use "admin", "writer" or "reader"');
  const hours = input.maxActivationHours ?? d.maxActivationHours;
  if (
    typeof hours !== "number" ||
    !Number.isFinite(hours) ||
    hours < 0.5 ||
    hours > 24 ||
    (hours * 2) % 1 !== 0
  )
    fail(`${at}.pim.maxActivationHours`, hours, "use 0.5-24 hours in half-hour steps (Entra's range)");
  const approverType = input.approverType ?? "groupMembers";
  if (approverType !== "groupMembers" && approverType !== "singleUser")
    fail(`${at}.pim.approverType`, approverType, 'use "groupMembers" or "singleUser"');
  const days = input.eligibilityDays ?? DEFAULT_ELIGIBILITY_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 365)
    fail(`${at}.pim.eligibilityDays`, days, "use a whole number of days from 1 to 365");
  const recipients = input.notificationRecipients ?? [];
  if (!Array.isArray(recipients))
    fail(`${at}.pim.notificationRecipients`, recipients, "use a list of e-mail addresses");
  recipients.forEach((r, i) => {
    if (typeof r !== "string" || !EMAIL.test(r))
      fail(
        `${at}.pim.notificationRecipients[${i}]`,
        r,
        'use an e-mail address such as "dba-oncall@example.com"',
      );
  });
  const requireApproval = flag(`${at}.pim.requireApproval`, input.requireApproval, d.requireApproval);
  const approverIds = guids(`${at}.pim.approverIds`, input.approverIds);
  if (requireApproval && approverIds.length === 0) {
    throw new Error(
      `\`${at}.pim.approverIds\` is empty but activation of "${groupName}" needs approval${input.requireApproval === undefined ? ` (the default for ${access} groups)` : ""}; name at least one approver group (object id).`,
    );
  }
  if (!requireApproval && approverIds.length > 0) {
    throw new Error(
      `\`${at}.pim.approverIds\` is set but \`${at}.pim.requireApproval\` is false; drop the approvers or set requireApproval: true.`,
    );
  }
  const eligible = guids(`${at}.pim.eligiblePrincipalIds`, input.eligiblePrincipalIds);
  for (const id of eligible) {
    if (requireApproval && approverIds.includes(id) && approverType === "singleUser")
      fail(`${at}.pim.eligiblePrincipalIds`, id, "an approver must not approve their own activation");
  }
  return {
    groupName,
    access,
    eligiblePrincipalIds: eligible,
    approverIds,
    approverType,
    maxActivationHours: hours,
    requireApproval,
    requireJustification: flag(`${at}.pim.requireJustification`, input.requireJustification, true),
    requireMfaOnActivation: flag(`${at}.pim.requireMfaOnActivation`, input.requireMfaOnActivation, true),
    eligibilityDays: days,
    notificationRecipients: [...recipients],
    ownerIds: guids(`${at}.pim.ownerIds`, input.ownerIds),
  };
}

/** ISO 8601 duration of whole and half hours (`PT2H`, `PT1H30M`); 24 hours is `P1D`, as Entra spells it. */
export function activationDuration(hours: number): string {
  if (hours === 24) return "P1D";
  const h = Math.floor(hours);
  const m = Math.round((hours - h) * 60);
  return `PT${h > 0 ? `${h}H` : ""}${m > 0 ? `${m}M` : ""}`;
}

/** Inputs of the Entra security group. */
export function groupInputs(p: ResolvedPersonaPim, databaseName: string): azuread.GroupArgs {
  return {
    displayName: p.groupName,
    description: `PostgreSQL ${p.access} persona of database "${databaseName}", governed by PIM (zero-trust-azure-postgres).`,
    securityEnabled: true,
    mailEnabled: false,
    preventDuplicateNames: true,
    ...(p.ownerIds.length > 0 ? { owners: p.ownerIds } : {}),
  };
}

/** Inputs of the PIM policy of the group's `member` role. */
export function policyInputs(
  p: ResolvedPersonaPim,
  groupId: pulumi.Input<string>,
): azuread.GroupRoleManagementPolicyArgs {
  return {
    groupId,
    roleId: "member",
    activationRules: {
      maximumDuration: activationDuration(p.maxActivationHours),
      requireApproval: p.requireApproval,
      ...(p.requireApproval
        ? {
            approvalStage: {
              primaryApprovers: p.approverIds.map((objectId) => ({ objectId, type: p.approverType })),
            },
          }
        : {}),
      requireJustification: p.requireJustification,
      requireMultifactorAuthentication: p.requireMfaOnActivation,
    },
    // Active (standing) assignments must expire, and as soon as PIM allows (15 days): membership is
    // meant to come from activation only.
    activeAssignmentRules: { expirationRequired: true, expireAfter: "P15D" },
    eligibleAssignmentRules: { expirationRequired: true, expireAfter: "P365D" },
    notificationRules: {
      eligibleActivations: {
        adminNotifications: {
          defaultRecipients: true,
          notificationLevel: "All",
          ...(p.notificationRecipients.length > 0 ? { additionalRecipients: p.notificationRecipients } : {}),
        },
      },
    },
  };
}

/** Inputs of one eligibility schedule (time-bound, never permanent). */
export function eligibilityInputs(
  p: ResolvedPersonaPim,
  groupId: pulumi.Input<string>,
  principalId: string,
): azuread.PrivilegedAccessGroupEligibilityScheduleArgs {
  return {
    groupId,
    principalId,
    assignmentType: "member",
    duration: `P${p.eligibilityDays}D`,
    justification: `Eligible for the ${p.access} persona of PostgreSQL (zero-trust-azure-postgres).`,
  };
}

/** A persona's created group, its PIM policy and eligibilities. */
export interface PersonaPimResources {
  group: azuread.Group;
  policy: azuread.GroupRoleManagementPolicy;
  eligibilities: azuread.PrivilegedAccessGroupEligibilitySchedule[];
}

/**
 * `@pulumi/azuread` is an optional peer dependency (docs/decisions.md): it is loaded only when a persona
 * asks the component to create its group, so a stack that never does installs no azuread package and
 * the Pulumi CLI fetches no azuread provider plugin (the Node.js host asks for the plugin of every
 * installed package marked `"pulumi": { "resource": true }`).
 */
function loadAzuread(groupName: string): typeof azuread {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/azuread") as typeof azuread;
  } catch (e) {
    if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
    throw new Error(
      `\`personas\` entry with groupName ${JSON.stringify(groupName)} sets \`pim\`, which creates the Entra group with ` +
        "@pulumi/azuread, and @pulumi/azuread is not installed: run `npm install @pulumi/azuread` in your project",
    );
  }
}

/** Pulumi-name-safe slug of a group name (the Entra name may hold spaces and punctuation). */
export function slug(groupName: string): string {
  return (
    groupName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "group"
  );
}

/**
 * Creates `<name>-group-<slug>`, its PIM policy `<name>-group-<slug>-pim` and one eligibility
 * `<name>-group-<slug>-eligible-<principal id>` per principal. The policy and eligibilities wait for
 * the group (they take its object id); eligibilities also wait for the policy, so they are checked
 * against the new rules rather than the tenant's defaults.
 */
export function createPersonaPim(
  name: string,
  p: ResolvedPersonaPim,
  databaseName: string,
  opts: pulumi.CustomResourceOptions,
): PersonaPimResources {
  const azuread = loadAzuread(p.groupName);
  const base = `${name}-group-${slug(p.groupName)}`;
  const group = new azuread.Group(base, groupInputs(p, databaseName), opts);
  const policy = new azuread.GroupRoleManagementPolicy(`${base}-pim`, policyInputs(p, group.objectId), opts);
  const eligibilities = p.eligiblePrincipalIds.map(
    (principalId) =>
      new azuread.PrivilegedAccessGroupEligibilitySchedule(
        `${base}-eligible-${principalId}`,
        eligibilityInputs(p, group.objectId, principalId),
        { ...opts, dependsOn: [policy] },
      ),
  );
  return { group, policy, eligibilities };
}
