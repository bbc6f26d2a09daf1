// Bad inputs: each is refused at construction with a message that names the field, the
// value and what is allowed, and nothing at all is registered. Values that are Outputs are checked when
// they resolve: the resources and outputs that depend on them fail with the same kind of message.

import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { promiseOf, settle } from "../helpers/mocks"; // mocks first
import {
  build,
  DELEGATED_SUBNET_ID,
  GEO_KEY_URI,
  GEO_VAULT_ID,
  KEY_URI,
  minimalArgs,
  registrationsDuring,
  SOURCE_SERVER_ID,
  SUBNET_ID,
  tweak,
  VAULT_ID,
  VNET_ID,
} from "./fixtures";
import { ZeroTrustPostgres, type ZeroTrustPostgresArgs } from "../../components";
import { LIMITS } from "../../components/postgres/binding";
import { validateArgs } from "../../components/postgres/validate";

type Mutate = (a: ZeroTrustPostgresArgs) => void;
const any = (v: unknown) => v as never;
const publicRules = (a: ZeroTrustPostgresArgs, start: string, end: string) => {
  a.network.allowPublicAccess = true;
  a.network.firewallRules = [{ name: "office", startIpAddress: start, endIpAddress: end }];
};

/** [what, mutation, expected message]. The message must name the field, the value and what is allowed. */
const CASES: [string, Mutate, RegExp][] = [
  // names
  [
    "server name with uppercase and _",
    (a) => (a.serverName = "Bad_Name"),
    /`serverName` "Bad_Name" is not a valid name; use 3-63 lowercase letters/,
  ],
  ["server name too short", (a) => (a.serverName = "ab"), /`serverName` "ab" is not a valid name; use 3-63/],
  [
    "server name starting with a hyphen",
    (a) => (a.serverName = "-pg1"),
    /`serverName` "-pg1" is not a valid name/,
  ],
  [
    "server name longer than 63",
    (a) => (a.serverName = "p".repeat(64)),
    /`serverName` "p{64}" is not a valid name; use 3-63/,
  ],
  [
    "vault name starting with a digit",
    (a) => (a.encryption = { keyVaultName: "1vault" }),
    /`encryption.keyVaultName` "1vault" is not a valid name; use 3-24 letters/,
  ],
  [
    "vault name with consecutive hyphens",
    (a) => (a.encryption = { keyVaultName: "kv--prod" }),
    /`encryption.keyVaultName` "kv--prod" is not a valid name; .*no consecutive hyphens/,
  ],
  [
    "vault name longer than 24",
    (a) => (a.encryption = { keyVaultName: "kv" + "x".repeat(23) }),
    /`encryption.keyVaultName` "kvx{23}" is not a valid name; use 3-24/,
  ],
  [
    "key name with an underscore",
    (a) => (a.encryption = { keyName: "pg_cmk" }),
    /`encryption.keyName` "pg_cmk" is not a valid name; use 1-127 letters, digits and hyphens/,
  ],
  [
    "workload name with uppercase",
    (a) => (a.workloadIdentities = [{ name: "Orders", access: "writer" }]),
    /`workloadIdentities\[0\].name` "Orders" is not a valid name; use 1-40 lowercase/,
  ],
  [
    "duplicate workload names",
    (a) =>
      (a.workloadIdentities = [
        { name: "api", access: "reader" },
        { name: "api", access: "writer" },
      ]),
    /`workloadIdentities\[1\].name` "api" is used twice/,
  ],
  [
    "firewall rule name ending with -",
    (a) => {
      publicRules(a, "203.0.113.1", "203.0.113.1");
      a.network.firewallRules![0].name = "office-";
    },
    /`network.firewallRules\[0\].name` "office-" (is not a valid name|ends with '-')/,
  ],
  ["database name reserved", (a) => (a.databaseName = "postgres"), /`databaseName` "postgres" is reserved/],
  [
    "schema public",
    (a) => (a.schemaName = "public"),
    /`schemaName` "public" is reserved; use an application schema name that is not "public", "information_schema" or "pg_\*"/,
  ],
  [
    "reserved administrator login",
    (a) => {
      a.allowPasswordAuth = true;
      a.administratorLogin = "azure_superuser";
    },
    /`administratorLogin` "azure_superuser" is reserved/,
  ],
  // GUIDs and resource ids
  [
    "tenant id not a GUID",
    (a) => (a.tenantId = "contoso.onmicrosoft.com"),
    /`tenantId` "contoso.onmicrosoft.com" is not a GUID/,
  ],
  [
    "administrator object id not a GUID",
    (a) => (a.administrators[0].objectId = "123"),
    /`administrators\[0\].objectId` "123" is not a GUID/,
  ],
  [
    "persona object id not a GUID",
    (a) => (a.personas = [{ groupName: "readers", objectId: "x", access: "reader" }]),
    /`personas\[0\].objectId` "x" is not a GUID/,
  ],
  [
    "duplicate administrators",
    (a) => a.administrators.push({ ...a.administrators[0] }),
    /`administrators\[1\].objectId` ".*" is listed twice \(also `administrators\[0\].objectId`\)/,
  ],
  [
    "private endpoint subnet id not a subnet id",
    (a) => (a.network.privateEndpointSubnetResourceId = "private-endpoints"),
    /`network.privateEndpointSubnetResourceId` "private-endpoints" is not a subnet resource id; use \/subscriptions\/<guid>/,
  ],
  [
    "action group id naming a workspace",
    (a) => (a.monitoring = { actionGroupResourceId: VNET_ID }),
    /`monitoring.actionGroupResourceId` ".*virtualNetworks\/vnet-test" is not a actionGroup resource id/,
  ],
  [
    "linked VNet id naming a subnet",
    (a) => (a.network.linkedVirtualNetworkResourceIds = [SUBNET_ID]),
    /`network.linkedVirtualNetworkResourceIds\[0\]` ".*subnets\/private-endpoints" is not a virtualNetwork resource id/,
  ],
  [
    "brought zone with the wrong name in privateEndpoint mode",
    (a) =>
      (a.network.privateDnsZoneResourceId = VNET_ID.replace(
        /virtualNetworks\/.*/,
        "privateDnsZones/corp.example.com",
      )),
    /`network.privateDnsZoneResourceId` names zone "corp.example.com"; privateEndpoint mode needs "privatelink.postgres.database.azure.com"/,
  ],
  [
    "versioned key URI",
    (a) =>
      (a.encryption = {
        keyUri: KEY_URI + "/0123456789abcdef0123456789abcdef",
        keyVaultResourceId: VAULT_ID,
      }),
    /`encryption.keyUri` ".*" names a key version, which stops automatic rotation/,
  ],
  [
    "key URI that is not a Key Vault URI",
    (a) => {
      a.encryption = { keyUri: "http://example.com/k", keyVaultResourceId: VAULT_ID };
      a.backup = { geoRedundantBackup: false };
    },
    /`encryption.keyUri` "http:\/\/example.com\/k" is not a key URI; use a versionless key URI/,
  ],
  [
    "AKS issuer over http",
    (a) =>
      (a.workloadIdentities = [
        {
          name: "api",
          access: "reader",
          aks: { issuerUrl: "http://issuer.example", namespace: "api", serviceAccount: "api" },
        },
      ]),
    /`workloadIdentities\[0\].aks.issuerUrl` "http:\/\/issuer.example" is not an https URL/,
  ],
  [
    "AKS namespace not a DNS label",
    (a) =>
      (a.workloadIdentities = [
        {
          name: "api",
          access: "reader",
          aks: { issuerUrl: "https://i.example/", namespace: "Api_NS", serviceAccount: "api" },
        },
      ]),
    /`workloadIdentities\[0\].aks.namespace` "Api_NS" is not a valid name; use a DNS label/,
  ],
  // numeric ranges
  [
    "backup retention below 7",
    (a) => (a.backup = { retentionDays: 6 }),
    /`backup.retentionDays` 6 is out of range; use a whole number from 7 to 35/,
  ],
  [
    "backup retention above 35",
    (a) => (a.backup = { retentionDays: 36 }),
    /`backup.retentionDays` 36 is out of range; use a whole number from 7 to 35/,
  ],
  [
    "fractional backup retention",
    (a) => (a.backup = { retentionDays: 10.5 }),
    /`backup.retentionDays` 10.5 is out of range/,
  ],
  [
    "Premium_LRS size that does not exist",
    (a) => (a.storageSizeGb = 100),
    /`storageSizeGb` 100 is not a Premium_LRS size; use one of 32, 64, 128/,
  ],
  [
    "IOPS on Premium_LRS",
    (a) => (a.storageIops = 5000),
    /`storageIops` 5000 is only for "PremiumV2_LRS" or "UltraSSD_LRS" storage/,
  ],
  [
    "workspace retention below 30",
    (a) => (a.monitoring = { workspaceRetentionDays: 7 }),
    /`monitoring.workspaceRetentionDays` 7 is out of range; use a whole number from 30 to 730/,
  ],
  [
    "failed-login threshold 0",
    (a) => (a.monitoring = { failedLoginThreshold: 0 }),
    /`monitoring.failedLoginThreshold` 0 is out of range; use a whole number from 1 to 1000/,
  ],
  [
    "RSA key size 1024",
    (a) => (a.encryption = { keySize: 1024 }),
    /`encryption.keySize` 1024 is not allowed; use one of 2048, 3072, 4096/,
  ],
  [
    "rotation not before expiry",
    (a) => (a.encryption = { keyExpiryDays: 90, keyRotationDays: 90 }),
    /`encryption.keyRotationDays` 90 is not below `encryption.keyExpiryDays` 90/,
  ],
  [
    "log retention 10 days",
    (a) => (a.monitoring = { logRetentionDays: 10 }),
    /`monitoring.logRetentionDays` 10 is out of range; use a whole number from 4 to 7/,
  ],
  [
    "firewall minimum prefix 33",
    (a) => (a.network.firewallMinimumPrefixLength = 33),
    new RegExp(
      `\`network.firewallMinimumPrefixLength\` 33 is out of range; use a whole number from ${LIMITS.firewallPrefixLength.min} to 32`,
    ),
  ],
  // CIDRs and IPs
  [
    "firewall start that is not an IPv4 address",
    (a) => publicRules(a, "300.1.1.1", "300.1.1.2"),
    /`network.firewallRules\[0\].startIpAddress` "300.1.1.1" is not an IPv4 address/,
  ],
  [
    "firewall IPv6 end",
    (a) => publicRules(a, "203.0.113.1", "2001:db8::1"),
    /`network.firewallRules\[0\].endIpAddress` "2001:db8::1" is not an IPv4 address/,
  ],
  [
    "firewall range that starts after it ends",
    (a) => publicRules(a, "203.0.113.9", "203.0.113.1"),
    /`network.firewallRules\[0\]` "203.0.113.9"-"203.0.113.1" starts after it ends/,
  ],
  [
    "delegated prefix that is a host, not a network",
    (a) =>
      (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetAddressPrefix: "10.0.0.1/28",
        virtualNetworkName: "vnet",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    /`network.delegatedSubnetAddressPrefix` "10.0.0.1\/28" is not an IPv4 network CIDR from \/8 to \/28/,
  ],
  [
    "delegated prefix smaller than /28",
    (a) =>
      (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetAddressPrefix: "10.0.0.0/29",
        virtualNetworkName: "vnet",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    /`network.delegatedSubnetAddressPrefix` "10.0.0.0\/29" is not an IPv4 network CIDR/,
  ],
  // versions and TLS
  [
    "PostgreSQL 11",
    (a) => (a.version = any("11")),
    /`version` "11" is not allowed; use one of "12", "13", "14", "15", "16", "17", "18"/,
  ],
  [
    "TLS 1.1",
    (a) => (a.minimumTlsVersion = any("TLSv1.1")),
    /`minimumTlsVersion` "TLSv1.1" is not allowed; use one of "TLSv1.2", "TLSv1.3"/,
  ],
  [
    "pgaudit off",
    (a) => (a.monitoring = { pgauditLog: "none" }),
    /\[postgres-pgaudit-enabled\] `monitoring.pgauditLog` "none" turns auditing off/,
  ],
  [
    "unknown network mode",
    (a) => (a.network.mode = any("public")),
    /`network.mode` "public" is not allowed; use one of "privateEndpoint", "vnetIntegration"/,
  ],
  // contradictory combinations
  [
    "both network modes' fields",
    (a) => (a.network.delegatedSubnetResourceId = DELEGATED_SUBNET_ID),
    /`network.delegatedSubnetResourceId` belongs to vnetIntegration mode; .*cannot be combined/,
  ],
  [
    "a private endpoint subnet in vnetIntegration mode",
    (a) =>
      (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetResourceId: DELEGATED_SUBNET_ID,
        privateEndpointSubnetResourceId: SUBNET_ID,
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    /`network.privateEndpointSubnetResourceId` belongs to privateEndpoint mode/,
  ],
  [
    "both a brought and a created delegated subnet",
    (a) =>
      (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetResourceId: DELEGATED_SUBNET_ID,
        delegatedSubnetAddressPrefix: "10.0.0.0/28",
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    /`network.delegatedSubnetResourceId` and `network.delegatedSubnetAddressPrefix` exclude each other/,
  ],
  [
    "geo backup with CMK but no geo location",
    (a) => (a.location = "brazilsoutheast"),
    /`backup.geoRedundantBackup` true is not possible in "brazilsoutheast" \(PostgreSQL does not offer it there\)/,
  ],
  [
    "geo-backup location equal to the location",
    (a) => (a.encryption = { geoBackupLocation: "westeurope" }),
    /`encryption.geoBackupLocation` "westeurope" equals `location`/,
  ],
  [
    "geo fields without geo backup",
    (a) => {
      a.backup = { geoRedundantBackup: false };
      a.encryption = { geoBackupLocation: "northeurope" };
    },
    /`encryption.geoBackupLocation` needs geo-redundant backup/,
  ],
  [
    "HA on Burstable",
    (a) => {
      a.skuName = "Standard_B1ms";
      a.highAvailability = "ZoneRedundant";
    },
    /`highAvailability` "ZoneRedundant" is not available on the Burstable tier; use "Disabled"/,
  ],
  [
    "SKU name and tier disagree",
    (a) => {
      a.skuName = "Standard_B1ms";
      a.skuTier = "GeneralPurpose";
    },
    /`skuName` "Standard_B1ms" is a Burstable SKU but `skuTier` is "GeneralPurpose"/,
  ],
  [
    "standby zone equal to the primary zone",
    (a) => (a.standbyAvailabilityZone = "1"),
    /`standbyAvailabilityZone` "1" equals `availabilityZone`/,
  ],
  [
    "firewall rules without opting into public access",
    (a) =>
      (a.network.firewallRules = [
        { name: "office", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" },
      ]),
    /`network.firewallRules` needs `network.allowPublicAccess: true`/,
  ],
  [
    "public access in vnetIntegration mode",
    (a) =>
      (a.network = {
        mode: "vnetIntegration",
        delegatedSubnetResourceId: DELEGATED_SUBNET_ID,
        allowPublicAccess: true,
        linkedVirtualNetworkResourceIds: [VNET_ID],
      }),
    /`network.allowPublicAccess` true is impossible in vnetIntegration mode/,
  ],
  [
    "a password login without the waiver",
    (a) => (a.administratorLogin = "ztadmin"),
    /`administratorLogin` needs `allowPasswordAuth: true`/,
  ],
  [
    "a brought key plus created-key settings",
    (a) => (a.encryption = { keyUri: KEY_URI, keyVaultResourceId: VAULT_ID, keySize: 4096 }),
    /`encryption.keySize` configures a created key but `encryption.keyUri` brings one/,
  ],
  [
    "a brought primary key without a geo key",
    (a) => (a.encryption = { keyUri: KEY_URI, keyVaultResourceId: VAULT_ID }),
    /`encryption.keyUri` brings the primary key but geo-redundant backup also needs a key in the geo region/,
  ],
  [
    "restore time in the future",
    (a) =>
      (a.restore = {
        sourceServerResourceId: VNET_ID.replace(
          /Microsoft.Network\/virtualNetworks\/.*/,
          "Microsoft.DBforPostgreSQL/flexibleServers/src",
        ),
        pointInTimeUtc: "2999-01-01T00:00:00Z",
      }),
    /`restore.pointInTimeUtc` "2999-01-01T00:00:00Z" is not in the past/,
  ],
  [
    "restore time not ISO 8601 UTC",
    (a) =>
      (a.restore = {
        sourceServerResourceId: VNET_ID.replace(
          /Microsoft.Network\/virtualNetworks\/.*/,
          "Microsoft.DBforPostgreSQL/flexibleServers/src",
        ),
        pointInTimeUtc: "yesterday",
      }),
    /`restore.pointInTimeUtc` "yesterday" is not an ISO 8601 UTC time/,
  ],
  // missing required values
  [
    "no administrators",
    (a) => (a.administrators = []),
    /\[postgres-entra-admin\] `administrators` \[\]: .* has password login off and no Entra administrator/,
  ],
  [
    "no tenant id",
    (a) => (a.tenantId = any(undefined)),
    /`tenantId` is required; use an Entra object or tenant id/,
  ],
  ["no network", (a) => (a.network = any(undefined)), /`network` is required/],
  [
    "no private endpoint subnet",
    (a) => (a.network.privateEndpointSubnetResourceId = undefined),
    /`network.privateEndpointSubnetResourceId` is required in privateEndpoint mode/,
  ],
  [
    "no VNet to link the created zone to",
    (a) => (a.network.linkedVirtualNetworkResourceIds = []),
    /`network.linkedVirtualNetworkResourceIds` is empty but the component creates a private DNS zone/,
  ],
  [
    "no delegated subnet in vnetIntegration mode",
    (a) => (a.network = { mode: "vnetIntegration", linkedVirtualNetworkResourceIds: [VNET_ID] }),
    /vnetIntegration mode needs `network.delegatedSubnetResourceId`/,
  ],
  [
    "a brought key without its vault",
    (a) => (a.encryption = { keyUri: KEY_URI }),
    /`encryption.keyVaultResourceId` is required with `encryption.keyUri`/,
  ],
  [
    "a persona without access",
    (a) =>
      (a.personas = [
        { groupName: "r", objectId: "44444444-4444-4444-8444-444444444444", access: any(undefined) },
      ]),
    /`personas\[0\].access` is required; use one of "admin", "writer", "reader"/,
  ],
  // plain fields must be plain
  [
    "a tenant id that is an Output",
    (a) => (a.tenantId = any(pulumi.output("00000000-0000-4000-8000-0000000000aa"))),
    /`tenantId` is an Output; it must be a plain value known when the component is constructed/,
  ],
  // Another language's SDK may send an Output where the schema says plain (construct path)
  [
    "an administrators list that is an Output",
    (a) => (a.administrators = any(pulumi.output([]))),
    /`administrators` is an Output; it must be a plain value/,
  ],
  [
    "a network object that is an Output",
    (a) => (a.network = any(pulumi.output({ privateEndpointSubnetResourceId: SUBNET_ID }))),
    /`network` is an Output; it must be a plain value/,
  ],
  [
    "a personas list that is not a list",
    (a) => (a.personas = any({ groupName: "x" })),
    /`personas` \{"groupName":"x"\} is not a list; pass a list/,
  ],
  [
    "a firewall rule list that is an Output",
    (a) => {
      a.network.allowPublicAccess = true;
      a.network.firewallRules = any(pulumi.output([]));
    },
    /`network.firewallRules` is an Output; it must be a plain value/,
  ],
  // one Entra object, one role (a persona sharing an admin's group would sign in as the admin role)
  [
    "a persona sharing an administrator's object id",
    (a) =>
      (a.personas = [{ groupName: "pg-readers", objectId: a.administrators[0].objectId, access: "reader" }]),
    /`personas\[0\].objectId` "11111111-1111-4111-8111-111111111111" is listed twice \(also `administrators\[0\].objectId`\)/,
  ],
  [
    "two personas sharing one object id (case differs)",
    (a) =>
      (a.personas = [
        { groupName: "pg-readers", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
        { groupName: "pg-admins2", objectId: "AAAAAAAA-1111-4111-8111-111111111111", access: "admin" },
      ]),
    /`personas\[1\].objectId` "AAAAAAAA-1111-4111-8111-111111111111" is listed twice \(also `personas\[0\].objectId`\)/,
  ],
  [
    "persona role names differing only in case",
    (a) =>
      (a.personas = [
        { groupName: "Readers", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
        { groupName: "readers", objectId: "bbbbbbbb-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[1\].groupName` "readers" is the same role name as `personas\[0\].groupName` \(role names are compared case-insensitively\)/,
  ],
  [
    "a persona named like an administrator",
    (a) =>
      (a.personas = [
        { groupName: "PG-ADMINS", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[0\].groupName` "PG-ADMINS" is the same role name as `administrators\[0\].principalName`/,
  ],
  // names that reach the bootstrap SQL, refused before any child exists
  [
    "a persona named azure_pg_admin",
    (a) =>
      (a.personas = [
        { groupName: "azure_pg_admin", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[0\].groupName` "azure_pg_admin" is a reserved role name; use a name that does not start with "pg_"/,
  ],
  [
    "a persona named pg_monitor",
    (a) =>
      (a.personas = [
        { groupName: "pg_monitor", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[0\].groupName` "pg_monitor" is a reserved role name/,
  ],
  [
    "a persona named PUBLIC",
    (a) =>
      (a.personas = [
        { groupName: "PUBLIC", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[0\].groupName` "PUBLIC" is a reserved role name/,
  ],
  [
    "a persona name of 64 bytes in UTF-8 (32 two-byte characters)",
    (a) =>
      (a.personas = [
        { groupName: "é".repeat(32), objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[0\].groupName` "é{32}" is not a valid PostgreSQL role name; use 1-63 bytes \(UTF-8\)/,
  ],
  [
    "a persona colliding with a generated access role",
    (a) =>
      (a.personas = [
        { groupName: "app_app_admin", objectId: "aaaaaaaa-1111-4111-8111-111111111111", access: "reader" },
      ]),
    /`personas\[0\].groupName` "app_app_admin" is used twice \(or is an access role\)/,
  ],
  [
    "schema information_schema",
    (a) => (a.schemaName = "information_schema"),
    /`schemaName` "information_schema" is reserved/,
  ],
  // small ones: NaN shown as NaN, case-insensitive Azure names, a real calendar day, one vault
  [
    "a NaN backup retention",
    (a) => (a.backup = { retentionDays: NaN }),
    /`backup.retentionDays` NaN is out of range; use a whole number from 7 to 35/,
  ],
  [
    "firewall rule names differing only in case",
    (a) => {
      a.network.allowPublicAccess = true;
      a.network.firewallRules = [
        { name: "office", startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255" },
        { name: "Office", startIpAddress: "198.51.100.0", endIpAddress: "198.51.100.255" },
      ];
    },
    /`network.firewallRules\[1\].name` "Office" repeats `network.firewallRules\[0\].name` \(Azure names are case-insensitive\)/,
  ],
  [
    "vault names differing only in case",
    (a) => (a.encryption = { keyVaultName: "kv-prod-1", geoBackupKeyVaultName: "KV-prod-1" }),
    /`encryption.geoBackupKeyVaultName` "KV-prod-1" equals `encryption.keyVaultName` "kv-prod-1" \(vault names are case-insensitive and global\)/,
  ],
  [
    "a restore time on 30 February",
    (a) => (a.restore = { sourceServerResourceId: SOURCE_SERVER_ID, pointInTimeUtc: "2025-02-30T08:00:00Z" }),
    /`restore.pointInTimeUtc` "2025-02-30T08:00:00Z" is not an ISO 8601 UTC time on a real calendar day/,
  ],
  [
    "a brought key in one vault with keyVaultResourceId of another",
    (a) =>
      (a.encryption = {
        keyUri: "https://other-kv.vault.azure.net/keys/pg-cmk",
        keyVaultResourceId: VAULT_ID,
        geoBackupKeyUri: GEO_KEY_URI,
        geoBackupKeyVaultResourceId: GEO_VAULT_ID,
      }),
    /`encryption.keyUri` "https:\/\/other-kv.vault.azure.net\/keys\/pg-cmk" is in vault "other-kv" but `encryption.keyVaultResourceId` names vault "central-kv"; use the resource id of the vault that holds the key/,
  ],
  // what the policy catalogue refuses (guard.ts): no second copy of these rules in the component
  [
    "the 'allow Azure services' firewall range",
    (a) => publicRules(a, "0.0.0.0", "0.0.0.0"),
    /\[firewall-no-open-ranges\] `network.firewallRules\[0\]` "0.0.0.0-0.0.0.0": /,
  ],
  [
    "a firewall range wider than /24",
    (a) => publicRules(a, "10.0.0.0", "10.0.255.255"),
    /\[firewall-no-open-ranges\] `network.firewallRules\[0\]` "10.0.0.0-10.0.255.255": .*/,
  ],
];

describe("ZeroTrustPostgres argument validation", function () {
  this.timeout(60000);

  it(`covers at least 30 distinct bad inputs (${CASES.length})`, () => {
    assert.ok(CASES.length >= 30);
    assert.equal(new Set(CASES.map((c) => c[0])).size, CASES.length);
  });

  it("accepts the minimal arguments (the table's baseline is valid)", () => {
    assert.doesNotThrow(() => validateArgs("base", minimalArgs()));
  });

  for (const [what, mutate, message] of CASES) {
    it(`refuses ${what}, registering nothing`, async () => {
      const args = tweak(minimalArgs(), mutate);
      const { count, error } = await registrationsDuring(() => new ZeroTrustPostgres("bad", args));
      assert.ok(error instanceof Error, "construction throws");
      assert.ok(pulumi.RunError.isInstance(error), "a RunError, which the CLI prints without a stack trace");
      assert.match((error as Error).message, message);
      assert.match((error as Error).message, /ZeroTrustPostgres "bad"/);
      assert.equal(count, 0, "nothing is registered, not even the component");
    });
  }

  it("refuses a workload whose identity/role name would exceed 63 characters", () => {
    const args = tweak(
      minimalArgs(),
      (a) => (a.workloadIdentities = [{ name: "a".repeat(40), access: "reader" }]),
    );
    assert.throws(
      () => validateArgs("a-long-component-name", args),
      /`workloadIdentities\[0\].name` "a{40}" makes PostgreSQL role "a-long-component-name-a{40}-id" longer than 63 bytes/,
    );
  });

  it("lists every problem at once", () => {
    const args = tweak(minimalArgs(), (a) => {
      a.serverName = "Bad";
      a.backup = { retentionDays: 1 };
      a.tenantId = "x";
    });
    assert.throws(
      () => validateArgs("many", args),
      (e: Error) =>
        /`serverName`/.test(e.message) &&
        /`backup.retentionDays`/.test(e.message) &&
        /`tenantId`/.test(e.message),
    );
  });

  it("refuses a restore time that is not in the past relative to the clock it is given", () => {
    const args = tweak(minimalArgs(), (a) => {
      a.restore = {
        sourceServerResourceId:
          "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/r/providers/Microsoft.DBforPostgreSQL/flexibleServers/s",
        pointInTimeUtc: "2026-01-01T00:00:00Z",
      };
    });
    assert.doesNotThrow(() => validateArgs("pitr", args, new Date("2026-02-01T00:00:00Z")));
    assert.throws(() => validateArgs("pitr", args, new Date("2025-12-01T00:00:00Z")), /is not in the past/);
  });

  describe("Outputs that resolve to a bad value later", () => {
    // Pulumi reports a failed input on every resource that consumes it; collect those reports so they
    // do not leak into other tests, and assert they carry the same message.
    let leaked: unknown[] = [];
    const onLeak = (e: unknown) => leaked.push(e);
    beforeEach(() => {
      leaked = [];
      process.on("unhandledRejection", onLeak);
    });
    afterEach(async () => {
      await settle();
      await new Promise((r) => setTimeout(r, 50));
      process.off("unhandledRejection", onLeak);
    });

    it("fails the private endpoint and privateEndpointIp for a bad subnet id", async () => {
      const b = await build(
        "ztol",
        tweak(minimalArgs(), (a) => (a.network.privateEndpointSubnetResourceId = pulumi.output("subnet-1"))),
      );
      await assert.rejects(
        promiseOf(b.component.privateEndpointIp!),
        /`network.privateEndpointSubnetResourceId` "subnet-1" is not a subnet resource id; use \/subscriptions/,
      );
      assert.equal(
        b.ofType("azure-native:network:PrivateEndpoint").length,
        0,
        "no endpoint into an unknown subnet",
      );
      assert.ok(
        b.ofType("azure-native:dbforpostgresql:Server").length === 1,
        "unrelated children still register",
      );
    });

    it("fails keyUri and the server for a versioned brought key", async () => {
      const b = await build(
        "ztok",
        tweak(minimalArgs(), (a) => {
          a.encryption = {
            keyUri: pulumi.output(`${KEY_URI}/0123456789abcdef0123456789abcdef`),
            keyVaultResourceId: VAULT_ID,
          };
          a.backup = { geoRedundantBackup: false };
        }),
      );
      await assert.rejects(promiseOf(b.component.keyUri), /`encryption.keyUri` ".*" names a key version/);
      assert.equal(
        b.ofType("azure-native:dbforpostgresql:Server").length,
        0,
        "no server with a key it cannot rotate",
      );
    });

    it("fails workspaceId for a brought workspace id of the wrong type", async () => {
      const b = await build(
        "ztow",
        tweak(
          minimalArgs(),
          (a) => (a.monitoring = { logAnalyticsWorkspaceResourceId: pulumi.output(VAULT_ID) }),
        ),
      );
      await assert.rejects(
        promiseOf(b.component.workspaceId),
        /`monitoring.logAnalyticsWorkspaceResourceId` ".*vaults\/central-kv" is not a workspace resource id/,
      );
      assert.equal(
        b.ofType("azure-native:monitor:DiagnosticSetting").filter((d) => d.name === "ztow-server-diag")
          .length,
        0,
      );
    });

    it("does not federate an identity with an http issuer, and fails the connection output", async () => {
      const b = await build(
        "ztoi",
        tweak(minimalArgs(), (a) => {
          a.workloadIdentities = [
            {
              name: "api",
              access: "reader",
              aks: { issuerUrl: pulumi.output("http://issuer"), namespace: "api", serviceAccount: "api" },
            },
          ];
        }),
      );
      await settle();
      assert.equal(b.ofType("azure-native:managedidentity:FederatedIdentityCredential").length, 0);
      assert.ok(
        b.ofType("azure-native:managedidentity:UserAssignedIdentity").some((r) => r.name === "ztoi-api-id"),
      );
      await assert.rejects(
        promiseOf(b.component.connection),
        /`workloadIdentities\[0\].aks.issuerUrl` "http:\/\/issuer" is not an https URL/,
      );
    });
  });
});
