// The retired single server. Its SSL, TLS and public-access properties are also judged by
// postgres-secure-transport, postgres-tls-min-version and postgres-no-public-network-access.

import { lead } from "./postgres";
import { AZURE_POLICY, SEED_000 } from "./refs";
import { TOKENS } from "./tokens";
import type { ResourceRule } from "./types";
import { isClassic } from "./tokens";
import type { ResourceView } from "./types";
import { blocks, bool, covers, eqi, get, isUnknown, show } from "./util";

/**
 * What else is wrong with a single server, so the message says more than "retired": geo-redundant
 * backup, infrastructure double encryption and (classic) threat detection, each off when unset (API
 * spec defaults Disabled; azurerm defaults false / no threat_detection_policy block).
 */
function alsoWrong(view: ResourceView): string[] {
  const out: string[] = [];
  if (isClassic(view.type)) {
    const geo = get(view.props, "geoRedundantBackupEnabled");
    if (!isUnknown(geo) && bool(geo) !== true)
      out.push(`geo-redundant backup is off (geoRedundantBackupEnabled is ${show(geo)})`);
    const infra = get(view.props, "infrastructureEncryptionEnabled");
    if (!isUnknown(infra) && bool(infra) !== true)
      out.push(`infrastructure double encryption is off (infrastructureEncryptionEnabled is ${show(infra)})`);
    const tdp = blocks(get(view.props, "threatDetectionPolicy")).map((b) => get(b, "enabled"));
    if (!tdp.some((e) => isUnknown(e) || bool(e) === true))
      out.push(`threat detection is off (threatDetectionPolicy.enabled is ${show(tdp[0])})`);
    return out;
  }
  const geo = get(view.props, "properties", "storageProfile", "geoRedundantBackup");
  if (!isUnknown(geo) && !eqi(geo, "Enabled"))
    out.push(`geo-redundant backup is off (properties.storageProfile.geoRedundantBackup is ${show(geo)})`);
  const infra = get(view.props, "properties", "infrastructureEncryption");
  if (!isUnknown(infra) && !eqi(infra, "Enabled"))
    out.push(
      `infrastructure double encryption is off (properties.infrastructureEncryption is ${show(infra)})`,
    );
  return out;
}

export const singleServerRetired: ResourceRule<"postgres-single-server-retired"> = {
  kind: "resource",
  id: "postgres-single-server-retired",
  title: "Single server is retired",
  description:
    "PostgreSQL single servers must be migrated to flexible servers, because the single server service was retired on 2025-03-28.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.singleServer],
  config: {},
  replica: "Judged: a single-server replica is a single server, retired like its primary.",
  remediation:
    "Migrate to a flexible server (`azure-native:dbforpostgresql:Server`, classic `azure:postgresql/flexibleServer:FlexibleServer`) with the Azure Database for PostgreSQL migration service, then delete the single server.",
  references: {
    comparison:
      "Azure Policy b52376f7 audits public access on single servers only; ours flags every single server, because the service is retired.",
    seed: SEED_000.publicAccess,
    azurePolicyId: AZURE_POLICY.singlePublicAccessDisabled,
    links: [
      "https://learn.microsoft.com/azure/postgresql/migrate/migration-service/overview-migration-service-postgresql",
      "https://techcommunity.microsoft.com/blog/adforpostgresql/retiring-azure-database-for-postgresql-single-server-in-2025/3783783",
    ],
  },
  unsetSource: [
    {
      kind: "not-set",
      ref: "An unset geoRedundantBackup or infrastructureEncryption (2017-12-01 postgresql.json; its defaults were not read for this entry) is treated as not set, i.e. not on, and named in the message.",
    },
    {
      kind: "provider-docs",
      ref: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_server (`infrastructure_encryption_enabled` defaults to false; `geo_redundant_backup_enabled` has no documented default; no `threat_detection_policy` block means none)",
    },
  ],
  unsetMeans:
    "Any single server is flagged, whatever its properties. The message also names geo-redundant backup and infrastructure double encryption when off (unset is treated as off: azurerm documents infrastructure_encryption_enabled false and no default for geo_redundant_backup_enabled) and, for classic servers, threat detection when there is no enabled threat_detection_policy.",
  check(view) {
    if (!covers(singleServerRetired, view)) return [];
    const also = alsoWrong(view);
    const more = also.length > 0 ? ` Until then it also has ${also.join("; ")}.` : "";
    return [
      `${lead(singleServerRetired)}: ${view.type} is a single server. Migrate it to a flexible server with the Azure migration service (az postgres flexible-server migration create) and delete it.${more}`,
    ];
  },
};

export const SINGLE_SERVER_RULES = [singleServerRetired] as const satisfies readonly ResourceRule[];
