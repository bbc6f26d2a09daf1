import * as assert from "node:assert/strict";

import { criticalPath, type DeployNode } from "../../bench/lib/critical-path";
import { avmOrdering, model, type GraphRecord } from "../../bench/lib/deploy-model";

const node = (
  urn: string,
  seconds: number,
  dependencies: string[] = [],
  extra: Partial<DeployNode> = {},
): DeployNode => ({
  urn,
  type: `test:index:${urn}`,
  name: urn,
  dependencies,
  seconds,
  ...extra,
});

describe("bench critical path", () => {
  it("follows the longest chain, not the one with most resources", () => {
    // a(1) → b(1) → c(1) → d(1) is 4 s; a(1) → e(10) → d(1) is 12 s.
    const cp = criticalPath([
      node("a", 1),
      node("b", 1, ["a"]),
      node("c", 1, ["b"]),
      node("e", 10, ["a"]),
      node("d", 1, ["c", "e"]),
    ]);
    assert.equal(cp.totalSeconds, 12);
    assert.deepEqual(
      cp.path.map((p) => p.urn),
      ["a", "e", "d"],
    );
    assert.equal(cp.serialSeconds, 14);
    assert.deepEqual(
      { start: cp.schedule.get("d")!.start, finish: cp.schedule.get("d")!.finish },
      { start: 11, finish: 12 },
    );
  });

  it("runs independent chains in parallel", () => {
    const cp = criticalPath([node("a", 5), node("b", 7), node("c", 2, ["a"])]);
    assert.equal(cp.totalSeconds, 7);
    assert.deepEqual(
      cp.path.map((p) => p.urn),
      ["b"],
    );
  });

  it("gives components no time and leaves them off the path, but children still wait for their parent", () => {
    const cp = criticalPath([
      node("db", 3),
      node("comp", 100, ["db"], { component: true }),
      node("child", 2, [], { parent: "comp" }),
    ]);
    assert.equal(cp.totalSeconds, 5);
    assert.deepEqual(
      cp.path.map((p) => p.urn),
      ["db", "child"],
    );
  });

  it("makes a dependency on a component wait for everything under it", () => {
    const cp = criticalPath([
      node("comp", 0, [], { component: true }),
      node("inner", 9, [], { parent: "comp" }),
      node("after", 1, ["comp"]),
    ]);
    assert.equal(cp.schedule.get("after")!.start, 9);
    assert.equal(cp.totalSeconds, 10);
  });

  it("rejects cycles and unknown URNs", () => {
    assert.throws(() => criticalPath([node("a", 1, ["b"]), node("b", 1, ["a"])]), /cycle/);
    assert.throws(() => criticalPath([node("a", 1, ["nope"])]), /unknown dependency/);
    assert.throws(() => criticalPath([node("a", 1, [], { parent: "nope" })]), /unknown parent/);
  });

  it("models a graph with the duration table and flags types it has no entry for", () => {
    const graph: GraphRecord[] = [
      { urn: "rg", type: "azure-native:resources:ResourceGroup", name: "rg", dependencies: [] },
      { urn: "srv", type: "azure-native:dbforpostgresql:Server", name: "srv", dependencies: ["rg"] },
      {
        urn: "x",
        type: "azure-native:example:Unknown",
        name: "x",
        dependencies: ["srv", "outside-the-graph"],
      },
    ];
    const m = model(graph);
    assert.deepEqual(m.untabled, ["azure-native:example:Unknown"]);
    assert.deepEqual(
      m.path.map((p) => p.name),
      ["rg", "srv", "x"],
    );
    assert.equal(
      m.totalSeconds,
      m.path.reduce((a, p) => a + p.seconds, 0),
    );
  });
});

describe("bench AVM ordering scenario", () => {
  const t = (s: string) => `azure-native:${s}`;
  const graph: GraphRecord[] = [
    { urn: "srv", type: t("dbforpostgresql:Server"), name: "srv", dependencies: [] },
    { urn: "p1", type: t("dbforpostgresql:Configuration"), name: "p1", dependencies: ["srv"] },
    { urn: "db", type: t("dbforpostgresql:Database"), name: "db", dependencies: ["p1", "srv"] },
    { urn: "pe", type: t("network:PrivateEndpoint"), name: "pe", dependencies: ["db", "srv", "subnet"] },
    { urn: "subnet", type: t("network:Subnet"), name: "subnet", dependencies: [] },
    { urn: "dns", type: t("network:PrivateDnsZoneGroup"), name: "dns", dependencies: ["db", "pe"] },
    { urn: "atp", type: t("resources:Resource"), name: "atp", dependencies: ["pe", "srv"] },
  ];

  it("lets the server's endpoint, its DNS zone group and threat protection wait for the server only", () => {
    const deps = new Map(avmOrdering(graph).map((g) => [g.urn, g.dependencies]));
    assert.deepEqual(deps.get("pe"), ["srv", "subnet"]);
    assert.deepEqual(deps.get("dns"), ["pe"]);
    assert.deepEqual(deps.get("atp"), ["srv"]);
  });

  it("keeps the parameter chain and the database serial", () => {
    const deps = new Map(avmOrdering(graph).map((g) => [g.urn, g.dependencies]));
    assert.deepEqual(deps.get("p1"), ["srv"]);
    assert.deepEqual(deps.get("db"), ["p1", "srv"]);
  });
});
