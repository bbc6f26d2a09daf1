import * as assert from "node:assert/strict";

import { evaluateStack, type StackResourceView } from "../../policies/rules";
import { vaultNameOfKeyUri } from "../../policies/rules/cmk-vault";
import { RG, SERVER_ID, SUB, T, VAULT_ID, happy, stackResource as res, urn, withPath } from "./fixtures";
import type { Props } from "./fixtures";

const RULE = "keyvault-cmk-private-access";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const only = (stack: StackResourceView[]) => evaluateStack(stack).filter((v) => v.ruleId === RULE);

/** A server whose key is in the vault, the vault, and optionally a private endpoint on the vault. */
function nativeStack(vault: Props, opts: { endpoint?: boolean; server?: Props } = {}): StackResourceView[] {
  const out = [
    res(T.server, "pg", opts.server ?? happy.server, { id: SERVER_ID }),
    res(T.vault, "kv", vault, { id: VAULT_ID }),
  ];
  if (opts.endpoint)
    out.push(
      res(T.endpoint, "kv-pe", {
        resourceGroupName: RG,
        privateEndpointName: "kv-pe",
        subnet: { id: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s` },
        privateLinkServiceConnections: [{ name: "kv", privateLinkServiceId: VAULT_ID, groupIds: ["vault"] }],
      }),
    );
  return out;
}

function classicStack(vault: Props, opts: { endpoint?: boolean } = {}): StackResourceView[] {
  const out = [
    res(T.classicServer, "pg", happy.classicServer, { id: SERVER_ID }),
    res(T.classicVault, "kv", vault, { id: VAULT_ID }),
  ];
  if (opts.endpoint)
    out.push(
      res(T.classicEndpoint, "kv-pe", {
        name: "kv-pe",
        resourceGroupName: RG,
        subnetId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
        privateServiceConnection: {
          name: "kv",
          privateConnectionResourceId: VAULT_ID,
          subresourceNames: ["vault"],
          isManualConnection: false,
        },
      }),
    );
  return out;
}

describe("keyvault-cmk-private-access (the vault holding a server's key is reachable only privately)", () => {
  it("reads the vault name from a key URI, versioned or not, and nothing else", () => {
    assert.equal(vaultNameOfKeyUri("https://kv-zt.vault.azure.net/keys/cmk"), "kv-zt");
    assert.equal(vaultNameOfKeyUri("https://KV-ZT.vault.azure.net/keys/cmk/0123"), "kv-zt");
    assert.equal(vaultNameOfKeyUri("https://kv-zt.vault.azure.net/secrets/x"), undefined);
    assert.equal(vaultNameOfKeyUri(UNKNOWN), undefined);
  });

  it("passes a vault with public access disabled and the AzureServices bypass (trusted-service only), both providers", () => {
    assert.deepEqual(only(nativeStack(happy.vault)), []);
    assert.deepEqual(only(classicStack(happy.classicVault)), []);
  });

  it("flags an azure-native vault that leaves public access unset (unset means Enabled)", () => {
    const v = only(nativeStack(withPath(happy.vault, "properties.publicNetworkAccess", undefined)));
    assert.equal(v.length, 1);
    assert.equal(v[0].level, "mandatory");
    assert.equal(v[0].urn, urn(T.vault, "kv"));
    assert.ok(
      v[0].message.includes(
        'holds the customer-managed key of azure-native:dbforpostgresql:Server "pg" (dataEncryption.primaryKeyURI); properties.publicNetworkAccess is unset (unset means Enabled), so the vault has a public endpoint',
      ),
      v[0].message,
    );
  });

  it("flags an azure-native vault that declares public access Enabled, even with a deny-by-default firewall", () => {
    const v = only(nativeStack(withPath(happy.vault, "properties.publicNetworkAccess", "Enabled")));
    assert.equal(v.length, 1);
    assert.match(v[0].message, /properties\.publicNetworkAccess is "Enabled"/);
  });

  it("flags a private vault with neither a vault private endpoint nor the bypass; passes it with the endpoint", () => {
    const noBypass = withPath(happy.vault, "properties.networkAcls.bypass", "None");
    const v = only(nativeStack(noBypass));
    assert.equal(v.length, 1);
    assert.ok(
      v[0].message.includes(
        'public access is disabled, but no private endpoint (group "vault") targets the vault and properties.networkAcls.bypass is "None"',
      ),
      v[0].message,
    );
    assert.deepEqual(only(nativeStack(noBypass, { endpoint: true })), []);
    const unsetAcls = withPath(happy.vault, "properties.networkAcls", undefined);
    assert.match(only(nativeStack(unsetAcls))[0].message, /properties\.networkAcls\.bypass is unset/);
    // Declared vs unset bypass: unset is flagged with both sources named (API description vs Learn).
    const unsetBypass = only(nativeStack(withPath(happy.vault, "properties.networkAcls.bypass", undefined)));
    assert.equal(unsetBypass.length, 1);
    assert.ok(
      unsetBypass[0].message.includes(
        "properties.networkAcls.bypass is unset (the API describes AzureServices as its default, Microsoft Learn calls the bypass opt-in)",
      ),
      unsetBypass[0].message,
    );
  });

  it("flags a classic vault with public access unset or true; passes a classic vault endpoint", () => {
    const unset = only(classicStack(withPath(happy.classicVault, "publicNetworkAccessEnabled", undefined)));
    assert.equal(unset.length, 1);
    assert.ok(
      unset[0].message.includes(
        '"pg" (customerManagedKey.keyVaultKeyId); publicNetworkAccessEnabled is unset (unset means true)',
      ),
      unset[0].message,
    );
    assert.match(unset[0].message, /publicNetworkAccessEnabled is unset \(unset means true\)/);
    const open = only(classicStack(withPath(happy.classicVault, "publicNetworkAccessEnabled", true)));
    assert.match(open[0].message, /publicNetworkAccessEnabled is true/);
    const noBypass = withPath(happy.classicVault, "networkAcls.bypass", "None");
    assert.match(only(classicStack(noBypass))[0].message, /networkAcls\.bypass is "None"/);
    const classicUnset = only(classicStack(withPath(happy.classicVault, "networkAcls.bypass", undefined)));
    assert.equal(classicUnset.length, 1);
    assert.match(classicUnset[0].message, /networkAcls\.bypass is unset \(the API describes AzureServices/);
    assert.deepEqual(only(classicStack(noBypass, { endpoint: true })), []);
  });

  it("follows the server's dependency on a key when the key URI is not known yet (preview)", () => {
    const server = withPath(happy.server, "dataEncryption.primaryKeyURI", UNKNOWN);
    const stack = [
      res(T.server, "pg", server, { id: SERVER_ID, dependencies: [urn(T.key, "cmk")] }),
      res(T.vault, "kv", withPath(happy.vault, "properties.publicNetworkAccess", "Enabled"), {
        id: VAULT_ID,
      }),
      res(T.key, "cmk", happy.key),
    ];
    const v = only(stack);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /\(through key "cmk"\)/);
  });

  it("follows the key's dependency on its vault when the vault name is not known yet either", () => {
    const server = withPath(happy.server, "dataEncryption.primaryKeyURI", UNKNOWN);
    const stack = [
      res(T.server, "pg", server, { id: SERVER_ID, dependencies: [urn(T.key, "cmk")] }),
      res(T.vault, "kv", withPath(happy.vault, "properties.publicNetworkAccess", "Enabled")),
      res(T.key, "cmk", withPath(happy.key, "vaultName", UNKNOWN), { dependencies: [urn(T.vault, "kv")] }),
    ];
    const v = only(stack);
    assert.equal(v.length, 1);
    assert.equal(v[0].urn, urn(T.vault, "kv"));
  });

  it("does not judge a vault that holds no server's key, nor a key in a vault outside the stack", () => {
    const other = withPath(
      withPath(happy.vault, "vaultName", "kv-other"),
      "properties.publicNetworkAccess",
      "Enabled",
    );
    assert.deepEqual(only(nativeStack(other)), []);
  });
});
