// DevOps access (the seed's empty "DevOps Access" section): CI identities that deploy and migrate the
// database without a stored secret, a break-glass administrator kept apart from the daily admin
// group, and the Kubernetes ServiceAccount manifests AKS workloads need.
//
// CI identities are user-assigned managed identities with federated identity credentials, so a
// pipeline exchanges its own OIDC token for an Entra token and no client secret exists anywhere.
// Facts (read 2026-11-30):
// - Federated credentials on a user-assigned identity: issuer, subject, audiences
//   (`api://AzureADTokenExchange` for Entra), at most 20 per identity, no wildcards:
//   https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
// - GitHub Actions: issuer `https://token.actions.githubusercontent.com`, subject
//   `repo:<owner>/<repo>:environment:<name>`, `…:ref:refs/heads/<branch>`, `…:ref:refs/tags/<tag>` or
//   `…:pull_request`: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
// - Azure DevOps service connections: issuer `https://vstoken.dev.azure.com/<organization id>`, subject
//   `sc://<organization>/<project>/<service connection>`:
//   https://learn.microsoft.com/en-us/azure/devops/pipelines/release/configure-workload-identity
// - AKS workload identity: the ServiceAccount carries the annotation
//   `azure.workload.identity/client-id`; pods that use it carry the label
//   `azure.workload.identity/use: "true"`: https://learn.microsoft.com/en-us/azure/aks/workload-identity-deploy-cluster
//   and https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html

import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { BootstrapPrincipal } from "./sql";

/** The audience Entra accepts in federated tokens. */
export const ENTRA_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
/** GitHub Actions' OIDC issuer. */
export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
/** Azure DevOps' OIDC issuer prefix; the organization id follows. */
export const AZURE_DEVOPS_ISSUER = "https://vstoken.dev.azure.com/";
/** Federated credentials a user-assigned identity can hold. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** A GitHub Actions workflow allowed to log in: the repository and exactly one of environment, branch, tag or pull requests. */
export interface GithubFederationInput {
  /** `owner/repo`. */
  repository: string;
  /** A deployment environment (recommended: it can require reviewers). */
  environment?: string;
  /** A branch, e.g. `main`. */
  branch?: string;
  /** A tag, e.g. `v1.2.0`. */
  tag?: string;
  /** Workflows triggered by pull requests. */
  pullRequest?: boolean;
}

/** An Azure DevOps service connection that uses workload identity federation. */
export interface AzureDevOpsFederationInput {
  /** The organization's id (GUID), which is part of the issuer. */
  organizationId: string;
  /** Organization name. */
  organization: string;
  /** Project name. */
  project: string;
  /** Service connection name. */
  serviceConnection: string;
}

/** Any other OIDC issuer. */
export interface OidcFederationInput {
  /** Issuer URL (https). */
  issuer: string;
  /** The `sub` claim to trust, exactly. */
  subject: string;
  /** The `aud` claim. Defaults to `api://AzureADTokenExchange`. */
  audience?: string;
}

/** One trusted token source: exactly one of `github`, `azureDevOps` or `oidc`. */
export interface FederationInput {
  github?: GithubFederationInput;
  azureDevOps?: AzureDevOpsFederationInput;
  oidc?: OidcFederationInput;
}

/** A CI identity (a deployer or an automation job) with its database access. */
export interface CiIdentityInput {
  /** Short name (lowercase letters, digits, hyphens; 1-40). Names the identity `<component>-ci-<name>-id` and its database role. */
  name: string;
  /** Database access level. Defaults to `admin` (the migration-capable level). */
  access?: "admin" | "writer" | "reader";
  /** Token sources allowed to act as this identity (1-20). */
  federations: FederationInput[];
}

/** One federated credential after resolution. */
export interface ResolvedFederation {
  /** Credential name (3-120 letters, digits, `-`, `_`), stable for the same issuer and subject. */
  name: string;
  issuer: string;
  subject: string;
  audience: string;
}

export interface ResolvedCiIdentity {
  name: string;
  identityName: string;
  access: "admin" | "writer" | "reader";
  federations: ResolvedFederation[];
}

const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
// GitHub ref and environment names: no `:` (it separates the subject's parts), no leading space.
const SEGMENT = /^[^\s:][^:]{0,254}$/;
const ADO_SEGMENT = /^[^/]{1,255}$/;

/** True when the string holds a control character (C0 or DEL). */
function hasControl(v: string): boolean {
  return [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function fail(field: string, value: unknown, allowed: string): never {
  throw new Error(`\`${field}\` ${JSON.stringify(value)} is not allowed; ${allowed}.`);
}

function httpsUrl(field: string, v: unknown): string {
  let u: URL | undefined;
  try {
    u = typeof v === "string" ? new URL(v) : undefined;
  } catch {
    u = undefined;
  }
  if (!u || u.protocol !== "https:" || typeof v !== "string" || hasControl(v) || v.includes(" "))
    fail(field, v, 'use an https URL, e.g. "https://token.actions.githubusercontent.com"');
  return v;
}

function credentialName(kind: string, issuer: string, subject: string): string {
  return `${kind}-${createHash("sha256").update(`${issuer}\n${subject}`).digest("hex").slice(0, 16)}`;
}

/** The issuer, subject and audience of one federation; throws naming the field. */
export function resolveFederation(at: string, f: FederationInput): ResolvedFederation {
  const kinds = (["github", "azureDevOps", "oidc"] as const).filter((k) => f?.[k] !== undefined);
  if (kinds.length !== 1)
    throw new Error(
      `\`${at}\` sets ${kinds.length === 0 ? "none" : kinds.join(" and ")} of github, azureDevOps and oidc; set exactly one.`,
    );
  if (f.github) {
    const g = f.github;
    if (typeof g.repository !== "string" || !REPO.test(g.repository))
      fail(`${at}.github.repository`, g.repository, 'use "owner/repo"');
    const selectors = (
      [
        ["environment", g.environment],
        ["branch", g.branch],
        ["tag", g.tag],
        ["pullRequest", g.pullRequest ? true : undefined],
      ] as const
    ).filter(([, v]) => v !== undefined);
    if (selectors.length !== 1)
      throw new Error(
        `\`${at}.github\` must set exactly one of environment, branch, tag or pullRequest (it sets ${selectors.length}); the subject names one of them.`,
      );
    const [key, value] = selectors[0];
    if (key !== "pullRequest" && (typeof value !== "string" || !SEGMENT.test(value) || hasControl(value)))
      fail(
        `${at}.github.${key}`,
        value,
        "use a name without spaces at the start, colons or control characters",
      );
    const tail =
      key === "environment"
        ? `environment:${value}`
        : key === "branch"
          ? `ref:refs/heads/${value}`
          : key === "tag"
            ? `ref:refs/tags/${value}`
            : "pull_request";
    const subject = `repo:${g.repository}:${tail}`;
    return {
      name: credentialName("github", GITHUB_ISSUER, subject),
      issuer: GITHUB_ISSUER,
      subject,
      audience: ENTRA_TOKEN_AUDIENCE,
    };
  }
  if (f.azureDevOps) {
    const a = f.azureDevOps;
    if (typeof a.organizationId !== "string" || !GUID.test(a.organizationId))
      fail(`${at}.azureDevOps.organizationId`, a.organizationId, "use the organization's id (a GUID)");
    for (const k of ["organization", "project", "serviceConnection"] as const) {
      if (typeof a[k] !== "string" || !ADO_SEGMENT.test(a[k]) || hasControl(a[k]))
        fail(`${at}.azureDevOps.${k}`, a[k], "use 1-255 characters without '/' or control characters");
    }
    const issuer = `${AZURE_DEVOPS_ISSUER}${a.organizationId.toLowerCase()}`;
    const subject = `sc://${a.organization}/${a.project}/${a.serviceConnection}`;
    return { name: credentialName("ado", issuer, subject), issuer, subject, audience: ENTRA_TOKEN_AUDIENCE };
  }
  const o = f.oidc as OidcFederationInput;
  const issuer = httpsUrl(`${at}.oidc.issuer`, o.issuer);
  if (
    typeof o.subject !== "string" ||
    o.subject.length === 0 ||
    o.subject.length > 600 ||
    hasControl(o.subject) ||
    o.subject.includes("*")
  )
    fail(
      `${at}.oidc.subject`,
      o.subject,
      "use the exact sub claim (1-600 characters, no wildcards or control characters)",
    );
  const audience = o.audience ?? ENTRA_TOKEN_AUDIENCE;
  if (typeof audience !== "string" || audience.length === 0 || audience.length > 600 || hasControl(audience))
    fail(
      `${at}.oidc.audience`,
      audience,
      `use the aud claim your issuer sends (usually "${ENTRA_TOKEN_AUDIENCE}")`,
    );
  return { name: credentialName("oidc", issuer, o.subject), issuer, subject: o.subject, audience };
}

/** Resolves the CI identities; `field` is the argument name (`ciIdentities`). */
export function resolveCiIdentities(
  component: string,
  field: string,
  list: CiIdentityInput[] | undefined,
): ResolvedCiIdentity[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) fail(field, list, "use a list of CI identities");
  const names = new Set<string>();
  return list.map((c, i) => {
    const at = `${field}[${i}]`;
    if (typeof c?.name !== "string" || !NAME.test(c.name))
      fail(`${at}.name`, c?.name, "use 1-40 lowercase letters, digits or hyphens, starting with a letter");
    if (names.has(c.name)) fail(`${at}.name`, c.name, "give each CI identity its own name");
    names.add(c.name);
    const access = c.access ?? "admin";
    if (!["admin", "writer", "reader"].includes(access))
      fail(`${at}.access`, access, 'use "admin", "writer" or "reader"');
    if (
      !Array.isArray(c.federations) ||
      c.federations.length === 0 ||
      c.federations.length > MAX_FEDERATED_CREDENTIALS
    )
      fail(
        `${at}.federations`,
        c.federations,
        `list 1-${MAX_FEDERATED_CREDENTIALS} token sources (Azure's limit per identity)`,
      );
    const federations = c.federations.map((f, j) => resolveFederation(`${at}.federations[${j}]`, f));
    const seen = new Set<string>();
    federations.forEach((f, j) => {
      if (seen.has(f.name)) fail(`${at}.federations[${j}]`, f.subject, "list each issuer and subject once");
      seen.add(f.name);
    });
    return { name: c.name, identityName: `${component}-ci-${c.name}-id`, access, federations };
  });
}

/** A CI identity's database principal: a service principal, no MFA claim (a pipeline has none). */
export function ciPrincipal(c: ResolvedCiIdentity, principalId: string): BootstrapPrincipal {
  return {
    role: c.identityName,
    objectId: principalId,
    principalType: "service",
    access: c.access,
    requireMfa: false,
  };
}

export interface CiIdentityResources {
  name: string;
  identityName: string;
  access: "admin" | "writer" | "reader";
  identity: managedidentity.UserAssignedIdentity;
  credentials: managedidentity.FederatedIdentityCredential[];
}

/**
 * Creates `<name>-ci-<ci>-id` and one federated credential `<name>-ci-<ci>-<credential name>` per
 * token source. Azure refuses concurrent writes of credentials on one identity, so each waits for the
 * previous one (https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-considerations#concurrent-updates-arent-supported-user-assigned-managed-identities).
 */
export function createCiIdentities(
  resourceGroupName: pulumi.Input<string>,
  location: pulumi.Input<string> | undefined,
  ci: ResolvedCiIdentity[],
  tags: Record<string, string> | undefined,
  opts: pulumi.CustomResourceOptions,
): CiIdentityResources[] {
  return ci.map((c) => {
    const identity = new managedidentity.UserAssignedIdentity(
      c.identityName,
      { resourceName: c.identityName, resourceGroupName, location, tags },
      opts,
    );
    const credentials: managedidentity.FederatedIdentityCredential[] = [];
    for (const f of c.federations) {
      const previous = credentials[credentials.length - 1];
      credentials.push(
        new managedidentity.FederatedIdentityCredential(
          `${c.identityName.replace(/-id$/, "")}-${f.name}`,
          {
            resourceGroupName,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: f.name,
            issuer: f.issuer,
            subject: f.subject,
            audiences: [f.audience],
          },
          previous ? { ...opts, dependsOn: [previous] } : opts,
        ),
      );
    }
    return { name: c.name, identityName: c.identityName, access: c.access, identity, credentials };
  });
}

// ---- Break-glass administrator

/** An emergency Entra administrator, kept apart from the daily admin group and watched. */
export interface BreakGlassInput {
  /** Object id of the emergency account (or its group). */
  objectId: string;
  /** Its user principal name or group name, as it appears as a PostgreSQL role. */
  principalName: string;
  /** `User` (an emergency access account) or `Group`. Defaults to `User`. */
  principalType?: string;
}

export interface ResolvedBreakGlass {
  objectId: string;
  principalName: string;
  principalType: "User" | "Group";
}

/**
 * Resolves the break-glass administrator and refuses one that is also a daily administrator: the
 * point is a separate account whose every sign-in raises an alert
 * (https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access,
 * read 2026-11-30).
 */
export function resolveBreakGlass(
  field: string,
  input: BreakGlassInput | undefined,
  administrators: readonly { objectId: string; principalName: string }[],
): ResolvedBreakGlass | undefined {
  if (input === undefined) return undefined;
  if (typeof input.objectId !== "string" || !GUID.test(input.objectId))
    fail(
      `${field}.objectId`,
      input.objectId,
      'use the Entra object id of the emergency account, e.g. "00000000-0000-0000-0000-000000000000"',
    );
  if (
    typeof input.principalName !== "string" ||
    input.principalName.length === 0 ||
    input.principalName.length > 63 ||
    hasControl(input.principalName)
  )
    fail(
      `${field}.principalName`,
      input.principalName,
      "use the account's name as PostgreSQL shows it (1-63 characters, no control characters)",
    );
  const principalType = input.principalType ?? "User";
  if (principalType !== "User" && principalType !== "Group")
    fail(`${field}.principalType`, principalType, 'use "User" or "Group"');
  const id = input.objectId.toLowerCase();
  const clash = administrators.find(
    (a) =>
      a.objectId.toLowerCase() === id || a.principalName.toLowerCase() === input.principalName.toLowerCase(),
  );
  if (clash)
    throw new Error(
      `\`${field}\` ${JSON.stringify(input.principalName)} is also listed in \`administrators\` (${JSON.stringify(clash.principalName)}); a break-glass administrator must be a separate account from the daily admin group.`,
    );
  return { objectId: id, principalName: input.principalName, principalType };
}

// ---- Kubernetes ServiceAccount manifests for AKS workloads

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The label Microsoft documents for pods that use workload identity. */
export const WORKLOAD_IDENTITY_POD_LABELS: Readonly<Record<string, string>> = {
  "azure.workload.identity/use": "true",
};

/** Inputs of one ServiceAccount manifest. */
export interface ServiceAccountInput {
  namespace: string;
  serviceAccount: string;
  clientId: string;
  tenantId?: string;
}

/**
 * The ServiceAccount manifest (YAML) an AKS workload needs: annotated with the identity's client id
 * (and tenant id when given) and labeled `azure.workload.identity/use: "true"` as Microsoft's
 * walkthrough does; the pods that use it need the same label on their template.
 */
export function serviceAccountManifest(s: ServiceAccountInput): string {
  if (!DNS_LABEL.test(s.namespace))
    fail("namespace", s.namespace, "use a Kubernetes namespace name (DNS label, 1-63 lowercase characters)");
  if (!DNS_SUBDOMAIN.test(s.serviceAccount))
    fail(
      "serviceAccount",
      s.serviceAccount,
      "use a Kubernetes object name (DNS subdomain, 1-253 lowercase characters)",
    );
  if (!GUID.test(s.clientId)) fail("clientId", s.clientId, "use the managed identity's client id (a GUID)");
  if (s.tenantId !== undefined && !GUID.test(s.tenantId))
    fail("tenantId", s.tenantId, "use the tenant id (a GUID)");
  const q = (v: string) => JSON.stringify(v);
  return [
    "apiVersion: v1",
    "kind: ServiceAccount",
    "metadata:",
    `  name: ${q(s.serviceAccount)}`,
    `  namespace: ${q(s.namespace)}`,
    "  labels:",
    ...Object.entries(WORKLOAD_IDENTITY_POD_LABELS).map(([k, v]) => `    ${q(k)}: ${q(v)}`),
    "  annotations:",
    `    "azure.workload.identity/client-id": ${q(s.clientId)}`,
    ...(s.tenantId ? [`    "azure.workload.identity/tenant-id": ${q(s.tenantId)}`] : []),
    "",
  ].join("\n");
}
