// Compliant "happy" resources for the rule tests, one per type and provider. Each failing test case
// starts from one of these and changes one field.

import { getRule } from "../../policies/rules";
import type { ResourceRule, RuleConfig, RuleId, StackResourceView } from "../../policies/rules";

export const TENANT = "00000000-0000-4000-8000-0000000000aa";
export const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
export const RG = "rg-zt";
export const SERVER_NAME = "pg-zt";
export const SERVER_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${SERVER_NAME}`;
export const VAULT_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-zt`;
export const IDENTITY_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pg`;
export const GEO_IDENTITY_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pg-geo`;
export const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/law-zt`;

export const T = {
  server: "azure-native:dbforpostgresql:Server",
  classicServer: "azure:postgresql/flexibleServer:FlexibleServer",
  config: "azure-native:dbforpostgresql:Configuration",
  classicConfig: "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
  singleConfig: "azure-native:dbforpostgresql:SingleServerConfiguration",
  firewall: "azure-native:dbforpostgresql:FirewallRule",
  classicFirewall: "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
  singleFirewall: "azure-native:dbforpostgresql:SingleServerFirewallRule",
  classicSingleFirewall: "azure:postgresql/firewallRule:FirewallRule",
  single: "azure-native:dbforpostgresql:SingleServer",
  classicSingle: "azure:postgresql/server:Server",
  vault: "azure-native:keyvault:Vault",
  classicVault: "azure:keyvault/keyVault:KeyVault",
  key: "azure-native:keyvault:Key",
  classicKey: "azure:keyvault/key:Key",
  endpoint: "azure-native:network:PrivateEndpoint",
  classicEndpoint: "azure:privatelink/endpoint:Endpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  diag: "azure-native:monitor:DiagnosticSetting",
  classicDiag: "azure:monitoring/diagnosticSetting:DiagnosticSetting",
  admin: "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
  classicAdmin:
    "azure:postgresql/flexibleServerActiveDirectoryAdministrator:FlexibleServerActiveDirectoryAdministrator",
  generic: "azure-native:resources:Resource",
  atp: "azure-native:security:AdvancedThreatProtection",
  classicAtp: "azure:securitycenter/advancedThreatProtection:AdvancedThreatProtection",
  pricing: "azure-native:security:Pricing",
  classicPricing: "azure:securitycenter/subscriptionPricing:SubscriptionPricing",
  lockByScope: "azure-native:authorization:ManagementLockByScope",
  lockAtResource: "azure-native:authorization:ManagementLockAtResourceLevel",
  lockAtGroup: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
  classicLock: "azure:management/lock:Lock",
} as const;

export type Props = Record<string, unknown>;

/** A deep copy, so a case's change never leaks into the next case. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A copy of `props` with `path` set to `value` (or deleted when value is undefined). */
export function withPath(props: Props, path: string, value: unknown): Props {
  const out = clone(props);
  const keys = path.split(".");
  let cur: Record<string, unknown> = out;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return out;
}

export const happy = {
  server: {
    resourceGroupName: RG,
    serverName: SERVER_NAME,
    location: "westeurope",
    version: "17",
    sku: { name: "Standard_D2ds_v5", tier: "GeneralPurpose" },
    availabilityZone: "1",
    authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: TENANT },
    network: { publicNetworkAccess: "Disabled" },
    dataEncryption: {
      type: "AzureKeyVault",
      primaryKeyURI: "https://kv-zt.vault.azure.net/keys/cmk",
      primaryUserAssignedIdentityId: IDENTITY_ID,
      geoBackupKeyURI: "https://kv-zt-geo.vault.azure.net/keys/cmk",
      geoBackupUserAssignedIdentityId: GEO_IDENTITY_ID,
    },
    identity: { type: "UserAssigned", userAssignedIdentities: { [IDENTITY_ID]: {}, [GEO_IDENTITY_ID]: {} } },
    backup: { backupRetentionDays: 35, geoRedundantBackup: "Enabled" },
    highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" },
  } as Props,
  classicServer: {
    name: SERVER_NAME,
    resourceGroupName: RG,
    location: "westeurope",
    version: "17",
    skuName: "GP_Standard_D2ds_v5",
    zone: "1",
    publicNetworkAccessEnabled: false,
    authentication: { activeDirectoryAuthEnabled: true, passwordAuthEnabled: false, tenantId: TENANT },
    customerManagedKey: {
      keyVaultKeyId: "https://kv-zt.vault.azure.net/keys/cmk/0123456789abcdef",
      primaryUserAssignedIdentityId: IDENTITY_ID,
      geoBackupKeyVaultKeyId: "https://kv-zt-geo.vault.azure.net/keys/cmk/0123456789abcdef",
      geoBackupUserAssignedIdentityId: GEO_IDENTITY_ID,
    },
    identity: { type: "UserAssigned", identityIds: [IDENTITY_ID, GEO_IDENTITY_ID] },
    backupRetentionDays: 35,
    geoRedundantBackupEnabled: true,
    highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" },
  } as Props,
  vault: {
    resourceGroupName: RG,
    vaultName: "kv-zt",
    location: "westeurope",
    properties: {
      tenantId: TENANT,
      sku: { family: "A", name: "premium" },
      enablePurgeProtection: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: true,
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
    },
  } as Props,
  classicVault: {
    name: "kv-zt",
    resourceGroupName: RG,
    location: "westeurope",
    tenantId: TENANT,
    skuName: "premium",
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: 90,
    rbacAuthorizationEnabled: true,
    publicNetworkAccessEnabled: false,
    networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
  } as Props,
  key: {
    resourceGroupName: RG,
    vaultName: "kv-zt",
    keyName: "cmk",
    properties: {
      kty: "RSA-HSM",
      keySize: 3072,
      keyOps: ["wrapKey", "unwrapKey"],
      // 2027-12-01T00:00:00Z: the current version expires.
      attributes: { expires: 1827619200 },
      rotationPolicy: {
        attributes: { expiryTime: "P1Y" },
        lifetimeActions: [
          { action: { type: "Rotate" }, trigger: { timeAfterCreate: "P6M" } },
          { action: { type: "Notify" }, trigger: { timeBeforeExpiry: "P30D" } },
        ],
      },
    },
  } as Props,
  classicKey: {
    name: "cmk",
    keyVaultId: VAULT_ID,
    keyType: "RSA-HSM",
    keySize: 3072,
    keyOpts: ["wrapKey", "unwrapKey"],
    expirationDate: "2027-12-01T00:00:00Z",
    rotationPolicy: {
      expireAfter: "P1Y",
      notifyBeforeExpiry: "P30D",
      automatic: { timeAfterCreation: "P6M" },
    },
  } as Props,
  firewall: {
    resourceGroupName: RG,
    serverName: SERVER_NAME,
    firewallRuleName: "office",
    startIpAddress: "203.0.113.0",
    endIpAddress: "203.0.113.255",
  } as Props,
  classicFirewall: {
    name: "office",
    serverId: SERVER_ID,
    startIpAddress: "203.0.113.0",
    endIpAddress: "203.0.113.255",
  } as Props,
  single: {
    resourceGroupName: RG,
    serverName: "pg-single",
    properties: {
      createMode: "Default",
      administratorLogin: "admin",
      sslEnforcement: "Enabled",
      minimalTlsVersion: "TLS1_2",
      publicNetworkAccess: "Disabled",
    },
  } as Props,
  classicSingle: {
    name: "pg-single",
    resourceGroupName: RG,
    skuName: "GP_Gen5_4",
    version: "11",
    sslEnforcementEnabled: true,
    sslMinimalTlsVersionEnforced: "TLS1_2",
    publicNetworkAccessEnabled: false,
  } as Props,
};

/** A server parameter resource in either provider's shape. */
export function parameter(name: string, value: unknown, classic = false): { type: string; props: Props } {
  return classic
    ? { type: T.classicConfig, props: { name, value, serverId: SERVER_ID } }
    : {
        type: T.config,
        props: {
          configurationName: name,
          value,
          source: "user-override",
          serverName: SERVER_NAME,
          resourceGroupName: RG,
        },
      };
}

/** The component's compliant parameter set. */
export const HAPPY_PARAMETERS: [string, string][] = [
  ["require_secure_transport", "on"],
  ["ssl_min_protocol_version", "TLSv1.3"],
  ["log_connections", "on"],
  ["log_disconnections", "on"],
  ["log_checkpoints", "on"],
  ["connection_throttle.enable", "on"],
  ["logfiles.retention_days", "7"],
  ["pgaudit.log", "role,ddl,misc"],
];

/** Runs one rule's check with its defaults merged with `config`. */
export function run(ruleId: RuleId, type: string, props: Props, config: RuleConfig = {}): string[] {
  const rule = getRule(ruleId) as ResourceRule;
  const defaults: RuleConfig = {};
  for (const [k, p] of Object.entries(rule.config)) defaults[k] = p.default;
  return rule.check(
    { type, props, name: "res", urn: `urn:pulumi:dev::zt::${type}::res` },
    { ...defaults, ...config },
  );
}

/** The URN the stack fixtures give a resource. */
export const urn = (type: string, name: string) => `urn:pulumi:dev::zt::${type}::${name}`;

/** A stack resource view with a URN, no dependencies, and any extra fields. */
export function stackResource(
  type: string,
  name: string,
  props: Props,
  extra: Partial<StackResourceView> = {},
): StackResourceView {
  return { type, name, urn: urn(type, name), props: clone(props), dependencies: [], ...extra };
}

/**
 * The server parameters a compliant stack declares, as [name suffix, parameter, value]: pgaudit loaded
 * and auditing role and ddl (postgres-effective-parameters), and server logs kept 7 days and throttling
 * on, where Azure's defaults (3 days, off) fall short of postgres-effective-log-parameters.
 */
export const COMPLIANT_PARAMETERS = [
  ["preload", "shared_preload_libraries", "pg_stat_statements,pgaudit"],
  ["audit", "pgaudit.log", "role,ddl,misc"],
  ["log-retention", "logfiles.retention_days", "7"],
  ["throttle", "connection_throttle.enable", "on"],
] as const;

/** A compliant azure-native stack where every child names its target by id or name. */
export function happyStack(): StackResourceView[] {
  return [
    stackResource(T.server, "pg", happy.server, { id: SERVER_ID }),
    stackResource(T.vault, "kv", happy.vault, { id: VAULT_ID }),
    stackResource(T.endpoint, "pe", {
      resourceGroupName: RG,
      privateEndpointName: "pe-pg",
      subnet: { id: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s` },
      privateLinkServiceConnections: [
        { name: "pg", privateLinkServiceId: SERVER_ID, groupIds: ["postgresqlServer"] },
      ],
    }),
    stackResource(T.zoneGroup, "pe-dns", {
      resourceGroupName: RG,
      privateEndpointName: "pe-pg",
      privateDnsZoneConfigs: [{ name: "pg", privateDnsZoneId: "zone" }],
    }),
    stackResource(T.diag, "pg-diag", {
      resourceUri: SERVER_ID,
      workspaceId: WORKSPACE_ID,
      logs: [{ categoryGroup: "allLogs", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    }),
    stackResource(T.diag, "kv-diag", {
      resourceUri: VAULT_ID,
      workspaceId: WORKSPACE_ID,
      logs: [{ categoryGroup: "audit", enabled: true }],
    }),
    stackResource(T.admin, "pg-admin", {
      resourceGroupName: RG,
      serverName: SERVER_NAME,
      objectId: "00000000-0000-4000-8000-0000000000bb",
      principalName: "pg-admins",
      principalType: "Group",
    }),
    stackResource(T.generic, "pg-atp", {
      resourceGroupName: RG,
      resourceProviderNamespace: "Microsoft.DBforPostgreSQL",
      parentResourcePath: `flexibleServers/${SERVER_NAME}`,
      resourceType: "advancedThreatProtectionSettings",
      resourceName: "Default",
      apiVersion: "2025-08-01",
      properties: { state: "Enabled" },
    }),
    stackResource(T.lockByScope, "pg-lock", { scope: SERVER_ID, level: "CanNotDelete" }),
    stackResource(T.lockByScope, "kv-lock", { scope: VAULT_ID, level: "CanNotDelete" }),
    ...COMPLIANT_PARAMETERS.map(([suffix, configurationName, value]) =>
      stackResource(T.config, `pg-${suffix}`, {
        resourceGroupName: RG,
        serverName: SERVER_NAME,
        configurationName,
        value,
        source: "user-override",
      }),
    ),
  ];
}
