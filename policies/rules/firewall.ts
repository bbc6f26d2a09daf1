// Firewall rules of flexible and single servers, both providers: `startIpAddress` / `endIpAddress`.

import { lead } from "./postgres";
import { AZURE_POLICY, CIS, SEED_000 } from "./refs";
import { TOKENS } from "./tokens";
import { DEFAULT_FIREWALL_PREFIX_LENGTH, FIREWALL_PREFIX_LENGTH } from "./thresholds";
import type { ResourceRule, ResourceView } from "./types";
import {
  cfg,
  commonPrefixLength,
  formatIPv4,
  get,
  isUnknown,
  parseCidr,
  parseIPv4,
  show,
  covers,
} from "./util";

const FIREWALL_TYPES = [...TOKENS.firewallRule, ...TOKENS.singleServerFirewallRule];

type Range =
  | { kind: "ok"; start: number; end: number }
  | { kind: "unknown" }
  | { kind: "bad"; message: string };

/** Parses a firewall rule's range, or says why it cannot be parsed. */
function rangeOf(view: ResourceView): Range {
  const s = get(view.props, "startIpAddress");
  const e = get(view.props, "endIpAddress");
  if (isUnknown(s) || isUnknown(e)) return { kind: "unknown" };
  const start = parseIPv4(s);
  const end = parseIPv4(e);
  if (start === undefined || end === undefined) {
    const which = start === undefined ? `startIpAddress is ${show(s)}` : `endIpAddress is ${show(e)}`;
    return { kind: "bad", message: `${which}, which is not an IPv4 address` };
  }
  return { kind: "ok", start, end };
}

export const noOpenRanges: ResourceRule<"firewall-no-open-ranges"> = {
  kind: "resource",
  id: "firewall-no-open-ranges",
  title: "No open firewall ranges",
  description:
    "PostgreSQL firewall rules must not open the server to the internet, to all Azure services, or to a range wider than the configured prefix.",
  enforcementLevel: "mandatory",
  resourceTypes: FIREWALL_TYPES,
  config: {
    minimumPrefixLength: {
      type: "integer",
      description: `Each range, and the union of a server's ranges, must fit in CIDR blocks of at least this prefix length (${DEFAULT_FIREWALL_PREFIX_LENGTH} allows a /${DEFAULT_FIREWALL_PREFIX_LENGTH} at most); ${FIREWALL_PREFIX_LENGTH.min}-${FIREWALL_PREFIX_LENGTH.max}.`,
      default: DEFAULT_FIREWALL_PREFIX_LENGTH,
      minimum: FIREWALL_PREFIX_LENGTH.min,
      maximum: FIREWALL_PREFIX_LENGTH.max,
    },
  },
  remediation:
    "Delete the rule and connect through a private endpoint; if public access is waived, list only the client ranges you need, each no wider than the configured prefix. Never use 0.0.0.0-0.0.0.0 (all Azure services, any tenant).",
  references: {
    comparison:
      "Azure Policy 5e1de0e3 and CIS 5.2.5 want no public access at all (postgres-no-public-network-access); this rule applies only when that is waived, and caps each range at a /24 by default: a limit of ours, for the waived case.",
    seed: `${SEED_000.firewall}; ${SEED_000.publicAccess}`,
    azurePolicyId: AZURE_POLICY.flexPublicAccessDisabled,
    cis: CIS.publicAccess,
    mcsb: "NS-2",
  },
  unsetSource: [
    {
      kind: "api-spec",
      ref: "specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json `FirewallRuleProperties` (startIpAddress and endIpAddress required, no default)",
    },
  ],
  unsetMeans:
    "Start and end addresses are required by Azure; an unset or non-IPv4 value is flagged. Addresses not known yet at preview pass.",
  check(view, config) {
    if (!covers(noOpenRanges, view)) return [];
    const r = rangeOf(view);
    if (r.kind === "unknown") return [];
    const seen = `startIpAddress ${show(get(view.props, "startIpAddress"))}, endIpAddress ${show(get(view.props, "endIpAddress"))}`;
    if (r.kind === "bad") return [`${lead(noOpenRanges)}: ${r.message}. Use dotted-quad IPv4 addresses.`];
    if (r.start > r.end)
      return [`${lead(noOpenRanges)}: ${seen} starts after it ends. Swap or fix the addresses.`];
    if (r.start === 0 && r.end === 0)
      return [
        `${lead(noOpenRanges)}: ${seen} is "allow all Azure services", which admits any tenant's Azure resources. Delete the rule and use a private endpoint.`,
      ];
    if (r.start === 0 && r.end === 0xffffffff)
      return [
        `${lead(noOpenRanges)}: ${seen} opens the server to the whole internet. Delete the rule and use a private endpoint.`,
      ];
    const min = cfg(noOpenRanges, config, "minimumPrefixLength") as number;
    const prefix = commonPrefixLength(r.start, r.end);
    if (prefix < min)
      return [
        `${lead(noOpenRanges)}: ${seen} spans a /${prefix} block, wider than /${min}. Narrow it to the client addresses that need access, or connect through a private endpoint.`,
      ];
    return [];
  },
};

export const allowedRanges: ResourceRule<"firewall-allowed-ranges"> = {
  kind: "resource",
  id: "firewall-allowed-ranges",
  title: "Firewall allow-list",
  description:
    "PostgreSQL firewall rules should only admit addresses inside the configured allow-list of CIDRs.",
  enforcementLevel: "advisory",
  resourceTypes: FIREWALL_TYPES,
  config: {
    allowedRanges: {
      type: "array",
      description:
        'IPv4 CIDRs every firewall range must fall inside, e.g. ["203.0.113.0/24"]. Empty means no allow-list.',
      items: { type: "string" },
      default: [],
    },
  },
  remediation:
    "Narrow the rule to addresses inside the allow-list, or add the range to `allowedRanges` in the pack config.",
  references: { seed: SEED_000.firewall, mcsb: "NS-2" },
  unsetSource: [
    {
      kind: "not-set",
      ref: "The allow-list is this rule's own config (`allowedRanges`, default empty); no Azure property is read as unset.",
    },
  ],
  unsetMeans:
    "With no allow-list configured the rule passes everything. Unparsable ranges are left to firewall-no-open-ranges.",
  check(view, config) {
    if (!covers(allowedRanges, view)) return [];
    const list = (cfg(allowedRanges, config, "allowedRanges") as string[])
      .map(parseCidr)
      .filter((c) => c !== undefined);
    if (list.length === 0) return [];
    const r = rangeOf(view);
    if (r.kind !== "ok" || r.start > r.end) return [];
    if (list.some((c) => r.start >= c.first && r.end <= c.last)) return [];
    return [
      `${lead(allowedRanges)}: ${formatIPv4(r.start)}-${formatIPv4(r.end)} is outside ${(cfg(allowedRanges, config, "allowedRanges") as string[]).join(", ")}. Narrow the rule or extend allowedRanges.`,
    ];
  },
};

/**
 * The union of IPv4 ranges as maximal runs: overlapping or adjacent ranges merge into one run, with
 * the number of ranges that made it. Shared by the stack rule firewall-total-width and the component.
 */
export function ipv4Runs(
  ranges: readonly (readonly [number, number])[],
): { start: number; end: number; count: number }[] {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const runs: { start: number; end: number; count: number }[] = [];
  for (const [a, b] of sorted) {
    const last = runs.at(-1);
    if (last !== undefined && a <= last.end + 1) {
      if (b > last.end) last.end = b;
      last.count++;
    } else runs.push({ start: a, end: b, count: 1 });
  }
  return runs;
}

/**
 * Why a server's firewall ranges together admit a block wider than /`minimumPrefixLength`, or
 * undefined. Ranges that overlap or touch are one run of addresses, judged as firewall-no-open-ranges
 * judges a single rule (the smallest CIDR block holding the run): 256 adjacent /24 rules are a /16 however
 * they are split, while separate narrow ranges stay separate. The one judgement of the union, used by
 * firewall-total-width and by the component's cross-field check.
 */
export function firewallUnionProblem(
  ranges: readonly (readonly [number, number])[],
  minimumPrefixLength: number,
): string | undefined {
  const wide = ipv4Runs(ranges).filter(
    (r) => r.count > 1 && commonPrefixLength(r.start, r.end) < minimumPrefixLength,
  );
  if (wide.length === 0) return undefined;
  const shown = wide
    .slice(0, 3)
    .map(
      (r) =>
        `${r.count} rules together admit ${formatIPv4(r.start)}-${formatIPv4(r.end)} (${r.end - r.start + 1} addresses, a /${commonPrefixLength(r.start, r.end)} block)`,
    );
  const more = wide.length > 3 ? ` and ${wide.length - 3} more such runs` : "";
  return `${shown.join("; ")}${more}, wider than /${minimumPrefixLength}`;
}

export const FIREWALL_RULES = [noOpenRanges, allowedRanges] as const satisfies readonly ResourceRule[];
