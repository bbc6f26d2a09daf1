import * as assert from "node:assert/strict";

import { evaluateResource } from "../../policies/rules";
import { T, happy, run, withPath } from "./fixtures";

const F = happy.firewall;
const CF = happy.classicFirewall;
const range = (props: Record<string, unknown>, start: unknown, end: unknown) =>
  withPath(withPath(props, "startIpAddress", start), "endIpAddress", end);

describe("firewall rules", () => {
  it("passes a /24 range in every firewall type of both providers", () => {
    for (const type of [T.firewall, T.singleFirewall])
      assert.deepEqual(evaluateResource({ type, props: F }), []);
    for (const type of [T.classicFirewall, T.classicSingleFirewall])
      assert.deepEqual(evaluateResource({ type, props: CF }), []);
  });

  const rejects: [string, unknown, unknown, string, Record<string, unknown>?][] = [
    ["the whole internet", "0.0.0.0", "255.255.255.255", "opens the server to the whole internet"],
    ['"allow all Azure services"', "0.0.0.0", "0.0.0.0", '"allow all Azure services"'],
    ["a /16", "10.1.0.0", "10.1.255.255", "spans a /16 block, wider than /24"],
    ["a range crossing a /24 boundary", "203.0.113.200", "203.0.114.10", "wider than /24"],
    [
      "a /28 under a /30 minimum",
      "203.0.113.0",
      "203.0.113.15",
      "spans a /28 block, wider than /30",
      { minimumPrefixLength: 30 },
    ],
    ["a start after the end", "203.0.113.9", "203.0.113.1", "starts after it ends"],
    [
      "an IPv6 address",
      "2001:db8::1",
      "2001:db8::ff",
      'startIpAddress is "2001:db8::1", which is not an IPv4 address',
    ],
    [
      "an octet above 255",
      "203.0.113.0",
      "203.0.113.256",
      'endIpAddress is "203.0.113.256", which is not an IPv4 address',
    ],
    [
      "a number instead of a string",
      12345,
      "203.0.113.1",
      "startIpAddress is 12345, which is not an IPv4 address",
    ],
    ["a CIDR instead of an address", "10.0.0.0/8", "10.0.0.1", "not an IPv4 address"],
  ];
  for (const [what, start, end, fragment, config] of rejects) {
    it(`firewall-no-open-ranges: rejects ${what}`, () => {
      for (const [type, base] of [
        [T.firewall, F],
        [T.classicFirewall, CF],
      ] as const) {
        const m = run("firewall-no-open-ranges", type, range(base, start, end), config);
        assert.equal(m.length, 1, m.join("\n"));
        assert.ok(m[0].includes(fragment), m[0]);
      }
    });
  }

  it("firewall-no-open-ranges: passes a single address and a /24 at a configured /24", () => {
    assert.deepEqual(
      run("firewall-no-open-ranges", T.firewall, range(F, "198.51.100.7", "198.51.100.7")),
      [],
    );
    assert.deepEqual(run("firewall-no-open-ranges", T.firewall, F, { minimumPrefixLength: 24 }), []);
  });

  it("firewall-no-open-ranges: passes addresses that are not known yet", () => {
    assert.deepEqual(
      run("firewall-no-open-ranges", T.firewall, range(F, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "1.2.3.4")),
      [],
    );
  });

  it("firewall-no-open-ranges is mandatory and reports its id", () => {
    const v = evaluateResource({ type: T.firewall, props: range(F, "0.0.0.0", "0.0.0.0") });
    assert.deepEqual(
      v.map((x) => [x.ruleId, x.level]),
      [["firewall-no-open-ranges", "mandatory"]],
    );
  });

  it("firewall-allowed-ranges: passes everything when no allow-list is configured", () => {
    assert.deepEqual(run("firewall-allowed-ranges", T.firewall, range(F, "8.8.8.8", "8.8.8.8")), []);
  });

  it("firewall-allowed-ranges: passes a range inside the allow-list", () => {
    assert.deepEqual(
      run("firewall-allowed-ranges", T.classicFirewall, CF, { allowedRanges: ["203.0.112.0/23"] }),
      [],
    );
  });

  it("firewall-allowed-ranges: rejects a range outside the allow-list", () => {
    const m = run("firewall-allowed-ranges", T.firewall, F, {
      allowedRanges: ["198.51.100.0/24", "10.0.0.0/8"],
    });
    assert.equal(m.length, 1);
    assert.ok(m[0].includes("203.0.113.0-203.0.113.255 is outside 198.51.100.0/24, 10.0.0.0/8"), m[0]);
  });

  it("firewall-allowed-ranges: rejects a range that only partly overlaps the allow-list", () => {
    const m = run("firewall-allowed-ranges", T.firewall, range(F, "203.0.113.128", "203.0.114.1"), {
      allowedRanges: ["203.0.113.0/24"],
    });
    assert.equal(m.length, 1);
  });
});
