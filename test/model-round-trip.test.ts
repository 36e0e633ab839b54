// Every model is written through Prisma and read back unchanged from the migrated database, on SQLite and
// on PostgreSQL: the proof that the hand-written SQL migrations match the Prisma schema.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

const at = (iso: string) => new Date(iso);

describe.each(BACKENDS)("every model round-trips through the migrated %s database", (backend) => {
  let t: TestLab;
  beforeAll(async () => {
    t = await createTestLab(backend, { shardCount: 2 });
  });
  afterAll(async () => t?.dispose());

  it("round-trips the patient-rooted models, history, audit and outbox on a shard", async () => {
    const db = t.lab.shards[0]!.prisma;
    const patient = {
      id: "pat-rt",
      bucket: 7,
      facilityId: "fac-0001",
      mrnToken: "mrn_x",
      nationalIdToken: "nid_x",
      phoneToken: "tel_x",
      emailToken: "eml_x",
      givenName: "Ada",
      familyName: "Lovelace",
      sex: "female",
      birthDate: at("1980-02-03T00:00:00.000Z"),
      addressLine: "1 Main St",
      city: "Springfield",
      region: "IL",
      postalCode: "62701",
      version: 1,
      createdAt: at("2026-01-02T03:04:05.678Z"),
      updatedAt: at("2026-01-02T03:04:05.678Z"),
    };
    const encounter = {
      id: "enc-rt",
      patientId: "pat-rt",
      facilityId: "fac-0001",
      providerId: "prv-0001-01",
      kind: "outpatient",
      status: "closed",
      reason: "check-up",
      note: "unicode ✓ and 'quotes'",
      startedAt: at("2026-03-01T10:00:00.000Z"),
      endedAt: at("2026-03-01T10:30:00.000Z"),
      version: 2,
      createdAt: at("2026-03-01T10:00:00.000Z"),
      updatedAt: at("2026-03-01T10:30:00.000Z"),
    };
    const diagnosis = {
      id: "dx-rt",
      patientId: "pat-rt",
      encounterId: "enc-rt",
      providerId: "prv-0001-01",
      code: "I10",
      description: "Hypertension",
      recordedAt: at("2026-03-01T10:10:00.000Z"),
      version: 1,
    };
    const procedure = {
      id: "px-rt",
      patientId: "pat-rt",
      encounterId: "enc-rt",
      providerId: "prv-0001-01",
      code: "93000",
      description: "ECG",
      performedAt: at("2026-03-01T10:20:00.000Z"),
      version: 1,
    };
    const medication = {
      id: "med-rt",
      patientId: "pat-rt",
      encounterId: "enc-rt",
      providerId: "prv-0001-01",
      code: "lisinopril-10",
      name: "Lisinopril",
      dose: "10 mg",
      frequency: "daily",
      status: "discontinued",
      prescribedAt: at("2026-03-01T10:25:00.000Z"),
      discontinuedAt: at("2026-04-01T00:00:00.000Z"),
      version: 3,
    };
    const claim = {
      id: "clm-rt",
      patientId: "pat-rt",
      encounterId: "enc-rt",
      facilityId: "fac-0001",
      payer: "Self-pay",
      status: "paid",
      totalCents: 2_147_483_000,
      allowedCents: 100,
      paidCents: 99,
      denialReason: null,
      submittedAt: at("2026-03-02T00:00:00.000Z"),
      adjudicatedAt: at("2026-03-10T00:00:00.000Z"),
      paidAt: at("2026-03-12T00:00:00.000Z"),
      version: 1,
      createdAt: at("2026-03-01T11:00:00.000Z"),
      updatedAt: at("2026-03-12T00:00:00.000Z"),
    };
    const line = {
      id: "cl-rt",
      claimId: "clm-rt",
      patientId: "pat-rt",
      lineNumber: 1,
      code: "93000",
      description: "ECG",
      units: 2,
      unitPriceCents: 50,
      amountCents: 100,
    };
    const history = {
      id: "his-rt",
      patientId: "pat-rt",
      entityType: "Encounter",
      entityId: "enc-rt",
      version: 2,
      operation: "update",
      before: '{"status":"open"}',
      after: '{"status":"closed"}',
      actorId: "usr-clinician",
      requestId: null,
      changedAt: at("2026-03-01T10:30:00.000Z"),
    };
    const audit = {
      sequence: 9_007_199_254_740_993n,
      occurredAt: at("2026-03-01T10:30:00.000Z"),
      actorId: "usr-clinician",
      actorRole: "clinician",
      action: "encounter.close",
      entityType: "Encounter",
      entityId: "enc-rt",
      patientId: "pat-rt",
      requestId: "req-1",
      traceId: "0af7651916cd43dd8448eb211c80319c",
      outcome: "success",
      details: "{}",
      prevHash: "0".repeat(64),
      hash: "a".repeat(64),
    };
    const meta = { key: "rt", value: "ok" };

    await db.patient.create({ data: patient });
    await db.encounter.create({ data: encounter });
    await db.diagnosis.create({ data: diagnosis });
    await db.procedure.create({ data: procedure });
    await db.medication.create({ data: medication });
    await db.claim.create({ data: claim });
    await db.claimLine.create({ data: line });
    await db.entityHistory.create({ data: history });
    await db.auditEntry.create({ data: audit });
    await db.labMeta.create({ data: meta });
    const event = await db.outboxEvent.create({
      data: {
        eventId: "evt-rt",
        eventType: "EncounterClosed",
        eventVersion: 1,
        aggregateType: "Encounter",
        aggregateId: "enc-rt",
        partitionKey: "pat-rt",
        payload: "{}",
        headers: '{"traceparent":"00-x"}',
        occurredAt: at("2026-03-01T10:30:00.000Z"),
        publishedAt: null,
      },
    });

    expect(await db.patient.findUnique({ where: { id: "pat-rt" } })).toEqual(patient);
    expect(await db.encounter.findUnique({ where: { id: "enc-rt" } })).toEqual(encounter);
    expect(await db.diagnosis.findUnique({ where: { id: "dx-rt" } })).toEqual(diagnosis);
    expect(await db.procedure.findUnique({ where: { id: "px-rt" } })).toEqual(procedure);
    expect(await db.medication.findUnique({ where: { id: "med-rt" } })).toEqual(medication);
    expect(await db.claim.findUnique({ where: { id: "clm-rt" } })).toEqual(claim);
    expect(await db.claimLine.findUnique({ where: { id: "cl-rt" } })).toEqual(line);
    expect(await db.entityHistory.findUnique({ where: { id: "his-rt" } })).toEqual(history);
    expect(await db.auditEntry.findUnique({ where: { sequence: audit.sequence } })).toEqual(audit);
    expect(await db.labMeta.findUnique({ where: { key: "rt" } })).toEqual(meta);
    expect(typeof event.position).toBe("bigint");
    expect(await db.outboxEvent.findUnique({ where: { eventId: "evt-rt" } })).toEqual({ ...event, attempts: 0 });
    const second = await db.outboxEvent.create({
      data: {
        eventId: "evt-rt-2",
        eventType: "X",
        eventVersion: 1,
        aggregateType: "X",
        aggregateId: "x",
        partitionKey: "pat-rt",
        payload: "{}",
        headers: "{}",
        occurredAt: at("2026-03-01T10:31:00.000Z"),
      },
    });
    expect(second.position).toBeGreaterThan(event.position);
  });

  it("round-trips the control models", async () => {
    const db = t.lab.control.prisma;
    const facility = {
      id: "fac-rt",
      name: "Test General",
      kind: "hospital",
      city: "Springfield",
      region: "IL",
      bedCount: 250,
      createdAt: at("2020-01-01T00:00:00.000Z"),
    };
    const provider = {
      id: "prv-rt",
      facilityId: "fac-rt",
      npiToken: "npi_x",
      givenName: "Gregory",
      familyName: "House",
      specialty: "Internal Medicine",
      createdAt: at("2020-01-01T00:00:00.000Z"),
    };
    const user = {
      id: "usr-rt",
      username: "rt.demo",
      displayName: "RT",
      role: "sre",
      facilityId: null,
      patientId: null,
      createdAt: at("2021-01-01T00:00:00.000Z"),
    };
    const drill = {
      id: "drl-rt",
      drillKey: "service-latency",
      status: "running",
      params: '{"ms":200}',
      targets: '["clinical"]',
      actorId: "usr-instructor",
      startedAt: at("2026-01-01T00:00:00.000Z"),
      deadlineAt: at("2026-01-01T00:10:00.000Z"),
      endedAt: null,
      abortReason: null,
    };
    const annotation = {
      id: "ann-rt",
      at: at("2026-01-01T00:00:00.000Z"),
      endAt: at("2026-01-01T00:10:00.000Z"),
      kind: "drill",
      title: "latency drill",
      body: "",
      tags: "[]",
      actorId: "usr-instructor",
      drillRunId: "drl-rt",
      traceId: null,
    };
    await db.facility.create({ data: facility });
    await db.provider.create({ data: provider });
    await db.user.create({ data: user });
    await db.drillRun.create({ data: drill });
    await db.annotation.create({ data: annotation });
    expect(await db.facility.findUnique({ where: { id: "fac-rt" } })).toEqual(facility);
    expect(await db.provider.findUnique({ where: { id: "prv-rt" } })).toEqual(provider);
    expect(await db.user.findUnique({ where: { id: "usr-rt" } })).toEqual(user);
    expect(await db.drillRun.findUnique({ where: { id: "drl-rt" } })).toEqual(drill);
    expect(await db.annotation.findUnique({ where: { id: "ann-rt" } })).toEqual(annotation);
    const bucket = await db.shardBucket.findUnique({ where: { bucket: 1 } });
    expect(bucket).toMatchObject({ bucket: 1, shard: 1, state: "active", version: 1 });
    expect(await db.shardBucket.count()).toBe(1024);
  });
});
