// Package entry point. Named exports only: the component, its args and output types, and the enums
// its args use. Pulumi's component host (PulumiPlugin.yaml) introspects this file to build the schema.
export { ZeroTrustPostgres } from "./components";
export type {
  ZeroTrustPostgresArgs,
  NetworkArgs,
  EncryptionArgs,
  MonitoringArgs,
  BackupArgs,
  RestoreArgs,
  EntraAdministratorArgs,
  PersonaGroupArgs,
  WorkloadIdentityArgs,
  AksFederationArgs,
  FirewallRuleArgs,
  ConnectionInfo,
  WorkloadConnection,
} from "./components";
export {
  NetworkMode,
  PostgresVersion,
  SkuTier,
  HighAvailabilityMode,
  StorageType,
  TlsVersion,
  KeyType,
  PrincipalType,
  DatabaseAccess,
} from "./components";
// The policies, for a pack of your own (also `zero-trust-azure-postgres/policies`, which skips the
// component and @pulumi/azure-native).
export { ZeroTrustPostgresPolicies, zeroTrustPostgresPolicies } from "./policies/api";
export type { ZeroTrustPostgresPoliciesArgs, ZeroTrustRuleSetting } from "./policies/api";
