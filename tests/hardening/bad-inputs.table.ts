// The bad component inputs, as data: each row changes one thing in a valid argument set
// and lists what the refusal must say: the field, the value as shown, and what is allowed. The test
// (bad-inputs.test.ts) runs every row; docs/robustness.md counts them (figures.ts). Importing this
// file registers nothing.

import * as pulumi from "@pulumi/pulumi";

import type { ZeroTrustPostgresArgs } from "../../components";
import {
  ADMIN_ID,
  DELEGATED_SUBNET_ID,
  GEO_KEY_URI,
  GEO_VAULT_ID,
  KEY_URI,
  minimalArgs,
  minimalVnetArgs,
  RG_ID,
  SOURCE_SERVER_ID,
  SUBNET_ID,
  VAULT_ID,
  VNET_ID,
} from "../components/fixtures";

export { DELEGATED_SUBNET_ID, GEO_VAULT_ID, KEY_URI, VAULT_ID };
const STORAGE_ID = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/logs`;
const MYSQL_ZONE_ID = `${RG_ID}/providers/Microsoft.Network/privateDnsZones/privatelink.mysql.database.azure.com`;

/** Every row starts from the one valid fixture of the component tests (tests/components/fixtures.ts). */
export const validArgs = minimalArgs;
/** The same in VNet-integration mode, with a created delegated subnet. */
export const validVnetArgs = minimalVnetArgs;

/** Casts a value TypeScript would refuse, as a YAML or Python program can send it. */
const any = (v: unknown) => v as never;

/** Public access waived, so firewall rules are allowed (their contents are still checked). */
function publicWith(...rules: { name: string; startIpAddress: string; endIpAddress: string }[]) {
  return (a: ZeroTrustPostgresArgs) => {
    a.network = { ...a.network, allowPublicAccess: true, firewallRules: rules };
  };
}

export type Category =
  | "name"
  | "range"
  | "cidr-ip"
  | "guid"
  | "resource-id"
  | "version-tls"
  | "contradiction"
  | "missing"
  | "type"
  | "duplicate"
  | "rule";

/** A bad input refused at construction: nothing may be registered. */
export interface BadInput {
  title: string;
  category: Category;
  /** Starts from `validArgs()` (or `validVnetArgs()` with `vnet`) and breaks one thing. */
  change: (a: ZeroTrustPostgresArgs) => void;
  vnet?: boolean;
  /** Component name, when the row is about it. */
  name?: string;
  /** Fragments the message must contain: the field, the value as shown, what is allowed. */
  says: { field: string; value: string; allowed: string };
  /**
   * Also run through `zt-postgres preview` as a user runs it (bad-inputs-cli.test.ts), besides the
   * first row of each kind: the security classes an adversarial review found (audit logging switched
   * off, one Entra object behind two roles, a split firewall range, reserved role names).
   */
  cli?: true;
}

// `as never` casts: these rows pass what TypeScript would refuse, as a YAML or Python program can.
export const BAD_INPUTS: readonly BadInput[] = [
  // --- names ---------------------------------------------------------------------------------------
  {
    title: "a server name with capitals and an underscore",
    category: "name",
    change: (a) => void (a.serverName = "My_Server"),
    says: { field: "`serverName`", value: '"My_Server"', allowed: "3-63 lowercase letters" },
  },
  {
    title: "a server name starting with a hyphen",
    category: "name",
    change: (a) => void (a.serverName = "-pg"),
    says: { field: "`serverName`", value: '"-pg"', allowed: "not starting or ending with a hyphen" },
  },
  {
    title: "a Key Vault name with consecutive hyphens",
    category: "name",
    change: (a) => void (a.encryption = { keyVaultName: "kv--zt" }),
    says: { field: "`encryption.keyVaultName`", value: '"kv--zt"', allowed: "no consecutive hyphens" },
  },
  {
    title: "a Key Vault name starting with a digit",
    category: "name",
    change: (a) => void (a.encryption = { keyVaultName: "1vault" }),
    says: { field: "`encryption.keyVaultName`", value: '"1vault"', allowed: "starting with a letter" },
  },
  {
    title: "a key name with an underscore",
    category: "name",
    change: (a) => void (a.encryption = { keyName: "pg_cmk" }),
    says: { field: "`encryption.keyName`", value: '"pg_cmk"', allowed: "1-127 letters, digits and hyphens" },
  },
  {
    title: "a workload name with capitals",
    category: "name",
    change: (a) => void (a.workloadIdentities = [{ name: "Orders", access: "writer" }]),
    says: { field: "`workloadIdentities[0].name`", value: '"Orders"', allowed: "1-40 lowercase letters" },
  },
  {
    title: "a workload name that makes an identity (role) name longer than 63 bytes",
    category: "name",
    name: "pg-" + "a".repeat(30),
    change: (a) => void (a.workloadIdentities = [{ name: "b".repeat(30), access: "reader" }]),
    says: {
      field: "`workloadIdentities[0].name`",
      value: `"${"b".repeat(30)}"`,
      allowed: "longer than 63 bytes; shorten",
    },
  },
  {
    title: "a firewall rule name with a space",
    category: "name",
    change: publicWith({ name: "office rule", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" }),
    says: {
      field: "`network.firewallRules[0].name`",
      value: '"office rule"',
      allowed: "1-80 letters, digits",
    },
  },
  {
    title: "a firewall rule name ending in a hyphen",
    category: "name",
    change: publicWith({ name: "office-", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" }),
    says: { field: "`network.firewallRules[0].name`", value: '"office-"', allowed: "not ending with '-'" },
  },
  {
    title: "a persona group name with a double quote",
    category: "name",
    change: (a) =>
      void (a.personas = [
        { groupName: 'pg"readers', objectId: "44444444-4444-4444-8444-444444444444", access: "reader" },
      ]),
    says: { field: "`personas[0].groupName`", value: '"pg\\"readers"', allowed: "without '\"'" },
  },
  {
    title: "an empty administrator principal name",
    category: "name",
    change: (a) => void (a.administrators = [{ objectId: ADMIN_ID, principalName: "" }]),
    says: { field: "`administrators[0].principalName`", value: '""', allowed: "1-63 printable characters" },
  },
  {
    title: "a resource group name ending in a dot",
    category: "name",
    change: (a) => void (a.resourceGroupName = "rg."),
    says: { field: "`resourceGroupName`", value: '"rg."', allowed: "not ending with '.'" },
  },
  {
    title: "a reserved database name",
    category: "name",
    change: (a) => void (a.databaseName = "postgres"),
    says: { field: "`databaseName`", value: '"postgres"', allowed: "use your application's name" },
  },
  // --- numeric ranges ------------------------------------------------------------------------------
  {
    title: "backup retention below 7 days",
    category: "range",
    change: (a) => void (a.backup = { retentionDays: 3 }),
    says: { field: "`backup.retentionDays`", value: "3", allowed: "from 7 to 35" },
  },
  {
    title: "backup retention above 35 days",
    category: "range",
    change: (a) => void (a.backup = { retentionDays: 36 }),
    says: { field: "`backup.retentionDays`", value: "36", allowed: "from 7 to 35" },
  },
  {
    title: "a fractional backup retention",
    category: "range",
    change: (a) => void (a.backup = { retentionDays: 7.5 }),
    says: { field: "`backup.retentionDays`", value: "7.5", allowed: "whole number from 7 to 35" },
  },
  {
    title: "a storage size Premium_LRS does not offer",
    category: "range",
    change: (a) => void (a.storageSizeGb = 100),
    says: { field: "`storageSizeGb`", value: "100", allowed: "32, 64, 128" },
  },
  {
    title: "an RSA key of 1024 bits",
    category: "range",
    change: (a) => void (a.encryption = { keySize: 1024 }),
    says: { field: "`encryption.keySize`", value: "1024", allowed: "2048, 3072, 4096" },
  },
  {
    title: "a key that expires after 10 days",
    category: "range",
    change: (a) => void (a.encryption = { keyExpiryDays: 10, keyRotationDays: 7 }),
    says: { field: "`encryption.keyExpiryDays`", value: "10", allowed: "from 30 to 730" },
  },
  {
    title: "key rotation not before expiry",
    category: "range",
    change: (a) => void (a.encryption = { keyExpiryDays: 365, keyRotationDays: 400 }),
    says: { field: "`encryption.keyRotationDays`", value: "400", allowed: "must rotate before it expires" },
  },
  {
    title: "a firewall minimum prefix length of /33",
    category: "range",
    change: (a) => void (a.network = { ...a.network, firewallMinimumPrefixLength: 33 }),
    says: { field: "`network.firewallMinimumPrefixLength`", value: "33", allowed: "to 32" },
  },
  {
    title: "server log retention of 2 days",
    category: "range",
    change: (a) => void (a.monitoring = { logRetentionDays: 2 }),
    says: { field: "`monitoring.logRetentionDays`", value: "2", allowed: "4" },
  },
  {
    title: "workspace retention of 10 days",
    category: "range",
    change: (a) => void (a.monitoring = { workspaceRetentionDays: 10 }),
    says: { field: "`monitoring.workspaceRetentionDays`", value: "10", allowed: "from 30 to 730" },
  },
  {
    title: "a failed-login threshold of 0",
    category: "range",
    change: (a) => void (a.monitoring = { failedLoginThreshold: 0 }),
    says: { field: "`monitoring.failedLoginThreshold`", value: "0", allowed: "from 1 to 1000" },
  },
  {
    title: "provisioned IOPS on Premium_LRS",
    category: "range",
    change: (a) => void (a.storageIops = 5000),
    says: { field: "`storageIops`", value: "5000", allowed: '"PremiumV2_LRS" or "UltraSSD_LRS"' },
  },
  // --- CIDRs and IP ranges -------------------------------------------------------------------------
  {
    title: "a delegated subnet prefix that is a host address, not a network",
    category: "cidr-ip",
    vnet: true,
    change: (a) => void (a.network = { ...a.network, delegatedSubnetAddressPrefix: "10.20.2.1/28" }),
    says: { field: "`network.delegatedSubnetAddressPrefix`", value: '"10.20.2.1/28"', allowed: "/8 to /28" },
  },
  {
    title: "a delegated subnet smaller than /28",
    category: "cidr-ip",
    vnet: true,
    change: (a) => void (a.network = { ...a.network, delegatedSubnetAddressPrefix: "10.20.2.0/29" }),
    says: { field: "`network.delegatedSubnetAddressPrefix`", value: '"10.20.2.0/29"', allowed: "/8 to /28" },
  },
  {
    title: "a firewall address out of range",
    category: "cidr-ip",
    change: publicWith({ name: "office", startIpAddress: "300.1.1.1", endIpAddress: "300.1.1.2" }),
    says: {
      field: "`network.firewallRules[0].startIpAddress`",
      value: '"300.1.1.1"',
      allowed: "dotted decimal",
    },
  },
  {
    title: "an IPv6 firewall address",
    category: "cidr-ip",
    change: publicWith({ name: "office", startIpAddress: "2001:db8::1", endIpAddress: "2001:db8::2" }),
    says: { field: "`network.firewallRules[0].startIpAddress`", value: '"2001:db8::1"', allowed: "IPv4" },
  },
  {
    title: "a firewall range that starts after it ends",
    category: "cidr-ip",
    change: publicWith({ name: "office", startIpAddress: "203.0.113.9", endIpAddress: "203.0.113.1" }),
    says: {
      field: "`network.firewallRules[0]`",
      value: '"203.0.113.9"-"203.0.113.1"',
      allowed: "lower address",
    },
  },
  {
    title: 'the "allow Azure services" range 0.0.0.0-0.0.0.0',
    category: "cidr-ip",
    change: publicWith({ name: "azure", startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" }),
    says: { field: "network.firewallRules[0]", value: "0.0.0.0", allowed: "firewall-no-open-ranges" },
  },
  {
    title: "the whole internet 0.0.0.0-255.255.255.255",
    category: "cidr-ip",
    change: publicWith({ name: "all", startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" }),
    says: { field: "network.firewallRules[0]", value: "255.255.255.255", allowed: "firewall-no-open-ranges" },
  },
  {
    title: "a firewall range wider than /24",
    category: "cidr-ip",
    change: publicWith({ name: "wide", startIpAddress: "203.0.112.0", endIpAddress: "203.0.113.255" }),
    says: { field: "network.firewallRules[0]", value: "203.0.112.0", allowed: "/24" },
  },
  // --- GUIDs ---------------------------------------------------------------------------------------
  {
    title: "a tenant id that is not a GUID",
    category: "guid",
    change: (a) => void (a.tenantId = "contoso.onmicrosoft.com"),
    says: {
      field: "`tenantId`",
      value: '"contoso.onmicrosoft.com"',
      allowed: "00000000-0000-0000-0000-000000000000",
    },
  },
  {
    title: "an administrator object id that is not a GUID",
    category: "guid",
    change: (a) => void (a.administrators = [{ objectId: "1234", principalName: "pg-admins" }]),
    says: { field: "`administrators[0].objectId`", value: '"1234"', allowed: "GUID" },
  },
  {
    title: "a persona object id with a missing group of digits",
    category: "guid",
    change: (a) =>
      void (a.personas = [
        { groupName: "pg-readers", objectId: "44444444-4444-4444-444444444444", access: "reader" },
      ]),
    says: { field: "`personas[0].objectId`", value: '"44444444-4444-4444-444444444444"', allowed: "GUID" },
  },
  // --- resource ids (plain strings; the Output cases are in bad-inputs.test.ts) --------------------------
  {
    title: "a subnet id that is a bare name",
    category: "resource-id",
    change: (a) => void (a.network = { ...a.network, privateEndpointSubnetResourceId: "private-endpoints" }),
    says: {
      field: "`network.privateEndpointSubnetResourceId`",
      value: '"private-endpoints"',
      allowed:
        "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
    },
  },
  {
    title: "a vault id that names a storage account",
    category: "resource-id",
    change: (a) =>
      void (a.encryption = {
        keyUri: KEY_URI,
        keyVaultResourceId: STORAGE_ID,
        geoBackupLocation: "northeurope",
      }),
    says: {
      field: "`encryption.keyVaultResourceId`",
      value: "storageAccounts/logs",
      allowed: "Microsoft.KeyVault/vaults/<name>",
    },
  },
  {
    title: "a workspace id that is a bare name",
    category: "resource-id",
    change: (a) => void (a.monitoring = { logAnalyticsWorkspaceResourceId: "central-logs" }),
    says: {
      field: "`monitoring.logAnalyticsWorkspaceResourceId`",
      value: '"central-logs"',
      allowed: "Microsoft.OperationalInsights/workspaces/<name>",
    },
  },
  {
    title: "a brought DNS zone for the wrong service",
    category: "resource-id",
    change: (a) => void (a.network = { ...a.network, privateDnsZoneResourceId: MYSQL_ZONE_ID }),
    says: {
      field: "`network.privateDnsZoneResourceId`",
      value: '"privatelink.mysql.database.azure.com"',
      allowed: '"privatelink.postgres.database.azure.com"',
    },
  },
  {
    title: "a versioned key URI (stops automatic rotation)",
    category: "resource-id",
    change: (a) =>
      void (a.encryption = {
        keyUri: `${KEY_URI}/0123456789abcdef0123456789abcdef`,
        keyVaultResourceId: VAULT_ID,
      }),
    says: {
      field: "`encryption.keyUri`",
      value: "/keys/pg-cmk/0123456789abcdef",
      allowed: "versionless key URI",
    },
  },
  {
    title: "a restore source that is not a flexible server id",
    category: "resource-id",
    change: (a) =>
      void (a.restore = { sourceServerResourceId: "old-server", pointInTimeUtc: "2026-01-01T00:00:00Z" }),
    says: {
      field: "`restore.sourceServerResourceId`",
      value: '"old-server"',
      allowed: "Microsoft.DBforPostgreSQL/flexibleServers/<name>",
    },
  },
  {
    title: "an AKS issuer over plain http",
    category: "resource-id",
    change: (a) =>
      void (a.workloadIdentities = [
        {
          name: "orders",
          access: "writer",
          aks: { issuerUrl: "http://issuer.example/", namespace: "orders", serviceAccount: "api" },
        },
      ]),
    says: {
      field: "`workloadIdentities[0].aks.issuerUrl`",
      value: '"http://issuer.example/"',
      allowed: "https",
    },
  },
  // --- versions and TLS ----------------------------------------------------------------------------
  {
    title: "PostgreSQL 11",
    category: "version-tls",
    change: (a) => void (a.version = "11" as never),
    says: { field: "`version`", value: '"11"', allowed: '"12", "13", "14", "15", "16", "17", "18"' },
  },
  {
    title: "TLS 1.1",
    category: "version-tls",
    change: (a) => void (a.minimumTlsVersion = "TLSv1.1" as never),
    says: { field: "`minimumTlsVersion`", value: '"TLSv1.1"', allowed: '"TLSv1.2", "TLSv1.3"' },
  },
  {
    title: "a SKU from the retired single server",
    category: "version-tls",
    change: (a) => void (a.skuName = "GP_Gen5_4"),
    says: { field: "`skuName`", value: '"GP_Gen5_4"', allowed: '"Standard_D2ds_v5"' },
  },
  {
    title: "availability zone 4",
    category: "version-tls",
    change: (a) => void (a.availabilityZone = "4"),
    says: { field: "`availabilityZone`", value: '"4"', allowed: '"1", "2", "3"' },
  },
  // --- contradictory combinations ------------------------------------------------------------------
  {
    title: "fields of both network modes",
    category: "contradiction",
    change: (a) => void (a.network = { ...a.network, delegatedSubnetResourceId: DELEGATED_SUBNET_ID }),
    says: {
      field: "`network.delegatedSubnetResourceId`",
      value: "belongs to vnetIntegration mode",
      allowed: "the two modes cannot be combined",
    },
  },
  {
    title: "a private-endpoint subnet in vnetIntegration mode",
    category: "contradiction",
    vnet: true,
    change: (a) => void (a.network = { ...a.network, privateEndpointSubnetResourceId: SUBNET_ID }),
    says: {
      field: "`network.privateEndpointSubnetResourceId`",
      value: "belongs to privateEndpoint mode",
      allowed: "the two modes cannot be combined",
    },
  },
  {
    title: "geo backup with a brought key but no geo key",
    category: "contradiction",
    change: (a) => void (a.encryption = { keyUri: KEY_URI, keyVaultResourceId: VAULT_ID }),
    says: {
      field: "`encryption.geoBackupKeyUri`",
      value: "`encryption.keyUri` brings the primary key",
      allowed: "`backup.geoRedundantBackup: false`",
    },
  },
  {
    title: "a region Azure does not have (named as unknown, not as a region without a pair)",
    category: "name",
    change: (a) => void (a.location = "newregion"),
    says: { field: "`location`", value: '"newregion"', allowed: "is an unknown region" },
  },
  {
    title: "geo backup with CMK in a region without a pair and no geo location",
    category: "contradiction",
    change: (a) => void (a.location = "italynorth"),
    says: {
      field: "`backup.geoRedundantBackup`",
      value: 'true is not possible in "italynorth"',
      allowed: "to false",
    },
  },
  {
    title: "high availability on the Burstable tier",
    category: "contradiction",
    change: (a) => {
      a.skuName = "Standard_B1ms";
      a.highAvailability = "ZoneRedundant";
    },
    says: { field: "`highAvailability`", value: '"ZoneRedundant"', allowed: 'use "Disabled"' },
  },
  {
    title: "firewall rules without opting into public access",
    category: "contradiction",
    change: (a) =>
      void (a.network = {
        ...a.network,
        firewallRules: [{ name: "office", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" }],
      }),
    says: {
      field: "`network.firewallRules`",
      value: "needs `network.allowPublicAccess: true`",
      allowed: "unless you waive the private-network rule",
    },
  },
  {
    title: "public access in vnetIntegration mode",
    category: "contradiction",
    vnet: true,
    change: (a) => void (a.network = { ...a.network, allowPublicAccess: true }),
    says: { field: "`network.allowPublicAccess`", value: "true", allowed: "use privateEndpoint mode" },
  },
  {
    title: "a password login without opting into password authentication",
    category: "contradiction",
    change: (a) => void (a.administratorLogin = "ztadmin"),
    says: {
      field: "`administratorLogin`",
      value: "needs `allowPasswordAuth: true`",
      allowed: "Entra-only login",
    },
  },
  {
    title: "a standby in the primary's zone",
    category: "contradiction",
    change: (a) => {
      a.availabilityZone = "2";
      a.standbyAvailabilityZone = "2";
    },
    says: { field: "`standbyAvailabilityZone`", value: '"2"', allowed: "needs a different zone" },
  },
  {
    title: "a restore point in the future",
    category: "contradiction",
    change: (a) =>
      void (a.restore = {
        sourceServerResourceId: `${RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/old`,
        pointInTimeUtc: "2999-01-01T00:00:00Z",
      }),
    says: {
      field: "`restore.pointInTimeUtc`",
      value: '"2999-01-01T00:00:00Z"',
      allowed: "within the source server's backup retention",
    },
  },
  // --- missing required values ---------------------------------------------------------------------
  {
    title: "no administrators",
    category: "missing",
    change: (a) => void (a.administrators = []),
    says: { field: "`administrators`", value: "[]", allowed: "Add an AdministratorsMicrosoftEntra" },
  },
  {
    title: "no tenant id",
    category: "missing",
    change: (a) => void delete (a as Partial<ZeroTrustPostgresArgs>).tenantId,
    says: { field: "`tenantId`", value: "is required", allowed: "GUID" },
  },
  {
    title: "no network",
    category: "missing",
    change: (a) => void delete (a as Partial<ZeroTrustPostgresArgs>).network,
    says: { field: "`network`", value: "is required", allowed: "`network.privateEndpointSubnetResourceId`" },
  },
  {
    title: "no resource group",
    category: "missing",
    change: (a) => void delete (a as Partial<ZeroTrustPostgresArgs>).resourceGroupName,
    says: { field: "`resourceGroupName`", value: "is required", allowed: "resource group's name" },
  },
  {
    title: "no private-endpoint subnet in privateEndpoint mode",
    category: "missing",
    change: (a) => void (a.network = { linkedVirtualNetworkResourceIds: [VNET_ID] }),
    says: {
      field: "`network.privateEndpointSubnetResourceId`",
      value: "is required",
      allowed: "id of the subnet",
    },
  },
  {
    title: "no VNet to link a created DNS zone to",
    category: "missing",
    change: (a) => void (a.network = { privateEndpointSubnetResourceId: SUBNET_ID }),
    says: {
      field: "`network.linkedVirtualNetworkResourceIds`",
      value: "is empty",
      allowed: "list the VNets",
    },
  },
  {
    title: "a persona without an access level",
    category: "missing",
    change: (a) =>
      void (a.personas = [
        { groupName: "pg-readers", objectId: "44444444-4444-4444-8444-444444444444" } as never,
      ]),
    says: { field: "`personas[0].access`", value: "is required", allowed: '"admin", "writer", "reader"' },
  },
  {
    title: "vnetIntegration mode with neither a delegated subnet nor a prefix",
    category: "missing",
    vnet: true,
    change: (a) => void (a.network = { mode: "vnetIntegration", linkedVirtualNetworkResourceIds: [VNET_ID] }),
    says: {
      field: "vnetIntegration mode",
      value: "`network.delegatedSubnetResourceId`",
      allowed: "`network.delegatedSubnetAddressPrefix`",
    },
  },
  {
    title: "vnetIntegration mode with a created Key Vault but no subnet for its private endpoint",
    category: "missing",
    vnet: true,
    change: (a) => void delete a.network.keyVaultSubnetAddressPrefix,
    says: {
      field: "needs a subnet for the vault's private endpoint",
      value: "`network.keyVaultSubnetAddressPrefix`",
      allowed: "`network.keyVaultPrivateEndpointSubnetResourceId`",
    },
  },
  {
    title: "both a brought and a created subnet for the vaults' private endpoints",
    category: "contradiction",
    vnet: true,
    change: (a) =>
      void (a.network = {
        ...a.network,
        keyVaultPrivateEndpointSubnetResourceId: `${VNET_ID}/subnets/endpoints`,
      }),
    says: {
      field: "`network.keyVaultPrivateEndpointSubnetResourceId`",
      value: "`network.keyVaultSubnetAddressPrefix`",
      allowed: "bring the vaults' endpoint subnet or have one created, not both",
    },
  },
  {
    title: "a vaults' endpoint subnet overlapping the delegated subnet",
    category: "contradiction",
    vnet: true,
    change: (a) => void (a.network = { ...a.network, keyVaultSubnetAddressPrefix: "10.20.2.8/29" }),
    says: {
      field: "`network.keyVaultSubnetAddressPrefix`",
      value: '"10.20.2.8/29" overlaps',
      allowed: "give the two subnets separate ranges",
    },
  },
  {
    title: "a vaults' endpoint subnet smaller than /29",
    category: "cidr-ip",
    vnet: true,
    change: (a) => void (a.network = { ...a.network, keyVaultSubnetAddressPrefix: "10.20.3.0/30" }),
    says: {
      field: "`network.keyVaultSubnetAddressPrefix`",
      value: '"10.20.3.0/30"',
      allowed: "from /8 to /29",
    },
  },
  {
    title: "a vaults' endpoint subnet in privateEndpoint mode",
    category: "contradiction",
    change: (a) =>
      void (a.network = {
        ...a.network,
        keyVaultPrivateEndpointSubnetResourceId: `${VNET_ID}/subnets/endpoints`,
      }),
    says: {
      field: "`network.keyVaultPrivateEndpointSubnetResourceId`",
      value: "belongs to vnetIntegration mode",
      allowed: "the two modes cannot be combined",
    },
  },
  // --- wrong types (what another language's SDK or YAML can send) ------------------------------------
  {
    title: "the version as a number",
    category: "type",
    change: (a) => void (a.version = 17 as never),
    says: { field: "`version`", value: "17", allowed: '"17"' },
  },
  {
    title: "protect as a string",
    category: "type",
    change: (a) => void (a.protect = "false" as never),
    says: { field: "`protect`", value: '"false"', allowed: "true or false" },
  },
  {
    title: "automaticRestart as a string",
    category: "type",
    change: (a) => void (a.automaticRestart = "no" as never),
    says: { field: "`automaticRestart`", value: '"no"', allowed: "true or false" },
  },
  {
    title: "tags as a list",
    category: "type",
    change: (a) => void (a.tags = ["env:prod"] as never),
    says: { field: "`tags`", value: '["env:prod"]', allowed: '{ key: "value" }' },
  },
  {
    title: "firewall rules as an object",
    category: "type",
    change: (a) =>
      void (a.network = {
        ...a.network,
        allowPublicAccess: true,
        firewallRules: { office: "203.0.113.0" } as never,
      }),
    says: {
      field: "`network.firewallRules`",
      value: '{"office":"203.0.113.0"}',
      allowed: "pass a list",
    },
  },
  {
    title: "a geo backup flag as a string",
    category: "type",
    change: (a) => void (a.backup = { geoRedundantBackup: "yes" as never }),
    says: { field: "`backup.geoRedundantBackup`", value: '"yes"', allowed: "true or false" },
  },
  // --- from the former second table (argument validation) ---------------------------------------
  {
    title: "server name with uppercase and _",
    category: "name",
    change: (a) => void (a.serverName = "Bad_Name"),
    says: {
      field: "`serverName`",
      value: '"Bad_Name"',
      allowed: "use 3-63 lowercase letters, digits and hyphens, not starting or",
    },
  },
  {
    title: "server name too short",
    category: "name",
    change: (a) => void (a.serverName = "ab"),
    says: {
      field: "`serverName`",
      value: '"ab"',
      allowed: "use 3-63 lowercase letters, digits and hyphens, not starting or",
    },
  },
  {
    title: "server name starting with a hyphen",
    category: "name",
    change: (a) => void (a.serverName = "-pg1"),
    says: {
      field: "`serverName`",
      value: '"-pg1"',
      allowed: "use 3-63 lowercase letters, digits and hyphens, not starting or",
    },
  },
  {
    title: "server name longer than 63",
    category: "name",
    change: (a) => void (a.serverName = "p".repeat(64)),
    says: {
      field: "`serverName`",
      value: '"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"',
      allowed: "use 3-63 lowercase letters, digits and hyphens, not starting or",
    },
  },
  {
    title: "vault name with consecutive hyphens",
    category: "name",
    change: (a) => void (a.encryption = { keyVaultName: "kv--prod" }),
    says: {
      field: "`encryption.keyVaultName`",
      value: '"kv--prod"',
      allowed: "use 3-24 letters, digits and hyphens, starting with a letter, not",
    },
  },
  {
    title: "vault name longer than 24",
    category: "name",
    change: (a) => void (a.encryption = { keyVaultName: "kv" + "x".repeat(23) }),
    says: {
      field: "`encryption.keyVaultName`",
      value: '"kvxxxxxxxxxxxxxxxxxxxxxxx"',
      allowed: "use 3-24 letters, digits and hyphens, starting with a letter, not",
    },
  },
  {
    title: "duplicate workload names",
    category: "duplicate",
    change: (a) =>
      void (a.workloadIdentities = [
        { name: "api", access: "reader" },
        { name: "api", access: "writer" },
      ]),
    says: { field: "`workloadIdentities[1].name`", value: '"api"', allowed: "workload names must be unique" },
  },
  {
    title: "schema public",
    category: "name",
    change: (a) => void (a.schemaName = "public"),
    says: {
      field: "`schemaName`",
      value: '"public"',
      allowed: 'use an application schema name that is not "public",',
    },
  },
  {
    title: "reserved administrator login",
    category: "name",
    change: (a) => {
      a.allowPasswordAuth = true;
      a.administratorLogin = "azure_superuser";
    },
    says: {
      field: "`administratorLogin`",
      value: '"azure_superuser"',
      allowed: 'choose another login such as "ztadmin"',
    },
  },
  {
    title: "administrator object id not a GUID",
    category: "guid",
    change: (a) => void (a.administrators[0].objectId = "123"),
    says: {
      field: "`administrators[0].objectId`",
      value: '"123"',
      allowed: "use an Entra object or tenant id such as",
    },
  },
  {
    title: "persona object id not a GUID",
    category: "guid",
    change: (a) => void (a.personas = [{ groupName: "readers", objectId: "x", access: "reader" }]),
    says: {
      field: "`personas[0].objectId`",
      value: '"x"',
      allowed: "use an Entra object or tenant id such as",
    },
  },
  {
    title: "duplicate administrators",
    category: "duplicate",
    change: (a) => void a.administrators.push({ ...a.administrators[0] }),
    says: {
      field: "`administrators[1].objectId`",
      value: '"11111111-1111-4111-8111-111111111111"',
      allowed: "one Entra object may hold one role, or its members could sign in as",
    },
  },
  {
    title: "action group id naming a workspace",
    category: "guid",
    change: (a) => void (a.monitoring = { actionGroupResourceId: VNET_ID }),
    says: {
      field: "`monitoring.actionGroupResourceId`",
      value:
        '"/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet-test"',
      allowed: "use",
    },
  },
  {
    title: "linked VNet id naming a subnet",
    category: "guid",
    change: (a) => void (a.network.linkedVirtualNetworkResourceIds = [SUBNET_ID]),
    says: {
      field: "`network.linkedVirtualNetworkResourceIds[0]`",
      value:
        '"/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet-test/subnets/private-endpoints"',
      allowed: "use",
    },
  },
  {
    title: "brought zone with the wrong name in privateEndpoint mode",
    category: "guid",
    change: (a) =>
      void (a.network.privateDnsZoneResourceId = VNET_ID.replace(
        /virtualNetworks\/.*/,
        "privateDnsZones/corp.example.com",
      )),
    says: {
      field: "`network.privateDnsZoneResourceId`",
      value: 'names zone "corp.example.com"',
      allowed: 'privateEndpoint mode needs "privatelink.postgres.database.azure.com"',
    },
  },
  {
    title: "key URI that is not a Key Vault URI",
    category: "guid",
    change: (a) => {
      a.encryption = { keyUri: "http://example.com/k", keyVaultResourceId: VAULT_ID };
      a.backup = { geoRedundantBackup: false };
    },
    says: {
      field: "`encryption.keyUri`",
      value: '"http://example.com/k"',
      allowed: "use a versionless key URI such as",
    },
  },
  {
    title: "AKS issuer over http",
    category: "guid",
    change: (a) =>
      void (a.workloadIdentities = [
        {
          name: "api",
          access: "reader",
          aks: { issuerUrl: "http://issuer.example", namespace: "api", serviceAccount: "api" },
        },
      ]),
    says: {
      field: "`workloadIdentities[0].aks.issuerUrl`",
      value: '"http://issuer.example"',
      allowed: "use the cluster's OIDC issuer URL, e.g.",
    },
  },
  {
    title: "AKS namespace not a DNS label",
    category: "guid",
    change: (a) =>
      void (a.workloadIdentities = [
        {
          name: "api",
          access: "reader",
          aks: { issuerUrl: "https://i.example/", namespace: "Api_NS", serviceAccount: "api" },
        },
      ]),
    says: {
      field: "`workloadIdentities[0].aks.namespace`",
      value: '"Api_NS"',
      allowed: "use a DNS label: 1-63 lowercase letters, digits and '-'",
    },
  },
  {
    title: "backup retention below 7",
    category: "range",
    change: (a) => void (a.backup = { retentionDays: 6 }),
    says: { field: "`backup.retentionDays`", value: "6", allowed: "use a whole number from 7 to 35" },
  },
  {
    title: "fractional backup retention",
    category: "range",
    change: (a) => void (a.backup = { retentionDays: 10.5 }),
    says: { field: "`backup.retentionDays`", value: "10.5", allowed: "use a whole number from 7 to 35" },
  },
  {
    title: "workspace retention below 30",
    category: "range",
    change: (a) => void (a.monitoring = { workspaceRetentionDays: 7 }),
    says: {
      field: "`monitoring.workspaceRetentionDays`",
      value: "7",
      allowed: "use a whole number from 30 to 730",
    },
  },
  {
    title: "rotation not before expiry",
    category: "range",
    change: (a) => void (a.encryption = { keyExpiryDays: 90, keyRotationDays: 90 }),
    says: {
      field: "`encryption.keyRotationDays`",
      value: "90",
      allowed: "the key must rotate before it expires",
    },
  },
  {
    title: "log retention 10 days",
    category: "range",
    change: (a) => void (a.monitoring = { logRetentionDays: 10 }),
    says: { field: "`monitoring.logRetentionDays`", value: "10", allowed: "use a whole number from 4 to 7" },
  },
  {
    title: "firewall IPv6 end",
    category: "cidr-ip",
    change: publicWith({ name: "office", startIpAddress: "203.0.113.1", endIpAddress: "2001:db8::1" }),
    says: {
      field: "`network.firewallRules[0].endIpAddress`",
      value: '"2001:db8::1"',
      allowed: 'use dotted decimal such as "203.0.113.10"',
    },
  },
  {
    title: "delegated prefix that is a host, not a network",
    category: "cidr-ip",
    change: (a) =>
      void (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetAddressPrefix: "10.0.0.1/28",
        virtualNetworkName: "vnet",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    says: {
      field: "`network.delegatedSubnetAddressPrefix`",
      value: '"10.0.0.1/28"',
      allowed: 'use a network address such as "10.20.2.0/28"',
    },
  },
  {
    title: "delegated prefix smaller than /28",
    category: "cidr-ip",
    change: (a) =>
      void (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetAddressPrefix: "10.0.0.0/29",
        virtualNetworkName: "vnet",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    says: {
      field: "`network.delegatedSubnetAddressPrefix`",
      value: '"10.0.0.0/29"',
      allowed: 'use a network address such as "10.20.2.0/28"',
    },
  },
  {
    title: "pgaudit off",
    category: "rule",
    change: (a) => void (a.monitoring = { pgauditLog: "none" }),
    says: {
      field: "`monitoring.pgauditLog`",
      value: '"none"',
      allowed: "use a comma-separated list of read, write, function, role, ddl, misc,",
    },
  },
  {
    title: "unknown network mode",
    category: "version-tls",
    change: (a) => void (a.network.mode = any("public")),
    says: {
      field: "`network.mode`",
      value: '"public"',
      allowed: 'use one of "privateEndpoint", "vnetIntegration"',
    },
  },
  {
    title: "both a brought and a created delegated subnet",
    category: "contradiction",
    change: (a) =>
      void (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetResourceId: DELEGATED_SUBNET_ID,
        delegatedSubnetAddressPrefix: "10.0.0.0/28",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    says: {
      field: "`network.delegatedSubnetResourceId`",
      value: "and `network.delegatedSubnetAddressPrefix` exclude each other",
      allowed: "bring a delegated subnet or have one created, not both",
    },
  },
  {
    title: "geo backup with CMK but no geo location",
    category: "contradiction",
    change: (a) => void (a.location = "brazilsoutheast"),
    says: {
      field: "`backup.geoRedundantBackup`",
      value: "true",
      allowed: "set `backup.geoRedundantBackup` to false and use a geo-replica for",
    },
  },
  {
    title: "geo-backup location equal to the location",
    category: "contradiction",
    change: (a) => void (a.encryption = { geoBackupLocation: "westeurope" }),
    says: {
      field: "`encryption.geoBackupLocation`",
      value: '"westeurope"',
      allowed: "geo-backup keys live in the paired region (northeurope)",
    },
  },
  {
    title: "geo fields without geo backup",
    category: "contradiction",
    change: (a) => {
      a.backup = { geoRedundantBackup: false };
      a.encryption = { geoBackupLocation: "northeurope" };
    },
    says: {
      field: "`encryption.geoBackupLocation`",
      value: "needs geo-redundant backup",
      allowed: "remove it or set `backup.geoRedundantBackup: true`",
    },
  },
  {
    title: "SKU name and tier disagree",
    category: "contradiction",
    change: (a) => {
      a.skuName = "Standard_B1ms";
      a.skuTier = "GeneralPurpose";
    },
    says: { field: "`skuName`", value: '"Standard_B1ms"', allowed: "use a matching pair or omit `skuTier`" },
  },
  {
    title: "standby zone equal to the primary zone",
    category: "contradiction",
    change: (a) => void (a.standbyAvailabilityZone = "1"),
    says: {
      field: "`standbyAvailabilityZone`",
      value: '"1"',
      allowed: "ZoneRedundant needs a different zone",
    },
  },
  {
    title: "a brought key plus created-key settings",
    category: "contradiction",
    change: (a) => void (a.encryption = { keyUri: KEY_URI, keyVaultResourceId: VAULT_ID, keySize: 4096 }),
    says: {
      field: "`encryption.keySize`",
      value: "configures a created key but `encryption.keyUri` brings one",
      allowed: "remove one of them",
    },
  },
  {
    title: "restore time not ISO 8601 UTC",
    category: "contradiction",
    change: (a) =>
      void (a.restore = {
        sourceServerResourceId: VNET_ID.replace(
          /Microsoft.Network\/virtualNetworks\/.*/,
          "Microsoft.DBforPostgreSQL/flexibleServers/src",
        ),
        pointInTimeUtc: "yesterday",
      }),
    says: {
      field: "`restore.pointInTimeUtc`",
      value: '"yesterday"',
      allowed: 'use a form such as "2026-11-20T08:00:00Z"',
    },
  },
  {
    title: "a brought key without its vault",
    category: "missing",
    change: (a) => void (a.encryption = { keyUri: KEY_URI }),
    says: {
      field: "`encryption.keyVaultResourceId`",
      value: "required with `encryption.keyUri`",
      allowed: "the server identity's role is scoped to that vault",
    },
  },
  {
    title: "a tenant id that is an Output",
    category: "type",
    change: (a) => void (a.tenantId = any(pulumi.output("00000000-0000-4000-8000-0000000000aa"))),
    says: {
      field: "`tenantId`",
      value: "an Output",
      allowed: "it must be a plain value known when the component is constructed,",
    },
  },
  {
    title: "an administrators list that is an Output",
    category: "type",
    change: (a) => void (a.administrators = any(pulumi.output([]))),
    says: {
      field: "`administrators`",
      value: "an Output",
      allowed: "it must be a plain value known when the component is constructed,",
    },
  },
  {
    title: "a network object that is an Output",
    category: "type",
    change: (a) => void (a.network = any(pulumi.output({ privateEndpointSubnetResourceId: SUBNET_ID }))),
    says: {
      field: "`network`",
      value: "an Output",
      allowed: "it must be a plain value known when the component is constructed,",
    },
  },
  {
    title: "a personas list that is not a list",
    category: "type",
    change: (a) => void (a.personas = any({ groupName: "x" })),
    says: { field: "`personas`", value: '{"groupName":"x"}', allowed: "pass a list [ … ]" },
  },
  {
    title: "a firewall rule list that is an Output",
    category: "type",
    change: (a) => {
      a.network.allowPublicAccess = true;
      a.network.firewallRules = any(pulumi.output([]));
    },
    says: {
      field: "`network.firewallRules`",
      value: "an Output",
      allowed: "it must be a plain value known when the component is constructed,",
    },
  },
  {
    title: "a persona sharing an administrator's object id",
    cli: true,
    category: "duplicate",
    change: (a) =>
      void (a.personas = [
        { groupName: "pg-readers", objectId: a.administrators[0].objectId, access: "reader" },
      ]),
    says: {
      field: "`personas[0].objectId`",
      value: '"11111111-1111-4111-8111-111111111111"',
      allowed: "one Entra object may hold one role, or its members could sign in as",
    },
  },
  {
    title: "two personas sharing one object id (case differs)",
    category: "duplicate",
    change: (a) =>
      void (a.personas = [
        { groupName: "pg-readers", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
        { groupName: "pg-admins2", objectId: "AAAAAAAA-1111-4111-8111-111111111111", access: "admin" },
      ]),
    says: {
      field: "`personas[1].objectId`",
      value: '"AAAAAAAA-1111-4111-8111-111111111111"',
      allowed: "one Entra object may hold one role, or its members could sign in as",
    },
  },
  {
    title: "persona role names differing only in case",
    category: "duplicate",
    change: (a) =>
      void (a.personas = [
        { groupName: "Readers", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
        { groupName: "readers", objectId: "bbbbbbbb-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: { field: "`personas[1].groupName`", value: '"readers"', allowed: "use each role name once" },
  },
  {
    title: "a persona named like an administrator",
    category: "duplicate",
    change: (a) =>
      void (a.personas = [
        { groupName: "PG-ADMINS", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: { field: "`personas[0].groupName`", value: '"PG-ADMINS"', allowed: "use each role name once" },
  },
  {
    title: "a persona named azure_pg_admin",
    cli: true,
    category: "name",
    change: (a) =>
      void (a.personas = [
        { groupName: "azure_pg_admin", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: {
      field: "`personas[0].groupName`",
      value: '"azure_pg_admin"',
      allowed: 'use a name that does not start with "pg_" and is none of public,',
    },
  },
  {
    title: "a persona named pg_monitor",
    category: "name",
    change: (a) =>
      void (a.personas = [
        { groupName: "pg_monitor", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: {
      field: "`personas[0].groupName`",
      value: '"pg_monitor"',
      allowed: 'use a name that does not start with "pg_" and is none of public,',
    },
  },
  {
    title: "a persona named PUBLIC",
    cli: true,
    category: "name",
    change: (a) =>
      void (a.personas = [
        { groupName: "PUBLIC", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: {
      field: "`personas[0].groupName`",
      value: '"PUBLIC"',
      allowed: 'use a name that does not start with "pg_" and is none of public,',
    },
  },
  {
    title: "a persona name of 64 bytes in UTF-8 (32 two-byte characters)",
    category: "name",
    change: (a) =>
      void (a.personas = [
        { groupName: "é".repeat(32), objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: {
      field: "`personas[0].groupName`",
      value: '"éééééééééééééééééééééééééééééééé"',
      allowed: "use 1-63 bytes (UTF-8) without control characters",
    },
  },
  {
    title: "a persona colliding with a generated access role",
    cli: true,
    category: "duplicate",
    change: (a) =>
      void (a.personas = [
        { groupName: "app_app_admin", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    says: {
      field: "`personas[0].groupName`",
      value: '"app_app_admin"',
      allowed: "give each principal its own role name",
    },
  },
  {
    title: "schema information_schema",
    category: "name",
    change: (a) => void (a.schemaName = "information_schema"),
    says: {
      field: "`schemaName`",
      value: '"information_schema"',
      allowed: 'use an application schema name that is not "public",',
    },
  },
  {
    title: "a NaN backup retention",
    category: "range",
    change: (a) => void (a.backup = { retentionDays: NaN }),
    says: { field: "`backup.retentionDays`", value: "NaN", allowed: "use a whole number from 7 to 35" },
  },
  {
    title: "firewall rule names differing only in case",
    category: "duplicate",
    change: (a) => {
      a.network.allowPublicAccess = true;
      a.network.firewallRules = [
        { name: "office", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" },
        { name: "Office", startIpAddress: "198.51.100.0", endIpAddress: "198.51.100.255" },
      ];
    },
    says: {
      field: "`network.firewallRules[1].name`",
      value: '"Office"',
      allowed: "rule names must be unique",
    },
  },
  {
    title: "vault names differing only in case",
    category: "duplicate",
    change: (a) => void (a.encryption = { keyVaultName: "kv-prod-1", geoBackupKeyVaultName: "KV-prod-1" }),
    says: { field: "`encryption.geoBackupKeyVaultName`", value: '"KV-prod-1"', allowed: "use two names" },
  },
  {
    title: "a restore time on 30 February",
    category: "range",
    change: (a) =>
      void (a.restore = { sourceServerResourceId: SOURCE_SERVER_ID, pointInTimeUtc: "2025-02-30T08:00:00Z" }),
    says: {
      field: "`restore.pointInTimeUtc`",
      value: '"2025-02-30T08:00:00Z"',
      allowed: 'use a form such as "2026-11-20T08:00:00Z"',
    },
  },
  {
    title: "a brought key in one vault with keyVaultResourceId of another",
    category: "contradiction",
    change: (a) =>
      void (a.encryption = {
        keyUri: "https://other-kv.vault.azure.net/keys/pg-cmk",
        keyVaultResourceId: VAULT_ID,
        geoBackupKeyUri: GEO_KEY_URI,
        geoBackupKeyVaultResourceId: GEO_VAULT_ID,
      }),
    says: {
      field: "`encryption.keyUri`",
      value: '"https://other-kv.vault.azure.net/keys/pg-cmk"',
      allowed: "use the resource id of the vault that holds the key",
    },
  },
  {
    title: "a /16 firewall range, refused by the pack's own rule",
    category: "rule",
    change: publicWith({ name: "office", startIpAddress: "10.0.0.0", endIpAddress: "10.0.255.255" }),
    says: {
      field: "`network.firewallRules[0]`",
      value: '"10.0.0.0-10.0.255.255"',
      allowed: "must not open the server to the internet",
    },
  },
  {
    title: "256 adjacent /24 firewall rules, a /16 split up, refused as their union",
    cli: true,
    category: "rule",
    change: publicWith(
      ...Array.from({ length: 256 }, (_, i) => ({
        name: `office-${i}`,
        startIpAddress: `10.1.${i}.0`,
        endIpAddress: `10.1.${i}.255`,
      })),
    ),
    says: {
      field: "`network.firewallRules`",
      value: "10.1.0.0-10.1.255.255",
      allowed: "wider than /24",
    },
  },
  // --- audit logging switched off by class subtraction, or reduced below role and ddl ----------------
  {
    title: 'pgaudit "-all", which logs nothing on a real pgaudit',
    category: "rule",
    cli: true,
    change: (a) => void (a.monitoring = { pgauditLog: "-all" }),
    says: { field: "`monitoring.pgauditLog`", value: '"-all"', allowed: "does not accept class subtraction" },
  },
  {
    title: "pgaudit all minus every class",
    category: "rule",
    change: (a) => void (a.monitoring = { pgauditLog: "all,-read,-write,-function,-role,-ddl,-misc" }),
    says: {
      field: "`monitoring.pgauditLog`",
      value: '"all,-read,-write,-function,-role,-ddl,-misc"',
      allowed: "does not accept class subtraction",
    },
  },
  {
    title: "pgaudit role minus role",
    category: "rule",
    change: (a) => void (a.monitoring = { pgauditLog: "role,-role" }),
    says: {
      field: "`monitoring.pgauditLog`",
      value: '"role,-role"',
      allowed: "does not accept class subtraction",
    },
  },
  {
    title: "pgaudit read alone, which never logs the role changes the alert watches",
    category: "rule",
    cli: true,
    change: (a) => void (a.monitoring = { pgauditLog: "read" }),
    says: { field: "`monitoring.pgauditLog`", value: '"read"', allowed: "without role and ddl" },
  },
  {
    title: "pgaudit misc_set, which Azure does not accept",
    category: "rule",
    change: (a) => void (a.monitoring = { pgauditLog: "role,ddl,misc_set" }),
    says: {
      field: "`monitoring.pgauditLog`",
      value: '"role,ddl,misc_set"',
      allowed: "which Azure does not accept",
    },
  },
  // --- a misspelt region is an unknown region, not a region without a pair ---------------------------
  {
    title: "a misspelt region",
    category: "name",
    cli: true,
    change: (a) => void (a.location = "westeurop"),
    says: { field: "`location`", value: '"westeurop"', allowed: "is an unknown region" },
  },
  // --- read replicas ---------------------------------------------------------------------------------
  {
    title: "a replica name with capitals",
    category: "name",
    change: (a) => void (a.replicas = [{ name: "Read" }]),
    says: { field: "`replicas[0].name`", value: '"Read"', allowed: "1-20 lowercase letters" },
  },
  {
    title: "a replica in a misspelt region",
    category: "name",
    change: (a) =>
      void (a.replicas = [
        { name: "dr", location: "northeurop", privateEndpointSubnetResourceId: `${VNET_ID}/subnets/dr` },
      ]),
    says: { field: "`replicas[0].location`", value: '"northeurop"', allowed: 'did you mean "northeurope"' },
  },
  {
    title: "a replica in another region without a private-endpoint subnet there",
    category: "missing",
    change: (a) => void (a.replicas = [{ name: "dr", location: "northeurope" }]),
    says: {
      field: "`replicas[0].privateEndpointSubnetResourceId`",
      value: '"northeurope"',
      allowed: "a private endpoint lives in a subnet of its own region",
    },
    cli: true,
  },
  {
    title: "a replica on a Burstable SKU",
    category: "contradiction",
    change: (a) => void (a.replicas = [{ name: "read", skuName: "Standard_B2s" }]),
    says: {
      field: "`replicas[0].skuName`",
      value: '"Standard_B2s"',
      allowed: "use a GeneralPurpose (Standard_D…) or MemoryOptimized (Standard_E…) SKU",
    },
  },
  {
    title: "replicas of a Burstable primary",
    category: "contradiction",
    change: (a) => {
      a.skuName = "Standard_B2s";
      a.backup = { geoRedundantBackup: false };
      a.replicas = [{ name: "read" }];
    },
    says: {
      field: "`replicas`",
      value: '"Standard_B2s"',
      allowed: "GeneralPurpose or MemoryOptimized primary",
    },
  },
  {
    title: "six read replicas",
    category: "range",
    change: (a) => void (a.replicas = ["a", "b", "c", "d", "e", "f"].map((name) => ({ name }))),
    says: { field: "`replicas`", value: "6 entries", allowed: "at most 5 read replicas" },
  },
  {
    title: "two replicas with one name",
    category: "duplicate",
    change: (a) => void (a.replicas = [{ name: "read" }, { name: "read" }]),
    says: { field: "`replicas[1].name`", value: '"read"', allowed: "give each replica its own name" },
  },
  {
    title: "a replica named like the primary",
    category: "duplicate",
    change: (a) => {
      a.serverName = "pg-orders";
      a.replicas = [{ name: "read", serverName: "pg-orders" }];
    },
    says: { field: "`replicas[0].serverName`", value: '"pg-orders"', allowed: "a name of its own" },
  },
  {
    title: "two replicas whose generated vault names collide",
    category: "duplicate",
    change: (a) => void (a.replicas = [{ name: "reporting-eu-1" }, { name: "reporting-eu-2" }]),
    says: {
      field: "`replicas[1].keyVaultName`",
      value: '"reporting-e-rkv-<suffix>"',
      allowed: "set `replicas[1].keyVaultName`",
    },
  },
  {
    title: "a replica key without its vault",
    category: "contradiction",
    change: (a) => void (a.replicas = [{ name: "read", keyUri: KEY_URI }]),
    says: { field: "`replicas[0].keyUri`", value: "`replicas[0].keyVaultResourceId`", allowed: "bring both" },
  },
  {
    title: "a replica's delegated subnet in privateEndpoint mode",
    category: "contradiction",
    change: (a) => void (a.replicas = [{ name: "read", delegatedSubnetResourceId: DELEGATED_SUBNET_ID }]),
    says: {
      field: "`replicas[0].delegatedSubnetResourceId`",
      value: "belongs to vnetIntegration mode",
      allowed: "the two modes cannot be combined",
    },
  },
  {
    title: "a VNet-integrated replica without a delegated subnet",
    category: "missing",
    vnet: true,
    change: (a) => void (a.replicas = [{ name: "read", keyVaultPrivateEndpointSubnetResourceId: SUBNET_ID }]),
    says: {
      field: "`replicas[0].delegatedSubnetResourceId`",
      value: "required",
      allowed: "delegated to Microsoft.DBforPostgreSQL/flexibleServers",
    },
  },
  {
    title: "a VNet-integrated replica with a created vault and no subnet for its endpoint",
    category: "missing",
    vnet: true,
    change: (a) => void (a.replicas = [{ name: "read", delegatedSubnetResourceId: DELEGATED_SUBNET_ID }]),
    says: {
      field: "`replicas[0].keyVaultPrivateEndpointSubnetResourceId`",
      value: "vnetIntegration",
      allowed: "not delegated",
    },
  },
  {
    title: "a replica zone in a region without zones",
    category: "contradiction",
    change: (a) =>
      void (a.replicas = [
        {
          name: "dr",
          location: "northcentralus",
          availabilityZone: "2",
          privateEndpointSubnetResourceId: `${VNET_ID}/subnets/dr`,
        },
      ]),
    says: { field: "`replicas[0].availabilityZone`", value: '"2"', allowed: "no availability zones" },
  },
  {
    title: "a virtual endpoint without replicas",
    category: "contradiction",
    change: (a) => void (a.virtualEndpoint = {}),
    says: {
      field: "`virtualEndpoint`",
      value: "`replicas`",
      allowed: "add a replica or remove `virtualEndpoint`",
    },
  },
  {
    title: "a virtual endpoint pointing at a replica that does not exist",
    category: "contradiction",
    change: (a) => {
      a.replicas = [{ name: "read" }];
      a.virtualEndpoint = { readReplica: "reporting" };
    },
    says: { field: "`virtualEndpoint.readReplica`", value: '"reporting"', allowed: 'use one of "read"' },
  },
  {
    title: "a virtual endpoint name ending with a hyphen",
    category: "name",
    change: (a) => {
      a.replicas = [{ name: "read" }];
      a.virtualEndpoint = { name: "orders-" };
    },
    says: {
      field: "`virtualEndpoint.name`",
      value: '"orders-"',
      allowed: "3-63 letters, digits and hyphens",
    },
  },
];

/** Resource ids passed as Outputs that resolve, after construction, to a bad value. */
export interface LateBadInput {
  title: string;
  change: (a: ZeroTrustPostgresArgs, late: (v: string) => pulumi.Output<string>) => void;
  vnet?: boolean;
  /** Public outputs that depend on the value: each must fail with the message, never resolve. */
  outputs: string[];
  says: { field: string; value: string; allowed: string };
}

export const LATE_BAD_INPUTS: readonly LateBadInput[] = [
  {
    title: "an AKS issuer URL",
    change: (a, late) =>
      void (a.workloadIdentities = [
        {
          name: "orders",
          access: "writer",
          aks: {
            issuerUrl: late("http://issuer.example/"),
            namespace: "orders",
            serviceAccount: "orders-api",
          },
        },
      ]),
    outputs: ["connection", "bootstrapSql"],
    says: {
      field: "`workloadIdentities[0].aks.issuerUrl`",
      value: '"http://issuer.example/"',
      allowed: "is not an https URL",
    },
  },
  {
    title: "a brought key URI in another vault than keyVaultResourceId",
    change: (a, late) =>
      void (a.encryption = {
        keyUri: late("https://other-kv.vault.azure.net/keys/pg-cmk"),
        keyVaultResourceId: VAULT_ID,
        geoBackupKeyUri: "https://central-geo-kv.vault.azure.net/keys/pg-cmk",
        geoBackupKeyVaultResourceId: GEO_VAULT_ID,
        geoBackupLocation: "northeurope",
      }),
    outputs: ["keyUri", "serverId"],
    says: {
      field: "`encryption.keyUri`",
      value: '"https://other-kv.vault.azure.net/keys/pg-cmk"',
      allowed: "use the resource id of the vault that holds the key",
    },
  },
  {
    title: "a private-endpoint subnet id",
    change: (a, late) =>
      void (a.network = { ...a.network, privateEndpointSubnetResourceId: late("subnet-1") }),
    outputs: ["privateEndpointIp"],
    says: {
      field: "`network.privateEndpointSubnetResourceId`",
      value: '"subnet-1"',
      allowed: "/subnets/<subnet>",
    },
  },
  {
    title: "a brought key URI",
    change: (a, late) =>
      void (a.encryption = {
        keyUri: late("https://central-kv.vault.azure.net/secrets/pg"),
        keyVaultResourceId: VAULT_ID,
        geoBackupKeyUri: "https://central-geo-kv.vault.azure.net/keys/pg-cmk",
        geoBackupKeyVaultResourceId: `${RG_ID}/providers/Microsoft.KeyVault/vaults/central-geo-kv`,
        geoBackupLocation: "northeurope",
      }),
    outputs: ["keyUri", "serverId", "fqdn", "connection"],
    says: {
      field: "`encryption.keyUri`",
      value: '"https://central-kv.vault.azure.net/secrets/pg"',
      allowed: "versionless key URI",
    },
  },
  {
    title: "a workspace id",
    change: (a, late) => void (a.monitoring = { logAnalyticsWorkspaceResourceId: late("central-logs") }),
    outputs: ["workspaceId"],
    says: {
      field: "`monitoring.logAnalyticsWorkspaceResourceId`",
      value: '"central-logs"',
      allowed: "Microsoft.OperationalInsights/workspaces/<name>",
    },
  },
  {
    title: "a delegated subnet id",
    vnet: true,
    change: (a, late) =>
      void (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetResourceId: late(`${VNET_ID}/virtualNetworks/postgres`),
        keyVaultPrivateEndpointSubnetResourceId: `${VNET_ID}/subnets/endpoints`,
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    outputs: ["serverId", "fqdn", "connection"],
    says: {
      field: "`network.delegatedSubnetResourceId`",
      value: "/virtualNetworks/postgres",
      allowed: "/subnets/<subnet>",
    },
  },
  {
    title: "a replica's delegated subnet id",
    vnet: true,
    change: (a, late) =>
      void (a.replicas = [
        {
          name: "dr",
          location: "northeurope",
          delegatedSubnetResourceId: late(`${VNET_ID}/virtualNetworks/dr-postgres`),
          keyVaultPrivateEndpointSubnetResourceId: `${VNET_ID}/subnets/dr-endpoints`,
        },
      ]),
    outputs: ["replicas"],
    says: {
      field: "`replicas[0].delegatedSubnetResourceId`",
      value: "/virtualNetworks/dr-postgres",
      allowed: "/subnets/<subnet>",
    },
  },
];
