// Globally unique names: the server and the Key Vaults, whose names are public DNS labels
// (`<server>.postgres.database.azure.com`, `<vault>.vault.azure.net`) that must be unique across Azure.
//
// A name the user gives (`serverName`, `encryption.keyVaultName`, `encryption.geoBackupKeyVaultName`)
// is used as given. Otherwise the name is the component name plus a random suffix that Pulumi keeps in
// state: a `@pulumi/random` RandomString (`<name>-name-suffix`), created only when at least one of the
// three names is left to the component. The suffix is generated once, at the first `pulumi up`, and
// read back from state on every later run, so names stay stable; two people (or two stacks, or a
// re-deploy after a teardown whose vault names are still reserved by soft delete) get different names.
// A hash of project/stack/name, used before, gave everyone who ran the quick start the same names.
//
// Why RandomString and not azure-native's own autonaming (read 2026-11-30): when a name property is
// left unset, azure-native names the resource "URN name + random suffix", 8 random hex characters with
// no length limit (`getDefaultName` → `resource.NewUniqueName(randomSeed, name, 8, 0, nil)` in
// https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go). That
// does not fit here: the logical names (`<component>-geo-kv`, up to 47 characters) would overflow Key
// Vault's 3-24 limit, a component name with capitals would give an invalid server name (lowercase
// only), and the stack's `pulumi:autonaming` configuration could change the pattern underneath the
// component. A RandomString of lowercase letters and digits has a length the component chooses, is
// shared by the three names (so an operator sees they belong together), and is its own resource in
// state, visible and importable.
//
// Name rules (Microsoft.KeyVault/vaults: 3-24, letters, digits and hyphens, starting with a letter, no
// consecutive hyphens, not ending with a hyphen; Microsoft.DBforPostgreSQL/flexibleServers: 3-63,
// lowercase letters, digits and hyphens, not starting or ending with a hyphen:
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, read
// 2026-11-30; encoded in fields.ts#NAME_RULES). The suffix comes last, so the base decides the first
// character: the vault base always starts with a letter.

import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { slug, type ResolvedConfig } from "./defaults";

/** Characters of the random suffix: 36^8 ≈ 2.8e12 names per base. */
export const NAME_SUFFIX_LENGTH = 8;

/** Key Vault names are at most 24 characters (resource-name-rules above). */
const VAULT_MAX = 24;
/** Flexible server names are at most 63 characters. */
const SERVER_MAX = 63;

/** Trims `base` to `max` characters without leaving a trailing hyphen. */
function trimTo(base: string, max: number): string {
  return base.slice(0, max).replace(/-+$/, "");
}

/** Server name: `<slug of component name>-<suffix>`, trimmed to fit 63 characters. Pure. */
export function serverNameWith(name: string, suffix: string): string {
  const room = SERVER_MAX - 1 - suffix.length;
  let base = trimTo(slug(name), room) || "pg";
  if (!/^[a-z0-9]/.test(base)) base = trimTo(`pg-${base}`, room);
  return `${base}-${suffix}`;
}

/**
 * Vault name: `<base>-<tag>-<suffix>`, at most 24 characters, starting with a letter. Tags: `kv` (the
 * server's key), `gkv` (the geo-backup key), `rkv` (a replica's key, with the replica's name as base).
 * Pure.
 */
export function vaultNameWith(name: string, tag: "kv" | "gkv" | "rkv", suffix: string): string {
  const room = VAULT_MAX - tag.length - 2 - suffix.length;
  let base = trimTo(slug(name), room);
  if (!/^[a-z]/.test(base)) base = trimTo(`kv${base}`, room);
  return `${base}-${tag}-${suffix}`;
}

/** The name a replica's server gets: given, `<serverName>-<name>`, or generated from the suffix. */
export function replicaServerName(
  componentName: string,
  primaryServerName: string | undefined,
  replicaName: string,
  suffix: string,
): string {
  return primaryServerName !== undefined
    ? `${primaryServerName}-${replicaName}`.slice(0, 63).replace(/-+$/, "")
    : serverNameWith(`${componentName}-${replicaName}`, suffix);
}

/** The name of a replica's created vault: `<name>-rkv-<suffix>`, at most 24 characters. */
export function replicaVaultName(replicaName: string, suffix: string): string {
  return vaultNameWith(replicaName, "rkv", suffix);
}

/** The names the component's children use: given ones as strings, generated ones as outputs. */
export interface ResourceNames {
  serverName: pulumi.Input<string>;
  /** Undefined when the primary key is brought (no vault is created). */
  keyVaultName?: pulumi.Input<string>;
  /** Undefined without a created geo-backup vault. */
  geoVaultName?: pulumi.Input<string>;
  /** Each replica's server name and (when the component creates it) vault name, in `replicas` order. */
  replicas: { serverName: pulumi.Input<string>; keyVaultName?: pulumi.Input<string> }[];
  /** The virtual endpoint's name, with `virtualEndpoint`. */
  virtualEndpointName?: pulumi.Input<string>;
  /** The random suffix, when any name is generated. */
  suffix?: random.RandomString;
}

/** True when the component must generate at least one name. Pure. */
export function needsGeneratedName(cfg: ResolvedConfig): boolean {
  const e = cfg.encryption;
  return (
    cfg.names.server === undefined ||
    (e.created && cfg.names.keyVault === undefined) ||
    (e.geo?.created === true && cfg.names.geoVault === undefined) ||
    cfg.replicas.some((r) => r.serverName === undefined || (r.keyCreated && r.keyVaultName === undefined)) ||
    (cfg.virtualEndpoint !== undefined && cfg.virtualEndpoint.name === undefined)
  );
}

/**
 * The names of the server and the created vaults. `@pulumi/random` is needed on the default path: the
 * RandomString exists whenever a name is not given, which is the quick start.
 */
export function createNames(cfg: ResolvedConfig, opts: pulumi.CustomResourceOptions): ResourceNames {
  const suffix = needsGeneratedName(cfg)
    ? new random.RandomString(
        `${cfg.name}-name-suffix`,
        { length: NAME_SUFFIX_LENGTH, lower: true, upper: false, numeric: true, special: false },
        opts,
      )
    : undefined;
  const generated = (make: (s: string) => string): pulumi.Output<string> =>
    (suffix as random.RandomString).result.apply(make);
  const e = cfg.encryption;
  return {
    serverName: cfg.names.server ?? generated((s) => serverNameWith(cfg.name, s)),
    keyVaultName: e.created
      ? (cfg.names.keyVault ?? generated((s) => vaultNameWith(cfg.name, "kv", s)))
      : undefined,
    geoVaultName: e.geo?.created
      ? (cfg.names.geoVault ?? generated((s) => vaultNameWith(cfg.name, "gkv", s)))
      : undefined,
    replicas: cfg.replicas.map((r) => ({
      serverName: r.serverName ?? generated((s) => replicaServerName(cfg.name, cfg.names.server, r.name, s)),
      keyVaultName: r.keyCreated
        ? (r.keyVaultName ?? generated((s) => replicaVaultName(r.name, s)))
        : undefined,
    })),
    virtualEndpointName:
      cfg.virtualEndpoint === undefined
        ? undefined
        : (cfg.virtualEndpoint.name ??
          (cfg.names.server !== undefined
            ? virtualEndpointNameFor(cfg.names.server)
            : generated((s) => serverNameWith(`${cfg.name}-ve`, s)))),
    suffix,
  };
}

/** `<serverName>-ve`, trimmed to the 63 characters a virtual endpoint name allows. Pure. */
export function virtualEndpointNameFor(serverName: string): string {
  return `${trimTo(serverName, SERVER_MAX - 3)}-ve`;
}
