// The retired single server. Its SSL, TLS and public-access properties are also judged by
// postgres-secure-transport, postgres-tls-min-version and postgres-no-public-network-access.

import { lead } from "./postgres";
import { AZURE_POLICY, SEED_000 } from "./refs";
import { TOKENS } from "./tokens";
import type { ResourceRule } from "./types";
import { covers } from "./util";

export const singleServerRetired: ResourceRule<"postgres-single-server-retired"> = {
  kind: "resource",
  id: "postgres-single-server-retired",
  title: "Single server is retired",
  description:
    "PostgreSQL single servers must be migrated to flexible servers, because the single server service was retired on 2025-03-28.",
  enforcementLevel: "mandatory",
  resourceTypes: [...TOKENS.singleServer],
  config: {},
  remediation:
    "Migrate to a flexible server (`azure-native:dbforpostgresql:Server`, classic `azure:postgresql/flexibleServer:FlexibleServer`) with the Azure Database for PostgreSQL migration service, then delete the single server.",
  references: {
    seed: SEED_000.publicAccess,
    azurePolicyId: AZURE_POLICY.singlePublicAccessDisabled,
    links: [
      "https://learn.microsoft.com/azure/postgresql/migrate/migration-service/overview-migration-service-postgresql",
      "https://techcommunity.microsoft.com/blog/adforpostgresql/retiring-azure-database-for-postgresql-single-server-in-2025/3783783",
    ],
  },
  unsetMeans: "Any single server is flagged, whatever its properties.",
  check(view) {
    if (!covers(singleServerRetired, view)) return [];
    return [
      `${lead(singleServerRetired)}: ${view.type} is a single server. Migrate it to a flexible server with the Azure migration service (az postgres flexible-server migration create) and delete it.`,
    ];
  },
};

export const SINGLE_SERVER_RULES = [singleServerRetired] as const satisfies readonly ResourceRule[];
