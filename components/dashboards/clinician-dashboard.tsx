// A clinician's dashboard: their facility's census and its open encounters, longest open first, each
// patient linked to the record the clinician may open.
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import type { Actor } from "@/lib/auth/roles.ts";
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import type { Reading } from "@/lib/portal/reading.ts";
import { ReadModelAsOf } from "./read-model-as-of.tsx";
import { RowLink, Table } from "@/components/table.tsx";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export function ClinicianDashboard({ actor, census }: { actor: Actor; census: Reading<LabAnswer<"censusDashboard">> }) {
  return (
    <>
      <p className="subtitle">Facility {actor.facilityId}: who is registered here and who is being seen now.</p>
      <PanelFrame id="census" title="Facility census" reading={census}>
        {(c) => {
          const own = c.facilities[0];
          return own ? (
            <ReadModelAsOf asOf={c.asOf}>
              <dl className="facts" data-testid="census">
                <dt>Patients registered</dt>
                <dd data-figure="patients">{own.patients.toLocaleString("en-US")}</dd>
                <dt>Encounters open now</dt>
                <dd data-figure="open-encounters">{own.openEncounters.toLocaleString("en-US")}</dd>
                <dt>Encounters in all</dt>
                <dd>{own.encountersTotal.toLocaleString("en-US")}</dd>
              </dl>
            </ReadModelAsOf>
          ) : (
            <p>No patient is registered at {c.facilityId} yet.</p>
          );
        }}
      </PanelFrame>
      <PanelFrame id="open-encounters" title="Open encounters" reading={census}>
        {(c) => (
          <Table
            label="Open encounters"
            columns={["Patient", "Encounter", "Open since"]}
            rows={c.openEncounters}
            empty="No encounter is open at your facility."
          >
            {(e) => (
              <tr key={e.encounterId}>
                <RowLink href={`/patients/${e.patientId}`}>{e.patientId}</RowLink>
                <td>{e.encounterId}</td>
                <td>{when(e.startedAt)} UTC</td>
              </tr>
            )}
          </Table>
        )}
      </PanelFrame>
    </>
  );
}
