// A patient's record: demographics, encounters and claims, read through the gateway as the signed-in
// persona, so each role sees what the services grant it: a patient only their own record, a clinician
// their facility's patients, billing without clinical free text, an SRE with synthetic PHI masked.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { ClaimsTable } from "@/components/claims-table.tsx";
import { Unreachable } from "@/components/page-states.tsx";
import { isLabError } from "@/lib/errors/index.ts";
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "Patient record" };
export const dynamic = "force-dynamic";

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "");
const DEMOGRAPHICS = ["sex", "addressLine", "city", "region", "postalCode", "mrnToken"] as const;

export default async function PatientPage({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const { actor } = await openPage(PAGES.patient, `/patients/${patientId}`);
  const lab = labAs(actor);
  let patient: LabAnswer<"patient">;
  try {
    patient = await lab.patient({ params: { patientId } });
  } catch (err) {
    if (isLabError(err, "forbidden") || isLabError(err, "not_found") || isLabError(err, "invalid")) {
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
    lab.encounters({ params: { patientId }, query: { limit: 20 } }).catch(() => null),
    lab.patientClaims({ params: { patientId }, query: { limit: 20 } }).catch(() => null),
  ]);
  return (
    <>
      <h1 data-testid="patient-name">
        {patient.givenName} {patient.familyName}
      </h1>
      <p className="subtitle">
        Synthetic patient {patient.id} · born {day(patient.birthDate)} · facility {patient.facilityId} · you read it as a {actor.role}
      </p>
      <Panel id="demographics" title="Demographics">
        <dl className="facts" data-testid="demographics">
          {DEMOGRAPHICS.map((field) => (
            <div key={field}>
              <dt>{field}</dt>
              <dd data-field={field}>{String(patient[field] ?? "")}</dd>
            </div>
          ))}
        </dl>
      </Panel>
      <RecordListPanel id="encounters" title="Encounters" what="encounters" list={encounters}>
        {(items) => (
          <Table label="Encounters" columns={["Started", "Kind", "Status", "Reason"]} rows={items}>
            {(e) => (
              <tr key={e.id}>
                <td>{day(e.startedAt)}</td>
                <td>{e.kind}</td>
                <td>{e.status}</td>
                <td>{e.reason}</td>
              </tr>
            )}
          </Table>
        )}
      </RecordListPanel>
      <RecordListPanel id="claims" title="Claims" what="claims" list={claims}>
        {(items) => <ClaimsTable claims={items} label="Claims" />}
      </RecordListPanel>
    </>
  );
}

/** A list of the record (encounters, claims): the reader's role may not be granted it (null), or it may be empty; either is said. */
function RecordListPanel<T>({
  id,
  title,
  what,
  list,
  children,
}: {
  id: string;
  title: string;
  what: string;
  list: { items: T[] } | null;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <Panel id={id} title={title}>
      {!list ? <p>{`Your role may not read this patient's ${what}.`}</p> : list.items.length === 0 ? <p>{`No ${what} yet.`}</p> : children(list.items)}
    </Panel>
  );
}
