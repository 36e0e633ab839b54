// The clinical write path on SQLite and PostgreSQL: each write commits its domain row, history, audit entry
// and outbox event together or not at all; Idempotency-Key replays answer the first response and write
// nothing; stale versions are 409s; the service enforces the policy itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../lib/audit/verify-chain.ts";
import type { Actor } from "../lib/auth/roles.ts";
import { closeEncounter, openEncounter } from "../lib/clinical/encounter-commands.ts";
import { registerPatient, updateDemographics } from "../lib/clinical/patient-commands.ts";
import { discontinueMedication, prescribeMedication, recordDiagnosis, recordProcedure } from "../lib/clinical/record-commands.ts";
import type { RequestContext, WriteFault } from "../lib/commands/run-patient-command.ts";
import type { LabDatabases } from "../lib/data/lab-databases.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { FAC1_CLINICIAN, outpatientVisit, patientRegistration } from "./support/clinical-writes.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const clinician = FAC1_CLINICIAN;
let requests = 0;
const ctx = (actor: Actor = clinician, idempotencyKey: string | null = null): RequestContext => ({
  actor,
  requestId: `req-${++requests}`,
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  idempotencyKey,
  now: new Date(),
});
const registration = (n: number) => patientRegistration(`T-${n}`);

/** Rows of every kind on every shard: what a write leaves behind, or must not. */
async function footprint(lab: LabDatabases) {
  const counts = await Promise.all(
    lab.shards.map(async (s) => ({
      patients: await s.prisma.patient.count(),
      encounters: await s.prisma.encounter.count(),
      diagnoses: await s.prisma.diagnosis.count(),
      history: await s.prisma.entityHistory.count(),
      audit: await s.prisma.auditEntry.count(),
      outbox: await s.prisma.outboxEvent.count(),
      idempotency: await s.prisma.idempotencyRecord.count(),
      head: (await s.prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 } })).sequence,
    })),
  );
  return counts;
}

describe.each(BACKENDS)("clinical commands on %s", (backend) => {
  let t: TestLab;
  let providerId: string;
  beforeAll(async () => {
    t = await createTestLab(backend, { secret: SECRET });
    await generateLabData(t.lab, { patients: 40, seed: 3, facilities: 2 });
    providerId = (await t.lab.control.prisma.provider.findFirstOrThrow({ where: { facilityId: "fac-0001" } })).id;
  });
  afterAll(async () => t?.dispose());

  it("commits a registration with its history, audit entry and outbox event on the patient's shard", async () => {
    const reply = await registerPatient(t.lab, ctx(), registration(1));
    expect(reply.status).toBe(201);
    const shard = t.lab.shardForPatient(reply.body.id);
    expect(await shard.prisma.entityHistory.count({ where: { entityId: reply.body.id, operation: "create" } })).toBe(1);
    const audit = await shard.prisma.auditEntry.findFirstOrThrow({ where: { entityId: reply.body.id } });
    expect(audit).toMatchObject({ action: "patient.register", actorId: "usr-clinician", traceId: "0af7651916cd43dd8448eb211c80319c", outcome: "success" });
    const event = await shard.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: reply.body.id } });
    expect(event).toMatchObject({ eventType: "PatientRegistered", partitionKey: reply.body.id, publishedAt: null });
    expect(JSON.parse(event.headers)).toMatchObject({ requestId: audit.requestId, traceparent: expect.stringMatching(/^00-0af765/) });
    expect(JSON.stringify(reply.body)).not.toMatch(/MRN-T-1|999-00-0001|t-1@example/);
    expect((await verifyAuditChain(shard, SECRET)).ok).toBe(true);
  });

  it.each(["after-domain", "after-history", "after-audit", "after-outbox"] as WriteFault[])("writes nothing at all when the write fails %s", async (fault) => {
    const before = await footprint(t.lab);
    await expect(registerPatient(t.lab, ctx(), registration(2), fault)).rejects.toThrow(`injected write fault ${fault}`);
    const patient = (await t.lab.shards[0]!.prisma.patient.findFirstOrThrow({ where: { facilityId: "fac-0001" } }))!;
    await expect(updateDemographics(t.lab, ctx(), patient.id, patient.version, { city: "Torn" }, fault)).rejects.toThrow("injected");
    expect(await footprint(t.lab)).toEqual(before);
    expect((await t.lab.shards[0]!.prisma.patient.findUniqueOrThrow({ where: { id: patient.id } })).city).toBe(patient.city);
  });

  it("answers a replayed Idempotency-Key with the first response and writes nothing more; another body is a 422", async () => {
    const first = await registerPatient(t.lab, ctx(clinician, "key-1"), registration(3));
    const before = await footprint(t.lab);
    const again = await registerPatient(t.lab, ctx(clinician, "key-1"), registration(3));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await footprint(t.lab)).toEqual(before);
    await expect(registerPatient(t.lab, ctx(clinician, "key-1"), registration(4))).rejects.toMatchObject({ status: 422, field: "Idempotency-Key" });
    // The same key from another caller is another request.
    const other = await registerPatient(t.lab, ctx({ ...clinician, userId: "usr-clinician-2" }, "key-1"), registration(4));
    expect(other.body.id).not.toBe(first.body.id);
  });

  it("refuses an Idempotency-Key reused for another operation with the same body, instead of replaying the wrong answer", async () => {
    const { body: patient } = await registerPatient(t.lab, ctx(), registration(60));
    const { body: encounter } = await openEncounter(t.lab, ctx(), patient.id, outpatientVisit(providerId, "check"));
    const same = { code: "Z00.0", description: "General examination" };
    const first = await recordDiagnosis(t.lab, ctx(clinician, "key-op"), patient.id, encounter.id, same);
    await expect(recordProcedure(t.lab, ctx(clinician, "key-op"), patient.id, encounter.id, same)).rejects.toMatchObject({
      status: 422,
      field: "Idempotency-Key",
    });
    expect(await recordDiagnosis(t.lab, ctx(clinician, "key-op"), patient.id, encounter.id, same)).toEqual({ ...first, replayed: true });
  });

  it("runs a whole encounter: open, diagnose, treat, prescribe, discontinue, close; each step versioned and audited", async () => {
    const { body: patient } = await registerPatient(t.lab, ctx(), registration(5));
    const { body: encounter } = await openEncounter(t.lab, ctx(), patient.id, outpatientVisit(providerId, "cough"));
    await recordDiagnosis(t.lab, ctx(), patient.id, encounter.id, { code: "J06.9", description: "Acute upper respiratory infection" });
    await recordProcedure(t.lab, ctx(), patient.id, encounter.id, { code: "99213", description: "Office visit" });
    const { body: med } = await prescribeMedication(t.lab, ctx(), patient.id, encounter.id, {
      code: "amoxicillin-500",
      name: "Amoxicillin",
      dose: "500 mg",
      frequency: "tid",
    });
    await expect(discontinueMedication(t.lab, ctx(), patient.id, med.id, 7)).rejects.toMatchObject({ status: 409, field: "If-Match" });
    const { body: stopped } = await discontinueMedication(t.lab, ctx(), patient.id, med.id, 1);
    expect(stopped).toMatchObject({ status: "discontinued", version: 2 });
    const { body: closed } = await closeEncounter(t.lab, ctx(), patient.id, encounter.id, 1);
    expect(closed).toMatchObject({ status: "closed", version: 2 });
    await expect(recordDiagnosis(t.lab, ctx(), patient.id, encounter.id, { code: "I10", description: "x" })).rejects.toMatchObject({ status: 409 });
    await expect(closeEncounter(t.lab, ctx(), patient.id, encounter.id, 2)).rejects.toMatchObject({ status: 409 });

    const shard = t.lab.shardForPatient(patient.id);
    // Each step, with the audit action and the event it leaves, in order.
    const steps = [
      ["patient.register", "PatientRegistered"],
      ["encounter.open", "EncounterOpened"],
      ["diagnosis.record", "DiagnosisRecorded"],
      ["procedure.record", "ProcedureRecorded"],
      ["medication.prescribe", "MedicationPrescribed"],
      ["medication.discontinue", "MedicationDiscontinued"],
      ["encounter.close", "EncounterClosed"],
    ];
    const actions = (await shard.prisma.auditEntry.findMany({ where: { patientId: patient.id }, orderBy: { sequence: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(steps.map(([action]) => action));
    const events = (await shard.prisma.outboxEvent.findMany({ where: { partitionKey: patient.id }, orderBy: { position: "asc" } })).map((e) => e.eventType);
    expect(events).toEqual(steps.map(([, event]) => event));
    const history = await shard.prisma.entityHistory.findFirstOrThrow({ where: { entityId: encounter.id, version: 2 } });
    expect(JSON.parse(history.before!).status).toBe("open");
    expect(JSON.parse(history.after!).status).toBe("closed");
    expect((await verifyAuditChain(shard, SECRET)).ok).toBe(true);
  });

  it("keeps every shard's chain whole under concurrent registrations, and verifies while writes go on", async () => {
    const writes = Promise.all(Array.from({ length: 16 }, (_, i) => registerPatient(t.lab, ctx(), registration(500 + i))));
    const verifications = Promise.all(Array.from({ length: 8 }, () => Promise.all(t.lab.shards.map((s) => verifyAuditChain(s, SECRET)))));
    const [written, checks] = await Promise.all([writes, verifications]);
    expect(written.every((w) => w.status === 201)).toBe(true);
    expect(checks.flat().filter((c) => !c.ok)).toEqual([]);
    for (const shard of t.lab.shards) expect((await verifyAuditChain(shard, SECRET)).ok).toBe(true);
  });

  it("enforces the policy in the command, whatever the caller claims to be allowed", async () => {
    const { body: patient } = await registerPatient(t.lab, ctx(), registration(6));
    const elsewhere: Actor = { ...clinician, userId: "usr-other-clinic", facilityId: "fac-0002" };
    const billing: Actor = { userId: "usr-billing", role: "billing", facilityId: "fac-0001", patientId: null };
    const self: Actor = { userId: "usr-pat", role: "patient", facilityId: null, patientId: patient.id };
    const before = await footprint(t.lab);
    await expect(updateDemographics(t.lab, ctx(elsewhere), patient.id, 1, { city: "X" })).rejects.toMatchObject({ status: 403 });
    await expect(openEncounter(t.lab, ctx(billing), patient.id, outpatientVisit(providerId, "r"))).rejects.toMatchObject({ status: 403 });
    await expect(registerPatient(t.lab, ctx(elsewhere), registration(7))).rejects.toMatchObject({ status: 403 });
    await expect(openEncounter(t.lab, ctx(self), patient.id, outpatientVisit(providerId, "r"))).rejects.toMatchObject({ status: 403 });
    expect(await footprint(t.lab)).toEqual(before);
    const { body } = await updateDemographics(t.lab, ctx(self), patient.id, 1, { city: "Selfville" });
    expect(body.city).toBe("Selfville");
  });
});
