// Identities: the server's own user-assigned identities (one per customer-managed key), the role that
// lets each unwrap its key, the Entra administrators, the workload identities with their AKS
// federation, and — only when waived — the password administrator.
//
// Seed 003 "Access Control": every user and workload connects with its own Entra identity; no
// database password is stored anywhere. Seed 000 §1 "Use Managed Identities".

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as random from "@pulumi/random";
import type { DatabaseAccess } from "./args";
import { AKS_TOKEN_AUDIENCE, CRYPTO_SERVICE_ENCRYPTION_USER_ROLE_ID, type ResolvedConfig } from "./defaults";

/** A user-assigned identity for the server (`-server-id` primary, `-geo-id` geo-backup key). */
export function createServerIdentity(
  cfg: ResolvedConfig,
  suffix: string,
  location: pulumi.Input<string> | undefined,
  opts: pulumi.CustomResourceOptions,
): managedidentity.UserAssignedIdentity {
  const name = `${cfg.name}-${suffix}`;
  return new managedidentity.UserAssignedIdentity(
    name,
    { resourceName: name, resourceGroupName: cfg.resourceGroupName, location, tags: cfg.tags },
    opts,
  );
}

/** The subscription-scoped role definition id, from any ARM id in that subscription. */
export function roleDefinitionId(scopeId: pulumi.Input<string>, roleGuid: string): pulumi.Output<string> {
  return pulumi.output(scopeId).apply((id) => {
    const m = /^\/subscriptions\/([^/]+)/i.exec(id);
    const sub = m ? `/subscriptions/${m[1]}` : "";
    return `${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
  });
}

/**
 * "Key Vault Crypto Service Encryption User" for `identity` on `scope` (the key where we know it, else
 * the vault): get, wrapKey and unwrapKey, nothing else. Azure validates key access when the server is
 * created, so the server depends on this assignment.
 */
export function createCryptoRoleAssignment(
  name: string,
  identity: managedidentity.UserAssignedIdentity,
  scope: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleDefinitionId(scope, CRYPTO_SERVICE_ENCRYPTION_USER_ROLE_ID),
      scope,
      description: "PostgreSQL flexible server data encryption (zero-trust-azure-postgres).",
    },
    opts,
  );
}

/**
 * One Entra administrator (postgres-entra-admin; groups recommended, seed 003 "User Access"). The
 * resource name is the object id, so reordering the list never replaces an administrator. Callers
 * order it after the server and its previous writes (`opts.dependsOn`).
 */
export function createAdministrator(
  cfg: ResolvedConfig,
  admin: ResolvedConfig["administrators"][number],
  serverName: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): dbforpostgresql.AdministratorsMicrosoftEntra {
  return new dbforpostgresql.AdministratorsMicrosoftEntra(
    `${cfg.name}-admin-${admin.objectId}`,
    {
      resourceGroupName: cfg.resourceGroupName,
      serverName,
      objectId: admin.objectId,
      principalName: admin.principalName,
      principalType: admin.principalType,
      tenantId: cfg.tenantId,
    },
    opts,
  );
}

/** One workload's identity and, for AKS, its federated credential. */
export interface WorkloadResources {
  name: string;
  access: DatabaseAccess;
  identityName: string;
  identity: managedidentity.UserAssignedIdentity;
  credential?: managedidentity.FederatedIdentityCredential;
}

/** A user-assigned identity per workload, federated with its AKS service account when declared. */
export function createWorkloadIdentities(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): WorkloadResources[] {
  return cfg.workloads.map((w) => {
    const identity = new managedidentity.UserAssignedIdentity(
      w.identityName,
      {
        resourceName: w.identityName,
        resourceGroupName: cfg.resourceGroupName,
        location: cfg.location,
        tags: cfg.tags,
      },
      opts,
    );
    const credential = w.aks
      ? new managedidentity.FederatedIdentityCredential(
          `${cfg.name}-${w.name}-fic`,
          {
            resourceGroupName: cfg.resourceGroupName,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: w.aks.credentialName,
            issuer: w.aks.issuerUrl,
            subject: w.aks.subject,
            audiences: [AKS_TOKEN_AUDIENCE],
          },
          opts,
        )
      : undefined;
    return { name: w.name, access: w.access, identityName: w.identityName, identity, credential };
  });
}

/**
 * The password administrator's password, only with `allowPasswordAuth` (postgres-entra-only-auth
 * waived). `RandomPassword.result` is a secret, so it stays encrypted in state and masked in previews.
 */
export function createAdministratorPassword(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): random.RandomPassword {
  return new random.RandomPassword(
    `${cfg.name}-admin-password`,
    {
      length: 32,
      special: true,
      // Characters libpq connection strings and shells handle without quoting trouble.
      overrideSpecial: "-_.~!#%*+=",
      minLower: 2,
      minUpper: 2,
      minNumeric: 2,
      minSpecial: 2,
    },
    opts,
  );
}
