// Stack views built straight from a decoded AnalyzeStack request, in one pass, for policies/sdk-hooks.
//
// The policy SDK (1.21, server.js makeAnalyzeStackRpcFun) rebuilds the whole resource list for every
// stack policy: it deserialises every resource's properties, wraps them in a proxy and copies options,
// provider and dependencies, although our stack rules read the properties of only the few types they
// link (servers, vaults, endpoints, diagnostic settings, locks, …). On 10,000 resources that was most
// of the time the pack spent beyond an empty pack (issue #3). Here each resource becomes a view whose
// `props` are decoded on first read, so a database or a server parameter that no stack rule looks at is
// never decoded.
//
// The views are exactly what policies/pack.ts `toStackViews` makes of the SDK's resource list (a test
// compares the two on every fixture): same type, URN, name, dependency URNs (explicit, then property
// dependencies, each only when the target is in the stack), parent and properties.

import type { StackResourceView } from "./rules";

/** The parts of a decoded `pulumirpc.AnalyzerResource` read here (jspb getters). */
export interface RequestResource {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getParent(): string;
  getProperties(): object | undefined;
  getOptions(): { getParent(): string } | undefined;
  getProvider(): { getProperties(): object | undefined } | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
}

/** The SDK's `deserializeProperties(struct, false)`: secrets unwrapped, unknowns left as sentinels. */
export type Deserialize = (struct: object, proxySecrets: false) => unknown;

/**
 * Whether the SDK would get through its own per-resource work on this list without an error: every
 * resource has properties and options, and every provider has properties. When one does not, the SDK
 * must see the real list so it answers with its own error, as it would without this shortcut.
 */
export function sdkWouldAccept(list: readonly RequestResource[]): boolean {
  for (const r of list) {
    if (typeof r.getProperties() !== "object" || !r.getOptions()) return false;
    const provider = r.getProvider();
    if (provider && typeof provider.getProperties() !== "object") return false;
  }
  return true;
}

/** What every view of one request shares. */
interface RequestContext {
  urns: ReadonlySet<string>;
  deserialize: Deserialize;
}

/**
 * A resource of the request as stack rules see it. Type, URN and name are read up front (every rule
 * looks at them); properties, dependencies and parent are read from the request on first use, then
 * kept. Only a link that falls back to dependencies reads those, and only linked types read properties.
 */
class RequestView implements StackResourceView {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  private readonly source: RequestResource;
  private readonly context: RequestContext;
  private decoded: Record<string, unknown> | undefined;
  private deps: readonly string[] | undefined;
  private parentRead = false;
  private parentUrn: string | undefined;

  constructor(r: RequestResource, context: RequestContext) {
    this.type = r.getType();
    this.urn = r.getUrn();
    this.name = r.getName();
    this.source = r;
    this.context = context;
  }

  get props(): Record<string, unknown> {
    if (this.decoded === undefined) {
      const raw = this.context.deserialize(this.source.getProperties()!, false);
      this.decoded = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    }
    return this.decoded;
  }

  get dependencies(): readonly string[] {
    return (this.deps ??= dependencyUrns(this.source, this.context.urns));
  }

  get parent(): string | undefined {
    if (!this.parentRead) {
      this.parentUrn = parentUrn(this.source, this.context.urns);
      this.parentRead = true;
    }
    return this.parentUrn;
  }
}

/**
 * The SDK links dependencies to resource objects and drops URNs not in the stack; pack.ts then collects
 * their URNs, explicit dependencies first, then property dependencies in the order `Object.values`
 * gives the SDK's plain record of them.
 */
function dependencyUrns(r: RequestResource, urns: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const d of r.getDependenciesList()) if (urns.has(d)) out.add(d);
  const map = r.getPropertydependenciesMap();
  if (map) {
    let record: Record<string, string[]> | undefined;
    for (const [k, v] of map.entries()) (record ??= {})[k] = v.getUrnsList();
    if (record) for (const list of Object.values(record)) for (const d of list) if (urns.has(d)) out.add(d);
  }
  return [...out];
}

/** The parent in the stack, else the parent named in the resource options (as pack.ts reads the SDK's). */
function parentUrn(r: RequestResource, urns: ReadonlySet<string>): string | undefined {
  const parent = r.getParent();
  if (parent && urns.has(parent)) return parent;
  const fromOptions = r.getOptions()?.getParent();
  return fromOptions ? fromOptions : undefined;
}

/** One view per resource, in request order. Properties are decoded lazily with `deserialize`. */
export function requestViews(
  list: readonly RequestResource[],
  deserialize: Deserialize,
): StackResourceView[] {
  const urns = new Set<string>();
  for (const r of list) urns.add(r.getUrn());
  const context: RequestContext = { urns, deserialize };
  return list.map((r) => new RequestView(r, context));
}
