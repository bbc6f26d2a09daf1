// Private DNS zones shared by several servers (hub and spoke).
//
// One virtual network resolves a namespace through one private DNS zone: Azure refuses a second
// `privatelink.*` zone of the same name linked to a VNet that already has one (the finding of the review
// behind docs/azure-constraints.md; the stored Microsoft Learn snapshots do not quote the error, so it is
// recorded there as not re-verified). Each ZeroTrustPostgres in privateEndpoint mode would otherwise
// create its own `privatelink.postgres.database.azure.com` (and `privatelink.vaultcore.azure.net`) and
// link it to the same VNet. So the zones are created once, here or in the hub, and every component is
// handed their ids (`network.privateDnsZoneResourceId`, `network.keyVaultPrivateDnsZoneResourceId`); a
// brought zone is never created nor linked by the component. The two zone names are the ones
// https://learn.microsoft.com/azure/private-link/private-endpoint-dns lists for the groupIds
// `postgresqlServer` and `vault` (read 2026-11-30).

import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { KEYVAULT_PRIVATELINK_ZONE, POSTGRES_PRIVATELINK_ZONE } from "./defaults";

/** Arguments of {@link createPrivateDnsZones}. */
export interface PrivateDnsZonesArgs {
  /** Resource group of the zones (the hub's, usually). */
  resourceGroupName: pulumi.Input<string>;
  /** VNets to link both zones to (no auto-registration). */
  linkedVirtualNetworkResourceIds: pulumi.Input<string>[];
  /** Tags on the zones and links. */
  tags?: Record<string, string>;
}

/** The two private-link zones, to pass to every ZeroTrustPostgres on these VNets. */
export interface PrivateDnsZones {
  /** Pass as `network.privateDnsZoneResourceId`. */
  postgresZoneId: pulumi.Output<string>;
  /** Pass as `network.keyVaultPrivateDnsZoneResourceId`. */
  keyVaultZoneId: pulumi.Output<string>;
  zones: privatedns.PrivateZone[];
  links: privatedns.VirtualNetworkLink[];
}

/**
 * Creates `privatelink.postgres.database.azure.com` and `privatelink.vaultcore.azure.net` once
 * (`<name>-pg-zone`, `<name>-kv-zone`) and links each to every VNet (`<name>-pg-zone-link-<i>`, …).
 */
export function createPrivateDnsZones(
  name: string,
  args: PrivateDnsZonesArgs,
  opts?: pulumi.CustomResourceOptions,
): PrivateDnsZones {
  const zones: privatedns.PrivateZone[] = [];
  const links: privatedns.VirtualNetworkLink[] = [];
  const make = (prefix: string, zoneName: string): pulumi.Output<string> => {
    const zone = new privatedns.PrivateZone(
      `${name}-${prefix}-zone`,
      {
        privateZoneName: zoneName,
        resourceGroupName: args.resourceGroupName,
        location: "global",
        tags: args.tags,
      },
      opts,
    );
    const own = args.linkedVirtualNetworkResourceIds.map(
      (vnetId, i) =>
        new privatedns.VirtualNetworkLink(
          `${name}-${prefix}-zone-link-${i}`,
          {
            privateZoneName: zone.name,
            resourceGroupName: args.resourceGroupName,
            virtualNetworkLinkName: `${name}-${prefix}-link-${i}`,
            location: "global",
            registrationEnabled: false,
            virtualNetwork: { id: vnetId },
            tags: args.tags,
          },
          opts,
        ),
    );
    zones.push(zone);
    links.push(...own);
    // The id once every link exists: a server resolves through the zone only where it is linked.
    return pulumi.all([zone.id, ...own.map((l) => l.id)]).apply(([id]) => id);
  };
  const postgresZoneId = make("pg", POSTGRES_PRIVATELINK_ZONE);
  const keyVaultZoneId = make("kv", KEYVAULT_PRIVATELINK_ZONE);
  return { postgresZoneId, keyVaultZoneId, zones, links };
}
