// The server's scheduled-maintenance window (`properties.maintenanceWindow`), as the Azure Verified
// Module for PostgreSQL offers it: patching is change-controlled instead of falling into any one-hour
// window between 23:00 and 07:00 that Azure picks.
//
// Sources (read 2026-11-30):
// - Scheduled maintenance, custom vs. system-managed schedule, one-hour window, 5 days' notice:
//   https://learn.microsoft.com/azure/postgresql/configure-maintain/concepts-maintenance
// - ARM shape `maintenanceWindow { customWindow, dayOfWeek, startHour, startMinute }`
//   (Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01, ../shared/reference/azure-arm-types).
// - dayOfWeek counts from Sunday = 0 (azurerm `maintenance_window.day_of_week`, "the week starts on a
//   Sunday, i.e. Sunday = 0"; https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_flexible_server).
//
// Pure: no Pulumi resources.

/** Day of the week of a custom maintenance window; Azure counts from Sunday = 0. */
export const DayOfWeek = {
  Sunday: 0,
  Monday: 1,
  Tuesday: 2,
  Wednesday: 3,
  Thursday: 4,
  Friday: 5,
  Saturday: 6,
} as const;
/** Day of the week of a custom maintenance window; Azure counts from Sunday = 0. */
export type DayOfWeek = (typeof DayOfWeek)[keyof typeof DayOfWeek];

import type { MaintenanceWindowArgs } from "./args";
export type { MaintenanceWindowArgs };

/** The ARM `maintenanceWindow` object the server takes. */
export interface MaintenanceWindowInputs {
  customWindow: "Enabled" | "Disabled";
  dayOfWeek?: number;
  startHour?: number;
  startMinute?: number;
}

const RANGES = {
  dayOfWeek: [0, 6],
  startHour: [0, 23],
  startMinute: [0, 59],
} as const;

/**
 * Validates a custom window and returns the server's `maintenanceWindow` input. `undefined` means
 * Azure's system-managed schedule (`customWindow: "Disabled"`, Azure's default). Throws naming the
 * field, the value and the allowed range.
 */
export function maintenanceWindowInputs(
  window: MaintenanceWindowArgs | undefined,
  field = "maintenanceWindow",
): MaintenanceWindowInputs {
  if (window === undefined) return { customWindow: "Disabled" };
  if (window === null || typeof window !== "object") {
    throw new Error(
      `\`${field}\` ${JSON.stringify(window)} is not a window; use { dayOfWeek: 0-6 (Sunday = 0), startHour: 0-23, startMinute: 0-59 }.`,
    );
  }
  const resolved = {
    dayOfWeek: window.dayOfWeek,
    startHour: window.startHour ?? 2,
    startMinute: window.startMinute ?? 0,
  };
  for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
    const [min, max] = RANGES[key];
    const v = resolved[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      const hint = key === "dayOfWeek" ? " (Sunday = 0, Saturday = 6)" : "";
      throw new Error(
        `\`${field}.${key}\` ${JSON.stringify(v)} is out of range; use a whole number from ${min} to ${max}${hint}.`,
      );
    }
  }
  return { customWindow: "Enabled", ...resolved };
}
