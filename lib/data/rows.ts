// Typed single-row statements for the write path (ADR 0006): the model's rows in, the model's rows out,
// through prepared raw SQL inside a shard transaction. Column lists come from the generated Prisma client
// (tables.ts), so a row here has exactly the fields Prisma would give.
import type {
  Claim,
  ClaimLine,
  Diagnosis,
  Encounter,
  EntityHistory,
  IdempotencyRecord,
  Medication,
  OutboxEvent,
  Patient,
  Procedure,
} from "./prisma-clients.ts";
import type { SqlDatabase } from "./sql-database.ts";
import { tableOf } from "./tables.ts";

export interface ModelRows {
  Patient: Patient;
  Encounter: Encounter;
  Diagnosis: Diagnosis;
  Procedure: Procedure;
  Medication: Medication;
  Claim: Claim;
  ClaimLine: ClaimLine;
  EntityHistory: EntityHistory;
  IdempotencyRecord: IdempotencyRecord;
  OutboxEvent: OutboxEvent;
}
export type RowModel = keyof ModelRows;

const q = (column: string) => `"${column}"`;
const conditions = (where: Record<string, unknown>) =>
  Object.keys(where)
    .map((c) => `${q(c)} = ?`)
    .join(" AND ");

/** The one row matching every `column = value` of `where`, or null. */
export async function selectRow<M extends RowModel>(db: SqlDatabase, model: M, where: Partial<ModelRows[M]>): Promise<ModelRows[M] | null> {
  const spec = tableOf(model);
  const sql = `SELECT ${spec.columns.map(q).join(", ")} FROM ${q(spec.table)} WHERE ${conditions(where)} LIMIT 1`;
  const [row] = await db.query(sql, Object.values(where));
  return (row as ModelRows[M] | undefined) ?? null;
}

/** Rows matching `where`, ordered by the given columns. */
export async function selectRows<M extends RowModel>(
  db: SqlDatabase,
  model: M,
  where: Partial<ModelRows[M]>,
  orderBy: readonly (keyof ModelRows[M] & string)[],
): Promise<ModelRows[M][]> {
  const spec = tableOf(model);
  const sql = `SELECT ${spec.columns.map(q).join(", ")} FROM ${q(spec.table)} WHERE ${conditions(where)} ORDER BY ${orderBy.map(q).join(", ")}`;
  return (await db.query(sql, Object.values(where))) as ModelRows[M][];
}

/** Inserts a row (the fields given, undefined ones left out for database defaults) and returns it. */
export async function insertRow<M extends RowModel, R extends Partial<ModelRows[M]>>(db: SqlDatabase, model: M, row: R): Promise<R> {
  const spec = tableOf(model);
  const columns = spec.columns.filter((c) => (row as Record<string, unknown>)[c] !== undefined);
  await db.insertMany(spec.table, columns, [columns.map((c) => (row as Record<string, unknown>)[c])]);
  return row;
}

/**
 * Sets `change` on the row with this id, only if it is still at `version` (optimistic concurrency), and
 * moves it to version + 1. Returns the row after the change, or null when the version did not match.
 */
export async function updateVersionedRow<M extends RowModel>(
  db: SqlDatabase,
  model: M,
  before: ModelRows[M] & { id: string; version: number },
  change: Partial<ModelRows[M]>,
): Promise<ModelRows[M] | null> {
  const spec = tableOf(model);
  // Like Prisma, a field given as undefined is left as it is.
  const set = Object.fromEntries(Object.entries({ ...change, version: before.version + 1 }).filter(([, v]) => v !== undefined));
  const columns = Object.keys(set);
  const changed = await db.execute(`UPDATE ${q(spec.table)} SET ${columns.map((c) => `${q(c)} = ?`).join(", ")} WHERE "id" = ? AND "version" = ?`, [
    ...columns.map((c) => set[c]),
    before.id,
    before.version,
  ]);
  return changed === 0 ? null : ({ ...before, ...set } as ModelRows[M]);
}
