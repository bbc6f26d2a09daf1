// Customer-managed keys (seed 000 §3 "Enable Encryption at Rest": CMK in Azure Key Vault).
//
// The input bags are built by pure functions (`vaultInputs`, `keyInputs`) so guard.ts can run the
// policy catalogue on exactly what is about to be emitted, before anything is registered.

import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type { ResolvedConfig } from "./defaults";

/** Vault properties. Each setting names the rule that requires it. */
export function vaultInputs(
  cfg: ResolvedConfig,
  vaultName: string,
  location: pulumi.Input<string> | undefined,
): keyvault.VaultArgs {
  return {
    vaultName,
    resourceGroupName: cfg.resourceGroupName,
    location,
    tags: cfg.tags,
    properties: {
      tenantId: cfg.tenantId,
      // keyvault-key-hsm-backed: RSA-HSM keys need the Premium SKU.
      sku: { family: "A", name: cfg.encryption.keyType === "RSA-HSM" ? "premium" : "standard" },
      // keyvault-rbac-authorization: Azure RBAC, no access policies.
      enableRbacAuthorization: true,
      // keyvault-purge-protection: a deleted key cannot be purged while the server needs it. Not an
      // argument: it can never be switched off through the component (issue #7 §4).
      enablePurgeProtection: true,
      // keyvault-soft-delete: 90 days, the maximum.
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      // keyvault-network-restricted: no public endpoint. ARM's own description of the property: "If set
      // to 'disabled' all traffic except private endpoint traffic and that that originates from trusted
      // services will be blocked" — the AzureServices bypass is what lets the PostgreSQL service (a
      // trusted service) wrap and unwrap with the key.
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
    },
  };
}

/** ISO 8601 day duration. */
const days = (n: number): string => `P${n}D`;

/** Key properties: RSA(-HSM), rotation policy with an expiry and automatic rotation. */
export function keyInputs(
  cfg: ResolvedConfig,
  vaultName: pulumi.Input<string>,
  keyName: string,
): keyvault.KeyArgs {
  const e = cfg.encryption;
  return {
    keyName,
    vaultName,
    resourceGroupName: cfg.resourceGroupName,
    tags: cfg.tags,
    properties: {
      // keyvault-key-hsm-backed / keyvault-key-strength.
      kty: e.keyType,
      keySize: e.keySize,
      // Only what data encryption needs.
      keyOps: ["wrapKey", "unwrapKey"],
      attributes: { enabled: true },
      // keyvault-key-rotation-policy: each version expires, and is rotated well before it does; the
      // server follows rotations because it references the versionless key URI.
      rotationPolicy: {
        attributes: { expiryTime: days(e.keyExpiryDays) },
        lifetimeActions: [
          { action: { type: "rotate" }, trigger: { timeAfterCreate: days(e.keyRotationDays) } },
          { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
        ],
      },
    },
  };
}

/** A created vault and key. */
export interface CreatedKey {
  vault: keyvault.Vault;
  key: keyvault.Key;
  /** Versionless key URI (automatic rotation). */
  keyUri: pulumi.Output<string>;
}

/** Creates a vault and its key (`<name>-kv`, `<name>-kv-key`; geo: `<name>-geo-kv`, `<name>-geo-kv-key`). */
export function createVaultAndKey(
  cfg: ResolvedConfig,
  prefix: string,
  vaultName: string,
  keyName: string,
  location: pulumi.Input<string> | undefined,
  protectedOpts: pulumi.CustomResourceOptions,
): CreatedKey {
  const vault = new keyvault.Vault(
    `${cfg.name}-${prefix}`,
    vaultInputs(cfg, vaultName, location),
    protectedOpts,
  );
  const key = new keyvault.Key(`${cfg.name}-${prefix}-key`, keyInputs(cfg, vault.name, keyName), {
    ...protectedOpts,
    parent: protectedOpts.parent,
  });
  return { vault, key, keyUri: key.keyUri };
}

/** `https://<vault>.vault.azure.net/keys/<key>` → `<key>`. */
export function keyNameFromUri(keyUri: string): string {
  const m = /\/keys\/([^/]+)/.exec(keyUri);
  return m ? m[1] : "";
}

/** Role scope for a brought key: the key itself inside its vault. */
export function broughtKeyScope(
  vaultId: pulumi.Input<string>,
  keyUri: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.all([vaultId, keyUri]).apply(([v, k]) => `${v}/keys/${keyNameFromUri(k)}`);
}
