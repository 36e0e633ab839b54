// The portal process's long-lived connections: its configuration (read from its environment once), the
// lab's databases and the telemetry store, each opened on first use, shared by every request, and kept
// across hot reloads in development. Server-only: no browser bundle may reach a database.
import "server-only";
import { type LabConfig, loadConfig } from "@/lib/config/index.ts";
import { type LabDatabases, openLabDatabases } from "@/lib/data/lab-databases.ts";
import { openSideDatabase } from "@/lib/data/side-database.ts";
import type { SqlDatabase } from "@/lib/data/sql-database.ts";

const holder = globalThis as typeof globalThis & { __pimLab?: Promise<LabDatabases>; __pimLabConfig?: LabConfig; __pimTelemetry?: Promise<SqlDatabase> };

/** The process's configuration, read from its environment once (the environment does not change under it). */
export function labConfig(): LabConfig {
  holder.__pimLabConfig ??= loadConfig();
  return holder.__pimLabConfig;
}

export function sharedLabDatabases(): Promise<LabDatabases> {
  if (!holder.__pimLab) {
    holder.__pimLab = openLabDatabases(labConfig()).catch((err: unknown) => {
      holder.__pimLab = undefined; // let the next request try again
      throw err;
    });
  }
  return holder.__pimLab;
}

/** The telemetry database (RUM, spans): the lab's start (scripts/lab.ts) has created and migrated it before the portal serves. */
export function sharedTelemetryStore(): Promise<SqlDatabase> {
  if (!holder.__pimTelemetry) {
    holder.__pimTelemetry = openSideDatabase(labConfig(), "telemetry").catch((err: unknown) => {
      holder.__pimTelemetry = undefined; // the next request tries again
      throw err;
    });
  }
  return holder.__pimTelemetry;
}
