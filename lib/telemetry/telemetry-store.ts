// The lab's telemetry database (SLI minute rollups, spans): `.lab/telemetry.db`, or `<prefix>_telemetry`
// on PostgreSQL; every lab process writes to it, created and migrated on first open.
import { join } from "node:path";
import type { LabConfig } from "../config/index.ts";
import { migrate, readMigrations } from "../data/migrations.ts";
import { openSideDatabase } from "../data/side-database.ts";
import type { SqlDatabase } from "../data/sql-database.ts";

export async function migrateTelemetryStore(db: SqlDatabase): Promise<void> {
  await migrate(db, readMigrations(join(import.meta.dirname, "migrations")));
}

export async function openTelemetryStore(config: LabConfig): Promise<SqlDatabase> {
  const db = await openSideDatabase(config, "telemetry");
  await migrateTelemetryStore(db);
  return db;
}
