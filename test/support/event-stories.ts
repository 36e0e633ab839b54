// Synthetic event streams for the event platform's tests and benchmark: each patient's story as the
// services would have written it to the outbox (ten catalog events per patient).
import { join } from "node:path";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { type SqlDatabase, openSqlite } from "../../lib/data/sql-database.ts";
import type { EventBus } from "../../lib/events/bus.ts";
import { migrateReadModels, readModelChecksums } from "../../lib/events/projections.ts";
import { replayReadModels } from "../../lib/events/replay.ts";
import { type DomainEvent, appendOutboxEvents } from "../../lib/events/outbox.ts";

export const EVENTS_PER_STORY = 10;

/** A patient's story as outbox events: registered, seen, diagnosed, treated, closed, billed through paid. */
export function story(n: number, at: string): DomainEvent[] {
  const [p, enc, clm] = [`pat-bench-${n}`, `enc-bench-${n}`, `clm-bench-${n}`];
  const claim = { claimId: clm, patientId: p, facilityId: "fac-0001", totalCents: 12_000, allowedCents: 9_000, paidCents: null, denialReason: null };
  const e = (type: string, aggregateType: string, aggregateId: string, payload: Record<string, unknown>): DomainEvent => ({
    type,
    version: 1,
    aggregateType,
    aggregateId,
    partitionKey: p,
    payload,
  });
  return [
    e("PatientRegistered", "Patient", p, { patientId: p, facilityId: "fac-0001", sex: "female", birthYear: 1975, registeredAt: at }),
    e("EncounterOpened", "Encounter", enc, {
      encounterId: enc,
      patientId: p,
      facilityId: "fac-0001",
      providerId: "prv-0001-01",
      kind: "outpatient",
      startedAt: at,
    }),
    e("DiagnosisRecorded", "Diagnosis", `dx-bench-${n}`, { diagnosisId: `dx-bench-${n}`, encounterId: enc, patientId: p, code: "J06.9", recordedAt: at }),
    e("ProcedureRecorded", "Procedure", `px-bench-${n}`, { procedureId: `px-bench-${n}`, encounterId: enc, patientId: p, code: "99213", performedAt: at }),
    e("EncounterClosed", "Encounter", enc, { encounterId: enc, patientId: p, facilityId: "fac-0001", endedAt: at, durationMinutes: 25 }),
    e("ClaimCreated", "Claim", clm, { claimId: clm, patientId: p, encounterId: enc, facilityId: "fac-0001", payer: "medicare", totalCents: 12_000 }),
    e("ClaimSubmitted", "Claim", clm, { ...claim, status: "submitted", allowedCents: null }),
    e("ClaimAdjudicated", "Claim", clm, { ...claim, status: "adjudicated" }),
    e("ClaimPaid", "Claim", clm, { ...claim, status: "paid", paidCents: 9_000 }),
    e("PatientDemographicsChanged", "Patient", p, { patientId: p, fields: ["city"], version: 2 }),
  ];
}

/** A claim adjudicated that was never created: an orphan, which the projector must hold and never apply. */
export function orphanAdjudication(claimId: string, patientId: string): Record<string, unknown> {
  return { claimId, patientId, facilityId: "fac-0001", status: "adjudicated", totalCents: 1, allowedCents: 1, paidCents: null, denialReason: null };
}

/** Fills the shards' outboxes with `count` events (ten per patient), as the services would have. */
export async function fillOutboxes(lab: LabDatabases, count: number, firstPatient = 0): Promise<void> {
  const at = new Date();
  const last = firstPatient + count / EVENTS_PER_STORY;
  for (let n = firstPatient; n < last; n += 200) {
    const byShard = new Map<number, DomainEvent[]>();
    for (let i = n; i < Math.min(n + 200, last); i++) {
      const shard = lab.shardMap.shardOf(`pat-bench-${i}`);
      byShard.set(shard, [...(byShard.get(shard) ?? []), ...story(i, at.toISOString())]);
    }
    for (const [shard, list] of byShard) {
      await lab.shards[shard]!.sql.transaction((tx) =>
        appendOutboxEvents(tx, list, { requestId: "req-bench", traceparent: null, actorId: "usr-bench", shard }, at),
      );
    }
  }
}

/**
 * Replays the whole log into a scratch read-model database beside the lab and returns how many events
 * the replay applied and whether its models equal `live` (checksums per model).
 */
export async function replayMatchesLive(
  bus: EventBus,
  live: SqlDatabase,
  dir: string,
): Promise<{ applied: number; replayed: Record<string, string>; live: Record<string, string> }> {
  const scratch = openSqlite(join(dir, `replayed-${Date.now()}.db`), "replayed");
  try {
    await migrateReadModels(scratch);
    const replay = await replayReadModels(bus, scratch, { from: { earliest: true } });
    return { applied: replay.stats.applied, replayed: await readModelChecksums(scratch), live: await readModelChecksums(live) };
  } finally {
    await scratch.close();
  }
}
