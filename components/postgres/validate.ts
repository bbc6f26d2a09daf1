// Pure argument validators. They run before the component registers anything (issue #7 §1), collect
// every problem, and throw one `pulumi.RunError` (the SDK prints a RunError's message without a stack
// trace) whose lines each name the field, the value and what is allowed.
//
// What belongs here: shapes, names, ranges, CIDRs/IPs (ipaddr.js), GUIDs, resource ids and
// contradictory combinations. What does not: the zero-trust rules themselves (open firewall ranges,
// TLS floors, key strength…). Those live once in policies/rules and the component asks them through
// guard.ts, so the pack and the component can never disagree.
//
// Values that are still `Output`s at construction are checked later by `gate` (inside `apply`), which
// fails the resources and outputs that depend on them with a ResourceError on the component.

import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import type { FirewallRuleArgs, ZeroTrustPostgresArgs } from "./args";
import {
  DatabaseAccess,
  HighAvailabilityMode,
  KeyType,
  NetworkMode,
  PostgresVersion,
  PrincipalType,
  SkuTier,
  StorageType,
  TlsVersion,
} from "./args";
import {
  canonicalRegion,
  PAIRED_REGIONS,
  POSTGRES_PRIVATELINK_ZONE,
  POSTGRES_ZONE_SUFFIX,
  tierOfSku,
} from "./defaults";
import { validateLogRetentionDays, validatePgauditLog } from "./parameters";

/** Shows a value in a message: strings quoted, everything else as JSON. */
export function show(v: unknown): string {
  if (pulumi.Output.isInstance(v)) return "<output>";
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 400 ? s.slice(0, 397) + "..." : s;
  } catch {
    return String(v);
  }
}

function quoteAll(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ");
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

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
    pattern: /^[a-zA-Z0-9][-_a-zA-Z0-9]{0,79}$/,
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
  /** Azure region names as ARM writes them. */
  region: { pattern: /^[a-z][a-z0-9]{2,39}$/, text: 'an Azure region name such as "westeurope"' },
} as const;

/** The kinds of resource id the component accepts, with the ARM type each must name. */
export const RESOURCE_ID_KINDS = {
  subnet:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i,
  virtualNetwork:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i,
  privateDnsZone:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+$/i,
  workspace:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i,
  vault:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i,
  server:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.DBforPostgreSQL\/flexibleServers\/[^/]+$/i,
  actionGroup:
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/actionGroups\/[^/]+$/i,
} as const;
export type ResourceIdKind = keyof typeof RESOURCE_ID_KINDS;

const ID_EXAMPLES: Record<ResourceIdKind, string> = {
  subnet:
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
  virtualNetwork:
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>",
  privateDnsZone:
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>",
  workspace:
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>",
  vault: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>",
  server:
    "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.DBforPostgreSQL/flexibleServers/<name>",
  actionGroup: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Insights/actionGroups/<name>",
};

/** Returns a problem description for a resource id, or undefined when it is well formed. */
export function checkResourceId(
  field: string,
  value: unknown,
  kind: ResourceIdKind,
  zoneName?: (zone: string) => string | undefined,
): string | undefined {
  if (typeof value !== "string" || !RESOURCE_ID_KINDS[kind].test(value)) {
    return `\`${field}\` ${show(value)} is not a ${kind} resource id; use ${ID_EXAMPLES[kind]}.`;
  }
  if (zoneName) return zoneName(value.split("/").pop() as string);
  return undefined;
}

/** Returns a problem with a versionless Key Vault key URI, or undefined. */
export function checkKeyUri(field: string, value: unknown): string | undefined {
  const allowed = "a versionless key URI such as https://<vault>.vault.azure.net/keys/<key>";
  if (typeof value !== "string") return `\`${field}\` ${show(value)} is not a key URI; use ${allowed}.`;
  const m =
    /^https:\/\/([a-zA-Z0-9-]{3,24})\.(vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net|managedhsm\.azure\.net)\/keys\/([a-zA-Z0-9-]{1,127})(\/[0-9a-fA-F]{32})?\/?$/.exec(
      value,
    );
  if (!m) return `\`${field}\` ${show(value)} is not a key URI; use ${allowed}.`;
  if (m[4])
    return `\`${field}\` ${show(value)} names a key version, which stops automatic rotation; use ${allowed}.`;
  return undefined;
}

/**
 * A ResourceError (stack hidden) whose message stays as written. The SDK prefixes the message of an
 * error that fails output serialization *in place* ('error serializing property "outputs": …', once
 * per consumer), so the CLI would print that noise before ours; the setter ignores those writes.
 */
export function stableResourceError(message: string, resource: pulumi.Resource): pulumi.ResourceError {
  const err = new pulumi.ResourceError(message, resource, true);
  Object.defineProperty(err, "message", { get: () => message, set: () => undefined, configurable: true });
  return err;
}

/**
 * Validates an `Input<string>` that may still be an `Output`: a plain value is checked by the caller
 * before anything is registered; an `Output` is checked when it resolves, failing everything that
 * consumes the returned output with a ResourceError attached to `parent` (stack hidden).
 */
export function gate(
  value: pulumi.Input<string>,
  check: (v: unknown) => string | undefined,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  return pulumi.output(value).apply((v) => {
    const problem = check(v);
    if (problem !== undefined) throw stableResourceError(problem, parent);
    return v;
  });
}

/** Collects problems; `done()` throws them all at once. */
class Problems {
  readonly list: string[] = [];
  add(message: string | undefined): void {
    if (message !== undefined) this.list.push(message);
  }
}

function isStr(v: unknown): v is string {
  return typeof v === "string";
}
function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}
/** A plain value we can check now (not an Output or a Promise). */
function known(v: unknown): boolean {
  return has(v) && !pulumi.Output.isInstance(v) && !(v instanceof Promise);
}

/**
 * Plain fields decide which resources exist, so they must be known at construction. Another
 * language's SDK may still send an Output for one; say so instead of calling it malformed.
 */
function plainOnly(p: Problems, field: string, value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    p.add(
      `\`${field}\` is an Output; it must be a plain value known when the component is constructed, because it decides what is created.`,
    );
    return false;
  }
  return true;
}

/** A list argument: must be a plain array (its elements may be Outputs where the type says Input). */
function listOf(p: Problems, field: string, value: unknown, allowed = "pass a list"): unknown[] {
  if (!has(value) || !plainOnly(p, field, value)) return [];
  if (!Array.isArray(value)) {
    p.add(`\`${field}\` ${show(value)} is not a list; ${allowed}.`);
    return [];
  }
  return value;
}

/** An object argument (`network`, `encryption`…): must be a plain object; its id fields may be Outputs. */
function objectOf<T extends object>(p: Problems, field: string, value: T | undefined): T | undefined {
  if (!has(value) || !plainOnly(p, field, value)) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    p.add(`\`${field}\` ${show(value)} is not an object; pass { … }.`);
    return undefined;
  }
  return value;
}

function checkEnum(p: Problems, field: string, value: unknown, enumObj: Record<string, string>): void {
  if (!has(value) || !plainOnly(p, field, value)) return;
  const allowed = Object.values(enumObj);
  if (!allowed.includes(value as string))
    p.add(`\`${field}\` ${show(value)} is not allowed; use one of ${quoteAll(allowed)}.`);
}

function checkInt(p: Problems, field: string, value: unknown, min: number, max: number, rule?: string): void {
  if (!has(value) || !plainOnly(p, field, value)) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    p.add(
      `${rule ? `[${rule}] ` : ""}\`${field}\` ${show(value)} is out of range; use a whole number from ${min} to ${max}.`,
    );
  }
}

function checkBool(p: Problems, field: string, value: unknown): void {
  if (has(value) && plainOnly(p, field, value) && typeof value !== "boolean")
    p.add(`\`${field}\` ${show(value)} is not a boolean; use true or false.`);
}

function checkName(
  p: Problems,
  field: string,
  value: unknown,
  rule: { pattern: RegExp; text: string },
  required = false,
): void {
  if (!has(value)) {
    if (required) p.add(`\`${field}\` is required; use ${rule.text}.`);
    return;
  }
  if (!plainOnly(p, field, value)) return;
  if (!isStr(value) || !rule.pattern.test(value))
    p.add(`\`${field}\` ${show(value)} is not a valid name; use ${rule.text}.`);
}

function checkGuid(p: Problems, field: string, value: unknown): void {
  if (!plainOnly(p, field, value)) return;
  if (!isStr(value) || !GUID.test(value))
    p.add(
      `\`${field}\` ${show(value)} is not a GUID; use an Entra object or tenant id such as "00000000-0000-0000-0000-000000000000".`,
    );
}

function checkId(
  p: Problems,
  field: string,
  value: unknown,
  kind: ResourceIdKind,
  zoneName?: (zone: string) => string | undefined,
): void {
  if (known(value)) p.add(checkResourceId(field, value, kind, zoneName));
}

function checkIpv4(p: Problems, field: string, value: unknown): boolean {
  if (!isStr(value) || !ipaddr.IPv4.isValidFourPartDecimal(value)) {
    p.add(`\`${field}\` ${show(value)} is not an IPv4 address; use dotted decimal such as "203.0.113.10".`);
    return false;
  }
  return true;
}

/** The zone-name rule of each network mode, for brought zones. */
export function zoneNameProblem(mode: string, field: string): (zone: string) => string | undefined {
  return (zone) => {
    const z = zone.toLowerCase();
    if (mode === "privateEndpoint" && z !== POSTGRES_PRIVATELINK_ZONE) {
      return `\`${field}\` names zone "${zone}"; privateEndpoint mode needs "${POSTGRES_PRIVATELINK_ZONE}".`;
    }
    if (
      mode === "vnetIntegration" &&
      (!z.endsWith(POSTGRES_ZONE_SUFFIX) || z === POSTGRES_PRIVATELINK_ZONE)
    ) {
      return `\`${field}\` names zone "${zone}"; vnetIntegration mode needs a zone ending in "${POSTGRES_ZONE_SUFFIX}" other than "${POSTGRES_PRIVATELINK_ZONE}".`;
    }
    return undefined;
  };
}

/** Premium SSD (v1) sizes Azure offers for Flexible Server, in GiB. */
export const PREMIUM_LRS_SIZES_GB = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767] as const;

/**
 * Checks every argument and throws one `pulumi.RunError` listing all problems. `now` is injectable so
 * tests of the point-in-time check do not depend on the clock.
 */
export function validateArgs(name: string, args: ZeroTrustPostgresArgs, now: Date = new Date()): void {
  const p = new Problems();
  // The component name prefixes every child's Azure name (`<name>-server-id`, `<name>-logs`,
  // `<name>-pe`…), so it must fit the strictest of those rules (workspaces: letters, digits, hyphens).
  if (!isStr(name) || !NAME_RULES.component.pattern.test(name))
    p.add(
      `component name ${show(name)} is not allowed; use ${NAME_RULES.component.text}, because it prefixes the Azure names of the children.`,
    );
  if (!has(args) || typeof args !== "object") {
    throw new pulumi.RunError(`ZeroTrustPostgres ${show(name)}: \`args\` is required.`);
  }
  const a = args;

  // --- identity of the server --------------------------------------------------------------------
  if (!has(a.resourceGroupName)) p.add("`resourceGroupName` is required; pass the resource group's name.");
  else if (known(a.resourceGroupName))
    checkName(p, "resourceGroupName", a.resourceGroupName, NAME_RULES.resourceGroup);
  if (known(a.location)) {
    if (!isStr(a.location) || !NAME_RULES.region.pattern.test(canonicalRegion(a.location))) {
      p.add(`\`location\` ${show(a.location)} is not a region; use ${NAME_RULES.region.text}.`);
    }
  }
  if (!has(a.tenantId))
    p.add("`tenantId` is required; use the Entra tenant id (GUID) of the administrators.");
  else checkGuid(p, "tenantId", a.tenantId);
  checkName(p, "serverName", a.serverName, NAME_RULES.server);
  checkEnum(p, "version", a.version, PostgresVersion);
  checkEnum(p, "skuTier", a.skuTier, SkuTier);
  if (has(a.skuName)) {
    if (
      !isStr(a.skuName) ||
      !/^Standard_[A-Za-z0-9_]+$/.test(a.skuName) ||
      tierOfSku(a.skuName) === undefined
    ) {
      p.add(
        `\`skuName\` ${show(a.skuName)} is not a Flexible Server SKU; use a name such as "Standard_D2ds_v5" (GeneralPurpose), "Standard_E4ds_v5" (MemoryOptimized) or "Standard_B1ms" (Burstable).`,
      );
    } else if (has(a.skuTier) && tierOfSku(a.skuName) !== a.skuTier) {
      p.add(
        `\`skuName\` ${show(a.skuName)} is a ${tierOfSku(a.skuName)} SKU but \`skuTier\` is ${show(a.skuTier)}; use a matching pair or omit \`skuTier\`.`,
      );
    }
  }
  const tier = has(a.skuTier)
    ? a.skuTier
    : isStr(a.skuName)
      ? (tierOfSku(a.skuName) ?? "GeneralPurpose")
      : "GeneralPurpose";

  // --- storage -----------------------------------------------------------------------------------
  checkEnum(p, "storageType", a.storageType, StorageType);
  const storageType = a.storageType ?? "Premium_LRS";
  if (has(a.storageSizeGb)) {
    if (storageType === "Premium_LRS") {
      if (!(PREMIUM_LRS_SIZES_GB as readonly unknown[]).includes(a.storageSizeGb)) {
        p.add(
          `\`storageSizeGb\` ${show(a.storageSizeGb)} is not a Premium_LRS size; use one of ${quoteAll(PREMIUM_LRS_SIZES_GB)}.`,
        );
      }
    } else {
      checkInt(p, "storageSizeGb", a.storageSizeGb, 32, 65536);
    }
  }
  checkBool(p, "storageAutoGrow", a.storageAutoGrow);
  if (a.storageAutoGrow === true && storageType !== "Premium_LRS") {
    p.add(
      `\`storageAutoGrow\` true is not available with \`storageType\` ${show(storageType)}; use "Premium_LRS" or set it to false.`,
    );
  }
  for (const [field, min, max] of [
    ["storageIops", 3000, 80000],
    ["storageThroughputMBps", 125, 1200],
  ] as const) {
    const v = a[field];
    if (!has(v)) continue;
    if (storageType === "Premium_LRS")
      p.add(
        `\`${field}\` ${show(v)} is only for "PremiumV2_LRS" or "UltraSSD_LRS" storage; remove it or change \`storageType\`.`,
      );
    else checkInt(p, field, v, min, max);
  }

  // --- zones and high availability ---------------------------------------------------------------
  const zones = ["1", "2", "3"];
  if (has(a.availabilityZone) && !zones.includes(a.availabilityZone as string)) {
    p.add(`\`availabilityZone\` ${show(a.availabilityZone)} is not a zone; use one of "1", "2", "3".`);
  }
  checkEnum(p, "highAvailability", a.highAvailability, HighAvailabilityMode);
  if (tier === "Burstable" && has(a.highAvailability) && a.highAvailability !== "Disabled") {
    p.add(
      `\`highAvailability\` ${show(a.highAvailability)} is not available on the Burstable tier; use "Disabled", or a GeneralPurpose/MemoryOptimized SKU.`,
    );
  }
  if (has(a.standbyAvailabilityZone)) {
    const ha = a.highAvailability ?? (tier === "Burstable" ? "Disabled" : "ZoneRedundant");
    if (ha !== "ZoneRedundant") {
      p.add(
        `\`standbyAvailabilityZone\` ${show(a.standbyAvailabilityZone)} only applies to \`highAvailability\` "ZoneRedundant" (it is ${show(ha)}); remove it.`,
      );
    } else if (!zones.includes(a.standbyAvailabilityZone as string)) {
      p.add(
        `\`standbyAvailabilityZone\` ${show(a.standbyAvailabilityZone)} is not a zone; use one of "1", "2", "3".`,
      );
    } else if (a.standbyAvailabilityZone === (a.availabilityZone ?? "1")) {
      p.add(
        `\`standbyAvailabilityZone\` ${show(a.standbyAvailabilityZone)} equals \`availabilityZone\`; ZoneRedundant needs a different zone.`,
      );
    }
  }

  // --- Entra administrators, personas, workloads -------------------------------------------------
  const admins = listOf(p, "administrators", a.administrators) as ZeroTrustPostgresArgs["administrators"];
  if (admins.length === 0 && !pulumi.Output.isInstance(a.administrators)) {
    p.add(
      "[postgres-entra-admin] `administrators` is empty; add at least one Entra administrator (a group is recommended).",
    );
  } else {
    const seen = new Set<string>();
    admins.forEach((admin, i) => {
      const f = `administrators[${i}]`;
      checkGuid(p, `${f}.objectId`, admin?.objectId);
      checkName(p, `${f}.principalName`, admin?.principalName, NAME_RULES.role, true);
      checkEnum(p, `${f}.principalType`, admin?.principalType, PrincipalType);
      const id = String(admin?.objectId).toLowerCase();
      if (seen.has(id))
        p.add(`\`${f}.objectId\` ${show(admin.objectId)} is listed twice; list each administrator once.`);
      seen.add(id);
    });
  }
  checkName(p, "databaseName", a.databaseName, NAME_RULES.database);
  if (
    isStr(a.databaseName) &&
    ["postgres", "azure_maintenance", "azure_sys", "template0", "template1"].includes(a.databaseName)
  ) {
    p.add(
      `\`databaseName\` ${show(a.databaseName)} is reserved by Azure or PostgreSQL; use your application's name.`,
    );
  }
  checkName(p, "schemaName", a.schemaName, NAME_RULES.schema);
  if (isStr(a.schemaName) && (a.schemaName.startsWith("pg_") || a.schemaName === "public")) {
    p.add(
      `\`schemaName\` ${show(a.schemaName)} is a system or shared schema; use a dedicated application schema such as "app".`,
    );
  }
  const roles = new Set<string>();
  (listOf(p, "personas", a.personas) as NonNullable<ZeroTrustPostgresArgs["personas"]>).forEach(
    (persona, i) => {
      const f = `personas[${i}]`;
      checkName(p, `${f}.groupName`, persona?.groupName, NAME_RULES.role, true);
      checkGuid(p, `${f}.objectId`, persona?.objectId);
      if (!has(persona?.access))
        p.add(`\`${f}.access\` is required; use one of ${quoteAll(Object.values(DatabaseAccess))}.`);
      else checkEnum(p, `${f}.access`, persona.access, DatabaseAccess);
      if (isStr(persona?.groupName)) {
        if (roles.has(persona.groupName))
          p.add(
            `\`${f}.groupName\` ${show(persona.groupName)} is used twice; each persona needs its own group and role.`,
          );
        roles.add(persona.groupName);
      }
    },
  );
  const workloadNames = new Set<string>();
  (
    listOf(p, "workloadIdentities", a.workloadIdentities) as NonNullable<
      ZeroTrustPostgresArgs["workloadIdentities"]
    >
  ).forEach((w, i) => {
    const f = `workloadIdentities[${i}]`;
    checkName(p, `${f}.name`, w?.name, NAME_RULES.workload, true);
    if (isStr(w?.name)) {
      if (workloadNames.has(w.name))
        p.add(`\`${f}.name\` ${show(w.name)} is used twice; workload names must be unique.`);
      workloadNames.add(w.name);
      const identityName = `${name}-${w.name}-id`;
      if (!NAME_RULES.identity.pattern.test(identityName)) {
        p.add(
          `\`${f}.name\` ${show(w.name)} makes identity name "${identityName}"; it must be ${NAME_RULES.identity.text}.`,
        );
      }
      if (identityName.length > 63)
        p.add(
          `\`${f}.name\` ${show(w.name)} makes PostgreSQL role "${identityName}" longer than 63 characters; shorten the component or workload name.`,
        );
      if (roles.has(identityName))
        p.add(`\`${f}.name\` ${show(w.name)} makes role "${identityName}", which a persona already uses.`);
    }
    if (!has(w?.access))
      p.add(`\`${f}.access\` is required; use one of ${quoteAll(Object.values(DatabaseAccess))}.`);
    else checkEnum(p, `${f}.access`, w.access, DatabaseAccess);
    if (has(w?.aks)) {
      const aks = w.aks as NonNullable<typeof w.aks>;
      if (!has(aks.issuerUrl))
        p.add(
          `\`${f}.aks.issuerUrl\` is required; use the cluster's OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl).`,
        );
      else if (known(aks.issuerUrl)) p.add(checkIssuer(`${f}.aks.issuerUrl`, aks.issuerUrl));
      checkName(p, `${f}.aks.namespace`, aks.namespace, NAME_RULES.namespace, true);
      checkName(p, `${f}.aks.serviceAccount`, aks.serviceAccount, NAME_RULES.serviceAccount, true);
    }
  });

  // --- password login (waiver) -------------------------------------------------------------------
  checkBool(p, "allowPasswordAuth", a.allowPasswordAuth);
  if (has(a.administratorLogin)) {
    if (a.allowPasswordAuth !== true) {
      p.add(
        "[postgres-entra-only-auth] `administratorLogin` needs `allowPasswordAuth: true`; remove it to keep Entra-only login.",
      );
    } else {
      checkName(p, "administratorLogin", a.administratorLogin, NAME_RULES.login);
      if (
        isStr(a.administratorLogin) &&
        /^(azure_superuser|azure_pg_admin|admin|administrator|root|guest|public|postgres)$|^pg_/.test(
          a.administratorLogin,
        )
      ) {
        p.add(
          `\`administratorLogin\` ${show(a.administratorLogin)} is reserved by Azure; choose another login such as "ztadmin".`,
        );
      }
    }
  }

  // --- network -----------------------------------------------------------------------------------
  validateNetwork(p, a);

  // --- encryption --------------------------------------------------------------------------------
  objectOf(p, "encryption", a.encryption);
  validateEncryption(p, a);

  // --- TLS, monitoring, backup, restore ----------------------------------------------------------
  checkEnum(p, "minimumTlsVersion", a.minimumTlsVersion, TlsVersion);
  const mon = objectOf(p, "monitoring", a.monitoring) ?? {};
  checkId(p, "monitoring.logAnalyticsWorkspaceResourceId", mon.logAnalyticsWorkspaceResourceId, "workspace");
  checkInt(p, "monitoring.workspaceRetentionDays", mon.workspaceRetentionDays, 30, 730);
  if (has(mon.pgauditLog)) {
    try {
      validatePgauditLog(String(mon.pgauditLog));
    } catch (e) {
      p.add((e as Error).message);
    }
  }
  if (has(mon.logRetentionDays)) {
    try {
      validateLogRetentionDays(mon.logRetentionDays as number);
    } catch (e) {
      p.add((e as Error).message);
    }
  }
  checkId(p, "monitoring.actionGroupResourceId", mon.actionGroupResourceId, "actionGroup");
  checkInt(p, "monitoring.failedLoginThreshold", mon.failedLoginThreshold, 1, 1000);
  checkBool(p, "monitoring.alerts", mon.alerts);
  if (mon.alerts === false && has(mon.actionGroupResourceId)) {
    p.add(
      "`monitoring.actionGroupResourceId` is set but `monitoring.alerts` is false; the action group would never be notified. Remove one of them.",
    );
  }

  const bak = objectOf(p, "backup", a.backup) ?? {};
  checkInt(p, "backup.retentionDays", bak.retentionDays, 7, 35);
  checkBool(p, "backup.geoRedundantBackup", bak.geoRedundantBackup);

  if (has(a.restore) && objectOf(p, "restore", a.restore)) {
    const r = a.restore as NonNullable<typeof a.restore>;
    if (!has(r.sourceServerResourceId))
      p.add("`restore.sourceServerResourceId` is required; use the id of the server to restore from.");
    else checkId(p, "restore.sourceServerResourceId", r.sourceServerResourceId, "server");
    const t = r.pointInTimeUtc;
    if (
      !isStr(t) ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|\+00:00)$/.test(t) ||
      Number.isNaN(Date.parse(t))
    ) {
      p.add(
        `\`restore.pointInTimeUtc\` ${show(t)} is not an ISO 8601 UTC time; use a form such as "2026-11-20T08:00:00Z".`,
      );
    } else if (Date.parse(t) >= now.getTime()) {
      p.add(
        `\`restore.pointInTimeUtc\` ${show(t)} is not in the past; use a time within the source server's backup retention.`,
      );
    }
  }

  checkBool(p, "protect", a.protect);
  checkBool(p, "deleteLocks", a.deleteLocks);
  if (has(a.tags)) {
    if (typeof a.tags !== "object" || Array.isArray(a.tags))
      p.add(`\`tags\` ${show(a.tags)} is not a map; use { key: "value" }.`);
    else {
      for (const [k, v] of Object.entries(a.tags)) {
        if (k.length === 0 || k.length > 512 || /[<>%&\\?/]/.test(k))
          p.add(`\`tags\` key ${show(k)} is not allowed; use 1-512 characters without < > % & \\ ? /.`);
        if (typeof v !== "string" || v.length > 256)
          p.add(`\`tags.${k}\` ${show(v)} is not allowed; use a string of at most 256 characters.`);
      }
    }
  }

  if (p.list.length > 0) {
    throw new pulumi.RunError(
      `ZeroTrustPostgres ${show(name)} refused its arguments (nothing was created):\n` +
        p.list.map((m) => `  - ${m}`).join("\n"),
    );
  }
}

/** An AKS OIDC issuer must be an https URL. */
export function checkIssuer(field: string, value: unknown): string | undefined {
  if (!isStr(value))
    return `\`${field}\` ${show(value)} is not a URL; use the cluster's https OIDC issuer URL.`;
  try {
    const u = new URL(value);
    if (u.protocol !== "https:" || u.username || u.password) throw new Error("not https");
  } catch {
    return `\`${field}\` ${show(value)} is not an https URL; use the cluster's OIDC issuer URL, e.g. "https://westeurope.oic.prod-aks.azure.com/<tenant>/<guid>/".`;
  }
  return undefined;
}

function validateNetwork(p: Problems, a: ZeroTrustPostgresArgs): void {
  if (pulumi.Output.isInstance(a.network)) {
    plainOnly(p, "network", a.network);
    return;
  }
  if (!has(a.network) || typeof a.network !== "object") {
    p.add(
      '`network` is required; set `network.privateEndpointSubnetResourceId` (privateEndpoint mode) or `network.mode: "vnetIntegration"` with a delegated subnet.',
    );
    return;
  }
  const n = a.network;
  checkEnum(p, "network.mode", n.mode, NetworkMode);
  const mode = n.mode ?? "privateEndpoint";
  const pe = mode === "privateEndpoint";
  if (pe) {
    if (!has(n.privateEndpointSubnetResourceId))
      p.add(
        "`network.privateEndpointSubnetResourceId` is required in privateEndpoint mode; use the id of the subnet that holds the private endpoints.",
      );
    else checkId(p, "network.privateEndpointSubnetResourceId", n.privateEndpointSubnetResourceId, "subnet");
    for (const f of [
      "delegatedSubnetResourceId",
      "delegatedSubnetAddressPrefix",
      "virtualNetworkName",
      "virtualNetworkResourceGroupName",
      "privateDnsZoneName",
    ] as const) {
      if (has(n[f]))
        p.add(
          `\`network.${f}\` belongs to vnetIntegration mode; remove it or set \`network.mode: "vnetIntegration"\` (the two modes cannot be combined).`,
        );
    }
  } else if (mode === "vnetIntegration") {
    if (has(n.privateEndpointSubnetResourceId))
      p.add(
        "`network.privateEndpointSubnetResourceId` belongs to privateEndpoint mode; remove it in vnetIntegration mode (the two modes cannot be combined).",
      );
    if (has(n.keyVaultPrivateDnsZoneResourceId))
      p.add(
        "`network.keyVaultPrivateDnsZoneResourceId` belongs to privateEndpoint mode; remove it in vnetIntegration mode.",
      );
    const brought = has(n.delegatedSubnetResourceId);
    const created = has(n.delegatedSubnetAddressPrefix);
    if (brought && created)
      p.add(
        "`network.delegatedSubnetResourceId` and `network.delegatedSubnetAddressPrefix` exclude each other; bring a delegated subnet or have one created, not both.",
      );
    if (!brought && !created)
      p.add(
        "vnetIntegration mode needs `network.delegatedSubnetResourceId` (an existing delegated subnet) or `network.delegatedSubnetAddressPrefix` with `network.virtualNetworkName` (a created one).",
      );
    if (brought) {
      checkId(p, "network.delegatedSubnetResourceId", n.delegatedSubnetResourceId, "subnet");
      if (has(n.virtualNetworkName))
        p.add(
          "`network.virtualNetworkName` is only for a created subnet; remove it when `network.delegatedSubnetResourceId` is set.",
        );
    }
    if (created) {
      const prefix = n.delegatedSubnetAddressPrefix;
      let ok = false;
      try {
        const [addr, len] = ipaddr.IPv4.parseCIDR(String(prefix));
        ok =
          ipaddr.IPv4.networkAddressFromCIDR(String(prefix)).toString() === addr.toString() &&
          len >= 8 &&
          len <= 28;
      } catch {
        ok = false;
      }
      if (!ok)
        p.add(
          `\`network.delegatedSubnetAddressPrefix\` ${show(prefix)} is not an IPv4 network CIDR from /8 to /28; use a network address such as "10.20.2.0/28".`,
        );
      if (!has(n.virtualNetworkName))
        p.add(
          "`network.virtualNetworkName` is required with `network.delegatedSubnetAddressPrefix`; name the VNet the subnet is created in.",
        );
      else if (known(n.virtualNetworkName))
        checkName(p, "network.virtualNetworkName", n.virtualNetworkName, NAME_RULES.networkName);
      if (known(n.virtualNetworkResourceGroupName))
        checkName(
          p,
          "network.virtualNetworkResourceGroupName",
          n.virtualNetworkResourceGroupName,
          NAME_RULES.resourceGroup,
        );
    }
    if (has(n.privateDnsZoneName)) {
      if (has(n.privateDnsZoneResourceId))
        p.add(
          "`network.privateDnsZoneName` and `network.privateDnsZoneResourceId` exclude each other; create a zone or bring one.",
        );
      else {
        const zp = zoneNameProblem("vnetIntegration", "network.privateDnsZoneName");
        const problem =
          isStr(n.privateDnsZoneName) && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(n.privateDnsZoneName)
            ? zp(n.privateDnsZoneName)
            : `\`network.privateDnsZoneName\` ${show(n.privateDnsZoneName)} is not a DNS zone name; use e.g. "myapp.private.postgres.database.azure.com".`;
        p.add(problem);
      }
    }
    if (n.allowPublicAccess === true)
      p.add(
        "[postgres-no-public-network-access] `network.allowPublicAccess` true is impossible in vnetIntegration mode (the server has no public endpoint); use privateEndpoint mode to add firewall rules.",
      );
  }
  if (has(n.privateDnsZoneResourceId))
    checkId(
      p,
      "network.privateDnsZoneResourceId",
      n.privateDnsZoneResourceId,
      "privateDnsZone",
      zoneNameProblem(mode, "network.privateDnsZoneResourceId"),
    );
  if (has(n.keyVaultPrivateDnsZoneResourceId)) {
    checkId(
      p,
      "network.keyVaultPrivateDnsZoneResourceId",
      n.keyVaultPrivateDnsZoneResourceId,
      "privateDnsZone",
      (z) =>
        z.toLowerCase() === "privatelink.vaultcore.azure.net"
          ? undefined
          : `\`network.keyVaultPrivateDnsZoneResourceId\` names zone "${z}"; use "privatelink.vaultcore.azure.net".`,
    );
  }
  const links = listOf(
    p,
    "network.linkedVirtualNetworkResourceIds",
    n.linkedVirtualNetworkResourceIds,
    "use a list of VNet resource ids",
  );
  links.forEach((id, i) => checkId(p, `network.linkedVirtualNetworkResourceIds[${i}]`, id, "virtualNetwork"));
  const enc = a.encryption ?? {};
  const vaultsCreated =
    !has(enc.keyUri) || ((a.backup?.geoRedundantBackup ?? true) && !has(enc.geoBackupKeyUri));
  const createsZone =
    !has(n.privateDnsZoneResourceId) || (pe && vaultsCreated && !has(n.keyVaultPrivateDnsZoneResourceId));
  if (createsZone && links.length === 0 && !pulumi.Output.isInstance(n.linkedVirtualNetworkResourceIds)) {
    p.add(
      "`network.linkedVirtualNetworkResourceIds` is empty but the component creates a private DNS zone; list the VNets whose clients must resolve the server (at least the VNet of the endpoint or delegated subnet).",
    );
  }

  checkBool(p, "network.allowPublicAccess", n.allowPublicAccess);
  const rules = listOf(
    p,
    "network.firewallRules",
    n.firewallRules,
    "use [{ name, startIpAddress, endIpAddress }]",
  ) as FirewallRuleArgs[];
  if (rules.length > 0 && n.allowPublicAccess !== true) {
    p.add(
      "[postgres-no-public-network-access] `network.firewallRules` needs `network.allowPublicAccess: true`; firewall rules only matter on a public endpoint, which is Disabled unless you waive the rule.",
    );
  }
  const ruleNames = new Set<string>();
  rules.forEach((r, i) => {
    const f = `network.firewallRules[${i}]`;
    checkName(p, `${f}.name`, r?.name, NAME_RULES.firewallRule, true);
    if (isStr(r?.name) && r.name.endsWith("-"))
      p.add(`\`${f}.name\` ${show(r.name)} ends with '-'; use ${NAME_RULES.firewallRule.text}.`);
    if (isStr(r?.name)) {
      if (ruleNames.has(r.name))
        p.add(`\`${f}.name\` ${show(r.name)} is used twice; rule names must be unique.`);
      ruleNames.add(r.name);
    }
    const okStart = checkIpv4(p, `${f}.startIpAddress`, r?.startIpAddress);
    const okEnd = checkIpv4(p, `${f}.endIpAddress`, r?.endIpAddress);
    if (okStart && okEnd) {
      const s = ipaddr.IPv4.parse(r.startIpAddress)
        .toByteArray()
        .reduce((acc, b) => acc * 256 + b, 0);
      const e = ipaddr.IPv4.parse(r.endIpAddress)
        .toByteArray()
        .reduce((acc, b) => acc * 256 + b, 0);
      if (s > e)
        p.add(
          `\`${f}\` ${show(r.startIpAddress)}-${show(r.endIpAddress)} starts after it ends; put the lower address in \`startIpAddress\`.`,
        );
    }
  });
  checkInt(
    p,
    "network.firewallMinimumPrefixLength",
    n.firewallMinimumPrefixLength,
    8,
    32,
    "firewall-no-open-ranges",
  );
}

function validateEncryption(p: Problems, a: ZeroTrustPostgresArgs): void {
  const e = (pulumi.Output.isInstance(a.encryption) ? undefined : a.encryption) ?? {};
  const brought = has(e.keyUri);
  if (brought) {
    if (known(e.keyUri)) p.add(checkKeyUri("encryption.keyUri", e.keyUri));
    if (!has(e.keyVaultResourceId))
      p.add(
        "`encryption.keyVaultResourceId` is required with `encryption.keyUri`; the server identity's role is scoped to that vault.",
      );
    for (const f of [
      "keyVaultName",
      "keyName",
      "keyType",
      "keySize",
      "keyExpiryDays",
      "keyRotationDays",
    ] as const) {
      if (has(e[f]))
        p.add(
          `\`encryption.${f}\` configures a created key but \`encryption.keyUri\` brings one; remove one of them.`,
        );
    }
  } else if (has(e.keyVaultResourceId)) {
    p.add(
      "`encryption.keyVaultResourceId` needs `encryption.keyUri`; bring both, or neither to have the component create the vault and key.",
    );
  }
  if (has(e.keyVaultResourceId)) checkId(p, "encryption.keyVaultResourceId", e.keyVaultResourceId, "vault");
  checkName(p, "encryption.keyVaultName", e.keyVaultName, NAME_RULES.vault);
  checkName(p, "encryption.keyName", e.keyName, NAME_RULES.key);
  checkName(p, "encryption.geoBackupKeyVaultName", e.geoBackupKeyVaultName, NAME_RULES.vault);
  if (isStr(e.keyVaultName) && e.keyVaultName === e.geoBackupKeyVaultName) {
    p.add(
      `\`encryption.geoBackupKeyVaultName\` ${show(e.geoBackupKeyVaultName)} equals \`encryption.keyVaultName\`; vault names are global, use two names.`,
    );
  }
  checkEnum(p, "encryption.keyType", e.keyType, KeyType);
  if (has(e.keySize) && ![2048, 3072, 4096].includes(e.keySize as number)) {
    p.add(`\`encryption.keySize\` ${show(e.keySize)} is not an RSA key size; use one of 2048, 3072, 4096.`);
  }
  checkInt(p, "encryption.keyExpiryDays", e.keyExpiryDays, 30, 730);
  checkInt(p, "encryption.keyRotationDays", e.keyRotationDays, 7, 729);
  const expiry = e.keyExpiryDays ?? 365;
  const rotation = e.keyRotationDays ?? 180;
  if (typeof expiry === "number" && typeof rotation === "number" && rotation >= expiry) {
    p.add(
      `\`encryption.keyRotationDays\` ${show(rotation)} is not below \`encryption.keyExpiryDays\` ${show(expiry)}; the key must rotate before it expires.`,
    );
  }

  const geoOn = a.backup?.geoRedundantBackup ?? true;
  const geoBrought = has(e.geoBackupKeyUri);
  if (has(e.geoBackupLocation)) {
    if (
      !isStr(e.geoBackupLocation) ||
      !NAME_RULES.region.pattern.test(canonicalRegion(e.geoBackupLocation))
    ) {
      p.add(
        `\`encryption.geoBackupLocation\` ${show(e.geoBackupLocation)} is not a region; use ${NAME_RULES.region.text}.`,
      );
    } else if (isStr(a.location) && canonicalRegion(a.location) === canonicalRegion(e.geoBackupLocation)) {
      p.add(
        `\`encryption.geoBackupLocation\` ${show(e.geoBackupLocation)} equals \`location\`; geo-backup keys live in the paired region (${PAIRED_REGIONS[canonicalRegion(a.location)] ?? "the region Azure pairs with yours"}).`,
      );
    }
  }
  if (!geoOn) {
    for (const f of [
      "geoBackupLocation",
      "geoBackupKeyUri",
      "geoBackupKeyVaultResourceId",
      "geoBackupKeyVaultName",
    ] as const) {
      if (has(e[f]))
        p.add(
          `\`encryption.${f}\` needs geo-redundant backup; remove it or set \`backup.geoRedundantBackup: true\`.`,
        );
    }
    return;
  }
  if (!has(e.geoBackupLocation)) {
    const plain = isStr(a.location) ? canonicalRegion(a.location) : undefined;
    if (plain === undefined || PAIRED_REGIONS[plain] === undefined) {
      p.add(
        `[postgres-geo-backup-cmk-key] geo-redundant backup with a customer-managed key needs \`encryption.geoBackupLocation\`; \`location\` ${show(a.location ?? "(resource group's region)")} has no known pair. Set \`encryption.geoBackupLocation\` (e.g. "northeurope") or \`backup.geoRedundantBackup: false\`.`,
      );
    }
  }
  if (geoBrought) {
    if (known(e.geoBackupKeyUri)) p.add(checkKeyUri("encryption.geoBackupKeyUri", e.geoBackupKeyUri));
    if (!has(e.geoBackupKeyVaultResourceId))
      p.add("`encryption.geoBackupKeyVaultResourceId` is required with `encryption.geoBackupKeyUri`.");
    if (has(e.geoBackupKeyVaultName))
      p.add(
        "`encryption.geoBackupKeyVaultName` configures a created geo vault but `encryption.geoBackupKeyUri` brings a key; remove one of them.",
      );
  } else if (has(e.geoBackupKeyVaultResourceId)) {
    p.add(
      "`encryption.geoBackupKeyVaultResourceId` needs `encryption.geoBackupKeyUri`; bring both, or neither.",
    );
  }
  if (has(e.geoBackupKeyVaultResourceId))
    checkId(p, "encryption.geoBackupKeyVaultResourceId", e.geoBackupKeyVaultResourceId, "vault");
  if (brought && !geoBrought) {
    p.add(
      "`encryption.keyUri` brings the primary key but geo-redundant backup also needs a key in the geo region; set `encryption.geoBackupKeyUri` and `encryption.geoBackupKeyVaultResourceId`, or `backup.geoRedundantBackup: false`.",
    );
  }
}
