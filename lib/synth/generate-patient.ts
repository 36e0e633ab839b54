// One synthetic patient with a year of care: encounters, diagnoses, procedures, medications and claims.
// Everything is drawn from a random source seeded by (seed, patient index), so a patient is the same
// whenever and wherever it is generated. Clear identifiers exist only in the returned `clear` field
// (for tests that prove they never reach storage); rows carry their HMAC tokens.
import { bucketOf } from "../data/shard-map.ts";
import {
  AGE_BANDS,
  DENIAL_REASONS,
  DIAGNOSES,
  ENCOUNTER_KINDS,
  type EncounterKind,
  MEDICATION_BY_CODE,
  PAYERS,
  PROCEDURE_BY_CODE,
  SEX_SHARES,
  VISIT_PROCEDURE,
} from "./catalog.ts";
import type { PatientRecordRows } from "../events/patient-snapshot.ts";
import { DAY_MS, MINUTE_MS, type SynthContext } from "./synth-context.ts";

type Row = Record<string, unknown>;

export interface GeneratedPatient {
  patientId: string;
  rows: {
    Patient: Row[];
    Encounter: Row[];
    Diagnosis: Row[];
    Procedure: Row[];
    Medication: Row[];
    Claim: Row[];
    ClaimLine: Row[];
  };
  clear: { mrn: string; nationalId: string; phone: string; email: string };
}

/** A generated patient's record, as its snapshot event is made from it (lib/events/patient-snapshot.ts). */
export const patientRecordOf = (p: GeneratedPatient): PatientRecordRows => ({
  patient: p.rows.Patient[0]!,
  encounters: p.rows.Encounter,
  diagnoses: p.rows.Diagnosis,
  procedures: p.rows.Procedure,
  medications: p.rows.Medication,
  claims: p.rows.Claim,
});

export type GeneratedModel = keyof GeneratedPatient["rows"];

/** The patient id for an index, without generating the rest: resuming checks ids before doing the work. */
export function patientIdFor(ctx: SynthContext, index: number): string {
  ctx.rng.seed([ctx.seed, index]);
  return `pat-${ctx.rng.uuid()}`;
}

/**
 * `digits` decimal digits that differ for every index of a seed: an affine permutation of 0..10^digits-1
 * keyed by the seed, so identifiers look random but never collide within a generated dataset.
 */
export function uniqueDigits(seed: number, index: number, digits: number): string {
  const modulus = 10n ** BigInt(digits);
  let multiplier = (BigInt(seed) * 2654435761n + 40503n) % modulus;
  while (multiplier % 2n === 0n || multiplier % 5n === 0n) multiplier += 1n; // coprime to 10^digits
  const offset = (BigInt(seed) * 97n + 12345n) % modulus;
  return ((BigInt(index) * multiplier + offset) % modulus).toString().padStart(digits, "0");
}

const ageBand = (age: number) => (age < 18 ? 0 : age < 65 ? 1 : 2);

function encounterDuration(ctx: SynthContext, kind: EncounterKind): number {
  switch (kind) {
    case "outpatient":
      return ctx.rng.int(15, 60) * MINUTE_MS;
    case "telehealth":
      return ctx.rng.int(10, 30) * MINUTE_MS;
    case "emergency":
      return ctx.rng.int(90, 480) * MINUTE_MS;
    case "inpatient":
      return ctx.rng.int(1, 6) * DAY_MS + ctx.rng.int(0, 720) * MINUTE_MS;
  }
}

export function generatePatient(ctx: SynthContext, index: number): GeneratedPatient {
  const { rng, faker, asOf } = ctx;
  const patientId = patientIdFor(ctx, index); // also seeds rng for this patient
  const now = asOf.getTime();

  const sex = rng.weighted(SEX_SHARES);
  const [minAge, maxAge] = rng.weighted(AGE_BANDS);
  const age = rng.int(minAge, maxAge);
  const birthDate = new Date(Date.UTC(asOf.getUTCFullYear() - age - 1, 0, 1) + rng.int(0, 364) * DAY_MS);
  const givenName = faker.person.firstName(sex === "other" ? undefined : sex);
  const familyName = faker.person.lastName();
  const facility = rng.pick(ctx.facilities);
  const registeredAt = new Date(now - rng.int(370, 3650) * DAY_MS);

  const national = uniqueDigits(ctx.seed, index, 8);
  const clear = {
    // Unique by construction: the seed and the index, so no two generated patients share an MRN.
    mrn: `MRN-${ctx.seed.toString(36).toUpperCase()}-${String(index).padStart(8, "0")}`,
    // The 9xx area is never issued, so these cannot be a real national id; unique within a seed.
    nationalId: `9${national.slice(0, 2)}-${national.slice(2, 4)}-${national.slice(4)}`,
    phone: `555-01${rng.digits(2)}-${rng.digits(4)}`,
    email: `${givenName}.${familyName}.${rng.digits(4)}@example.org`.toLowerCase(),
  };

  const rows: GeneratedPatient["rows"] = {
    Patient: [
      {
        id: patientId,
        bucket: bucketOf(patientId),
        facilityId: facility.id,
        mrnToken: ctx.pseudonymize("mrn", clear.mrn),
        nationalIdToken: ctx.pseudonymize("national-id", clear.nationalId),
        phoneToken: ctx.pseudonymize("phone", clear.phone),
        emailToken: ctx.pseudonymize("email", clear.email),
        givenName,
        familyName,
        sex,
        birthDate,
        addressLine: faker.location.streetAddress(),
        city: faker.location.city(),
        region: faker.location.state({ abbreviated: true }),
        postalCode: faker.location.zipCode("#####"),
        version: 1,
        createdAt: registeredAt,
        updatedAt: registeredAt,
      },
    ],
    Encounter: [],
    Diagnosis: [],
    Procedure: [],
    Medication: [],
    Claim: [],
    ClaimLine: [],
  };

  const band = ageBand(age);
  const diagnosisChoices = DIAGNOSES.filter((d) => d.weights[band] > 0).map((d) => [d, d.weights[band]] as const);
  const encounterCount = Math.min(12, 1 + rng.poisson(0.5 + age / 40));
  // Child ids carry the whole patient uuid, so they are as collision-free as patient ids.
  const key = patientId.slice(4).replaceAll("-", "");

  for (let e = 0; e < encounterCount; e++) {
    const kind = rng.weighted(ENCOUNTER_KINDS);
    // Most care at the home facility, some elsewhere.
    const where = rng.chance(0.85) ? facility : rng.pick(ctx.facilities);
    const providerId = rng.pick(where.providerIds);
    const startedAt = new Date(now - rng.int(0, 365 * 24 * 60) * MINUTE_MS);
    const plannedEnd = startedAt.getTime() + encounterDuration(ctx, kind);
    const open = plannedEnd > now || (kind === "inpatient" && rng.chance(0.02));
    const endedAt = open ? null : new Date(plannedEnd);
    const encounterId = `enc-${key}-${e}`;

    const diagnoses = [rng.weighted(diagnosisChoices)];
    if (rng.chance(0.35)) diagnoses.push(rng.weighted(diagnosisChoices));
    const primary = diagnoses[0]!;

    rows.Encounter.push({
      id: encounterId,
      patientId,
      facilityId: where.id,
      providerId,
      kind,
      status: open ? "open" : "closed",
      reason: primary.description,
      note: `${kind} encounter. Assessment: ${diagnoses.map((d) => d.description.toLowerCase()).join("; ")}. Plan discussed with patient.`,
      startedAt,
      endedAt,
      version: 1,
      createdAt: startedAt,
      updatedAt: endedAt ?? startedAt,
    });

    const seen = new Set<string>();
    diagnoses.forEach((d, i) => {
      if (seen.has(d.code)) return;
      seen.add(d.code);
      rows.Diagnosis.push({
        id: `dx-${key}-${e}-${i}`,
        patientId,
        encounterId,
        providerId,
        code: d.code,
        description: d.description,
        recordedAt: new Date(startedAt.getTime() + rng.int(5, 30) * MINUTE_MS),
        version: 1,
      });
    });

    const procedureCodes = [rng.pick(VISIT_PROCEDURE[kind])];
    for (const d of diagnoses) if (d.procedure && !procedureCodes.includes(d.procedure) && rng.chance(0.6)) procedureCodes.push(d.procedure);
    if (kind !== "telehealth" && rng.chance(0.2)) procedureCodes.push("85025", "36415");
    if (kind === "inpatient") procedureCodes.push("99231");
    procedureCodes.forEach((code, i) => {
      rows.Procedure.push({
        id: `px-${key}-${e}-${i}`,
        patientId,
        encounterId,
        providerId,
        code,
        description: PROCEDURE_BY_CODE.get(code)!.description,
        performedAt: new Date(startedAt.getTime() + (i + 1) * rng.int(5, 20) * MINUTE_MS),
        version: 1,
      });
    });

    const medicationCodes = [...new Set(diagnoses.flatMap((d) => (d.medications && rng.chance(0.7) ? [rng.pick(d.medications)] : [])))];
    medicationCodes.forEach((code, i) => {
      const med = MEDICATION_BY_CODE.get(code)!;
      const prescribedAt = new Date(startedAt.getTime() + rng.int(10, 40) * MINUTE_MS);
      const stopped = rng.chance(0.25) && prescribedAt.getTime() + 14 * DAY_MS < now;
      rows.Medication.push({
        id: `med-${key}-${e}-${i}`,
        patientId,
        encounterId,
        providerId,
        code,
        name: med.name,
        dose: med.dose,
        frequency: med.frequency,
        status: stopped ? "discontinued" : "active",
        prescribedAt,
        discontinuedAt: stopped ? new Date(prescribedAt.getTime() + rng.int(14, 120) * DAY_MS) : null,
        version: 1,
      });
    });

    if (endedAt && rng.chance(0.92)) addClaim(ctx, rows, { patientId, encounterId, facilityId: where.id, endedAt, procedureCodes, key: `${key}-${e}`, age });
  }
  // Discontinued dates drawn past the reference date are clipped to it.
  for (const m of rows.Medication) if (m.discontinuedAt && (m.discontinuedAt as Date).getTime() > now) m.discontinuedAt = asOf;
  return { patientId, rows, clear };
}

function addClaim(
  ctx: SynthContext,
  rows: GeneratedPatient["rows"],
  e: { patientId: string; encounterId: string; facilityId: string; endedAt: Date; procedureCodes: string[]; key: string; age: number },
) {
  const { rng, asOf } = ctx;
  const now = asOf.getTime();
  const claimId = `clm-${e.key}`;
  let total = 0;
  e.procedureCodes.forEach((code, i) => {
    const units = code === "99231" ? rng.int(1, 5) : 1;
    // Facilities price around the list price.
    const unitPrice = Math.round((PROCEDURE_BY_CODE.get(code)!.priceCents * rng.int(85, 125)) / 100);
    total += unitPrice * units;
    rows.ClaimLine.push({
      id: `cl-${e.key}-${i + 1}`,
      claimId,
      patientId: e.patientId,
      lineNumber: i + 1,
      code,
      description: PROCEDURE_BY_CODE.get(code)!.description,
      units,
      unitPriceCents: unitPrice,
      amountCents: unitPrice * units,
    });
  });

  const at = (base: number, minDays: number, maxDays: number) => base + rng.int(minDays * 24, maxDays * 24) * 3_600_000;
  const created = at(e.endedAt.getTime(), 0, 1);
  const submitted = at(created, 0, 3);
  const adjudicated = at(submitted, 5, 30);
  const paid = at(adjudicated, 2, 10);
  const outcome = rng.weighted([
    ["paid", 80],
    ["denied", 9],
    ["adjudicated", 11],
  ] as const);
  const status =
    created > now ? null : submitted > now ? "draft" : adjudicated > now ? "submitted" : outcome === "paid" && paid > now ? "adjudicated" : outcome;
  if (!status) {
    rows.ClaimLine.splice(rows.ClaimLine.length - e.procedureCodes.length);
    return;
  }
  const allowed = status === "adjudicated" || status === "paid" ? Math.round((total * rng.int(55, 90)) / 100) : null;
  const stamp = (t: number, from: string[]) => (from.includes(status) ? new Date(t) : null);
  const updated = { draft: created, submitted, adjudicated, paid, denied: adjudicated }[status];
  rows.Claim.push({
    id: claimId,
    patientId: e.patientId,
    encounterId: e.encounterId,
    facilityId: e.facilityId,
    payer:
      e.age >= 65
        ? rng.pick([PAYERS[3], PAYERS[0]])
        : rng.weighted([
            [PAYERS[0], 40],
            [PAYERS[1], 35],
            [PAYERS[2], 18],
            [PAYERS[4], 7],
          ] as const),
    status,
    totalCents: total,
    allowedCents: allowed,
    paidCents: status === "paid" ? allowed : null,
    denialReason: status === "denied" ? rng.pick(DENIAL_REASONS) : null,
    submittedAt: stamp(submitted, ["submitted", "adjudicated", "paid", "denied"]),
    adjudicatedAt: stamp(adjudicated, ["adjudicated", "paid", "denied"]),
    paidAt: stamp(paid, ["paid"]),
    version: 1,
    createdAt: new Date(created),
    updatedAt: new Date(updated),
  });
}
