// Azure RBAC on the server (control plane): who may read, operate or change the flexible server in
// ARM. Seed 000 §1: "Assign Azure RBAC roles to users or groups". This is not database access (that is
// the persona SQL); it is who may restart the server, change its parameters or read its settings.
//
// Owner, Contributor, User Access Administrator and Role Based Access Control Administrator at server
// scope are refused unless `allowPrivilegedRoles` is set: each can switch off what the component
// enforces (public access, password login, parameters) or hand that power to others. Enforced by
// `postgres-no-privileged-role-assignment` (policies/rules/rbac.ts), which holds the list.
//
// Role definition GUIDs: Azure built-in roles, https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
// (General, Privileged, Databases, Monitor categories; read 2026-11-30).

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { RoleAssignmentArgs } from "./args";

/** Built-in roles that make sense on a PostgreSQL flexible server, by name → role definition GUID. */
export const AzureRole = {
  /** Read the server's settings in ARM; nothing else. */
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  /** Read metrics, logs and alerts. */
  MonitoringReader: "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
  /** Manage alerts and diagnostic settings. */
  MonitoringContributor: "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
  /** Privileged: full control, including role assignment. Refused unless `allowPrivilegedRoles`. */
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  /** Privileged: full control except role assignment. Refused unless `allowPrivilegedRoles`. */
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  /** Privileged: manages role assignments. Refused unless `allowPrivilegedRoles`. */
  UserAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
} as const;

/** Kind of principal a role is assigned to. */
export const RolePrincipalType = {
  Group: "Group",
  User: "User",
  ServicePrincipal: "ServicePrincipal",
} as const;
/** Kind of principal a role is assigned to. */
export type RolePrincipalType = (typeof RolePrincipalType)[keyof typeof RolePrincipalType];

export type { RoleAssignmentArgs };

/** A validated assignment. */
export interface ResolvedRoleAssignment {
  principalId: string;
  /** The role definition GUID, lowercase. */
  roleGuid: string;
  /** The full id given, or undefined when a bare GUID was given (then it is built from the server's subscription). */
  roleDefinitionId?: string;
  principalType: RolePrincipalType;
  description?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_ID =
  /^(\/subscriptions\/[0-9a-f-]{36})?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i;
const NAME_OF = new Map(Object.entries(AzureRole).map(([k, v]) => [v as string, k]));

/**
 * Validates the shape of `roleAssignments`. Privileged roles are judged by the pack's rule on the
 * planned assignments (guard.ts, through the binding), waived by `allowPrivilegedRoles`. Throws naming
 * the field, the value and what is allowed; nothing is created before this passes.
 */
export function validateRoleAssignments(
  list: readonly RoleAssignmentArgs[],
  field = "roleAssignments",
): ResolvedRoleAssignment[] {
  const seen = new Set<string>();
  return list.map((a, i) => {
    const at = `${field}[${i}]`;
    if (typeof a?.principalId !== "string" || !GUID.test(a.principalId)) {
      throw new Error(
        `\`${at}.principalId\` ${JSON.stringify(a?.principalId)} is not a GUID; use the Entra object id of the group, user or service principal.`,
      );
    }
    const raw = typeof a.roleDefinitionId === "string" ? a.roleDefinitionId : "";
    const full = ROLE_ID.exec(raw);
    const roleGuid = (GUID.test(raw) ? raw : (full?.[2] ?? "")).toLowerCase();
    if (roleGuid === "" || !GUID.test(roleGuid)) {
      throw new Error(
        `\`${at}.roleDefinitionId\` ${JSON.stringify(a.roleDefinitionId)} is not a role definition; use a GUID such as AzureRole.Reader ("${AzureRole.Reader}") or "/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>".`,
      );
    }
    const principalType = a.principalType ?? "Group";
    if (!(Object.values(RolePrincipalType) as string[]).includes(principalType)) {
      throw new Error(
        `\`${at}.principalType\` ${JSON.stringify(principalType)} is not allowed; use one of ${Object.values(RolePrincipalType).join(", ")}.`,
      );
    }
    const key = `${a.principalId.toLowerCase()}/${roleGuid}`;
    if (seen.has(key)) {
      throw new Error(
        `\`${at}\` assigns ${NAME_OF.get(roleGuid) ?? roleGuid} to ${a.principalId} a second time; list each principal and role once.`,
      );
    }
    seen.add(key);
    return {
      principalId: a.principalId.toLowerCase(),
      roleGuid,
      roleDefinitionId: full ? raw : undefined,
      principalType,
      description: a.description,
    };
  });
}

/** The `azure-native:authorization:RoleAssignment` inputs for one assignment on the server. */
export function roleAssignmentInputs(
  a: ResolvedRoleAssignment,
  serverId: pulumi.Input<string>,
): authorization.RoleAssignmentArgs {
  return {
    principalId: a.principalId,
    principalType: a.principalType,
    roleDefinitionId:
      a.roleDefinitionId ??
      pulumi.output(serverId).apply((id) => {
        const sub = /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
        return `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${a.roleGuid}`;
      }),
    scope: serverId,
    description: a.description ?? "Azure RBAC on the PostgreSQL flexible server (zero-trust-azure-postgres).",
  };
}

/**
 * One role assignment per entry, named `<component>-rbac-<principal>-<role>` so reordering the list
 * never replaces one. Children of the component (pass `{ parent }` in `opts`).
 */
export function createRoleAssignments(
  component: string,
  list: readonly ResolvedRoleAssignment[],
  serverId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment[] {
  return list.map(
    (a) =>
      new authorization.RoleAssignment(
        `${component}-rbac-${a.principalId}-${a.roleGuid}`,
        roleAssignmentInputs(a, serverId),
        opts,
      ),
  );
}
