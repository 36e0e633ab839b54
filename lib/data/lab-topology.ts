// Which databases a lab has: one control database and one database per shard, as SQLite files in
// embedded mode or as PostgreSQL databases on one server in full mode.
import { join } from "node:path";
import type { LabConfig } from "../config/index.ts";

export type DatabaseRole = "control" | "shard";

export interface DatabaseTarget {
  role: DatabaseRole;
  /** The shard index, for role "shard". */
  shard: number | null;
  /** "control" or "shard-N": how messages and stats name it. */
  label: string;
  provider: "sqlite" | "postgresql";
  /** A file path (SQLite) or a connection string (PostgreSQL). */
  location: string;
  /** The PostgreSQL database name, created when missing. */
  databaseName: string | null;
}

export function postgresUrlFor(serverUrl: string, databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

function target(config: LabConfig, role: DatabaseRole, shard: number | null): DatabaseTarget {
  const label = role === "control" ? "control" : `shard-${shard}`;
  const db = config.database;
  if (db.kind === "sqlite") {
    return { role, shard, label, provider: "sqlite", location: join(db.dir, `${label}.db`), databaseName: null };
  }
  const databaseName = role === "control" ? `${db.namePrefix}_control` : `${db.namePrefix}_shard_${shard}`;
  return {
    role,
    shard,
    label,
    provider: "postgresql",
    location: postgresUrlFor(db.serverUrl, databaseName),
    databaseName,
  };
}

export function labTopology(config: LabConfig): { control: DatabaseTarget; shards: DatabaseTarget[] } {
  return {
    control: target(config, "control", null),
    shards: Array.from({ length: config.shardCount }, (_, i) => target(config, "shard", i)),
  };
}
