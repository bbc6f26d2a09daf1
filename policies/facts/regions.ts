// Azure region facts the component relies on: one table, one row per public-cloud region.
//
// Columns and their sources (all read 2026-11-30; local snapshots in
// ../shared/reference/microsoft-learn, see its README for the commits):
//
// - `displayName`, `restricted`, `pair`, `availabilityZones`: "List of Azure regions",
//   https://learn.microsoft.com/azure/reliability/regions-list (ms.date 09/23/2025), cross-checked with
//   "Azure region pairs and nonpaired regions", https://learn.microsoft.com/azure/reliability/regions-paired
//   (pair tables ms.date 06/25/2026). `restricted` is the page's "access is restricted to support specific
//   customer scenarios" icon; `pair: undefined` is the page's "N/A" (a nonpaired region). Whether a
//   region's PAIR is restricted is the pair's own row (`pairIsRestricted`), not a second column.
//   Sweden South appears only as Sweden Central's pair and has no row of its own; its row here says only
//   what the pair column says (restricted, paired with Sweden Central).
// - `postgres`: "What is Azure Database for PostgreSQL? — Azure regions",
//   https://learn.microsoft.com/azure/postgresql/configure-maintain/overview#azure-regions (regions-table
//   include ms.date 11/24/2025). `undefined` means the region is not in that table (no flexible server).
//   `intel` / `amd` / `confidential` are the compute generations listed ("v3/v4/v5"), `geoRedundantBackup`
//   the "Geo-Redundant backup" column, `zoneRedundantHa` the "Zone-Redundant HA" column with its `$`
//   footnote ("New zone-redundant high availability deployments are temporarily blocked in these
//   regions") read as "blocked". Burstable (B-series) is not listed per region; the table is read as
//   offering it wherever the service is offered.
//
// Where the two pages disagree, the table keeps each page's own column and region-checks.ts decides:
// - South India: no availability zones in the regions list, yet "Zone-Redundant HA" ticked in the
//   PostgreSQL table. Zone-redundant HA is refused there (the HA page says it is not supported in
//   "regions with single-zone availability"), the safe reading.
// - Access restriction: the PostgreSQL table stars Norway East and leaves France South and Norway West
//   unstarred; the regions list marks France South and Norway West restricted and Norway East not. The
//   regions list is Azure's own reference for region access, so `restricted` follows it.
// - Sovereign clouds (China, US Gov) and Jio India are in the PostgreSQL table but not in the
//   public-cloud regions list; they are not in this table, so the component reports them as unknown.
//
// tests/azure/regions.test.ts re-reads both snapshots and fails when this table drifts from them.

/** The "Zone-Redundant HA" column of the PostgreSQL regions table. */
export type ZoneRedundantHa = "offered" | "blocked" | "none";

/** What Azure Database for PostgreSQL flexible server offers in one region. */
export interface PostgresRegionFacts {
  /** Geo-redundant backup storage can be chosen at server creation. */
  readonly geoRedundantBackup: boolean;
  /** New zone-redundant HA: offered, temporarily blocked for new deployments, or not offered. */
  readonly zoneRedundantHa: ZoneRedundantHa;
  /** Same-zone HA offered. */
  readonly sameZoneHa: boolean;
  /** Intel compute generations offered (`Standard_D…ds_v5` is generation 5). */
  readonly intel: readonly number[];
  /** AMD compute generations offered (`Standard_D…ads_v5`). */
  readonly amd: readonly number[];
  /** Confidential compute generations offered (`Standard_DC…ads_v5`, `Standard_EC…ads_v5`). */
  readonly confidential: readonly number[];
}

/** One Azure region. */
export interface RegionFacts {
  /** The name Microsoft Learn shows ("West Europe"). */
  readonly displayName: string;
  /** Access is restricted: a subscription must request it before deploying there. */
  readonly restricted: boolean;
  /** Programmatic name of the Azure pair; `undefined` for a nonpaired region. */
  readonly pair: string | undefined;
  /** The region has availability zones. */
  readonly availabilityZones: boolean;
  /** PostgreSQL flexible server facts; `undefined` where the service is not listed. */
  readonly postgres: PostgresRegionFacts | undefined;
}

/** Date the sources above were read. */
export const REGION_FACTS_READ = "2026-11-30";

/** Every public-cloud region, keyed by its programmatic name (`westeurope`). */
export const REGIONS: Readonly<Record<string, RegionFacts>> = {
  australiacentral: {
    displayName: "Australia Central",
    restricted: false,
    pair: "australiacentral2",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  australiacentral2: {
    displayName: "Australia Central 2",
    restricted: true,
    pair: "australiacentral",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  australiaeast: {
    displayName: "Australia East",
    restricted: false,
    pair: "australiasoutheast",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5, 6],
      amd: [5],
      confidential: [],
    },
  },
  australiasoutheast: {
    displayName: "Australia Southeast",
    restricted: false,
    pair: "australiaeast",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  austriaeast: {
    displayName: "Austria East",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  belgiumcentral: {
    displayName: "Belgium Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  brazilsouth: {
    displayName: "Brazil South",
    restricted: false,
    pair: "southcentralus",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  brazilsoutheast: {
    displayName: "Brazil Southeast",
    restricted: true,
    pair: "brazilsouth",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  canadacentral: {
    displayName: "Canada Central",
    restricted: false,
    pair: "canadaeast",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  canadaeast: {
    displayName: "Canada East",
    restricted: false,
    pair: "canadacentral",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  centralindia: {
    displayName: "Central India",
    restricted: false,
    pair: "southindia",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  centralus: {
    displayName: "Central US",
    restricted: false,
    pair: "eastus2",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  chilecentral: {
    displayName: "Chile Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  denmarkeast: {
    displayName: "Denmark East",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: undefined,
  },
  eastasia: {
    displayName: "East Asia",
    restricted: false,
    pair: "southeastasia",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  eastus: {
    displayName: "East US",
    restricted: false,
    pair: "westus",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  eastus2: {
    displayName: "East US 2",
    restricted: false,
    pair: "centralus",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  francecentral: {
    displayName: "France Central",
    restricted: false,
    pair: "francesouth",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  francesouth: {
    displayName: "France South",
    restricted: true,
    pair: "francecentral",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  germanynorth: {
    displayName: "Germany North",
    restricted: true,
    pair: "germanywestcentral",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  germanywestcentral: {
    displayName: "Germany West Central",
    restricted: false,
    pair: "germanynorth",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  indiasouthcentral: {
    displayName: "India South Central",
    restricted: false,
    pair: "centralindia",
    availabilityZones: true,
    postgres: undefined,
  },
  indonesiacentral: {
    displayName: "Indonesia Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  israelcentral: {
    displayName: "Israel Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  italynorth: {
    displayName: "Italy North",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  japaneast: {
    displayName: "Japan East",
    restricted: false,
    pair: "japanwest",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  japanwest: {
    displayName: "Japan West",
    restricted: false,
    pair: "japaneast",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  koreacentral: {
    displayName: "Korea Central",
    restricted: false,
    pair: "koreasouth",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  koreasouth: {
    displayName: "Korea South",
    restricted: false,
    pair: "koreacentral",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  malaysiawest: {
    displayName: "Malaysia West",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  mexicocentral: {
    displayName: "Mexico Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  newzealandnorth: {
    displayName: "New Zealand North",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  northcentralus: {
    displayName: "North Central US",
    restricted: false,
    pair: "southcentralus",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  northeurope: {
    displayName: "North Europe",
    restricted: false,
    pair: "westeurope",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [5],
    },
  },
  norwayeast: {
    displayName: "Norway East",
    restricted: false,
    pair: "norwaywest",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  norwaywest: {
    displayName: "Norway West",
    restricted: true,
    pair: "norwayeast",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  polandcentral: {
    displayName: "Poland Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  qatarcentral: {
    displayName: "Qatar Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  southafricanorth: {
    displayName: "South Africa North",
    restricted: false,
    pair: "southafricawest",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  southafricawest: {
    displayName: "South Africa West",
    restricted: true,
    pair: "southafricanorth",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  southcentralus: {
    displayName: "South Central US",
    restricted: false,
    pair: "northcentralus",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  southindia: {
    displayName: "South India",
    restricted: false,
    pair: "centralindia",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  southeastasia: {
    displayName: "Southeast Asia",
    restricted: false,
    pair: "eastasia",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  spaincentral: {
    displayName: "Spain Central",
    restricted: false,
    pair: undefined,
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  swedencentral: {
    displayName: "Sweden Central",
    restricted: false,
    pair: "swedensouth",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  switzerlandnorth: {
    displayName: "Switzerland North",
    restricted: false,
    pair: "switzerlandwest",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  switzerlandwest: {
    displayName: "Switzerland West",
    restricted: true,
    pair: "switzerlandnorth",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  uaecentral: {
    displayName: "UAE Central",
    restricted: true,
    pair: "uaenorth",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  uaenorth: {
    displayName: "UAE North",
    restricted: false,
    pair: "uaecentral",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [5],
    },
  },
  uksouth: {
    displayName: "UK South",
    restricted: false,
    pair: "ukwest",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  ukwest: {
    displayName: "UK West",
    restricted: false,
    pair: "uksouth",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  swedensouth: {
    displayName: "Sweden South",
    restricted: true,
    pair: "swedencentral",
    availabilityZones: false,
    postgres: undefined,
  },
  westcentralus: {
    displayName: "West Central US",
    restricted: false,
    pair: "westus2",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [],
    },
  },
  westeurope: {
    displayName: "West Europe",
    restricted: false,
    pair: "northeurope",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [],
      confidential: [5],
    },
  },
  westindia: {
    displayName: "West India",
    restricted: false,
    pair: "southindia",
    availabilityZones: false,
    postgres: undefined,
  },
  westus: {
    displayName: "West US",
    restricted: false,
    pair: "eastus",
    availabilityZones: false,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "none",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
  westus2: {
    displayName: "West US 2",
    restricted: false,
    pair: "westcentralus",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: true,
      zoneRedundantHa: "blocked",
      sameZoneHa: true,
      intel: [3, 4],
      amd: [],
      confidential: [],
    },
  },
  westus3: {
    displayName: "West US 3",
    restricted: false,
    pair: "eastus",
    availabilityZones: true,
    postgres: {
      geoRedundantBackup: false,
      zoneRedundantHa: "offered",
      sameZoneHa: true,
      intel: [3, 4, 5],
      amd: [5],
      confidential: [],
    },
  },
};

/** A plain region name in Azure's canonical form (`West Europe` becomes `westeurope`). */
export function canonicalRegion(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** The facts of `location` (any spelling Azure accepts), or `undefined` for an unknown region. */
export function regionFacts(location: string): RegionFacts | undefined {
  const key = canonicalRegion(location);
  return Object.prototype.hasOwnProperty.call(REGIONS, key) ? REGIONS[key] : undefined;
}

/** True when `location`'s Azure pair is an access-restricted region. */
export function pairIsRestricted(location: string): boolean {
  const pair = regionFacts(location)?.pair;
  return pair !== undefined && REGIONS[pair]?.restricted === true;
}
