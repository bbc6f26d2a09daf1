// Region checks: pure functions that refuse, at construction, a combination the region table
// (policies/facts/regions.ts) says Azure will reject minutes into a deployment. Each message names the
// field, the value and the way out. They take plain values; a location that is still an Output is not
// checked (the component cannot know the region before it resolves).
//
// Sources beyond the table (read 2026-11-30):
// - Geo-backup key region: "The geo-redundant backup encryption key needs to be created in a Key Vault
//   instance that must exist in the region where the geo-redundant backup is stored", and geo-redundant
//   backups are "replicated to a geo-paired region".
//   https://learn.microsoft.com/azure/postgresql/security/security-data-encryption#use-data-encryption-with-customer-managed-keys-and-geo-redundant-business-continuity-features
//   https://learn.microsoft.com/azure/postgresql/backup-restore/concepts-backup-restore#backup-redundancy-options
// - Zone-redundant HA "isn't supported for: Burstable compute tier; Regions with single-zone availability".
//   https://learn.microsoft.com/azure/postgresql/high-availability/concepts-high-availability
// - "V6 SKU Family limitations: … Virtual Network integration isn't supported."
//   https://learn.microsoft.com/azure/postgresql/configure-maintain/overview#v6-sku-family-limitations

import {
  canonicalRegion,
  pairIsRestricted,
  REGIONS,
  regionFacts,
  type RegionFacts,
} from "../../policies/facts/regions";

/** `availabilityZone` value that leaves Azure's `availabilityZone` unset (for zone-less regions). */
export const NO_AVAILABILITY_ZONE = "none";

/** What the region checks look at, as plain resolved values. */
export interface RegionCheckInput {
  /** `location`; only a plain string is checked. */
  location?: unknown;
  /** Resolved SKU name (`Standard_D2ds_v5`). */
  skuName: string;
  /** Resolved HA mode ("ZoneRedundant", "SameZone", "Disabled"). */
  highAvailability: string;
  /** Resolved zone ("1"-"3", or `NO_AVAILABILITY_ZONE`/undefined for none). */
  availabilityZone?: string;
  /** Resolved `backup.geoRedundantBackup`. */
  geoRedundantBackup: boolean;
  /** `encryption.geoBackupLocation` as the user wrote it (undefined when left to the default). */
  geoBackupLocation?: unknown;
  /** Resolved `network.mode`. */
  networkMode?: string;
  /** Each replica's region (as written), zone and resolved SKU, in `replicas` order. */
  replicas?: { location?: string; availabilityZone?: string; skuName: string }[];
}

/** The region check's input from the resolved config and the raw `encryption.geoBackupLocation`. */
export function regionCheckInput(
  cfg: {
    location?: unknown;
    skuName: string;
    availabilityZone: string;
    highAvailability: { mode: string };
    backup: { geoRedundantBackup: boolean };
    network: { mode: string };
    replicas?: { availabilityZone?: string; skuName: string }[];
  },
  args: {
    location?: unknown;
    encryption?: { geoBackupLocation?: unknown } | null;
    replicas?: { location?: string }[] | null;
  },
): RegionCheckInput {
  return {
    location: args.location,
    skuName: cfg.skuName,
    highAvailability: cfg.highAvailability.mode,
    availabilityZone: cfg.availabilityZone,
    geoRedundantBackup: cfg.backup.geoRedundantBackup,
    geoBackupLocation: args.encryption?.geoBackupLocation ?? undefined,
    networkMode: cfg.network.mode,
    replicas: (cfg.replicas ?? []).map((r, i) => ({
      location: args.replicas?.[i]?.location ?? undefined,
      availabilityZone: r.availabilityZone,
      skuName: r.skuName,
    })),
  };
}

/** A SKU name split into what the region table lists. */
export interface SkuShape {
  family: "Burstable" | "intel" | "amd" | "confidential";
  /** Compute generation (`_v5` is 5); undefined for Burstable. */
  generation?: number;
}

/** Reads the vendor and generation from a flexible server SKU name; undefined when it is not one. */
export function skuShape(skuName: string): SkuShape | undefined {
  if (/^Standard_B\d+[a-z]*$/.test(skuName)) return { family: "Burstable" };
  const m = /^Standard_(DC|EC|D|E)\d+([a-z]*)_v(\d+)$/.exec(skuName);
  if (!m) return undefined;
  const generation = Number(m[3]);
  if (m[1] === "DC" || m[1] === "EC") return { family: "confidential", generation };
  return { family: m[2].includes("a") ? "amd" : "intel", generation };
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** Up to three known regions closest to `location`. */
export function closeRegions(location: string): string[] {
  const key = canonicalRegion(location);
  return Object.keys(REGIONS)
    .map((name) => ({
      name,
      d: name.startsWith(key) || key.startsWith(name) ? 0 : distance(key, name),
    }))
    .filter((x) => x.d <= Math.max(3, Math.floor(key.length / 3)))
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, 3)
    .map((x) => x.name);
}

/** True when every default of the component works in `name` according to the table. */
function defaultsWork(facts: RegionFacts): boolean {
  const pg = facts.postgres;
  return (
    pg !== undefined &&
    !facts.restricted &&
    facts.availabilityZones &&
    pg.zoneRedundantHa === "offered" &&
    pg.geoRedundantBackup &&
    facts.pair !== undefined &&
    !REGIONS[facts.pair]?.restricted &&
    pg.intel.includes(5)
  );
}

/**
 * Regions where the component's defaults (Standard_D2ds_v5, zone-redundant HA in zone 1, geo-redundant
 * backup with the geo key in an unrestricted pair) all work according to the table.
 */
export function regionsWhereDefaultsWork(): string[] {
  return Object.entries(REGIONS)
    .filter(([, f]) => defaultsWork(f))
    .map(([n]) => n);
}

function examples(filter: (f: RegionFacts) => boolean): string {
  const names = Object.entries(REGIONS)
    .filter(([, f]) => f.postgres !== undefined && !f.restricted && filter(f))
    .map(([n]) => `"${n}"`)
    .slice(0, 4);
  return names.length > 0 ? ` (e.g. ${names.join(", ")})` : "";
}

/** A region field's problem: unknown (with close matches) or without flexible server. */
export function checkRegionName(field: string, value: string): string | undefined {
  const facts = regionFacts(value);
  if (facts === undefined) {
    const close = closeRegions(value);
    return (
      `\`${field}\` "${value}" is an unknown region (policies/facts/regions.ts lists Azure's public regions)` +
      (close.length > 0
        ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?`
        : '; use a name such as "uksouth".')
    );
  }
  return undefined;
}

/** Zone-redundant HA, same-zone HA and the zone against the region. */
function haProblems(region: string, facts: RegionFacts, input: RegionCheckInput): string[] {
  const pg = facts.postgres as NonNullable<RegionFacts["postgres"]>;
  const out: string[] = [];
  const zone = input.availabilityZone;
  if (!facts.availabilityZones && zone !== undefined && zone !== NO_AVAILABILITY_ZONE) {
    out.push(
      `\`availabilityZone\` "${zone}" is not possible in "${region}", which has no availability zones; set \`availabilityZone\` to "${NO_AVAILABILITY_ZONE}".`,
    );
  }
  if (input.highAvailability === "ZoneRedundant") {
    if (facts.availabilityZones && zone === NO_AVAILABILITY_ZONE) {
      out.push(
        `\`availabilityZone\` "${NO_AVAILABILITY_ZONE}" leaves the primary's zone to Azure, and \`highAvailability\` "ZoneRedundant" needs one; set \`availabilityZone\` to "1", "2" or "3".`,
      );
    } else if (pg.zoneRedundantHa === "none" || !facts.availabilityZones) {
      out.push(
        `\`highAvailability\` "ZoneRedundant" is not offered in "${region}"; use "SameZone" or "Disabled", or a region that offers it${examples((f) => f.availabilityZones && f.postgres?.zoneRedundantHa === "offered")}.`,
      );
    }
  } else if (input.highAvailability === "SameZone" && !pg.sameZoneHa) {
    out.push(`\`highAvailability\` "SameZone" is not offered in "${region}"; use "Disabled".`);
  }
  return out;
}

/** The SKU's vendor and generation against the region; V6 against VNet integration. */
function skuProblems(
  region: string,
  facts: RegionFacts,
  input: Pick<RegionCheckInput, "skuName" | "networkMode">,
  at = "",
): string[] {
  const pg = facts.postgres as NonNullable<RegionFacts["postgres"]>;
  const shape = skuShape(input.skuName);
  if (shape === undefined || shape.family === "Burstable") return [];
  const out: string[] = [];
  const offered = pg[shape.family];
  const gen = shape.generation as number;
  if (!offered.includes(gen)) {
    const listed = (["intel", "amd", "confidential"] as const)
      .filter((f) => pg[f].length > 0)
      .map((f) => `${f} v${pg[f].join("/v")}`)
      .join(", ");
    out.push(
      `\`${at}skuName\` "${input.skuName}" (${shape.family} v${gen}) is not offered in "${region}", which offers ${listed} and Burstable; choose one of those, e.g. "Standard_D2ds_v${Math.max(...pg.intel)}".`,
    );
  }
  if (gen >= 6 && input.networkMode === "vnetIntegration") {
    out.push(
      `\`${at}skuName\` "${input.skuName}" is a v6 SKU, and v6 SKUs do not support VNet integration; use a v5 SKU or \`network.mode\` "privateEndpoint".`,
    );
  }
  return out;
}

/** Geo-redundant backup and the geo-backup key's region against the region and its pair. */
function geoProblems(region: string, facts: RegionFacts, input: RegionCheckInput): string[] {
  if (!input.geoRedundantBackup) return [];
  const pg = facts.postgres as NonNullable<RegionFacts["postgres"]>;
  if (!pg.geoRedundantBackup || facts.pair === undefined) {
    const why = facts.pair === undefined ? "it has no Azure pair" : "PostgreSQL does not offer it there";
    return [
      `\`backup.geoRedundantBackup\` true is not possible in "${region}" (${why}); set \`backup.geoRedundantBackup\` to false and use a geo-replica for disaster recovery, or choose a region that offers it${examples((f) => f.postgres?.geoRedundantBackup === true && f.pair !== undefined)}.`,
    ];
  }
  const explicit = input.geoBackupLocation;
  if (explicit === undefined || explicit === null) {
    if (pairIsRestricted(region)) {
      return [
        `\`encryption.geoBackupLocation\` is unset and "${region}" pairs with "${facts.pair}", an access-restricted region where Azure stores the geo backups and the geo-backup key must live; request access to "${facts.pair}" and set \`encryption.geoBackupLocation\` to "${facts.pair}", or set \`backup.geoRedundantBackup\` to false.`,
      ];
    }
    return [];
  }
  if (typeof explicit !== "string") return [];
  const unknown = checkRegionName("encryption.geoBackupLocation", explicit);
  if (unknown !== undefined) return [unknown];
  if (canonicalRegion(explicit) !== facts.pair) {
    return [
      `\`encryption.geoBackupLocation\` "${explicit}" is not "${facts.pair}", the pair of "${region}": Azure stores geo backups in the paired region and the geo-backup key must be in that region; set it to "${facts.pair}".`,
    ];
  }
  return [];
}

/**
 * Every region problem of `input`, in field order; empty when the location is not a plain string or
 * everything is possible.
 */
export function regionProblems(input: RegionCheckInput): string[] {
  return [...primaryRegionProblems(input), ...replicaRegionProblems(input)];
}

/**
 * Each replica's region (a given one; an unset one is the primary's): known, offering flexible server,
 * with zones when a zone is asked for, and offering the replica's SKU.
 */
function replicaRegionProblems(input: RegionCheckInput): string[] {
  return (input.replicas ?? []).flatMap((r, i) => {
    if (r.location === undefined) return [];
    const at = `replicas[${i}].`;
    const unknown = checkRegionName(`${at}location`, r.location);
    if (unknown !== undefined) return [unknown];
    const region = canonicalRegion(r.location);
    const facts = REGIONS[region];
    if (facts.postgres === undefined) {
      return [
        `\`${at}location\` "${r.location}" does not offer Azure Database for PostgreSQL flexible server (Microsoft Learn, PostgreSQL regions table); choose another region${examples(() => true)}.`,
      ];
    }
    const zone =
      !facts.availabilityZones && r.availabilityZone !== undefined
        ? [
            `\`${at}availabilityZone\` "${r.availabilityZone}" is not possible in "${region}", which has no availability zones; remove it.`,
          ]
        : [];
    return [
      ...zone,
      ...skuProblems(region, facts, { skuName: r.skuName, networkMode: input.networkMode }, at),
    ];
  });
}

function primaryRegionProblems(input: RegionCheckInput): string[] {
  if (typeof input.location !== "string") return [];
  const unknown = checkRegionName("location", input.location);
  if (unknown !== undefined) return [unknown];
  const region = canonicalRegion(input.location);
  const facts = REGIONS[region];
  if (facts.postgres === undefined) {
    return [
      `\`location\` "${input.location}" does not offer Azure Database for PostgreSQL flexible server (Microsoft Learn, PostgreSQL regions table); choose another region${examples(() => true)}.`,
    ];
  }
  return [
    ...haProblems(region, facts, input),
    ...skuProblems(region, facts, input),
    ...geoProblems(region, facts, input),
  ];
}

/** Default HA mode of a non-Burstable server: zone-redundant unless the region table rules it out. */
export function defaultHighAvailability(location: unknown): "ZoneRedundant" | "SameZone" {
  const facts = typeof location === "string" ? regionFacts(location) : undefined;
  if (facts === undefined) return "ZoneRedundant";
  return facts.availabilityZones && facts.postgres?.zoneRedundantHa !== "none" ? "ZoneRedundant" : "SameZone";
}

/**
 * What the table says may fail without being impossible: zone-redundant HA where new deployments are
 * temporarily blocked. Azure keeps serving HA servers provisioned before the block, and the component
 * cannot tell at construction whether the server exists yet, so this is a warning the preview prints,
 * not a refusal (an existing stack must keep updating).
 */
export function regionWarnings(input: RegionCheckInput): string[] {
  if (typeof input.location !== "string" || input.highAvailability !== "ZoneRedundant") return [];
  const facts = regionFacts(input.location);
  if (facts?.postgres?.zoneRedundantHa !== "blocked") return [];
  const region = canonicalRegion(input.location);
  return [
    `\`highAvailability\` "ZoneRedundant" is temporarily blocked for new servers in "${region}" (Microsoft Learn, PostgreSQL regions table); creating a new server there fails: use "SameZone", or a region that offers it${examples((f) => f.availabilityZones && f.postgres?.zoneRedundantHa === "offered")}. An existing zone-redundant server keeps working.`,
  ];
}

/** Default zone for `location`: "1" where the region has zones, otherwise none. */
export function defaultAvailabilityZone(location: unknown): string {
  const facts = typeof location === "string" ? regionFacts(location) : undefined;
  return facts !== undefined && !facts.availabilityZones ? NO_AVAILABILITY_ZONE : "1";
}

/** The geo-backup key's default region: the Azure pair of a plain, known location. */
export function defaultGeoBackupLocation(location: unknown): string | undefined {
  return typeof location === "string" ? regionFacts(location)?.pair : undefined;
}
