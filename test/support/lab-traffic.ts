// A seeded lab worked the way its personas work it, through the lab's own write commands (each one
// transaction with its audit entry and outbox event): new patients registered; seeded and new patients
// seen, diagnosed, treated and billed; seeded encounters closed, seeded claims moved on, seeded
// medications stopped. Half of what it touches was seeded, so its events find their predecessors only if
// seeding put the seeded records into the event stream.
import { adjudicateClaim, createClaim, denyClaim, payClaim, submitClaim } from "../../lib/billing/claim-commands.ts";
import { closeEncounter, openEncounter } from "../../lib/clinical/encounter-commands.ts";
import { registerPatient } from "../../lib/clinical/patient-commands.ts";
import { discontinueMedication, prescribeMedication, recordDiagnosis, recordProcedure } from "../../lib/clinical/record-commands.ts";
import type { RequestContext } from "../../lib/commands/run-patient-command.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { outpatientVisit, patientRegistration } from "./clinical-writes.ts";

type Row = Record<string, unknown>;

export interface TrafficCounts {
  commands: number;
}

/** Runs about `rounds` × 12 write commands against the lab's seeded and new records. */
export async function workTheLab(lab: LabDatabases, rounds: number): Promise<TrafficCounts> {
  let n = 0;
  const ctx = (actor: RequestContext["actor"]): RequestContext => ({
    actor,
    requestId: `req-traffic-${n++}`,
    traceparent: null,
    idempotencyKey: null,
    now: new Date(),
  });
  const clinician = (facilityId: string) => ({ userId: `usr-clinician-${facilityId}`, role: "clinician" as const, facilityId, patientId: null });
  const billing = { userId: "usr-billing", role: "billing" as const, facilityId: null, patientId: null };
  const providers = await lab.control.sql.query<{ id: string; facilityId: string }>(`SELECT "id", "facilityId" FROM "providers" ORDER BY "id"`);
  const providerAt = (facilityId: string) => providers.find((p) => p.facilityId === facilityId)!.id;
  const fromShards = async (sql: string, limit: number) => (await Promise.all(lab.shards.map((s) => s.sql.query<Row>(`${sql} LIMIT ?`, [limit])))).flat();

  const [patients, openSeeded, submitted, adjudicated, active] = await Promise.all([
    fromShards(`SELECT "id", "facilityId" FROM "patients" ORDER BY "id"`, rounds),
    fromShards(
      `SELECT e."id", e."patientId", p."facilityId", e."version" FROM "encounters" e JOIN "patients" p ON p."id" = e."patientId" WHERE e."status" = 'open' ORDER BY e."id"`,
      rounds,
    ),
    fromShards(`SELECT "id", "patientId", "version", "totalCents" FROM "claims" WHERE "status" = 'submitted' ORDER BY "id"`, rounds),
    fromShards(`SELECT "id", "patientId", "version" FROM "claims" WHERE "status" = 'adjudicated' ORDER BY "id"`, rounds),
    fromShards(
      `SELECT m."id", m."patientId", m."version", p."facilityId" FROM "medications" m JOIN "patients" p ON p."id" = m."patientId" WHERE m."status" = 'active' ORDER BY m."id"`,
      rounds,
    ),
  ]);
  for (let i = 0; i < rounds; i++) {
    const seeded = patients[i % patients.length]!;
    const facilityId = String(seeded.facilityId);
    const { body: fresh } = await registerPatient(lab, ctx(clinician(facilityId)), patientRegistration(`TRAFFIC-${i}-${Date.now()}`, { facilityId }));
    // A visit of a seeded patient and of the new one: seen, diagnosed, treated, closed, billed, paid or denied.
    for (const patientId of [String(seeded.id), fresh.id]) {
      const { body: visit } = await openEncounter(lab, ctx(clinician(facilityId)), patientId, outpatientVisit(providerAt(facilityId), "checkup", facilityId));
      await recordDiagnosis(lab, ctx(clinician(facilityId)), patientId, visit.id, { code: "J06.9", description: "Acute upper respiratory infection" });
      await recordProcedure(lab, ctx(clinician(facilityId)), patientId, visit.id, { code: "99213", description: "Office visit" });
      if (i % 2 === 0)
        await prescribeMedication(lab, ctx(clinician(facilityId)), patientId, visit.id, {
          code: "RX-1",
          name: "Amoxicillin",
          dose: "500 mg",
          frequency: "three times a day",
        });
      const { body: closed } = await closeEncounter(lab, ctx(clinician(facilityId)), patientId, visit.id, visit.version);
      const { body: claim } = await createClaim(lab, ctx(billing), patientId, { encounterId: closed.id, payer: "Self-pay" });
      const { body: sent } = await submitClaim(lab, ctx(billing), patientId, claim.id, claim.version);
      if (i % 3 === 0) await denyClaim(lab, ctx(billing), patientId, claim.id, sent.version, { reason: "not covered" });
      else await adjudicateClaim(lab, ctx(billing), patientId, claim.id, sent.version, { allowedCents: 5_000 });
    }
    // Seeded records moved on.
    const open = openSeeded[i];
    if (open) await closeEncounter(lab, ctx(clinician(String(open.facilityId))), String(open.patientId), String(open.id), Number(open.version));
    const waiting = submitted[i];
    if (waiting)
      await adjudicateClaim(lab, ctx(billing), String(waiting.patientId), String(waiting.id), Number(waiting.version), {
        allowedCents: Math.floor(Number(waiting.totalCents) / 2),
      });
    const decided = adjudicated[i];
    if (decided)
      await (i % 2
        ? payClaim(lab, ctx(billing), String(decided.patientId), String(decided.id), Number(decided.version))
        : denyClaim(lab, ctx(billing), String(decided.patientId), String(decided.id), Number(decided.version), { reason: "duplicate" }));
    const med = active[i];
    if (med) await discontinueMedication(lab, ctx(clinician(String(med.facilityId))), String(med.patientId), String(med.id), Number(med.version));
  }
  return { commands: n };
}
