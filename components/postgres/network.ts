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

/** The subnet delegated to PostgreSQL, created in `network.virtualNetworkName` (`<name>-subnet`). */
export function createDelegatedSubnet(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): network.Subnet {
  const name = `${cfg.name}-subnet`;
  return new network.Subnet(
    name,
    {
      subnetName: name,
      virtualNetworkName: cfg.network.virtualNetworkName as pulumi.Input<string>,
      resourceGroupName: cfg.network.virtualNetworkResourceGroupName ?? cfg.resourceGroupName,
      addressPrefix: cfg.network.delegatedSubnetAddressPrefix,
      delegations: [{ name: "postgres-flexible-server", serviceName: POSTGRES_SUBNET_DELEGATION }],
      privateEndpointNetworkPolicies: "Disabled",
      defaultOutboundAccess: false,
    },
    opts,
  );
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
