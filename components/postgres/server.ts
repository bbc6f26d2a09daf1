// ZeroTrustPostgres: a zero-trust Azure Database for PostgreSQL flexible server and everything
// around it. Reads top to bottom: validate and pre-flight (nothing registered yet), register the
// component, then identities → keys → network → server → server children → monitoring → locks →
// outputs.
//
// Multi-language (issue #8): the class's public fields become the schema's outputs, so the class
// declares only `pulumi.Output` fields and azure-native resource references, nothing private.

import * as pulumi from "@pulumi/pulumi";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as network from "@pulumi/azure-native/network";
import type * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type { ConnectionInfo, ZeroTrustPostgresArgs } from "./args";
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
import { preflight } from "./guard";
import {
  createAdministratorPassword,
  createAdministrator,
  createCryptoRoleAssignment,
  createServerIdentity,
  createWorkloadIdentities,
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
} from "./network";
import { afterCheck, createOnlyOptions, expectationOf, verifyCreateOnly } from "./create-only";
import { createDeleteLock, protectedOptions, serverOptions } from "./protection";
import { configurationInputs, parameterList, serverInputs } from "./server-inputs";
import { createRestart, isStaticParameter, staticParameterTrigger } from "./restart";
import { bootstrapSql } from "./sql";
import { checkIssuer, checkKeyUri, checkResourceId, gate, validateArgs, zoneNameProblem } from "./validate";

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
  /** Idempotent SQL that creates the persona and workload roles with least-privilege grants; run it as an Entra administrator. */
  public readonly bootstrapSql!: pulumi.Output<string>;
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
    // 1. Validate, resolve defaults and run the policy catalogue before anything is registered, so a
    //    refused input leaves no trace (issue #7 §1). RunError: the CLI prints it without a stack.
    const cfg = resolveValidated(name, args);
    const verdict = preflight(cfg);
    if (verdict.errors.length > 0) {
      throw new pulumi.RunError(
        `ZeroTrustPostgres "${name}" would violate mandatory zero-trust rules (nothing was created):\n` +
          verdict.errors.map((e) => `  - ${e}`).join("\n"),
      );
    }

    // 2. The component. The alias keeps stacks created under the first planned token from replacing
    //    the whole estate; children inherit the parent's aliases, so their URNs follow too.
    super(
      COMPONENT_TYPE,
      name,
      {},
      { ...opts, aliases: [...(opts?.aliases ?? []), { type: LEGACY_COMPONENT_TYPE }] },
    );
    for (const warning of verdict.warnings) pulumi.log.warn(warning, this);

    const child: pulumi.CustomResourceOptions = { parent: this };
    const keep = protectedOptions(cfg, child);
    const net = cfg.network;
    const geo = cfg.encryption.geo;
    // Resource ids that were Outputs are checked when they resolve; a bad one fails what uses it.
    const subnetId = (field: string, v: pulumi.Input<string>) =>
      gate(v, (x) => checkResourceId(field, x, "subnet"), this);

    // 3. Identities and keys. The server's identity needs "Key Vault Crypto Service Encryption User"
    //    on its key before Azure accepts the server, so the server depends on the role assignments.
    const serverIdentity = createServerIdentity(cfg, "server-id", cfg.location, child);
    let primary: CreatedKey | undefined;
    let keyUri: pulumi.Output<string>;
    let keyScope: pulumi.Input<string>;
    if (cfg.encryption.created) {
      primary = createVaultAndKey(
        cfg,
        "kv",
        cfg.encryption.keyVaultName,
        cfg.encryption.keyName,
        cfg.location,
        keep,
      );
      keyUri = primary.keyUri;
      keyScope = primary.key.id;
    } else {
      keyUri = gate(
        cfg.encryption.keyUri as pulumi.Input<string>,
        (x) => checkKeyUri("encryption.keyUri", x),
        this,
      );
      const vaultId = gate(
        cfg.encryption.keyVaultResourceId as pulumi.Input<string>,
        (x) => checkResourceId("encryption.keyVaultResourceId", x, "vault"),
        this,
      );
      keyScope = broughtKeyScope(vaultId, keyUri);
    }
    const roles = [createCryptoRoleAssignment(`${name}-kv-crypto`, serverIdentity, keyScope, child)];

    // Geo-redundant backup with CMK needs a second key in the geo region and a second identity for it
    // (geoBackupUserAssignedIdentityId; pulumi-azure-native#4014).
    let geoIdentity: managedidentity.UserAssignedIdentity | undefined;
    let geoKey: CreatedKey | undefined;
    let geoKeyUri: pulumi.Output<string> | undefined;
    if (geo) {
      geoIdentity = createServerIdentity(cfg, "geo-id", geo.location, child);
      let geoScope: pulumi.Input<string>;
      if (geo.created) {
        geoKey = createVaultAndKey(cfg, "geo-kv", geo.vaultName, geo.keyName, geo.location, keep);
        geoKeyUri = geoKey.keyUri;
        geoScope = geoKey.key.id;
      } else {
        geoKeyUri = gate(
          geo.keyUri as pulumi.Input<string>,
          (x) => checkKeyUri("encryption.geoBackupKeyUri", x),
          this,
        );
        const geoVaultId = gate(
          geo.vaultResourceId as pulumi.Input<string>,
          (x) => checkResourceId("encryption.geoBackupKeyVaultResourceId", x, "vault"),
          this,
        );
        geoScope = broughtKeyScope(geoVaultId, geoKeyUri);
      }
      roles.push(createCryptoRoleAssignment(`${name}-geo-kv-crypto`, geoIdentity, geoScope, child));
    }

    const workloads = createWorkloadIdentities(
      {
        ...cfg,
        workloads: cfg.workloads.map((w, i) =>
          w.aks
            ? {
                ...w,
                aks: {
                  ...w.aks,
                  issuerUrl: gate(
                    w.aks.issuerUrl,
                    (x) => checkIssuer(`workloadIdentities[${i}].aks.issuerUrl`, x),
                    this,
                  ),
                },
              }
            : w,
        ),
      },
      child,
    );
    const password = cfg.allowPasswordAuth ? createAdministratorPassword(cfg, child) : undefined;

    // 4. Network around the server.
    for (const [i, id] of net.linkedVirtualNetworkResourceIds.entries()) {
      net.linkedVirtualNetworkResourceIds[i] = gate(
        id,
        (x) => checkResourceId(`network.linkedVirtualNetworkResourceIds[${i}]`, x, "virtualNetwork"),
        this,
      );
    }
    const zone = createOrBringZone(
      cfg,
      "pg",
      net.privateDnsZoneName,
      net.privateDnsZoneResourceId !== undefined
        ? gate(
            net.privateDnsZoneResourceId,
            (x) =>
              checkResourceId(
                "network.privateDnsZoneResourceId",
                x,
                "privateDnsZone",
                zoneNameProblem(net.mode, "network.privateDnsZoneResourceId"),
              ),
            this,
          )
        : undefined,
      child,
    );
    let delegatedSubnetId: pulumi.Input<string> | undefined;
    const serverAfter: pulumi.Resource[] = [...roles];
    if (net.mode === "vnetIntegration") {
      if (net.delegatedSubnetResourceId !== undefined) {
        delegatedSubnetId = subnetId("network.delegatedSubnetResourceId", net.delegatedSubnetResourceId);
      } else {
        const { subnet } = createDelegatedSubnet(cfg, child);
        delegatedSubnetId = subnet.id;
        serverAfter.push(subnet);
      }
      // Azure resolves the zone from the server's VNet while creating it: link first.
      serverAfter.push(...zone.links);
    }

    // 5. The server.
    const server = new dbforpostgresql.Server(
      `${name}-server`,
      serverInputs(cfg, {
        primaryIdentityId: serverIdentity.id,
        primaryKeyUri: keyUri,
        geoIdentityId: geoIdentity?.id,
        geoKeyUri,
        delegatedSubnetId,
        privateDnsZoneId: net.mode === "vnetIntegration" ? zone.zoneId : undefined,
        administratorPassword: password?.result,
        sourceServerResourceId: cfg.restore
          ? gate(
              cfg.restore.sourceServerResourceId,
              (x) => checkResourceId("restore.sourceServerResourceId", x, "server"),
              this,
            )
          : undefined,
      }),
      // Create-only inputs are ignored on update and checked against the deployed server instead
      // (create-only.ts): a change fails the preview rather than replacing or half-updating the database.
      createOnlyOptions(serverOptions(cfg, { ...child, dependsOn: serverAfter })),
    );
    const createOnly = verifyCreateOnly(server, expectationOf(cfg, delegatedSubnetId));
    const fqdn = afterCheck(createOnly, server.fullyQualifiedDomainName);

    // 6. Writes to the server, strictly one after another: Azure answers concurrent writes to one
    //    flexible server with ServerBusy (bicep-registry-modules#4289). Parameters first, in
    //    parameters.ts order, then administrators, the database, firewall rules, the private endpoint
    //    (its connection approval) and threat protection.
    let last: pulumi.Resource = server;
    const serverChildren: pulumi.Resource[] = [];
    const serial = <T extends pulumi.Resource>(make: (after: pulumi.Resource) => T): T => {
      const r = make(last);
      last = r;
      serverChildren.push(r);
      return r;
    };
    for (const parameter of parameterList(cfg)) {
      serial(
        (after) =>
          new dbforpostgresql.Configuration(
            `${name}-param-${parameter.name.replace(/[^a-zA-Z0-9]+/g, "-")}`,
            configurationInputs(cfg, parameter, server.name),
            { ...child, dependsOn: [after] },
          ),
      );
    }
    // pgaudit is loaded by a static parameter: restart once the parameters are written, only when a
    // static value changed (restart.ts).
    const restart = createRestart(
      name,
      server.id,
      staticParameterTrigger(parameterList(cfg), isStaticParameter),
      { ...child, dependsOn: [last] },
    );
    if (restart) {
      last = restart;
      serverChildren.push(restart);
    }
    for (const admin of cfg.administrators) {
      serial((after) => createAdministrator(cfg, admin, server.name, { ...child, dependsOn: [after] }));
    }
    const database = serial(
      (after) =>
        new dbforpostgresql.Database(
          `${name}-db`,
          {
            databaseName: cfg.databaseName,
            resourceGroupName: cfg.resourceGroupName,
            serverName: server.name,
            charset: "UTF8",
            collation: "en_US.utf8",
          },
          { ...child, dependsOn: [after] },
        ),
    );
    const firewallRules = createFirewallRules(cfg, server.name, last, child);
    serverChildren.push(...firewallRules);
    if (firewallRules.length > 0) last = firewallRules[firewallRules.length - 1];

    // 7. How clients reach it.
    let endpointIp: pulumi.Output<string> | undefined;
    let privateEndpoint: network.PrivateEndpoint | undefined;
    if (net.mode === "privateEndpoint") {
      const peSubnet = subnetId(
        "network.privateEndpointSubnetResourceId",
        net.privateEndpointSubnetResourceId as pulumi.Input<string>,
      );
      // Creating the endpoint approves a private endpoint connection on the server: another server
      // write, so it joins the serial chain (ServerBusy, bicep-registry-modules#4289).
      const pe = createPrivateEndpoint(cfg, "pe", server.id, "postgresqlServer", peSubnet, zone.zoneId, {
        ...child,
        dependsOn: [last],
      });
      last = pe.endpoint;
      privateEndpoint = pe.endpoint;
      endpointIp = pe.ip;
      serverChildren.push(pe.endpoint, pe.zoneGroup);

      // The created vaults get their own private endpoints and privatelink.vaultcore.azure.net zone.
      const vaults = [
        ...(primary ? [{ prefix: "kv", vault: primary.vault }] : []),
        ...(geoKey ? [{ prefix: "geo-kv", vault: geoKey.vault }] : []),
      ];
      if (vaults.length > 0) {
        const kvZone = createOrBringZone(
          cfg,
          "kv",
          net.keyVaultPrivateDnsZoneResourceId === undefined ? KEYVAULT_PRIVATELINK_ZONE : undefined,
          net.keyVaultPrivateDnsZoneResourceId !== undefined
            ? gate(
                net.keyVaultPrivateDnsZoneResourceId,
                (x) => checkResourceId("network.keyVaultPrivateDnsZoneResourceId", x, "privateDnsZone"),
                this,
              )
            : undefined,
          child,
        );
        for (const v of vaults)
          createPrivateEndpoint(cfg, `${v.prefix}-pe`, v.vault.id, "vault", peSubnet, kvZone.zoneId, child);
      }
    }

    // 8. Monitoring and audit.
    const workspace = createWorkspace(cfg, child);
    const workspaceId: pulumi.Output<string> = workspace
      ? workspace.id
      : gate(
          cfg.monitoring.logAnalyticsWorkspaceResourceId as pulumi.Input<string>,
          (x) => checkResourceId("monitoring.logAnalyticsWorkspaceResourceId", x, "workspace"),
          this,
        );
    const diagnostics = [createServerDiagnostics(cfg, server.id, workspaceId, child)];
    if (primary) diagnostics.push(createVaultDiagnostics(cfg, "kv", primary.vault.id, workspaceId, child));
    if (geoKey) diagnostics.push(createVaultDiagnostics(cfg, "geo-kv", geoKey.vault.id, workspaceId, child));
    serverChildren.push(diagnostics[0]);
    serverChildren.push(
      serial((after) => createThreatProtection(cfg, server.name, { ...child, dependsOn: [after] })),
    );
    const actionGroupId =
      cfg.monitoring.actionGroupResourceId !== undefined
        ? gate(
            cfg.monitoring.actionGroupResourceId,
            (x) => checkResourceId("monitoring.actionGroupResourceId", x, "actionGroup"),
            this,
          )
        : undefined;
    createAlerts(
      { ...cfg, monitoring: { ...cfg.monitoring, actionGroupResourceId: actionGroupId } },
      server.id,
      workspaceId,
      diagnostics,
      child,
    );

    // 9. CanNotDelete locks. Each depends on what lives under it, so a destroy removes the lock first.
    if (cfg.deleteLocks) {
      createDeleteLock(`${name}-server-lock`, server.id, "PostgreSQL server", {
        ...child,
        dependsOn: serverChildren,
      });
      if (primary)
        createDeleteLock(`${name}-kv-lock`, primary.vault.id, "Key Vault holding the server's key", {
          ...child,
          dependsOn: [primary.key],
        });
      if (geoKey)
        createDeleteLock(`${name}-geo-kv-lock`, geoKey.vault.id, "Key Vault holding the geo-backup key", {
          ...child,
          dependsOn: [geoKey.key],
        });
    }

    // 10. Outputs, listed once: assigned to the fields and registered from the same object.
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
    const outputs = {
      serverId: afterCheck(createOnly, server.id),
      serverName: afterCheck(createOnly, server.name),
      fqdn,
      privateEndpointIp: endpointIp,
      privateDnsZoneId: zone.zoneId,
      connection: pulumi.all([fqdn, workloadInfo]).apply(
        ([host, ws]): ConnectionInfo => ({
          host,
          port: POSTGRES_PORT,
          database: cfg.databaseName,
          sslmode: SSL_MODE,
          tokenScope: ENTRA_TOKEN_SCOPE,
          workloads: ws.map(({ name: n, clientId, role, access }) => ({ name: n, clientId, role, access })),
        }),
      ),
      bootstrapSql: workloadInfo.apply((ws) =>
        bootstrapSql({
          databaseName: cfg.databaseName,
          schemaName: cfg.schemaName,
          personas: [
            ...cfg.personas.map((p) => ({
              role: p.groupName,
              objectId: p.objectId,
              principalType: "group" as const,
              access: p.access,
            })),
            ...ws.map((w) => ({
              role: w.role,
              objectId: w.principalId,
              principalType: "service" as const,
              access: w.access,
            })),
          ],
        }),
      ),
      keyUri,
      geoBackupKeyUri: geoKeyUri,
      serverIdentityId: serverIdentity.id,
      geoBackupIdentityId: geoIdentity?.id,
      workspaceId,
      administratorPassword: password ? pulumi.secret(password.result) : undefined,
      server,
      database,
      privateEndpoint,
      serverIdentity,
      keyVault: primary?.vault,
      key: primary?.key,
      geoBackupKeyVault: geoKey?.vault,
      geoBackupKey: geoKey?.key,
      workspace,
    } satisfies { [K in OutputName]: ZeroTrustPostgres[K] };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
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

/** Validates the raw args (validate.ts) and applies the defaults (defaults.ts). */
function resolveValidated(name: string, args: ZeroTrustPostgresArgs): ResolvedConfig {
  validateArgs(name, args);
  return resolveConfig(name, args);
}
