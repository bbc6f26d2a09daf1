// Azure RBAC rules: role assignments on a PostgreSQL flexible server (control plane).

import { SEED_000, SEED_003 } from "./refs";
import { lead } from "./postgres";
import { TOKENS, isClassic } from "./tokens";
import type { ResourceRule } from "./types";
import { cfg, get, isUnknown, items, show, str, covers } from "./util";

/**
 * Built-in roles that can undo a server's zero-trust settings or delegate that power, by role
 * definition GUID (lowercase) → name. Azure built-in roles, "Privileged" and "General" categories:
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (read 2026-11-30).
 */
export const PRIVILEGED_ROLE_IDS: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

const PRIVILEGED_NAMES = new Map(Object.values(PRIVILEGED_ROLE_IDS).map((n) => [n.toLowerCase(), n]));
const SERVER_SCOPE = /\/providers\/Microsoft\.DBforPostgreSQL\/flexibleServers\/([^/]+)$/i;
const GUID_AT_END = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const noPrivilegedRoleAssignment: ResourceRule<"postgres-no-privileged-role-assignment"> = {
  kind: "resource",
  id: "postgres-no-privileged-role-assignment",
  title: "No privileged roles on a server",
  description:
    "PostgreSQL flexible servers must not grant Owner, Contributor, User Access Administrator or Role Based Access Control Administrator at server scope.",
  enforcementLevel: "mandatory",
  resourceTypes: TOKENS.roleAssignment,
  config: {
    allowedPrivilegedRoles: {
      type: "array",
      description:
        'Waiver: privileged roles allowed at server scope anyway (names, e.g. "Contributor"). The component\'s `allowPrivilegedRoles: true` allows all four.',
      items: { type: "string", enum: Object.values(PRIVILEGED_ROLE_IDS) },
      default: [],
    },
  },
  remediation:
    "Assign a narrower built-in role at server scope (Reader, Monitoring Reader, Monitoring Contributor) or a custom role with only the actions needed; put any privileged access under PIM at a scope that is reviewed.",
  references: {
    seed: `${SEED_000.entra}; ${SEED_003.accessControl}`,
    mcsb: "PA-7",
    links: [
      "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles",
      "https://learn.microsoft.com/azure/role-based-access-control/best-practices",
    ],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json `RoleAssignmentProperties.roleDefinitionId` and `principalId` (required, no default)",
    },
    { kind: "not-set", ref: "A scope or role not known yet is treated as not set and not judged." },
  ],
  unsetMeans:
    "An assignment whose scope or role is not known yet (an Output at preview) is not judged. Only assignments scoped to a flexible server (…/Microsoft.DBforPostgreSQL/flexibleServers/<name>) are judged; broader scopes are a subscription governance matter.",
  check(view, config) {
    if (!covers(noPrivilegedRoleAssignment, view)) return [];
    const scope = get(view.props, "scope");
    if (isUnknown(scope) || typeof scope !== "string") return [];
    const server = SERVER_SCOPE.exec(scope.trim())?.[1];
    if (server === undefined) return [];
    let role: string | undefined;
    let seen: string;
    const id = get(view.props, "roleDefinitionId");
    if (isUnknown(id)) return [];
    const guid = typeof id === "string" ? GUID_AT_END.exec(id.trim())?.[1]?.toLowerCase() : undefined;
    if (guid !== undefined) {
      role = PRIVILEGED_ROLE_IDS[guid];
      seen = `roleDefinitionId names role ${guid}`;
    } else if (isClassic(view.type)) {
      const name = get(view.props, "roleDefinitionName");
      if (isUnknown(name)) return [];
      role = PRIVILEGED_NAMES.get((str(name) ?? "").trim().toLowerCase());
      seen = `roleDefinitionName is ${show(name)}`;
    } else {
      return [];
    }
    if (role === undefined) return [];
    const allowed = items(cfg(noPrivilegedRoleAssignment, config, "allowedPrivilegedRoles")).map((x) =>
      String(x).toLowerCase(),
    );
    if (allowed.includes(role.toLowerCase())) return [];
    return [
      `${lead(noPrivilegedRoleAssignment)}: ${seen} (${role}) on server ${JSON.stringify(server)}. Assign a narrower role such as Reader or Monitoring Reader, or waive with allowedPrivilegedRoles.`,
    ];
  },
};

export const RBAC_RULES = [noPrivilegedRoleAssignment] as const;
