// The lab's tables as the raw-SQL paths see them, with column lists taken from the generated Prisma client
// so they cannot drift from the schema.
import { Prisma } from "./generated/sqlite/client.ts";

export interface TableSpec {
  model: Prisma.ModelName;
  table: string;
  key: string;
  columns: readonly string[];
  /** The column holding the patient id, for patient-rooted tables. */
  patientColumn?: string;
}

const columnsOf = (fields: Record<string, string>) => Object.values(fields);

/** Patient-rooted tables in the order a foreign key allows inserting them (delete in reverse). */
export const PATIENT_ROOTED_TABLES: readonly TableSpec[] = [
  { model: "Patient", table: "patients", key: "id", patientColumn: "id", columns: columnsOf(Prisma.PatientScalarFieldEnum) },
  { model: "Encounter", table: "encounters", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.EncounterScalarFieldEnum) },
  { model: "Diagnosis", table: "diagnoses", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.DiagnosisScalarFieldEnum) },
  { model: "Procedure", table: "procedures", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.ProcedureScalarFieldEnum) },
  { model: "Medication", table: "medications", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.MedicationScalarFieldEnum) },
  { model: "Claim", table: "claims", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.ClaimScalarFieldEnum) },
  { model: "ClaimLine", table: "claim_lines", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.ClaimLineScalarFieldEnum) },
  { model: "EntityHistory", table: "entity_history", key: "id", patientColumn: "patientId", columns: columnsOf(Prisma.EntityHistoryScalarFieldEnum) },
  {
    model: "IdempotencyRecord",
    table: "idempotency_records",
    key: "key",
    patientColumn: "patientId",
    columns: columnsOf(Prisma.IdempotencyRecordScalarFieldEnum),
  },
];

/** Shard tables that belong to the shard's own log rather than to a patient: they never move. */
export const SHARD_LOG_TABLES: readonly TableSpec[] = [
  { model: "AuditEntry", table: "audit_entries", key: "sequence", columns: columnsOf(Prisma.AuditEntryScalarFieldEnum) },
  { model: "OutboxEvent", table: "outbox_events", key: "position", columns: columnsOf(Prisma.OutboxEventScalarFieldEnum) },
];

export const CONTROL_TABLES: readonly TableSpec[] = [
  { model: "Facility", table: "facilities", key: "id", columns: columnsOf(Prisma.FacilityScalarFieldEnum) },
  { model: "Provider", table: "providers", key: "id", columns: columnsOf(Prisma.ProviderScalarFieldEnum) },
  { model: "User", table: "users", key: "id", columns: columnsOf(Prisma.UserScalarFieldEnum) },
  { model: "ShardBucket", table: "shard_buckets", key: "bucket", columns: columnsOf(Prisma.ShardBucketScalarFieldEnum) },
  { model: "DrillRun", table: "drill_runs", key: "id", columns: columnsOf(Prisma.DrillRunScalarFieldEnum) },
  { model: "Annotation", table: "annotations", key: "id", columns: columnsOf(Prisma.AnnotationScalarFieldEnum) },
];

export function tableOf(model: Prisma.ModelName): TableSpec {
  const spec = [...PATIENT_ROOTED_TABLES, ...SHARD_LOG_TABLES, ...CONTROL_TABLES].find((t) => t.model === model);
  if (!spec) throw new Error(`no table for model ${model}`);
  return spec;
}

/** Rows as objects keyed by field name -> value arrays in the table's column order. */
export function rowValues(spec: TableSpec, rows: readonly object[]): unknown[][] {
  return rows.map((row) => spec.columns.map((c) => (row as Record<string, unknown>)[c] ?? null));
}

/** `"col1", "col2", ...` of a table, for raw SELECTs that must return exactly the model's fields. */
export function selectList(model: Prisma.ModelName, alias?: string): string {
  return tableOf(model)
    .columns.map((c) => (alias ? `${alias}."${c}"` : `"${c}"`))
    .join(", ");
}
