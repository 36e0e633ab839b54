// A page of one patient's rows of a table, from the patient's shard: the single-patient list reads are hot
// paths, so prepared raw SQL on the shard's read connection (ADR 0006), in (date column, id) order.
import { type Page, type PageKey, type PageRequest, afterKeySql, scatterPage } from "./cross-shard-page.ts";
import type { LabDatabases } from "./lab-databases.ts";
import type { ModelRows } from "./rows.ts";
import { selectList, tableOf } from "./tables.ts";

export async function patientRowsPage<M extends "Claim" | "Encounter">(
  lab: LabDatabases,
  model: M,
  sortColumn: keyof ModelRows[M] & string,
  keyOf: (row: ModelRows[M]) => PageKey,
  patientId: string,
  page: PageRequest,
): Promise<Page<ModelRows[M]>> {
  const sql = (after: string) =>
    `SELECT ${selectList(model)} FROM "${tableOf(model).table}" WHERE "patientId" = ? AND ${after} ORDER BY "${sortColumn}", "id" LIMIT ?`;
  return scatterPage(
    [lab.shardForPatient(patientId)],
    async (shard, after, take) => {
      const cursor = afterKeySql(sortColumn, after, true);
      return (await shard.readSql.query(sql(cursor.sql), [patientId, ...cursor.params, take])) as ModelRows[M][];
    },
    keyOf,
    page,
  );
}
