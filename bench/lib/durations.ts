// Typical create times per resource type, for the modelled `pulumi up` (deploy-model.ts). Each entry
// says where the figure comes from. Azure publishes few create times; where no statement exists the
// figure is an estimate, marked as such, with the reason. Only the shape matters for the comparison
// (what is on the critical path, before and after): the server and the serialized server writes
// dominate, and no plausible change to the small entries moves them off the path.

export interface Duration {
  /** Modelled create time, seconds. */
  seconds: number;
  /** URL of the statement, or "estimate". */
  source: string;
  note: string;
  /** Where the reasoning in `note` comes from. */
  refs?: string[];
}

const AVM_PG =
  "https://github.com/Azure/bicep-registry-modules/blob/main/avm/res/db-for-postgre-sql/flexible-server/main.bicep";

export const DURATIONS: Record<string, Duration> = {
  "azure-native:dbforpostgresql:Server": {
    seconds: 15 * 60,
    source: "estimate",
    note: "A plain flexible server takes 5–15 minutes to provision (community Terraform and provisioning-tool logs: 'Creation complete after 7m9s'); zone-redundant HA also provisions a standby in a second zone, and CMK with a geo-backup key adds key validation in two regions, so the upper end is used.",
  },
  "azure-native:dbforpostgresql:Configuration": {
    seconds: 45,
    source: "https://github.com/Azure/azure-postgresql/issues/134",
    note: "Each parameter write is a server operation that holds the server busy (ServerIsBusy for any concurrent write, confirmed with Azure support in the issue; bicep-registry-modules#4451, ResourceModules#4071 made them sequential). Duration is an estimate: an ARM long-running operation polled at 15–30 s intervals.",
  },
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": {
    seconds: 90,
    source: "estimate",
    note: "A server operation like a parameter write, plus the Entra lookup of the principal; single-server AD admins were seen at 5+ minutes (turbot/steampipe-plugin-azure#64 test log), flexible servers are faster.",
  },
  "azure-native:dbforpostgresql:Database": {
    seconds: 45,
    source: "estimate",
    note: "A server operation (CREATE DATABASE through the resource provider), polled like a parameter write.",
  },
  "azure-native:dbforpostgresql:FirewallRule": {
    seconds: 45,
    source: "estimate",
    note: "A server operation, polled like a parameter write.",
  },
  "azure-native:resources:Resource": {
    seconds: 45,
    source: "estimate",
    note: "Here the server's advancedThreatProtectionSettings (Defender): a server operation, polled like a parameter write.",
  },
  "azure-native:network:PrivateEndpoint": {
    seconds: 90,
    source: "estimate",
    note: "Allocates a NIC in the subnet and creates (and auto-approves) the private-link connection on the target; Terraform logs show endpoints still creating after 30 s (hashicorp/terraform-provider-azurerm#28112); 1–2 minutes is typical.",
  },
  "azure-native:network:PrivateDnsZoneGroup": {
    seconds: 30,
    source: "estimate",
    note: "Writes the endpoint's A records into the zone: a network long-running operation.",
  },
  "azure-native:privatedns:PrivateZone": {
    seconds: 45,
    source: "estimate",
    note: "Global resource, long-running create.",
  },
  "azure-native:privatedns:VirtualNetworkLink": {
    seconds: 45,
    source: "estimate",
    note: "Long-running create on the global zone.",
  },
  "azure-native:keyvault:Vault": {
    seconds: 30,
    source: "estimate",
    note: "Vault creation is a short long-running operation (DNS name registration).",
  },
  "azure-native:keyvault:Key": {
    seconds: 5,
    source: "estimate",
    note: "A synchronous ARM call; HSM-backed keys on a premium vault are generated in the service.",
  },
  "azure-native:authorization:RoleAssignment": {
    seconds: 10,
    source: "estimate",
    note: "The PUT is synchronous; propagation can take longer (up to 10 minutes per Azure RBAC docs) and the provider retries the server create meanwhile, which this model does not add.",
  },
  "azure-native:authorization:ManagementLockByScope": {
    seconds: 5,
    source: "estimate",
    note: "A synchronous ARM call.",
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    seconds: 5,
    source: "estimate",
    note: "A synchronous ARM call.",
  },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    seconds: 5,
    source: "estimate",
    note: "A synchronous ARM call.",
  },
  "azure-native:operationalinsights:Workspace": {
    seconds: 30,
    source: "estimate",
    note: "Short long-running create.",
  },
  "azure-native:monitor:DiagnosticSetting": {
    seconds: 10,
    source: "estimate",
    note: "A synchronous ARM call on the target's extension scope.",
  },
  "azure-native:monitor:ScheduledQueryRule": {
    seconds: 10,
    source: "estimate",
    note: "A synchronous ARM call (query validation is skipped).",
  },
  "azure-native:monitor:ActionGroup": {
    seconds: 10,
    source: "estimate",
    note: "A synchronous ARM call.",
  },
  "azure-native:resources:ResourceGroup": {
    seconds: 3,
    source: "estimate",
    note: "A synchronous ARM call.",
  },
  "azure-native:network:VirtualNetwork": {
    seconds: 10,
    source: "estimate",
    note: "Short long-running create.",
  },
  "azure-native:network:Subnet": {
    seconds: 10,
    source: "estimate",
    note: "Short long-running create.",
  },
  "random:index/randomPassword:RandomPassword": {
    seconds: 0,
    source: "estimate",
    note: "Local to the engine.",
  },
};

/** Where the serialized order of server writes comes from. */
export const SERIAL_WRITES_SOURCE = AVM_PG;

/** Component resources (and the stack) take no time of their own. */
export function isComponentType(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("zero-trust-azure-postgres:");
}
