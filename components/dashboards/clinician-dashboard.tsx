// A clinician's dashboard: their facility's census and its open encounters, longest open first, each
// patient linked to the record the clinician may open.
import { readDashboard } from "@/app/operations-reads.ts";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import type { Actor } from "@/lib/auth/roles.ts";
import type { Census, OpenEncounter } from "@/lib/dashboards/dashboard-reads.ts";
import { ReadModelAsOf } from "./read-model-as-of.tsx";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export async function ClinicianDashboard({ actor }: { actor: Actor }) {
  const census = await readDashboard<{ asOf: string | null; facilityId: string; facilities: Census[]; openEncounters: OpenEncounter[] }>(actor, "/census?limit=25");
  return (
    <>
      <p className="subtitle">Facility {actor.facilityId}: who is registered here and who is being seen now.</p>
      <PanelFrame id="census" title="Facility census" reading={census}>
        {(c) => {
          const own = c.facilities[0];
          return own ? (
            <>
              <dl className="facts" data-testid="census">
                <dt>Patients registered</dt>
                <dd data-figure="patients">{own.patients.toLocaleString("en-US")}</dd>
                <dt>Encounters open now</dt>
                <dd data-figure="open-encounters">{own.openEncounters.toLocaleString("en-US")}</dd>
                <dt>Encounters in all</dt>
                <dd>{own.encountersTotal.toLocaleString("en-US")}</dd>
              </dl>
              <ReadModelAsOf asOf={c.asOf} />
            </>
          ) : (
            <p>No patient is registered at {c.facilityId} yet.</p>
          );
        }}
      </PanelFrame>
      <PanelFrame id="open-encounters" title="Open encounters" reading={census}>
        {(c) =>
          c.openEncounters.length === 0 ? (
            <p>No encounter is open at your facility.</p>
          ) : (
            <table aria-label="Open encounters">
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Encounter</th>
                  <th scope="col">Open since</th>
                </tr>
              </thead>
              <tbody>
                {c.openEncounters.map((e) => (
                  <tr key={e.encounterId}>
                    <th scope="row">
                      <a href={`/patients/${e.patientId}`}>{e.patientId}</a>
                    </th>
                    <td>{e.encounterId}</td>
                    <td>{when(e.startedAt)} UTC</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </PanelFrame>
    </>
  );
}
