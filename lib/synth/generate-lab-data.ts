// Fills a prepared lab with synthetic data: reference rows into the control database, then patients in
// batches, each batch one transaction per shard, so an interrupted run leaves only whole patients behind
// and a rerun with the same seed skips what is there and finishes the rest. Each patient's record also
// goes into the shard's outbox as a snapshot event, in the same transaction: seeding is history too.
import { LabError } from "../errors/index.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { bucketOf } from "../data/shard-map.ts";
import { rowValues, tableOf } from "../data/tables.ts";
import { createPseudonymizer } from "../privacy/pseudonymize.ts";
import { generateReference } from "./generate-reference.ts";
import { type GeneratedModel, type GeneratedPatient, generatePatient, patientIdFor, patientRecordOf } from "./generate-patient.ts";
import { personaUsers } from "./personas.ts";
import { type DomainEvent, OUTBOX_INSERT_COLUMNS, outboxRowOf } from "../events/outbox.ts";
import { catalogEventOf, patientSnapshotEvent, snapshotFacts } from "../events/patient-snapshot.ts";
import { type FacilityRef, createSynthContext } from "./synth-context.ts";

export interface GenerateOptions {
  patients: number;
  seed: number;
  facilities?: number;
  batchSize?: number;
  asOf?: Date;
  onProgress?: (progress: GenerateProgress) => void;
  /**
   * How each patient's history enters the stream: one snapshot event (seeding: ADR 0018), or every catalog
   * event the API would have emitted for the record, at the times its rows carry (bench:events uses this
   * to give a lab a day's worth of event volume without waiting a day).
   */
  history?: "snapshot" | "events";
  /** Sees each generated patient, clear identifiers included (tests use it to prove none is stored). */
  onPatient?: (patient: GeneratedPatient) => void;
}

export interface GenerateProgress {
  done: number;
  total: number;
  written: number;
  skipped: number;
  rows: number;
}

export interface GenerateReport extends GenerateProgress {
  seconds: number;
  rowsByTable: Record<string, number>;
}

const WRITE_ORDER: readonly GeneratedModel[] = ["Patient", "Encounter", "Diagnosis", "Procedure", "Medication", "Claim", "ClaimLine"];

export async function generateLabData(lab: LabDatabases, options: GenerateOptions): Promise<GenerateReport> {
  const started = performance.now();
  const pseudonymize = createPseudonymizer(lab.config.privacySecret);
  const facilityCount = options.facilities ?? 12;
  // Large batches: each commit rewrites the index pages it touched, so fewer, bigger commits write far less
  // (measured: 20,000 patients in 12.8 s at 500 per batch, 7.0 s at 10,000).
  const batchSize = options.batchSize ?? 10_000;

  const base = createSynthContext({ seed: options.seed, asOf: options.asOf, facilities: [], pseudonymize });
  const reference = generateReference(base, facilityCount);
  const facilitySpec = tableOf("Facility");
  const providerSpec = tableOf("Provider");
  await lab.control.sql.transaction(async (tx) => {
    await tx.insertMany(facilitySpec.table, facilitySpec.columns, rowValues(facilitySpec, reference.facilities), { ignoreExisting: true });
    await tx.insertMany(providerSpec.table, providerSpec.columns, rowValues(providerSpec, reference.providers), { ignoreExisting: true });
  });
  const facilities = await loadFacilityRefs(lab);
  const ctx = { ...base, facilities };

  const progress: GenerateProgress = { done: 0, total: options.patients, written: 0, skipped: 0, rows: 0 };
  const rowsByTable: Record<string, number> = {};
  for (let start = 0; start < options.patients; start += batchSize) {
    const end = Math.min(options.patients, start + batchSize);
    const ids = new Map<number, string>();
    for (let i = start; i < end; i++) ids.set(i, patientIdFor(ctx, i));
    const existing = await existingPatientIds(lab, [...ids.values()]);

    const perShard = new Map<number, GeneratedPatient[]>();
    for (const [index, id] of ids) {
      if (existing.has(id)) {
        progress.skipped++;
        continue;
      }
      const assignment = lab.shardMap.assignment(bucketOf(id));
      if (assignment.state !== "active") {
        throw new LabError("unavailable", `bucket ${assignment.bucket} is moving; run the generator again when the move is done`);
      }
      const patient = generatePatient(ctx, index);
      options.onPatient?.(patient);
      const list = perShard.get(assignment.shard) ?? [];
      list.push(patient);
      perShard.set(assignment.shard, list);
    }

    await Promise.all(
      [...perShard].map(([shard, patients]) =>
        lab.shards[shard]!.sql.transaction(async (tx) => {
          for (const model of WRITE_ORDER) {
            const spec = tableOf(model);
            // Key order: ids are random, and inserting them sorted keeps each B-tree page hot for the batch.
            const rows = patients.flatMap((p) => p.rows[model]).sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
            await tx.insertMany(spec.table, spec.columns, rowValues(spec, rows));
            rowsByTable[spec.table] = (rowsByTable[spec.table] ?? 0) + rows.length;
            progress.rows += rows.length;
          }
          // Each patient's history in the stream, in the transaction of its rows (ADR 0018).
          const headers = { requestId: `lab-seed-${options.seed}`, traceparent: null, actorId: "lab-seed", shard };
          const events = patients.flatMap((p) =>
            historyOf(p, ctx.asOf, options.history ?? "snapshot").map((e) => outboxRowOf(e.event, headers, e.occurredAt, false)),
          );
          await tx.insertMany(
            "outbox_events",
            OUTBOX_INSERT_COLUMNS,
            events.map((e) => OUTBOX_INSERT_COLUMNS.map((c) => e[c])),
          );
          rowsByTable.outbox_events = (rowsByTable.outbox_events ?? 0) + events.length;
        }),
      ),
    );
    for (const patients of perShard.values()) progress.written += patients.length;
    progress.done = end;
    options.onProgress?.({ ...progress });
  }

  if (options.patients > 0) await ensurePersonaUsers(lab, patientIdFor(ctx, 0), ctx.asOf);
  return { ...progress, seconds: (performance.now() - started) / 1000, rowsByTable };
}

/** A patient's history as outbox events: its snapshot, or the catalog events the snapshot stands for. */
function historyOf(p: GeneratedPatient, asOf: Date, history: "snapshot" | "events"): { event: DomainEvent; occurredAt: Date }[] {
  const snapshot = patientSnapshotEvent(patientRecordOf(p), asOf);
  if (history === "snapshot") return [{ event: snapshot, occurredAt: asOf }];
  return snapshotFacts(snapshot.payload).map((fact) => ({ event: catalogEventOf(fact, p.patientId), occurredAt: new Date(fact.occurredAt) }));
}

async function loadFacilityRefs(lab: LabDatabases): Promise<FacilityRef[]> {
  const facilities = await lab.control.sql.query<{ id: string; kind: string }>(`SELECT "id", "kind" FROM "facilities" ORDER BY "id"`);
  const providers = await lab.control.sql.query<{ id: string; facilityId: string }>(`SELECT "id", "facilityId" FROM "providers" ORDER BY "id"`);
  const byFacility = new Map<string, string[]>();
  for (const p of providers) byFacility.set(p.facilityId, [...(byFacility.get(p.facilityId) ?? []), p.id]);
  return facilities.filter((f) => (byFacility.get(f.id)?.length ?? 0) > 0).map((f) => ({ id: f.id, kind: f.kind, providerIds: byFacility.get(f.id)! }));
}

async function existingPatientIds(lab: LabDatabases, ids: string[]): Promise<Set<string>> {
  const byShard = new Map<number, string[]>();
  for (const id of ids) {
    const shard = lab.shardMap.shardOf(id);
    byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
  }
  const found = new Set<string>();
  for (const [shard, list] of byShard) {
    const rows = await lab.shards[shard]!.sql.query<{ id: string }>(`SELECT "id" FROM "patients" WHERE "id" IN (${list.map(() => "?").join(", ")})`, list);
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/**
 * A lab seeded before a persona role existed (the on-call player's) gets its user on the next start,
 * anchored where the other personas are: the patient persona's record and facility.
 */
export async function addMissingPersonaUsers(lab: LabDatabases): Promise<number> {
  const [anchor] = await lab.control.sql.query<{ patientId: string | null; facilityId: string | null }>(
    `SELECT "patientId", "facilityId" FROM "users" WHERE "username" = 'patient.demo'`,
  );
  if (!anchor?.patientId || !anchor.facilityId) return 0;
  const spec = tableOf("User");
  const before = await lab.control.sql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "users"`);
  const users = personaUsers({ patientId: anchor.patientId, facilityId: anchor.facilityId }, new Date());
  await lab.control.sql.transaction((tx) => tx.insertMany(spec.table, spec.columns, rowValues(spec, users), { ignoreExisting: true }));
  const after = await lab.control.sql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "users"`);
  return Number(after[0]!.n) - Number(before[0]!.n);
}

/** Creates the demo persona users once, anchored on the first generated patient. */
async function ensurePersonaUsers(lab: LabDatabases, anchorPatientId: string, createdAt: Date): Promise<void> {
  const shard = lab.shardForPatient(anchorPatientId);
  const [anchor] = await shard.sql.query<{ facilityId: string }>(`SELECT "facilityId" FROM "patients" WHERE "id" = ?`, [anchorPatientId]);
  if (!anchor) return;
  const spec = tableOf("User");
  const users = personaUsers({ patientId: anchorPatientId, facilityId: anchor.facilityId }, createdAt);
  await lab.control.sql.transaction((tx) => tx.insertMany(spec.table, spec.columns, rowValues(spec, users), { ignoreExisting: true }));
}
