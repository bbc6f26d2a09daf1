// A deliberately insecure stack, written directly with @pulumi/azure-native classes and no zero-trust
// component, to show what the policy pack catches on "any stack":
//
//   zt-postgres preview examples/insecure
//   pulumi preview --policy-pack ../../policies   (on real Azure credentials)
//
// Every weakness below is on purpose; each comment names the rule expected to flag it.
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const location = config.get("location") ?? "uksouth";
// A secret from config (`pulumi config set --secret adminPassword …`); the fallback is a secret too,
// so the password never appears in preview output.
const adminPassword = config.getSecret("adminPassword") ?? pulumi.secret("Insecure-Demo-Passw0rd!");

const rg = new azure.resources.ResourceGroup("insecure-rg", {
  resourceGroupName: "rg-zt-insecure",
  location,
});

const server = new azure.dbforpostgresql.Server("insecure-pg", {
  resourceGroupName: rg.name,
  serverName: "pg-zt-insecure",
  location,
  version: "16",
  sku: { name: "Standard_B1ms", tier: "Burstable" },
  storage: { storageSizeGB: 32 },
  administratorLogin: "pgadmin",
  administratorLoginPassword: adminPassword,
  // postgres-no-public-network-access: reachable from the internet.
  network: { publicNetworkAccess: "Enabled" },
  // postgres-entra-only-auth: password login on, Entra ID off.
  authConfig: { activeDirectoryAuth: "Disabled", passwordAuth: "Enabled" },
  // postgres-customer-managed-key: no dataEncryption, so a service-managed key; no identity either.
  // postgres-geo-redundant-backup / retention: locally redundant, 7 days.
  backup: { backupRetentionDays: 7, geoRedundantBackup: "Disabled" },
  highAvailability: { mode: "Disabled" },
});

// postgres-firewall-*: the whole IPv4 internet.
new azure.dbforpostgresql.FirewallRule("insecure-allow-all", {
  resourceGroupName: rg.name,
  serverName: server.name,
  firewallRuleName: "allow-all",
  startIpAddress: "0.0.0.0",
  endIpAddress: "255.255.255.255",
});

// No azure-native:monitor:DiagnosticSetting for the server or the vault, no private endpoint, no
// Entra administrator, no threat protection: the stack rules report each of them.
// No server parameters either, so Azure's defaults apply: pgaudit not loaded
// (postgres-effective-parameters), server logs kept 3 days and connection throttling off
// (postgres-effective-log-parameters, advisory).

// keyvault-*: no purge protection, access policies instead of RBAC, open to public networks.
new azure.keyvault.Vault("insecure-kv", {
  resourceGroupName: rg.name,
  vaultName: "kv-zt-insecure",
  location,
  properties: {
    tenantId: "00000000-0000-4000-8000-0000000000aa",
    sku: { family: "A", name: "standard" },
    enablePurgeProtection: false,
    enableRbacAuthorization: false,
    publicNetworkAccess: "Enabled",
    accessPolicies: [],
  },
});

export const serverFqdn = server.fullyQualifiedDomainName;
