// The argument fields of ZeroTrustPostgres as one declarative table: type, range or enum, required
// or forbidden per network mode, the resource-id kind of every id field (each listed once), and the
// properties Azure fixes at creation (create-only.ts reads them from here).
//
// One mechanism checks the table: `checkFields` for plain values at construction, and `gateInputs`
// for `Input`s that are still Outputs, which are checked when they resolve (the eks `validatedInput`
// pattern). Cross-field rules (one field against another) live in validate.ts; zero-trust rules live
// in policies/rules and are bound in binding.ts.

import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import type { ZeroTrustPostgresArgs } from "./args";
import {
  BackupDay,
  BackupImmutability,
  DatabaseAccess,
  HighAvailabilityMode,
  KeyType,
  LogTableMode,
  NetworkMode,
  PimApproverType,
  PostgresVersion,
  PrincipalType,
  RestoreMode,
  SkuTier,
  StorageType,
  TlsVersion,
} from "./args";
import { LIMITS } from "./binding";
import {
  canonicalRegion,
  POSTGRES_PRIVATELINK_ZONE,
  POSTGRES_ZONE_SUFFIX,
  KEYVAULT_PRIVATELINK_ZONE,
} from "./defaults";
import { validatePgauditLog } from "./parameters";
import { NO_AVAILABILITY_ZONE } from "./region-checks";

// ---- How values are shown ------------------------------------------------------------------------

/** Shows a value in a message: strings quoted, numbers as written (NaN stays NaN), the rest as JSON. */
export function show(v: unknown): string {
  if (pulumi.Output.isInstance(v)) return "<output>";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 400 ? s.slice(0, 397) + "..." : s;
  } catch {
    return String(v);
  }
}

/** What a message shows in place of a secret value. */
export const SECRET = "(secret)";

function quoteAll(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ");
}

// ---- Name rules and resource-id kinds -------------------------------------------------------------

/** ARM name rules of the types we emit (../shared/reference/azure-arm-types/trees). */
export const NAME_RULES = {
  /** The component's own name: it prefixes child names (workspace `<name>-logs` is the strictest). */
  component: {
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,38}[a-zA-Z0-9])?$/,
    text: "1-40 letters, digits and hyphens, starting and ending with a letter or digit",
  },
  /** Microsoft.DBforPostgreSQL/flexibleServers: 3-63, lowercase letters, digits, inner hyphens. */
  server: {
    pattern: /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/,
    text: "3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
  },
  /** Microsoft.KeyVault/vaults: 3-24, starts with a letter, no `--`, not ending with a hyphen. */
  vault: {
    pattern: /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/,
    text: "3-24 letters, digits and hyphens, starting with a letter, not ending with a hyphen, no consecutive hyphens",
  },
  /** Microsoft.KeyVault/vaults/keys. */
  key: { pattern: /^[a-zA-Z0-9-]{1,127}$/, text: "1-127 letters, digits and hyphens" },
  /** Microsoft.ManagedIdentity/userAssignedIdentities (the component appends `-id` to `<component>-<name>`). */
  identity: {
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/,
    text: "3-128 letters, digits, hyphens and underscores, starting with a letter or digit",
  },
  /** Workload short names: they become identity names and PostgreSQL roles. */
  workload: {
    pattern: /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    text: "1-40 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen",
  },
  /** Microsoft.DBforPostgreSQL/flexibleServers/firewallRules. */
  firewallRule: {
    pattern: /^[a-zA-Z0-9](?:[-_a-zA-Z0-9]{0,78}[_a-zA-Z0-9])?$/,
    text: "1-80 letters, digits, '-' and '_', starting with a letter or digit, not ending with '-'",
  },
  /** Microsoft.DBforPostgreSQL/flexibleServers/databases. */
  database: {
    pattern: /^[a-zA-Z_][\w-]{0,62}$/,
    text: "1-63 letters, digits, '_' and '-', starting with a letter or '_'",
  },
  /** PostgreSQL identifiers the bootstrap script creates (schema). */
  schema: {
    pattern: /^[a-z_][a-z0-9_]{0,62}$/,
    text: "1-63 lowercase letters, digits and '_', starting with a letter or '_'",
  },
  /** Entra display names used as PostgreSQL role names: printable, no double quote. */
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  role: { pattern: /^[^\u0000-\u001f\u007f"]{1,63}$/, text: "1-63 printable characters without '\"'" },
  /** Password administrator login. */
  login: {
    pattern: /^[a-z_][a-z0-9_]{0,62}$/,
    text: "1-63 lowercase letters, digits and '_', starting with a letter or '_'",
  },
  /** Resource group names. */
  resourceGroup: {
    pattern: /^[-\w._()]{0,89}[-\w_()]$/,
    text: "1-90 letters, digits, '-', '_', '.', '(' and ')', not ending with '.'",
  },
  /** Kubernetes namespace (DNS label). */
  namespace: {
    pattern: /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/,
    text: "a DNS label: 1-63 lowercase letters, digits and '-'",
  },
  /** Kubernetes service account (DNS subdomain). */
  serviceAccount: {
    pattern: /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/,
    text: "a DNS subdomain: 1-253 lowercase letters, digits, '-' and '.'",
  },
  /** Subnet and VNet names. */
  networkName: {
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$/,
    text: "1-80 letters, digits, '_', '.' and '-', starting with a letter or digit",
  },
  /** Replica short names: they prefix the replica's child names and its generated vault name. */
  replica: {
    pattern: /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/,
    text: "1-20 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
  },
  /** Microsoft.DBforPostgreSQL/flexibleServers/virtualendpoints: 3-63, not ending with a hyphen. */
  virtualEndpoint: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]{1,61}[A-Za-z0-9]$/,
    text: "3-63 letters, digits and hyphens, starting and ending with a letter or digit",
  },
  /** Flexible Server SKU names. */
  sku: {
    pattern: /^Standard_[BDE][A-Za-z0-9_]+$/,
    text: 'a Flexible Server SKU such as "Standard_D2ds_v5" (GeneralPurpose), "Standard_E4ds_v5" (MemoryOptimized) or "Standard_B1ms" (Burstable)',
  },
} as const;
export type NameRule = (typeof NAME_RULES)[keyof typeof NAME_RULES];

const ID_PREFIX = "^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/";
function idKind(type: string, example: string) {
  return { pattern: new RegExp(`${ID_PREFIX}${type.replace(/\./g, "\\.")}/[^/]+$`, "i"), example };
}

/** The kinds of resource id the component accepts, with the ARM type each must name. */
export const RESOURCE_ID_KINDS = {
  subnet: {
    pattern: new RegExp(`${ID_PREFIX}Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+$`, "i"),
    example:
      "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
  },
  virtualNetwork: idKind(
    "Microsoft.Network/virtualNetworks",
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>",
  ),
  privateDnsZone: idKind(
    "Microsoft.Network/privateDnsZones",
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>",
  ),
  workspace: idKind(
    "Microsoft.OperationalInsights/workspaces",
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>",
  ),
  vault: idKind(
    "Microsoft.KeyVault/vaults",
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>",
  ),
  server: idKind(
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.DBforPostgreSQL/flexibleServers/<name>",
  ),
  actionGroup: idKind(
    "Microsoft.Insights/actionGroups",
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Insights/actionGroups/<name>",
  ),
} as const;
export type ResourceIdKind = keyof typeof RESOURCE_ID_KINDS;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ZONES = ["1", "2", "3"] as const;

// ---- The kinds of check ---------------------------------------------------------------------------

/** What a field holds. */
export type FieldType =
  | { kind: "enum"; values: readonly string[] }
  | { kind: "int"; min: number; max: number }
  | { kind: "oneOf"; values: readonly number[] }
  | { kind: "bool" }
  | { kind: "name"; rule: NameRule }
  | { kind: "guid" }
  | { kind: "region" }
  | { kind: "resourceId"; resource: ResourceIdKind; zone?: "postgres" | "vault" }
  | { kind: "keyUri" }
  | { kind: "issuerUrl" }
  | { kind: "cidr"; min: number; max: number }
  | { kind: "ipv4" }
  | { kind: "zoneName" }
  | { kind: "pgauditLog" }
  | { kind: "utcTime" }
  | { kind: "list" }
  | { kind: "object" }
  | { kind: "map" };

/** One argument field. */
export interface Field {
  /** Argument path; `[]` stands for every element of a list, e.g. `personas[].objectId`. */
  path: string;
  type: FieldType;
  /** An `Input`: may be an Output, checked when it resolves. Other fields must be plain values. */
  input?: true;
  /** Required (within its parent object, when the parent is given); or only in that network mode. */
  required?: true | NetworkMode;
  /** Allowed only in this network mode (refused in the other). */
  only?: NetworkMode;
  /** The server input Azure fixes at creation that this argument decides (create-only.ts). */
  createOnly?: string;
  /** What to set, for "is required" messages, when the type alone does not say it. */
  hint?: string;
}

const e = (o: Record<string, string>): FieldType => ({ kind: "enum", values: Object.values(o) });
const int = (min: number, max: number): FieldType => ({ kind: "int", min, max });
const name = (rule: NameRule): FieldType => ({ kind: "name", rule });
const id = (resource: ResourceIdKind, zone?: "postgres" | "vault"): FieldType => ({
  kind: "resourceId",
  resource,
  zone,
});
const PE = NetworkMode.PrivateEndpoint;
const VNET = NetworkMode.VnetIntegration;

/** Every argument field, in the order of args.ts. Each resource-id field is listed once. */
export const FIELDS: readonly Field[] = [
  {
    path: "resourceGroupName",
    type: name(NAME_RULES.resourceGroup),
    input: true,
    required: true,
    hint: "pass the resource group's name",
  },
  { path: "location", type: { kind: "region" }, input: true },
  { path: "tenantId", type: { kind: "guid" }, required: true },
  { path: "serverName", type: name(NAME_RULES.server), createOnly: "serverName" },
  { path: "version", type: e(PostgresVersion) },
  { path: "skuName", type: name(NAME_RULES.sku) },
  { path: "skuTier", type: e(SkuTier) },
  { path: "storageSizeGb", type: int(32, 65536) },
  { path: "storageAutoGrow", type: { kind: "bool" } },
  { path: "storageType", type: e(StorageType) },
  { path: "storageIops", type: int(3000, 80000) },
  { path: "storageThroughputMBps", type: int(125, 1200) },
  // "none" leaves Azure's availabilityZone unset, for regions without zones (region-checks.ts).
  {
    path: "availabilityZone",
    type: { kind: "enum", values: [...ZONES, NO_AVAILABILITY_ZONE] },
    createOnly: "availabilityZone",
  },
  { path: "highAvailability", type: e(HighAvailabilityMode) },
  { path: "standbyAvailabilityZone", type: { kind: "enum", values: ZONES } },
  { path: "administrators", type: { kind: "list" } },
  { path: "administrators[]", type: { kind: "object" } },
  { path: "administrators[].objectId", type: { kind: "guid" }, required: true },
  { path: "administrators[].principalName", type: name(NAME_RULES.role), required: true },
  { path: "administrators[].principalType", type: e(PrincipalType) },
  { path: "databaseName", type: name(NAME_RULES.database) },
  { path: "schemaName", type: name(NAME_RULES.schema) },
  { path: "personas", type: { kind: "list" } },
  { path: "personas[]", type: { kind: "object" } },
  { path: "personas[].groupName", type: name(NAME_RULES.role), required: true },
  // Required unless `pim` is set; access.ts says which (the table has no "one of" requirement).
  { path: "personas[].objectId", type: { kind: "guid" } },
  { path: "personas[].access", type: e(DatabaseAccess), required: true },
  { path: "personas[].requireMfa", type: { kind: "bool" } },
  // The PIM settings' ranges that are not plain integers (half-hour activations, object-id lists)
  // are checked in pim.ts, which names the same paths.
  { path: "personas[].pim", type: { kind: "object" } },
  { path: "personas[].pim.eligiblePrincipalIds", type: { kind: "list" } },
  { path: "personas[].pim.eligiblePrincipalIds[]", type: { kind: "guid" } },
  { path: "personas[].pim.approverIds", type: { kind: "list" } },
  { path: "personas[].pim.approverIds[]", type: { kind: "guid" } },
  { path: "personas[].pim.approverType", type: e(PimApproverType) },
  { path: "personas[].pim.requireApproval", type: { kind: "bool" } },
  { path: "personas[].pim.requireJustification", type: { kind: "bool" } },
  { path: "personas[].pim.requireMfaOnActivation", type: { kind: "bool" } },
  { path: "personas[].pim.eligibilityDays", type: int(1, 365) },
  { path: "personas[].pim.notificationRecipients", type: { kind: "list" } },
  { path: "personas[].pim.ownerIds", type: { kind: "list" } },
  { path: "personas[].pim.ownerIds[]", type: { kind: "guid" } },
  { path: "workloadIdentities", type: { kind: "list" } },
  { path: "workloadIdentities[]", type: { kind: "object" } },
  { path: "workloadIdentities[].name", type: name(NAME_RULES.workload), required: true },
  { path: "workloadIdentities[].access", type: e(DatabaseAccess), required: true },
  { path: "workloadIdentities[].aks", type: { kind: "object" } },
  {
    path: "workloadIdentities[].aks.issuerUrl",
    type: { kind: "issuerUrl" },
    input: true,
    required: true,
  },
  { path: "workloadIdentities[].aks.namespace", type: name(NAME_RULES.namespace), required: true },
  {
    path: "workloadIdentities[].aks.serviceAccount",
    type: name(NAME_RULES.serviceAccount),
    required: true,
  },
  // Issuers, subjects and repositories are checked in devops.ts, which names the same paths.
  { path: "ciIdentities", type: { kind: "list" } },
  { path: "ciIdentities[]", type: { kind: "object" } },
  { path: "ciIdentities[].name", type: name(NAME_RULES.workload), required: true },
  { path: "ciIdentities[].access", type: e(DatabaseAccess) },
  { path: "ciIdentities[].federations", type: { kind: "list" }, required: true },
  { path: "ciIdentities[].federations[]", type: { kind: "object" } },
  { path: "breakGlassAdministrator", type: { kind: "object" } },
  { path: "breakGlassAdministrator.objectId", type: { kind: "guid" }, required: true },
  { path: "breakGlassAdministrator.principalName", type: name(NAME_RULES.role), required: true },
  { path: "breakGlassAdministrator.principalType", type: e(PrincipalType) },
  { path: "allowPasswordAuth", type: { kind: "bool" } },
  { path: "administratorLogin", type: name(NAME_RULES.login) },
  {
    path: "network",
    type: { kind: "object" },
    required: true,
    hint: 'set `network.privateEndpointSubnetResourceId` (privateEndpoint mode) or `network.mode: "vnetIntegration"` with a delegated subnet',
  },
  {
    path: "network.mode",
    type: e(NetworkMode),
    createOnly: "network.delegatedSubnetResourceId",
  },
  {
    path: "network.privateEndpointSubnetResourceId",
    type: id("subnet"),
    input: true,
    required: PE,
    only: PE,
    hint: "use the id of the subnet that holds the private endpoints",
  },
  { path: "network.delegatedSubnetResourceId", type: id("subnet"), input: true, only: VNET },
  { path: "network.delegatedSubnetAddressPrefix", type: { kind: "cidr", min: 8, max: 28 }, only: VNET },
  { path: "network.virtualNetworkName", type: name(NAME_RULES.networkName), input: true, only: VNET },
  {
    path: "network.virtualNetworkResourceGroupName",
    type: name(NAME_RULES.resourceGroup),
    input: true,
    only: VNET,
  },
  { path: "network.privateDnsZoneResourceId", type: id("privateDnsZone", "postgres"), input: true },
  { path: "network.privateDnsZoneName", type: { kind: "zoneName" }, only: VNET },
  { path: "network.linkedVirtualNetworkResourceIds", type: { kind: "list" } },
  { path: "network.linkedVirtualNetworkResourceIds[]", type: id("virtualNetwork"), input: true },
  { path: "network.keyVaultPrivateDnsZoneResourceId", type: id("privateDnsZone", "vault"), input: true },
  // The vaults' endpoint subnet in vnetIntegration mode (validate.ts says when one is required). /29 is
  // the smallest IPv4 subnet Azure supports
  // (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq, read 2026-11-30).
  {
    path: "network.keyVaultPrivateEndpointSubnetResourceId",
    type: id("subnet"),
    input: true,
    only: VNET,
  },
  { path: "network.keyVaultSubnetAddressPrefix", type: { kind: "cidr", min: 8, max: 29 }, only: VNET },
  { path: "network.allowPublicAccess", type: { kind: "bool" } },
  { path: "network.firewallRules", type: { kind: "list" } },
  { path: "network.firewallRules[]", type: { kind: "object" } },
  { path: "network.firewallRules[].name", type: name(NAME_RULES.firewallRule), required: true },
  { path: "network.firewallRules[].startIpAddress", type: { kind: "ipv4" }, required: true },
  { path: "network.firewallRules[].endIpAddress", type: { kind: "ipv4" }, required: true },
  {
    path: "network.firewallMinimumPrefixLength",
    type: int(LIMITS.firewallPrefixLength.min, LIMITS.firewallPrefixLength.max),
  },
  { path: "encryption", type: { kind: "object" }, createOnly: "dataEncryption.type" },
  { path: "encryption.keyVaultName", type: name(NAME_RULES.vault) },
  { path: "encryption.keyName", type: name(NAME_RULES.key) },
  { path: "encryption.geoBackupKeyVaultName", type: name(NAME_RULES.vault) },
  { path: "encryption.keyType", type: e(KeyType) },
  { path: "encryption.keySize", type: { kind: "oneOf", values: LIMITS.rsaKeySizes } },
  { path: "encryption.keyExpiryDays", type: int(30, 730) },
  { path: "encryption.keyRotationDays", type: int(7, 729) },
  { path: "encryption.keyUri", type: { kind: "keyUri" }, input: true },
  { path: "encryption.keyVaultResourceId", type: id("vault"), input: true },
  { path: "encryption.geoBackupLocation", type: { kind: "region" } },
  { path: "encryption.geoBackupKeyUri", type: { kind: "keyUri" }, input: true },
  { path: "encryption.geoBackupKeyVaultResourceId", type: id("vault"), input: true },
  { path: "minimumTlsVersion", type: e(TlsVersion) },
  { path: "monitoring", type: { kind: "object" } },
  { path: "monitoring.logAnalyticsWorkspaceResourceId", type: id("workspace"), input: true },
  { path: "monitoring.workspaceRetentionDays", type: int(30, 730) },
  { path: "monitoring.pgauditLog", type: { kind: "pgauditLog" } },
  {
    path: "monitoring.logRetentionDays",
    type: int(LIMITS.logRetentionDays.min, LIMITS.logRetentionDays.max),
  },
  { path: "monitoring.actionGroupResourceId", type: id("actionGroup"), input: true },
  { path: "monitoring.failedLoginThreshold", type: int(1, 1000) },
  { path: "monitoring.logTableMode", type: e(LogTableMode) },
  // The authorization rule id and hub name are checked in validate.ts (diagnostics.ts).
  { path: "monitoring.eventHub", type: { kind: "object" } },
  { path: "monitoring.alerts", type: { kind: "bool" } },
  { path: "backup", type: { kind: "object" } },
  {
    path: "backup.retentionDays",
    type: int(LIMITS.backupRetentionDays.min, LIMITS.backupRetentionDays.max),
  },
  {
    path: "backup.geoRedundantBackup",
    type: { kind: "bool" },
    createOnly: "backup.geoRedundantBackup",
  },
  { path: "restore", type: { kind: "object" } },
  { path: "restore.mode", type: e(RestoreMode) },
  { path: "restore.sourceServerResourceId", type: id("server"), input: true, required: true },
  // Required except with GeoRestore, where it is refused (validate.ts: one field against another).
  { path: "restore.pointInTimeUtc", type: { kind: "utcTime" } },
  // Names and versions are checked against Azure's extension list in validate.ts (extensions.ts).
  { path: "extensions", type: { kind: "list" } },
  // Names, values and guarded parameters are checked in validate.ts (extensions.ts).
  { path: "serverParameters", type: { kind: "list" } },
  { path: "serverParameters[]", type: { kind: "object" } },
  { path: "maintenanceWindow", type: { kind: "object" } },
  {
    path: "maintenanceWindow.dayOfWeek",
    type: int(0, 6),
    required: true,
    hint: "use 0 (Sunday) to 6 (Saturday)",
  },
  { path: "maintenanceWindow.startHour", type: int(0, 23) },
  { path: "maintenanceWindow.startMinute", type: int(0, 59) },
  // Principal and role ids are checked in validate.ts (rbac.ts); privileged roles by the bound rule.
  { path: "roleAssignments", type: { kind: "list" } },
  { path: "roleAssignments[]", type: { kind: "object" } },
  { path: "roleAssignments[].principalType", type: e(PrincipalType) },
  { path: "allowPrivilegedRoles", type: { kind: "bool" } },
  // The vault name is checked in validate.ts (backup-vault.ts).
  { path: "longTermBackup", type: { kind: "object" } },
  { path: "longTermBackup.backupDay", type: e(BackupDay) },
  { path: "longTermBackup.backupHourUtc", type: int(0, 23) },
  { path: "longTermBackup.retentionMonths", type: int(1, 120) },
  { path: "longTermBackup.immutability", type: e(BackupImmutability) },
  {
    path: "longTermBackup.softDeleteRetentionDays",
    type: int(LIMITS.backupSoftDeleteDays.min, LIMITS.backupSoftDeleteDays.max),
  },
  { path: "longTermBackup.geoRedundant", type: { kind: "bool" } },
  { path: "databases", type: { kind: "list" } },
  { path: "databases[]", type: { kind: "object" } },
  { path: "databases[].databaseName", type: name(NAME_RULES.database), required: true },
  { path: "databases[].schemaName", type: name(NAME_RULES.schema) },
  { path: "databases[].grants", type: { kind: "list" } },
  { path: "databases[].grants[]", type: { kind: "object" } },
  { path: "databases[].grants[].principal", type: name(NAME_RULES.role), required: true },
  { path: "databases[].grants[].access", type: e(DatabaseAccess), required: true },
  // Replicas against each other and the primary (names that collide, regions and subnets, the key
  // pair) are checked in validate.ts (replicas.ts).
  { path: "replicas", type: { kind: "list" } },
  { path: "replicas[]", type: { kind: "object" } },
  { path: "replicas[].name", type: name(NAME_RULES.replica), required: true },
  { path: "replicas[].location", type: { kind: "region" } },
  { path: "replicas[].serverName", type: name(NAME_RULES.server) },
  { path: "replicas[].availabilityZone", type: { kind: "enum", values: ZONES } },
  { path: "replicas[].skuName", type: name(NAME_RULES.sku) },
  { path: "replicas[].privateEndpointSubnetResourceId", type: id("subnet"), input: true, only: PE },
  {
    path: "replicas[].delegatedSubnetResourceId",
    type: id("subnet"),
    input: true,
    required: VNET,
    only: VNET,
    hint: "use a subnet in the replica's region delegated to Microsoft.DBforPostgreSQL/flexibleServers",
  },
  { path: "replicas[].keyVaultPrivateEndpointSubnetResourceId", type: id("subnet"), input: true, only: VNET },
  { path: "replicas[].keyVaultName", type: name(NAME_RULES.vault) },
  { path: "replicas[].keyUri", type: { kind: "keyUri" }, input: true },
  { path: "replicas[].keyVaultResourceId", type: id("vault"), input: true },
  { path: "virtualEndpoint", type: { kind: "object" } },
  { path: "virtualEndpoint.name", type: name(NAME_RULES.virtualEndpoint) },
  { path: "virtualEndpoint.readReplica", type: name(NAME_RULES.replica) },
  { path: "protect", type: { kind: "bool" } },
  { path: "automaticRestart", type: { kind: "bool" } },
  { path: "deleteLocks", type: { kind: "bool" } },
  { path: "tags", type: { kind: "map" } },
];

/** The field of an argument path (`[]` for list elements), or undefined. */
export function fieldAt(path: string): Field | undefined {
  return FIELDS.find((f) => f.path === path);
}

// ---- Checks of one value --------------------------------------------------------------------------

/** A plain value we can check now (not an Output or a Promise). */
export function isKnown(v: unknown): boolean {
  return v !== undefined && v !== null && !pulumi.Output.isInstance(v) && !(v instanceof Promise);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !pulumi.Output.isInstance(v);
}

/** A private DNS zone name rule per network mode, for brought and created zones. */
export function zoneNameProblem(
  mode: string,
  field: string,
  zone: string,
  shown = `"${zone}"`,
): string | undefined {
  const z = zone.toLowerCase();
  if (mode === "privateEndpoint" && z !== POSTGRES_PRIVATELINK_ZONE)
    return `\`${field}\` names zone ${shown}; privateEndpoint mode needs "${POSTGRES_PRIVATELINK_ZONE}".`;
  if (mode === "vnetIntegration" && (!z.endsWith(POSTGRES_ZONE_SUFFIX) || z === POSTGRES_PRIVATELINK_ZONE))
    return `\`${field}\` names zone ${shown}; vnetIntegration mode needs a zone ending in "${POSTGRES_ZONE_SUFFIX}" other than "${POSTGRES_PRIVATELINK_ZONE}".`;
  return undefined;
}

const KEY_URI =
  /^https:\/\/([a-zA-Z0-9-]{3,24})\.(vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net|managedhsm\.azure\.net)\/keys\/([a-zA-Z0-9-]{1,127})(\/[0-9a-fA-F]{32})?\/?$/;

/** The vault name in a key URI's host, lower-cased, or undefined when the URI does not parse. */
export function vaultOfKeyUri(uri: string): string | undefined {
  return KEY_URI.exec(uri)?.[1].toLowerCase();
}

/**
 * The problem with one value of a field, or undefined when it is well formed. `shown` is how the
 * value appears in the message: `show(value)`, or {@link SECRET} for a secret.
 */
export function checkValue(
  field: string,
  type: FieldType,
  value: unknown,
  ctx: { mode: string; shown?: string } = { mode: PE },
): string | undefined {
  const shown = ctx.shown ?? show(value);
  const str = typeof value === "string" ? value : undefined;
  switch (type.kind) {
    case "enum":
      return type.values.includes(value as string)
        ? undefined
        : `\`${field}\` ${shown} is not allowed; use one of ${quoteAll(type.values)}.`;
    case "int":
      return typeof value === "number" && Number.isInteger(value) && value >= type.min && value <= type.max
        ? undefined
        : `\`${field}\` ${shown} is out of range; use a whole number from ${type.min} to ${type.max}.`;
    case "oneOf":
      return type.values.includes(value as number)
        ? undefined
        : `\`${field}\` ${shown} is not allowed; use one of ${quoteAll(type.values)}.`;
    case "bool":
      return typeof value === "boolean"
        ? undefined
        : `\`${field}\` ${shown} is not a boolean; use true or false.`;
    case "name":
      return str !== undefined && type.rule.pattern.test(str)
        ? undefined
        : `\`${field}\` ${shown} is not a valid name; use ${type.rule.text}.`;
    case "guid":
      return str !== undefined && GUID.test(str)
        ? undefined
        : `\`${field}\` ${shown} is not a GUID; use an Entra object or tenant id such as "00000000-0000-0000-0000-000000000000".`;
    case "region":
      return str !== undefined && /^[a-z][a-z0-9]{2,39}$/.test(canonicalRegion(str))
        ? undefined
        : `\`${field}\` ${shown} is not a region; use an Azure region name such as "westeurope".`;
    case "resourceId": {
      const kind = RESOURCE_ID_KINDS[type.resource];
      if (str === undefined || !kind.pattern.test(str))
        return `\`${field}\` ${shown} is not a ${type.resource} resource id; use ${kind.example}.`;
      const zone = str.split("/").pop() as string;
      const zoneShown = ctx.shown === SECRET ? SECRET : `"${zone}"`;
      if (type.zone === "postgres") return zoneNameProblem(ctx.mode, field, zone, zoneShown);
      if (type.zone === "vault" && zone.toLowerCase() !== KEYVAULT_PRIVATELINK_ZONE)
        return `\`${field}\` names zone ${zoneShown}; use "${KEYVAULT_PRIVATELINK_ZONE}".`;
      return undefined;
    }
    case "keyUri": {
      const allowed = "a versionless key URI such as https://<vault>.vault.azure.net/keys/<key>";
      const m = str !== undefined ? KEY_URI.exec(str) : null;
      if (!m) return `\`${field}\` ${shown} is not a key URI; use ${allowed}.`;
      if (m[4])
        return `\`${field}\` ${shown} names a key version, which stops automatic rotation; use ${allowed}.`;
      return undefined;
    }
    case "issuerUrl": {
      const example = `use the cluster's OIDC issuer URL, e.g. "https://westeurope.oic.prod-aks.azure.com/<tenant>/<guid>/"`;
      if (str === undefined) return `\`${field}\` ${shown} is not a URL; ${example}.`;
      try {
        const u = new URL(str);
        if (u.protocol === "https:" && !u.username && !u.password) return undefined;
      } catch {
        // falls through to the refusal
      }
      return `\`${field}\` ${shown} is not an https URL; ${example}.`;
    }
    case "cidr": {
      try {
        const [addr, len] = ipaddr.IPv4.parseCIDR(String(value));
        if (
          typeof value === "string" &&
          ipaddr.IPv4.networkAddressFromCIDR(value).toString() === addr.toString() &&
          len >= type.min &&
          len <= type.max
        )
          return undefined;
      } catch {
        // falls through to the refusal
      }
      return `\`${field}\` ${shown} is not an IPv4 network CIDR from /${type.min} to /${type.max}; use a network address such as "10.20.2.0/28".`;
    }
    case "ipv4":
      return str !== undefined && ipaddr.IPv4.isValidFourPartDecimal(str)
        ? undefined
        : `\`${field}\` ${shown} is not an IPv4 address; use dotted decimal such as "203.0.113.10".`;
    case "zoneName":
      return str !== undefined && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(str)
        ? zoneNameProblem(VNET, field, str)
        : `\`${field}\` ${shown} is not a DNS zone name; use e.g. "myapp.private.postgres.database.azure.com".`;
    case "pgauditLog":
      if (str === undefined) return `\`${field}\` ${shown} is not a string; use e.g. "role,ddl,misc".`;
      try {
        validatePgauditLog(str, field);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    case "utcTime":
      return str !== undefined && isUtcTime(str)
        ? undefined
        : `\`${field}\` ${shown} is not an ISO 8601 UTC time on a real calendar day; use a form such as "2026-11-20T08:00:00Z".`;
    case "list":
      return Array.isArray(value) ? undefined : `\`${field}\` ${shown} is not a list; pass a list [ … ].`;
    case "object":
      return isPlainObject(value) ? undefined : `\`${field}\` ${shown} is not an object; pass { … }.`;
    case "map":
      return isPlainObject(value) ? undefined : `\`${field}\` ${shown} is not a map; use { key: "value" }.`;
  }
}

/** An ISO 8601 UTC time whose date and time exist (2025-02-30 does not). */
export function isUtcTime(t: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|\+00:00)$/.exec(t);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

// ---- Walking the args -----------------------------------------------------------------------------

/** One occurrence of a field in the args: the concrete path (`personas[1].objectId`) and its value. */
export interface Occurrence {
  field: Field;
  path: string;
  value: unknown;
}

/** Every occurrence of a field whose parents are present (plain objects and lists). */
export function occurrences(args: unknown, field: Field): Occurrence[] {
  let level: { path: string; value: unknown }[] = [{ path: "", value: args }];
  const segments = field.path.split(".");
  for (const seg of segments) {
    const list = seg.endsWith("[]");
    const key = list ? seg.slice(0, -2) : seg;
    const next: { path: string; value: unknown }[] = [];
    for (const at of level) {
      if (!isPlainObject(at.value)) continue;
      const p = at.path === "" ? key : `${at.path}.${key}`;
      const v = Object.prototype.hasOwnProperty.call(at.value, key) ? at.value[key] : undefined;
      if (!list) next.push({ path: p, value: v });
      else if (Array.isArray(v)) v.forEach((x, j) => next.push({ path: `${p}[${j}]`, value: x }));
    }
    level = next;
  }
  return level.map((x) => ({ field, path: x.path, value: x.value }));
}

/** The network mode the args ask for (privateEndpoint when unset or malformed). */
export function modeOf(args: ZeroTrustPostgresArgs): string {
  const m = isPlainObject(args?.network) ? (args.network as { mode?: unknown }).mode : undefined;
  return m === VNET ? VNET : PE;
}

/**
 * Checks every field of the table on the plain values in `args`; returns one message per problem.
 * Outputs in `input` fields are left to {@link gateInputs}; anywhere else they are refused, because
 * those values decide what is created.
 */
export function checkFields(args: ZeroTrustPostgresArgs): string[] {
  const out: string[] = [];
  const mode = modeOf(args);
  for (const field of FIELDS) {
    for (const o of occurrences(args, field)) {
      const given = o.value !== undefined && o.value !== null;
      if (!given) {
        if (field.required === true || field.required === mode)
          out.push(
            `\`${o.path}\` is required${field.required === mode ? ` in ${mode} mode` : ""}; ${field.hint ?? allowedText(field.type)}.`,
          );
        continue;
      }
      if (field.only !== undefined && field.only !== mode) {
        out.push(
          `\`${o.path}\` belongs to ${field.only} mode; remove it or set \`network.mode: "${field.only}"\` (the two modes cannot be combined).`,
        );
        continue;
      }
      if (pulumi.Output.isInstance(o.value) || o.value instanceof Promise) {
        if (!field.input)
          out.push(
            `\`${o.path}\` is an Output; it must be a plain value known when the component is constructed, because it decides what is created.`,
          );
        continue;
      }
      const problem = checkValue(o.path, field.type, o.value, { mode });
      if (problem !== undefined) out.push(problem);
    }
  }
  return out;
}

/** What a field accepts, for "is required" messages. */
function allowedText(type: FieldType): string {
  switch (type.kind) {
    case "enum":
      return `use one of ${quoteAll(type.values)}`;
    case "name":
      return `use ${type.rule.text}`;
    case "guid":
      return "use an Entra object or tenant id (GUID)";
    case "resourceId":
      return `use ${RESOURCE_ID_KINDS[type.resource].example}`;
    case "issuerUrl":
      return "use the cluster's OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl)";
    case "ipv4":
      return 'use dotted decimal such as "203.0.113.10"';
    case "utcTime":
      return 'use an ISO 8601 UTC time such as "2026-11-20T08:00:00Z"';
    case "object":
      return "pass { … }";
    default:
      return "set it";
  }
}

// ---- Inputs that resolve later ----------------------------------------------------------------------

/**
 * A ResourceError (stack hidden) whose message stays as written. The SDK prefixes the message of an
 * error that fails output serialization *in place* ('error serializing property "outputs": …', once
 * per consumer), so the CLI would print that noise before ours; the setter ignores those writes.
 */
export function stableResourceError(message: string, resource: pulumi.Resource | undefined): Error {
  const err = new pulumi.ResourceError(message, resource, true);
  Object.defineProperty(err, "message", { get: () => message, set: () => undefined, configurable: true });
  return err;
}

/** The resource a late refusal is attached to; set once the component is registered. */
export class Owner {
  resource?: pulumi.Resource;
}

/**
 * Validates an `Input` that is still an Output when it resolves, failing everything that consumes
 * the returned output with a ResourceError on the owner. A secret value is never shown: the message
 * names the field and says "(secret)".
 */
export function gate<T>(
  value: pulumi.Input<T>,
  check: (v: unknown, shown: string) => string | undefined,
  owner: Owner,
): pulumi.Output<T> {
  const out = pulumi.output(value);
  return out.apply(async (v) => {
    const secret = await pulumi.isSecret(out);
    const problem = check(v, secret ? SECRET : show(v));
    if (problem !== undefined) throw stableResourceError(problem, owner.resource);
    return v;
  }) as pulumi.Output<T>;
}

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (isPlainObject(v) && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
  return v;
}

function setAt(root: unknown, path: string, value: unknown): void {
  const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let at = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

/**
 * A copy of `args` in which every `input` field that is still an Output is replaced by an output
 * gated on the field's check (plain values were checked by {@link checkFields}). The caller's args
 * are never modified.
 */
export function gateInputs(args: ZeroTrustPostgresArgs, owner: Owner): ZeroTrustPostgresArgs {
  const out = copy(args) as ZeroTrustPostgresArgs;
  const mode = modeOf(args);
  for (const field of FIELDS) {
    if (!field.input) continue;
    for (const o of occurrences(args, field)) {
      if (!pulumi.Output.isInstance(o.value) && !(o.value instanceof Promise)) continue;
      setAt(
        out,
        o.path,
        gate(
          o.value as pulumi.Input<unknown>,
          (v, shown) => checkValue(o.path, field.type, v, { mode, shown }),
          owner,
        ),
      );
    }
  }
  return out;
}

/** Server input paths Azure fixes at creation, in table order. */
export const CREATE_ONLY_PATHS: readonly string[] = FIELDS.flatMap((f) =>
  f.createOnly !== undefined ? [f.createOnly] : [],
);
