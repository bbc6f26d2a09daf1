// Restart after a static server parameter changes, so pgaudit is active after `pulumi up`.
//
// `shared_preload_libraries` (which loads pgaudit) is a static parameter: Azure stores the new value
// and reports `isConfigPendingRestart: true` on the configuration, but the running server keeps the old
// libraries until it restarts. Nothing audits, the role-change alert cannot fire and the bootstrap's
// `CREATE EXTENSION pgaudit` fails until then.
//
// Options weighed (read 2026-11-30):
// - ARM has the action: `POST …/flexibleServers/{serverName}/restart` (operationId Servers_Restart,
//   long-running, final state via Location), azure-rest-api-specs
//   specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01/ServerStartStopRestart.json.
// - azure-native exposes no resource or invoke for it: its `dbforpostgresql` module has only the
//   configuration's `isConfigPendingRestart` output, and the request for an automatic restart is open
//   (pulumi/pulumi-azure-native#3618). The classic azurerm-based provider restarts on static changes
//   (hashicorp/terraform-provider-azurerm#20044), and a restart sent while the server is still updating
//   fails with ServerIsNotReady (hashicorp/terraform-provider-azurerm#29219): it must wait for the
//   parameter writes.
// - A dynamic provider would need its own Azure credentials and does not run in the multi-language
//   component host; a deployment script (Microsoft.Resources/deploymentScripts) needs a storage account
//   with shared-key access and a container instance, which the zero-trust defaults forbid.
// - Chosen: `@pulumi/command`'s `local.Command` running `az postgres flexible-server restart`, which
//   calls Servers_Restart and waits for it. Its `triggers` are the static parameters' names and values
//   (plus the server id), so a preview or `up` that changes no static value plans no restart, and one
//   that does plans exactly one replacement of the command (= one restart) after the last parameter
//   write. It joins the server's serial write chain (ServerBusy, bicep-registry-modules#4289).
//
// Limits (docs/azure-constraints.md): the machine running `pulumi up` needs the Azure CLI, logged in
// with `Microsoft.DBforPostgreSQL/flexibleServers/restart/action` on the server; a POSIX shell runs it
// (on Windows use WSL or a CI runner); the restart takes the server offline for about a minute (with HA,
// Azure restarts the standby as well). Where the command cannot run, `automaticRestart: false` turns it
// off and the stack output `manualRestartStep` says what to run (server.ts; `zt-postgres preview` prints
// it).
//
// Package: `@pulumi/command` 1.2.1, the registry's `latest`; 4.5.0, used before, is marked deprecated
// on npm (`npm view @pulumi/command`, read 2026-11-30). `local.Command`'s `create`, `environment`,
// `triggers` and `interpreter` are the same in 1.2.1 (node_modules/@pulumi/command/local/command.d.ts).

import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";

/** API version whose Servers_Restart the command calls (through the Azure CLI). */
export const RESTART_API_VERSION = "2025-08-01";

/** A server parameter as the component emits it. */
export interface ParameterValue {
  readonly name: string;
  readonly value: string;
}

/**
 * The restart trigger: `name=value` of every static parameter, sorted by name, one per line. Equal
 * static values give an equal string, so an unchanged stack never restarts; dynamic parameters are
 * left out, so changing one never restarts.
 */
export function staticParameterTrigger(
  parameters: readonly ParameterValue[],
  isStatic: (name: string) => boolean,
): string {
  return parameters
    .filter((p) => isStatic(p.name))
    .map((p) => `${p.name}=${p.value}`)
    .sort()
    .join("\n");
}

/**
 * Parameters of those the component emits that take effect only at server start. PostgreSQL:
 * `shared_preload_libraries` "can only be set at server start"
 * (https://www.postgresql.org/docs/17/runtime-config-client.html#GUC-SHARED-PRELOAD-LIBRARIES, read
 * 2026-11-30); Azure lists it as static. The per-version parameter facts (policies/facts) carry the same
 * flag for every parameter; this set is what the restart falls back to for names they do not list.
 */
export const STATIC_PARAMETERS: readonly string[] = ["shared_preload_libraries"];

/** True when changing `name` needs a restart. */
export function isStaticParameter(name: string): boolean {
  return STATIC_PARAMETERS.includes(name);
}

/** The shell command: the server id comes through the environment, never spliced into the line. */
export const RESTART_COMMAND = 'az postgres flexible-server restart --ids "$ZT_PG_SERVER_ID"';

/** The text the stack shows when the restart is left to the operator. */
export function manualRestartStep(serverName: string, resourceGroupName: string, trigger: string): string {
  const names = trigger
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.split("=")[0]);
  return (
    `Restart the server once after this update so the static parameters (${names.join(", ")}) take effect ` +
    `and pgaudit is loaded: az postgres flexible-server restart --resource-group ${resourceGroupName} --name ${serverName}`
  );
}

/**
 * The restart command (`<name>-restart`), or `undefined` when no emitted parameter is static.
 * `opts.dependsOn` must name the last parameter write.
 */
export function createRestart(
  name: string,
  serverId: pulumi.Input<string>,
  trigger: string,
  opts: pulumi.CustomResourceOptions,
): command.local.Command | undefined {
  if (trigger.length === 0) return undefined;
  return new command.local.Command(
    `${name}-restart`,
    {
      create: RESTART_COMMAND,
      environment: { ZT_PG_SERVER_ID: serverId },
      // Replaced (so run again) only when a static value or the server changes.
      triggers: [serverId, trigger],
      // A POSIX shell on every platform (the id comes through "$ZT_PG_SERVER_ID").
      interpreter: ["/bin/sh", "-c"],
    },
    opts,
  );
}
