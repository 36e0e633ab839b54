// The catalog of the lab's domain events: one zod schema per event type and version. Within a version a
// schema may only grow by optional fields (the compatibility test compares against docs/events/); anything
// else is a new version. Readers tolerate fields they do not know (loose objects), so an event that grew
// still reads with an older schema. Payloads carry ids, codes, amounts and times, never PHI-like fields.
import { z } from "zod";

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-[A-Za-z0-9-]{1,80}$`), `a ${prefix}- id`);
const at = z.iso.datetime({ offset: true });
const cents = z.number().int().min(0);

const ClaimStatus = z.enum(["draft", "submitted", "adjudicated", "paid", "denied"]);
const ClaimState = {
  claimId: id("clm"),
  patientId: id("pat"),
  facilityId: id("fac"),
  status: ClaimStatus,
  totalCents: cents,
  allowedCents: cents.nullable(),
  paidCents: cents.nullable(),
  denialReason: z.string().nullable(),
};

export const EVENT_CATALOG = {
  PatientRegistered: {
    1: z.looseObject({ patientId: id("pat"), facilityId: id("fac"), sex: z.string(), birthYear: z.number().int().min(1850).max(2200), registeredAt: at }),
  },
  PatientDemographicsChanged: {
    1: z.looseObject({ patientId: id("pat"), fields: z.array(z.string()).min(1), version: z.number().int().min(2) }),
  },
  EncounterOpened: {
    1: z.looseObject({ encounterId: id("enc"), patientId: id("pat"), facilityId: id("fac"), providerId: id("prv"), kind: z.string(), startedAt: at }),
  },
  EncounterClosed: {
    1: z.looseObject({ encounterId: id("enc"), patientId: id("pat"), facilityId: id("fac"), endedAt: at, durationMinutes: z.number().int().min(0) }),
  },
  DiagnosisRecorded: {
    1: z.looseObject({ diagnosisId: id("dx"), encounterId: id("enc"), patientId: id("pat"), code: z.string(), recordedAt: at }),
  },
  ProcedureRecorded: {
    1: z.looseObject({ procedureId: id("px"), encounterId: id("enc"), patientId: id("pat"), code: z.string(), performedAt: at }),
  },
  MedicationPrescribed: {
    1: z.looseObject({ medicationId: id("med"), encounterId: id("enc"), patientId: id("pat"), code: z.string(), prescribedAt: at }),
  },
  MedicationDiscontinued: {
    1: z.looseObject({ medicationId: id("med"), patientId: id("pat"), discontinuedAt: at }),
  },
  ClaimCreated: {
    1: z.looseObject({ claimId: id("clm"), patientId: id("pat"), encounterId: id("enc"), facilityId: id("fac"), payer: z.string(), totalCents: cents }),
  },
  ClaimSubmitted: { 1: z.looseObject(ClaimState) },
  ClaimAdjudicated: { 1: z.looseObject(ClaimState) },
  ClaimPaid: { 1: z.looseObject(ClaimState) },
  ClaimDenied: { 1: z.looseObject(ClaimState) },
  // A patient's record as it stood at `asOf`: the baseline its later events build on, written by seeding
  // and by the backfill of older labs (ADR 0018). Its parts carry what the catalog events above would.
  PatientRecordSnapshot: {
    1: z.looseObject({
      patientId: id("pat"),
      facilityId: id("fac"),
      sex: z.string(),
      birthYear: z.number().int().min(1850).max(2200),
      registeredAt: at,
      asOf: at,
      encounters: z.array(
        z.looseObject({ encounterId: id("enc"), facilityId: id("fac"), providerId: id("prv"), kind: z.string(), startedAt: at, endedAt: at.nullable() }),
      ),
      diagnoses: z.array(z.looseObject({ diagnosisId: id("dx"), encounterId: id("enc"), code: z.string(), recordedAt: at })),
      procedures: z.array(z.looseObject({ procedureId: id("px"), encounterId: id("enc"), code: z.string(), performedAt: at })),
      medications: z.array(
        z.looseObject({ medicationId: id("med"), encounterId: id("enc"), code: z.string(), prescribedAt: at, discontinuedAt: at.nullable() }),
      ),
      claims: z.array(
        z.looseObject({
          claimId: id("clm"),
          encounterId: id("enc"),
          facilityId: id("fac"),
          payer: z.string(),
          status: ClaimStatus,
          totalCents: cents,
          allowedCents: cents.nullable(),
          paidCents: cents.nullable(),
          denialReason: z.string().nullable(),
          createdAt: at,
          submittedAt: at.nullable(),
          adjudicatedAt: at.nullable(),
          paidAt: at.nullable(),
        }),
      ),
    }),
  },
} as const satisfies Record<string, Record<number, z.ZodObject>>;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

/** The schema of one event type at one version, or null when the catalog has no such pair. */
export function payloadSchema(type: string, version: number): z.ZodObject | null {
  if (!isEventType(type)) return null;
  return (EVENT_CATALOG[type] as Record<number, z.ZodObject>)[version] ?? null;
}

/** Every (type, version) pair of the catalog, in a stable order. */
export function catalogEntries(): { type: EventType; version: number; schema: z.ZodObject }[] {
  return EVENT_TYPES.flatMap((type) =>
    Object.entries(EVENT_CATALOG[type] as Record<number, z.ZodObject>).map(([version, schema]) => ({ type, version: Number(version), schema })),
  );
}
