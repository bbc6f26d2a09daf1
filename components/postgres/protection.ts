// Nothing lost: `protect` on the server, the vaults and the keys, CanNotDelete locks on
// the server and the vaults, and a deliberate answer for create-only server properties.
//
// Create-only properties. Azure fixes these at creation: the server name, the availability zone, the
// network mode (a delegated subnet or not), the encryption mode (`dataEncryption.type`) and
// geo-redundant backup. azure-native replaces the server only for the name (and resource group /
// location); for the others it would send an in-place update that Azure rejects halfway through an
// `up`. Neither outcome is acceptable for a database. Two layers answer it:
//
// 1. create-only.ts (the primary guard): the server ignores changes to these inputs, and the component
//    compares the deployed server's outputs with the arguments, failing `pulumi preview` with a
//    stack-free "[create-only] … is fixed at creation" error before anything is touched.
// 2. Here, as a second line: `protect` plus `replaceOnChanges` on the same paths. Should a create-only
//    change ever get past `ignoreChanges` (say, an input path renamed in a future azure-native), it is
//    planned as a replacement, and the engine refuses to replace a protected resource at preview:
//    "unable to replace resource … as it is currently marked for protection" (pulumi/pulumi
//    pkg/resource/deploy/step_generator.go: `if new.Protect && old.Protect`, reported during preview
//    too). The engine reads `protect` from state, so this layer holds from the first `pulumi up` on.
//
// `deleteBeforeReplace` stays false, so even an unprotected replacement would create the new server
// before deleting the old one. With `protect: false` the user has opted out of layer 2, so
// `replaceOnChanges` is left off; layer 1 still applies. tests/components/server.test.ts pins these
// options; tests/hardening/nothing-lost.test.ts drives the deployed-server check.

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { ResolvedConfig } from "./defaults";
import { DELETE_LOCK_RULE } from "./binding";

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
      notes: `Managed by zero-trust-azure-postgres: protects the ${what} from deletion (${DELETE_LOCK_RULE}).`,
    },
    opts,
  );
}
