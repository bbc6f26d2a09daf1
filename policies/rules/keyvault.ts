// Key Vault and key rules. azure-native nests vault settings under `properties` (and the SDK fills
// defaults: enableSoftDelete true, enableRbacAuthorization false, publicNetworkAccess "enabled",
// softDeleteRetentionInDays 90); classic `azure:keyvault/keyVault:KeyVault` has flat camelCase inputs.

import { lead } from "./postgres";
import { AZURE_POLICY, CIS, SEED_000, SEED_003, policyLink } from "./refs";
import { TOKENS, isClassic } from "./tokens";
import { DEFAULT_EC_CURVES, DEFAULT_MIN_RSA_KEY_SIZE, EC_CURVES, RSA_KEY_SIZES } from "./thresholds";
import type { ResourceRule, ResourceView } from "./types";
import {
  blocks,
  bool,
  cfg,
  eqi,
  get,
  isObject,
  isSet,
  isUnknown,
  items,
  lower,
  num,
  setPath,
  show,
  str,
  covers,
} from "./util";

/** Reads a vault setting: azure-native `properties.<native>`, classic `<classic>`. */
function vaultProp(view: ResourceView, native: string, classic: string): { v: unknown; path: string } {
  return isClassic(view.type)
    ? { v: get(view.props, classic), path: classic }
    : { v: get(view.props, "properties", native), path: `properties.${native}` };
}

export const purgeProtection: ResourceRule<"keyvault-purge-protection"> = {
  kind: "resource",
  id: "keyvault-purge-protection",
  title: "Key Vault purge protection",
  description:
    "Key vaults must have purge protection enabled so a deleted key cannot be purged during retention.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.keyVault],
  config: {},
  remediation:
    "Set `properties.enablePurgeProtection: true` (classic `purgeProtectionEnabled: true`). It cannot be turned off again, which is the point: a CMK vault without it can brick the server.",
  references: {
    comparison: "Same as Azure Policy 0b60c0b2 and CIS 3.3.5; no threshold.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.vaultDeletionProtection,
    cis: CIS.vaultRecoverable,
    mcsb: "DP-8",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keyvault.json `VaultProperties.enablePurgeProtection` (no default)",
    },
    {
      kind: "learn",
      ref: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview (purge protection "is not enabled by default")',
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/key_vault (`purge_protection_enabled` defaults to false)",
    },
  ],
  unsetMeans:
    "Unset purge protection means off: the API spec declares no default, Microsoft Learn says it is not enabled by default, and azurerm defaults it to false. Flagged.",
  check(view) {
    if (!covers(purgeProtection, view)) return [];
    const { v, path } = vaultProp(view, "enablePurgeProtection", "purgeProtectionEnabled");
    if (isUnknown(v) || bool(v) === true) return [];
    return [`${lead(purgeProtection)}: ${path} is ${show(v)} (unset means off). Set ${path} to true.`];
  },
  remediate(view) {
    if (!covers(purgeProtection, view)) return undefined;
    if (purgeProtection.check(view, {}).length === 0) return undefined;
    return isClassic(view.type)
      ? setPath(view.props, ["purgeProtectionEnabled"], true)
      : setPath(view.props, ["properties", "enablePurgeProtection"], true);
  },
};

export const softDelete: ResourceRule<"keyvault-soft-delete"> = {
  kind: "resource",
  id: "keyvault-soft-delete",
  title: "Key Vault soft delete",
  description: "Key vaults must keep soft delete on with a retention of at least 7 days.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.keyVault],
  config: {},
  remediation:
    "Leave `properties.enableSoftDelete` unset or true and `softDeleteRetentionInDays` between 7 and 90 (classic `softDeleteRetentionDays`).",
  references: {
    comparison:
      "Same as Azure Policy 1e66c121 and CIS 3.3.5; the 7-day retention floor is Azure's own minimum.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.vaultSoftDelete,
    cis: CIS.vaultRecoverable,
    mcsb: "DP-8",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keyvault.json `VaultProperties.enableSoftDelete` (default true) and `softDeleteRetentionInDays` (default 90)",
    },
    {
      kind: "provider-docs",
      ref: "@pulumi/azure-native 3.28.0 types/input.js keyvault.vaultPropertiesArgsProvideDefaults (enableSoftDelete true, softDeleteRetentionInDays 90); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/key_vault (`soft_delete_retention_days` defaults to 90)",
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview (soft delete on by default, 90 days by default)",
    },
  ],
  unsetMeans:
    "Unset soft delete means on (SDK default true; Azure turns it on for every vault since 2020 and refuses to turn it off); unset retention means 90 days. An explicit false or a retention below 7 is flagged.",
  check(view) {
    if (!covers(softDelete, view)) return [];
    const out: string[] = [];
    const classic = isClassic(view.type);
    const en = classic
      ? { v: get(view.props, "softDeleteEnabled"), path: "softDeleteEnabled" }
      : vaultProp(view, "enableSoftDelete", "");
    if (!isUnknown(en.v) && bool(en.v) === false)
      out.push(
        `${lead(softDelete)}: ${en.path} is ${show(en.v)} (unset means on). Remove it or set it to true.`,
      );
    const ret = vaultProp(view, "softDeleteRetentionInDays", "softDeleteRetentionDays");
    if (ret.v !== undefined && ret.v !== null && !isUnknown(ret.v)) {
      const days = num(ret.v);
      if (days === undefined || days < 7)
        out.push(
          `${lead(softDelete)}: ${ret.path} is ${show(ret.v)} (unset means 90). Set ${ret.path} to 7-90.`,
        );
    }
    return out;
  },
  remediate(view) {
    if (!covers(softDelete, view)) return undefined;
    if (softDelete.check(view, {}).length === 0) return undefined;
    const classic = isClassic(view.type);
    let props: Record<string, unknown> = view.props;
    const en = classic
      ? get(view.props, "softDeleteEnabled")
      : get(view.props, "properties", "enableSoftDelete");
    if (bool(en) === false)
      props = classic
        ? setPath(props, ["softDeleteEnabled"], true)
        : setPath(props, ["properties", "enableSoftDelete"], true);
    const ret = classic
      ? get(view.props, "softDeleteRetentionDays")
      : get(view.props, "properties", "softDeleteRetentionInDays");
    const days = num(ret);
    if (ret !== undefined && ret !== null && (days === undefined || days < 7))
      props = classic
        ? setPath(props, ["softDeleteRetentionDays"], 90)
        : setPath(props, ["properties", "softDeleteRetentionInDays"], 90);
    return props;
  },
};

export const rbacAuthorization: ResourceRule<"keyvault-rbac-authorization"> = {
  kind: "resource",
  id: "keyvault-rbac-authorization",
  title: "Key Vault RBAC authorization",
  description: "Key vaults should use Azure RBAC instead of access policies.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.keyVault],
  config: {},
  remediation:
    "Set `properties.enableRbacAuthorization: true` (classic `rbacAuthorizationEnabled`, formerly `enableRbacAuthorization`) and grant roles such as Key Vault Crypto Service Encryption User.",
  references: {
    comparison: "Same as Azure Policy 12d4fa5e and CIS 3.3.6; no threshold.",
    seed: `${SEED_003.accessControl}; ${SEED_000.managedIdentity}`,
    azurePolicyId: AZURE_POLICY.vaultRbac,
    cis: CIS.vaultRbac,
    mcsb: "PA-7",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keyvault.json `VaultProperties.enableRbacAuthorization` (default false; the 2026-02-01 spec changes it to true, but azure-native 3.28.0 sends 2024-11-01, so false decides the deployed value)",
    },
    {
      kind: "provider-docs",
      ref: "@pulumi/azure-native 3.28.0 types/input.js keyvault.vaultPropertiesArgsProvideDefaults (enableRbacAuthorization false); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/key_vault (`rbac_authorization_enabled` defaults to false)",
    },
  ],
  unsetMeans:
    "Unset means access policies: the 2024-11-01 API spec that azure-native sends declares default false, and azurerm defaults to false (the 2026-02-01 spec turns RBAC on by default, but no provider here sends it). Flagged.",
  check(view) {
    if (!covers(rbacAuthorization, view)) return [];
    if (isClassic(view.type)) {
      const a = get(view.props, "rbacAuthorizationEnabled");
      const b = get(view.props, "enableRbacAuthorization");
      if (isUnknown(a) || isUnknown(b) || bool(a) === true || bool(b) === true) return [];
      return [
        `${lead(rbacAuthorization)}: rbacAuthorizationEnabled is ${show(a ?? b)} (unset means false). Set rbacAuthorizationEnabled to true.`,
      ];
    }
    const { v, path } = vaultProp(view, "enableRbacAuthorization", "");
    if (isUnknown(v) || bool(v) === true) return [];
    return [`${lead(rbacAuthorization)}: ${path} is ${show(v)} (unset means false). Set ${path} to true.`];
  },
};

export const networkRestricted: ResourceRule<"keyvault-network-restricted"> = {
  kind: "resource",
  id: "keyvault-network-restricted",
  title: "Key Vault network restricted",
  description: "Key vaults should disable public network access or deny it by default in their network ACLs.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.keyVault],
  config: {},
  remediation:
    'Set `properties.publicNetworkAccess: "Disabled"` and reach the vault through a private endpoint, or set `networkAcls.defaultAction: "Deny"` with `bypass: "AzureServices"` (classic `publicNetworkAccessEnabled: false` / `networkAcls.defaultAction`).',
  references: {
    comparison:
      'Same as Azure Policy 55615ac9 with its defaults (`restrictIPAddresses` "No", empty `allowedIPAddresses` and `forbiddenIPAddresses`): public access disabled or firewall deny by default; IP lists are not checked. keyvault-cmk-private-access is stricter for vaults that hold a server key.',
    seed: `${SEED_000.publicAccess}; ${SEED_003.network}`,
    azurePolicyId: AZURE_POLICY.vaultFirewall,
    links: [policyLink(AZURE_POLICY.vaultPrivateLink)],
    cis: CIS.vaultPrivateLink,
    mcsb: "NS-2",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: 'specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keyvault.json `VaultProperties.publicNetworkAccess` (default "enabled"); `NetworkRuleSet.defaultAction` (no default)',
    },
    {
      kind: "learn",
      ref: 'https://learn.microsoft.com/azure/key-vault/general/network-security ("By default, when you create a new key vault, the Azure Key Vault firewall is disabled")',
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/key_vault (`public_network_access_enabled` defaults to true)",
    },
  ],
  unsetMeans:
    'Unset public access means enabled (API spec default "enabled"; azurerm default true); unset network ACLs mean no firewall, i.e. "Allow" (Microsoft Learn: the firewall is disabled by default). Flagged.',
  check(view) {
    if (!covers(networkRestricted, view)) return [];
    const classic = isClassic(view.type);
    const pub = vaultProp(view, "publicNetworkAccess", "publicNetworkAccessEnabled");
    if (isUnknown(pub.v)) return [];
    if (classic ? bool(pub.v) === false : eqi(pub.v, "Disabled")) return [];
    const acl = classic ? get(view.props, "networkAcls") : get(view.props, "properties", "networkAcls");
    const action = blocks(acl).map((b) => get(b, "defaultAction"));
    if (action.some((a) => isUnknown(a) || eqi(a, "Deny"))) return [];
    const aclPath = classic ? "networkAcls.defaultAction" : "properties.networkAcls.defaultAction";
    return [
      `${lead(networkRestricted)}: ${pub.path} is ${show(pub.v)} and ${aclPath} is ${show(action[0])} (unset means public and Allow). Disable public access or set ${aclPath} to "Deny".`,
    ];
  },
};

// ---- Keys

/** A key's type, size, curve: azure-native `properties.kty/keySize/curveName`, classic `keyType/keySize/curve`. */
function keyFacts(view: ResourceView): {
  kty: unknown;
  size: unknown;
  curve: unknown;
  paths: [string, string, string];
} {
  if (isClassic(view.type))
    return {
      kty: get(view.props, "keyType"),
      size: get(view.props, "keySize"),
      curve: get(view.props, "curve"),
      paths: ["keyType", "keySize", "curve"],
    };
  return {
    kty: get(view.props, "properties", "kty"),
    size: get(view.props, "properties", "keySize"),
    curve: get(view.props, "properties", "curveName"),
    paths: ["properties.kty", "properties.keySize", "properties.curveName"],
  };
}

export const keyStrength: ResourceRule<"keyvault-key-strength"> = {
  kind: "resource",
  id: "keyvault-key-strength",
  title: "Key strength",
  description:
    "Key Vault keys should be RSA keys of at least the configured size or EC keys on an allowed curve.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.key],
  config: {
    minimumRsaKeySize: {
      type: "integer",
      description: "Smallest RSA key size in bits accepted.",
      enum: RSA_KEY_SIZES,
      default: DEFAULT_MIN_RSA_KEY_SIZE,
    },
    allowedCurves: {
      type: "array",
      description:
        "Elliptic curves accepted for EC keys (P-256K, secp256k1, is not a NIST curve and is left out).",
      items: { type: "string", enum: EC_CURVES },
      default: DEFAULT_EC_CURVES,
    },
  },
  remediation:
    "Create RSA keys of 3072 or 4096 bits (`keySize`), or EC keys on P-256/P-384/P-521. A CMK for PostgreSQL must be RSA (2048, 3072 or 4096).",
  references: {
    comparison:
      "Azure Policy 82067dbb offers the same sizes (`minimumRSAKeySize` 2048, 3072, 4096) with no default; ours defaults to 3072 (NIST SP 800-57 beyond 2030).",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.keyRsaMinSize,
    mcsb: "DP-6",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: 'specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keys.json `KeyProperties.keySize` ("Default for RSA and RSA-HSM keys is 2048") and `KeyProperties.curveName` ("Default for EC and EC-HSM keys is P-256"), in the property descriptions, no default keyword',
    },
  ],
  unsetMeans:
    "An unset RSA key size means 2048 bits (the Key Vault default) and is flagged under the default minimum; an unset EC curve means P-256 and passes. Symmetric (oct) keys are not judged.",
  check(view, config) {
    if (!covers(keyStrength, view)) return [];
    const { kty, size, curve, paths } = keyFacts(view);
    if (isUnknown(kty)) return [];
    const t = lower(kty) ?? "";
    if (t === "rsa" || t === "rsa-hsm") {
      if (isUnknown(size)) return [];
      const min = cfg(keyStrength, config, "minimumRsaKeySize") as number;
      const bits = size === undefined || size === null ? 2048 : num(size);
      if (bits !== undefined && bits >= min) return [];
      return [
        `${lead(keyStrength)} (RSA ${min}): ${paths[1]} is ${show(size)} (unset means 2048). Set ${paths[1]} to ${min} or more.`,
      ];
    }
    if (t === "ec" || t === "ec-hsm") {
      if (isUnknown(curve)) return [];
      const allowed = cfg(keyStrength, config, "allowedCurves") as string[];
      const c = curve === undefined || curve === null ? "P-256" : str(curve)?.trim().toUpperCase();
      if (c !== undefined && allowed.includes(c)) return [];
      return [
        `${lead(keyStrength)}: ${paths[2]} is ${show(curve)} (unset means P-256); allowed: ${allowed.join(", ")}. Use an allowed curve.`,
      ];
    }
    return [];
  },
};

/**
 * Whether a key's current version has an expiry: azure-native `properties.attributes.expires` (seconds
 * since 1970, the ARM `KeyAttributes.exp`), classic `expirationDate` (RFC 3339). "unknown" when not
 * known yet.
 */
function keyExpiryOf(view: ResourceView): { set: boolean | "unknown"; path: string; value: unknown } {
  const classic = isClassic(view.type);
  const path = classic ? "expirationDate" : "properties.attributes.expires";
  const value = classic
    ? get(view.props, "expirationDate")
    : get(view.props, "properties", "attributes", "expires");
  if (isUnknown(value)) return { set: "unknown", path, value };
  const set = classic ? isSet(value) : num(value) !== undefined && (num(value) as number) > 0;
  return { set, path, value };
}

/** The key's rotation policy: azure-native `properties.rotationPolicy`, classic `rotationPolicy`. */
function rotationPolicyOf(view: ResourceView): { rp: unknown; path: string } {
  return isClassic(view.type)
    ? { rp: get(view.props, "rotationPolicy"), path: "rotationPolicy" }
    : { rp: get(view.props, "properties", "rotationPolicy"), path: "properties.rotationPolicy" };
}

export const keyExpiry: ResourceRule<"keyvault-key-expiry"> = {
  kind: "resource",
  id: "keyvault-key-expiry",
  title: "Key expiry",
  description:
    "Key Vault keys should have an expiration date, on the current version and on every version a rotation policy creates.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.key],
  config: {},
  remediation:
    'Set the key\'s expiry (azure-native `properties.attributes.expires`, seconds since 1970; classic `expirationDate`, RFC 3339) and, when the key has a rotation policy, its `attributes.expiryTime` (e.g. "P1Y"; classic `rotationPolicy.expireAfter`) so rotated versions expire too.',
  references: {
    comparison:
      "Same as Azure Policy 152b15f7 and CIS 3.3.1/3.3.2 (an expiration date); no threshold. Stricter in also wanting an expiry on versions a rotation policy creates.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.keyExpiration,
    cis: CIS.keyExpiry,
    mcsb: "DP-6",
    links: ["https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation"],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keys.json `KeyAttributes.exp` (optional, no default)",
    },
    {
      kind: "learn",
      ref: 'https://learn.microsoft.com/azure/key-vault/keys/about-keys-details (exp: optional, default is "forever")',
    },
  ],
  unsetMeans:
    "An unset expiry means the key never expires (`exp` is optional in a key's attributes and Key Vault sets none unless asked) and is flagged, as the built-in 152b15f7 flags a key without an expiration date. A rotation policy's `expiryTime` is applied only to new versions and \"does not change the current key\" (Microsoft Learn, configure key rotation, read 2026-11-30), so it does not stand in for the current version's expiry; with a rotation policy, an unset `expiryTime` means rotated versions never expire and is flagged too. Values not known yet pass.",
  check(view) {
    if (!covers(keyExpiry, view)) return [];
    const out: string[] = [];
    const exp = keyExpiryOf(view);
    if (exp.set === false) {
      const example = isClassic(view.type) ? 'e.g. "2027-12-01T00:00:00Z"' : "in seconds since 1970";
      out.push(
        `${lead(keyExpiry)}: ${exp.path} is ${show(exp.value)}, so the current key version never expires (a rotation policy's expiry applies only to new versions). Set ${exp.path} (${example}).`,
      );
    }
    const { rp, path } = rotationPolicyOf(view);
    if (isObject(rp) && !isUnknown(rp)) {
      const field = isClassic(view.type) ? "expireAfter" : "attributes.expiryTime";
      const v = isClassic(view.type) ? get(rp, "expireAfter") : get(rp, "attributes", "expiryTime");
      if (!isSet(v))
        out.push(
          `${lead(keyExpiry)}: ${path}.${field} is ${show(v)}, so versions the rotation policy creates never expire. Set ${path}.${field} (e.g. "P1Y").`,
        );
    }
    return out;
  },
};

export const keyRotationPolicy: ResourceRule<"keyvault-key-rotation-policy"> = {
  kind: "resource",
  id: "keyvault-key-rotation-policy",
  title: "Key rotation policy",
  description: "Key Vault keys should have a rotation policy with an automatic Rotate action.",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.key],
  config: {},
  remediation:
    'Set `properties.rotationPolicy.lifetimeActions` with `{ action: { type: "Rotate" }, trigger: { timeAfterCreate: "P6M" } }` (classic: `rotationPolicy { automatic { timeAfterCreation } }`). Expiry is judged by keyvault-key-expiry.',
  references: {
    comparison:
      "Weaker than Azure Policy d8cf8476 when its `maximumDaysToRotate` (no default) is set: ours wants a Rotate action with a trigger and leaves the number of days to the user.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.keyRotationPolicy,
    mcsb: "DP-6",
    links: ["https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation"],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keys.json `KeyProperties.rotationPolicy` (optional, no default)",
    },
    {
      kind: "learn",
      ref: "https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation (a key rotates automatically only under a rotation policy)",
    },
  ],
  unsetMeans:
    "An unset rotation policy means the key is never rotated automatically (Key Vault rotates only by a policy's Rotate action) and is flagged. A policy whose lifetime actions have no Rotate action with a trigger is flagged too. Expiry is not judged here (keyvault-key-expiry). Values not known yet pass.",
  check(view) {
    if (!covers(keyRotationPolicy, view)) return [];
    const { rp, path } = rotationPolicyOf(view);
    if (isUnknown(rp)) return [];
    if (isClassic(view.type)) {
      const auto = get(rp, "automatic");
      if (isUnknown(auto)) return [];
      if (isSet(get(auto, "timeAfterCreation")) || isSet(get(auto, "timeBeforeExpiry"))) return [];
      return [
        `${lead(keyRotationPolicy)}: ${isObject(rp) ? `${path}.automatic is ${show(auto)}` : `${path} is ${show(rp)}`}, so the key is never rotated. Add rotationPolicy { automatic { timeAfterCreation } } (or timeBeforeExpiry).`,
      ];
    }
    const actions = get(rp, "lifetimeActions");
    if (isUnknown(actions)) return [];
    const rotates = items(actions).some((a) => {
      const type = get(a, "action", "type");
      const trigger = get(a, "trigger");
      return (
        (isUnknown(type) || eqi(type, "Rotate")) &&
        (isUnknown(trigger) ||
          (isObject(trigger) &&
            (isSet(get(trigger, "timeAfterCreate")) || isSet(get(trigger, "timeBeforeExpiry")))))
      );
    });
    if (rotates) return [];
    return [
      `${lead(keyRotationPolicy)}: ${isObject(rp) ? `${path}.lifetimeActions has no Rotate action with a trigger` : `${path} is ${show(rp)}`}, so the key is never rotated. Add { action: { type: "Rotate" }, trigger: { timeAfterCreate: "P6M" } }.`,
    ];
  },
};

export const keyHsmBacked: ResourceRule<"keyvault-key-hsm-backed"> = {
  kind: "resource",
  id: "keyvault-key-hsm-backed",
  title: "HSM-backed keys",
  description: "Key Vault keys should be HSM-backed (RSA-HSM or EC-HSM in a Premium vault).",
  enforcementLevel: "advisory",
  resourceTypes: [...TOKENS.key],
  config: {},
  remediation: 'Set `properties.kty` (classic `keyType`) to "RSA-HSM" and use a Premium vault.',
  references: {
    comparison: "Same as Azure Policy 587c79fe (HSM-backed keys); no threshold.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.dataProtection}`,
    azurePolicyId: AZURE_POLICY.keyHsm,
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keys.json `KeyProperties.kty` (no default; the ARM schema does not mark it required)",
    },
    {
      kind: "not-set",
      ref: "An unset key type is treated as not set, so nothing shows the key is HSM-backed, and it is flagged.",
    },
  ],
  unsetMeans:
    "The ARM spec declares no default key type (and does not mark it required); an unset type is treated as not set and flagged as not HSM-backed.",
  check(view) {
    if (!covers(keyHsmBacked, view)) return [];
    const { kty, paths } = keyFacts(view);
    if (isUnknown(kty)) return [];
    const t = lower(kty);
    if (t !== undefined && t.endsWith("-hsm")) return [];
    return [
      `${lead(keyHsmBacked)}: ${paths[0]} is ${show(kty)}. Set ${paths[0]} to "RSA-HSM" in a Premium vault.`,
    ];
  },
};

export const KEYVAULT_RULES = [
  purgeProtection,
  softDelete,
  rbacAuthorization,
  networkRestricted,
  keyStrength,
  keyExpiry,
  keyRotationPolicy,
  keyHsmBacked,
] as const satisfies readonly ResourceRule[];
