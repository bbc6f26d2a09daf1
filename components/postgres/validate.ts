// Argument validation before the component registers anything. Field shapes (types, ranges, enums,
// required and forbidden per network mode, resource ids) come from the table in fields.ts; this file
// adds the rules that relate one field to another, and the names that reach the bootstrap SQL. Every
// problem is collected and thrown as one `pulumi.RunError` (printed without a stack trace) whose
// lines each name the field, the value and what is allowed.
//
// Zero-trust rules are not here: they live in policies/rules, and guard.ts runs them through the
// binding (binding.ts).

import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import type { NetworkArgs, ZeroTrustPostgresArgs } from "./args";
import {
  DEFAULT_FIREWALL_PREFIX_LENGTH,
  FIREWALL_PREFIX_LENGTH,
  firewallUnionProblem,
} from "../../policies/rules";
import { FIREWALL_UNION_RULE } from "./binding";
import { canonicalRegion, PAIRED_REGIONS, tierOfSku } from "./defaults";
import { checkFields, isKnown, modeOf, NAME_RULES, show, vaultOfKeyUri } from "./fields";
import { bootstrapSqlSteps } from "./sql";
import { validateExtensions, validateServerParameters } from "./extensions";
import { validateRoleAssignments } from "./rbac";
import { destinationInputs } from "./diagnostics";
import { resolveLongTermBackup } from "./backup-vault";
import { resolveReplicas } from "./replicas";

function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}
function isStr(v: unknown): v is string {
  return typeof v === "string";
}
function obj<T extends object>(v: T | undefined | null): Partial<T> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !pulumi.Output.isInstance(v) ? v : {};
}
function list<T>(v: T[] | undefined | null): T[] {
  return Array.isArray(v) ? v : [];
}

/** Premium SSD (v1) sizes Azure offers for Flexible Server, in GiB. */
export const PREMIUM_LRS_SIZES_GB = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767] as const;

/** Databases Azure or PostgreSQL reserve on a flexible server. */
const RESERVED_DATABASES = ["postgres", "azure_maintenance", "azure_sys", "template0", "template1"];

/**
 * Logins Azure refuses for the password administrator
 * (https://learn.microsoft.com/azure/postgresql/flexible-server/quickstart-create-server, "Admin
 * username"; read 2026-11-30).
 */
const RESERVED_LOGIN =
  /^(azure_superuser|azure_pg_admin|admin|administrator|root|guest|public|postgres)$|^pg_/;

/** The refusal the component throws: one line per problem. */
export function refusal(name: string, problems: readonly string[]): pulumi.RunError {
  return new pulumi.RunError(
    `ZeroTrustPostgres ${show(name)} refused its arguments (nothing was created):\n` +
      problems.map((m) => `  - ${m}`).join("\n"),
  );
}

/**
 * Checks every argument and throws one `pulumi.RunError` listing all problems. `now` is injectable so
 * tests of the point-in-time check do not depend on the clock.
 */
export function validateArgs(name: string, args: ZeroTrustPostgresArgs, now: Date = new Date()): void {
  if (!has(args) || typeof args !== "object") throw refusal(name, ["`args` is required."]);
  const p: string[] = [];
  // The component name prefixes every child's Azure name (`<name>-server-id`, `<name>-logs`, …).
  if (!isStr(name) || !NAME_RULES.component.pattern.test(name))
    p.push(
      `component name ${show(name)} is not allowed; use ${NAME_RULES.component.text}, because it prefixes the Azure names of the children.`,
    );
  p.push(...checkFields(args));
  p.push(...crossFieldProblems(name, args, now));
  if (p.length > 0) throw refusal(name, p);
}

/** Rules between fields. Each assumes only what fields.ts guarantees when a value is well formed. */
function crossFieldProblems(name: string, a: ZeroTrustPostgresArgs, now: Date): string[] {
  const p: string[] = [];

  // --- SKU and storage -------------------------------------------------------------------------------
  if (isStr(a.skuName) && isStr(a.skuTier) && tierOfSku(a.skuName) && tierOfSku(a.skuName) !== a.skuTier)
    p.push(
      `\`skuName\` ${show(a.skuName)} is a ${tierOfSku(a.skuName)} SKU but \`skuTier\` is ${show(a.skuTier)}; use a matching pair or omit \`skuTier\`.`,
    );
  const tier = a.skuTier ?? (isStr(a.skuName) ? tierOfSku(a.skuName) : undefined) ?? "GeneralPurpose";
  const storageType = a.storageType ?? "Premium_LRS";
  if (
    storageType === "Premium_LRS" &&
    typeof a.storageSizeGb === "number" &&
    !(PREMIUM_LRS_SIZES_GB as readonly number[]).includes(a.storageSizeGb)
  )
    p.push(
      `\`storageSizeGb\` ${show(a.storageSizeGb)} is not a Premium_LRS size; use one of ${PREMIUM_LRS_SIZES_GB.join(", ")}.`,
    );
  if (a.storageAutoGrow === true && storageType !== "Premium_LRS")
    p.push(
      `\`storageAutoGrow\` true is not available with \`storageType\` ${show(storageType)}; use "Premium_LRS" or set it to false.`,
    );
  for (const field of ["storageIops", "storageThroughputMBps"] as const)
    if (has(a[field]) && storageType === "Premium_LRS")
      p.push(
        `\`${field}\` ${show(a[field])} is only for "PremiumV2_LRS" or "UltraSSD_LRS" storage; remove it or change \`storageType\`.`,
      );

  // --- high availability -----------------------------------------------------------------------------
  if (tier === "Burstable" && has(a.highAvailability) && a.highAvailability !== "Disabled")
    p.push(
      `\`highAvailability\` ${show(a.highAvailability)} is not available on the Burstable tier; use "Disabled", or a GeneralPurpose/MemoryOptimized SKU.`,
    );
  if (has(a.standbyAvailabilityZone)) {
    const ha = a.highAvailability ?? (tier === "Burstable" ? "Disabled" : "ZoneRedundant");
    if (ha !== "ZoneRedundant")
      p.push(
        `\`standbyAvailabilityZone\` ${show(a.standbyAvailabilityZone)} only applies to \`highAvailability\` "ZoneRedundant" (it is ${show(ha)}); remove it.`,
      );
    else if (a.standbyAvailabilityZone === (a.availabilityZone ?? "1"))
      p.push(
        `\`standbyAvailabilityZone\` ${show(a.standbyAvailabilityZone)} equals \`availabilityZone\`; ZoneRedundant needs a different zone.`,
      );
  }

  // --- principals and the names that reach SQL -------------------------------------------------------
  p.push(...principalProblems(name, a));
  if (isStr(a.databaseName) && RESERVED_DATABASES.includes(a.databaseName.toLowerCase()))
    p.push(
      `\`databaseName\` ${show(a.databaseName)} is reserved by Azure or PostgreSQL; use your application's name.`,
    );

  // --- password login (waiver) -------------------------------------------------------------------------
  if (has(a.administratorLogin)) {
    if (a.allowPasswordAuth !== true)
      p.push("`administratorLogin` needs `allowPasswordAuth: true`; remove it to keep Entra-only login.");
    else if (isStr(a.administratorLogin) && RESERVED_LOGIN.test(a.administratorLogin))
      p.push(
        `\`administratorLogin\` ${show(a.administratorLogin)} is reserved by Azure; choose another login such as "ztadmin".`,
      );
  }

  p.push(...networkProblems(a));
  p.push(...encryptionProblems(a));

  // --- monitoring, restore -----------------------------------------------------------------------------
  const mon = obj(a.monitoring);
  if (mon.alerts === false && has(mon.actionGroupResourceId))
    p.push(
      "`monitoring.actionGroupResourceId` is set but `monitoring.alerts` is false; the action group would never be notified. Remove one of them.",
    );
  p.push(...restoreProblems(a, now));
  p.push(...featureProblems(name, a));
  for (const [k, v] of Object.entries(obj(a.tags))) {
    if (k.length === 0 || k.length > 512 || /[<>%&\\?/]/.test(k))
      p.push(`\`tags\` key ${show(k)} is not allowed; use 1-512 characters without < > % & \\ ? /.`);
    if (typeof v !== "string" || v.length > 256)
      p.push(`\`tags.${k}\` ${show(v)} is not allowed; use a string of at most 256 characters.`);
  }
  return p;
}

/**
 * Entra principals and PostgreSQL role names. Each object id may appear once across administrators,
 * personas and workloads: two roles bound to one Entra object would let its members sign in as
 * either. Role names are compared case-insensitively: PostgreSQL folds unquoted identifiers to lower
 * case (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS, read
 * 2026-11-30), so "Readers" and "readers" would be two roles that a psql user cannot tell apart.
 */
function principalProblems(name: string, a: ZeroTrustPostgresArgs): string[] {
  const p: string[] = [];
  const objectIds = new Map<string, string>();
  const roles = new Map<string, string>();
  const claim = (map: Map<string, string>, key: unknown, field: string) => {
    if (!isStr(key)) return;
    const k = key.toLowerCase();
    const first = map.get(k);
    if (first === undefined) map.set(k, field);
    else if (map === objectIds)
      p.push(
        `\`${field}\` ${show(key)} is listed twice (also \`${first}\`); one Entra object may hold one role, or its members could sign in as either.`,
      );
    else
      p.push(
        `\`${field}\` ${show(key)} is the same role name as \`${first}\` (role names are compared case-insensitively); use each role name once.`,
      );
  };
  list(a.administrators).forEach((x, i) => {
    claim(objectIds, x?.objectId, `administrators[${i}].objectId`);
    claim(roles, x?.principalName, `administrators[${i}].principalName`);
  });
  list(a.personas).forEach((x, i) => {
    claim(objectIds, x?.objectId, `personas[${i}].objectId`);
    claim(roles, x?.groupName, `personas[${i}].groupName`);
  });
  const workloadNames = new Map<string, number>();
  list(a.workloadIdentities).forEach((w, i) => {
    if (!isStr(w?.name)) return;
    const field = `workloadIdentities[${i}].name`;
    const first = workloadNames.get(w.name);
    if (first !== undefined) {
      p.push(
        `\`${field}\` ${show(w.name)} is used twice (first at \`workloadIdentities[${first}].name\`); workload names must be unique.`,
      );
      return;
    }
    workloadNames.set(w.name, i);
    // The identity's Azure name is also its PostgreSQL role name.
    const identityName = `${name}-${w.name}-id`;
    if (!NAME_RULES.identity.pattern.test(identityName))
      p.push(
        `\`${field}\` ${show(w.name)} makes identity name "${identityName}"; it must be ${NAME_RULES.identity.text}.`,
      );
    // NAMEDATALEN is 64, so an identifier holds at most 63 bytes
    // (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS).
    else if (Buffer.byteLength(identityName, "utf8") > 63)
      p.push(
        `\`${field}\` ${show(w.name)} makes PostgreSQL role "${identityName}" longer than 63 bytes; shorten the component or workload name.`,
      );
    else claim(roles, identityName, field);
  });
  if (p.length === 0) p.push(...sqlNameProblems(name, a));
  return p;
}

/**
 * Every name that reaches the bootstrap SQL, judged by the SQL generator itself (sql.ts) before any
 * child exists. Workload principal ids are not known until their identities exist, so a placeholder
 * GUID stands in: the names are known, and they are what the generator refuses.
 */
function sqlNameProblems(name: string, a: ZeroTrustPostgresArgs): string[] {
  const personas = list(a.personas);
  const workloads = list(a.workloadIdentities);
  const principals = [
    ...personas.map((x) => ({ role: x?.groupName, objectId: x?.objectId, access: x?.access, type: "group" })),
    ...workloads.map((w) => ({
      role: `${name}-${w?.name}-id`,
      objectId: "00000000-0000-4000-8000-000000000000",
      access: w?.access,
      type: "service",
    })),
  ];
  // Only names whose shape the field table accepted: a malformed one is already reported.
  if (principals.some((x) => !isStr(x.role) || !isStr(x.objectId) || !isStr(x.access))) return [];
  try {
    bootstrapSqlSteps({
      databaseName: isStr(a.databaseName) ? a.databaseName : "app",
      schemaName: isStr(a.schemaName) ? a.schemaName : "app",
      personas: principals.map((x) => ({
        role: x.role as string,
        objectId: x.objectId as string,
        principalType: x.type as "group" | "service",
        access: x.access as "admin" | "writer" | "reader",
      })),
    });
    return [];
  } catch (err) {
    // The generator names its own fields (`personas[i].role`); name the component's argument instead.
    const message = (err as Error).message.replace(/`personas\[(\d+)\]\.role`/, (_, i: string) => {
      const n = Number(i);
      return n < personas.length
        ? `\`personas[${n}].groupName\``
        : `\`workloadIdentities[${n - personas.length}].name\` (role)`;
    });
    return [message];
  }
}

/**
 * vnetIntegration mode: the created vaults (public access disabled) need a private endpoint, and the
 * delegated subnet cannot hold one: "only Azure Database for PostgreSQL flexible server instances can use
 * that subnet. No other Azure resource types can be in the delegated subnet"
 * (https://learn.microsoft.com/azure/postgresql/network/concepts-networking-private, read 2026-11-30).
 * So a second, plain subnet: brought, or created beside the created delegated subnet.
 */
function vaultEndpointSubnetProblems(n: Partial<NetworkArgs>, vaultsCreated: boolean): string[] {
  const brought = has(n.keyVaultPrivateEndpointSubnetResourceId);
  const created = has(n.keyVaultSubnetAddressPrefix);
  if (!vaultsCreated)
    return brought || created
      ? [
          `\`network.${brought ? "keyVaultPrivateEndpointSubnetResourceId" : "keyVaultSubnetAddressPrefix"}\` has no use: the component creates no Key Vault (the keys are brought); remove it.`,
        ]
      : [];
  if (brought && created)
    return [
      "`network.keyVaultPrivateEndpointSubnetResourceId` and `network.keyVaultSubnetAddressPrefix` exclude each other; bring the vaults' endpoint subnet or have one created, not both.",
    ];
  if (!brought && !created)
    return [
      "vnetIntegration mode with a created Key Vault needs a subnet for the vault's private endpoint (its public access is disabled, and the delegated subnet cannot hold private endpoints): set `network.keyVaultSubnetAddressPrefix` (a /29 or larger CIDR in `network.virtualNetworkName`, beside the created delegated subnet) or `network.keyVaultPrivateEndpointSubnetResourceId` (an existing, non-delegated subnet).",
    ];
  if (created && !has(n.delegatedSubnetAddressPrefix))
    return [
      "`network.keyVaultSubnetAddressPrefix` creates the subnet beside a created delegated subnet; with `network.delegatedSubnetResourceId` set `network.keyVaultPrivateEndpointSubnetResourceId` instead.",
    ];
  const [kv, pg] = [n.keyVaultSubnetAddressPrefix, n.delegatedSubnetAddressPrefix];
  if (created && isStr(kv) && isStr(pg) && ipaddr.isValidCIDR(kv) && ipaddr.isValidCIDR(pg)) {
    const a = ipaddr.parseCIDR(kv);
    const b = ipaddr.parseCIDR(pg);
    if (a[0].kind() === b[0].kind() && (a[0].match(b) || b[0].match(a)))
      return [
        `\`network.keyVaultSubnetAddressPrefix\` ${show(kv)} overlaps \`network.delegatedSubnetAddressPrefix\` ${show(pg)}; give the two subnets separate ranges of the VNet.`,
      ];
  }
  return [];
}

function networkProblems(a: ZeroTrustPostgresArgs): string[] {
  const p: string[] = [];
  if (!has(a.network) || typeof a.network !== "object" || pulumi.Output.isInstance(a.network)) return p;
  const n = obj(a.network);
  const mode = modeOf(a);
  if (mode === "vnetIntegration") {
    const brought = has(n.delegatedSubnetResourceId);
    const created = has(n.delegatedSubnetAddressPrefix);
    if (brought && created)
      p.push(
        "`network.delegatedSubnetResourceId` and `network.delegatedSubnetAddressPrefix` exclude each other; bring a delegated subnet or have one created, not both.",
      );
    if (!brought && !created)
      p.push(
        "vnetIntegration mode needs `network.delegatedSubnetResourceId` (an existing delegated subnet) or `network.delegatedSubnetAddressPrefix` with `network.virtualNetworkName` (a created one).",
      );
    if (brought && has(n.virtualNetworkName))
      p.push(
        "`network.virtualNetworkName` is only for a created subnet; remove it when `network.delegatedSubnetResourceId` is set.",
      );
    if (created && !has(n.virtualNetworkName))
      p.push(
        "`network.virtualNetworkName` is required with `network.delegatedSubnetAddressPrefix`; name the VNet the subnet is created in.",
      );
    if (has(n.privateDnsZoneName) && has(n.privateDnsZoneResourceId))
      p.push(
        "`network.privateDnsZoneName` and `network.privateDnsZoneResourceId` exclude each other; create a zone or bring one.",
      );
    if (n.allowPublicAccess === true)
      p.push(
        "`network.allowPublicAccess` true is impossible in vnetIntegration mode (the server has no public endpoint); use privateEndpoint mode to add firewall rules.",
      );
  }
  const enc = obj(a.encryption);
  const vaultsCreated =
    !has(enc.keyUri) || (obj(a.backup).geoRedundantBackup !== false && !has(enc.geoBackupKeyUri));
  if (mode === "vnetIntegration") p.push(...vaultEndpointSubnetProblems(n, vaultsCreated));
  const createsZone =
    !has(n.privateDnsZoneResourceId) || (vaultsCreated && !has(n.keyVaultPrivateDnsZoneResourceId));
  if (
    createsZone &&
    Array.isArray(n.linkedVirtualNetworkResourceIds ?? []) &&
    list(n.linkedVirtualNetworkResourceIds).length === 0
  )
    p.push(
      "`network.linkedVirtualNetworkResourceIds` is empty but the component creates a private DNS zone; list the VNets whose clients must resolve the server (at least the VNet of the endpoint or delegated subnet).",
    );

  const rules = list(n.firewallRules);
  if (rules.length > 0 && n.allowPublicAccess !== true)
    p.push(
      "`network.firewallRules` needs `network.allowPublicAccess: true`; firewall rules only matter on a public endpoint, which stays Disabled unless you waive the private-network rule with it.",
    );
  // Azure resource names are case-insensitive: two rules differing only in case are one rule.
  const names = new Map<string, number>();
  const ranges: [number, number][] = [];
  rules.forEach((r, i) => {
    if (isStr(r?.name)) {
      const first = names.get(r.name.toLowerCase());
      if (first !== undefined)
        p.push(
          `\`network.firewallRules[${i}].name\` ${show(r.name)} repeats \`network.firewallRules[${first}].name\` (Azure names are case-insensitive); rule names must be unique.`,
        );
      else names.set(r.name.toLowerCase(), i);
    }
    if (
      isStr(r?.startIpAddress) &&
      isStr(r?.endIpAddress) &&
      ipaddr.IPv4.isValidFourPartDecimal(r.startIpAddress) &&
      ipaddr.IPv4.isValidFourPartDecimal(r.endIpAddress)
    ) {
      const num = (s: string) =>
        ipaddr.IPv4.parse(s)
          .toByteArray()
          .reduce((acc, b) => acc * 256 + b, 0);
      if (num(r.startIpAddress) > num(r.endIpAddress))
        p.push(
          `\`network.firewallRules[${i}]\` ${show(r.startIpAddress)}-${show(r.endIpAddress)} starts after it ends; put the lower address in \`startIpAddress\`.`,
        );
      else ranges.push([num(r.startIpAddress), num(r.endIpAddress)]);
    }
  });
  // The union of the rules, judged as the pack's stack rule judges it (the same helper): narrow rules
  // that together admit a wide block are refused, so splitting a range does not get past the limit.
  const prefix = n.firewallMinimumPrefixLength ?? DEFAULT_FIREWALL_PREFIX_LENGTH;
  const inRange =
    Number.isInteger(prefix) && prefix >= FIREWALL_PREFIX_LENGTH.min && prefix <= FIREWALL_PREFIX_LENGTH.max;
  const union = ranges.length > 1 && inRange ? firewallUnionProblem(ranges, prefix) : undefined;
  if (union !== undefined)
    p.push(
      `[${FIREWALL_UNION_RULE}] \`network.firewallRules\`: ${union} (\`network.firewallMinimumPrefixLength\` ${prefix}); keep only the client addresses that need access, or connect through a private endpoint.`,
    );
  return p;
}

function encryptionProblems(a: ZeroTrustPostgresArgs): string[] {
  const p: string[] = [];
  const e = obj(a.encryption);
  const brought = has(e.keyUri);
  if (brought) {
    if (!has(e.keyVaultResourceId))
      p.push(
        "`encryption.keyVaultResourceId` is required with `encryption.keyUri`; the server identity's role is scoped to that vault.",
      );
    for (const f of [
      "keyVaultName",
      "keyName",
      "keyType",
      "keySize",
      "keyExpiryDays",
      "keyRotationDays",
    ] as const)
      if (has(e[f]))
        p.push(
          `\`encryption.${f}\` configures a created key but \`encryption.keyUri\` brings one; remove one of them.`,
        );
  } else if (has(e.keyVaultResourceId)) {
    p.push(
      "`encryption.keyVaultResourceId` needs `encryption.keyUri`; bring both, or neither to have the component create the vault and key.",
    );
  }
  p.push(...sameVault("encryption.keyUri", e.keyUri, "encryption.keyVaultResourceId", e.keyVaultResourceId));
  // Vault names are global and case-insensitive (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault, read 2026-11-30).
  if (
    isStr(e.keyVaultName) &&
    isStr(e.geoBackupKeyVaultName) &&
    e.keyVaultName.toLowerCase() === e.geoBackupKeyVaultName.toLowerCase()
  )
    p.push(
      `\`encryption.geoBackupKeyVaultName\` ${show(e.geoBackupKeyVaultName)} equals \`encryption.keyVaultName\` ${show(e.keyVaultName)} (vault names are case-insensitive and global); use two names.`,
    );
  const expiry = e.keyExpiryDays ?? 365;
  const rotation = e.keyRotationDays ?? 180;
  if (typeof expiry === "number" && typeof rotation === "number" && rotation >= expiry)
    p.push(
      `\`encryption.keyRotationDays\` ${show(rotation)} is not below \`encryption.keyExpiryDays\` ${show(expiry)}; the key must rotate before it expires.`,
    );

  const geoOn = obj(a.backup).geoRedundantBackup ?? true;
  if (!geoOn) {
    for (const f of [
      "geoBackupLocation",
      "geoBackupKeyUri",
      "geoBackupKeyVaultResourceId",
      "geoBackupKeyVaultName",
    ] as const)
      if (has(e[f]))
        p.push(
          `\`encryption.${f}\` needs geo-redundant backup; remove it or set \`backup.geoRedundantBackup: true\`.`,
        );
    return p;
  }
  const location = isStr(a.location) ? canonicalRegion(a.location) : undefined;
  if (
    isStr(e.geoBackupLocation) &&
    location !== undefined &&
    location === canonicalRegion(e.geoBackupLocation)
  )
    p.push(
      `\`encryption.geoBackupLocation\` ${show(e.geoBackupLocation)} equals \`location\`; geo-backup keys live in the paired region (${PAIRED_REGIONS[location] ?? "the region Azure pairs with yours"}).`,
    );
  // Pairs come from the region table (policies/facts/regions.ts). A plain region, known or not, is left
  // to region-checks.ts, which names an unknown (misspelt) region as such and says whether geo backup is
  // possible in a known one; only a region not known here (an Output, or the resource group's) is
  // reported now.
  if (!has(e.geoBackupLocation) && location === undefined)
    p.push(
      `geo-redundant backup with a customer-managed key needs \`encryption.geoBackupLocation\`; \`location\` ${show(a.location ?? "(resource group's region)")} has no known pair. Set \`encryption.geoBackupLocation\` (e.g. "northeurope") or \`backup.geoRedundantBackup: false\`.`,
    );
  const geoBrought = has(e.geoBackupKeyUri);
  if (geoBrought) {
    if (!has(e.geoBackupKeyVaultResourceId))
      p.push("`encryption.geoBackupKeyVaultResourceId` is required with `encryption.geoBackupKeyUri`.");
    if (has(e.geoBackupKeyVaultName))
      p.push(
        "`encryption.geoBackupKeyVaultName` configures a created geo vault but `encryption.geoBackupKeyUri` brings a key; remove one of them.",
      );
  } else if (has(e.geoBackupKeyVaultResourceId)) {
    p.push(
      "`encryption.geoBackupKeyVaultResourceId` needs `encryption.geoBackupKeyUri`; bring both, or neither.",
    );
  }
  p.push(
    ...sameVault(
      "encryption.geoBackupKeyUri",
      e.geoBackupKeyUri,
      "encryption.geoBackupKeyVaultResourceId",
      e.geoBackupKeyVaultResourceId,
    ),
  );
  if (brought && !geoBrought)
    p.push(
      "`encryption.keyUri` brings the primary key but geo-redundant backup also needs a key in the geo region; set `encryption.geoBackupKeyUri` and `encryption.geoBackupKeyVaultResourceId`, or `backup.geoRedundantBackup: false`.",
    );
  return p;
}

/**
 * A brought key and the vault the server's role is granted on must be the same vault: the key URI's
 * host names the vault (`https://<vault>.vault.azure.net/keys/<key>`), the resource id ends in it.
 * Checked when both are plain values; Outputs are compared by `keyScopeProblem` when they resolve.
 */
function sameVault(uriField: string, uri: unknown, idField: string, id: unknown): string[] {
  if (!isKnown(uri) || !isKnown(id) || !isStr(uri) || !isStr(id)) return [];
  const problem = keyScopeProblem(uriField, uri, idField, id);
  return problem === undefined ? [] : [problem];
}

/** The key URI's vault differs from the vault the resource id names (case-insensitive). */
export function keyScopeProblem(
  uriField: string,
  uri: string,
  idField: string,
  id: string,
  secret = false,
): string | undefined {
  const fromUri = vaultOfKeyUri(uri);
  const fromId = id.split("/").pop()?.toLowerCase();
  if (fromUri === undefined || fromId === undefined || fromUri === fromId) return undefined;
  return secret
    ? `\`${uriField}\` (secret) and \`${idField}\` (secret) name different vaults; the server's role would be granted on a vault that does not hold the key.`
    : `\`${uriField}\` ${show(uri)} is in vault "${fromUri}" but \`${idField}\` names vault "${fromId}"; use the resource id of the vault that holds the key.`;
}

/**
 * The restore mode against its point in time and the server's region (restore.ts cites the facts):
 * GeoRestore takes no point in time and needs a plain `location` (the paired region, where the
 * restored server's key and identity are created); the other modes need a point in the past.
 */
function restoreProblems(a: ZeroTrustPostgresArgs, now: Date): string[] {
  if (!has(a.restore)) return [];
  const r = obj(a.restore);
  const mode = r.mode ?? "PointInTimeRestore";
  const t = r.pointInTimeUtc;
  if (mode === "GeoRestore") {
    const p: string[] = [];
    if (has(t))
      p.push(
        `\`restore.pointInTimeUtc\` ${show(t)} is refused with \`restore.mode\` "GeoRestore": Azure restores the last backup copied to the paired region (no point in time); remove it.`,
      );
    if (!isStr(a.location))
      p.push(
        `\`location\` ${show(a.location)} must be a plain region with \`restore.mode\` "GeoRestore": the source's geo-paired region, where the restored server, its key and its identity are created.`,
      );
    return p;
  }
  const what =
    mode === "ReviveDropped"
      ? "the submissionTimestamp of the server's delete event in the activity log"
      : "a time within the source server's backup retention";
  if (!has(t))
    return [`\`restore.pointInTimeUtc\` is required with \`restore.mode\` ${show(mode)}; use ${what}.`];
  if (isStr(t) && !Number.isNaN(Date.parse(t)) && Date.parse(t) >= now.getTime())
    return [`\`restore.pointInTimeUtc\` ${show(t)} is not in the past; use ${what}.`];
  return [];
}

/** Runs a module's validator, which throws one message naming the field, the value and what is allowed. */
function problemOf(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

/** Replicas against each other and the primary (replicas.ts), and the virtual endpoint's need of one. */
function replicaProblems(name: string, a: ZeroTrustPostgresArgs): string[] {
  const replicas = list(a.replicas);
  const p: string[] = [];
  if (has(a.virtualEndpoint) && replicas.length === 0)
    p.push(
      "`virtualEndpoint` needs at least one entry in `replicas`: its read-only host points at a replica; add a replica or remove `virtualEndpoint`.",
    );
  if (replicas.length === 0 || !replicas.every((r) => has(r) && typeof r === "object" && isStr(r.name)))
    return p;
  const target = obj(a.virtualEndpoint).readReplica;
  if (has(target) && !replicas.some((r) => r.name === target))
    p.push(
      `\`virtualEndpoint.readReplica\` ${show(target)} names no replica; use one of ${replicas.map((r) => show(r.name)).join(", ")}.`,
    );
  const net = obj(a.network);
  const skuName = isStr(a.skuName) ? a.skuName : "Standard_D2ds_v5";
  return [
    ...p,
    ...problemOf(() =>
      resolveReplicas(replicas, {
        componentName: name,
        serverName: isStr(a.serverName) ? a.serverName : undefined,
        location: a.location ?? undefined,
        mode: net.mode === "vnetIntegration" ? "vnetIntegration" : "privateEndpoint",
        skuName,
        skuTier: a.skuTier ?? tierOfSku(skuName) ?? "GeneralPurpose",
        privateEndpointSubnetResourceId: net.privateEndpointSubnetResourceId ?? undefined,
      }),
    ),
  ];
}

/**
 * Extensions (against Azure's list for the version), server parameters (a guarded parameter is judged
 * by its rule first), role assignment ids and the additional databases (names and grantees).
 */
function featureProblems(name: string, a: ZeroTrustPostgresArgs): string[] {
  const p: string[] = [];
  const version = isStr(a.version) ? a.version : "17";
  if (Array.isArray(a.extensions))
    p.push(...problemOf(() => validateExtensions(a.extensions ?? [], version)));
  if (Array.isArray(a.serverParameters) && a.serverParameters.every((x) => has(x) && typeof x === "object"))
    p.push(...problemOf(() => validateServerParameters(a.serverParameters ?? [])));
  if (Array.isArray(a.roleAssignments) && a.roleAssignments.every((x) => has(x) && typeof x === "object"))
    p.push(...problemOf(() => validateRoleAssignments(a.roleAssignments ?? [])));
  if (has(a.longTermBackup) && typeof a.longTermBackup === "object")
    p.push(...problemOf(() => resolveLongTermBackup(name, a.longTermBackup ?? {})));
  p.push(...replicaProblems(name, a));
  const mon = obj(a.monitoring);
  if (has(mon.eventHub) && typeof mon.eventHub === "object")
    p.push(...problemOf(() => destinationInputs(mon.logTableMode, mon.eventHub)));
  const databases = list(a.databases).filter((d) => has(d) && typeof d === "object");
  if (databases.length === 0) return p;
  const main = (isStr(a.databaseName) ? a.databaseName : "app").toLowerCase();
  const seen = new Set<string>([main]);
  const principals = new Set<string>([
    ...list(a.personas).map((x) => String(obj(x).groupName)),
    ...list(a.workloadIdentities).map((x) => String(obj(x).name)),
    ...list(a.ciIdentities).map((x) => String(obj(x).name)),
  ]);
  databases.forEach((d, i) => {
    if (isStr(d.databaseName)) {
      const n = d.databaseName.toLowerCase();
      if (RESERVED_DATABASES.includes(n))
        p.push(
          `\`databases[${i}].databaseName\` ${show(d.databaseName)} is reserved by Azure or PostgreSQL; use another name.`,
        );
      else if (seen.has(n))
        p.push(
          `\`databases[${i}].databaseName\` ${show(d.databaseName)} is already \`databaseName\` or another entry; give each database one name.`,
        );
      seen.add(n);
    }
    list(d.grants).forEach((g, j) => {
      const who = obj(g).principal;
      if (isStr(who) && !principals.has(who))
        p.push(
          `\`databases[${i}].grants[${j}].principal\` ${show(who)} is not declared on this component; use a persona's \`groupName\`, a workload identity's or a CI identity's \`name\`.`,
        );
    });
  });
  return p;
}
