// A patient's own dashboard: the activity on their record, newest first (the timeline read model: their
// seeded history and every change since, trailing the services by the event pipeline's delay, said so) and
// their claims with what was paid or why denied.
import { ClaimsTable } from "@/components/claims-table.tsx";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import type { Reading } from "@/lib/portal/reading.ts";
import { ReadModelAsOf } from "./read-model-as-of.tsx";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export interface PatientReadings {
  /** The patient's own record id. */
  own: string;
  timeline: Reading<LabAnswer<"timelineDashboard">>;
  claims: Reading<LabAnswer<"patientClaims">>;
}

export function PatientDashboard({ own, timeline, claims }: PatientReadings) {
  return (
    <>
      <p className="subtitle">
        Your synthetic record <a href={`/patients/${own}`}>{own}</a>: what happened, newest first, and your claims.
      </p>
      <PanelFrame id="timeline" title="Recent activity on your record" reading={timeline}>
        {(t) =>
          t.entries.length === 0 ? (
            <p>
              Nothing is on your record yet. Changes appear here a moment after the clinic or billing records them; your record itself is{" "}
              <a href={`/patients/${own}`}>here</a>.
            </p>
          ) : (
            <ReadModelAsOf asOf={t.asOf}>
              <ol className="timeline" aria-label="Recent activity on your record">
                {t.entries.map((e) => (
                  <li key={e.eventId} data-type={e.type}>
                    <time dateTime={e.occurredAt}>{when(e.occurredAt)}</time>
                    {e.summary}
                  </li>
                ))}
              </ol>
            </ReadModelAsOf>
          )
        }
      </PanelFrame>
      <PanelFrame id="claims" title="Your claims" reading={claims}>
        {(c) => (c.items.length === 0 ? <p>No claims yet: a claim follows a closed encounter.</p> : <ClaimsTable claims={c.items} label="Your claims" />)}
      </PanelFrame>
    </>
  );
}
