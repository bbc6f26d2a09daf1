// Network isolation (seed 000 §2 "Restrict Public Network Access": private endpoints, public access
// Disabled). Two modes, fixed at creation: a private endpoint in a subnet you name, or VNet
// integration in a subnet delegated to PostgreSQL. Firewall rules exist only when public access is
// explicitly waived.

import * as pulumi from "@pulumi/pulumi";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import type { FirewallRuleArgs } from "./args";
import { POSTGRES_SUBNET_DELEGATION, type ResolvedConfig } from "./defaults";

/** A private DNS zone the component created or was given, with its VNet links. */
export interface DnsZone {
  zoneId: pulumi.Output<string>;
  zone?: privatedns.PrivateZone;
  links: privatedns.VirtualNetworkLink[];
}

/**
 * Creates `zoneName` (global) and links it to every VNet in `network.linkedVirtualNetworkResourceIds`
 * without auto-registration, or passes a brought zone through (`<name>-<prefix>-zone`,
 * `<name>-<prefix>-zone-link-<i>`). Links are indexed: the VNet ids are usually outputs.
 */
export function createOrBringZone(
  cfg: ResolvedConfig,
  prefix: string,
  zoneName: string | undefined,
  broughtZoneId: pulumi.Input<string> | undefined,
  opts: pulumi.CustomResourceOptions,
): DnsZone {
  if (zoneName === undefined) {
    return { zoneId: pulumi.output(broughtZoneId as pulumi.Input<string>), links: [] };
  }
  const zone = new privatedns.PrivateZone(
    `${cfg.name}-${prefix}-zone`,
    {
      privateZoneName: zoneName,
      resourceGroupName: cfg.resourceGroupName,
      location: "global",
      tags: cfg.tags,
    },
    opts,
  );
  const links = cfg.network.linkedVirtualNetworkResourceIds.map(
    (vnetId, i) =>
      new privatedns.VirtualNetworkLink(
        `${cfg.name}-${prefix}-zone-link-${i}`,
        {
          privateZoneName: zone.name,
          resourceGroupName: cfg.resourceGroupName,
          virtualNetworkLinkName: `${cfg.name}-${prefix}-link-${i}`,
          location: "global",
          registrationEnabled: false,
          virtualNetwork: { id: vnetId },
          tags: cfg.tags,
        },
        opts,
      ),
  );
  return { zoneId: zone.id, zone, links };
}

/** A private endpoint plus its DNS zone group (`<name>-<prefix>`, `<name>-<prefix>-dns`). */
export interface Endpoint {
  endpoint: network.PrivateEndpoint;
  zoneGroup: network.PrivateDnsZoneGroup;
  /** First private IP Azure assigned, or "" until known. */
  ip: pulumi.Output<string>;
}

/**
 * A private endpoint to `targetId` (groupId `postgresqlServer` or `vault`) in `subnetId`, and a DNS
 * zone group that writes its A record into `zoneId` (private-endpoint-dns-zone-group).
 */
export function createPrivateEndpoint(
  cfg: ResolvedConfig,
  prefix: string,
  targetId: pulumi.Input<string>,
  groupId: string,
  subnetId: pulumi.Input<string>,
  zoneId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): Endpoint {
  const name = `${cfg.name}-${prefix}`;
  const endpoint = new network.PrivateEndpoint(
    name,
    {
      privateEndpointName: name,
      resourceGroupName: cfg.resourceGroupName,
      location: cfg.location,
      subnet: { id: subnetId },
      customNetworkInterfaceName: `${name}-nic`,
      privateLinkServiceConnections: [{ name, privateLinkServiceId: targetId, groupIds: [groupId] }],
      tags: cfg.tags,
    },
    opts,
  );
  const zoneGroup = new network.PrivateDnsZoneGroup(
    `${name}-dns`,
    {
      privateDnsZoneGroupName: "default",
      privateEndpointName: endpoint.name,
      resourceGroupName: cfg.resourceGroupName,
      privateDnsZoneConfigs: [{ name: groupId, privateDnsZoneId: zoneId }],
    },
    opts,
  );
  const ip = endpoint.customDnsConfigs.apply((c) => c?.[0]?.ipAddresses?.[0] ?? "");
  return { endpoint, zoneGroup, ip };
}

/**
 * Outbound rules of the created delegated subnet's network security group. Sources (read 2026-11-30):
 * - Entra authentication with private access: "Add an outbound NSG rule that allows traffic to the
 *   `AzureActiveDirectory` service tag only"
 *   (https://learn.microsoft.com/azure/postgresql/security/security-entra-configure).
 * - High availability and WAL archival: allow "destination port 5432 within the subnet" and "Storage, by
 *   using the service tag Storage as a destination", with a `Microsoft.Storage` service endpoint as the
 *   best practice; the port for Storage is 443
 *   (https://learn.microsoft.com/azure/postgresql/network/concepts-networking-private).
 * Everything else bound for the internet is denied. Azure's default rules already allow traffic inside
 * the virtual network (5432 between primary and standby).
 */
export const DELEGATED_SUBNET_OUTBOUND_RULES: ReadonlyArray<{
  name: string;
  priority: number;
  access: "Allow" | "Deny";
  destinationAddressPrefix: string;
  destinationPortRange: string;
  protocol: "Tcp" | "*";
}> = [
  {
    name: "allow-entra-id",
    priority: 100,
    access: "Allow",
    destinationAddressPrefix: "AzureActiveDirectory",
    destinationPortRange: "443",
    protocol: "Tcp",
  },
  {
    name: "allow-storage",
    priority: 110,
    access: "Allow",
    destinationAddressPrefix: "Storage",
    destinationPortRange: "443",
    protocol: "Tcp",
  },
  {
    name: "deny-internet",
    priority: 4000,
    access: "Deny",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
    protocol: "*",
  },
];

/** The created delegated subnet and what gives it its documented outbound paths. */
export interface DelegatedSubnet {
  subnet: network.Subnet;
  /** `<name>-subnet-nsg`: the outbound rules above. */
  nsg: network.NetworkSecurityGroup;
  /** `<name>-subnet-nat-ip`: the NAT gateway's public address (outbound only; nothing listens on it). */
  natPublicIp: network.PublicIPAddress;
  /** `<name>-subnet-nat`: explicit outbound for Entra ID. */
  natGateway: network.NatGateway;
}

/**
 * The subnet delegated to PostgreSQL, created in `network.virtualNetworkName` (`<name>-subnet`).
 *
 * Default outbound access stays off (a private subnet), so the subnet gets an explicit outbound method;
 * "Deployed in a subnet associated to a NAT gateway" is the first of those the default outbound access
 * page lists (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access,
 * ms.date 01/30/2026, read 2026-11-30). The NAT gateway carries the Entra ID traffic (there is no service endpoint for it); the
 * `Microsoft.Storage` service endpoint keeps WAL archival on the Azure backbone; the NSG allows only those
 * two destinations out. Where the user brings the subnet, it must provide the same (docs/azure-constraints.md).
 */
export function createDelegatedSubnet(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): DelegatedSubnet {
  const name = `${cfg.name}-subnet`;
  const nsg = new network.NetworkSecurityGroup(
    `${name}-nsg`,
    {
      networkSecurityGroupName: `${name}-nsg`,
      resourceGroupName: cfg.resourceGroupName,
      location: cfg.location,
      securityRules: DELEGATED_SUBNET_OUTBOUND_RULES.map((r) => ({
        name: r.name,
        priority: r.priority,
        direction: "Outbound",
        access: r.access,
        protocol: r.protocol,
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: r.destinationAddressPrefix,
        destinationPortRange: r.destinationPortRange,
      })),
      tags: cfg.tags,
    },
    opts,
  );
  const natPublicIp = new network.PublicIPAddress(
    `${name}-nat-ip`,
    {
      publicIpAddressName: `${name}-nat-ip`,
      resourceGroupName: cfg.resourceGroupName,
      location: cfg.location,
      // A NAT gateway takes Standard static addresses only.
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      tags: cfg.tags,
    },
    opts,
  );
  const natGateway = new network.NatGateway(
    `${name}-nat`,
    {
      natGatewayName: `${name}-nat`,
      resourceGroupName: cfg.resourceGroupName,
      location: cfg.location,
      sku: { name: "Standard" },
      publicIpAddresses: [{ id: natPublicIp.id }],
      idleTimeoutInMinutes: 4,
      tags: cfg.tags,
    },
    opts,
  );
  const subnet = new network.Subnet(
    name,
    {
      subnetName: name,
      virtualNetworkName: cfg.network.virtualNetworkName as pulumi.Input<string>,
      resourceGroupName: cfg.network.virtualNetworkResourceGroupName ?? cfg.resourceGroupName,
      addressPrefix: cfg.network.delegatedSubnetAddressPrefix,
      delegations: [{ name: "postgres-flexible-server", serviceName: POSTGRES_SUBNET_DELEGATION }],
      privateEndpointNetworkPolicies: "Disabled",
      defaultOutboundAccess: false,
      networkSecurityGroup: { id: nsg.id },
      natGateway: { id: natGateway.id },
      serviceEndpoints: [{ service: "Microsoft.Storage" }],
    },
    opts,
  );
  return { subnet, nsg, natPublicIp, natGateway };
}

/** The created subnet of the vaults' private endpoints (vnetIntegration mode) and its NSG. */
export interface VaultEndpointSubnet {
  subnet: network.Subnet;
  nsg: network.NetworkSecurityGroup;
}

/**
 * vnetIntegration mode: a plain subnet `<name>-kv-subnet` beside the created delegated subnet, for the
 * created vaults' private endpoints (the delegated subnet cannot hold them: validate.ts). Its NSG keeps
 * Azure's default rules (inbound from the virtual network only), and `privateEndpointNetworkPolicies:
 * "Enabled"` makes the NSG apply to the endpoints, which it does not by default
 * (https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy, read
 * 2026-11-30). It is created after the delegated subnet: Azure writes one VNet's subnets one at a time
 * and refuses a concurrent write (AnotherOperationInProgress), which is why the azurerm provider locks
 * the VNet name around every subnet write (hashicorp/terraform-provider-azurerm
 * internal/services/network/subnet_resource.go, read 2026-11-30).
 */
export function createVaultEndpointSubnet(
  cfg: ResolvedConfig,
  after: pulumi.Resource,
  opts: pulumi.CustomResourceOptions,
): VaultEndpointSubnet {
  const name = `${cfg.name}-kv-subnet`;
  const nsg = new network.NetworkSecurityGroup(
    `${name}-nsg`,
    {
      networkSecurityGroupName: `${name}-nsg`,
      resourceGroupName: cfg.resourceGroupName,
      location: cfg.location,
      tags: cfg.tags,
    },
    opts,
  );
  const subnet = new network.Subnet(
    name,
    {
      subnetName: name,
      virtualNetworkName: cfg.network.virtualNetworkName as pulumi.Input<string>,
      resourceGroupName: cfg.network.virtualNetworkResourceGroupName ?? cfg.resourceGroupName,
      addressPrefix: cfg.network.keyVaultSubnetAddressPrefix,
      privateEndpointNetworkPolicies: "Enabled",
      defaultOutboundAccess: false,
      networkSecurityGroup: { id: nsg.id },
    },
    { ...opts, dependsOn: [after] },
  );
  return { subnet, nsg };
}

/** Firewall rule inputs (only with `network.allowPublicAccess`; judged by firewall-no-open-ranges). */
export function firewallRuleInputs(
  cfg: ResolvedConfig,
  rule: FirewallRuleArgs,
  serverName: pulumi.Input<string>,
): dbforpostgresql.FirewallRuleArgs {
  return {
    firewallRuleName: rule.name,
    resourceGroupName: cfg.resourceGroupName,
    serverName,
    startIpAddress: rule.startIpAddress,
    endIpAddress: rule.endIpAddress,
  };
}

/** Firewall rules (`<name>-fw-<rule name>`), serialised after `after` like every server write. */
export function createFirewallRules(
  cfg: ResolvedConfig,
  serverName: pulumi.Input<string>,
  after: pulumi.Resource,
  opts: pulumi.CustomResourceOptions,
): dbforpostgresql.FirewallRule[] {
  const out: dbforpostgresql.FirewallRule[] = [];
  let previous: pulumi.Resource = after;
  for (const rule of cfg.network.firewallRules) {
    // ServerBusy: one write to a server at a time (bicep-registry-modules#4289).
    const fw = new dbforpostgresql.FirewallRule(
      `${cfg.name}-fw-${rule.name}`,
      firewallRuleInputs(cfg, rule, serverName),
      {
        ...opts,
        dependsOn: [previous],
      },
    );
    out.push(fw);
    previous = fw;
  }
  return out;
}
