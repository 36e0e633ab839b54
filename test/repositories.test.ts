// The repositories on a generated lab, on SQLite and on PostgreSQL: routing by patient id, cross-shard
// pages equal to one global ordered read, optimistic concurrency, and all-or-nothing shard transactions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClaim, listClaimsByStatus, listClaimsForPatient } from "../lib/data/claims.ts";
import type { Page, PageRequest } from "../lib/data/cross-shard-page.ts";
import { findEncounter, listEncountersByFacility, listEncountersForPatient, listEncountersInRange } from "../lib/data/encounters.ts";
import { findPatient, findPatientByToken, listPatientsByFacility } from "../lib/data/patients.ts";
import { updatePatientDemographics } from "./support/patient-rows.ts";
import { listFacilities } from "../lib/data/reference-data.ts";
import { insertRow } from "../lib/data/rows.ts";
import { inPatientShard } from "../lib/data/shard-transaction.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

async function readAllPages<T>(read: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await read({ limit, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const byKey = (a: { sortKey: number; id: string }, b: { sortKey: number; id: string }) => a.sortKey - b.sortKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe.each(BACKENDS)("repositories on %s", (backend) => {
  let t: TestLab;
  beforeAll(async () => {
    t = await createTestLab(backend);
    await generateLabData(t.lab, { patients: 400, seed: 11, facilities: 4, batchSize: 150 });
  });
  afterAll(async () => t?.dispose());

  it("finds each patient on the shard the map names, and only there", async () => {
    const all = (await Promise.all(t.lab.shards.map((s) => s.prisma.patient.findMany({ select: { id: true } })))).map((rows) => rows.map((r) => r.id));
    expect(all.flat()).toHaveLength(400);
    for (const [shard, ids] of all.entries()) {
      expect(ids.length).toBeGreaterThan(50); // 400 patients over 4 shards
      for (const id of ids) expect(t.lab.shardMap.shardOf(id)).toBe(shard);
    }
    const someone = all[2]![0]!;
    expect((await findPatient(t.lab, someone))?.id).toBe(someone);
    expect(await findPatient(t.lab, "pat-does-not-exist")).toBeNull();
  });

  it("reads patients, encounters with their records and claims with their lines through raw SQL exactly as Prisma does", async () => {
    const claims = (
      await Promise.all(t.lab.shards.map((s) => s.prisma.claim.findMany({ take: 5, include: { lines: { orderBy: { lineNumber: "asc" } } } })))
    ).flat();
    expect(claims.length).toBeGreaterThan(4);
    for (const claim of claims) {
      const shard = t.lab.shardForPatient(claim.patientId).prisma;
      expect(await findPatient(t.lab, claim.patientId)).toEqual(await shard.patient.findUnique({ where: { id: claim.patientId } }));
      expect(await findClaim(t.lab, claim.patientId, claim.id)).toEqual(claim);
      const encounter = await shard.encounter.findUnique({
        where: { id: claim.encounterId },
        include: {
          diagnoses: { orderBy: { recordedAt: "asc" } },
          procedures: { orderBy: { performedAt: "asc" } },
          medications: { orderBy: { prescribedAt: "asc" } },
        },
      });
      expect(await findEncounter(t.lab, claim.patientId, claim.encounterId)).toEqual(encounter);
      expect(encounter!.diagnoses.length + encounter!.procedures.length).toBeGreaterThan(0);
      expect(await findClaim(t.lab, "pat-someone-else", claim.id)).toBeNull();
      expect(await findEncounter(t.lab, "pat-someone-else", claim.encounterId)).toBeNull();
    }
  });

  it("pages patients of a facility across shards exactly as one ordered read would", async () => {
    const [facility] = await listFacilities(t.lab);
    const expected = (await Promise.all(t.lab.shards.map((s) => s.prisma.patient.findMany({ where: { facilityId: facility!.id } }))))
      .flat()
      .map((p) => p.id)
      .sort();
    expect(expected.length).toBeGreaterThan(20);
    const paged = await readAllPages((page) => listPatientsByFacility(t.lab, facility!.id, page), 7);
    expect(paged.map((p) => p.id)).toEqual(expected);
  });

  it("pages encounters by time range and by facility across shards without loss or repeats", async () => {
    const from = new Date("2026-05-01T00:00:00.000Z");
    const to = new Date("2026-08-01T00:00:00.000Z");
    const everything = (await Promise.all(t.lab.shards.map((s) => s.prisma.encounter.findMany()))).flat();
    const inRange = everything
      .filter((e) => e.startedAt >= from && e.startedAt < to)
      .map((e) => ({ sortKey: e.startedAt.getTime(), id: e.id }))
      .sort(byKey)
      .map((e) => e.id);
    expect(inRange.length).toBeGreaterThan(50);
    const paged = await readAllPages((page) => listEncountersInRange(t.lab, { from, to }, page), 13);
    expect(paged.map((e) => e.id)).toEqual(inRange);

    const facilityId = everything[0]!.facilityId;
    const atFacility = everything
      .filter((e) => e.facilityId === facilityId)
      .map((e) => ({ sortKey: e.startedAt.getTime(), id: e.id }))
      .sort(byKey)
      .map((e) => e.id);
    const pagedFacility = await readAllPages((page) => listEncountersByFacility(t.lab, facilityId, {}, page), 50);
    expect(pagedFacility.map((e) => e.id)).toEqual(atFacility);
  });

  it("pages claims by status across shards and one patient's claims and encounters on their shard", async () => {
    const everything = (await Promise.all(t.lab.shards.map((s) => s.prisma.claim.findMany({ where: { status: "paid" } })))).flat();
    const expected = everything
      .map((c) => ({ sortKey: c.createdAt.getTime(), id: c.id }))
      .sort(byKey)
      .map((c) => c.id);
    const paged = await readAllPages((page) => listClaimsByStatus(t.lab, "paid", page), 25);
    expect(paged.map((c) => c.id)).toEqual(expected);

    const patientId = everything[0]!.patientId;
    const claims = await readAllPages((page) => listClaimsForPatient(t.lab, patientId, page), 1);
    expect(claims.every((c) => c.patientId === patientId)).toBe(true);
    const encounters = await readAllPages((page) => listEncountersForPatient(t.lab, patientId, page), 2);
    expect(encounters.length).toBeGreaterThanOrEqual(claims.length);
    const detail = await findEncounter(t.lab, patientId, encounters[0]!.id);
    expect(detail?.diagnoses.length).toBeGreaterThan(0);
    expect(detail?.procedures.length).toBeGreaterThan(0);
  });

  it("finds a patient by pseudonymous token on whichever shard holds it", async () => {
    const [p] = await t.lab.shards[3]!.prisma.patient.findMany({ take: 1 });
    expect((await findPatientByToken(t.lab, "mrnToken", p!.mrnToken))?.id).toBe(p!.id);
    expect(await findPatientByToken(t.lab, "mrnToken", "mrn_unknown")).toBeNull();
  });

  it("applies a demographics change at the expected version and refuses a stale one with a 409", async () => {
    const [p] = await t.lab.shards[1]!.prisma.patient.findMany({ take: 1 });
    const at = new Date("2026-11-02T00:00:00.000Z");
    const { before, after } = await inPatientShard(t.lab, p!.id, (tx) => updatePatientDemographics(tx, p!.id, 1, { city: "Newtown" }, at));
    expect(before.city).toBe(p!.city);
    expect(after).toMatchObject({ city: "Newtown", version: 2, updatedAt: at });
    await expect(inPatientShard(t.lab, p!.id, (tx) => updatePatientDemographics(tx, p!.id, 1, { city: "Oldtown" }, at))).rejects.toMatchObject({
      status: 409,
      field: "version",
    });
    expect((await findPatient(t.lab, p!.id))?.city).toBe("Newtown");
  });

  it("rolls back every row of a shard transaction that fails part-way", async () => {
    const [p] = await t.lab.shards[0]!.prisma.patient.findMany({ take: 1 });
    const failure = new Error("injected failure between the domain row and its history row");
    await expect(
      inPatientShard(t.lab, p!.id, async (tx) => {
        await updatePatientDemographics(tx, p!.id, p!.version, { familyName: "Halfwritten" }, new Date());
        await insertRow(tx, "EntityHistory", {
          id: "his-partial",
          patientId: p!.id,
          entityType: "Patient",
          entityId: p!.id,
          version: 2,
          operation: "update",
          before: "{}",
          after: "{}",
          actorId: "test",
          requestId: null,
          changedAt: new Date(),
        });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await findPatient(t.lab, p!.id))?.familyName).toBe(p!.familyName);
    expect(await t.lab.shards[0]!.prisma.entityHistory.count({ where: { id: "his-partial" } })).toBe(0);
  });
});
