// The embedded event bus: a partitioned append-only log in one SQLite file (under .lab/ in embedded mode),
// with consumer-group offsets, seeks, lag and time-based retention. Several processes may publish (each
// append is one IMMEDIATE transaction); one process at a time consumes a group (a lease, renewed while it
// runs and taken over once it lapses, so a killed consumer's group resumes from its last commit).
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { migrate, readMigrations } from "../data/migrations.ts";
import { type SqlDatabase, openSqlite } from "../data/sql-database.ts";
import type { BusMessage, Delivery, EventBus, PartitionLag, SeekTarget, SubscribeOptions, Subscription } from "./bus.ts";
import { partitionOf } from "./bus.ts";

export interface EmbeddedLogOptions {
  file: string;
  partitions?: number;
  /** How long a consumer's lease on its group lasts without renewal. */
  leaseMs?: number;
  /** How often an idle consumer looks for new messages. */
  pollMs?: number;
  /** How long a consumer waits before redelivering a batch its handler failed. */
  retryMs?: number;
}

type RecordRow = {
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: string;
  timestamp: number;
};

export async function openEmbeddedLog(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
  const db = openSqlite(options.file, "event-log");
  await migrate(db, readMigrations(join(import.meta.dirname, "migrations")));
  return new EmbeddedLog(db, options);
}

export class EmbeddedLog implements EventBus {
  readonly kind = "embedded";
  readonly partitions: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryMs: number;
  private readonly subscriptions = new Set<Subscription>();
  private readonly wake = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly db: SqlDatabase,
    options: EmbeddedLogOptions,
  ) {
    this.partitions = options.partitions ?? 8;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.pollMs = options.pollMs ?? 25;
    this.retryMs = options.retryMs ?? 200;
  }

  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      const ends = new Map(
        (await tx.query<{ partition: number; next_offset: number }>(`SELECT "partition", "next_offset" FROM "log_ends" WHERE "topic" = ?`, [topic])).map(
          (r) => [r.partition, r.next_offset],
        ),
      );
      const rows: unknown[][] = [];
      for (const m of messages) {
        const partition = partitionOf(m.key, this.partitions);
        const offset = ends.get(partition) ?? 0;
        ends.set(partition, offset + 1);
        rows.push([topic, partition, offset, m.key, m.value, JSON.stringify(m.headers ?? {}), now]);
      }
      await tx.insertMany("log_records", ["topic", "partition", "offset", "key", "value", "headers", "timestamp"], rows);
      for (const [partition, next] of ends) {
        await tx.execute(
          `INSERT INTO "log_ends" ("topic", "partition", "next_offset") VALUES (?, ?, ?) ON CONFLICT ("topic", "partition") DO UPDATE SET "next_offset" = excluded."next_offset"`,
          [topic, partition, next],
        );
      }
    });
    for (const w of this.wake) w();
  }

  async subscribe(options: SubscribeOptions, handle: (batch: Delivery[]) => Promise<void>): Promise<Subscription> {
    if (this.closed) throw new Error("the event log is closed");
    const owner = randomUUID();
    const maxBatch = options.maxBatch ?? 500;
    let stopping = false;
    let nudge: () => void = () => undefined;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        nudge = done;
      });
    const wakeUp = () => nudge();
    this.wake.add(wakeUp);

    const loop = async () => {
      let leaseUntil = 0;
      let positions: Map<number, number> | null = null; // read from the commits whenever the lease is (re)taken
      let startFrom = 0; // rotates which partition is read first, so none starves
      while (!stopping) {
        if (Date.now() > leaseUntil - this.leaseMs / 2) {
          if (!(await this.takeLease(options, owner))) {
            positions = null;
            await sleep(this.pollMs * 4); // another process holds the group: stand by
            continue;
          }
          if (Date.now() > leaseUntil) positions = null; // lapsed: another consumer may have committed meanwhile
          leaseUntil = Date.now() + this.leaseMs;
        }
        positions ??= await this.startPositions(options, owner);
        // One read of the partitions' ends says which have records past this group's positions: an idle
        // consumer polls that small table, not every partition's records (8 reads a poll, 40 polls a second).
        const ends = await this.endOffsets(options.topic);
        const batch: Delivery[] = [];
        for (let i = 0; i < this.partitions && batch.length < maxBatch; i++) {
          const partition = (startFrom + i) % this.partitions;
          if ((ends.get(partition) ?? 0) <= positions.get(partition)!) continue;
          const rows = await this.db.query<RecordRow>(
            `SELECT "partition", "offset", "key", "value", "headers", "timestamp" FROM "log_records" WHERE "topic" = ? AND "partition" = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?`,
            [options.topic, partition, positions.get(partition)!, maxBatch - batch.length],
          );
          for (const r of rows)
            batch.push({
              topic: options.topic,
              partition: r.partition,
              offset: r.offset,
              key: r.key,
              value: r.value,
              headers: JSON.parse(r.headers) as Record<string, string>,
              timestamp: r.timestamp,
            });
        }
        startFrom = (startFrom + 1) % this.partitions;
        if (batch.length === 0) {
          await sleep(this.pollMs);
          continue;
        }
        try {
          await handle(batch);
        } catch {
          await sleep(this.retryMs); // not committed: the same messages come again
          continue;
        }
        const next = await this.commit(options, owner, batch);
        if (next) for (const [partition, offset] of next) positions.set(partition, offset);
        else leaseUntil = 0; // lost the lease meanwhile: take it again (and re-read the commits) before reading on
      }
      await this.db.execute(`DELETE FROM "group_leases" WHERE "group_id" = ? AND "topic" = ? AND "owner" = ?`, [options.group, options.topic, owner]);
    };
    const run = loop().finally(() => this.wake.delete(wakeUp));
    const subscription: Subscription = {
      stop: async () => {
        stopping = true;
        nudge();
        await run;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async seek(group: string, topic: string, target: SeekTarget): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [lease] = await tx.query(`SELECT 1 AS "held" FROM "group_leases" WHERE "group_id" = ? AND "topic" = ? AND "expires_at" > ?`, [
        group,
        topic,
        Date.now(),
      ]);
      if (lease) throw new Error(`consumer group ${group} is running; stop it before seeking`);
      for (let partition = 0; partition < this.partitions; partition++) {
        const offset = await this.offsetFor(tx, topic, partition, target);
        if (offset === null) continue;
        await tx.execute(
          `INSERT INTO "group_offsets" ("group_id", "topic", "partition", "next_offset") VALUES (?, ?, ?, ?) ON CONFLICT ("group_id", "topic", "partition") DO UPDATE SET "next_offset" = excluded."next_offset"`,
          [group, topic, partition, offset],
        );
      }
    });
  }

  async lag(group: string, topic: string): Promise<PartitionLag[]> {
    const positions = await this.positions({ group, topic, fromBeginning: true });
    const ends = await this.endOffsets(topic);
    return [...Array(this.partitions).keys()].map((partition) => {
      const end = ends.get(partition) ?? 0;
      const committed = positions.get(partition)!;
      return { partition, committed, end, lag: Math.max(0, end - committed) };
    });
  }

  /** A topic of the embedded log is its rows: there is nothing to create. */
  async ensureTopic(_topic: string): Promise<void> {}

  async offsetsAt(topic: string, at: Date): Promise<Record<number, number>> {
    const partitions = [...Array(this.partitions).keys()];
    const offsets = await Promise.all(partitions.map((p) => this.offsetFor(this.db, topic, p, { timestamp: at })));
    return Object.fromEntries(partitions.map((p, i) => [p, offsets[i] ?? 0]));
  }

  async ends(topic: string): Promise<Record<number, number>> {
    const ends = await this.endOffsets(topic);
    return Object.fromEntries([...Array(this.partitions).keys()].map((p) => [p, ends.get(p) ?? 0]));
  }

  async deleteBefore(topic: string, offsets: Record<number, number>): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [partition, offset] of Object.entries(offsets))
        await tx.execute(`DELETE FROM "log_records" WHERE "topic" = ? AND "partition" = ? AND "offset" < ?`, [topic, Number(partition), offset]);
    });
  }

  /** Retention: deletes messages appended before `before`; offsets keep counting from where they were. */
  async prune(topic: string, before: Date): Promise<number> {
    return this.db.execute(`DELETE FROM "log_records" WHERE "topic" = ? AND "timestamp" < ?`, [topic, before.getTime()]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.db.close();
  }

  private async endOffsets(topic: string): Promise<Map<number, number>> {
    const rows = await this.db.query<{ partition: number; next_offset: number }>(`SELECT "partition", "next_offset" FROM "log_ends" WHERE "topic" = ?`, [
      topic,
    ]);
    return new Map(rows.map((r) => [r.partition, r.next_offset]));
  }

  /**
   * Where the group reads next on every partition: its commit, else the oldest kept message or the end.
   * A running group records its start on every partition at once, so messages that reach a partition it
   * has not read yet are not skipped as "before its start" the next time it starts.
   */
  private async startPositions(options: SubscribeOptions, owner: string): Promise<Map<number, number>> {
    const positions = await this.positions(options);
    await this.commitOffsets(options, owner, positions);
    return positions;
  }

  private async positions(options: Pick<SubscribeOptions, "group" | "topic" | "fromBeginning">): Promise<Map<number, number>> {
    const committed = new Map(
      (
        await this.db.query<{ partition: number; next_offset: number }>(
          `SELECT "partition", "next_offset" FROM "group_offsets" WHERE "group_id" = ? AND "topic" = ?`,
          [options.group, options.topic],
        )
      ).map((r) => [r.partition, r.next_offset]),
    );
    const out = new Map<number, number>();
    for (let partition = 0; partition < this.partitions; partition++) {
      const start =
        committed.get(partition) ?? (await this.offsetFor(this.db, options.topic, partition, options.fromBeginning ? { earliest: true } : { latest: true }))!;
      out.set(partition, start);
    }
    return out;
  }

  private async offsetFor(db: SqlDatabase, topic: string, partition: number, target: SeekTarget): Promise<number | null> {
    const [end] = await db.query<{ next_offset: number }>(`SELECT "next_offset" FROM "log_ends" WHERE "topic" = ? AND "partition" = ?`, [topic, partition]);
    const endOffset = end?.next_offset ?? 0;
    if ("latest" in target) return endOffset;
    if ("offsets" in target) return target.offsets[partition] ?? null;
    const [row] =
      "earliest" in target
        ? await db.query<{ offset: number }>(`SELECT MIN("offset") AS "offset" FROM "log_records" WHERE "topic" = ? AND "partition" = ?`, [topic, partition])
        : await db.query<{ offset: number }>(`SELECT MIN("offset") AS "offset" FROM "log_records" WHERE "topic" = ? AND "partition" = ? AND "timestamp" >= ?`, [
            topic,
            partition,
            target.timestamp.getTime(),
          ]);
    return row?.offset ?? endOffset;
  }

  private async takeLease(options: SubscribeOptions, owner: string): Promise<boolean> {
    const now = Date.now();
    const changed = await this.db.execute(
      `INSERT INTO "group_leases" ("group_id", "topic", "owner", "expires_at") VALUES (?, ?, ?, ?)
       ON CONFLICT ("group_id", "topic") DO UPDATE SET "owner" = excluded."owner", "expires_at" = excluded."expires_at"
       WHERE "group_leases"."owner" = excluded."owner" OR "group_leases"."expires_at" < ?`,
      [options.group, options.topic, owner, now + this.leaseMs, now],
    );
    return changed > 0;
  }

  /** Commits a handled batch, only while this consumer still holds the group's lease; null when it does not. */
  private async commit(options: SubscribeOptions, owner: string, batch: Delivery[]): Promise<Map<number, number> | null> {
    const next = new Map<number, number>();
    for (const d of batch) next.set(d.partition, Math.max(next.get(d.partition) ?? 0, d.offset + 1));
    return (await this.commitOffsets(options, owner, next)) ? next : null;
  }

  private async commitOffsets(options: SubscribeOptions, owner: string, offsets: Map<number, number>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [lease] = await tx.query(`SELECT 1 AS "held" FROM "group_leases" WHERE "group_id" = ? AND "topic" = ? AND "owner" = ?`, [
        options.group,
        options.topic,
        owner,
      ]);
      if (!lease) return false;
      for (const [partition, offset] of offsets) {
        await tx.execute(
          `INSERT INTO "group_offsets" ("group_id", "topic", "partition", "next_offset") VALUES (?, ?, ?, ?) ON CONFLICT ("group_id", "topic", "partition") DO UPDATE SET "next_offset" = excluded."next_offset"`,
          [options.group, options.topic, partition, offset],
        );
      }
      return true;
    });
  }
}
