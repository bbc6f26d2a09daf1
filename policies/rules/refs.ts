// Seed sections and Azure Policy built-ins the rules cite. GUIDs and benchmark ids come from
// ../shared/reference/azure-policy-builtins/INDEX.tsv (the initiativeGroups column).

/** Seed 000: "Implementing Zero Trust Architecture for Azure PostgreSQL Server". */
export const SEED_000 = {
  entra: "000 §1 Identity and Access Management: Use Azure Active Directory (Azure AD) for Authentication",
  managedIdentity: "000 §1 Identity and Access Management: Use Managed Identities",
  publicAccess: "000 §2 Network Security: Restrict Public Network Access",
  firewall: "000 §2 Network Security: Configure Firewall Rules",
  ssl: "000 §2 Network Security: Enforce SSL Connections",
  encryptionAtRest: "000 §3 Data Protection: Enable Encryption at Rest",
  encryptionInTransit: "000 §3 Data Protection: Enable Encryption in Transit",
  monitor: "000 §4 Monitoring and Threat Detection: Enable Azure Monitor and Logs",
  defender: "000 §4 Monitoring and Threat Detection: Enable Azure Defender for SQL",
  backups: "000 §5 Backup and Recovery: Enable Automated Backups",
  pitr: "000 §5 Backup and Recovery: Enable Point-in-Time Restore",
} as const;

/** Seed 003: Entra ID, PIM and workload identity for PostgreSQL. */
export const SEED_003 = {
  network: "003 Network Isolation",
  accessControl: "003 Access Control",
  userAccess: "003 Access Control: User Access",
  workloadAccess: "003 Access Control: Workload Access",
  dataProtection: "003 Data Protection",
  auditing: "003 Auditing",
} as const;

/** Benchmark ids as they appear in INDEX.tsv's initiativeGroups. */
export const CIS = {
  publicAccess: "CIS Azure Foundations v3.0.0 5.2.5 (v2.0.0 4.3.7)",
  sslEnforcement: "CIS Azure Foundations v2.1.0 4.3.1 (v2.0.0 4.3.1)",
  logCheckpoints: "CIS Azure Foundations v3.0.0 5.2.2 (v2.0.0 4.3.2)",
  logConnections: "CIS Azure Foundations v3.0.0 5.2.6 (v2.0.0 4.3.3)",
  logDisconnections: "CIS Azure Foundations v3.0.0 5.2.7 (v2.0.0 4.3.4)",
  connectionThrottling: "CIS Azure Foundations v3.0.0 5.2.3 (v2.0.0 4.3.5)",
  vaultRecoverable: "CIS Azure Foundations v3.0.0 3.3.5 (v2.0.0 8.5)",
  vaultRbac: "CIS Azure Foundations v3.0.0 3.3.6 (v2.0.0 8.6)",
  vaultPrivateLink: "CIS Azure Foundations v2.0.0 8.7",
  keyExpiry: "CIS Azure Foundations v3.0.0 3.3.1/3.3.2 (v2.0.0 8.1/8.2)",
  vaultLogs: "CIS Azure Foundations v3.0.0 6.1.4 (v2.0.0 5.1.5)",
} as const;

/** Azure Policy built-in definition GUIDs (INDEX.tsv). */
export const AZURE_POLICY = {
  flexPublicAccessDisabled: "5e1de0e3-42cb-4ebc-a86d-61d0c619ca48",
  singlePublicAccessDisabled: "b52376f7-9612-48a1-81cd-1ffe4b61032c",
  flexEntraOnly: "fa498b91-8a7e-4710-9578-da944c68d1fe",
  flexEntraAdmin: "ce39a96d-bf09-4b60-8c32-e85d52abea0f",
  flexCmk: "12c74c95-0efd-48da-b8d9-2a7d68470c92",
  flexGeoBackup: "cee2f9fd-3968-44be-a863-bd62c9884423",
  /** The single-server twin; INDEX.tsv maps it to MCSB BR-1/BR-2. */
  singleGeoBackup: "48af4db5-9b8b-401c-8e74-076be876a430",
  flexZoneResilient: "493c215d-2553-4976-bc81-57d2c04fc8c1",
  flexSsl: "c29c38cb-74a7-4505-9a06-e588ab86620a",
  singleSsl: "d158790f-bfb0-486c-8631-2dc6b4e8e6af",
  flexTls12: "a43d5475-c569-45ce-a268-28fa79f4e87a",
  flexLogCheckpoints: "70be9e12-c935-49ac-9bd8-fd64b85c1f87",
  /** Single-server twins of the logging policies; INDEX.tsv maps these to the CIS controls. */
  singleLogCheckpoints: "eb6f77b9-bd53-4e35-a23d-7f65d5f0e43d",
  singleLogConnections: "eb6f77b9-bd53-4e35-a23d-7f65d5f0e442",
  singleLogDisconnections: "eb6f77b9-bd53-4e35-a23d-7f65d5f0e446",
  flexLogConnections: "086709ac-11b5-478d-a893-9567a16d2ae3",
  flexLogDisconnections: "1d14b021-1bae-4f93-b36b-69695e14984a",
  connectionThrottling: "5345bb39-67dc-4960-a1bf-427e16b9a0bd",
  flexLogRetention: "f5ed3f7a-cf5d-4ee6-9ede-b5d5192ccf81",
  flexPgAudit: "4eb5e667-e871-4292-9c5d-8bbb94e0c908",
  flexPrivateEndpoint: "5375a5bb-22c6-46d7-8a43-83417cfb4460",
  flexDiagnostics: "78ed47da-513e-41e9-a088-e829b373281d",
  flexDefender: "d38668f5-d155-42c7-ab3d-9b57b50f8fbf",
  vaultDeletionProtection: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
  vaultSoftDelete: "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
  vaultRbac: "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5",
  vaultFirewall: "55615ac9-af46-4a59-874e-391cc3dfb490",
  vaultLogs: "cf820ca0-f99e-4f3e-84fb-66e913812d21",
  vaultPrivateLink: "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9",
  keyExpiration: "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0",
  keyRsaMinSize: "82067dbb-e53b-4e06-b631-546d197452d9",
  keyRotationPolicy: "d8cf8476-a2ec-4916-896e-992351803c44",
  keyHsm: "587c79fe-dd04-4a5e-9d0b-f89598c7261b",
} as const;

/** Portal link to a built-in policy definition. */
export function policyLink(guid: string): string {
  return `https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F${guid}`;
}
