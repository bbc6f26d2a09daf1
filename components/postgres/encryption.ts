// Customer-managed keys (seed 000 §3 "Enable Encryption at Rest": CMK in Azure Key Vault).
//
// The input bags are built by pure functions (`vaultInputs`, `keyInputs`) so guard.ts can run the
// policy catalogue on exactly what is about to be emitted, before anything is registered.

import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type { ResolvedConfig } from "./defaults";
import { stableResourceError } from "./fields";

/** Vault properties. Each setting names the rule that requires it. */
export function vaultInputs(
  cfg: ResolvedConfig,
  vaultName: pulumi.Input<string>,
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
      // argument: it can never be switched off through the component.
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

/** Seconds in a day, for `attributes.expires` (seconds since 1970-01-01T00:00:00Z). */
const DAY_SECONDS = 86_400;

/**
 * Expiry of the key's FIRST version: `keyExpiryDays` after the start of `nowMs`'s UTC day. The rotation policy's `expiryTime`
 * is "the expiration interval set on each new key version" and "does not change the current key"
 * (https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation, read 2026-11-30), so
 * without this the first version never expires and the built-in policy "Key Vault keys should have an
 * expiration date" flags it. Only the create counts: ARM never updates an existing key (below), and
 * the key ignores changes to `properties`, so a later run's newer `now` plans no diff.
 */
export function firstVersionExpiry(expiryDays: number, nowMs: number): number {
  // Whole UTC days: two constructions in one run (or a preview and its `up`) agree on the value.
  const today = Math.floor(nowMs / 1000 / DAY_SECONDS) * DAY_SECONDS;
  return today + expiryDays * DAY_SECONDS;
}

/** Key properties: RSA(-HSM), an expiry on the first version, rotation policy with automatic rotation. */
export function keyInputs(
  cfg: ResolvedConfig,
  vaultName: pulumi.Input<string>,
  keyName: string,
  nowMs: number = Date.now(),
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
      attributes: { enabled: true, expires: firstVersionExpiry(e.keyExpiryDays, nowMs) },
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
  /** Versionless key URI (automatic rotation), once the key's create-only check has passed. */
  keyUri: pulumi.Output<string>;
}

/**
 * Key inputs ARM fixes at creation. `Keys_CreateIfNotExist` (the only write ARM has for keys) "creates
 * the first version of a new key if it does not exist. If it already exists, then the existing key is
 * returned without any write operations being performed. This API does not create subsequent versions,
 * and does not update existing keys." (azure-rest-api-specs
 * specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keys.json, read
 * 2026-11-30). An update would report success and change nothing, so the key ignores changes to its
 * properties and `keyCreateOnlyProblems` refuses them at preview instead.
 */
export const KEY_CREATE_ONLY_PATHS = ["properties"] as const;

/** The deployed key's settings, from its outputs. */
export interface DeployedKey {
  kty?: string;
  keySize?: number;
  /** Rotation policy `expiryTime` (ISO 8601 duration). */
  expiryTime?: string;
  /** Rotation policy `rotate` trigger `timeAfterCreate`. */
  rotateAfter?: string;
}

function keyFixed(field: string, deployed: string | number, asked: string | number): string {
  return (
    `[create-only] \`${field}\` is fixed at creation: the deployed key has "${deployed}", the args ask for "${asked}". ` +
    "Azure Resource Manager never updates an existing key; set `encryption.keyName` to a new name to create a new key the server moves to, or keep the deployed value."
  );
}

/** Differences between the deployed key and the arguments, one message each. Pure. */
export function keyCreateOnlyProblems(deployed: DeployedKey, cfg: ResolvedConfig): string[] {
  const e = cfg.encryption;
  const out: string[] = [];
  if (deployed.kty !== undefined && deployed.kty !== e.keyType)
    out.push(keyFixed("encryption.keyType", deployed.kty, e.keyType));
  if (deployed.keySize !== undefined && deployed.keySize !== e.keySize)
    out.push(keyFixed("encryption.keySize", deployed.keySize, e.keySize));
  if (deployed.expiryTime !== undefined && deployed.expiryTime !== days(e.keyExpiryDays))
    out.push(keyFixed("encryption.keyExpiryDays", deployed.expiryTime, days(e.keyExpiryDays)));
  if (deployed.rotateAfter !== undefined && deployed.rotateAfter !== days(e.keyRotationDays))
    out.push(keyFixed("encryption.keyRotationDays", deployed.rotateAfter, days(e.keyRotationDays)));
  return out;
}

/**
 * Options of a created key. `retainOnDelete`: ARM has no DELETE for keys (keys.json above), so
 * azure-native deletes a key through the vault's data plane, which a vault with public access disabled
 * refuses from outside its network, failing `pulumi destroy`. The key is deleted with its vault instead
 * (soft-deleted together, purge-protected for the retention period); a key left behind by a rename
 * stays in the vault, where backups encrypted with it can still be restored.
 */
export function keyOptions(protectedOpts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  const paths: readonly string[] = KEY_CREATE_ONLY_PATHS;
  return {
    ...protectedOpts,
    retainOnDelete: true,
    ignoreChanges: [...(protectedOpts.ignoreChanges ?? []).filter((p) => !paths.includes(p)), ...paths],
  };
}

/** Fails the key (a stack-free ResourceError) when its deployed settings differ from the arguments. */
export function verifyKeyCreateOnly(key: keyvault.Key, cfg: ResolvedConfig): pulumi.Output<true> {
  return pulumi.all([key.kty, key.keySize, key.rotationPolicy]).apply(([kty, keySize, policy]) => {
    const rotate = policy?.lifetimeActions?.find((a) => a.action?.type?.toLowerCase() === "rotate");
    const problems = keyCreateOnlyProblems(
      {
        kty: kty ?? undefined,
        keySize: keySize ?? undefined,
        expiryTime: policy?.attributes?.expiryTime ?? undefined,
        rotateAfter: rotate?.trigger?.timeAfterCreate ?? undefined,
      },
      cfg,
    );
    if (problems.length > 0) throw stableResourceError(problems.join("\n"), key);
    return true as const;
  });
}

/** Creates a vault and its key (`<name>-kv`, `<name>-kv-key`; geo: `<name>-geo-kv`, `<name>-geo-kv-key`). */
export function createVaultAndKey(
  cfg: ResolvedConfig,
  prefix: string,
  vaultName: pulumi.Input<string>,
  keyName: string,
  location: pulumi.Input<string> | undefined,
  protectedOpts: pulumi.CustomResourceOptions,
): CreatedKey {
  const vault = new keyvault.Vault(
    `${cfg.name}-${prefix}`,
    vaultInputs(cfg, vaultName, location),
    protectedOpts,
  );
  const key = new keyvault.Key(
    `${cfg.name}-${prefix}-key`,
    keyInputs(cfg, vault.name, keyName),
    keyOptions(protectedOpts),
  );
  const checked = verifyKeyCreateOnly(key, cfg);
  return { vault, key, keyUri: checked.apply(() => key.keyUri) };
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
