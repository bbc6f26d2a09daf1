// Create-only server properties: a change must never silently replace the database,
// and must never reach Azure as an in-place update that Azure refuses halfway through an `up`.
//
// Azure fixes five things when a flexible server is created:
//
// | Property (server input)              | Component argument                          | azure-native without this guard                                  |
// |--------------------------------------|---------------------------------------------|------------------------------------------------------------------|
// | `serverName`                         | `serverName` (or the generated default)     | Replace: it is in the resource's ARM path. Blocked by `protect`, or, unprotected, a new empty server and the old one deleted. |
// | `availabilityZone`                   | `availabilityZone`                          | In-place PATCH; Azure refuses to move a primary between zones.   |
// | `network.delegatedSubnetResourceId`  | `network.mode` (and the delegated subnet)   | In-place PATCH; Azure refuses to switch a server between private access (VNet integration) and public access/private endpoint. |
// | `dataEncryption.type`                | `encryption` (always `AzureKeyVault`)       | In-place PATCH; Azure refuses to switch between service-managed and customer-managed keys. |
// | `backup.geoRedundantBackup`          | `backup.geoRedundantBackup`                 | In-place PATCH; Azure refuses to turn geo-redundant backup on or off after creation. |
//
// (azure-native plans a replacement only for the path parameters `resourceGroupName`/`serverName` and
// for `location`; the others are plain updates, which fail in Azure after the rest of the plan may
// already have run.)
//
// The guard. The server is registered with these five inputs under `ignoreChanges`, so a changed
// value can never plan a replacement nor an update of them. Then an `apply` over the server's
// OUTPUTS compares what is deployed with what the arguments ask for. With the changes ignored, the
// outputs of an existing server still carry the deployed values, and they are known during the preview
// of an update; so `pulumi preview` fails before anything is touched, with a stack-free error on the
// server such as:
//
//   [create-only] `backup.geoRedundantBackup` is fixed at creation: the deployed server has "Disabled",
//   the args ask for "Enabled". Create a new server (or restore with `restore`) and migrate.
//
// Every public output that describes the server (id, name, FQDN, connection) waits on this check, so
// nothing downstream is handed a server that differs from its declaration. On creation the outputs
// are unknown during preview and equal the inputs afterwards, so the check passes. A value Azure does
// not report (an empty zone in a region without zones) is not judged. With ZoneRedundant HA, Azure
// swaps the primary and standby zones on failover, so either configured zone is accepted.
//
// To really move to a new name, zone, network mode or backup setting: declare a second component (a
// new server, or `restore` from the old one), migrate, then remove the old one (`protect: false` and
// `deleteLocks: false` first). protection.ts's `replaceOnChanges` on the same paths is kept as a
// second line of defence (see `createOnlyOptions`).

import * as pulumi from "@pulumi/pulumi";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type { ResolvedConfig } from "./defaults";
import { CREATE_ONLY_PATHS, stableResourceError } from "./fields";

/** Server input paths Azure fixes at creation (the `createOnly` fields of fields.ts). */
export { CREATE_ONLY_PATHS };

/** What the arguments ask for, for each create-only property. */
export interface CreateOnlyExpectation {
  /** Given, or generated with a random suffix kept in state (naming.ts): stable across runs. */
  serverName: pulumi.Input<string>;
  availabilityZone: string;
  /** ZoneRedundant HA only: the standby zone, which becomes the primary's after a failover. */
  failoverZone?: string;
  networkMode: string;
  /** vnetIntegration mode: the delegated subnet (created or brought). */
  delegatedSubnetResourceId?: pulumi.Input<string>;
  dataEncryptionType: string;
  geoRedundantBackup: "Enabled" | "Disabled";
}

/** The expectation from the resolved arguments (defaults.ts) and the delegated subnet, if any. */
export function expectationOf(
  cfg: ResolvedConfig,
  serverName: pulumi.Input<string>,
  delegatedSubnetResourceId: pulumi.Input<string> | undefined,
): CreateOnlyExpectation {
  return {
    serverName,
    availabilityZone: cfg.availabilityZone,
    failoverZone:
      cfg.highAvailability.mode === "ZoneRedundant"
        ? cfg.highAvailability.standbyAvailabilityZone
        : undefined,
    networkMode: cfg.network.mode,
    delegatedSubnetResourceId,
    // serverInputs always asks for customer-managed keys (postgres-cmk-encryption).
    dataEncryptionType: "AzureKeyVault",
    geoRedundantBackup: cfg.backup.geoRedundantBackup ? "Enabled" : "Disabled",
  };
}

/** The expectation with its inputs resolved. */
export type ResolvedExpectation = Omit<CreateOnlyExpectation, "delegatedSubnetResourceId" | "serverName"> & {
  serverName: string;
  delegatedSubnetResourceId?: string;
};

/** The server's deployed values, as its outputs report them. */
export interface DeployedServer {
  name?: string;
  availabilityZone?: string;
  delegatedSubnetResourceId?: string;
  dataEncryptionType?: string;
  geoRedundantBackup?: string;
}

const MIGRATE = "Create a new server (or restore with `restore`) and migrate.";

function known(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function fixed(field: string, deployed: string, asked: string): string {
  return `[create-only] \`${field}\` is fixed at creation: the deployed server has "${deployed}", the args ask for "${asked}". ${MIGRATE}`;
}

/**
 * The differences between the deployed server and the arguments, one message each; empty when they
 * agree. Pure: `delegatedSubnetResourceId` is the resolved value of the expectation's input.
 */
export function createOnlyProblems(deployed: DeployedServer, expected: ResolvedExpectation): string[] {
  const out: string[] = [];
  if (known(deployed.name) && !same(deployed.name, expected.serverName))
    out.push(fixed("serverName", deployed.name, expected.serverName));
  if (
    known(deployed.availabilityZone) &&
    // "none" left the zone to Azure: whatever it chose is not a change.
    expected.availabilityZone !== "none" &&
    deployed.availabilityZone !== expected.availabilityZone &&
    deployed.availabilityZone !== expected.failoverZone
  )
    out.push(fixed("availabilityZone", deployed.availabilityZone, expected.availabilityZone));
  // The network mode is fixed by whether the server was created in a delegated subnet.
  if (deployed.delegatedSubnetResourceId !== undefined || deployed.name !== undefined) {
    const deployedMode = known(deployed.delegatedSubnetResourceId) ? "vnetIntegration" : "privateEndpoint";
    if (deployedMode !== expected.networkMode)
      out.push(fixed("network.mode", deployedMode, expected.networkMode));
    else if (
      deployedMode === "vnetIntegration" &&
      known(deployed.delegatedSubnetResourceId) &&
      known(expected.delegatedSubnetResourceId) &&
      !same(deployed.delegatedSubnetResourceId, expected.delegatedSubnetResourceId)
    )
      out.push(
        fixed(
          "network.delegatedSubnetResourceId",
          deployed.delegatedSubnetResourceId,
          expected.delegatedSubnetResourceId,
        ),
      );
  }
  if (known(deployed.dataEncryptionType) && !same(deployed.dataEncryptionType, expected.dataEncryptionType))
    out.push(fixed("encryption", deployed.dataEncryptionType, expected.dataEncryptionType));
  if (known(deployed.geoRedundantBackup) && !same(deployed.geoRedundantBackup, expected.geoRedundantBackup))
    out.push(fixed("backup.geoRedundantBackup", deployed.geoRedundantBackup, expected.geoRedundantBackup));
  return out;
}

/**
 * Resource options for the server: the create-only paths under `ignoreChanges`. protection.ts's
 * `replaceOnChanges` on the same paths stays as a second line: with the changes ignored it never
 * fires, but should `ignoreChanges` ever be dropped, a change plans a replacement that `protect`
 * refuses at preview instead of an update Azure refuses mid-`up`.
 */
export function createOnlyOptions(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  const paths: readonly string[] = CREATE_ONLY_PATHS;
  return {
    ...opts,
    ignoreChanges: [...(opts.ignoreChanges ?? []).filter((p) => !paths.includes(p)), ...paths],
  };
}

/**
 * Compares the deployed server with the expectation once its outputs are known, and fails with a
 * ResourceError on the server (the CLI prints the message, no stack) on any difference. Returns an
 * output that resolves to true when they agree; gate the component's outputs on it.
 */
export function verifyCreateOnly(
  server: dbforpostgresql.Server,
  expected: CreateOnlyExpectation,
): pulumi.Output<true> {
  return pulumi
    .all([
      server.name,
      server.availabilityZone,
      server.network,
      server.dataEncryption,
      server.backup,
      pulumi.output(expected.delegatedSubnetResourceId),
      pulumi.output(expected.serverName),
    ])
    .apply(([name, zone, network, encryption, backup, subnet, serverName]) => {
      const problems = createOnlyProblems(
        {
          name,
          availabilityZone: zone ?? undefined,
          delegatedSubnetResourceId: network?.delegatedSubnetResourceId ?? undefined,
          dataEncryptionType: encryption?.type ?? undefined,
          geoRedundantBackup: backup?.geoRedundantBackup ?? undefined,
        },
        { ...expected, serverName, delegatedSubnetResourceId: subnet ?? undefined },
      );
      if (problems.length > 0) throw stableResourceError(problems.join("\n"), server);
      return true as const;
    });
}

/** `value`, once the create-only check has passed (fails with the check's error otherwise). */
export function afterCheck<T>(check: pulumi.Output<true>, value: pulumi.Output<T>): pulumi.Output<T> {
  return check.apply(() => value);
}
