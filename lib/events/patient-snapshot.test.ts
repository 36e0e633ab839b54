import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPseudonymizer } from "../privacy/pseudonymize.ts";
import { generatePatient, patientRecordOf } from "../synth/generate-patient.ts";
import { createSynthContext } from "../synth/synth-context.ts";
import { payloadSchema } from "./catalog.ts";
import { type PatientRecordRows, catalogEventOf, patientSnapshotEvent, snapshotFacts } from "./patient-snapshot.ts";

const context = (seed: number) =>
  createSynthContext({
    seed,
    asOf: new Date("2026-11-30T12:00:00.000Z"),
    facilities: [
      { id: "fac-0001", kind: "hospital", providerIds: ["prv-0001-01", "prv-0001-02"] },
      { id: "fac-0002", kind: "clinic", providerIds: ["prv-0002-01"] },
    ],
    pseudonymize: createPseudonymizer("unit-test-secret-0123456789"),
  });
const recordOf = (seed: number, index: number): PatientRecordRows => patientRecordOf(generatePatient(context(seed), index));
const asOf = new Date("2026-11-30T12:00:00.000Z");

describe("a patient record's snapshot event", () => {
  it("is an event of the catalog for any generated patient, and every fact it unfolds into is one too", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 31 - 1 }), fc.nat({ max: 100_000 }), (seed, index) => {
        const event = patientSnapshotEvent(recordOf(seed, index), asOf);
        const wire = JSON.parse(JSON.stringify(event.payload)) as Record<string, unknown>; // as the outbox stores it
        expect(payloadSchema(event.type, event.version)!.safeParse(wire).success).toBe(true);
        for (const fact of snapshotFacts(wire)) {
          const parsed = payloadSchema(fact.type, 1)!.safeParse(fact.payload);
          expect(parsed.success, `${fact.type}: ${parsed.error?.message}`).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("unfolds into what the API would have emitted: one registration, each encounter opened and closed if ended, each claim through its states in order", () => {
    const record = recordOf(42, 7);
    const facts = snapshotFacts(JSON.parse(JSON.stringify(patientSnapshotEvent(record, asOf).payload)));
    const count = (type: string) => facts.filter((f) => f.type === type).length;
    expect(count("PatientRegistered")).toBe(1);
    expect(count("EncounterOpened")).toBe(record.encounters.length);
    expect(count("EncounterClosed")).toBe(record.encounters.filter((e) => e.endedAt).length);
    expect(count("DiagnosisRecorded")).toBe(record.diagnoses.length);
    expect(count("MedicationDiscontinued")).toBe(record.medications.filter((m) => m.discontinuedAt).length);
    expect(count("ClaimCreated")).toBe(record.claims.length);
    for (const claim of record.claims) {
      const path = facts.filter((f) => f.payload.claimId === claim.id).map((f) => f.type);
      const expected = {
        draft: ["ClaimCreated"],
        submitted: ["ClaimCreated", "ClaimSubmitted"],
        adjudicated: ["ClaimCreated", "ClaimSubmitted", "ClaimAdjudicated"],
        paid: ["ClaimCreated", "ClaimSubmitted", "ClaimAdjudicated", "ClaimPaid"],
        denied: ["ClaimCreated", "ClaimSubmitted", "ClaimDenied"],
      }[String(claim.status)];
      expect(path).toEqual(expected);
    }
    expect(JSON.stringify(facts)).not.toMatch(new RegExp(`${String(record.patient.givenName)}|${String(record.patient.familyName)}`));
  });

  it("names each fact's aggregate as the live command does", () => {
    const [registered, opened] = snapshotFacts(JSON.parse(JSON.stringify(patientSnapshotEvent(recordOf(3, 1), asOf).payload)));
    expect(catalogEventOf(registered!, "pat-x")).toMatchObject({ type: "PatientRegistered", aggregateType: "Patient", partitionKey: "pat-x" });
    expect(catalogEventOf(opened!, "pat-x")).toMatchObject({ type: "EncounterOpened", aggregateType: "Encounter", aggregateId: opened!.payload.encounterId });
  });
});
