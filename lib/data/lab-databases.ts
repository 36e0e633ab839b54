// Preparing and opening a lab's databases: create them when missing, migrate them, stamp each with its
// role, write the initial shard map, and refuse a configuration that does not match what is on disk.
import { mkdirSync } from "node:fs";
import pg from "pg";
import type { LabConfig } from "../config/index.ts";
import { LabError } from "../errors/index.ts";
import { type DatabaseTarget, labTopology } from "./lab-topology.ts";
import { migrate, migrationsDir, readMigrations } from "./migrations.ts";
import { type LabPrisma, createPrismaClient } from "./prisma-clients.ts";
import { type BucketAssignment, type BucketState, ShardMap, initialAssignments } from "./shard-map.ts";
import { type SqlDatabase, type SqliteOptions, openPostgres, openSqlite } from "./sql-database.ts";
import { type WalCheckpointer, startWalCheckpointer } from "./wal-checkpointer.ts";

export interface ShardHandle {
  index: number;
  label: string;
  sql: SqlDatabase;
  /** Writes and transactions. */
  prisma: LabPrisma;
  /**
   * Plain reads. On SQLite a second connection: Prisma's adapter has one connection per client, so a read
   * on `prisma` while another request's transaction is open would see its uncommitted rows.
   */
  reader: LabPrisma;
  /**
   * The hot single-patient reads, as prepared raw SQL (ADR 0006). On SQLite its own connection, for the
   * reason above; on PostgreSQL the pool of `sql`.
   */
  readSql: SqlDatabase;
}

export interface LabDatabases {
  config: LabConfig;
  control: { sql: SqlDatabase; prisma: LabPrisma };
  shards: ShardHandle[];
  shardMap: ShardMap;
  /** Reads the shard map again, after a bucket move. */
  reloadShardMap(): Promise<ShardMap>;
  shardForPatient(patientId: string): ShardHandle;
  close(): Promise<void>;
}

/** A connection string with its password hidden, for messages. */
export function describeLocation(target: Pick<DatabaseTarget, "provider" | "location">): string {
  if (target.provider === "sqlite") return target.location;
  const url = new URL(target.location);
  if (url.password) url.password = "****";
  return url.toString();
}

function unreachable(target: Pick<DatabaseTarget, "provider" | "location" | "label">, err: unknown): LabError {
  const reason = err instanceof Error ? err.message : String(err);
  const hint =
    target.provider === "postgresql"
      ? "start PostgreSQL or fix DATABASE_URL (or unset LAB_MODE to run on the embedded SQLite files)"
      : "check that LAB_DATA_DIR is a writable directory";
  return new LabError("setup", `cannot open the ${target.label} database at ${describeLocation(target)}: ${reason}; ${hint}`, {
    cause: err,
  });
}

export function openSql(target: DatabaseTarget, options: SqliteOptions = {}): SqlDatabase {
  return target.provider === "sqlite" ? openSqlite(target.location, target.label, options) : openPostgres(target.location, target.label);
}

/** Creates a PostgreSQL database of the lab's (C collation) unless it exists; refuses one of another collation. */
export async function ensurePostgresDatabase(
  serverUrl: string,
  target: Pick<DatabaseTarget, "provider" | "location" | "label" | "databaseName">,
): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    const found = await admin.query<{ datcollate: string }>("SELECT datcollate FROM pg_database WHERE datname = $1", [target.databaseName]);
    const collation = found.rows[0]?.datcollate;
    if (collation !== undefined && collation !== "C") {
      // Pages merged across shards compare ids by byte; another collation would skip or repeat rows.
      throw new LabError("setup", `database ${target.databaseName} has collation ${collation}, not C; drop it or choose another LAB_DB_PREFIX`, {
        field: "LAB_DB_PREFIX",
      });
    }
    if (found.rowCount === 0) {
      // C collation: strings sort by byte, as on SQLite, so cross-shard pages merge in the same order.
      await admin
        .query(`CREATE DATABASE "${target.databaseName}" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`)
        .catch((err: { code?: string }) => {
          if (err.code !== "42P04") throw err; // created meanwhile by another runner
        });
    }
  } catch (err) {
    throw err instanceof LabError ? err : unreachable(target, err);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** lab_meta key of a shard whose every patient has its history in the event stream, and its value. */
export const EVENT_HISTORY_META = "event_history";
export const EVENT_HISTORY_SNAPSHOTS = "snapshots-v1";

async function hasPatients(db: SqlDatabase): Promise<boolean> {
  return (await db.query(`SELECT 1 AS "one" FROM "patients" LIMIT 1`)).length > 0;
}

export async function readMeta(db: SqlDatabase): Promise<Map<string, string>> {
  const rows = await db.query<{ key: string; value: string }>(`SELECT "key", "value" FROM "lab_meta"`);
  return new Map(rows.map((r) => [r.key, r.value]));
}

async function writeMetaIfMissing(db: SqlDatabase, entries: Record<string, string>): Promise<void> {
  const meta = await readMeta(db);
  for (const [key, value] of Object.entries(entries)) {
    if (!meta.has(key)) await db.execute(`INSERT INTO "lab_meta" ("key", "value") VALUES (?, ?)`, [key, value]);
  }
}

function shardCountMismatch(config: LabConfig, recorded: number): LabError {
  return new LabError(
    "setup",
    `LAB_SHARD_COUNT is ${config.shardCount} but this lab's databases were created with ${recorded} shards; ` +
      `set LAB_SHARD_COUNT=${recorded}, or start a new lab (remove ${config.mode === "embedded" ? config.dataDir : "its databases"})`,
    { field: "LAB_SHARD_COUNT" },
  );
}

export interface PrepareReport {
  databases: { label: string; applied: string[] }[];
  shardMapCreated: boolean;
}

/** Creates (when missing) and migrates every database of the lab, and writes the initial shard map. */
export async function prepareLabDatabases(config: LabConfig, root: string): Promise<PrepareReport> {
  const topology = labTopology(config);
  const all = [topology.control, ...topology.shards];
  if (config.database.kind === "sqlite") mkdirSync(config.database.dir, { recursive: true });
  const report: PrepareReport = { databases: [], shardMapCreated: false };
  for (const target of all) {
    if (config.database.kind === "postgresql") await ensurePostgresDatabase(config.database.serverUrl, target);
    let db: SqlDatabase;
    try {
      db = openSql(target);
      await db.query("SELECT 1");
    } catch (err) {
      throw unreachable(target, err);
    }
    try {
      const result = await migrate(db, readMigrations(migrationsDir(root, target.provider, target.role)));
      report.databases.push({ label: target.label, applied: result.applied });
      if (target.role === "control") {
        const recorded = (await readMeta(db)).get("shard_count");
        if (recorded !== undefined && Number(recorded) !== config.shardCount) {
          throw shardCountMismatch(config, Number(recorded));
        }
        await writeMetaIfMissing(db, { role: "control", shard_count: String(config.shardCount) });
        report.shardMapCreated = await writeInitialShardMap(db, config.shardCount);
      } else {
        const recorded = (await readMeta(db)).get("shard_index");
        if (recorded !== undefined && Number(recorded) !== target.shard) {
          throw new LabError("setup", `${describeLocation(target)} holds shard ${recorded}, not shard ${target.shard}`);
        }
        // A shard created now has every patient's history in its outbox from its first row (ADR 0018); one
        // created before that needs the backfill (lib/events/history-backfill.ts) before it can say so.
        const created = recorded === undefined && !(await hasPatients(db));
        await writeMetaIfMissing(db, {
          role: "shard",
          shard_index: String(target.shard),
          ...(created ? { [EVENT_HISTORY_META]: EVENT_HISTORY_SNAPSHOTS } : {}),
        });
      }
    } finally {
      await db.close();
    }
  }
  return report;
}

async function writeInitialShardMap(control: SqlDatabase, shardCount: number): Promise<boolean> {
  const [row] = await control.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "shard_buckets"`);
  if (Number(row?.n ?? 0) > 0) return false;
  const now = new Date();
  // Two labs starting at once write the same map; the second one's rows are skipped.
  await control.transaction((tx) =>
    tx.insertMany(
      "shard_buckets",
      ["bucket", "shard", "state", "version", "updatedAt"],
      initialAssignments(shardCount).map((a) => [a.bucket, a.shard, a.state, a.version, now]),
      { ignoreExisting: true },
    ),
  );
  return true;
}

export async function readShardMap(control: SqlDatabase, shardCount: number): Promise<ShardMap> {
  const rows = await control.query<{ bucket: number; shard: number; state: string; version: number }>(
    `SELECT "bucket", "shard", "state", "version" FROM "shard_buckets" ORDER BY "bucket"`,
  );
  const assignments: BucketAssignment[] = rows.map((r) => ({
    bucket: Number(r.bucket),
    shard: Number(r.shard),
    state: r.state as BucketState,
    version: Number(r.version),
  }));
  const referenced = ShardMap.shardsReferenced(assignments);
  if (referenced > shardCount) {
    throw new LabError("setup", `the shard map points at ${referenced} shards but LAB_SHARD_COUNT is ${shardCount}; set LAB_SHARD_COUNT=${referenced}`, {
      field: "LAB_SHARD_COUNT",
    });
  }
  return new ShardMap(assignments, shardCount);
}

export interface OpenLabOptions {
  /** SQLite shards: checkpoint their write-ahead logs on a worker thread, not in the commits (the services' request path). */
  checkpointInBackground?: boolean;
  onCheckpointError?: (file: string, error: string) => void;
  /** Bulk writes ahead (generating the lab's data): 64 MB of page cache on each SQLite connection, not 2. */
  bulkWrites?: boolean;
}

/** Opens a prepared lab: raw SQL and Prisma for the control database and every shard. */
export async function openLabDatabases(config: LabConfig, options: OpenLabOptions = {}): Promise<LabDatabases> {
  const topology = labTopology(config);
  const pageCacheMb = options.bulkWrites ? 64 : undefined;
  const controlSql = openSql(topology.control, { pageCacheMb });
  let meta: Map<string, string>;
  try {
    meta = await readMeta(controlSql);
  } catch (err) {
    await controlSql.close();
    const missing = /no such table|does not exist/.test(String(err));
    if (missing) {
      throw new LabError("setup", `the ${topology.control.label} database at ${describeLocation(topology.control)} is not migrated; run npm run db:migrate`);
    }
    throw unreachable(topology.control, err);
  }
  const recorded = Number(meta.get("shard_count"));
  if (recorded !== config.shardCount) {
    await controlSql.close();
    throw shardCountMismatch(config, recorded);
  }
  const shards: ShardHandle[] = [];
  const control = { sql: controlSql, prisma: createPrismaClient(topology.control) };
  let checkpointer: WalCheckpointer | null = null;
  const closeAll = () =>
    Promise.all([
      checkpointer?.stop(),
      ...shards.flatMap((s) => [
        s.sql.close(),
        s.prisma.$disconnect(),
        ...(s.reader !== s.prisma ? [s.reader.$disconnect()] : []),
        ...(s.readSql !== s.sql ? [s.readSql.close()] : []),
      ]),
      control.sql.close(),
      control.prisma.$disconnect(),
    ]).then(() => undefined);
  let shardMap: ShardMap;
  try {
    for (const target of topology.shards) {
      const prisma = createPrismaClient(target);
      const reader = target.provider === "sqlite" ? createPrismaClient(target) : prisma; // pg: pooled connections already isolate
      const sql = openSql(target, { autoCheckpoint: !options.checkpointInBackground, pageCacheMb });
      const readSql = target.provider === "sqlite" ? openSql(target, { pageCacheMb }) : sql;
      shards.push({ index: target.shard!, label: target.label, sql, prisma, reader, readSql });
    }
    const sqliteShards = topology.shards.filter((t) => t.provider === "sqlite");
    if (options.checkpointInBackground && sqliteShards.length > 0) {
      checkpointer = startWalCheckpointer(
        sqliteShards.map((t) => t.location),
        { onError: options.onCheckpointError },
      );
    }
    shardMap = await readShardMap(controlSql, config.shardCount);
  } catch (err) {
    await closeAll().catch(() => undefined); // nothing opened here may outlive a failed open
    throw err;
  }
  const lab: LabDatabases = {
    config,
    control,
    shards,
    shardMap,
    async reloadShardMap() {
      lab.shardMap = await readShardMap(controlSql, config.shardCount);
      return lab.shardMap;
    },
    shardForPatient(patientId) {
      return shards[lab.shardMap.shardOf(patientId)]!;
    },
    close: closeAll,
  };
  return lab;
}
