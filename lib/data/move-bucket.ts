// Moves one virtual bucket (the patients hashed into it, with all their rows) to another shard. The
// protocol keeps exactly one shard serving the bucket at any moment (ADR 0003):
//   1. the map marks the bucket "moving" (compare-and-set on its version);
//   2. the source fences the bucket under its write lock: from then on no write to it commits there;
//   3. the target fences it too, so the copy is invisible to reads until it is verified;
//   4. the copy is written in one target transaction and verified table by table against the source;
//   5. the target lifts its fence, the map flips (compare-and-set), and the source's rows are deleted
//      (the source keeps its fence: it no longer owns the bucket).
// A copy that does not verify is removed and the bucket returns to its source. An interrupted move leaves
// the bucket "moving": running the move again with `resume` finishes it. The shard's audit chain stays put (it is that
// shard's log); unpublished outbox events travel with their patients so the relay still sends them.
import { createHash, randomUUID } from "node:crypto";
import { LabError } from "../errors/index.ts";
import type { LabDatabases } from "./lab-databases.ts";
import { BUCKET_COUNT } from "./shard-map.ts";
import type { SqlDatabase, SqlRow } from "./sql-database.ts";
import { PATIENT_ROOTED_TABLES, type TableSpec, tableOf } from "./tables.ts";

export interface MoveBucketOptions {
  actorId: string;
  /** Take over a bucket left "moving" by a move that died. Without it a moving bucket is a 409. */
  resume?: boolean;
  now?: () => Date;
  /** Runs after the copy commits and before verification: lets a test corrupt the copy. */
  afterCopy?: (target: SqlDatabase, patientIds: string[]) => Promise<void>;
}

export interface MoveBucketReport {
  bucket: number;
  fromShard: number;
  toShard: number;
  patients: number;
  rowsByTable: Record<string, number>;
  checksum: string;
}

const OUTBOX = tableOf("OutboxEvent");
const OUTBOX_COPY_COLUMNS = OUTBOX.columns.filter((c) => c !== "position");
const ID_CHUNK = 400;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function readRows(db: SqlDatabase, spec: TableSpec, patientIds: string[], columns = spec.columns, extra = ""): Promise<SqlRow[]> {
  const patientColumn = spec.patientColumn ?? "partitionKey";
  const rows: SqlRow[] = [];
  for (const ids of chunks(patientIds, ID_CHUNK)) {
    rows.push(
      ...(await db.query(
        `SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${spec.table}" WHERE "${patientColumn}" IN (${ids.map(() => "?").join(", ")})${extra}`,
        ids,
      )),
    );
  }
  return rows;
}

async function deleteRows(db: SqlDatabase, spec: TableSpec, patientIds: string[], extra = ""): Promise<void> {
  const patientColumn = spec.patientColumn ?? "partitionKey";
  for (const ids of chunks(patientIds, ID_CHUNK)) {
    await db.execute(`DELETE FROM "${spec.table}" WHERE "${patientColumn}" IN (${ids.map(() => "?").join(", ")})${extra}`, ids);
  }
}

const canonicalValue = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : v);

/** Order-independent checksum of rows: hash of the rows' canonical JSON, sorted. */
export function rowsChecksum(rows: readonly SqlRow[], columns: readonly string[]): string {
  const lines = rows.map((r) => JSON.stringify(columns.map((c) => canonicalValue(r[c])))).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

const UNPUBLISHED = ` AND "publishedAt" IS NULL`;

async function snapshot(db: SqlDatabase, patientIds: string[]) {
  const tables: { spec: TableSpec; columns: readonly string[]; rows: SqlRow[] }[] = [];
  for (const spec of PATIENT_ROOTED_TABLES) tables.push({ spec, columns: spec.columns, rows: await readRows(db, spec, patientIds) });
  tables.push({
    spec: OUTBOX,
    columns: OUTBOX_COPY_COLUMNS,
    rows: await readRows(db, OUTBOX, patientIds, OUTBOX_COPY_COLUMNS, `${UNPUBLISHED} ORDER BY "position"`),
  });
  return tables;
}

async function removeCopies(db: SqlDatabase, patientIds: string[]) {
  await db.transaction(async (tx) => {
    await deleteRows(tx, OUTBOX, patientIds, UNPUBLISHED);
    for (const spec of [...PATIENT_ROOTED_TABLES].reverse()) await deleteRows(tx, spec, patientIds);
  });
}

/** Compare-and-set on the bucket's version, so two moves of one bucket cannot both proceed. */
async function setBucket(lab: LabDatabases, bucket: number, expectedVersion: number, shard: number, state: "active" | "moving", at: Date): Promise<number> {
  const changed = await lab.control.sql.execute(
    `UPDATE "shard_buckets" SET "shard" = ?, "state" = ?, "version" = "version" + 1, "updatedAt" = ? WHERE "bucket" = ? AND "version" = ?`,
    [shard, state, at, bucket, expectedVersion],
  );
  await lab.reloadShardMap();
  if (changed !== 1) throw new LabError("conflict", `bucket ${bucket} was changed by another move; look at the shard map and retry`, { field: "bucket" });
  return expectedVersion + 1;
}

/** Sets or lifts a shard's fence on a bucket under the shard's write lock (the audit chain head row). */
async function setFence(db: SqlDatabase, bucket: number, fenced: boolean, reason: string, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(`UPDATE "audit_chain_head" SET "sequence" = "sequence" WHERE "id" = 1`);
    if (fenced) await tx.insertMany("bucket_fences", ["bucket", "reason", "createdAt"], [[bucket, reason, at]], { ignoreExisting: true });
    else await tx.execute(`DELETE FROM "bucket_fences" WHERE "bucket" = ?`, [bucket]);
  });
}

export async function moveBucket(lab: LabDatabases, bucket: number, toShard: number, options: MoveBucketOptions): Promise<MoveBucketReport> {
  const now = options.now ?? (() => new Date());
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= BUCKET_COUNT) {
    throw new LabError("invalid", `bucket must be a whole number from 0 to ${BUCKET_COUNT - 1}`, { field: "bucket" });
  }
  if (!Number.isInteger(toShard) || toShard < 0 || toShard >= lab.shards.length) {
    throw new LabError("invalid", `target shard must be from 0 to ${lab.shards.length - 1}`, { field: "toShard" });
  }
  await lab.reloadShardMap();
  const current = lab.shardMap.assignment(bucket);
  const fromShard = current.shard;
  if (fromShard === toShard) throw new LabError("conflict", `bucket ${bucket} is already on shard ${toShard}`, { field: "toShard" });
  const source = lab.shards[fromShard]!.sql;
  const target = lab.shards[toShard]!.sql;
  const reason = `bucket ${bucket} moving from shard ${fromShard} to shard ${toShard}`;

  // A move in progress is not taken over by accident; one that died is resumed when asked to.
  if (current.state === "moving" && !options.resume) {
    throw new LabError("conflict", `bucket ${bucket} is being moved; if that move was interrupted, run it again with resume`, { field: "bucket" });
  }
  const version = await setBucket(lab, bucket, current.version, fromShard, "moving", now());
  await setFence(source, bucket, true, reason, now());
  await setFence(target, bucket, true, reason, now());
  const patientIds = (await source.query<{ id: string }>(`SELECT "id" FROM "patients" WHERE "bucket" = ? ORDER BY "id"`, [bucket])).map((r) => r.id);
  const before = await snapshot(source, patientIds);

  try {
    await target.transaction(async (tx) => {
      // A copy left by an earlier, interrupted move of this bucket is replaced, not duplicated.
      await deleteRows(tx, OUTBOX, patientIds, UNPUBLISHED);
      for (const spec of [...PATIENT_ROOTED_TABLES].reverse()) await deleteRows(tx, spec, patientIds);
      for (const t of before)
        await tx.insertMany(
          t.spec.table,
          t.columns,
          t.rows.map((r) => t.columns.map((c) => r[c])),
        );
    });
    await options.afterCopy?.(target, patientIds);
    const after = await snapshot(target, patientIds);
    for (const [i, t] of before.entries()) {
      const copied = after[i]!;
      if (copied.rows.length !== t.rows.length || rowsChecksum(copied.rows, t.columns) !== rowsChecksum(t.rows, t.columns)) {
        throw new LabError(
          "conflict",
          `bucket ${bucket}: the copy of ${t.spec.table} on shard ${toShard} does not match shard ${fromShard}; nothing was moved`,
        );
      }
    }
  } catch (err) {
    // Put everything back as it was; a failure while doing so must not hide the original error.
    await removeCopies(target, patientIds).catch(() => undefined);
    await setFence(source, bucket, false, reason, now()).catch(() => undefined);
    await setBucket(lab, bucket, version, fromShard, "active", now()).catch(() => undefined);
    throw err;
  }

  await setFence(target, bucket, false, reason, now());
  await setBucket(lab, bucket, version, toShard, "active", now());
  await removeCopies(source, patientIds);

  const rowsByTable = Object.fromEntries(before.map((t) => [t.spec.table, t.rows.length]));
  const checksum = createHash("sha256")
    .update(before.map((t) => rowsChecksum(t.rows, t.columns)).join(""))
    .digest("hex");
  await lab.control.sql.execute(
    `INSERT INTO "annotations" ("id", "at", "endAt", "kind", "title", "body", "tags", "actorId", "drillRunId", "traceId") VALUES (?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL)`,
    [
      `ann-${randomUUID()}`,
      now(),
      "shard.bucket-moved",
      `Bucket ${bucket} moved from shard ${fromShard} to shard ${toShard}`,
      JSON.stringify({ patients: patientIds.length, rowsByTable, checksum }),
      JSON.stringify(["shard", `bucket:${bucket}`]),
      options.actorId,
    ],
  );
  return { bucket, fromShard, toShard, patients: patientIds.length, rowsByTable, checksum };
}
