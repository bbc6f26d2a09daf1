// Restore modes: point-in-time restore, geo-restore (the only way back from the geo-redundant
// backups) and revival of a dropped server. Each creates a NEW server; none overwrites one.
//
// Facts (read 2026-11-30):
// - createMode values Default | Create | Update | PointInTimeRestore | GeoRestore | Replica |
//   ReviveDropped; pointInTimeUTC is write-only (Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01,
//   ../shared/reference/azure-arm-types/trees/postgresql-2025-08-01.txt).
// - Geo-restore restores to the source's geo-paired region, from the last backup copied there (up to
//   one hour of RPO); "PITR of geo-redundant backups is not available"; compute, storage and tier
//   cannot change during a geo-restore; geo-redundant backup may be removed on the restored server:
//   https://learn.microsoft.com/azure/postgresql/backup-restore/concepts-backup-restore#geo-redundant-backup-and-restore
// - CMK: the restored server's key must sit in a vault in the region where the server runs, and its
//   user-assigned identity should be created in that region; the original key must not be revoked
//   after the restore: https://learn.microsoft.com/azure/postgresql/security/security-data-encryption
//   ("Restore backups of a server configured with a customer managed key", "Use data encryption with
//   customer managed keys and geo-redundant business continuity features"). For a geo-restore that
//   region is the source's geo-backup region, where the source's geo-backup key already lives.
// - Revive a dropped server: location = the dropped server's region, pointInTimeUTC = the
//   submissionTimestamp of the successful delete event in the activity log, sourceServerResourceId =
//   the dropped server's id: https://learn.microsoft.com/azure/postgresql/backup-restore/how-to-restore-dropped-server
//
// Pure: no Pulumi resources.

import { RestoreMode } from "./args";
export { RestoreMode };

/** The restore settings as the component validates them. */
export interface RestoreSettings {
  /** Defaults to `PointInTimeRestore`. */
  mode?: RestoreMode;
  /** Resource id of the source (or dropped) flexible server. */
  sourceServerResourceId: unknown;
  /** PointInTimeRestore: the restore point; ReviveDropped: the delete event's submissionTimestamp; refused with GeoRestore. */
  pointInTimeUtc?: string;
}

/** What the server's inputs get. */
export interface RestoreInputs {
  createMode: RestoreMode;
  pointInTimeUTC?: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

/**
 * Validates the restore settings and returns the server's `createMode` and `pointInTimeUTC`.
 * `location`: the server's region if it is a plain string, undefined when it is an Output.
 * `now` is injectable for tests. Throws naming the field, the value and what is allowed.
 */
export function restoreInputs(
  restore: RestoreSettings,
  context: { location?: string; now?: Date },
  field = "restore",
): RestoreInputs {
  const mode = restore.mode ?? "PointInTimeRestore";
  if (!(Object.values(RestoreMode) as string[]).includes(mode)) {
    throw new Error(
      `\`${field}.mode\` ${JSON.stringify(mode)} is not allowed; use one of ${Object.values(RestoreMode).join(", ")}.`,
    );
  }
  const t = restore.pointInTimeUtc;
  if (mode === "GeoRestore") {
    if (t !== undefined) {
      throw new Error(
        `\`${field}.pointInTimeUtc\` ${JSON.stringify(t)} is refused with mode "GeoRestore": Azure restores the last backup copied to the paired region (point-in-time restore of geo backups is not available); remove it.`,
      );
    }
    if (context.location === undefined) {
      throw new Error(
        `\`location\` must be set to a plain region with mode "GeoRestore": the restored server runs in the source's geo-paired region, and its key and identity must be created there.`,
      );
    }
    return { createMode: mode };
  }
  const what =
    mode === "ReviveDropped"
      ? "the submissionTimestamp of the delete event in the activity log"
      : "the restore point";
  if (typeof t !== "string" || !ISO_UTC.test(t) || Number.isNaN(Date.parse(t))) {
    throw new Error(
      `\`${field}.pointInTimeUtc\` ${JSON.stringify(t)} is required with mode "${mode}" as an ISO 8601 UTC timestamp (${what}), e.g. "2026-11-20T08:00:00Z".`,
    );
  }
  const now = context.now ?? new Date();
  if (Date.parse(t) > now.getTime()) {
    throw new Error(
      `\`${field}.pointInTimeUtc\` ${JSON.stringify(t)} is in the future; use ${what}, which is in the past.`,
    );
  }
  return { createMode: mode, pointInTimeUTC: t };
}
