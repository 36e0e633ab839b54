// A patient's record: demographics, encounters and claims, read through the gateway as the signed-in
// persona, so each role sees what the services grant it: a patient only their own record, a clinician
// their facility's patients, billing without clinical free text, an SRE with synthetic PHI masked.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor, readLab } from "@/app/session.ts";
import { type ClaimRow, ClaimsTable } from "@/components/claims-table.tsx";
import { Unreachable } from "@/components/page-states.tsx";
import { labConfig } from "@/lib/data/lab-connection.ts";

export const metadata: Metadata = { title: "Patient record" };
export const dynamic = "force-dynamic";

type Page<T> = { items: T[]; nextCursor: string | null };
type Patient = Record<string, unknown> & { id: string; givenName: string; familyName: string; birthDate: string; facilityId: string };
type Encounter = { id: string; kind: string; status: string; reason: string; startedAt: string; endedAt: string | null };

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "");

export default async function PatientPage({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=/patients/${encodeURIComponent(patientId)}`);
  const gateway = `http://127.0.0.1:${labConfig().gateway.port}/patients/${encodeURIComponent(patientId)}`;
  let patient: Patient;
  try {
    patient = await readLab<Patient>(gateway, actor, "gateway");
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/ (403|404)/.test(message)) {
      // The same answer for "not yours" and "no such patient": a refusal must not confirm a record exists.
      return (
        <section className="panel error-state" role="alert">
          <h1>No record you may open</h1>
          <p>
            There is no patient {patientId} that your role ({actor.role}) may read.
            {actor.role === "patient" && actor.patientId ? (
              <>
                {" "}
                Your own record is at <a href={`/patients/${actor.patientId}`}>/patients/{actor.patientId}</a>.
              </>
            ) : null}
          </p>
        </section>
      );
    }
    return <Unreachable title="The record cannot be read right now" error={err} />;
  }
  // Encounters and claims are read with the same rights; a role without them gets an empty section, said so.
  const [encounters, claims] = await Promise.all([
    readLab<Page<Encounter>>(`${gateway}/encounters?limit=20`, actor, "gateway").catch(() => null),
    readLab<Page<ClaimRow>>(`${gateway}/claims?limit=20`, actor, "gateway").catch(() => null),
  ]);
  return (
    <>
      <h1 data-testid="patient-name">
        {patient.givenName} {patient.familyName}
      </h1>
      <p className="subtitle">
        Synthetic patient {patient.id} · born {day(patient.birthDate)} · facility {patient.facilityId} · you read it as a {actor.role}
      </p>
      <section className="panel" aria-labelledby="demographics-heading">
        <h2 id="demographics-heading">Demographics</h2>
        <dl className="facts" data-testid="demographics">
          {["sex", "addressLine", "city", "region", "postalCode", "mrnToken"].map((field) => (
            <div key={field}>
              <dt>{field}</dt>
              <dd data-field={field}>{String(patient[field] ?? "")}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby="encounters-heading">
        <h2 id="encounters-heading">Encounters</h2>
        {!encounters ? (
          <p>Your role may not read this patient&apos;s encounters.</p>
        ) : encounters.items.length === 0 ? (
          <p>No encounters yet.</p>
        ) : (
          <table aria-label="Encounters">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {encounters.items.map((e) => (
                <tr key={e.id}>
                  <td>{day(e.startedAt)}</td>
                  <td>{e.kind}</td>
                  <td>{e.status}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="claims-heading">
        <h2 id="claims-heading">Claims</h2>
        {!claims ? (
          <p>Your role may not read this patient&apos;s claims.</p>
        ) : claims.items.length === 0 ? (
          <p>No claims yet.</p>
        ) : (
          <ClaimsTable claims={claims.items} label="Claims" />
        )}
      </section>
    </>
  );
}
