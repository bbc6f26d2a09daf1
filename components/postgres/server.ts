// ZeroTrustPostgres: a zero-trust Azure Database for PostgreSQL flexible server and everything
// around it. The constructor reads top to bottom: validate, resolve and run the bound rules (nothing
// registered yet), register the component, then a few `create…` steps that each return a record:
// keys → network → server → the server's serial children → client access → monitoring → locks →
// outputs. The resolved config is never modified after the pre-flight check.
//
// Multi-language: Pulumi's component host turns the class's public fields into the schema's outputs,
// so the class declares only `pulumi.Output` fields and azure-native resource references.

import * as pulumi from "@pulumi/pulumi";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as network from "@pulumi/azure-native/network";
import type * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type * as random from "@pulumi/random";
import type { CiIdentityConnection, ConnectionInfo, ReplicaInfo, ZeroTrustPostgresArgs } from "./args";
import { afterCheck, createOnlyOptions, expectationOf, verifyCreateOnly } from "./create-only";
import {
  COMPONENT_TYPE,
  ENTRA_TOKEN_SCOPE,
  KEYVAULT_PRIVATELINK_ZONE,
  LEGACY_COMPONENT_TYPE,
  POSTGRES_PORT,
  SSL_MODE,
  resolveConfig,
  type ResolvedConfig,
} from "./defaults";
import { broughtKeyScope, createVaultAndKey, type CreatedKey } from "./encryption";
import { gate, gateInputs, Owner, SECRET } from "./fields";
import { preflight } from "./guard";
import {
  createAdministratorPassword,
  createAdministrator,
  createCryptoRoleAssignment,
  createServerIdentity,
  createWorkloadIdentities,
  type WorkloadResources,
} from "./identity";
import {
  createAlerts,
  createServerDiagnostics,
  createThreatProtection,
  createVaultDiagnostics,
  createWorkspace,
} from "./monitoring";
import {
  createDelegatedSubnet,
  createFirewallRules,
  createOrBringZone,
  createPrivateEndpoint,
  createVaultEndpointSubnet,
  type DnsZone,
} from "./network";
import { createNames, type ResourceNames } from "./naming";
import { createDeleteLock, protectedOptions, serverOptions } from "./protection";
import { configurationInputs, parameterList, serverInputs } from "./server-inputs";
import { regionCheckInput, regionProblems, regionWarnings } from "./region-checks";
import { createRestart, isStaticParameter, manualRestartStep, staticParameterTrigger } from "./restart";
import { bootstrapPlanSql, bootstrapSql, type BootstrapPrincipal } from "./sql";
import { STATIC_SERVER_PARAMETERS } from "./extensions";
import { createRoleAssignments } from "./rbac";
import { createLongTermBackup } from "./backup-vault";
import {
  accessPrincipals,
  ciConnections,
  createAccess,
  personaGroupIds,
  planAccess,
  serviceAccountManifests,
  type AccessPlan,
  type AccessResources,
} from "./access";
import { createAuditMonitoring } from "./audit-monitoring";
import { replicaServerInputs, virtualEndpointInputs, type ResolvedReplica } from "./replicas";
import { keyScopeProblem, refusal, validateArgs } from "./validate";

/**
 * A zero-trust Azure Database for PostgreSQL flexible server: Entra-only login, no public network
 * access, customer-managed keys (with a geo-backup key), TLS 1.3, pgaudit, diagnostics, Defender,
 * alerts, protected and locked against deletion.
 */
export class ZeroTrustPostgres extends pulumi.ComponentResource {
  /** ARM resource id of the flexible server. */
  public readonly serverId!: pulumi.Output<string>;
  /** Name of the flexible server. */
  public readonly serverName!: pulumi.Output<string>;
  /** Fully qualified domain name of the server (`<name>.postgres.database.azure.com`); resolves to a private address through the private DNS zone. */
  public readonly fqdn!: pulumi.Output<string>;
  /** privateEndpoint mode: the private IP address of the server's private endpoint. Undefined in vnetIntegration mode. */
  public readonly privateEndpointIp?: pulumi.Output<string>;
  /** Resource id of the private DNS zone that resolves the server (created or brought). */
  public readonly privateDnsZoneId!: pulumi.Output<string>;
  /** How applications connect: host, port, database, sslmode, Entra token scope and each workload identity. No secrets. */
  public readonly connection!: pulumi.Output<ConnectionInfo>;
  /** Idempotent SQL that creates the persona, workload and CI roles with least-privilege grants; run it as an Entra administrator. */
  public readonly bootstrapSql!: pulumi.Output<string>;
  /** Object id of each persona's Entra group (brought or created under PIM), by group name. */
  public readonly personaGroupIds!: pulumi.Output<{ [groupName: string]: string }>;
  /** Each CI identity's client id and PostgreSQL role, for the pipelines. No secrets. */
  public readonly ciIdentities!: pulumi.Output<CiIdentityConnection[]>;
  /** The Kubernetes ServiceAccount manifest (YAML) of each AKS-federated workload, by workload name. */
  public readonly serviceAccountManifests!: pulumi.Output<{ [workload: string]: string }>;
  /** Versionless URI of the customer-managed key that encrypts the server (created or brought). */
  public readonly keyUri!: pulumi.Output<string>;
  /** Versionless URI of the geo-backup key. Undefined without geo-redundant backup. */
  public readonly geoBackupKeyUri?: pulumi.Output<string>;
  /** Resource id of the server's user-assigned identity for the primary key. */
  public readonly serverIdentityId!: pulumi.Output<string>;
  /** Resource id of the server's user-assigned identity for the geo-backup key. Undefined without geo-redundant backup. */
  public readonly geoBackupIdentityId?: pulumi.Output<string>;
  /** Resource id of the Log Analytics workspace receiving diagnostics (created or brought). */
  public readonly workspaceId!: pulumi.Output<string>;
  /** With `automaticRestart: false`: the restart the operator must run (on the server and each replica) so static parameters (pgaudit) take effect. Undefined when the component restarts the servers itself. */
  public readonly manualRestartStep?: pulumi.Output<string>;
  /** Each read replica's name, server name, id, host, region and key URI, in `replicas` order. Empty without replicas. */
  public readonly replicas!: pulumi.Output<ReplicaInfo[]>;
  /** With `virtualEndpoint`: its read-write and read-only host names. Undefined otherwise. */
  public readonly virtualEndpointHosts?: pulumi.Output<string[]>;
  /** Password of `administratorLogin`, a secret. Only with `allowPasswordAuth`; undefined otherwise. */
  public readonly administratorPassword?: pulumi.Output<string>;
  /** The flexible server. */
  public readonly server!: dbforpostgresql.Server;
  /** The application database. */
  public readonly database!: dbforpostgresql.Database;
  /** The server's private endpoint. Undefined in vnetIntegration mode. */
  public readonly privateEndpoint?: network.PrivateEndpoint;
  /** The server's identity for the primary key. */
  public readonly serverIdentity!: managedidentity.UserAssignedIdentity;
  /** The created Key Vault. Undefined when the key is brought. */
  public readonly keyVault?: keyvault.Vault;
  /** The created customer-managed key. Undefined when the key is brought. */
  public readonly key?: keyvault.Key;
  /** The created geo-backup Key Vault. Undefined without geo-redundant backup or when the geo key is brought. */
  public readonly geoBackupKeyVault?: keyvault.Vault;
  /** The created geo-backup key. Undefined without geo-redundant backup or when the geo key is brought. */
  public readonly geoBackupKey?: keyvault.Key;
  /** The created Log Analytics workspace. Undefined when one is brought. */
  public readonly workspace?: operationalinsights.Workspace;

  constructor(name: string, args: ZeroTrustPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    // 1. Validate the fields, resolve the defaults and run the bound rules before anything is
    //    registered, so a refused input leaves no trace. Inputs that are still Outputs are gated: they
    //    are checked when they resolve and fail what consumes them, attached to this component.
    validateArgs(name, args);
    const owner = new Owner();
    const cfg: Readonly<ResolvedConfig> = Object.freeze(resolveConfig(name, gateInputs(args, owner)));
    // Region facts (region-checks.ts, policies/facts/regions.ts): combinations Azure refuses minutes
    // into a deployment are refused first, with the region's own way out.
    const region = regionCheckInput(cfg, args);
    const regional = regionProblems(region);
    if (regional.length > 0) throw refusal(name, regional);
    const verdict = preflight(cfg);
    if (verdict.errors.length > 0) throw refusal(name, verdict.errors);
    const accessPlan = planAccessOrRefuse(name, cfg);

    // 2. The component. The alias keeps stacks created under the first planned token from replacing
    //    the whole estate; children inherit the parent's aliases, so their URNs follow too.
    super(
      COMPONENT_TYPE,
      name,
      {},
      { ...opts, aliases: [...(opts?.aliases ?? []), { type: LEGACY_COMPONENT_TYPE }] },
    );
    owner.resource = this;
    for (const warning of [...verdict.warnings, ...regionWarnings(region), ...accessPlan.warnings])
      pulumi.log.warn(warning, this);
    const child: pulumi.CustomResourceOptions = { parent: this };

    // 3. Keys, identities and the network around the server; then the server and its children.
    const names = createNames(cfg, child);
    const keys = createKeys(cfg, names, owner, child);
    const workloads = createWorkloadIdentities(cfg, child);
    const password = cfg.allowPasswordAuth ? createAdministratorPassword(cfg, child) : undefined;
    const around = createNetworkAround(cfg, child);
    const server = createServer(cfg, names, keys, around, password, child);
    const madeAccess = createAccess(name, accessPlan, cfg, child);
    const children = createServerChildren(cfg, accessPlan, server.server, child);
    // Azure RBAC on the server (control plane): ARM writes on the scope, not server writes.
    const roleAssignments = createRoleAssignments(name, cfg.roleAssignments, server.server.id, child);
    // Vaulted long-term backup (off by default): the vault, its policy, its roles and the instance.
    const longTerm = cfg.longTermBackup
      ? createLongTermBackup(
          name,
          cfg.longTermBackup,
          {
            resourceGroupName: cfg.resourceGroupName,
            resourceGroupId: server.server.id.apply((id) => id.split("/providers/")[0]),
            location: cfg.location,
            tags: cfg.tags,
            serverId: server.server.id,
            serverName: server.server.name,
          },
          child,
        )
      : undefined;
    const access = createClientAccess(cfg, keys, around, server.server, children.last, child);
    const monitoring = createMonitoring(cfg, keys, server.server, access.last ?? children.last, child);
    // Read replicas and the virtual endpoint, after the primary's last write (Defender).
    const replicas = createReplicas(
      cfg,
      names,
      keys,
      around,
      server.server,
      monitoring.threatProtection,
      monitoring.workspaceId,
      child,
    );
    createAuditMonitoring(
      cfg,
      {
        serverId: server.server.id,
        replicaIds: replicas.records.map((x) => x.server.id),
        workspaceId: monitoring.workspaceId,
        createdWorkspace: monitoring.workspace !== undefined,
        deleteLocks: cfg.deleteLocks,
        alerts: cfg.monitoring.alerts,
        breakGlass: accessPlan.breakGlass,
        after: [monitoring.serverDiagnostics],
      },
      child,
    );
    if (cfg.deleteLocks)
      createLocks(
        cfg,
        keys,
        server.server,
        [
          ...children.all,
          ...access.children,
          ...roleAssignments,
          ...(longTerm ? [longTerm.roleAssignments[0], longTerm.instance] : []),
          monitoring.serverDiagnostics,
          monitoring.threatProtection,
          ...(replicas.virtualEndpoint ? [replicas.virtualEndpoint] : []),
        ],
        child,
      );

    // 4. Outputs, listed once: assigned to the fields and registered from the same object.
    const outputs = {
      ...outputsOf(cfg, keys, around, server, workloads, access, monitoring, accessPlan, madeAccess),
      administratorPassword: password ? pulumi.secret(password.result) : undefined,
      database: children.database,
      manualRestartStep: restartSteps([
        children.manualRestartStep,
        ...replicas.records.map((x) => x.manualRestartStep),
      ]),
      replicas: replicaInfo(replicas.records),
      virtualEndpointHosts: replicas.virtualEndpoint?.virtualEndpoints.apply((h) => h ?? []),
    } satisfies { [K in OutputName]: ZeroTrustPostgres[K] };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/** The manual restart steps of the primary and the replicas, one per line; undefined when none. */
function restartSteps(steps: (pulumi.Output<string> | undefined)[]): pulumi.Output<string> | undefined {
  const given = steps.filter((x): x is pulumi.Output<string> => x !== undefined);
  return given.length === 0 ? undefined : pulumi.all(given).apply((l) => l.join("\n"));
}

/** The `replicas` output: what clients and operators need of each replica. */
function replicaInfo(records: ReplicaRecord[]): pulumi.Output<ReplicaInfo[]> {
  return pulumi.all(
    records.map((x) =>
      pulumi
        .all([x.server.name, x.server.id, x.server.fullyQualifiedDomainName, x.server.location, x.keyUri])
        .apply(([serverName, serverId, fqdn, location, keyUri]) => ({
          name: x.replica.name,
          serverName,
          serverId,
          fqdn,
          location,
          keyUri,
        })),
    ),
  );
}

/** Names of the public output fields; `satisfies` above fails to compile when one is left out. */
type OutputName = {
  [K in keyof ZeroTrustPostgres]-?: ZeroTrustPostgres[K] extends
    | pulumi.Output<unknown>
    | pulumi.Resource
    | undefined
    ? K extends keyof pulumi.ComponentResource
      ? never
      : K
    : never;
}[keyof ZeroTrustPostgres];

// ---- The steps -------------------------------------------------------------------------------------

/** The primary key (and the geo-backup key), the server's identities and their role assignments. */
interface Keys {
  serverIdentity: managedidentity.UserAssignedIdentity;
  primary?: CreatedKey;
  keyUri: pulumi.Output<string>;
  geoIdentity?: managedidentity.UserAssignedIdentity;
  geo?: CreatedKey;
  geoKeyUri?: pulumi.Output<string>;
  /** Role assignments the server waits for: Azure checks its key access when it creates the server. */
  roles: pulumi.Resource[];
  /** Each replica's identity, key and role, in `replicas` order. */
  replicas: ServerKey[];
  /** Every created vault (the server's, the geo-backup one, each replica's): endpoints, diagnostics and locks. */
  vaults: CreatedVault[];
}

/** A vault the component created, with what its private endpoint, diagnostics and lock need. */
interface CreatedVault {
  /** The configuration its children are named from (the component's, or a replica's view of it). */
  owner: ResolvedConfig;
  /** Child-name prefix: `kv` or `geo-kv`. */
  prefix: string;
  /** What the lock note says the vault holds. */
  what: string;
  created: CreatedKey;
  /** A replica's vault endpoint subnet; the server's vaults use the component's vault subnet. */
  subnet?: pulumi.Input<string>;
  /** What lives under the vault, for its lock: deleted before the lock goes. */
  under: pulumi.Resource[];
}

/**
 * A brought key's URI, failing (when they resolve) if it is not in the vault `vaultId` names: the
 * server's role would then be granted on a vault that does not hold its key.
 */
function broughtKey(
  owner: Owner,
  uriField: string,
  uri: pulumi.Input<string>,
  idField: string,
  vaultId: pulumi.Input<string>,
): { keyUri: pulumi.Output<string>; scope: pulumi.Output<string> } {
  const checked = gate(
    pulumi.all([uri, vaultId]),
    (v, shown) => {
      const [u, id] = v as [string, string];
      return keyScopeProblem(uriField, u, idField, id, shown === SECRET);
    },
    owner,
  );
  const keyUri = checked.apply(([u]) => u);
  return {
    keyUri,
    scope: broughtKeyScope(
      checked.apply(([, id]) => id),
      keyUri,
    ),
  };
}

/** One key of the server: its identity, the key (created with its vault, or brought) and the role. */
interface ServerKey {
  identity: managedidentity.UserAssignedIdentity;
  created?: CreatedKey;
  keyUri: pulumi.Output<string>;
  role: pulumi.Resource;
}

/** What differs between the primary key and the geo-backup key. */
interface KeySpec {
  /** Child-name prefixes: the vault (`kv`, `geo-kv`) and the identity (`server-id`, `geo-id`); a replica's are `kv` and `id` under its own name. */
  prefix: "kv" | "geo-kv";
  identityPrefix: "server-id" | "geo-id" | "id";
  location: pulumi.Input<string> | undefined;
  /** The created vault's name; undefined when the key is brought. */
  vaultName?: pulumi.Input<string>;
  keyName: string;
  /** A brought key and its vault (used when `vaultName` is undefined), with the argument paths that name them. */
  keyUri?: pulumi.Input<string>;
  keyUriField: string;
  vaultId?: pulumi.Input<string>;
  vaultIdField: string;
}

/**
 * One key, created or brought: the server's identity for it, a vault and key (or the brought URI,
 * checked against its vault) and "Key Vault Crypto Service Encryption User" for the identity on the key.
 */
function createOrBringKey(
  cfg: ResolvedConfig,
  spec: KeySpec,
  owner: Owner,
  child: pulumi.CustomResourceOptions,
): ServerKey {
  const identity = createServerIdentity(cfg, spec.identityPrefix, spec.location, child);
  const created =
    spec.vaultName !== undefined
      ? createVaultAndKey(
          cfg,
          spec.prefix,
          spec.vaultName,
          spec.keyName,
          spec.location,
          protectedOptions(cfg, child),
        )
      : undefined;
  const key = created
    ? { keyUri: created.keyUri, scope: created.key.id }
    : broughtKey(
        owner,
        spec.keyUriField,
        spec.keyUri as pulumi.Input<string>,
        spec.vaultIdField,
        spec.vaultId as pulumi.Input<string>,
      );
  const role = createCryptoRoleAssignment(`${cfg.name}-${spec.prefix}-crypto`, identity, key.scope, child);
  return { identity, created, keyUri: pulumi.output(key.keyUri), role };
}

function createKeys(
  cfg: ResolvedConfig,
  names: ResourceNames,
  owner: Owner,
  child: pulumi.CustomResourceOptions,
): Keys {
  // The server's identity needs "Key Vault Crypto Service Encryption User" on its key before Azure
  // accepts the server, so the server depends on the role assignments.
  const e = cfg.encryption;
  const primary = createOrBringKey(
    cfg,
    {
      prefix: "kv",
      identityPrefix: "server-id",
      location: cfg.location,
      vaultName: e.created ? names.keyVaultName : undefined,
      keyName: e.keyName,
      keyUri: e.keyUri,
      keyUriField: "encryption.keyUri",
      vaultId: e.keyVaultResourceId,
      vaultIdField: "encryption.keyVaultResourceId",
    },
    owner,
    child,
  );
  // Geo-redundant backup with CMK needs a second key in the geo region and a second identity for it
  // (geoBackupUserAssignedIdentityId; pulumi-azure-native#4014).
  const g = e.geo;
  const geo = g
    ? createOrBringKey(
        cfg,
        {
          prefix: "geo-kv",
          identityPrefix: "geo-id",
          location: g.location,
          vaultName: g.created ? names.geoVaultName : undefined,
          keyName: g.keyName,
          keyUri: g.keyUri,
          keyUriField: "encryption.geoBackupKeyUri",
          vaultId: g.vaultResourceId,
          vaultIdField: "encryption.geoBackupKeyVaultResourceId",
        },
        owner,
        child,
      )
    : undefined;
  // Each replica's key and identity, in the replica's region (replicas.ts cites the requirement).
  const replicas = cfg.replicas.map((r, i) =>
    createOrBringKey(
      replicaConfig(cfg, r),
      {
        prefix: "kv",
        identityPrefix: "id",
        location: r.location,
        vaultName: names.replicas[i].keyVaultName,
        keyName: e.keyName,
        keyUri: r.keyUri,
        keyUriField: `replicas[${i}].keyUri`,
        vaultId: r.keyVaultResourceId,
        vaultIdField: `replicas[${i}].keyVaultResourceId`,
      },
      owner,
      child,
    ),
  );
  const vault = (
    k: ServerKey | undefined,
    namedBy: ResolvedConfig,
    prefix: string,
    what: string,
    subnet?: pulumi.Input<string>,
  ): CreatedVault[] =>
    k?.created ? [{ owner: namedBy, prefix, what, created: k.created, subnet, under: [k.role] }] : [];
  return {
    serverIdentity: primary.identity,
    primary: primary.created,
    keyUri: primary.keyUri,
    geoIdentity: geo?.identity,
    geo: geo?.created,
    geoKeyUri: geo?.keyUri,
    roles: [primary.role, ...(geo ? [geo.role] : [])],
    replicas,
    vaults: [
      ...vault(primary, cfg, "kv", "Key Vault holding the server's key"),
      ...vault(geo, cfg, "geo-kv", "Key Vault holding the geo-backup key"),
      ...cfg.replicas.flatMap((r, i) =>
        vault(
          replicas[i],
          replicaConfig(cfg, r),
          "kv",
          "Key Vault holding a read replica's key",
          r.keyVaultPrivateEndpointSubnetResourceId,
        ),
      ),
    ],
  };
}

/**
 * A replica's view of the configuration: its children are named `<component>-replica-<name>-…` and
 * live in its region; everything else (parameters, tags, vault and key settings) is the component's.
 */
function replicaConfig(cfg: ResolvedConfig, r: ResolvedReplica): ResolvedConfig {
  return { ...cfg, name: `${cfg.name}-replica-${r.name}`, location: r.location };
}

/** The server's private DNS zone and, in vnetIntegration mode, its delegated subnet. */
interface Around {
  zone: DnsZone;
  delegatedSubnetId?: pulumi.Input<string>;
  /** The subnet of the created vaults' private endpoints (either mode). */
  vaultEndpointSubnetId?: pulumi.Input<string>;
  /** What the server must wait for: the created subnet and (vnetIntegration) the zone's VNet links. */
  serverAfter: pulumi.Resource[];
}

function createNetworkAround(cfg: ResolvedConfig, child: pulumi.CustomResourceOptions): Around {
  const net = cfg.network;
  const zone = createOrBringZone(cfg, "pg", net.privateDnsZoneName, net.privateDnsZoneResourceId, child);
  if (net.mode !== "vnetIntegration")
    return { zone, vaultEndpointSubnetId: net.privateEndpointSubnetResourceId, serverAfter: [] };
  const subnet =
    net.delegatedSubnetResourceId === undefined ? createDelegatedSubnet(cfg, child).subnet : undefined;
  // The created vaults' endpoints cannot go in the delegated subnet (validate.ts): a second subnet.
  const vaultSubnet =
    subnet && net.keyVaultSubnetAddressPrefix !== undefined
      ? createVaultEndpointSubnet(cfg, subnet, child).subnet
      : undefined;
  return {
    zone,
    delegatedSubnetId: subnet ? subnet.id : net.delegatedSubnetResourceId,
    vaultEndpointSubnetId: vaultSubnet ? vaultSubnet.id : net.keyVaultPrivateEndpointSubnetResourceId,
    // Azure resolves the zone from the server's VNet while creating it: link first.
    serverAfter: [...(subnet ? [subnet] : []), ...zone.links],
  };
}

interface Server {
  server: dbforpostgresql.Server;
  /** Resolves once the deployed server's create-only properties match the arguments. */
  createOnly: pulumi.Output<true>;
}

function createServer(
  cfg: ResolvedConfig,
  names: ResourceNames,
  keys: Keys,
  around: Around,
  password: random.RandomPassword | undefined,
  child: pulumi.CustomResourceOptions,
): Server {
  const server = new dbforpostgresql.Server(
    `${cfg.name}-server`,
    serverInputs(cfg, {
      serverName: names.serverName,
      primaryIdentityId: keys.serverIdentity.id,
      primaryKeyUri: keys.keyUri,
      geoIdentityId: keys.geoIdentity?.id,
      geoKeyUri: keys.geoKeyUri,
      delegatedSubnetId: around.delegatedSubnetId,
      privateDnsZoneId: cfg.network.mode === "vnetIntegration" ? around.zone.zoneId : undefined,
      administratorPassword: password?.result,
    }),
    // Create-only inputs are ignored on update and checked against the deployed server instead
    // (create-only.ts): a change fails the preview rather than replacing or half-updating the database.
    createOnlyOptions(serverOptions(cfg, { ...child, dependsOn: [...keys.roles, ...around.serverAfter] })),
  );
  return {
    server,
    createOnly: verifyCreateOnly(server, expectationOf(cfg, names.serverName, around.delegatedSubnetId)),
  };
}

/** Writes to the server, in the order they were made, and the database. */
interface ServerChildren {
  all: pulumi.Resource[];
  last: pulumi.Resource;
  database: dbforpostgresql.Database;
  /** The additional application databases (`databases`), in order. */
  databases: dbforpostgresql.Database[];
  /** `automaticRestart: false` with a static parameter: what the operator runs instead. */
  manualRestartStep?: pulumi.Output<string>;
}

/**
 * Writes to the server, strictly one after another: Azure answers concurrent writes to one flexible
 * server with ServerBusy (bicep-registry-modules#4289). Parameters first, in parameters.ts order,
 * then administrators, the database and the firewall rules.
 */
function createServerChildren(
  cfg: ResolvedConfig,
  accessPlan: AccessPlan,
  server: dbforpostgresql.Server,
  child: pulumi.CustomResourceOptions,
): ServerChildren {
  const chain = serialChain(server, child);
  const serial = chain.add;
  const manual = writeParameters(cfg, server, serial);
  for (const admin of cfg.administrators) serial((o) => createAdministrator(cfg, admin, server.name, o));
  // The break-glass administrator: one more Entra administrator, kept out of `administrators`.
  const breakGlass = accessPlan.breakGlass;
  if (breakGlass) serial((o) => createAdministrator(cfg, breakGlass, server.name, o));
  const database = serial(
    (o) =>
      new dbforpostgresql.Database(
        `${cfg.name}-db`,
        {
          databaseName: cfg.databaseName,
          resourceGroupName: cfg.resourceGroupName,
          serverName: server.name,
          charset: "UTF8",
          collation: "en_US.utf8",
        },
        o,
      ),
  );
  // Additional application databases, after the first one and in the order given.
  const databases = cfg.databases.map((d) =>
    serial(
      (o) =>
        new dbforpostgresql.Database(
          `${cfg.name}-db-${d.databaseName}`,
          {
            databaseName: d.databaseName,
            resourceGroupName: cfg.resourceGroupName,
            serverName: server.name,
            charset: "UTF8",
            collation: "en_US.utf8",
          },
          o,
        ),
    ),
  );
  const firewallRules = createFirewallRules(cfg, server.name, chain.last(), child);
  chain.all.push(...firewallRules);
  const last = firewallRules.length > 0 ? firewallRules[firewallRules.length - 1] : chain.last();
  return { all: chain.all, last, database, databases, manualRestartStep: manual };
}

/** Writes to one server, each after the previous one (`add`), starting after `first`. */
interface SerialChain {
  add: <T extends pulumi.Resource>(make: (o: pulumi.CustomResourceOptions) => T) => T;
  last: () => pulumi.Resource;
  all: pulumi.Resource[];
}

function serialChain(first: pulumi.Resource, child: pulumi.CustomResourceOptions): SerialChain {
  const all: pulumi.Resource[] = [];
  let last = first;
  return {
    add: (make) => {
      const r = make({ ...child, dependsOn: [last] });
      all.push(r);
      last = r;
      return r;
    },
    last: () => last,
    all,
  };
}

/**
 * The component's server parameters on `server`, in parameters.ts order, and the restart. pgaudit (and
 * any preloaded extension) is loaded by a static parameter: restart once the parameters are written,
 * only when a static value changed (restart.ts). `serverParameters` that are static take the same path
 * (extensions.ts lists them). With `automaticRestart: false` the step to run is returned instead.
 */
function writeParameters(
  cfg: ResolvedConfig,
  server: dbforpostgresql.Server,
  serial: SerialChain["add"],
): pulumi.Output<string> | undefined {
  for (const parameter of parameterList(cfg))
    serial(
      (o) =>
        new dbforpostgresql.Configuration(
          `${cfg.name}-param-${parameter.name.replace(/[^a-zA-Z0-9]+/g, "-")}`,
          configurationInputs(cfg, parameter, server.name),
          o,
        ),
    );
  const trigger = staticParameterTrigger(
    parameterList(cfg),
    (n) => isStaticParameter(n) || STATIC_SERVER_PARAMETERS.includes(n),
  );
  if (trigger.length > 0 && cfg.automaticRestart)
    serial((o) => createRestart(cfg.name, server.id, trigger, o) as pulumi.Resource);
  return trigger.length > 0 && !cfg.automaticRestart
    ? pulumi.all([server.name, cfg.resourceGroupName]).apply(([n, rg]) => manualRestartStep(n, rg, trigger))
    : undefined;
}

/** How clients reach the server (privateEndpoint mode): its endpoint and the created vaults' endpoints. */
interface ClientAccess {
  privateEndpoint?: network.PrivateEndpoint;
  endpointIp?: pulumi.Output<string>;
  /** Server writes made here (the endpoint's connection approval), for the serial chain and the lock. */
  children: pulumi.Resource[];
  last?: pulumi.Resource;
}

function createClientAccess(
  cfg: ResolvedConfig,
  keys: Keys,
  around: Around,
  server: dbforpostgresql.Server,
  after: pulumi.Resource,
  child: pulumi.CustomResourceOptions,
): ClientAccess {
  const net = cfg.network;
  // Creating the endpoint approves a private endpoint connection on the server: another server
  // write, so it joins the serial chain (ServerBusy, bicep-registry-modules#4289).
  const pe =
    net.mode === "privateEndpoint"
      ? createPrivateEndpoint(
          cfg,
          "pe",
          server.id,
          "postgresqlServer",
          net.privateEndpointSubnetResourceId as pulumi.Input<string>,
          around.zone.zoneId,
          { ...child, dependsOn: [after] },
        )
      : undefined;
  createVaultEndpoints(cfg, keys.vaults, around.vaultEndpointSubnetId, child);
  if (!pe) return { children: [] };
  return {
    privateEndpoint: pe.endpoint,
    endpointIp: pe.ip,
    children: [pe.endpoint, pe.zoneGroup],
    last: pe.endpoint,
  };
}

/**
 * The created vaults' private endpoints (groupId `vault`) and their privatelink.vaultcore.azure.net
 * zone, in both network modes: public access to the vaults is disabled, so this is the only path an
 * operator has to the key (backup, inspection, deletion).
 */
function createVaultEndpoints(
  cfg: ResolvedConfig,
  vaults: CreatedVault[],
  subnet: pulumi.Input<string> | undefined,
  child: pulumi.CustomResourceOptions,
): void {
  // validate.ts and replicas.ts require a subnet whenever a vault is created.
  const reachable = vaults.filter((v) => (v.subnet ?? subnet) !== undefined);
  if (reachable.length === 0) return;
  const brought = cfg.network.keyVaultPrivateDnsZoneResourceId;
  const kvZone = createOrBringZone(
    cfg,
    "kv",
    brought === undefined ? KEYVAULT_PRIVATELINK_ZONE : undefined,
    brought,
    child,
  );
  for (const v of reachable) {
    const ep = createPrivateEndpoint(
      v.owner,
      `${v.prefix}-pe`,
      v.created.vault.id,
      "vault",
      (v.subnet ?? subnet) as pulumi.Input<string>,
      kvZone.zoneId,
      child,
    );
    v.under.push(ep.endpoint, ep.zoneGroup);
  }
}

interface Monitoring {
  workspace?: operationalinsights.Workspace;
  workspaceId: pulumi.Output<string>;
  serverDiagnostics: pulumi.Resource;
  threatProtection: pulumi.Resource;
}

/** Diagnostics of the server and the created vaults, Defender threat protection and the alerts. */
function createMonitoring(
  cfg: ResolvedConfig,
  keys: Keys,
  server: dbforpostgresql.Server,
  after: pulumi.Resource,
  child: pulumi.CustomResourceOptions,
): Monitoring {
  const workspace = createWorkspace(cfg, child);
  const workspaceId = workspace
    ? workspace.id
    : pulumi.output(cfg.monitoring.logAnalyticsWorkspaceResourceId as pulumi.Input<string>);
  const serverDiagnostics = createServerDiagnostics(cfg, server.id, workspaceId, child);
  const diagnostics = [serverDiagnostics];
  for (const v of keys.vaults) {
    const diag = createVaultDiagnostics(v.owner, v.prefix, v.created.vault.id, workspaceId, child);
    diagnostics.push(diag);
    v.under.push(diag);
  }
  // Threat protection is a server write too: it closes the serial chain.
  const threatProtection = createThreatProtection(cfg, server.name, { ...child, dependsOn: [after] });
  createAlerts(cfg, server.id, workspaceId, diagnostics, child);
  return { workspace, workspaceId, serverDiagnostics, threatProtection };
}

/** One read replica and what was made for it. */
interface ReplicaRecord {
  replica: ResolvedReplica;
  server: dbforpostgresql.Server;
  keyUri: pulumi.Output<string>;
  /** Writes to the replica and what lives under it, for its lock. */
  children: pulumi.Resource[];
  /** `automaticRestart: false` with a static parameter: what the operator runs on this replica. */
  manualRestartStep?: pulumi.Output<string>;
}

interface Replicas {
  records: ReplicaRecord[];
  virtualEndpoint?: dbforpostgresql.VirtualEndpoint;
}

/**
 * The read replicas (replicas.ts cites the facts), one after another and after the primary's last
 * write: creating a replica puts the primary in an "updating state" that refuses management writes,
 * and a replica created after the parameters starts with them. Each replica then gets its own serial
 * writes (the component's parameters, the restart, its private endpoint, Defender), diagnostics and a
 * lock. A replica is not `protect`ed: it holds no data the primary lacks, and Azure's own advice for a
 * lagging replica is to drop and recreate it; its vault and key are protected like the primary's.
 * The virtual endpoint is a write on the primary, made once the replicas exist.
 */
function createReplicas(
  cfg: ResolvedConfig,
  names: ResourceNames,
  keys: Keys,
  around: Around,
  primary: dbforpostgresql.Server,
  after: pulumi.Resource,
  workspaceId: pulumi.Output<string>,
  child: pulumi.CustomResourceOptions,
): Replicas {
  let previous = after;
  const records = cfg.replicas.map((r, i): ReplicaRecord => {
    const sub = replicaConfig(cfg, r);
    const key = keys.replicas[i];
    const server = new dbforpostgresql.Server(
      `${sub.name}-server`,
      replicaServerInputs(r, {
        resourceGroupName: cfg.resourceGroupName,
        serverName: names.replicas[i].serverName,
        sourceServerResourceId: primary.id,
        identityId: key.identity.id,
        keyUri: key.keyUri,
        storage: cfg.storage,
        privateDnsZoneId: cfg.network.mode === "vnetIntegration" ? around.zone.zoneId : undefined,
        tags: cfg.tags,
      }),
      { ...child, dependsOn: [previous, key.role, ...around.serverAfter], deleteBeforeReplace: true },
    );
    previous = server;
    const chain = serialChain(server, child);
    const manual = writeParameters(sub, server, chain.add);
    // privateEndpoint mode: the replica's own endpoint in its region, in the primary's DNS zone.
    if (r.privateEndpointSubnetResourceId !== undefined) {
      const subnet = r.privateEndpointSubnetResourceId;
      chain.add((o) => {
        const pe = createPrivateEndpoint(
          sub,
          "pe",
          server.id,
          "postgresqlServer",
          subnet,
          around.zone.zoneId,
          o,
        );
        chain.all.push(pe.zoneGroup);
        return pe.endpoint;
      });
    }
    const diagnostics = createServerDiagnostics(sub, server.id, workspaceId, child);
    chain.add((o) => createThreatProtection(sub, server.name, o));
    const children = [...chain.all, diagnostics];
    if (cfg.deleteLocks)
      createDeleteLock(`${sub.name}-server-lock`, server.id, "PostgreSQL read replica", {
        ...child,
        dependsOn: children,
      });
    return { replica: r, server, keyUri: key.keyUri, children, manualRestartStep: manual };
  });
  const virtualEndpoint =
    names.virtualEndpointName !== undefined
      ? new dbforpostgresql.VirtualEndpoint(
          `${cfg.name}-virtual-endpoint`,
          virtualEndpointInputs(
            names.virtualEndpointName,
            cfg.resourceGroupName,
            primary.name,
            (records.find((x) => x.replica.name === cfg.virtualEndpoint?.readReplica) ?? records[0]).server
              .name,
          ),
          { ...child, dependsOn: [after, ...records.map((x) => x.server)] },
        )
      : undefined;
  return { records, virtualEndpoint };
}

/** CanNotDelete locks. Each depends on what lives under it, so a destroy removes the lock first. */
function createLocks(
  cfg: ResolvedConfig,
  keys: Keys,
  server: dbforpostgresql.Server,
  serverChildren: pulumi.Resource[],
  child: pulumi.CustomResourceOptions,
): void {
  createDeleteLock(`${cfg.name}-server-lock`, server.id, "PostgreSQL server", {
    ...child,
    dependsOn: serverChildren,
  });
  for (const v of keys.vaults)
    createDeleteLock(`${v.owner.name}-${v.prefix}-lock`, v.created.vault.id, v.what, {
      ...child,
      dependsOn: [v.created.key, ...v.under],
    });
}

/**
 * Plans personas under PIM, CI identities and the break-glass administrator (access.ts), refusing
 * bad settings like every other argument: before anything is registered.
 */
function planAccessOrRefuse(name: string, cfg: ResolvedConfig): AccessPlan {
  try {
    return planAccess(name, {
      personas: cfg.personas,
      ciIdentities: cfg.ciIdentities,
      breakGlassAdministrator: cfg.breakGlassAdministrator,
      administrators: cfg.administrators,
      databaseName: cfg.databaseName,
    });
  } catch (e) {
    throw refusal(name, [e instanceof Error ? e.message : String(e)]);
  }
}

/** The public outputs (except the password and the database), from the records of the steps. */
function outputsOf(
  cfg: ResolvedConfig,
  keys: Keys,
  around: Around,
  s: Server,
  workloads: WorkloadResources[],
  access: ClientAccess,
  monitoring: Monitoring,
  accessPlan: AccessPlan,
  madeAccess: AccessResources,
) {
  const fqdn = afterCheck(s.createOnly, s.server.fullyQualifiedDomainName);
  const workloadInfo = pulumi.all(
    workloads.map((w) =>
      // Through the federated credential's id: a workload is only ready (and a bad issuer fails
      // these outputs) once its federation exists.
      pulumi
        .all([w.identity.clientId, w.identity.principalId, w.credential?.id])
        .apply(([clientId, principalId]) => ({
          name: w.name,
          role: w.identityName,
          access: w.access,
          clientId,
          principalId,
        })),
    ),
  );
  return {
    serverId: afterCheck(s.createOnly, s.server.id),
    serverName: afterCheck(s.createOnly, s.server.name),
    fqdn,
    privateEndpointIp: access.endpointIp,
    privateDnsZoneId: around.zone.zoneId,
    connection: pulumi.all([fqdn, workloadInfo]).apply(
      ([host, ws]): ConnectionInfo => ({
        host,
        port: POSTGRES_PORT,
        database: cfg.databaseName,
        sslmode: SSL_MODE,
        tokenScope: ENTRA_TOKEN_SCOPE,
        workloads: ws.map(({ name: n, clientId, role, access: a }) => ({
          name: n,
          clientId,
          role,
          access: a,
        })),
      }),
    ),
    bootstrapSql: pulumi.all([workloadInfo, accessPrincipals(accessPlan, madeAccess)]).apply(([ws, people]) =>
      bootstrapOf(cfg, [
        ...people.filter((p) => p.principalType === "group"),
        ...ws.map((w) => ({
          role: w.role,
          objectId: w.principalId,
          principalType: "service" as const,
          access: w.access as BootstrapPrincipal["access"],
          name: w.name,
        })),
        ...people.filter((p) => p.principalType === "service"),
      ]),
    ),
    personaGroupIds: personaGroupIds(accessPlan, madeAccess),
    ciIdentities: ciConnections(madeAccess),
    serviceAccountManifests: serviceAccountManifests(
      workloads.map((w) => ({
        name: w.name,
        aks: cfg.workloads.find((r) => r.name === w.name)?.aks,
        clientId: w.identity.clientId,
      })),
      cfg.tenantId,
    ),
    keyUri: keys.keyUri,
    geoBackupKeyUri: keys.geoKeyUri,
    serverIdentityId: keys.serverIdentity.id,
    geoBackupIdentityId: keys.geoIdentity?.id,
    workspaceId: monitoring.workspaceId,
    server: s.server,
    privateEndpoint: access.privateEndpoint,
    serverIdentity: keys.serverIdentity,
    keyVault: keys.primary?.vault,
    key: keys.primary?.key,
    geoBackupKeyVault: keys.geo?.vault,
    geoBackupKey: keys.geo?.key,
    workspace: monitoring.workspace,
  };
}

/**
 * The bootstrap script: one database as before, or (with `databases`) a plan over the first database
 * and each additional one, where each grant names a persona group, workload or CI identity by its
 * declared name and gets that principal's role at the access level given for that database.
 */
function bootstrapOf(cfg: ResolvedConfig, principals: (BootstrapPrincipal & { name?: string })[]): string {
  const personas = principals.map(({ name: _n, ...p }) => p);
  if (cfg.databases.length === 0)
    return bootstrapSql({ databaseName: cfg.databaseName, schemaName: cfg.schemaName, personas });
  const byName = (declared: string) =>
    principals.find(
      (p) => p.name === declared || p.role === declared || p.role.endsWith(`-ci-${declared}-id`),
    );
  return bootstrapPlanSql({
    databases: [
      { databaseName: cfg.databaseName, schemaName: cfg.schemaName, personas },
      ...cfg.databases.map((d) => ({
        databaseName: d.databaseName,
        schemaName: d.schemaName,
        personas: d.grants.flatMap((g) => {
          const p = byName(g.principal);
          if (p === undefined) return [];
          const { name: _n, ...rest } = p;
          return [{ ...rest, access: g.access }];
        }),
      })),
    ],
  });
}
