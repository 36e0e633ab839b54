// The persona dashboards' reads: a facility's census and open encounters (clinician) and the claims
// pipeline with its denial rate (billing), counted on the shards; a patient's recent activity (patient)
// from the projector's timeline read model, which trails the services by the event pipeline's delay and
// says how fresh it is (the newest event applied).
import { CLAIM_STATUSES } from "../billing/contracts.ts";
import { fencedBuckets, ownedRowsCondition } from "../data/bucket-fences.ts";
import type { ShardHandle } from "../data/lab-databases.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { describeTimelineEvent } from "./timeline-entry.ts";

export interface Census {
  facilityId: string;
  patients: number;
  openEncounters: number;
  encountersTotal: number;
}

export interface OpenEncounter {
  encounterId: string;
  patientId: string;
  facilityId: string;
  startedAt: string;
}

export interface ClaimsPipeline {
  byStatus: { status: string; claims: number; totalCents: number }[];
  /** Denied among decided claims (paid + denied); null before any decision. */
  denialRate: number | null;
  byFacility: { facilityId: string; claims: number; denied: number; denialRate: number | null }[];
}

export interface TimelineEntry {
  eventId: string;
  occurredAt: string;
  type: string;
  summary: string;
}

const n = (v: unknown) => Number(v ?? 0);
const rate = (denied: number, paid: number) => (denied + paid === 0 ? null : denied / (denied + paid));

/** The newest event the read models hold, as an ISO time: how fresh every dashboard is. */
export async function readModelsAsOf(db: SqlDatabase): Promise<string | null> {
  const [row] = await db.query<{ at: string | null }>(`SELECT MAX("occurred_at") AS "at" FROM "processed_events"`);
  return row?.at ?? null;
}

type Shards = readonly Pick<ShardHandle, "readSql">[];
const iso = (v: unknown) => new Date(v instanceof Date ? v : String(v)).toISOString();


/**
 * Every facility's census, or one facility's, counted on the shards. The seeded lab's patients and
 * encounters never passed through the event stream, so the read models know only what changed since; the
 * shards know everything, and a facility's rows are a short indexed scan per shard.
 */
export async function facilityCensus(shards: Shards, facilityId?: string): Promise<Census[]> {
  const facility = facilityId ? ` AND "facilityId" = ?` : "";
  const args = facilityId ? [facilityId] : [];
  const perShard = await Promise.all(
    shards.map(async ({ readSql }) => {
      const fenced = await fencedBuckets(readSql);
      const [ownPatients, ownRows] = [ownedRowsCondition(fenced, "bucket"), ownedRowsCondition(fenced, "patientId")];
      const [patients, encounters] = await Promise.all([
        readSql.query<Record<string, unknown>>(`SELECT "facilityId" AS "f", COUNT(*) AS "n" FROM "patients" WHERE ${ownPatients.sql}${facility} GROUP BY "facilityId"`, [...ownPatients.args, ...args]),
        readSql.query<Record<string, unknown>>(
          `SELECT "facilityId" AS "f", COUNT(*) AS "n", SUM(CASE WHEN "status" = 'open' THEN 1 ELSE 0 END) AS "open" FROM "encounters" WHERE ${ownRows.sql}${facility} GROUP BY "facilityId"`,
          [...ownRows.args, ...args],
        ),
      ]);
      return { patients, encounters };
    }),
  );
  const census = new Map<string, Census>();
  const of = (f: unknown) => census.get(String(f)) ?? census.set(String(f), { facilityId: String(f), patients: 0, openEncounters: 0, encountersTotal: 0 }).get(String(f))!;
  for (const shard of perShard) {
    for (const r of shard.patients) of(r.f).patients += n(r.n);
    for (const r of shard.encounters) {
      of(r.f).encountersTotal += n(r.n);
      of(r.f).openEncounters += n(r.open);
    }
  }
  return [...census.values()].sort((a, b) => a.facilityId.localeCompare(b.facilityId));
}

/** A facility's open encounters across the shards, the longest open first. */
export async function openEncounters(shards: Shards, facilityId: string, limit: number): Promise<OpenEncounter[]> {
  const rows = (
    await Promise.all(
      shards.map(async ({ readSql }) => {
        const own = ownedRowsCondition(await fencedBuckets(readSql), "patientId");
        return readSql.query<Record<string, unknown>>(
          `SELECT "id", "patientId", "facilityId", "startedAt" FROM "encounters" WHERE ${own.sql} AND "facilityId" = ? AND "status" = 'open' ORDER BY "startedAt", "id" LIMIT ?`,
          [...own.args, facilityId, limit],
        );
      }),
    )
  ).flat();
  return rows
    .map((r) => ({ encounterId: String(r.id), patientId: String(r.patientId), facilityId: String(r.facilityId), startedAt: iso(r.startedAt) }))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.encounterId.localeCompare(b.encounterId))
    .slice(0, limit);
}

/** Claims by status across the shards (or at one facility), the denial rate overall and per facility. */
export async function claimsPipeline(shards: Shards, facilityId?: string): Promise<ClaimsPipeline> {
  const facility = facilityId ? ` AND "facilityId" = ?` : "";
  const rows = (
    await Promise.all(
      shards.map(async ({ readSql }) => {
        const own = ownedRowsCondition(await fencedBuckets(readSql), "patientId");
        return readSql.query<Record<string, unknown>>(`SELECT "facilityId" AS "f", "status", COUNT(*) AS "claims", SUM("totalCents") AS "cents" FROM "claims" WHERE ${own.sql}${facility} GROUP BY "facilityId", "status"`, [
          ...own.args,
          ...(facilityId ? [facilityId] : []),
        ]);
      }),
    )
  ).flat();
  const statuses = new Map<string, { claims: number; totalCents: number }>(CLAIM_STATUSES.map((s) => [s, { claims: 0, totalCents: 0 }]));
  const facilities = new Map<string, { claims: number; denied: number; paid: number }>();
  for (const r of rows) {
    const status = String(r.status);
    const s = statuses.get(status) ?? { claims: 0, totalCents: 0 };
    s.claims += n(r.claims);
    s.totalCents += n(r.cents);
    statuses.set(status, s);
    const f = facilities.get(String(r.f)) ?? { claims: 0, denied: 0, paid: 0 };
    f.claims += n(r.claims);
    if (status === "denied") f.denied += n(r.claims);
    if (status === "paid") f.paid += n(r.claims);
    facilities.set(String(r.f), f);
  }
  return {
    byStatus: [...statuses].map(([status, s]) => ({ status, ...s })),
    denialRate: rate(statuses.get("denied")!.claims, statuses.get("paid")!.claims),
    byFacility: [...facilities]
      .map(([id, f]) => ({ facilityId: id, claims: f.claims, denied: f.denied, denialRate: rate(f.denied, f.paid) }))
      .sort((a, b) => (b.denialRate ?? -1) - (a.denialRate ?? -1) || a.facilityId.localeCompare(b.facilityId)),
  };
}

/** A patient's events, newest first, each told in a line without PHI-like fields. */
export async function patientTimeline(db: SqlDatabase, patientId: string, limit: number): Promise<TimelineEntry[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT "event_id", "occurred_at", "type", "facts" FROM "patient_timeline" WHERE "patient_id" = ? ORDER BY "occurred_at" DESC, "event_id" DESC LIMIT ?`,
    [patientId, limit],
  );
  return rows.map((r) => ({ eventId: String(r.event_id), occurredAt: String(r.occurred_at), type: String(r.type), summary: describeTimelineEvent(String(r.type), JSON.parse(String(r.facts)) as Record<string, unknown>) }));
}
