// The SLO summary per persona journey: the lowest budget left among its SLOs and the tiers firing or pending.
import type { Reading } from "@/lib/portal/reading.ts";
import { journeySummaries } from "@/lib/portal/journey-summary.ts";
import { sloBoard } from "@/lib/portal/slo-board.ts";
import type { SloReport } from "@/lib/slo/slo-status.ts";
import { PanelFrame } from "./panel-frame.tsx";
import { Table } from "@/components/table.tsx";

export function JourneysPanel({ reading }: { reading: Reading<SloReport> }) {
  return (
    <PanelFrame id="journeys" title="SLOs by persona journey" reading={reading}>
      {(report) => {
        const journeys = journeySummaries(sloBoard(report));
        if (journeys.length === 0)
          return (
            <p>
              No SLO has data yet: the simulator starts the lab&apos;s traffic within a minute of <code>npm run lab</code>.
            </p>
          );
        return (
          <Table label="SLOs by persona journey" columns={["Journey", "SLOs", "Lowest budget left", "Alerts"]} rows={journeys}>
            {(j) => (
              <tr key={j.journey} data-journey={j.journey}>
                <th scope="row">{j.journey}</th>
                <td>{j.slos}</td>
                <td>
                  <a href={`/slos/${j.worstSlo}`}>{j.worstBudgetPercent} %</a>
                </td>
                <td>
                  {j.firing.length > 0 ? <span className="badge badge-firing">{j.firing.length} firing</span> : null}
                  {j.pending.length > 0 ? <span className="badge badge-pending">{j.pending.length} pending</span> : null}
                  {j.firing.length + j.pending.length === 0 ? "none" : null}
                </td>
              </tr>
            )}
          </Table>
        );
      }}
    </PanelFrame>
  );
}
