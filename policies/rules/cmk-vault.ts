// The vault that holds a PostgreSQL server's customer-managed key must be reachable only privately.
//
// Which vault: the server's key URIs (azure-native `dataEncryption.primaryKeyURI` and `geoBackupKeyURI`,
// classic `customerManagedKey.keyVaultKeyId` and `geoBackupKeyVaultKeyId`) name it by host,
// `https://<vault>.vault.azure.net/keys/<key>[/<version>]`; vault names are global, so the host finds it.
// When a URI is not known yet (at preview it is the key's output), a Key Vault key the server depends
// on names its vault (azure-native `vaultName` + `resourceGroupName`, classic `keyVaultId`), or, when
// that name is not known yet either, the vault the key depends on.
//
// What "only privately" means, from Microsoft Learn (read 2026-11-30):
// - public network access disabled: "This denies all public configurations and allows only
//   connections through private endpoints" (key-vault/general/network-security, "Public access
//   disabled (private endpoint only)");
// - and one of two ways for the server to reach the key: a private endpoint on the vault (group
//   `vault`), or the trusted-services bypass (`networkAcls.bypass: "AzureServices"`), which "continues
//   to apply when public access is disabled" and lists "Azure Database for PostgreSQL Flexible server"
//   for data encryption (key-vault/general/overview-vnet-service-endpoints, "Trusted services"). The
//   PostgreSQL data-encryption page recommends exactly that pair: "Disable public access" and "Allow
//   trusted Microsoft services to bypass this firewall"
//   (https://learn.microsoft.com/azure/postgresql/security/security-data-encryption).

import { lead } from "./postgres";
import { AZURE_POLICY, CIS, SEED_000, SEED_003, policyLink } from "./refs";
import { azureName, indexStack, known, label, resourceGroupOf } from "./stack";
import { isClassic, isType } from "./tokens";
import type { StackResourceView, StackRule, StackViolation } from "./types";
import { blocks, bool, eqi, get, isUnknown, show } from "./util";

/** The vault name in a Key Vault key URI or id (`https://<vault>.vault.azure.net/keys/…`), lower-cased. */
export function vaultNameOfKeyUri(uri: unknown): string | undefined {
  const s = known(uri);
  if (s === undefined) return undefined;
  const m =
    /^https:\/\/([a-z0-9-]{3,24})\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)(?::443)?\/keys\//.exec(
      s,
    );
  return m?.[1];
}

/** The key URIs of a server's customer-managed keys, with the property each comes from. */
function keyUris(server: StackResourceView): { path: string; value: unknown }[] {
  if (isClassic(server.type)) {
    const cmk = blocks(get(server.props, "customerManagedKey"))[0];
    return ["keyVaultKeyId", "geoBackupKeyVaultKeyId"].map((k) => ({
      path: `customerManagedKey.${k}`,
      value: get(cmk, k),
    }));
  }
  return ["primaryKeyURI", "geoBackupKeyURI"].map((k) => ({
    path: `dataEncryption.${k}`,
    value: get(server.props, "dataEncryption", k),
  }));
}

/** The vault a Key Vault key resource lives in, by name (lower-cased). */
function vaultNameOfKey(key: StackResourceView): string | undefined {
  if (isClassic(key.type)) {
    const m = /\/providers\/microsoft\.keyvault\/vaults\/([^/]+)/.exec(
      known(get(key.props, "keyVaultId")) ?? "",
    );
    return m?.[1];
  }
  return known(get(key.props, "vaultName"));
}

/** Why a vault is reachable from outside, or undefined when it is private (see the header). */
function publicReach(vault: StackResourceView, endpoints: number): string | undefined {
  const classic = isClassic(vault.type);
  const path = classic ? "publicNetworkAccessEnabled" : "properties.publicNetworkAccess";
  const pub = classic
    ? get(vault.props, "publicNetworkAccessEnabled")
    : get(vault.props, "properties", "publicNetworkAccess");
  if (isUnknown(pub)) return undefined;
  const disabled = classic ? bool(pub) === false : eqi(pub, "Disabled");
  if (!disabled)
    return `${path} is ${show(pub)} (unset means ${classic ? "true" : "Enabled"}), so the vault has a public endpoint`;
  if (endpoints > 0) return undefined;
  const acls = classic
    ? blocks(get(vault.props, "networkAcls"))[0]
    : get(vault.props, "properties", "networkAcls");
  const bypass = get(acls, "bypass");
  if (isUnknown(bypass) || eqi(bypass, "AzureServices")) return undefined;
  const aclPath = classic ? "networkAcls.bypass" : "properties.networkAcls.bypass";
  // Unset bypass: the 2024-11-01 spec's description of `NetworkRuleSet.bypass` says "If not specified
  // the default is 'AzureServices'", while Microsoft Learn (key-vault/general/overview-vnet-service-
  // endpoints, read 2026-11-30) calls the trusted-services bypass something you "opt in to". The two
  // disagree and neither is checkable before deployment, so the rule asks for the bypass declared.
  if (bypass === undefined || bypass === null)
    return `public access is disabled, but no private endpoint (group "vault") targets the vault and ${aclPath} is unset (the API describes AzureServices as its default, Microsoft Learn calls the bypass opt-in), so nothing in the program shows the server can reach its key`;
  return `public access is disabled, but no private endpoint (group "vault") targets the vault and ${aclPath} is ${show(bypass)}, so the server cannot reach its key`;
}

export const cmkVaultPrivate: StackRule<"keyvault-cmk-private-access"> = {
  kind: "stack",
  id: "keyvault-cmk-private-access",
  title: "CMK vault reachable only privately",
  description:
    "Key vaults holding a PostgreSQL server's customer-managed key must disable public network access and be reached through a private endpoint or the trusted-services bypass.",
  enforcementLevel: "mandatory",
  config: {},
  replica:
    "Judged as on any server: a replica can have its own customer-managed key (Microsoft Learn, read replicas: data encryption is adjustable), and its vault must be as private as the primary's.",
  remediation:
    'On the vault, set `properties.publicNetworkAccess: "Disabled"` (classic `publicNetworkAccessEnabled: false`) and either add a private endpoint with `groupIds: ["vault"]` (classic `subresourceNames`) or set `networkAcls: { defaultAction: "Deny", bypass: "AzureServices" }` so the PostgreSQL service reaches the key as a trusted service.',
  references: {
    comparison:
      "Stricter than Azure Policy a6abeaec (private link) and CIS 8.7 for vaults holding a server's key: public access must also be disabled; the trusted-services bypass is accepted in place of a private endpoint, as the PostgreSQL data-encryption page recommends.",
    seed: `${SEED_000.encryptionAtRest}; ${SEED_003.network}`,
    azurePolicyId: AZURE_POLICY.vaultPrivateLink,
    cis: CIS.vaultPrivateLink,
    mcsb: "NS-2",
    links: [
      policyLink(AZURE_POLICY.vaultFirewall),
      "https://learn.microsoft.com/azure/key-vault/general/network-security",
      "https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints#trusted-services",
      "https://learn.microsoft.com/azure/postgresql/security/security-data-encryption",
    ],
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: 'specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2024-11-01/keyvault.json `VaultProperties.publicNetworkAccess` (default "enabled"); `NetworkRuleSet.bypass` (no default keyword; its description says AzureServices when not specified)',
    },
    {
      kind: "provider-docs",
      ref: '@pulumi/azure-native 3.28.0 types/input.js keyvault.vaultPropertiesArgsProvideDefaults (publicNetworkAccess "enabled"); https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/key_vault (`public_network_access_enabled` defaults to true)',
    },
    {
      kind: "learn",
      ref: 'https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints (trusted services reach a firewalled vault only "if you opt in")',
    },
  ],
  unsetMeans:
    'Unset public access means enabled (API spec default "enabled", which the azure-native SDK also sends; azurerm `public_network_access_enabled` defaults to true) and is flagged. An unset `networkAcls.bypass` is not counted as the trusted-services bypass: the API spec description gives AzureServices as its default but Microsoft Learn calls the bypass opt-in, so the rule asks for it declared (stricter than the API description). Only vaults in the stack are judged: a key URI naming a vault outside the stack (a brought key) passes, and so do values not known yet.',
  check(resources) {
    const ix = indexStack(resources);
    const vaultsByName = new Map<string, StackResourceView[]>();
    for (const v of ix.vaults) {
      const n = azureName(v, "vault");
      if (n === undefined) continue;
      const list = vaultsByName.get(n);
      if (list) list.push(v);
      else vaultsByName.set(n, [v]);
    }
    const byName = (name: string | undefined, rg?: string): StackResourceView[] =>
      name === undefined
        ? []
        : (vaultsByName.get(name) ?? []).filter(
            (v) => rg === undefined || resourceGroupOf(v) === undefined || resourceGroupOf(v) === rg,
          );
    // vault URN → the servers (and properties) whose key it holds.
    const holders = new Map<string, { vault: StackResourceView; uses: string[] }>();
    const hold = (vault: StackResourceView, use: string) => {
      const h = holders.get(vault.urn);
      if (h) {
        if (!h.uses.includes(use)) h.uses.push(use);
      } else holders.set(vault.urn, { vault, uses: [use] });
    };
    for (const s of ix.servers) {
      if (!isType(s.type, "flexibleServer")) continue;
      let unknownUri = false;
      for (const { path, value } of keyUris(s)) {
        if (isUnknown(value)) unknownUri = true;
        for (const v of byName(vaultNameOfKeyUri(value))) hold(v, `${label(s)} (${path})`);
      }
      if (!unknownUri) continue;
      for (const urn of Array.isArray(s.dependencies) ? s.dependencies : []) {
        const dep = ix.byUrn.get(urn);
        if (!dep || !isType(dep.type, "key")) continue;
        const rg = isClassic(dep.type) ? undefined : known(get(dep.props, "resourceGroupName"));
        const named = byName(vaultNameOfKey(dep), rg);
        // At preview the key's vault name is often the vault's output: the key depends on its vault.
        const vaults =
          named.length > 0
            ? named
            : (Array.isArray(dep.dependencies) ? dep.dependencies : [])
                .map((u) => ix.byUrn.get(u))
                .filter((v): v is StackResourceView => v !== undefined && isType(v.type, "keyVault"));
        for (const v of vaults) hold(v, `${label(s)} (through key ${JSON.stringify(dep.name)})`);
      }
    }
    const out: StackViolation[] = [];
    for (const { vault, uses } of holders.values()) {
      const why = publicReach(vault, ix.vaultEndpoints.get(vault.urn)?.length ?? 0);
      if (why === undefined) continue;
      out.push({
        urn: vault.urn,
        message: `${lead(cmkVaultPrivate)}: ${label(vault)} holds the customer-managed key of ${uses.join(", ")}; ${why}. Disable public access and add a private endpoint (group "vault") or the AzureServices bypass.`,
      });
    }
    return out;
  },
};

export const CMK_VAULT_STACK_RULES = [cmkVaultPrivate] as const satisfies readonly StackRule[];
