// The region table against the Microsoft Learn snapshots it was read from, and the region checks'
// refusals (field, value, way out) on the combinations the table rules out.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pairIsRestricted, REGIONS, regionFacts } from "../../policies/facts/regions";
import {
  closeRegions,
  defaultAvailabilityZone,
  defaultGeoBackupLocation,
  defaultHighAvailability,
  regionProblems,
  regionsWhereDefaultsWork,
  regionWarnings,
  skuShape,
  type RegionCheckInput,
} from "../../components/postgres/region-checks";

const LEARN = path.resolve(__dirname, "../../../shared/reference/microsoft-learn");
const read = (p: string) => fs.readFileSync(path.join(LEARN, p), "utf8");

/** The regions list: display name → [restricted, zones, pair display name, programmatic name]. */
function regionsList(): Map<string, { restricted: boolean; zones: boolean; pair: string; name: string }> {
  const out = new Map<string, { restricted: boolean; zones: boolean; pair: string; name: string }>();
  for (const line of read("reliability-docs/articles/reliability/regions-list.md").split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) =>
        c
          .replace(/:::image[^:]*:::/g, (m) =>
            m.includes("restricted") ? "@R " : m.includes("checkmark") ? "@Y" : "",
          )
          .trim(),
      );
    if (cells.length !== 6 || !/^[a-z0-9]+$/.test(cells[5])) continue;
    const display = cells[0].replace("@R", "").trim();
    out.set(display, {
      restricted: cells[0].startsWith("@R"),
      zones: cells[1] === "@Y",
      pair: cells[2].replace("@R", "").trim(),
      name: cells[5],
    });
  }
  return out;
}

/** The PostgreSQL regions table: display name → its cells. */
function postgresTable(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const file = "azure-databases-docs/articles/postgresql/flexible-server/includes/regions-table.md";
  for (const line of read(file).split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 7 || cells[0] === "Region" || cells[0].startsWith("---")) continue;
    out.set(cells[0].replace("*", "").trim(), cells);
  }
  return out;
}

const gens = (cell: string): number[] => {
  const m = /\((.*)\)/.exec(cell);
  return cell.startsWith(":white_check_mark:") && m ? m[1].split("/").map((g) => Number(g.slice(1))) : [];
};

describe("region facts", () => {
  const list = regionsList();
  const pg = postgresTable();

  it("has one row per region of the regions list, plus Sweden South (only named as a pair)", () => {
    assert.deepEqual(
      Object.keys(REGIONS).sort(),
      [...[...list.values()].map((r) => r.name), "swedensouth"].sort(),
    );
    assert.equal(Object.keys(REGIONS).length, 58);
  });

  it("matches the regions list: name, restriction, zones and pair", () => {
    for (const [display, row] of list) {
      const f = REGIONS[row.name];
      assert.equal(f.displayName, display);
      assert.equal(f.restricted, row.restricted, `${row.name} restricted`);
      assert.equal(f.availabilityZones, row.zones, `${row.name} zones`);
      const pair = row.pair === "N/A" ? undefined : (list.get(row.pair)?.name ?? "swedensouth");
      assert.equal(f.pair, pair, `${row.name} pair`);
    }
  });

  it("matches the PostgreSQL regions table for every public region it lists", () => {
    let compared = 0;
    for (const [name, f] of Object.entries(REGIONS)) {
      const cells = pg.get(f.displayName);
      if (cells === undefined) {
        assert.equal(f.postgres, undefined, `${name} is not in the PostgreSQL table`);
        continue;
      }
      compared++;
      const zr = cells[4].startsWith(":white_check_mark:")
        ? cells[4].includes("$")
          ? "blocked"
          : "offered"
        : "none";
      assert.deepEqual(
        f.postgres,
        {
          geoRedundantBackup: cells[6].startsWith(":white_check_mark:"),
          zoneRedundantHa: zr,
          sameZoneHa: cells[5].startsWith(":white_check_mark:"),
          intel: gens(cells[1]),
          amd: gens(cells[2]),
          confidential: gens(cells[3]),
        },
        name,
      );
    }
    assert.equal(compared, 54);
  });

  it("pins the facts the issue names", () => {
    assert.equal(REGIONS.italynorth.pair, undefined);
    assert.equal(REGIONS.polandcentral.pair, undefined);
    for (const r of ["francesouth", "germanynorth", "norwaywest", "switzerlandwest"])
      assert.equal(REGIONS[r].restricted, true, r);
    for (const r of [
      "francecentral",
      "germanywestcentral",
      "norwayeast",
      "switzerlandnorth",
      "swedencentral",
    ])
      assert.equal(pairIsRestricted(r), true, r);
    assert.equal(pairIsRestricted("uksouth"), false);
    assert.equal(REGIONS.westeurope.postgres?.zoneRedundantHa, "blocked");
    assert.equal(REGIONS.westus3.postgres?.geoRedundantBackup, false);
    assert.equal(regionFacts("West Europe"), REGIONS.westeurope);
    assert.equal(regionFacts("toString"), undefined);
  });

  it("every region that offers geo-redundant backup has a pair", () => {
    for (const [name, f] of Object.entries(REGIONS))
      if (f.postgres?.geoRedundantBackup) assert.notEqual(f.pair, undefined, name);
  });
});

const BASE: RegionCheckInput = {
  location: "uksouth",
  skuName: "Standard_D2ds_v5",
  highAvailability: "ZoneRedundant",
  availabilityZone: "1",
  geoRedundantBackup: true,
  networkMode: "privateEndpoint",
};

describe("region checks", () => {
  it("accepts every default in the examples' region", () => {
    assert.deepEqual(regionProblems(BASE), []);
    assert.ok(regionsWhereDefaultsWork().includes("uksouth"));
    assert.ok(!regionsWhereDefaultsWork().includes("westeurope"));
  });

  it("the examples default to a region where every default works", () => {
    const dir = path.resolve(__dirname, "../../examples");
    const found: string[] = [];
    for (const ex of fs.readdirSync(dir)) {
      const file = path.join(dir, ex, "index.ts");
      if (!fs.existsSync(file)) continue;
      const m = /"location"\)? \?\? "([a-z0-9]+)"|setting\("location", "([a-z0-9]+)"\)/.exec(
        fs.readFileSync(file, "utf8"),
      );
      assert.ok(m, `${ex} has a default location`);
      found.push(m[1] ?? m[2]);
    }
    // One per example with an index.ts (entra-personas, existing-network, insecure, private-endpoint,
    // read-replicas, recovery-drill, vnet-integration), so an example that loses its default fails here.
    assert.deepEqual(found, ["uksouth", "uksouth", "uksouth", "uksouth", "uksouth", "uksouth", "uksouth"]);
    for (const r of found) assert.ok(regionsWhereDefaultsWork().includes(r), r);
  });

  it("skips a location that is not a plain string", () => {
    assert.deepEqual(regionProblems({ ...BASE, location: undefined }), []);
    assert.deepEqual(regionProblems({ ...BASE, location: { some: "output" } }), []);
  });

  const CASES: [string, Partial<RegionCheckInput>, string][] = [
    [
      "an unknown region, with close matches",
      { location: "westeurop" },
      '`location` "westeurop" is an unknown region (policies/facts/regions.ts lists Azure\'s public regions); did you mean "westeurope"',
    ],
    [
      "a region without PostgreSQL flexible server",
      { location: "denmarkeast" },
      '`location` "denmarkeast" does not offer Azure Database for PostgreSQL flexible server',
    ],
    [
      "geo-redundant backup in a region without a pair",
      { location: "italynorth" },
      '`backup.geoRedundantBackup` true is not possible in "italynorth" (it has no Azure pair); set `backup.geoRedundantBackup` to false',
    ],
    [
      "geo-redundant backup where PostgreSQL does not offer it",
      { location: "westus3" },
      '`backup.geoRedundantBackup` true is not possible in "westus3" (PostgreSQL does not offer it there)',
    ],
    [
      "geo backup with a restricted pair and no explicit geo-backup location",
      { location: "francecentral" },
      '`encryption.geoBackupLocation` is unset and "francecentral" pairs with "francesouth", an access-restricted region',
    ],
    [
      "a geo-backup location other than the pair",
      { geoBackupLocation: "northeurope" },
      '`encryption.geoBackupLocation` "northeurope" is not "ukwest", the pair of "uksouth"',
    ],
    [
      "an unknown geo-backup location",
      { geoBackupLocation: "ukwset" },
      '`encryption.geoBackupLocation` "ukwset" is an unknown region',
    ],
    [
      "zone-redundant HA where it is not offered",
      { location: "japanwest" },
      '`highAvailability` "ZoneRedundant" is not offered in "japanwest"; use "SameZone" or "Disabled"',
    ],
    [
      "a zone in a region without availability zones",
      { location: "ukwest", highAvailability: "SameZone" },
      '`availabilityZone` "1" is not possible in "ukwest", which has no availability zones; set `availabilityZone` to "none".',
    ],
    [
      "an SKU generation the region does not offer",
      { location: "japaneast" },
      '`skuName` "Standard_D2ds_v5" (intel v5) is not offered in "japaneast", which offers intel v3/v4 and Burstable; choose one of those, e.g. "Standard_D2ds_v4".',
    ],
    [
      "an AMD SKU where only Intel is offered",
      { skuName: "Standard_E4ads_v5", location: "francecentral", geoBackupLocation: "francesouth" },
      '`skuName` "Standard_E4ads_v5" (amd v5) is not offered in "francecentral"',
    ],
    [
      "a v6 SKU with VNet integration",
      { location: "australiaeast", skuName: "Standard_D2ds_v6", networkMode: "vnetIntegration" },
      '`skuName` "Standard_D2ds_v6" is a v6 SKU, and v6 SKUs do not support VNet integration',
    ],
  ];
  for (const [what, change, fragment] of CASES) {
    it(`refuses ${what}`, () => {
      const problems = regionProblems({ ...BASE, ...change });
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(problems[0].startsWith(fragment), problems[0]);
    });
  }

  it("warns, without refusing, about zone-redundant HA where new deployments are temporarily blocked", () => {
    const blocked = { ...BASE, location: "westeurope", geoBackupLocation: "northeurope" };
    assert.deepEqual(regionProblems(blocked), []);
    const warnings = regionWarnings(blocked);
    assert.equal(warnings.length, 1);
    assert.ok(
      warnings[0].startsWith(
        '`highAvailability` "ZoneRedundant" is temporarily blocked for new servers in "westeurope" (Microsoft Learn, PostgreSQL regions table); creating a new server there fails: use "SameZone"',
      ),
      warnings[0],
    );
    assert.deepEqual(regionWarnings({ ...blocked, highAvailability: "SameZone" }), []);
    assert.deepEqual(regionWarnings(BASE), []);
  });

  it("refuses no zone with zone-redundant HA in a region with zones", () => {
    const problems = regionProblems({ ...BASE, availabilityZone: "none" });
    assert.deepEqual(problems, [
      '`availabilityZone` "none" leaves the primary\'s zone to Azure, and `highAvailability` "ZoneRedundant" needs one; set `availabilityZone` to "1", "2" or "3".',
    ]);
  });

  it("accepts the restricted pair when named explicitly, and no zone in a zone-less region", () => {
    assert.deepEqual(
      regionProblems({ ...BASE, location: "francecentral", geoBackupLocation: "France South" }),
      [],
    );
    assert.deepEqual(
      regionProblems({ ...BASE, location: "ukwest", highAvailability: "SameZone", availabilityZone: "none" }),
      [],
    );
    assert.deepEqual(regionProblems({ ...BASE, location: "italynorth", geoRedundantBackup: false }), []);
  });

  it("reads SKU names into vendor and generation", () => {
    assert.deepEqual(skuShape("Standard_B1ms"), { family: "Burstable" });
    assert.deepEqual(skuShape("Standard_D2ds_v5"), { family: "intel", generation: 5 });
    assert.deepEqual(skuShape("Standard_D4ads_v5"), { family: "amd", generation: 5 });
    assert.deepEqual(skuShape("Standard_EC4ads_v5"), { family: "confidential", generation: 5 });
    assert.equal(skuShape("Standard_X1"), undefined);
  });

  it("defaults the zone and the geo-backup region from the table", () => {
    assert.equal(defaultAvailabilityZone("ukwest"), "none");
    assert.equal(defaultAvailabilityZone("uksouth"), "1");
    assert.equal(defaultAvailabilityZone(undefined), "1");
    assert.equal(defaultGeoBackupLocation("UK South"), "ukwest");
    assert.equal(defaultGeoBackupLocation("italynorth"), undefined);
    assert.deepEqual(closeRegions("uksoth"), ["uksouth"]);
    assert.equal(defaultHighAvailability("ukwest"), "SameZone");
    assert.equal(defaultHighAvailability("southindia"), "SameZone");
    assert.equal(defaultHighAvailability("westeurope"), "ZoneRedundant");
    assert.equal(defaultHighAvailability(undefined), "ZoneRedundant");
  });
});
