import * as assert from "node:assert/strict";

import { evaluateResource, getRule, type RuleId } from "../../policies/rules";
import { T, happy, run, withPath } from "./fixtures";
import type { Props } from "./fixtures";

const V = happy.vault;
const CV = happy.classicVault;
const K = happy.key;
const CK = happy.classicKey;

interface Case {
  rule: RuleId;
  name: string;
  type: string;
  props: Props;
  config?: Record<string, unknown>;
  fragment?: string;
}

const cases: Case[] = [
  { rule: "keyvault-purge-protection", name: "passes purge protection on", type: T.vault, props: V },
  {
    rule: "keyvault-purge-protection",
    name: "rejects purge protection unset",
    type: T.vault,
    props: withPath(V, "properties.enablePurgeProtection", undefined),
    fragment:
      "properties.enablePurgeProtection is unset (unset means off). Set properties.enablePurgeProtection to true.",
  },
  {
    rule: "keyvault-purge-protection",
    name: "passes classic purge protection",
    type: T.classicVault,
    props: CV,
  },
  {
    rule: "keyvault-purge-protection",
    name: "rejects classic purge protection false",
    type: T.classicVault,
    props: withPath(CV, "purgeProtectionEnabled", false),
    fragment: "purgeProtectionEnabled is false",
  },

  { rule: "keyvault-soft-delete", name: "passes soft delete on with 90 days", type: T.vault, props: V },
  {
    rule: "keyvault-soft-delete",
    name: "passes soft delete unset (on by default)",
    type: T.vault,
    props: withPath(
      withPath(V, "properties.enableSoftDelete", undefined),
      "properties.softDeleteRetentionInDays",
      undefined,
    ),
  },
  {
    rule: "keyvault-soft-delete",
    name: "rejects soft delete false",
    type: T.vault,
    props: withPath(V, "properties.enableSoftDelete", false),
    fragment: "properties.enableSoftDelete is false (unset means on)",
  },
  {
    rule: "keyvault-soft-delete",
    name: "rejects a retention of 3 days",
    type: T.vault,
    props: withPath(V, "properties.softDeleteRetentionInDays", 3),
    fragment: "properties.softDeleteRetentionInDays is 3",
  },
  { rule: "keyvault-soft-delete", name: "passes classic retention 90", type: T.classicVault, props: CV },
  {
    rule: "keyvault-soft-delete",
    name: "rejects classic softDeleteRetentionDays below 7",
    type: T.classicVault,
    props: withPath(CV, "softDeleteRetentionDays", 6),
    fragment: "softDeleteRetentionDays is 6 (unset means 90). Set softDeleteRetentionDays to 7-90.",
  },

  { rule: "keyvault-rbac-authorization", name: "passes RBAC", type: T.vault, props: V },
  {
    rule: "keyvault-rbac-authorization",
    name: "rejects access policies (RBAC false)",
    type: T.vault,
    props: withPath(V, "properties.enableRbacAuthorization", false),
    fragment: "properties.enableRbacAuthorization is false",
  },
  { rule: "keyvault-rbac-authorization", name: "passes classic RBAC", type: T.classicVault, props: CV },
  {
    rule: "keyvault-rbac-authorization",
    name: "passes the older classic enableRbacAuthorization",
    type: T.classicVault,
    props: withPath(withPath(CV, "rbacAuthorizationEnabled", undefined), "enableRbacAuthorization", true),
  },
  {
    rule: "keyvault-rbac-authorization",
    name: "rejects classic RBAC unset",
    type: T.classicVault,
    props: withPath(CV, "rbacAuthorizationEnabled", undefined),
    fragment: "rbacAuthorizationEnabled is unset (unset means false)",
  },

  { rule: "keyvault-network-restricted", name: "passes public access disabled", type: T.vault, props: V },
  {
    rule: "keyvault-network-restricted",
    name: "passes public access enabled with a Deny ACL",
    type: T.vault,
    props: withPath(V, "properties.publicNetworkAccess", "Enabled"),
  },
  {
    rule: "keyvault-network-restricted",
    name: "rejects public access with an Allow ACL",
    type: T.vault,
    props: withPath(
      withPath(V, "properties.publicNetworkAccess", "enabled"),
      "properties.networkAcls.defaultAction",
      "Allow",
    ),
    fragment:
      'properties.publicNetworkAccess is "enabled" and properties.networkAcls.defaultAction is "Allow"',
  },
  {
    rule: "keyvault-network-restricted",
    name: "rejects classic public access without ACLs",
    type: T.classicVault,
    props: withPath(withPath(CV, "publicNetworkAccessEnabled", true), "networkAcls", undefined),
    fragment: "publicNetworkAccessEnabled is true and networkAcls.defaultAction is unset",
  },
  {
    rule: "keyvault-network-restricted",
    name: "passes classic public access off",
    type: T.classicVault,
    props: CV,
  },

  { rule: "keyvault-key-strength", name: "passes RSA-HSM 3072", type: T.key, props: K },
  {
    rule: "keyvault-key-strength",
    name: "rejects RSA 2048",
    type: T.key,
    props: withPath(K, "properties.keySize", 2048),
    fragment:
      "(RSA 3072): properties.keySize is 2048 (unset means 2048). Set properties.keySize to 3072 or more.",
  },
  {
    rule: "keyvault-key-strength",
    name: "rejects an unset RSA size (2048)",
    type: T.key,
    props: withPath(K, "properties.keySize", undefined),
    fragment: "properties.keySize is unset",
  },
  {
    rule: "keyvault-key-strength",
    name: "honours a configured 4096 minimum",
    type: T.classicKey,
    props: CK,
    config: { minimumRsaKeySize: 4096 },
    fragment: "keySize is 3072",
  },
  {
    rule: "keyvault-key-strength",
    name: "passes an EC key on P-384",
    type: T.key,
    props: withPath(withPath(K, "properties.kty", "EC-HSM"), "properties.curveName", "P-384"),
  },
  {
    rule: "keyvault-key-strength",
    name: "rejects an EC key on P-256K",
    type: T.classicKey,
    props: withPath(withPath(CK, "keyType", "EC"), "curve", "P-256K"),
    fragment: 'curve is "P-256K" (unset means P-256); allowed: P-256, P-384, P-521',
  },

  {
    rule: "keyvault-key-expiry",
    name: "passes a key with an expiry and a rotation policy expiry",
    type: T.key,
    props: K,
  },
  {
    rule: "keyvault-key-expiry",
    name: "rejects a key whose current version has no expiry, even with a rotation policy expiry",
    type: T.key,
    props: withPath(K, "properties.attributes", undefined),
    fragment:
      "properties.attributes.expires is unset, so the current key version never expires (a rotation policy's expiry applies only to new versions). Set properties.attributes.expires",
  },
  {
    rule: "keyvault-key-expiry",
    name: "rejects a rotation policy without expiryTime on a key that has an expiry",
    type: T.key,
    props: withPath(K, "properties.rotationPolicy.attributes", undefined),
    fragment:
      'properties.rotationPolicy.attributes.expiryTime is unset, so versions the rotation policy creates never expire. Set properties.rotationPolicy.attributes.expiryTime (e.g. "P1Y")',
  },
  {
    rule: "keyvault-key-expiry",
    name: "passes a key with an expiry and no rotation policy (rotation is another rule)",
    type: T.key,
    props: withPath(K, "properties.rotationPolicy", undefined),
  },
  { rule: "keyvault-key-expiry", name: "passes a classic key with an expiry", type: T.classicKey, props: CK },
  {
    rule: "keyvault-key-expiry",
    name: "rejects a classic key without expirationDate",
    type: T.classicKey,
    props: withPath(CK, "expirationDate", undefined),
    fragment: "expirationDate is unset, so the current key version never expires",
  },
  {
    rule: "keyvault-key-expiry",
    name: "rejects a classic rotation policy without expireAfter",
    type: T.classicKey,
    props: withPath(CK, "rotationPolicy.expireAfter", undefined),
    fragment: "rotationPolicy.expireAfter is unset, so versions the rotation policy creates never expire",
  },

  { rule: "keyvault-key-rotation-policy", name: "passes a rotation policy", type: T.key, props: K },
  {
    rule: "keyvault-key-rotation-policy",
    name: "rejects no rotation policy without asking for an expiry",
    type: T.key,
    props: withPath(K, "properties.rotationPolicy", undefined),
    fragment: "properties.rotationPolicy is unset, so the key is never rotated.",
  },
  {
    rule: "keyvault-key-rotation-policy",
    name: "passes a rotation policy without expiryTime (expiry is keyvault-key-expiry's)",
    type: T.key,
    props: withPath(K, "properties.rotationPolicy.attributes", undefined),
  },
  {
    rule: "keyvault-key-rotation-policy",
    name: "rejects a classic key without a rotation policy",
    type: T.classicKey,
    props: withPath(CK, "rotationPolicy", undefined),
    fragment: "rotationPolicy is unset, so the key is never rotated",
  },
  {
    rule: "keyvault-key-rotation-policy",
    name: "rejects a policy that only notifies",
    type: T.key,
    props: withPath(K, "properties.rotationPolicy.lifetimeActions", [
      { action: { type: "Notify" }, trigger: { timeBeforeExpiry: "P30D" } },
    ]),
    fragment: "has no Rotate action with a trigger",
  },
  {
    rule: "keyvault-key-rotation-policy",
    name: "passes a classic rotation policy",
    type: T.classicKey,
    props: CK,
  },
  {
    rule: "keyvault-key-rotation-policy",
    name: "rejects a classic policy without automatic rotation",
    type: T.classicKey,
    props: withPath(CK, "rotationPolicy.automatic", undefined),
    fragment: "rotationPolicy.automatic is unset, so the key is never rotated",
  },

  { rule: "keyvault-key-hsm-backed", name: "passes RSA-HSM", type: T.key, props: K },
  {
    rule: "keyvault-key-hsm-backed",
    name: "rejects a software RSA key",
    type: T.key,
    props: withPath(K, "properties.kty", "RSA"),
    fragment: 'properties.kty is "RSA". Set properties.kty to "RSA-HSM"',
  },
  { rule: "keyvault-key-hsm-backed", name: "passes classic RSA-HSM", type: T.classicKey, props: CK },
  {
    rule: "keyvault-key-hsm-backed",
    name: "rejects a classic software key",
    type: T.classicKey,
    props: withPath(CK, "keyType", "RSA"),
    fragment: 'keyType is "RSA"',
  },
];

describe("Key Vault and key rules", () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const m = run(c.rule, c.type, c.props, c.config);
      if (c.fragment === undefined) assert.deepEqual(m, []);
      else
        assert.ok(
          m.some((x) => x.includes(c.fragment as string)),
          `expected ${JSON.stringify(c.fragment)} in:\n${m.join("\n")}`,
        );
    });
  }

  it("finds no violation on the happy vaults and keys", () => {
    assert.deepEqual(evaluateResource({ type: T.vault, props: V }), []);
    assert.deepEqual(evaluateResource({ type: T.classicVault, props: CV }), []);
    assert.deepEqual(evaluateResource({ type: T.key, props: K }), []);
    assert.deepEqual(evaluateResource({ type: T.classicKey, props: CK }), []);
  });

  it("remediates purge protection and soft delete in both providers", () => {
    const purge = getRule("keyvault-purge-protection");
    const soft = getRule("keyvault-soft-delete");
    if (purge.kind !== "resource" || !purge.remediate || soft.kind !== "resource" || !soft.remediate)
      throw new Error();
    const bad = withPath(
      withPath(V, "properties.enablePurgeProtection", false),
      "properties.enableSoftDelete",
      false,
    );
    const fixed = soft.remediate(
      { type: T.vault, props: purge.remediate({ type: T.vault, props: bad }, {}) ?? bad },
      {},
    );
    assert.deepEqual(fixed, V);
    const classicFixed = purge.remediate(
      { type: T.classicVault, props: withPath(CV, "purgeProtectionEnabled", false) },
      {},
    );
    assert.deepEqual(classicFixed, CV);
    const classicRetention = soft.remediate(
      { type: T.classicVault, props: withPath(CV, "softDeleteRetentionDays", 1) },
      {},
    );
    assert.deepEqual(classicRetention, CV);
    assert.equal(purge.remediate({ type: T.vault, props: V }, {}), undefined);
  });
});
