// The portal's connection to the telemetry database, opened on first use and shared by its requests.
// The lab's start (scripts/lab.ts) has created and migrated it before the portal serves.
import { labConfig } from "../data/lab-connection.ts";
import { openSideDatabase } from "../data/side-database.ts";
import type { SqlDatabase } from "../data/sql-database.ts";

const holder = globalThis as typeof globalThis & { __pimTelemetry?: Promise<SqlDatabase> };

export function sharedTelemetryStore(): Promise<SqlDatabase> {
  if (!holder.__pimTelemetry) {
    holder.__pimTelemetry = openSideDatabase(labConfig(), "telemetry").catch((err: unknown) => {
      holder.__pimTelemetry = undefined; // the next request tries again
      throw err;
    });
  }
  return holder.__pimTelemetry;
}
