// The lab's processes as the supervisor sees them: state, uptime, restarts, memory against the lab's budget.
import type { Reading } from "@/lib/portal/reading.ts";
import type { LabStatus } from "@/lib/supervisor/lab-control.ts";
import { PanelFrame } from "./panel-frame.tsx";
import { Table } from "@/components/table.tsx";

// Decimal megabytes, as `npm run lab:status` prints them against the 1.5 GB budget.
const mb = (bytes: number) => `${Math.round(bytes / 1_000_000).toLocaleString("en-US")} MB`;
const uptime = (s: number | null) => (s === null ? "" : s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

export function ProcessesPanel({ reading }: { reading: Reading<LabStatus> }) {
  return (
    <PanelFrame id="processes" title="Lab processes" reading={reading}>
      {(status) => (
        <>
          <p data-testid="lab-memory">
            {mb(status.totalRssBytes)} RSS of the {mb(status.memoryBudgetBytes)} budget · {status.processes.filter((p) => p.state === "ready").length} of{" "}
            {status.processes.length} ready
          </p>
          <Table label="Lab processes" columns={["Process", "State", "Uptime", "Restarts", "Memory"]} rows={status.processes}>
            {(p) => (
              <tr key={p.name} data-process={p.name}>
                <th scope="row">{p.name}</th>
                <td>
                  <span className={`state state-${p.state}`}>{p.state}</span>
                  {p.failure ? ` · ${p.failure}` : ""}
                </td>
                <td>{uptime(p.uptimeSeconds)}</td>
                <td>{p.restarts}</td>
                <td>{mb(p.rssBytes)}</td>
              </tr>
            )}
          </Table>
        </>
      )}
    </PanelFrame>
  );
}
