// Bucket ownership fences on each shard (ADR 0003). A fenced bucket's rows on a shard are not that shard's
// to serve: writers refuse them inside their transaction, and cross-shard reads leave them out, so a copy in
// flight or left behind by an interrupted move is never seen twice.
import { LabError } from "../errors/index.ts";
import type { ShardTx } from "./shard-transaction.ts";
import type { SqlDatabase } from "./sql-database.ts";

/** The buckets fenced on a shard (read on the shard's read connection). */
export async function fencedBuckets(db: SqlDatabase): Promise<number[]> {
  return (await db.query<{ bucket: number }>(`SELECT "bucket" FROM "bucket_fences"`)).map((f) => Number(f.bucket));
}

/** `where` for patients this shard owns. */
export const ownedPatients = (fenced: number[]) => (fenced.length ? { bucket: { notIn: fenced } } : {});

/** `where` for patient-rooted rows (encounters, claims, ...) this shard owns. */
export const ownedByPatient = (fenced: number[]) => (fenced.length ? { patient: { bucket: { notIn: fenced } } } : {});

/**
 * Raw SQL's `where` for the rows a shard owns, like `ownedPatients` / `ownedByPatient` for Prisma (given the
 * shard's `fencedBuckets`): the condition on the patients table (`bucket`) or on patient-rooted rows
 * (`patientId`), and its arguments.
 */
export function ownedRowsCondition(fenced: readonly number[], column: "bucket" | "patientId"): { sql: string; args: number[] } {
  if (fenced.length === 0) return { sql: "1 = 1", args: [] };
  const list = fenced.map(() => "?").join(", ");
  return column === "bucket"
    ? { sql: `"bucket" NOT IN (${list})`, args: [...fenced] }
    : { sql: `"patientId" NOT IN (SELECT "id" FROM "patients" WHERE "bucket" IN (${list}))`, args: [...fenced] };
}

/**
 * Takes the shard's write lock (the audit chain head row) and refuses if the bucket is fenced here. Run it
 * first in every write transaction: a bucket move fences under the same lock, so no write slips past it.
 */
export async function lockShardForBucket(tx: ShardTx, bucket: number): Promise<void> {
  await tx.execute(`UPDATE "audit_chain_head" SET "sequence" = "sequence" WHERE "id" = 1`);
  if ((await tx.query(`SELECT 1 AS "fenced" FROM "bucket_fences" WHERE "bucket" = ?`, [bucket])).length > 0) {
    throw new LabError("unavailable", `bucket ${bucket} is not served by this shard (it is moving or has moved); retry shortly`);
  }
}
