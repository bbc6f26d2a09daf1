// The outputs Azure would return for a resource, from its inputs: an ARM id, an FQDN for servers, a
// principal/client id for identities, a versionless key URI for keys. Pure functions without the
// Pulumi SDK, shared by the offline preview's engine stand-in (cli/program/engine.ts) and the unit
// tests' in-process mocks (cli/mocks.ts), so both see the same estate.

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";
export const MOCK_TENANT_ID = "00000000-0000-4000-8000-0000000000aa";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id: string;
  urn: string;
  provider?: string;
}

/** Maps an azure-native type token to its ARM provider namespace and resource type path. */
const ARM_TYPES: Record<string, string> = {
  "azure-native:resources:ResourceGroup": "",
  "azure-native:network:VirtualNetwork": "Microsoft.Network/virtualNetworks",
  "azure-native:network:Subnet": "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets",
  "azure-native:network:PrivateEndpoint": "Microsoft.Network/privateEndpoints",
  "azure-native:network:PrivateDnsZoneGroup":
    "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups",
  "azure-native:privatedns:PrivateZone": "Microsoft.Network/privateDnsZones",
  "azure-native:privatedns:VirtualNetworkLink":
    "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks",
  "azure-native:dbforpostgresql:Server": "Microsoft.DBforPostgreSQL/flexibleServers",
  "azure-native:dbforpostgresql:Configuration":
    "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/configurations",
  "azure-native:dbforpostgresql:FirewallRule":
    "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/firewallRules",
  "azure-native:dbforpostgresql:Database": "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/databases",
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra":
    "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/administrators",
  "azure-native:dbforpostgresql:VirtualEndpoint":
    "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/virtualendpoints",
  "azure-native:keyvault:Vault": "Microsoft.KeyVault/vaults",
  "azure-native:keyvault:Key": "Microsoft.KeyVault/vaults/{vaultName}/keys",
  "azure-native:managedidentity:UserAssignedIdentity": "Microsoft.ManagedIdentity/userAssignedIdentities",
  "azure-native:managedidentity:FederatedIdentityCredential":
    "Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}/federatedIdentityCredentials",
  "azure-native:operationalinsights:Workspace": "Microsoft.OperationalInsights/workspaces",
  "azure-native:monitor:ScheduledQueryRule": "Microsoft.Insights/scheduledQueryRules",
  "azure-native:monitor:ActionGroup": "Microsoft.Insights/actionGroups",
};

/** Deterministic GUID-shaped value from a string, so previews are stable run to run. */
export function mockGuid(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 + seed.charCodeAt(i), 2246822519) >>> 0;
  }
  const hex = (h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0")).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function str(v: unknown, fallback: string): string {
  return typeof v === "string" && v.length > 0 ? v : fallback;
}

/** Builds the ARM id Azure would assign, from the type token and the inputs. */
export function mockArmId(type: string, name: string, inputs: Record<string, unknown>): string {
  const sub = `/subscriptions/${MOCK_SUBSCRIPTION_ID}`;
  const rg = str(inputs.resourceGroupName, "rg-mock");
  if (type === "azure-native:resources:ResourceGroup") {
    return `${sub}/resourceGroups/${str(inputs.resourceGroupName, name)}`;
  }
  const armType = ARM_TYPES[type];
  if (armType === undefined) {
    // Extension resources (diagnostic settings, locks, role assignments, threat protection) live under a scope.
    const scope = str(inputs.resourceUri ?? inputs.scope ?? inputs.resourceId, `${sub}/resourceGroups/${rg}`);
    switch (type) {
      case "azure-native:authorization:RoleAssignment":
        return `${scope}/providers/Microsoft.Authorization/roleAssignments/${str(inputs.roleAssignmentName, mockGuid(`${scope}#${name}`))}`;
      case "azure-native:authorization:ManagementLockByScope":
        return `${scope}/providers/Microsoft.Authorization/locks/${str(inputs.lockName, name)}`;
      case "azure-native:monitor:DiagnosticSetting":
        return `${scope}/providers/Microsoft.Insights/diagnosticSettings/${str(inputs.name, name)}`;
      case "azure-native:security:AdvancedThreatProtection":
        return `${scope}/providers/Microsoft.Security/advancedThreatProtectionSettings/${str(inputs.settingName, "current")}`;
      case "azure-native:resources:Resource":
        // Generic resources (e.g. flexibleServers/advancedThreatProtectionSettings): the ARM id from the path parts.
        return [
          `${sub}/resourceGroups/${rg}/providers/${str(inputs.resourceProviderNamespace, "Mock.Provider")}`,
          str(inputs.parentResourcePath, ""),
          str(inputs.resourceType, "resources"),
          str(inputs.resourceName, name),
        ]
          .filter((s) => s !== "")
          .join("/");
      default:
        break;
    }
    const [, mod, kind] = type.split(":");
    return `${scope}/providers/mock.${mod}/${kind}/${name}`;
  }
  const own = str(
    inputs.serverName ??
      inputs.vaultName ??
      inputs.keyName ??
      inputs.resourceName ??
      inputs.privateZoneName ??
      inputs.virtualNetworkLinkName ??
      inputs.privateEndpointName ??
      inputs.virtualNetworkName ??
      inputs.subnetName ??
      inputs.workspaceName ??
      inputs.ruleName ??
      inputs.actionGroupName ??
      inputs.firewallRuleName ??
      inputs.configurationName ??
      inputs.databaseName ??
      inputs.objectId ??
      inputs.federatedIdentityCredentialResourceName ??
      inputs.privateDnsZoneGroupName,
    name,
  );
  // Child types: fill the parent's name from the inputs, then append the child's own name.
  const segments = armType.split("/");
  const provider = segments[0].split(".")[0] + "." + segments[0].split(".")[1];
  let path = "";
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i];
    const m = /^\{(.+)\}$/.exec(seg);
    path += "/" + (m ? str(inputs[m[1]], "parent") : seg);
  }
  const childOwn =
    type === "azure-native:dbforpostgresql:Configuration" ||
    type === "azure-native:dbforpostgresql:FirewallRule" ||
    type === "azure-native:dbforpostgresql:Database" ||
    type === "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra" ||
    type === "azure-native:dbforpostgresql:VirtualEndpoint" ||
    type === "azure-native:keyvault:Key" ||
    type === "azure-native:network:Subnet" ||
    type === "azure-native:privatedns:VirtualNetworkLink" ||
    type === "azure-native:network:PrivateDnsZoneGroup" ||
    type === "azure-native:managedidentity:FederatedIdentityCredential"
      ? str(
          inputs.configurationName ??
            inputs.firewallRuleName ??
            inputs.databaseName ??
            inputs.objectId ??
            inputs.virtualEndpointName ??
            inputs.keyName ??
            inputs.subnetName ??
            inputs.virtualNetworkLinkName ??
            inputs.privateDnsZoneGroupName ??
            inputs.federatedIdentityCredentialResourceName,
          name,
        )
      : own;
  return `${sub}/resourceGroups/${rg}/providers/${provider}${path}/${childOwn}`;
}

/** Output keys of a type that Azure (or the provider) returns as secrets. */
export const SECRET_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  "random:index/randomPassword:RandomPassword": ["result"],
};

/** The outputs Azure would report for a resource, given its inputs (plain values; see SECRET_OUTPUTS). */
export function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const id = mockArmId(type, name, inputs);
  const out: Record<string, unknown> = { ...inputs, id, name: id.split("/").pop() };
  switch (type) {
    case "azure-native:dbforpostgresql:Server":
      out.fullyQualifiedDomainName = `${out.name}.postgres.database.azure.com`;
      out.state = "Ready";
      break;
    case "azure-native:dbforpostgresql:VirtualEndpoint":
      // The pair of host names Azure reports (concepts-read-replicas-virtual-endpoints).
      out.virtualEndpoints = [
        `${out.name}.writer.postgres.database.azure.com`,
        `${out.name}.reader.postgres.database.azure.com`,
      ];
      break;
    case "azure-native:managedidentity:UserAssignedIdentity":
      out.principalId = mockGuid(`${id}#principal`);
      out.clientId = mockGuid(`${id}#client`);
      out.tenantId = MOCK_TENANT_ID;
      break;
    case "azure-native:keyvault:Vault":
      out.properties = {
        ...((inputs.properties as Record<string, unknown>) ?? {}),
        vaultUri: `https://${out.name}.vault.azure.net/`,
      };
      break;
    case "azure-native:keyvault:Key":
      out.keyUri = `https://${str(inputs.vaultName, "vault")}.vault.azure.net/keys/${out.name}`;
      out.keyUriWithVersion = `${out.keyUri}/${mockGuid(id).replace(/-/g, "")}`;
      // azure-native reports the key's properties flattened (kty, keySize, rotationPolicy, …).
      Object.assign(out, (inputs.properties as Record<string, unknown>) ?? {});
      break;
    case "azure-native:network:PrivateEndpoint":
      out.customDnsConfigs = [{ fqdn: `${name}.privatelink.mock`, ipAddresses: ["10.20.1.4"] }];
      out.networkInterfaces = [{ id: `${id}-nic` }];
      break;
    case "azure-native:operationalinsights:Workspace":
      out.customerId = mockGuid(`${id}#customer`);
      break;
    case "azuread:index/group:Group":
      out.objectId = mockGuid(`${id}#object`);
      break;
    case "random:index/randomPassword:RandomPassword":
      out.result = "mock-Password-0!" + mockGuid(name).slice(0, 8);
      break;
    case "random:index/randomString:RandomString":
      // Lowercase hex of the asked length, stable per logical name, as state would keep it.
      out.result = mockGuid(`${name}#result`)
        .replace(/-/g, "")
        .slice(0, Number(inputs.length ?? 8));
      break;
    default:
      break;
  }
  return out;
}

/** The answer to an invoke the component makes; throws for any function without a mock. */
export function mockCall(token: string): Record<string, unknown> {
  switch (token) {
    case "azure-native:authorization:getClientConfig":
      return {
        clientId: mockGuid("client"),
        objectId: mockGuid("object"),
        subscriptionId: MOCK_SUBSCRIPTION_ID,
        tenantId: MOCK_TENANT_ID,
      };
    default:
      throw new Error(`mock: no mock for function ${token}`);
  }
}
