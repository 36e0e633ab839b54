// A database of the lab's own beside the control and shard databases (the projector's read models, the
// SLI rollups): a SQLite file in the data directory, or on PostgreSQL a database named after the lab's
// prefix, created when missing.
import { join } from "node:path";
import type { LabConfig } from "../config/index.ts";
import { ensurePostgresDatabase } from "./lab-databases.ts";
import { postgresUrlFor } from "./lab-topology.ts";
import { type SqlDatabase, openPostgres, openSqlite } from "./sql-database.ts";

/** `name` is kebab-case: read-models -> .lab/read-models.db or <prefix>_read_models. */
export async function openSideDatabase(config: LabConfig, name: string): Promise<SqlDatabase> {
  if (config.database.kind === "sqlite") return openSqlite(join(config.database.dir, `${name}.db`), name);
  const databaseName = `${config.database.namePrefix}_${name.replaceAll("-", "_")}`;
  const location = postgresUrlFor(config.database.serverUrl, databaseName);
  await ensurePostgresDatabase(config.database.serverUrl, { label: name, provider: "postgresql", location, databaseName });
  return openPostgres(location, name);
}
