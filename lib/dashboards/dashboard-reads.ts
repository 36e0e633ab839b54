// The persona dashboards' reads, from the projector's read models: a facility's census and open encounters
// (clinician), the claims pipeline with its denial rate (billing), a patient's recent activity (patient).
// They trail the services by the event pipeline's delay, and every answer says how fresh it is (the newest
// event applied). Seeding puts the seeded records into the stream too (ADR 0018), so the models hold the
// whole lab, not only what changed since it was seeded.
import { CLAIM_STATUSES } from "../billing/contracts.ts";
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

/** Every facility's census, or one facility's, from the read model the projector keeps. */
export async function facilityCensus(db: SqlDatabase, facilityId?: string): Promise<Census[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT "facility_id", "patients", "open_encounters", "encounters_total" FROM "facility_census"${facilityId ? ` WHERE "facility_id" = ?` : ""} ORDER BY "facility_id"`,
    facilityId ? [facilityId] : [],
  );
  return rows.map((r) => ({
    facilityId: String(r.facility_id),
    patients: n(r.patients),
    openEncounters: n(r.open_encounters),
    encountersTotal: n(r.encounters_total),
  }));
}

/** A facility's open encounters, the longest open first. */
export async function openEncounters(db: SqlDatabase, facilityId: string, limit: number): Promise<OpenEncounter[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT "encounter_id", "patient_id", "facility_id", "started_at" FROM "open_encounters" WHERE "facility_id" = ? ORDER BY "started_at", "encounter_id" LIMIT ?`,
    [facilityId, limit],
  );
  return rows.map((r) => ({
    encounterId: String(r.encounter_id),
    patientId: String(r.patient_id),
    facilityId: String(r.facility_id),
    startedAt: new Date(String(r.started_at)).toISOString(),
  }));
}

/** Claims by status (or at one facility), the denial rate overall and per facility. */
export async function claimsPipeline(db: SqlDatabase, facilityId?: string): Promise<ClaimsPipeline> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT "facility_id", "status", "claims", "total_cents" FROM "claims_pipeline"${facilityId ? ` WHERE "facility_id" = ?` : ""}`,
    facilityId ? [facilityId] : [],
  );
  const statuses = new Map<string, { claims: number; totalCents: number }>(CLAIM_STATUSES.map((s) => [s, { claims: 0, totalCents: 0 }]));
  const facilities = new Map<string, { claims: number; denied: number; paid: number }>();
  for (const r of rows) {
    const [status, claims] = [String(r.status), n(r.claims)];
    const s = statuses.get(status) ?? { claims: 0, totalCents: 0 };
    s.claims += claims;
    s.totalCents += n(r.total_cents);
    statuses.set(status, s);
    const f = facilities.get(String(r.facility_id)) ?? { claims: 0, denied: 0, paid: 0 };
    f.claims += claims;
    if (status === "denied") f.denied += claims;
    if (status === "paid") f.paid += claims;
    facilities.set(String(r.facility_id), f);
  }
  return {
    byStatus: [...statuses].map(([status, s]) => ({ status, ...s })),
    denialRate: rate(statuses.get("denied")!.claims, statuses.get("paid")!.claims),
    byFacility: [...facilities]
      .filter(([, f]) => f.claims > 0)
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
  return rows.map((r) => ({
    eventId: String(r.event_id),
    occurredAt: String(r.occurred_at),
    type: String(r.type),
    summary: describeTimelineEvent(String(r.type), JSON.parse(String(r.facts)) as Record<string, unknown>),
  }));
}
