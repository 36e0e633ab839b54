// The outbox relay on SQLite and PostgreSQL shards into the embedded log: every event published once per
// pass, in outbox order per patient, with its trace context; nothing marked published when the bus fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEncounter } from "../lib/clinical/encounter-commands.ts";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { recordDiagnosis } from "../lib/clinical/record-commands.ts";
import { DOMAIN_TOPIC, type Delivery, type EventBus } from "../lib/events/bus.ts";
import { type EmbeddedLog, openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { checkEnvelope } from "../lib/events/envelope.ts";
import { outboxBacklog, relayOnce } from "../lib/events/relay.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { commandContext, outpatientVisit, patientRegistration } from "./support/clinical-writes.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe.each(BACKENDS)("outbox relay on %s", (backend) => {
  let t: TestLab;
  let log: EmbeddedLog;
  let dir: string;
  let n = 0;
  const ctx = () => ({ ...commandContext(`req-relay-${++n}`), traceparent: TRACEPARENT });

  beforeAll(async () => {
    t = await createTestLab(backend);
    await generateLabData(t.lab, { patients: 10, seed: 3, facilities: 1 });
    dir = mkdtempSync(join(tmpdir(), "pimlab-relay-"));
    log = await openEmbeddedLog({ file: join(dir, "events.db"), partitions: 4, pollMs: 5 });
    const providerId = (await t.lab.control.prisma.provider.findFirstOrThrow({ where: { facilityId: "fac-0001" } })).id;
    for (let i = 0; i < 12; i++) {
      const { body: patient } = await registerPatient(t.lab, ctx(), patientRegistration(`RELAY-${backend}-${i}`));
      const { body: encounter } = await openEncounter(t.lab, ctx(), patient.id, outpatientVisit(providerId, "relay"));
      await recordDiagnosis(t.lab, ctx(), patient.id, encounter.id, { code: "R05", description: "Cough" });
    }
  });
  afterAll(async () => {
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
    await t?.dispose();
  });

  async function readAll(expected: number): Promise<Delivery[]> {
    const got: Delivery[] = [];
    const sub = await log.subscribe({ group: `check-${backend}-${Date.now()}`, topic: DOMAIN_TOPIC, fromBeginning: true }, async (b) => void got.push(...b));
    const end = Date.now() + 10_000;
    while (got.length < expected && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    await sub.stop();
    return got;
  }

  it("leaves the outbox untouched when the bus refuses the batch", async () => {
    // The real log with its publish failing, as a bus does while its broker is down.
    const failing: EventBus = {
      kind: log.kind,
      partitions: log.partitions,
      publish: async () => Promise.reject(new Error("broker down")),
      ensureTopic: (tp) => log.ensureTopic(tp),
      subscribe: (o, h) => log.subscribe(o, h),
      seek: (g, tp, to) => log.seek(g, tp, to),
      lag: (g, tp) => log.lag(g, tp),
      ends: (tp) => log.ends(tp),
      offsetsAt: (tp, at) => log.offsetsAt(tp, at),
      deleteBefore: (tp, o) => log.deleteBefore(tp, o),
      close: async () => undefined,
    };
    const before = await Promise.all(t.lab.shards.map(outboxBacklog));
    for (const shard of t.lab.shards.filter((_s, i) => before[i]! > 0)) await expect(relayOnce(shard, failing)).rejects.toThrow("broker down");
    expect(await Promise.all(t.lab.shards.map(outboxBacklog))).toEqual(before);
    expect(before.reduce((a, b) => a + b, 0)).toBe(46); // 36 written, and the 10 seeded patients' snapshots
  });

  it("publishes every outbox event once, in outbox order per patient, with its trace, and marks it published", async () => {
    const rows = (await Promise.all(t.lab.shards.map((s) => s.prisma.outboxEvent.findMany({ orderBy: { position: "asc" } })))).flat();
    for (const shard of t.lab.shards) {
      const pass = await relayOnce(shard, log, 500);
      expect(pass.backlog).toBe(0);
    }
    expect((await Promise.all(t.lab.shards.map((s) => relayOnce(s, log)))).map((p) => p.published)).toEqual([0, 0, 0, 0]);
    const got = await readAll(rows.length);
    const envelopes = got.map((d) => checkEnvelope(JSON.parse(d.value)));
    expect(envelopes.map((e) => e.eventId).sort()).toEqual(rows.map((r) => r.eventId).sort());
    expect(new Set(envelopes.map((e) => e.eventId)).size).toBe(rows.length);
    // Seeding has no request to trace; every write's events carry the request's trace.
    for (const d of got) expect(d.headers.traceparent).toBe(d.headers.type === "PatientRecordSnapshot.v1" ? undefined : TRACEPARENT);
    const byPatient = new Map<string, string[]>();
    for (const e of envelopes) byPatient.set(e.partitionKey, [...(byPatient.get(e.partitionKey) ?? []), e.type]);
    const stories = [...byPatient.values()].map((types) => types.join(" "));
    expect(stories.filter((s) => s === "PatientRecordSnapshot")).toHaveLength(10);
    expect(stories.filter((s) => s === "PatientRegistered EncounterOpened DiagnosisRecorded")).toHaveLength(12);
    const unpublished = await Promise.all(t.lab.shards.map((s) => s.prisma.outboxEvent.count({ where: { publishedAt: null } })));
    expect(unpublished).toEqual([0, 0, 0, 0]);
  });
});
