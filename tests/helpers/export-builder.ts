// Builds `pulumi stack export` files (deployment version 3) for the audit tests and the benchmarks.
//
// An *estate* is what one zero-trust PostgreSQL deployment leaves in a stack: a resource group, a
// network with a private DNS zone, a Log Analytics workspace, an identity, a vault and its CMK with
// diagnostics and a lock, the server with its parameters, Entra administrator, private endpoint, DNS
// zone group, diagnostics, lock, Defender setting and a database, all under the component resource.
// `compliantEstate` passes every rule; `insecureEstate` is the same estate with the classic mistakes.
// Resources carry inputs *and* outputs (outputs echo the inputs plus what Azure computes) so files have
// the size and shape of real exports.
//
// `writeExport` streams an export of any size to disk without holding it in memory: the benchmarks use
// it for 1k/10k/100k-resource stacks (`estateMix`), the tests for small fixtures.

import * as fs from "node:fs";

export const SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";
export const TENANT_ID = "00000000-0000-4000-8000-0000000000aa";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The component's type token (the parent of every estate resource). */
export const COMPONENT_TYPE = "zero-trust-azure-postgres:index:ZeroTrustPostgres";

/** One element of `deployment.resources` (ResourceV3), as written to the file. */
export interface ExportResourceV3 {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  delete?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: string;
  created?: string;
  modified?: string;
  [extra: string]: unknown;
}

export interface StackContext {
  stack: string;
  project: string;
}

export const DEFAULT_CONTEXT: StackContext = { stack: "prod", project: "payments" };
const TIME = "2026-11-01T09:30:00.000000000Z";

/** A secret as `pulumi stack export` writes it (encrypted by the stack's secrets provider). */
export function secret(ciphertext: string): Record<string, string> {
  return { [SIG_KEY]: SECRET_SIG, ciphertext };
}

/** A secret as `pulumi stack export --show-secrets` writes it: the plaintext is JSON-encoded. */
export function plaintextSecret(value: unknown): Record<string, string> {
  return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>`. */
export function urnOf(ctx: StackContext, type: string, name: string, parentTypes: string[] = []): string {
  return `urn:pulumi:${ctx.stack}::${ctx.project}::${[...parentTypes, type].join("$")}::${name}`;
}

export function stackResource(ctx: StackContext): ExportResourceV3 {
  return {
    urn: urnOf(ctx, "pulumi:pulumi:Stack", `${ctx.project}-${ctx.stack}`),
    custom: false,
    type: "pulumi:pulumi:Stack",
    outputs: { connectionHost: `pg-0.privatelink.postgres.database.azure.com` },
    created: TIME,
    modified: TIME,
  };
}

export const PROVIDER_ID = "6d7c9a62-2f0b-4a49-9f5e-3b1d5a2c8e01";

export function providerResource(ctx: StackContext): ExportResourceV3 {
  return {
    urn: urnOf(ctx, "pulumi:providers:azure-native", "default_3_28_0"),
    custom: true,
    id: PROVIDER_ID,
    type: "pulumi:providers:azure-native",
    inputs: { __internal: { pluginDownloadURL: "" }, location: "westeurope", version: "3.28.0" },
    outputs: { location: "westeurope", version: "3.28.0" },
    created: TIME,
    modified: TIME,
  };
}

const providerRef = (ctx: StackContext): string =>
  `${urnOf(ctx, "pulumi:providers:azure-native", "default_3_28_0")}::${PROVIDER_ID}`;

/** What an estate may change from the compliant baseline. Each field breaks one or more rules. */
export interface EstateOptions {
  /** The server's `network.publicNetworkAccess` ("Enabled" breaks postgres-no-public-network-access). */
  publicNetworkAccess?: "Enabled" | "Disabled";
  /** `authConfig.passwordAuth` ("Enabled" breaks postgres-entra-only-auth). */
  passwordAuth?: "Enabled" | "Disabled";
  /** The admin password input, written as a secret (any value: the audit must never print it). */
  adminPassword?: Record<string, string>;
  /** Adds a firewall rule with this range (0.0.0.0–255.255.255.255 breaks firewall-no-open-ranges). */
  firewallRange?: [string, string];
  /** `enablePurgeProtection` on the vault (false breaks keyvault-purge-protection). */
  purgeProtection?: boolean;
  /** `require_secure_transport` value ("off" breaks postgres-secure-transport). */
  secureTransport?: string;
  /** Leaves out the private endpoint (breaks postgres-private-connectivity). */
  withoutPrivateEndpoint?: boolean;
  /** Leaves out the server's diagnostic setting (breaks postgres-diagnostic-settings). */
  withoutDiagnostics?: boolean;
}

/** The mistakes `insecureEstate` makes, one per mandatory rule family. */
export const INSECURE: EstateOptions = {
  publicNetworkAccess: "Enabled",
  passwordAuth: "Enabled",
  firewallRange: ["0.0.0.0", "255.255.255.255"],
  purgeProtection: false,
  secureTransport: "off",
  withoutPrivateEndpoint: true,
  withoutDiagnostics: true,
};

/** Builds one estate: every resource a zero-trust server brings, compliant unless `options` say otherwise. */
export function estate(ctx: StackContext, i: number, options: EstateOptions = {}): ExportResourceV3[] {
  const out: ExportResourceV3[] = [];
  const rg = `rg-pg-${i}`;
  const server = `pg-${i}`;
  const vault = `kv-pg-${i}`;
  const sub = `/subscriptions/${SUBSCRIPTION_ID}`;
  const rgId = `${sub}/resourceGroups/${rg}`;
  const serverId = `${rgId}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${server}`;
  const vaultId = `${rgId}/providers/Microsoft.KeyVault/vaults/${vault}`;
  const vnetId = `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet-${i}`;
  const subnetId = `${vnetId}/subnets/snet-pe`;
  const zoneId = `${rgId}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com`;
  const workspaceId = `${rgId}/providers/Microsoft.OperationalInsights/workspaces/log-pg-${i}`;
  const identityId = `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pg-${i}`;
  const keyUri = `https://${vault}.vault.azure.net/keys/cmk-pg-${i}`;
  const peName = `pe-pg-${i}`;
  const peId = `${rgId}/providers/Microsoft.Network/privateEndpoints/${peName}`;

  const component = urnOf(ctx, COMPONENT_TYPE, `pg-${i}`);
  const child = (type: string, name: string): string => urnOf(ctx, type, name, [COMPONENT_TYPE]);
  out.push({
    urn: component,
    custom: false,
    type: COMPONENT_TYPE,
    outputs: { serverName: server },
    created: TIME,
    modified: TIME,
  });

  const add = (
    type: string,
    name: string,
    id: string,
    inputs: Record<string, unknown>,
    deps: string[] = [],
    computed: Record<string, unknown> = {},
    extra: Partial<ExportResourceV3> = {},
  ): string => {
    const urn = child(type, name);
    const propertyDependencies: Record<string, string[]> = {};
    for (const key of Object.keys(inputs)) propertyDependencies[key] = [];
    if (deps.length > 0) propertyDependencies[Object.keys(inputs)[0] ?? "resourceGroupName"] = deps;
    out.push({
      urn,
      custom: true,
      id,
      type,
      inputs,
      outputs: { ...inputs, id, name: id.split("/").pop(), ...computed },
      parent: component,
      dependencies: deps,
      propertyDependencies,
      provider: providerRef(ctx),
      created: TIME,
      modified: TIME,
      ...extra,
    });
    return urn;
  };

  const location = "westeurope";
  const tags = { environment: ctx.stack, "managed-by": "pulumi", estate: String(i) };
  const rgUrn = add(
    "azure-native:resources:ResourceGroup",
    rg,
    rgId,
    { resourceGroupName: rg, location, tags },
    [],
    {
      provisioningState: "Succeeded",
    },
  );
  const vnetUrn = add(
    "azure-native:network:VirtualNetwork",
    `vnet-${i}`,
    vnetId,
    {
      resourceGroupName: rg,
      virtualNetworkName: `vnet-${i}`,
      location,
      addressSpace: { addressPrefixes: [`10.${i % 250}.0.0/16`] },
      tags,
    },
    [rgUrn],
    { resourceGuid: `guid-vnet-${i}`, provisioningState: "Succeeded" },
  );
  const subnetUrn = add(
    "azure-native:network:Subnet",
    `snet-pe-${i}`,
    subnetId,
    {
      resourceGroupName: rg,
      virtualNetworkName: `vnet-${i}`,
      subnetName: "snet-pe",
      addressPrefix: `10.${i % 250}.1.0/24`,
      privateEndpointNetworkPolicies: "Enabled",
    },
    [vnetUrn],
  );
  const zoneUrn = add(
    "azure-native:privatedns:PrivateZone",
    `pdz-pg-${i}`,
    zoneId,
    {
      resourceGroupName: rg,
      privateZoneName: "privatelink.postgres.database.azure.com",
      location: "Global",
      tags,
    },
    [rgUrn],
    { numberOfRecordSets: 2, maxNumberOfRecordSets: 25000 },
  );
  add(
    "azure-native:privatedns:VirtualNetworkLink",
    `pdz-link-${i}`,
    `${zoneId}/virtualNetworkLinks/link-${i}`,
    {
      resourceGroupName: rg,
      privateZoneName: "privatelink.postgres.database.azure.com",
      virtualNetworkLinkName: `link-${i}`,
      location: "Global",
      registrationEnabled: false,
      virtualNetwork: { id: vnetId },
    },
    [zoneUrn, vnetUrn],
  );
  const workspaceUrn = add(
    "azure-native:operationalinsights:Workspace",
    `log-pg-${i}`,
    workspaceId,
    {
      resourceGroupName: rg,
      workspaceName: `log-pg-${i}`,
      location,
      retentionInDays: 365,
      sku: { name: "PerGB2018" },
      tags,
    },
    [rgUrn],
    { customerId: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}` },
  );
  const identityUrn = add(
    "azure-native:managedidentity:UserAssignedIdentity",
    `id-pg-${i}`,
    identityId,
    { resourceGroupName: rg, resourceName: `id-pg-${i}`, location, tags },
    [rgUrn],
    {
      principalId: `00000000-0000-4000-a000-${String(i).padStart(12, "0")}`,
      clientId: `00000000-0000-4000-b000-${String(i).padStart(12, "0")}`,
      tenantId: TENANT_ID,
    },
  );
  const vaultUrn = add(
    "azure-native:keyvault:Vault",
    vault,
    vaultId,
    {
      resourceGroupName: rg,
      vaultName: vault,
      location,
      properties: {
        tenantId: TENANT_ID,
        sku: { family: "A", name: "premium" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: options.purgeProtection ?? true,
        publicNetworkAccess: "Disabled",
        networkAcls: { bypass: "AzureServices", defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] },
      },
      tags,
    },
    [rgUrn],
    { vaultUri: `https://${vault}.vault.azure.net/` },
  );
  const keyUrn = add(
    "azure-native:keyvault:Key",
    `cmk-pg-${i}`,
    `${vaultId}/keys/cmk-pg-${i}`,
    {
      resourceGroupName: rg,
      vaultName: vault,
      keyName: `cmk-pg-${i}`,
      properties: {
        kty: "RSA-HSM",
        keySize: 3072,
        keyOps: ["wrapKey", "unwrapKey"],
        // 2027-12-01T00:00:00Z: the current version expires (keyvault-key-expiry).
        attributes: { expires: 1827619200 },
        rotationPolicy: {
          attributes: { expiryTime: "P2Y" },
          lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P18M" } }],
        },
      },
    },
    [vaultUrn],
    { keyUri, keyUriWithVersion: `${keyUri}/0123456789abcdef0123456789abcdef` },
  );
  add(
    "azure-native:monitor:DiagnosticSetting",
    `kv-diag-${i}`,
    `${vaultId}/providers/microsoft.insights/diagnosticSettings/kv-diag-${i}`,
    {
      name: `kv-diag-${i}`,
      resourceUri: vaultId,
      workspaceId,
      logs: [
        { categoryGroup: "audit", enabled: true },
        { categoryGroup: "allLogs", enabled: true },
      ],
      metrics: [{ category: "AllMetrics", enabled: true }],
    },
    [vaultUrn, workspaceUrn],
  );
  add(
    "azure-native:authorization:ManagementLockByScope",
    `kv-lock-${i}`,
    `${vaultId}/providers/Microsoft.Authorization/locks/kv-lock-${i}`,
    {
      lockName: `kv-lock-${i}`,
      scope: vaultId,
      level: "CanNotDelete",
      notes: "Holds the server's customer-managed key.",
    },
    [vaultUrn],
  );

  const serverInputs: Record<string, unknown> = {
    resourceGroupName: rg,
    serverName: server,
    location,
    version: "16",
    sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" },
    storage: { storageSizeGB: 256, autoGrow: "Enabled", tier: "P15" },
    network: { publicNetworkAccess: options.publicNetworkAccess ?? "Disabled" },
    authConfig: {
      activeDirectoryAuth: "Enabled",
      passwordAuth: options.passwordAuth ?? "Disabled",
      tenantId: TENANT_ID,
    },
    dataEncryption: {
      type: "AzureKeyVault",
      primaryKeyURI: keyUri,
      primaryUserAssignedIdentityId: identityId,
      geoBackupKeyURI: `https://${vault}-geo.vault.azure.net/keys/cmk-pg-${i}-geo`,
      geoBackupUserAssignedIdentityId: identityId,
    },
    identity: { type: "UserAssigned", userAssignedIdentities: { [identityId]: {} } },
    backup: { backupRetentionDays: 35, geoRedundantBackup: "Enabled" },
    highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" },
    availabilityZone: "1",
    tags,
  };
  if (options.adminPassword !== undefined) {
    serverInputs.administratorLogin = "pgadmin";
    serverInputs.administratorLoginPassword = options.adminPassword;
  }
  const serverUrn = add(
    "azure-native:dbforpostgresql:Server",
    server,
    serverId,
    serverInputs,
    [rgUrn, keyUrn, identityUrn],
    { fullyQualifiedDomainName: `${server}.postgres.database.azure.com`, state: "Ready", minorVersion: "4" },
    { protect: true, additionalSecretOutputs: ["administratorLoginPassword"] },
  );

  const parameters: [string, string][] = [
    ["require_secure_transport", options.secureTransport ?? "on"],
    ["ssl_min_protocol_version", "TLSv1.2"],
    ["log_connections", "on"],
    ["log_disconnections", "on"],
    ["log_checkpoints", "on"],
    ["connection_throttle.enable", "on"],
    ["logfiles.retention_days", "7"],
    ["shared_preload_libraries", "pgaudit,pg_stat_statements"],
    ["pgaudit.log", "ddl,role,write"],
  ];
  for (const [name, value] of parameters) {
    add(
      "azure-native:dbforpostgresql:Configuration",
      `${server}-${name.replace(/[._]/g, "-")}`,
      `${serverId}/configurations/${name}`,
      { resourceGroupName: rg, serverName: server, configurationName: name, value, source: "user-override" },
      [serverUrn],
      { dataType: "Enumeration", isReadOnly: false },
    );
  }
  if (options.firewallRange !== undefined) {
    add(
      "azure-native:dbforpostgresql:FirewallRule",
      `${server}-fw-office`,
      `${serverId}/firewallRules/office`,
      {
        resourceGroupName: rg,
        serverName: server,
        firewallRuleName: "office",
        startIpAddress: options.firewallRange[0],
        endIpAddress: options.firewallRange[1],
      },
      [serverUrn],
    );
  }
  add(
    "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
    `${server}-entra-admin`,
    `${serverId}/administrators/00000000-0000-4000-c000-000000000001`,
    {
      resourceGroupName: rg,
      serverName: server,
      objectId: "00000000-0000-4000-c000-000000000001",
      principalName: "pg-admins",
      principalType: "Group",
      tenantId: TENANT_ID,
    },
    [serverUrn],
  );
  if (!options.withoutPrivateEndpoint) {
    const peUrn = add(
      "azure-native:network:PrivateEndpoint",
      peName,
      peId,
      {
        resourceGroupName: rg,
        privateEndpointName: peName,
        location,
        subnet: { id: subnetId },
        privateLinkServiceConnections: [
          { name: `${peName}-conn`, privateLinkServiceId: serverId, groupIds: ["postgresqlServer"] },
        ],
        tags,
      },
      [subnetUrn, serverUrn],
      {
        networkInterfaces: [{ id: `${rgId}/providers/Microsoft.Network/networkInterfaces/${peName}.nic` }],
        provisioningState: "Succeeded",
      },
    );
    add(
      "azure-native:network:PrivateDnsZoneGroup",
      `${peName}-dns`,
      `${peId}/privateDnsZoneGroups/default`,
      {
        resourceGroupName: rg,
        privateEndpointName: peName,
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: "postgres", privateDnsZoneId: zoneId }],
      },
      [peUrn, zoneUrn],
    );
  }
  if (!options.withoutDiagnostics) {
    add(
      "azure-native:monitor:DiagnosticSetting",
      `${server}-diag`,
      `${serverId}/providers/microsoft.insights/diagnosticSettings/${server}-diag`,
      {
        name: `${server}-diag`,
        resourceUri: serverId,
        workspaceId,
        logs: [
          { categoryGroup: "allLogs", enabled: true },
          { categoryGroup: "audit", enabled: true },
        ],
        metrics: [{ category: "AllMetrics", enabled: true }],
      },
      [serverUrn, workspaceUrn],
    );
  }
  add(
    "azure-native:authorization:ManagementLockByScope",
    `${server}-lock`,
    `${serverId}/providers/Microsoft.Authorization/locks/${server}-lock`,
    {
      lockName: `${server}-lock`,
      scope: serverId,
      level: "CanNotDelete",
      notes: "Deleting the server deletes its data.",
    },
    [serverUrn],
  );
  add(
    "azure-native:security:AdvancedThreatProtection",
    `${server}-atp`,
    `${serverId}/providers/Microsoft.Security/advancedThreatProtectionSettings/current`,
    { resourceId: serverId, settingName: "current", isEnabled: true },
    [serverUrn],
  );
  add(
    "azure-native:dbforpostgresql:Database",
    `${server}-appdb`,
    `${serverId}/databases/appdb`,
    {
      resourceGroupName: rg,
      serverName: server,
      databaseName: "appdb",
      charset: "UTF8",
      collation: "en_US.utf8",
    },
    [serverUrn],
  );
  return out;
}

export const compliantEstate = (ctx: StackContext, i: number): ExportResourceV3[] => estate(ctx, i);
export const insecureEstate = (ctx: StackContext, i: number, extra: EstateOptions = {}): ExportResourceV3[] =>
  estate(ctx, i, { ...INSECURE, ...extra });

/** The top of an export: everything but `deployment.resources`. */
function header(version: number): { version: number; deployment: Record<string, unknown> } {
  return {
    version,
    deployment: {
      manifest: {
        time: TIME,
        magic: "2f5d3c0bd62ad2d57a0c3f6a3b0d41b1fa1c1f0bb5c64c7a9b4ae8d7b7a2d1c3",
        version: "v3.207.0",
        plugins: [
          { name: "nodejs", path: "/usr/bin/pulumi-language-nodejs", type: "language", version: "3.207.0" },
          {
            name: "azure-native",
            path: "/home/runner/.pulumi/plugins/resource-azure-native-v3.28.0",
            type: "resource",
            version: "3.28.0",
          },
        ],
      },
      secrets_providers: {
        type: "passphrase",
        state: { salt: "v1:Kq5fR9x0fT8=:v1:wB3YlQp1y3kVg0sR:4b6mTgk1vXr6JZp0S7bWvQ==" },
      },
    },
  };
}

export interface ExportOptions {
  ctx?: StackContext;
  /** Deployment version written to `version`. Defaults to 3. */
  version?: number;
  /** Indent like `pulumi stack export` (4 spaces). Defaults to true; false writes one line. */
  pretty?: boolean;
}

/** A whole export as an object (small stacks). */
export function stackExport(
  resources: ExportResourceV3[],
  options: ExportOptions = {},
): Record<string, unknown> {
  const h = header(options.version ?? 3);
  return { version: h.version, deployment: { ...h.deployment, resources } };
}

/** The stack resource, the default provider and the given estates' resources. */
export function withStack(ctx: StackContext, ...estates: ExportResourceV3[][]): ExportResourceV3[] {
  return [stackResource(ctx), providerResource(ctx), ...estates.flat()];
}

export function exportText(resources: ExportResourceV3[], options: ExportOptions = {}): string {
  return (
    JSON.stringify(stackExport(resources, options), null, options.pretty === false ? undefined : 4) + "\n"
  );
}

/** Writes a small export to `file`. */
export function writeExportFile(
  file: string,
  resources: ExportResourceV3[],
  options: ExportOptions = {},
): void {
  fs.writeFileSync(file, exportText(resources, options));
}

export interface LargeExportOptions extends ExportOptions {
  /** How many resources in total (the stack and provider included); the last estate is cut to fit. */
  resources: number;
  /** One in every `insecureEvery` estates is insecure (0: none). Defaults to 10. */
  insecureEvery?: number;
  /** Adds an admin password secret to every estate. Defaults to true. */
  secrets?: boolean;
}

/**
 * Streams an export of `resources` resources to `file` (for the audit benchmarks: 1k, 10k, 100k), in
 * the layout `pulumi stack export` writes, with a realistic mix: whole estates, one in ten insecure.
 * Memory stays flat: one estate at a time. Resolves with the number of bytes written.
 */
export async function writeLargeExport(file: string, options: LargeExportOptions): Promise<number> {
  const ctx = options.ctx ?? DEFAULT_CONTEXT;
  const pretty = options.pretty !== false;
  const insecureEvery = options.insecureEvery ?? 10;
  const out = fs.createWriteStream(file);
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((resolve) => out.once("drain", resolve));
  };
  const indent = (s: string, n: number): string => s.replace(/\n/g, `\n${" ".repeat(n)}`);
  const h = header(options.version ?? 3);
  const head = JSON.stringify(h, null, pretty ? 4 : undefined);
  // Open the resources array just before the deployment object closes.
  const cut = head.lastIndexOf("}", head.lastIndexOf("}") - 1);
  await write(
    head.slice(0, cut).replace(/\s*$/, "") + (pretty ? ',\n        "resources": [\n' : ',"resources":['),
  );
  let written = 0;
  let first = true;
  const emit = async (r: ExportResourceV3): Promise<void> => {
    const text = JSON.stringify(r, null, pretty ? 4 : undefined);
    await write((first ? "" : pretty ? ",\n" : ",") + (pretty ? "            " + indent(text, 12) : text));
    first = false;
    written++;
  };
  for (const r of [stackResource(ctx), providerResource(ctx)]) {
    if (written < options.resources) await emit(r);
  }
  for (let i = 0; written < options.resources; i++) {
    const opts: EstateOptions =
      insecureEvery > 0 && i % insecureEvery === insecureEvery - 1 ? { ...INSECURE } : {};
    if (options.secrets !== false) opts.adminPassword = secret(`v1:bench-ciphertext-${i}`);
    for (const r of estate(ctx, i, opts)) {
      if (written >= options.resources) break;
      await emit(r);
    }
  }
  await write(pretty ? "\n        ]\n    }\n}\n" : "]}}\n");
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return bytes;
}

// ---------------------------------------------------------------------------------------------------
// The committed fixtures (tests/fixtures/exports). `writeFixtures` regenerates them; a test checks that
// the committed files still match, so the builder and the fixtures cannot drift apart.
// ---------------------------------------------------------------------------------------------------

/** Secret strings planted in secrets.json; no report, log or pack request may ever contain them. */
export const PLANTED_SECRETS = {
  ciphertext: "v1:CIPHERTEXT-MUST-NOT-LEAK-7f3a9c:Zm9vYmFy",
  outputCiphertext: "v1:OUTPUT-CIPHERTEXT-MUST-NOT-LEAK-2b8e",
  plaintext: "Plaintext-P@ssw0rd-MUST-NOT-LEAK",
  plaintextParameter: "off-PLAINTEXT-PARAMETER-MUST-NOT-LEAK",
  nested: "NESTED-SECRET-MUST-NOT-LEAK-91c2",
} as const;

/** The mandatory rule ids dirty.json breaks, one finding each. */
export const DIRTY_MANDATORY = [
  "firewall-no-open-ranges",
  "keyvault-purge-protection",
  "postgres-diagnostic-settings",
  "postgres-entra-only-auth",
  "postgres-no-public-network-access",
  "postgres-private-connectivity",
  "postgres-secure-transport",
] as const;

function secretsFixture(ctx: StackContext): ExportResourceV3[] {
  const resources = withStack(
    ctx,
    estate(ctx, 0, { adminPassword: secret(PLANTED_SECRETS.ciphertext), publicNetworkAccess: "Enabled" }),
  );
  const server = resources.find((r) => r.type === "azure-native:dbforpostgresql:Server")!;
  server.outputs = {
    ...server.outputs,
    administratorLoginPassword: secret(PLANTED_SECRETS.outputCiphertext),
  };
  // A parameter whose value is a secret in --show-secrets form: the rule judges the value, reports show "[secret]".
  const transport = resources.find(
    (r) =>
      r.type === "azure-native:dbforpostgresql:Configuration" &&
      r.inputs?.configurationName === "require_secure_transport",
  )!;
  transport.inputs = { ...transport.inputs, value: plaintextSecret(PLANTED_SECRETS.plaintextParameter) };
  transport.outputs = { ...transport.outputs, value: plaintextSecret(PLANTED_SECRETS.plaintextParameter) };
  // Secrets nested in arrays and objects, and one in a resource no rule covers.
  const db = resources.find((r) => r.type === "azure-native:dbforpostgresql:Database")!;
  db.inputs = { ...db.inputs, tags: { owner: "payments", token: secret(PLANTED_SECRETS.nested) } };
  const workspace = resources.find((r) => r.type === "azure-native:operationalinsights:Workspace")!;
  workspace.inputs = {
    ...workspace.inputs,
    sharedKeys: [{ primary: plaintextSecret(PLANTED_SECRETS.plaintext) }, secret(PLANTED_SECRETS.nested)],
  };
  return resources;
}

/**
 * Writes every fixture into `dir` (tests/fixtures/exports). The JSON ones are committed as prettier
 * formats them (`npm run lint` checks every .json file), so the staleness test compares them parsed;
 * the two that are not JSON carry extensions prettier leaves alone and are compared byte for byte.
 */
export function writeFixtures(dir: string): void {
  const ctx = DEFAULT_CONTEXT;
  fs.mkdirSync(dir, { recursive: true });
  writeExportFile(`${dir}/clean.json`, withStack(ctx, compliantEstate(ctx, 0), compliantEstate(ctx, 1)));
  writeExportFile(`${dir}/dirty.json`, withStack(ctx, insecureEstate(ctx, 0)));
  writeExportFile(`${dir}/secrets.json`, secretsFixture(ctx));
  fs.writeFileSync(
    `${dir}/wrong-version.json`,
    exportText(withStack(ctx, compliantEstate(ctx, 0)), { version: 2 }),
  );
  fs.writeFileSync(
    `${dir}/not-an-export.json`,
    JSON.stringify({ name: "payments", version: "1.0.0", dependencies: {} }, null, 2) + "\n",
  );
  // An export cut short, as an interrupted download or a full disk leaves it.
  const full = exportText(withStack(ctx, insecureEstate(ctx, 0)));
  fs.writeFileSync(`${dir}/truncated.json.part`, full.slice(0, Math.floor(full.length * 0.6)));
  // What a CI step saves when the backend answers with an error page instead of the state.
  fs.writeFileSync(
    `${dir}/garbage.txt`,
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>\n",
  );
}
