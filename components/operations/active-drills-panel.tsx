// Drills running or scheduled now, each linked to its live run view; "none" says where to start one.
import type { Reading } from "@/lib/portal/reading.ts";
import type { DrillRun } from "@/lib/drills/drill-runs.ts";
import { PanelFrame } from "./panel-frame.tsx";
import { RowLink, Table } from "@/components/table.tsx";

const clock = (iso: string | null) => (iso ? `${iso.slice(11, 16)} UTC` : "");

export function ActiveDrillsPanel({ reading }: { reading: Reading<DrillRun[]> }) {
  return (
    <PanelFrame id="active-drills" title="Active drills" reading={reading}>
      {(runs) => {
        const active = runs.filter((r) => r.status === "running" || r.status === "scheduled");
        if (active.length === 0) {
          return (
            <p>
              No drill is running. Launch one from <a href="/drills">Drills</a>, or play a scripted sequence from <a href="/scenarios">Scenarios</a>.
            </p>
          );
        }
        return (
          <Table label="Active drills" columns={["Drill", "Status", "Started by", "Ends"]} rows={active}>
            {(r) => (
              <tr key={r.id} data-run={r.id}>
                <RowLink href={`/drills/runs/${r.id}`}>{r.title}</RowLink>
                <td>{r.status === "scheduled" ? `scheduled for ${clock(r.scheduledFor)}` : r.status}</td>
                <td>{r.startedBy}</td>
                <td>{clock(r.endsAt)}</td>
              </tr>
            )}
          </Table>
        );
      }}
    </PanelFrame>
  );
}
