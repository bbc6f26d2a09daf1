// Nothing lost (issue #7 §4): `protect` on the server, the vaults and the keys, CanNotDelete locks on
// the server and the vaults, and a deliberate answer for create-only server properties.
//
// Create-only properties. Azure fixes these at creation: the server name, the availability zone, the
// network mode (a delegated subnet or not), the encryption mode (`dataEncryption.type`) and
// geo-redundant backup. azure-native replaces the server only for the name (and resource group /
// location); for the others it would send an in-place update that Azure rejects halfway through an
// `up`. Neither outcome is acceptable for a database, and the component cannot compare against the
// previous state (it has none), so it turns every create-only change into a *replacement plan* with
// `replaceOnChanges`, and keeps `protect` on the server. The engine refuses to plan the replacement of
// a protected resource, so the change fails at `pulumi preview`, before anything is touched, with
// "unable to replace resource … as it is currently marked for protection" (pulumi/pulumi
// pkg/resource/deploy/step_generator.go: `if new.Protect && old.Protect`, reported during preview
// too). `deleteBeforeReplace` stays false, so even an unprotected replacement creates the new server
// before deleting the old one. Caveat: the engine reads `protect` from state, so the guard holds from
// the first `pulumi up` onwards; tests/components/server.test.ts pins the options that set it up.
//
// With `protect: false` the user has opted out of that safety net: `replaceOnChanges` is then left
// off, so azure-native's own behaviour applies (an in-place update that Azure refuses, or a
// replacement for a new name) instead of the component adding replacements of its own.

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { ResolvedConfig } from "./defaults";

/** Server input paths Azure fixes at creation (see the file comment). */
export const CREATE_ONLY_SERVER_PROPERTIES = [
  "serverName",
  "availabilityZone",
  "network.delegatedSubnetResourceId",
  "dataEncryption.type",
  "backup.geoRedundantBackup",
] as const;

/** Options for a resource whose loss loses data: the server, the vaults and the keys. */
export function protectedOptions(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return { ...opts, protect: cfg.protect };
}

/** Options for the server: protected, and create-only changes planned as (refused) replacements. */
export function serverOptions(
  cfg: ResolvedConfig,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return {
    ...protectedOptions(cfg, opts),
    ...(cfg.protect ? { replaceOnChanges: [...CREATE_ONLY_SERVER_PROPERTIES] } : {}),
    deleteBeforeReplace: false,
    // The admin password is a secret input already (RandomPassword.result); mark its echo in the
    // server's outputs secret too, in case the provider ever returns it.
    additionalSecretOutputs: ["administratorLoginPassword"],
  };
}

/**
 * A CanNotDelete lock on `scope` (resource-delete-locks). Locks are inherited by child resources, so
 * deleting a firewall rule or an administrator of a locked server fails: set `deleteLocks: false`,
 * `up`, make the change, then turn locks back on. `dependsOn` lists the children, so a full destroy
 * removes the lock first.
 */
export function createDeleteLock(
  name: string,
  scope: pulumi.Input<string>,
  what: string,
  opts: pulumi.CustomResourceOptions,
): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    name,
    {
      scope,
      level: "CanNotDelete",
      lockName: name,
      notes: `Managed by zero-trust-azure-postgres: protects the ${what} from deletion (resource-delete-locks).`,
    },
    opts,
  );
}
