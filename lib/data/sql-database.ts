// A small raw-SQL connection for the paths Prisma is measured too slow or too narrow for: migrations,
// bulk generation, bucket moves and row counts. One interface, a SQLite and a PostgreSQL implementation.
// SQL is written with `?` placeholders and double-quoted identifiers, which both dialects accept.
import Database from "better-sqlite3";
import pg from "pg";
import { LabError } from "../errors/index.ts";

export type SqlDialect = "sqlite" | "postgresql";
export type SqlRow = Record<string, unknown>;
export interface InsertOptions {
  ignoreExisting?: boolean;
}

export interface TransactionOptions {
  lockWaitMs?: number;
}

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  /** Which database this is, for messages: "control", "shard-2". */
  readonly label: string;
  /** Rows of a SELECT; date-time columns come back as Dates on both dialects. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a script of several statements (a migration file). */
  executeScript(sql: string): Promise<void>;
  /**
   * Inserts rows of the given columns; the fast path for bulk work. Call inside a transaction.
   * With `ignoreExisting`, a row whose key is already there is skipped instead of failing.
   */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], options?: InsertOptions): Promise<void>;
  /**
   * Runs fn in one transaction on one connection; rolls back if it throws. A write transaction waits at
   * most `lockWaitMs` (WRITE_LOCK_WAIT_MS) for a write lock another session holds, then fails with a 503.
   */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs fn's reads in one consistent snapshot that takes no write lock (SQLite WAL; PostgreSQL REPEATABLE READ). */
  snapshot<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * How long a write transaction waits for its database's write lock (queued behind others included) before
 * the database counts as unavailable: a 503 naming it, not a request that hangs. A session that holds the
 * lock (a stuck migration, the shard-outage drill) takes that shard's writes down and nothing else. Well
 * inside the gateway's deadline (GATEWAY_TIMEOUT_MS, 5 s), so the caller hears the shard's 503, not a 504.
 */
export const WRITE_LOCK_WAIT_MS = 3000;

const lockedOut = (label: string, waitedMs = WRITE_LOCK_WAIT_MS) =>
  new LabError("unavailable", `${label}: the database is locked by another session: no write lock within ${waitedMs / 1000} s`);

const isBusy = (err: unknown) => typeof (err as { code?: unknown }).code === "string" && (err as { code: string }).code.startsWith("SQLITE_BUSY");

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The form Prisma's SQLite adapter writes DateTime in, so rows written here read back through Prisma. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return sqliteTimestamp(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value ?? null;
}

export interface SqliteOptions {
  /**
   * false: a WalCheckpointer does the checkpoints off the event loop; SQLite's own, on commit, only starts at
   * a WAL of about 40 MB, the backstop should that worker stop.
   */
  autoCheckpoint?: boolean;
  /**
   * The connection's page cache, in MB; SQLite's own 2 MB when absent. Bulk writes into large shards (the data
   * generator) want 64 MB; a running lab's processes do not: each holds nine connections or more, each
   * cache fills with whatever pages the traffic touches, and the files stay in the OS's cache anyway.
   */
  pageCacheMb?: number;
}

export function openSqlite(file: string, label: string, options: SqliteOptions = {}): SqlDatabase {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  if (options.pageCacheMb !== undefined) db.pragma(`cache_size = -${Math.round(options.pageCacheMb * 1024)}`);
  if (options.autoCheckpoint === false) db.pragma("wal_autocheckpoint = 10000");
  // Statements are prepared once per SQL text (preparing cost as much as running a primary-key read).
  const statements = new Map<string, { statement: Database.Statement; dateColumns: string[] }>();
  const cached = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      const statement = db.prepare(sql);
      // Columns declared DATETIME come back as Dates, as TIMESTAMP does from PostgreSQL.
      const dateColumns = statement.reader
        ? statement
            .columns()
            .filter((c) => c.type?.toUpperCase() === "DATETIME")
            .map((c) => c.name)
        : [];
      s = { statement, dateColumns };
      if (statements.size >= 1000) statements.clear(); // generated IN-lists must not grow it without bound
      statements.set(sql, s);
    }
    return s;
  };
  const prepared = (sql: string) => cached(sql).statement;
  const begin = db.prepare("BEGIN IMMEDIATE");
  const noBusyWait = db.prepare("PRAGMA busy_timeout = 0");
  const busyWait = db.prepare("PRAGMA busy_timeout = 5000");
  // SQLite's own busy handler sleeps on the event loop's thread: one locked shard would freeze every request
  // of the process for 5 s a write. So the lock is tried without waiting, and tried again off the loop.
  const beginBy = async (deadline: number, waitMs: number) => {
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      noBusyWait.run();
      try {
        begin.run();
        return;
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() + pause > deadline) throw lockedOut(label, waitMs);
      } finally {
        busyWait.run();
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
  // One connection, many concurrent requests: transactions take turns (a queue), and a transaction's own
  // statements go through the session object its callback receives. Statements on the connection itself
  // outside any transaction run at once; reads that must not see an open transaction use another connection.
  let turn: Promise<unknown> = Promise.resolve();
  const session = (inTransaction: boolean): SqlDatabase => {
    const self: SqlDatabase = {
      dialect: "sqlite",
      label,
      async query<T extends SqlRow>(sql: string, params: readonly unknown[] = []) {
        const { statement, dateColumns } = cached(sql);
        const rows = statement.all(...params.map(sqliteValue)) as SqlRow[];
        if (dateColumns.length > 0) {
          for (const row of rows) {
            for (const c of dateColumns) if (typeof row[c] === "string") row[c] = new Date(row[c]);
          }
        }
        return rows as T[];
      },
      async execute(sql, params = []) {
        return prepared(sql).run(...params.map(sqliteValue)).changes;
      },
      async executeScript(sql) {
        db.exec(sql);
      },
      async insertMany(table, columns, rows, options = {}) {
        if (rows.length === 0) return;
        const sql = `INSERT ${options.ignoreExisting ? "OR IGNORE " : ""}INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
        const statement = prepared(sql);
        for (const row of rows) statement.run(...row.map(sqliteValue));
      },
      async transaction(fn, options = {}) {
        if (inTransaction) return fn(self); // nested: joins the open transaction
        const deadline = Date.now() + (options.lockWaitMs ?? WRITE_LOCK_WAIT_MS);
        const run = async () => {
          await beginBy(deadline, options.lockWaitMs ?? WRITE_LOCK_WAIT_MS);
          try {
            const result = await fn(session(true));
            db.exec("COMMIT");
            return result;
          } catch (err) {
            if (db.inTransaction) db.exec("ROLLBACK");
            throw err;
          }
        };
        const result = turn.then(run, run);
        turn = result.catch(() => undefined);
        return result;
      },
      async snapshot(fn) {
        if (inTransaction) return fn(self);
        const run = async () => {
          db.exec("BEGIN DEFERRED"); // the snapshot starts at the first read and blocks no writer
          try {
            return await fn(session(true));
          } finally {
            if (db.inTransaction) db.exec("COMMIT");
          }
        };
        const result = turn.then(run, run);
        turn = result.catch(() => undefined);
        return result;
      },
      async close() {
        if (!inTransaction) db.close();
      },
    };
    return self;
  };
  return session(false);
}

// PostgreSQL limits a statement to 65,535 parameters.
const PG_MAX_PARAMS = 65_000;

function toPgPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

type PgQueryable = pg.Pool | pg.PoolClient;

/** lock_not_available: the session's lock_timeout passed while another session held the rows' lock. */
const lockTimeoutAs = (label: string) => (err: unknown) => {
  throw (err as { code?: unknown }).code === "55P03" ? lockedOut(label) : err;
};

function pgSession(queryable: PgQueryable, label: string, pool: pg.Pool, inTransaction: boolean): SqlDatabase {
  const self: SqlDatabase = {
    dialect: "postgresql",
    label,
    async query<T extends SqlRow>(sql: string, params: readonly unknown[] = []) {
      const result = await queryable.query(toPgPlaceholders(sql), pgParams(params)).catch(lockTimeoutAs(label));
      return result.rows as T[];
    },
    async execute(sql, params = []) {
      const result = await queryable.query(toPgPlaceholders(sql), pgParams(params)).catch(lockTimeoutAs(label));
      return result.rowCount ?? 0;
    },
    async executeScript(sql) {
      await queryable.query(sql).catch(lockTimeoutAs(label));
    },
    async insertMany(table, columns, rows, options = {}) {
      const perStatement = Math.max(1, Math.floor(PG_MAX_PARAMS / columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        const params: unknown[] = [];
        const tuples = chunk.map((row) => {
          const slots = row.map((value) => {
            params.push(pgValue(value));
            return `$${params.length}`;
          });
          return `(${slots.join(", ")})`;
        });
        await queryable.query(
          `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ${tuples.join(", ")}` +
            (options.ignoreExisting ? " ON CONFLICT DO NOTHING" : ""),
          params,
        );
      }
    },
    async transaction(fn, options = {}) {
      if (inTransaction) return fn(self);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        if (options.lockWaitMs !== undefined) await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockWaitMs))}`);
        const result = await fn(pgSession(client, label, pool, true));
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (err) {
        // A client whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
        const broken = await client.query("ROLLBACK").then(
          () => undefined,
          (rollbackError: Error) => rollbackError,
        );
        client.release(broken);
        throw err;
      }
    },
    async snapshot(fn) {
      if (inTransaction) return fn(self);
      const client = await pool.connect();
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        return await fn(pgSession(client, label, pool, true));
      } finally {
        await client.query("COMMIT").catch(() => undefined);
        client.release();
      }
    },
    async close() {
      if (!inTransaction) await pool.end();
    },
  };
  return self;
}

// BIGINT comes back as a string by default; the lab's BIGINTs (sequences, positions, counts) fit in a
// double. Set per pool, not globally, so Prisma's pg adapter keeps its own parsing.
// TIMESTAMP (without time zone) holds UTC, as Prisma writes it; pg would read it in the host's zone.
const labTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    if (oid === pg.types.builtins.TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Dates go out as UTC ISO text: pg would format them in the host's zone, and TIMESTAMP ignores zones. */
const pgValue = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));
const pgParams = (params: readonly unknown[]) => params.map(pgValue);

export function openPostgres(connectionString: string, label: string, maxConnections = 4): SqlDatabase {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    connectionTimeoutMillis: 5000,
    // A write waits this long for a lock another session holds, then fails (55P03) rather than hang.
    lock_timeout: WRITE_LOCK_WAIT_MS,
    types: labTypes,
  });
  // An idle client losing its server must not crash the process; the next query reports the error.
  pool.on("error", () => undefined);
  return pgSession(pool, label, pool, false);
}
