// Named exports only: the component, its args and output types, and the enums its args use.
export { ZeroTrustPostgres } from "./postgres/server";
export type {
  ZeroTrustPostgresArgs,
  NetworkArgs,
  EncryptionArgs,
  MonitoringArgs,
  BackupArgs,
  RestoreArgs,
  ServerParameterArgs,
  MaintenanceWindowArgs,
  RoleAssignmentArgs,
  ApplicationDatabaseArgs,
  DatabaseGrantArgs,
  EntraAdministratorArgs,
  PersonaGroupArgs,
  WorkloadIdentityArgs,
  AksFederationArgs,
  FirewallRuleArgs,
  ConnectionInfo,
  WorkloadConnection,
} from "./postgres/args";
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
  RestoreMode,
} from "./postgres/args";
export { AzureRole } from "./postgres/rbac";
