// Every Pulumi type token a rule family covers, in one table. Rules match `view.type` against these
// strings and never import provider SDK classes: importing @pulumi/azure-native into the pack costs
// seconds of start-up. azure-native tokens are checked against the installed SDK's `__pulumiType`
// (tests/policies/tokens.test.ts); classic `azure:` tokens follow the @pulumi/azure module layout.

export const TOKENS = {
  /** Azure Database for PostgreSQL flexible server. */
  flexibleServer: ["azure-native:dbforpostgresql:Server", "azure:postgresql/flexibleServer:FlexibleServer"],
  /** The retired single server (retired 2025-03-28). */
  singleServer: ["azure-native:dbforpostgresql:SingleServer", "azure:postgresql/server:Server"],
  /** Flexible server parameters. */
  configuration: [
    "azure-native:dbforpostgresql:Configuration",
    "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
  ],
  /** Single server parameters. */
  singleServerConfiguration: [
    "azure-native:dbforpostgresql:SingleServerConfiguration",
    "azure:postgresql/configuration:Configuration",
  ],
  /** Flexible server firewall rules. */
  firewallRule: [
    "azure-native:dbforpostgresql:FirewallRule",
    "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
  ],
  /** Single server firewall rules. */
  singleServerFirewallRule: [
    "azure-native:dbforpostgresql:SingleServerFirewallRule",
    "azure:postgresql/firewallRule:FirewallRule",
  ],
  /** Microsoft Entra administrators of a server. */
  entraAdministrator: [
    "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
    "azure-native:dbforpostgresql:Administrator",
    "azure-native:dbforpostgresql:SingleServerServerAdministrator",
    "azure:postgresql/flexibleServerActiveDirectoryAdministrator:FlexibleServerActiveDirectoryAdministrator",
    "azure:postgresql/activeDirectoryAdministrator:ActiveDirectoryAdministrator",
  ],
  /** Key Vault vaults. */
  keyVault: ["azure-native:keyvault:Vault", "azure:keyvault/keyVault:KeyVault"],
  /** Key Vault keys. */
  key: ["azure-native:keyvault:Key", "azure:keyvault/key:Key"],
  /** Private endpoints (classic endpoints carry their DNS zone group inline). */
  privateEndpoint: ["azure-native:network:PrivateEndpoint", "azure:privatelink/endpoint:Endpoint"],
  /** Private DNS zone groups of a private endpoint. */
  privateDnsZoneGroup: ["azure-native:network:PrivateDnsZoneGroup"],
  /** Diagnostic settings. */
  diagnosticSetting: [
    "azure-native:monitor:DiagnosticSetting",
    "azure:monitoring/diagnosticSetting:DiagnosticSetting",
  ],
  /** Generic ARM resource (used for flexibleServers/advancedThreatProtectionSettings). */
  genericResource: ["azure-native:resources:Resource"],
  /** Defender per-resource threat protection. */
  advancedThreatProtection: [
    "azure-native:security:AdvancedThreatProtection",
    "azure:securitycenter/advancedThreatProtection:AdvancedThreatProtection",
  ],
  /** Defender plans (OpenSourceRelationalDatabases covers every PostgreSQL server of the subscription). */
  defenderPricing: [
    "azure-native:security:Pricing",
    "azure:securitycenter/subscriptionPricing:SubscriptionPricing",
  ],
  /** Management locks on a single resource (by scope or by name). */
  resourceLock: [
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:authorization:ManagementLockAtResourceLevel",
    "azure:management/lock:Lock",
  ],
  /** Azure RBAC role assignments. */
  roleAssignment: ["azure-native:authorization:RoleAssignment", "azure:authorization/assignment:Assignment"],
  /** Azure Backup (Data Protection) backup vaults. */
  backupVault: ["azure-native:dataprotection:BackupVault", "azure:dataprotection/backupVault:BackupVault"],
  /** Management locks on a whole resource group. */
  resourceGroupLock: ["azure-native:authorization:ManagementLockAtResourceGroupLevel"],
  /** Log Analytics workspaces. */
  logAnalyticsWorkspace: [
    "azure-native:operationalinsights:Workspace",
    "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace",
  ],
  /** Entra groups (@pulumi/azuread). */
  entraGroup: ["azuread:index/group:Group", "azuread:index/groupWithoutMembers:GroupWithoutMembers"],
  /** Standing Entra group membership outside PIM. */
  entraGroupMember: ["azuread:index/groupMember:GroupMember"],
  /** PIM for Groups role management policy (activation, assignment and notification rules). */
  pimGroupPolicy: ["azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy"],
  /** PIM for Groups eligible assignments. */
  pimGroupEligibility: [
    "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  ],
  /** PIM for Groups active assignments. */
  pimGroupAssignment: [
    "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
  ],
} as const satisfies Record<string, readonly string[]>;

export type TokenFamily = keyof typeof TOKENS;

/** Token → its family, for O(1) lookups (stack rules classify every resource of the stack). */
const FAMILY_OF: ReadonlyMap<string, TokenFamily> = new Map(
  (Object.keys(TOKENS) as TokenFamily[]).flatMap((f) => TOKENS[f].map((t) => [t, f] as const)),
);

/** The family a token belongs to, if any. */
export function familyOfType(type: unknown): TokenFamily | undefined {
  return typeof type === "string" ? FAMILY_OF.get(type) : undefined;
}

/** True when `type` is one of the families' tokens. */
export function isType(type: unknown, ...families: TokenFamily[]): boolean {
  const f = familyOfType(type);
  return f !== undefined && families.includes(f);
}

/** True for the classic `@pulumi/azure` provider's tokens. */
export function isClassic(type: string): boolean {
  return type.startsWith("azure:");
}

/** All tokens of the given families, in table order. */
export function tokensOf(...families: TokenFamily[]): string[] {
  return families.flatMap((f) => [...TOKENS[f]]);
}
