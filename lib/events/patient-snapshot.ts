// The seeded history in the event stream (ADR 0018). Seeding writes a patient's whole record straight into
// the shard; in the same transaction it writes one PatientRecordSnapshot event: the record as it stood,
// without PHI-like fields. The projector unfolds a snapshot into the catalog events the API would have
// emitted for that record (registered, encounters opened and closed, claims through their states, ...) and
// applies each as it would the live one, so a replay from the beginning rebuilds the seeded lab as it is,
// and the live events that follow find their encounters and claims already there.
import type { DomainEvent } from "./outbox.ts";

type Row = Record<string, unknown>;

/** A patient's rows as the shard holds them (or as the generator is about to write them). */
export interface PatientRecordRows {
  patient: Row;
  encounters: readonly Row[];
  diagnoses: readonly Row[];
  procedures: readonly Row[];
  medications: readonly Row[];
  claims: readonly Row[];
}

export const PATIENT_SNAPSHOT = "PatientRecordSnapshot";

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => String(v);

/** The snapshot event of one patient's record (aggregate: the patient; key: the patient id), its parts in row order. */
export function patientSnapshotEvent(record: PatientRecordRows, asOf: Date): DomainEvent {
  const p = record.patient;
  const patientId = str(p.id);
  return {
    type: PATIENT_SNAPSHOT,
    version: 1,
    aggregateType: "Patient",
    aggregateId: patientId,
    partitionKey: patientId,
    payload: {
      patientId,
      facilityId: str(p.facilityId),
      sex: str(p.sex),
      birthYear: new Date(iso(p.birthDate)).getUTCFullYear(),
      registeredAt: iso(p.createdAt),
      asOf: asOf.toISOString(),
      encounters: record.encounters.map((e) => ({
        encounterId: str(e.id),
        facilityId: str(e.facilityId),
        providerId: str(e.providerId),
        kind: str(e.kind),
        startedAt: iso(e.startedAt),
        endedAt: isoOrNull(e.endedAt),
      })),
      diagnoses: record.diagnoses.map((d) => ({ diagnosisId: str(d.id), encounterId: str(d.encounterId), code: str(d.code), recordedAt: iso(d.recordedAt) })),
      procedures: record.procedures.map((x) => ({
        procedureId: str(x.id),
        encounterId: str(x.encounterId),
        code: str(x.code),
        performedAt: iso(x.performedAt),
      })),
      medications: record.medications.map((m) => ({
        medicationId: str(m.id),
        encounterId: str(m.encounterId),
        code: str(m.code),
        prescribedAt: iso(m.prescribedAt),
        discontinuedAt: isoOrNull(m.discontinuedAt),
      })),
      claims: record.claims.map((c) => ({
        claimId: str(c.id),
        encounterId: str(c.encounterId),
        facilityId: str(c.facilityId),
        payer: str(c.payer),
        status: str(c.status),
        totalCents: Number(c.totalCents),
        allowedCents: numOrNull(c.allowedCents),
        paidCents: numOrNull(c.paidCents),
        denialReason: c.denialReason === null || c.denialReason === undefined ? null : str(c.denialReason),
        createdAt: iso(c.createdAt),
        submittedAt: isoOrNull(c.submittedAt),
        adjudicatedAt: isoOrNull(c.adjudicatedAt),
        paidAt: isoOrNull(c.paidAt),
      })),
    },
  };
}

/** One catalog event a snapshot stands for: its type, when it happened and its payload. */
export interface SnapshotFact {
  type: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

type SnapshotPayload = Record<string, unknown>;
const list = (p: SnapshotPayload, key: string) => (Array.isArray(p[key]) ? (p[key] as Row[]) : []);
const minutesBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

/**
 * The catalog events a snapshot stands for, each aggregate's in the order the API would have emitted them
 * (a claim is created before it is submitted, and so on); payloads as the live commands write them.
 */
export function snapshotFacts(p: SnapshotPayload): SnapshotFact[] {
  const patientId = str(p.patientId);
  const facts: SnapshotFact[] = [
    {
      type: "PatientRegistered",
      occurredAt: str(p.registeredAt),
      payload: { patientId, facilityId: p.facilityId, sex: p.sex, birthYear: p.birthYear, registeredAt: p.registeredAt },
    },
  ];
  for (const e of list(p, "encounters")) {
    facts.push({
      type: "EncounterOpened",
      occurredAt: str(e.startedAt),
      payload: { encounterId: e.encounterId, patientId, facilityId: e.facilityId, providerId: e.providerId, kind: e.kind, startedAt: e.startedAt },
    });
    if (e.endedAt) {
      facts.push({
        type: "EncounterClosed",
        occurredAt: str(e.endedAt),
        payload: {
          encounterId: e.encounterId,
          patientId,
          facilityId: e.facilityId,
          endedAt: e.endedAt,
          durationMinutes: minutesBetween(str(e.startedAt), str(e.endedAt)),
        },
      });
    }
  }
  for (const d of list(p, "diagnoses"))
    facts.push({
      type: "DiagnosisRecorded",
      occurredAt: str(d.recordedAt),
      payload: { diagnosisId: d.diagnosisId, encounterId: d.encounterId, patientId, code: d.code, recordedAt: d.recordedAt },
    });
  for (const x of list(p, "procedures"))
    facts.push({
      type: "ProcedureRecorded",
      occurredAt: str(x.performedAt),
      payload: { procedureId: x.procedureId, encounterId: x.encounterId, patientId, code: x.code, performedAt: x.performedAt },
    });
  for (const m of list(p, "medications")) {
    facts.push({
      type: "MedicationPrescribed",
      occurredAt: str(m.prescribedAt),
      payload: { medicationId: m.medicationId, encounterId: m.encounterId, patientId, code: m.code, prescribedAt: m.prescribedAt },
    });
    if (m.discontinuedAt)
      facts.push({
        type: "MedicationDiscontinued",
        occurredAt: str(m.discontinuedAt),
        payload: { medicationId: m.medicationId, patientId, discontinuedAt: m.discontinuedAt },
      });
  }
  for (const c of list(p, "claims")) facts.push(...claimFacts(patientId, c));
  return facts;
}

/** A claim's way to its status: created, then each state it passed through, as the billing commands move it. */
function claimFacts(patientId: string, c: Row): SnapshotFact[] {
  const status = str(c.status);
  const state = (s: string) => ({
    claimId: c.claimId,
    patientId,
    facilityId: c.facilityId,
    status: s,
    totalCents: c.totalCents,
    allowedCents: s === "adjudicated" || s === "paid" ? c.allowedCents : null,
    paidCents: s === "paid" ? c.paidCents : null,
    denialReason: s === "denied" ? c.denialReason : null,
  });
  const facts: SnapshotFact[] = [
    {
      type: "ClaimCreated",
      occurredAt: str(c.createdAt),
      payload: { claimId: c.claimId, patientId, encounterId: c.encounterId, facilityId: c.facilityId, payer: c.payer, totalCents: c.totalCents },
    },
  ];
  const at = (v: unknown) => str(v ?? c.createdAt);
  if (status === "draft") return facts;
  facts.push({ type: "ClaimSubmitted", occurredAt: at(c.submittedAt), payload: state("submitted") });
  if (status === "denied") return [...facts, { type: "ClaimDenied", occurredAt: at(c.adjudicatedAt ?? c.submittedAt), payload: state("denied") }];
  if (status === "submitted") return facts;
  facts.push({ type: "ClaimAdjudicated", occurredAt: at(c.adjudicatedAt ?? c.submittedAt), payload: state("adjudicated") });
  if (status === "paid") facts.push({ type: "ClaimPaid", occurredAt: at(c.paidAt ?? c.adjudicatedAt), payload: state("paid") });
  return facts;
}

const AGGREGATE_OF: Record<string, [type: string, idField: string]> = {
  Patient: ["Patient", "patientId"],
  Encounter: ["Encounter", "encounterId"],
  Diagnosis: ["Diagnosis", "diagnosisId"],
  Procedure: ["Procedure", "procedureId"],
  Medication: ["Medication", "medicationId"],
  Claim: ["Claim", "claimId"],
};

/** A fact as the outbox event the live command would have written (its aggregate named as the command names it). */
export function catalogEventOf(fact: SnapshotFact, patientId: string): DomainEvent {
  const [aggregateType, idField] = AGGREGATE_OF[/^[A-Z][a-z]+/.exec(fact.type)![0]]!;
  return { type: fact.type, version: 1, aggregateType, aggregateId: String(fact.payload[idField]), partitionKey: patientId, payload: fact.payload };
}
