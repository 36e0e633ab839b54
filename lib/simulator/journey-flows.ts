// The persona journeys as users walk them through the gateway: each a few steps with think times between,
// later steps using what earlier ones answered (the encounter just opened, the claim just listed). The
// journey ids are lib/slo/journeys.ts's, so what the simulator measures is what the client-side SLOs count.
import { createHash } from "node:crypto";
import { DENIAL_REASONS, DIAGNOSES, type EncounterKind, MEDICATIONS, PAYERS, PROCEDURE_BY_CODE, VISIT_PROCEDURE } from "../synth/catalog.ts";
import { JourneyFailure, type JourneySession } from "./journey-session.ts";
import type { CastFacility, SimulationCast } from "./simulation-cast.ts";

export type JourneyFlow = (session: JourneySession) => Promise<void>;

interface Item {
  id: string;
  version: number;
  status?: string;
  encounterId?: string;
  totalCents?: number;
  patientId?: string;
}

const GIVEN = ["Ari", "Noor", "Kim", "Jules", "Remy", "Sasha", "Toni", "Avery"];
const FAMILY = ["Lindqvist", "Okafor", "Moreau", "Tanaka", "Novak", "Reyes", "Haddad", "Keller"];
const digits = (s: JourneySession, n: number) => Array.from({ length: n }, () => Math.floor(s.random() * 10)).join("");
/**
 * A medical record number no other journey draws. The seeded stream repeats itself whenever a profile
 * starts again with its seed (the lab's warm-up and then its counted traffic, say), and a repeated MRN is
 * a 409 and a failed journey in a healthy lab; this journey's id never repeats.
 */
const uniqueMrn = (s: JourneySession) =>
  `SIM-${(BigInt(`0x${createHash("sha256").update(s.journeyId).digest("hex").slice(0, 15)}`) % 10n ** 12n).toString().padStart(12, "0")}`;

/** The lab's nine journeys, walked by the cast's virtual users. */
export function journeyFlows(cast: SimulationCast): Record<string, JourneyFlow> {
  const clinicianAt = async (s: JourneySession, facility: CastFacility) =>
    s.signIn(await cast.tokenOf({ role: "clinician", userId: `sim-clinician-${facility.id}`, facilityId: facility.id, patientId: null }));
  const asPatient = async (s: JourneySession) => {
    const me = s.pick(cast.patients);
    s.signIn(await cast.tokenOf({ role: "patient", userId: `sim-patient-${me.id}`, facilityId: null, patientId: me.id }));
    return me.id;
  };
  const asBilling = async (s: JourneySession) =>
    s.signIn(await cast.tokenOf({ role: "billing", userId: `sim-billing-${Math.floor(s.random() * 3) + 1}`, facilityId: null, patientId: null }));

  const openEncounter = async (s: JourneySession, facility: CastFacility, patientId: string, kind: string, reason: string) =>
    (
      await s.step({
        method: "POST",
        path: `/patients/${patientId}/encounters`,
        body: { providerId: s.pick(facility.providerIds), facilityId: facility.id, kind, reason },
      })
    ).body as Item;

  return {
    "patient/view-record": async (s) => {
      const me = await asPatient(s);
      await s.step({ method: "GET", path: `/patients/${me}` });
      await s.think();
      await s.step({ method: "GET", path: `/patients/${me}/encounters?limit=20` });
    },

    "patient/view-claims": async (s) => {
      const me = await asPatient(s);
      const claims = (await s.step({ method: "GET", path: `/patients/${me}/claims?limit=20` })).body.items as Item[];
      if (claims.length === 0) return;
      await s.think();
      await s.step({ method: "GET", path: `/patients/${me}/claims/${s.pick(claims).id}` });
    },

    "clinician/find-patient": async (s) => {
      const facility = s.pick(cast.facilities);
      await clinicianAt(s, facility);
      const found = (await s.step({ method: "GET", path: `/patients?facilityId=${facility.id}&limit=20` })).body.items as Item[];
      if (found.length === 0) return;
      const patient = s.pick(found);
      await s.think();
      await s.step({ method: "GET", path: `/patients/${patient.id}` });
      await s.think();
      await s.step({ method: "GET", path: `/patients/${patient.id}/encounters?limit=10` });
    },

    "clinician/register-patient": async (s) => {
      const facility = s.pick(cast.facilities);
      await clinicianAt(s, facility);
      const year = 1940 + Math.floor(s.random() * 80);
      const registered = (
        await s.step({
          method: "POST",
          path: "/patients",
          body: {
            facilityId: facility.id,
            givenName: s.pick(GIVEN),
            familyName: s.pick(FAMILY),
            sex: s.pick(["female", "male", "other"] as const),
            birthDate: `${year}-0${1 + Math.floor(s.random() * 9)}-1${Math.floor(s.random() * 9)}`,
            addressLine: `${1 + Math.floor(s.random() * 900)} Simulation Way`,
            city: "Labtown",
            region: "ZZ",
            postalCode: digits(s, 5),
            mrn: uniqueMrn(s),
            nationalId: `9${digits(s, 2)}-${digits(s, 2)}-${digits(s, 4)}`,
            phone: `555-01${digits(s, 2)}`,
            email: `sim.${digits(s, 10)}@example.test`,
          },
        })
      ).body as Item;
      if (s.random() < 0.3) {
        await s.think();
        await s.step({
          method: "PATCH",
          path: `/patients/${registered.id}`,
          version: registered.version,
          body: { addressLine: `${digits(s, 3)} Corrected Street` },
        });
      }
    },

    "clinician/record-diagnosis": async (s) => {
      const facility = s.pick(cast.facilities);
      await clinicianAt(s, facility);
      const patientId = s.pick(facility.patientIds);
      await s.step({ method: "GET", path: `/patients/${patientId}` });
      await s.think();
      const diagnosis = s.pick(DIAGNOSES);
      const kind = s.pick<EncounterKind>(["outpatient", "outpatient", "telehealth", "emergency"]);
      const encounter = await openEncounter(s, facility, patientId, kind, `Visit for ${diagnosis.description.toLowerCase()}`);
      await s.think();
      await s.step({
        method: "POST",
        path: `/patients/${patientId}/encounters/${encounter.id}/diagnoses`,
        body: { code: diagnosis.code, description: diagnosis.description },
      });
      // The visit itself is always billed; the diagnosis's usual procedure when it has one.
      for (const code of [s.pick(VISIT_PROCEDURE[kind]), ...(diagnosis.procedure ? [diagnosis.procedure] : [])]) {
        const procedure = PROCEDURE_BY_CODE.get(code)!;
        await s.think();
        await s.step({
          method: "POST",
          path: `/patients/${patientId}/encounters/${encounter.id}/procedures`,
          body: { code: procedure.code, description: procedure.description },
        });
      }
      await s.think();
      await s.step({ method: "POST", path: `/patients/${patientId}/encounters/${encounter.id}/close`, version: encounter.version });
    },

    "clinician/prescribe": async (s) => {
      const facility = s.pick(cast.facilities);
      await clinicianAt(s, facility);
      const patientId = s.pick(facility.patientIds);
      const encounter = await openEncounter(s, facility, patientId, "telehealth", "Medication review");
      await s.think();
      const drug = s.pick(MEDICATIONS);
      const medication = (
        await s.step({
          method: "POST",
          path: `/patients/${patientId}/encounters/${encounter.id}/medications`,
          body: { code: drug.code, name: drug.name, dose: drug.dose, frequency: drug.frequency },
        })
      ).body as Item;
      if (s.random() < 0.2) {
        // A prescription corrected on the spot: discontinued, as a clinician would after a second look.
        await s.think();
        await s.step({ method: "POST", path: `/patients/${patientId}/medications/${medication.id}/discontinue`, version: medication.version });
      }
      await s.think();
      await s.step({ method: "POST", path: `/patients/${patientId}/encounters/${encounter.id}/close`, version: encounter.version });
    },

    "billing/work-claims": async (s) => {
      await asBilling(s);
      const drafts = (await s.step({ method: "GET", path: "/claims?status=draft&limit=20" })).body.items as Item[];
      await s.think();
      if (drafts.length > 0) {
        const claim = s.pick(drafts);
        // Another billing admin may have submitted it since the list was read: 409, and on to the next.
        await s.step({ method: "POST", path: `/patients/${claim.patientId}/claims/${claim.id}/submit`, version: claim.version, accept: [409] });
        return;
      }
      const patientId = s.pick(s.pick(cast.facilities).patientIds);
      const encounters = (await s.step({ method: "GET", path: `/patients/${patientId}/encounters?limit=20` })).body.items as Item[];
      const claimed = new Set(
        ((await s.step({ method: "GET", path: `/patients/${patientId}/claims?limit=100` })).body.items as Item[]).map((c) => c.encounterId),
      );
      const open = encounters.filter((e) => e.status === "closed" && !claimed.has(e.id));
      if (open.length === 0) return;
      await s.think();
      // 409: another admin claimed it first; 422: a visit with nothing billable (a prescription review).
      const claim = (
        await s.step({
          method: "POST",
          path: `/patients/${patientId}/claims`,
          body: { encounterId: s.pick(open).id, payer: s.pick(PAYERS) },
          accept: [409, 422],
        })
      ).body as Item;
      if (!claim.id) return;
      await s.think();
      await s.step({ method: "POST", path: `/patients/${patientId}/claims/${claim.id}/submit`, version: claim.version, accept: [409] });
    },

    "billing/adjudicate": async (s) => {
      await asBilling(s);
      const submitted = (await s.step({ method: "GET", path: "/claims?status=submitted&limit=20" })).body.items as Item[];
      if (submitted.length === 0) return;
      const claim = s.pick(submitted);
      await s.think();
      if (s.random() < 0.15) {
        await s.step({
          method: "POST",
          path: `/patients/${claim.patientId}/claims/${claim.id}/deny`,
          version: claim.version,
          body: { reason: s.pick(DENIAL_REASONS) },
          accept: [409],
        });
        return;
      }
      const allowedCents = Math.round((claim.totalCents ?? 10_000) * (0.6 + s.random() * 0.4));
      const adjudicated = await s.step({
        method: "POST",
        path: `/patients/${claim.patientId}/claims/${claim.id}/adjudicate`,
        version: claim.version,
        body: { allowedCents },
        accept: [409],
      });
      if (adjudicated.status === 409) return;
      await s.think();
      await s.step({ method: "POST", path: `/patients/${claim.patientId}/claims/${claim.id}/pay`, version: (adjudicated.body as Item).version, accept: [409] });
    },

    "sre/inspect-records": async (s) => {
      s.signIn(await cast.tokenOf({ role: "sre", userId: "sim-sre", facilityId: null, patientId: null }));
      const facility = s.pick(cast.facilities);
      const found = (await s.step({ method: "GET", path: `/patients?facilityId=${facility.id}&limit=10` })).body.items as Item[];
      if (found.length === 0) throw new JourneyFailure("rejected", `no patients listed at ${facility.id}`);
      const patient = s.pick(found);
      await s.think();
      await s.step({ method: "GET", path: `/patients/${patient.id}` });
      await s.step({ method: "GET", path: `/patients/${patient.id}/claims?limit=10` });
    },
  };
}
