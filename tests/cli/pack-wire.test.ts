// The hand-written AnalyzeStack encoder must produce what the generated protobuf classes produce:
// decode its bytes with `AnalyzeStackRequest.deserializeBinary` and compare field by field with the
// request built from the same resources through jspb (`analyzerResource`).

import * as assert from "node:assert/strict";

import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

import {
  UNKNOWN,
  analyzeRequest,
  analyzerResource,
  decodeValue,
  secretValue,
  unknownValue,
  type PackResource,
} from "../../cli/pack-client";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "../../cli/pack-wire";

interface Plain {
  type: string;
  urn: string;
  name: string;
  parent: string;
  properties: unknown;
  options: { protect: boolean; parent: string } | undefined;
  provider: { type: string; urn: string; name: string; properties: unknown } | undefined;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

function plain(r: analyzerPb.AnalyzerResource): Plain {
  const pd: Record<string, string[]> = {};
  r.getPropertydependenciesMap().forEach((v, k) => (pd[k] = v.getUrnsList()));
  const o = r.getOptions();
  const p = r.getProvider();
  return {
    type: r.getType(),
    urn: r.getUrn(),
    name: r.getName(),
    parent: r.getParent(),
    properties: r.getProperties()?.toJavaScript(),
    options: o ? { protect: o.getProtect(), parent: o.getParent() } : undefined,
    provider: p
      ? {
          type: p.getType(),
          urn: p.getUrn(),
          name: p.getName(),
          properties: p.getProperties()?.toJavaScript(),
        }
      : undefined,
    dependencies: r.getDependenciesList(),
    propertyDependencies: pd,
  };
}

function viaWire(rs: PackResource[]): Plain[] {
  const bytes = encodeAnalyzeStackRequest(rs);
  return analyzerPb.AnalyzeStackRequest.deserializeBinary(new Uint8Array(bytes))
    .getResourcesList()
    .map(plain);
}

function viaJspb(rs: PackResource[]): Plain[] {
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(rs.map(analyzerResource));
  // Round-trip through bytes too, so both sides went through the same decoder.
  return analyzerPb.AnalyzeStackRequest.deserializeBinary(req.serializeBinary())
    .getResourcesList()
    .map(plain);
}

const P = "urn:pulumi:dev::proj::";

describe("AnalyzeStack wire encoder", function () {
  it("encodes every kind of property value exactly as the generated classes do", function () {
    const rs: PackResource[] = [
      {
        urn: `${P}azure-native:dbforpostgresql:Server::pg`,
        type: "azure-native:dbforpostgresql:Server",
        name: "pg",
        id: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg",
        parent: `${P}zero-trust-azure-postgres:index:ZeroTrustPostgres::zt`,
        dependencies: [`${P}azure-native:resources:ResourceGroup::rg`, `${P}azure-native:keyvault:Key::k`],
        propertyDependencies: {
          resourceGroupName: [`${P}azure-native:resources:ResourceGroup::rg`],
          dataEncryption: [`${P}azure-native:keyvault:Key::k`],
          empty: [],
        },
        provider: `${P}pulumi:providers:azure-native::default_3_28_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        protect: true,
        properties: {
          str: "plain",
          unicode: "zürich — 東京 — 🐘",
          empty: "",
          int: 35,
          neg: -7,
          float: 0.25,
          big: 2 ** 40,
          nan: Number.NaN,
          t: true,
          f: false,
          nil: null,
          skipped: undefined,
          list: [1, "two", false, null, [3, [4]], { five: 5 }],
          emptyList: [],
          emptyObject: {},
          nested: { a: { b: { c: { d: "deep" } } } },
          unknown: UNKNOWN,
          unknownNumber: unknownValue("number"),
          secret: secretValue("s3cret"),
          secretObject: secretValue({ inner: [1, "x"] }),
          long: "x".repeat(70_000),
          date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        },
      },
      {
        urn: `${P}azure-native:resources:ResourceGroup::rg`,
        type: "azure-native:resources:ResourceGroup",
        name: "rg",
        properties: {},
      },
      {
        urn: `${P}azure-native:keyvault:Key::k`,
        type: "azure-native:keyvault:Key",
        name: "k",
        id: "given-id-is-not-overridden",
        properties: { id: "own-id", keyName: "k" },
      },
    ];
    assert.deepEqual(viaWire(rs), viaJspb(rs));
  });

  it("encodes Analyze/Remediate requests exactly as the generated classes do, without adding the id", function () {
    const r: PackResource = {
      urn: `${P}azure-native:dbforpostgresql:Server::pg`,
      type: "azure-native:dbforpostgresql:Server",
      name: "pg",
      id: "/subscriptions/x/flexibleServers/pg",
      parent: `${P}zero-trust-azure-postgres:index:ZeroTrustPostgres::zt`,
      protect: true,
      provider: `${P}pulumi:providers:azure-native::default::id-1`,
      dependencies: ["ignored-by-analyze"],
      properties: {
        network: { publicNetworkAccess: "Disabled" },
        n: [1, null, UNKNOWN],
        s: secretValue("x"),
      },
    };
    const wire = analyzerPb.AnalyzeRequest.deserializeBinary(new Uint8Array(encodeAnalyzeRequest(r)));
    const ref = analyzerPb.AnalyzeRequest.deserializeBinary(analyzeRequest(r).serializeBinary());
    const view = (q: analyzerPb.AnalyzeRequest) => ({
      type: q.getType(),
      urn: q.getUrn(),
      name: q.getName(),
      properties: q.getProperties()?.toJavaScript(),
      protect: q.getOptions()?.getProtect(),
      parent: q.getOptions()?.getParent(),
      provider: [q.getProvider()?.getType(), q.getProvider()?.getUrn(), q.getProvider()?.getName()],
    });
    assert.deepEqual(view(wire), view(ref));
    assert.equal((view(wire).properties as Record<string, unknown>).id, undefined);
    assert.equal(view(wire).parent, r.parent);
  });

  it("keeps markers decodable: unknowns and secrets survive the round trip", function () {
    const [r] = viaWire([
      {
        urn: `${P}t:index:T::t`,
        type: "t:index:T",
        name: "t",
        properties: { u: UNKNOWN, s: secretValue("v"), n: unknownValue("number") },
      },
    ]);
    const decoded = decodeValue(r.properties) as Record<string, unknown>;
    assert.equal(decoded.u, UNKNOWN);
    assert.deepEqual(decoded.n, unknownValue("number"));
    assert.deepEqual(decoded.s, secretValue("v"));
  });

  it("encodes a large stack (lengths above one, two and three varint bytes)", function () {
    const rs: PackResource[] = [];
    for (let i = 0; i < 2000; i++) {
      rs.push({
        urn: `${P}azure-native:network:VirtualNetwork::v${i}`,
        type: "azure-native:network:VirtualNetwork",
        name: `v${i}`,
        dependencies: i > 0 ? [`${P}azure-native:network:VirtualNetwork::v${i - 1}`] : [],
        properties: { n: i, tags: { pad: "p".repeat(i * 7) } },
      });
    }
    const wire = viaWire(rs);
    assert.equal(wire.length, 2000);
    assert.deepEqual(wire, viaJspb(rs));
  });
});
