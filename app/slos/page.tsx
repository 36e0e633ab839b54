// The SLO board: every SLO of the lab with its error budget left and the burn-rate tiers firing or
// pending, worst first. For the roles allowed to read the lab's operations (SRE, instructor, admin).
import type { Metadata } from "next";
import { openPage } from "@/app/page-access.tsx";
import { PAGES } from "@/lib/portal/portal-pages.ts";
import { sloBoard } from "@/lib/portal/slo-board.ts";
import { RowLink, Table } from "@/components/table.tsx";
import { Panel } from "@/components/panel.tsx";
import { runbookPath } from "@/lib/runbooks/runbook-paths.ts";

export const metadata: Metadata = { title: "SLOs" };
export const dynamic = "force-dynamic";

export default async function SlosPage() {
  const opened = await openPage(PAGES.slos, "/slos", { read: (lab) => lab.slos(), unreachable: "The SLOs cannot be read right now" });
  if (opened.answer) return opened.answer;
  const report = opened.value;
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
          <Table label="SLO board" columns={["SLO", "Journey", "Side", "Target", "Budget left", "Burn now", "Alerts"]} rows={rows}>
            {(r) => (
              <tr key={r.name} data-slo={r.name}>
                <RowLink href={`/slos/${r.name}`}>{r.displayName}</RowLink>
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
                    <a key={t} className="badge badge-firing" href={runbookPath(r.name, t)} title="Open the runbook of this alert">
                      {t} firing
                    </a>
                  ))}
                  {r.pending.map((t) => (
                    <span key={t} className="badge badge-pending">
                      {t} pending
                    </span>
                  ))}
                  {r.firing.length + r.pending.length === 0 && "none"}
                </td>
              </tr>
            )}
          </Table>
        )}
      </Panel>
    </>
  );
}
