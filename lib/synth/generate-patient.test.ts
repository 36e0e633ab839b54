import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPseudonymizer } from "../privacy/pseudonymize.ts";
import { generatePatient, patientIdFor, uniqueDigits } from "./generate-patient.ts";
import { createSynthContext } from "./synth-context.ts";

const context = (seed: number) =>
  createSynthContext({
    seed,
    facilities: [
      { id: "fac-0001", kind: "hospital", providerIds: ["prv-0001-01", "prv-0001-02"] },
      { id: "fac-0002", kind: "clinic", providerIds: ["prv-0002-01"] },
    ],
    pseudonymize: createPseudonymizer("unit-test-secret-0123456789"),
  });

describe("patient generation", () => {
  it("never repeats a unique identifier within a seed (200,000 indices)", () => {
    for (const seed of [0, 42, 2 ** 31 - 1]) {
      const seen = new Set<string>();
      for (let i = 0; i < 200_000; i++) seen.add(uniqueDigits(seed, i, 8));
      expect(seen.size).toBe(200_000);
    }
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 10 ** 8 - 1 }), (seed, i) => {
        expect(uniqueDigits(seed, i, 8)).toMatch(/^\d{8}$/);
      }),
    );
  });

  it("makes the same patient for the same seed and index, in any order", () => {
    const a = context(5);
    const b = context(5);
    const forward = [0, 1, 2, 3].map((i) => generatePatient(a, i));
    const backward = [3, 2, 1, 0].map((i) => generatePatient(b, i)).reverse();
    expect(backward).toEqual(forward);
    expect(patientIdFor(context(5), 2)).toBe(forward[2]!.patientId);
    expect(generatePatient(context(6), 0).patientId).not.toBe(forward[0]!.patientId);
  });

  it("shares no patient between neighbouring seeds", () => {
    const ids = (seed: number) => new Set(Array.from({ length: 2000 }, (_, i) => patientIdFor(context(seed), i)));
    const base = ids(42);
    for (const other of [41, 43, 44, 100]) expect([...ids(other)].filter((id) => base.has(id))).toEqual([]);
  });

  it("keeps every record of a patient consistent: same patient, encounters before claims, lines summing to the total", () => {
    const ctx = context(9);
    for (let i = 0; i < 300; i++) {
      const { patientId, rows } = generatePatient(ctx, i);
      const encounters = new Map(rows.Encounter.map((e) => [e.id as string, e]));
      for (const list of [rows.Encounter, rows.Diagnosis, rows.Procedure, rows.Medication, rows.Claim, rows.ClaimLine]) {
        for (const r of list) expect(r.patientId).toBe(patientId);
      }
      for (const r of [...rows.Diagnosis, ...rows.Procedure, ...rows.Medication, ...rows.Claim]) expect(encounters.has(r.encounterId as string)).toBe(true);
      for (const c of rows.Claim) {
        const encounter = encounters.get(c.encounterId as string)!;
        expect(encounter.status).toBe("closed");
        expect((c.createdAt as Date).getTime()).toBeGreaterThanOrEqual((encounter.endedAt as Date).getTime());
        const lines = rows.ClaimLine.filter((l) => l.claimId === c.id);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.reduce((sum, l) => sum + (l.amountCents as number), 0)).toBe(c.totalCents);
      }
      for (const e of rows.Encounter) if (e.endedAt) expect((e.endedAt as Date).getTime()).toBeGreaterThan((e.startedAt as Date).getTime());
    }
  });
});
