// The SLO board: every SLO of the lab with its error budget left and the burn-rate tiers firing or
// pending, worst first. For the roles allowed to read the lab's operations (SRE, instructor, admin).
import type { Metadata } from "next";
import { labAs } from "@/app/lab.ts";
import { openPage } from "@/app/page-access.tsx";
import { Unreachable } from "@/components/page-states.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { sloBoard } from "@/lib/portal/slo-board.ts";
import type { SloReport } from "@/lib/slo/slo-status.ts";
import { TableHead } from "@/components/table-head.tsx";
import { Panel } from "@/components/panel.tsx";

export const metadata: Metadata = { title: "SLOs" };
export const dynamic = "force-dynamic";

export default async function SlosPage() {
  const { actor, refusal } = await openPage(PAGES.slos, "/slos");
  if (refusal) return refusal;
  let report: SloReport;
  try {
    report = await labAs(actor).slos();
  } catch (err) {
    return <Unreachable title="The SLOs cannot be read right now" error={err} />;
  }
  const rows = sloBoard(report);
  const firing = rows.filter((r) => r.firing.length > 0).length;
  return (
    <>
      <h1>SLOs</h1>
      <p className="subtitle">
        {rows.length} SLOs of the persona journeys · {firing === 0 ? "no burn-rate alert firing" : `${firing} with a burn-rate alert firing`} · evaluated{" "}
        {new Date(report.evaluatedAt).toISOString().slice(11, 16)} UTC
      </p>
      <Panel id="board" title="Error budgets">
        {rows.length === 0 ? (
          <p>
            No SLO has data yet: the simulator starts the lab's traffic within a minute of <code>npm run lab</code>.
          </p>
        ) : (
          <table aria-label="SLO board">
            <TableHead columns={["SLO", "Journey", "Side", "Target", "Budget left", "Burn now", "Alerts"]} />
            <tbody>
              {rows.map((r) => (
                <tr key={r.name} data-slo={r.name}>
                  <th scope="row">
                    <a href={`/slos/${r.name}`}>{r.displayName}</a>
                  </th>
                  <td>{r.journey}</td>
                  <td>{r.source}</td>
                  <td>
                    {r.targetPercent} % / {r.windowDays} d
                  </td>
                  <td data-budget>
                    <meter
                      min={0}
                      max={100}
                      low={25}
                      high={50}
                      optimum={100}
                      value={Math.max(0, r.budgetRemainingPercent)}
                      aria-label={`${r.budgetRemainingPercent} % of the error budget left`}
                    />{" "}
                    {r.budgetRemainingPercent} %
                  </td>
                  <td>{r.burnNow}x</td>
                  <td>
                    {r.firing.map((t) => (
                      <span key={t} className="badge badge-firing">
                        {t} firing
                      </span>
                    ))}
                    {r.pending.map((t) => (
                      <span key={t} className="badge badge-pending">
                        {t} pending
                      </span>
                    ))}
                    {r.firing.length + r.pending.length === 0 && "none"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
