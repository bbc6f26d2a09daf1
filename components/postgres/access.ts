// The access model in one step for the constructor: plan (resolve and check, before anything is
// created), then create the Entra persona groups under PIM and the CI identities, and hand back the
// database principals and the outputs. The parts live in pim.ts (personas), devops.ts (CI identities,
// break-glass, ServiceAccount manifests) and audit-monitoring.ts (alerts and saved queries).

import * as pulumi from "@pulumi/pulumi";
import type { CiIdentityConnection } from "./args";
import type { BootstrapPrincipal } from "./sql";
import { evaluateResource, evaluateStack, type StackResourceView } from "../../policies/rules";
import {
  createPersonaPim,
  groupInputs,
  policyInputs,
  resolvePersonaPim,
  slug,
  type PersonaPimInput,
  type PersonaPimResources,
  type ResolvedPersonaPim,
} from "./pim";
import {
  ciPrincipal,
  createCiIdentities,
  resolveBreakGlass,
  resolveCiIdentities,
  serviceAccountManifest,
  type BreakGlassInput,
  type CiIdentityInput,
  type CiIdentityResources,
  type ResolvedBreakGlass,
  type ResolvedCiIdentity,
} from "./devops";

/** A persona as the planner reads it (the fields of `PersonaGroupArgs` it needs). */
export interface PersonaInput {
  groupName: string;
  objectId?: string;
  access: "admin" | "writer" | "reader";
  requireMfa?: boolean;
  pim?: PersonaPimInput;
}

/** One persona after planning: brought by object id, or created under PIM. */
export interface PlannedPersona {
  groupName: string;
  access: "admin" | "writer" | "reader";
  requireMfa: boolean;
  /** Brought group: its object id (lower case). */
  objectId?: string;
  /** Created group: its PIM settings. */
  pim?: ResolvedPersonaPim;
}

export interface AccessPlan {
  personas: PlannedPersona[];
  ci: ResolvedCiIdentity[];
  breakGlass?: ResolvedBreakGlass;
  /** Advisory findings of the catalogue on the planned Entra children, to log as warnings. */
  warnings: string[];
}

/** The engine's unknown string (a created group's object id is not known at plan time). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The planned Entra children as the pack would see them at preview (group ids unknown, policies
 * linked to their group by dependency), plus the server's administrators that name a group.
 */
export function plannedEntraStack(
  name: string,
  personas: readonly PlannedPersona[],
  databaseName: string,
): StackResourceView[] {
  const urn = (type: string, n: string) => `urn:pulumi:planned::component::${type}::${n}`;
  const views: StackResourceView[] = [];
  for (const p of personas) {
    if (!p.pim) continue;
    const base = `${name}-group-${slug(p.groupName)}`;
    const groupType = "azuread:index/group:Group";
    const policyType = "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy";
    const groupUrn = urn(groupType, base);
    const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    views.push({
      type: groupType,
      urn: groupUrn,
      name: base,
      props: json(groupInputs(p.pim, databaseName)),
      dependencies: [],
    });
    views.push({
      type: policyType,
      urn: urn(policyType, `${base}-pim`),
      name: `${base}-pim`,
      props: json(policyInputs(p.pim, UNKNOWN)),
      dependencies: [groupUrn],
    });
  }
  return views;
}

/**
 * Runs the catalogue on the planned Entra children, as the pack will: mandatory findings refuse,
 * advisory ones warn. The rules are not named here; the catalogue decides which apply.
 */
function judgePlanned(views: StackResourceView[]): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const found = [...views.flatMap((v) => evaluateResource(v)), ...evaluateStack(views)];
  for (const v of found) {
    const line = `[${v.ruleId}] ${v.message}`;
    if (v.level === "advisory") warnings.push(line);
    else if (v.level !== "disabled") errors.push(line);
  }
  return { errors, warnings };
}

/**
 * Resolves and checks personas, CI identities and the break-glass administrator. Errors name the
 * field, the value and what is allowed, and are thrown before anything is created.
 */
export function planAccess(
  name: string,
  args: {
    personas?: PersonaInput[];
    ciIdentities?: CiIdentityInput[];
    breakGlassAdministrator?: BreakGlassInput;
    administrators: readonly { objectId: string; principalName: string }[];
    /** Names the created groups' descriptions. Defaults to `app`. */
    databaseName?: string;
  },
): AccessPlan {
  const personas = (args.personas ?? []).map((p, i): PlannedPersona => {
    const at = `personas[${i}]`;
    if (p.requireMfa !== undefined && typeof p.requireMfa !== "boolean")
      throw new Error(
        `\`${at}.requireMfa\` ${JSON.stringify(p.requireMfa)} is not allowed; use true or false.`,
      );
    const requireMfa = p.requireMfa ?? true;
    if (p.pim !== undefined) {
      if (p.objectId !== undefined)
        throw new Error(
          `\`${at}.objectId\` and \`${at}.pim\` are both set; bring the group by objectId, or let the component create it under PIM with pim, not both.`,
        );
      return {
        groupName: p.groupName,
        access: p.access,
        requireMfa,
        pim: resolvePersonaPim(at, p.groupName, p.access, p.pim),
      };
    }
    if (typeof p.objectId !== "string")
      throw new Error(
        `\`${at}.objectId\` is missing; give the Entra group's object id, or set \`${at}.pim\` to have the component create the group under PIM.`,
      );
    return { groupName: p.groupName, access: p.access, requireMfa, objectId: p.objectId.toLowerCase() };
  });
  const ci = resolveCiIdentities(name, "ciIdentities", args.ciIdentities);
  const breakGlass = resolveBreakGlass(
    "breakGlassAdministrator",
    args.breakGlassAdministrator,
    args.administrators,
  );
  const taken = new Set([...personas.map((p) => p.groupName.toLowerCase())]);
  ci.forEach((c, i) => {
    if (taken.has(c.identityName.toLowerCase()))
      throw new Error(
        `\`ciIdentities[${i}].name\` ${JSON.stringify(c.name)} gives role ${JSON.stringify(c.identityName)}, already a persona's group name; pick another name.`,
      );
  });
  const verdict = judgePlanned(plannedEntraStack(name, personas, args.databaseName ?? "app"));
  if (verdict.errors.length > 0) throw new Error(verdict.errors.join("\n  - "));
  return { personas, ci, breakGlass, warnings: verdict.warnings };
}

/** What {@link createAccess} creates. */
export interface AccessResources {
  /** Created persona groups, by group name. */
  personaGroups: Map<string, PersonaPimResources>;
  ci: CiIdentityResources[];
}

/** Creates the PIM persona groups and the CI identities (none when the plan has neither). */
export function createAccess(
  name: string,
  plan: AccessPlan,
  ctx: {
    databaseName: string;
    resourceGroupName: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    tags?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): AccessResources {
  const personaGroups = new Map<string, PersonaPimResources>();
  for (const p of plan.personas) {
    if (p.pim) personaGroups.set(p.groupName, createPersonaPim(name, p.pim, ctx.databaseName, opts));
  }
  const ci = createCiIdentities(ctx.resourceGroupName, ctx.location, plan.ci, ctx.tags, opts);
  return { personaGroups, ci };
}

/**
 * The database principals of personas and CI identities, for the bootstrap script. A created group
 * is ready once its PIM policy exists (so nobody is a member before the policy governs activation).
 */
export function accessPrincipals(
  plan: AccessPlan,
  made: AccessResources,
): pulumi.Output<BootstrapPrincipal[]> {
  const personas = plan.personas.map((p) => {
    const created = made.personaGroups.get(p.groupName);
    const objectId: pulumi.Input<string> = created
      ? pulumi.all([created.group.objectId, created.policy.id]).apply(([id]) => id)
      : (p.objectId as string);
    return pulumi.output(objectId).apply(
      (id): BootstrapPrincipal => ({
        role: p.groupName,
        objectId: id,
        principalType: "group",
        access: p.access,
        requireMfa: p.requireMfa,
      }),
    );
  });
  const ci = plan.ci.map((c, i) => {
    const r = made.ci[i];
    return pulumi
      .all([r.identity.principalId, ...r.credentials.map((x) => x.id)])
      .apply(([principalId]) => ciPrincipal(c, principalId));
  });
  return pulumi.all([...personas, ...ci]);
}

/** Object ids of the persona groups by group name (brought and created). */
export function personaGroupIds(
  plan: AccessPlan,
  made: AccessResources,
): pulumi.Output<Record<string, string>> {
  return pulumi
    .all(
      plan.personas.map((p) => {
        const created = made.personaGroups.get(p.groupName);
        return pulumi
          .output(created ? created.group.objectId : (p.objectId as string))
          .apply((id) => [p.groupName, id] as const);
      }),
    )
    .apply((pairs) => Object.fromEntries(pairs));
}

/** The CI identities' client ids and roles, ready once their credentials exist. */
export function ciConnections(made: AccessResources): pulumi.Output<CiIdentityConnection[]> {
  return pulumi.all(
    made.ci.map((c) =>
      pulumi
        .all([c.identity.clientId, ...c.credentials.map((x) => x.id)])
        .apply(([clientId]) => ({ name: c.name, clientId, role: c.identityName, access: c.access })),
    ),
  );
}

/** ServiceAccount manifests of the AKS-federated workloads, by workload name. */
export function serviceAccountManifests(
  workloads: readonly {
    name: string;
    aks?: { namespace: string; serviceAccount: string };
    clientId: pulumi.Input<string>;
  }[],
  tenantId: pulumi.Input<string> | undefined,
): pulumi.Output<Record<string, string>> {
  const federated = workloads.filter((w) => w.aks !== undefined);
  return pulumi
    .all(
      federated.map((w) =>
        pulumi.all([w.clientId, tenantId]).apply(
          ([clientId, tenant]) =>
            [
              w.name,
              serviceAccountManifest({
                namespace: (w.aks as { namespace: string }).namespace,
                serviceAccount: (w.aks as { serviceAccount: string }).serviceAccount,
                clientId,
                tenantId: tenant,
              }),
            ] as const,
        ),
      ),
    )
    .apply((pairs) => Object.fromEntries(pairs));
}
