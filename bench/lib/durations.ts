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
    note: "Azure publishes no create time. Community Terraform and provisioning-tool logs put a plain server at 5–15 minutes ('Creation complete after 7m9s'); zone-redundant HA also provisions a standby with the same compute and storage in a second zone (Microsoft's HA concepts page), and CMK with a geo-backup key adds key validation in two regions, so the upper end is used.",
    refs: ["https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-high-availability"],
  },
  "azure-native:dbforpostgresql:Configuration": {
    seconds: 45,
    source: "https://github.com/Azure/azure-postgresql/issues/134",
    note: "Each parameter write is a server operation that holds the server busy (ServerIsBusy for any concurrent write, confirmed with Azure support in the issue; the AVM module writes them with @batchSize(1)). The duration itself is an estimate: an ARM long-running operation polled at 15–30 s intervals.",
    refs: [
      "https://github.com/Azure/bicep-registry-modules/issues/4451",
      "https://github.com/Azure/ResourceModules/pull/4071",
      AVM_PG,
    ],
  },
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": {
    seconds: 90,
    source: "estimate",
    note: "A server operation like a parameter write, plus the Entra lookup of the principal (the AVM module orders administrators after the parameters); a single-server AD admin took over 5 minutes in a test log, flexible servers are faster.",
    refs: [AVM_PG, "https://github.com/turbot/steampipe-plugin-azure/pull/64"],
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
    note: "Here the server's advancedThreatProtectionSettings (Defender): a server operation, polled like a parameter write. The AVM module does not order it after the parameters.",
    refs: [AVM_PG],
  },
  "azure-native:network:PrivateEndpoint": {
    seconds: 90,
    source: "estimate",
    note: "Allocates a NIC in the subnet and creates (and auto-approves) the private-link connection on the target; Terraform logs show endpoints still creating after 30 s; 1–2 minutes is typical. The server is in an updating state while the endpoint's connection is created, so concurrent parameter or admin writes fail with ServerBusy (azurerm maintainers' diagnosis and workaround in #29177); the AVM module nevertheless creates it alongside the parameter writes.",
    refs: [
      "https://github.com/hashicorp/terraform-provider-azurerm/pull/28112",
      "https://github.com/hashicorp/terraform-provider-azurerm/issues/29177",
      AVM_PG,
    ],
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
    note: "The PUT is synchronous; propagation can take much longer (Microsoft: up to 30 minutes for ARM caches), and a server create that races it fails and is retried, which this model does not add.",
    refs: ["https://learn.microsoft.com/en-us/answers/questions/524792/azure-rbac-replication-latency.html"],
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
