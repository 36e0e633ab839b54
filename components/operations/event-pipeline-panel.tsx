// The event pipeline at a glance: each shard's outbox backlog, the projector's consumer lag, dead letters.
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import type { Reading } from "@/lib/portal/reading.ts";
import { PanelFrame } from "./panel-frame.tsx";
import { TableHead } from "@/components/table-head.tsx";

const n = (v: number) => v.toLocaleString("en-US");

export function EventPipelinePanel({ reading }: { reading: Reading<LabAnswer<"eventPipeline">> }) {
  return (
    <PanelFrame id="event-pipeline" title="Event pipeline" reading={reading}>
      {(status) => {
        const backlog = status.outboxBacklog.reduce((s, b) => s + b.unpublished, 0);
        const lag = status.projector.lag.reduce((s, p) => s + p.lag, 0);
        return (
          <>
            <dl className="facts">
              <dt>Outbox backlog</dt>
              <dd data-figure="outbox-backlog">{n(backlog)} events unpublished</dd>
              <dt>Consumer lag</dt>
              <dd data-figure="consumer-lag">
                {n(lag)} messages over {status.projector.lag.length} partitions ({status.bus} bus)
              </dd>
              <dt>Dead letters</dt>
              <dd data-figure="dead-letters">{status.deadLetters === 0 ? "none" : `${n(status.deadLetters)} waiting for a redrive`}</dd>
              <dt>Projected</dt>
              <dd>
                {n(status.projector.applied)} events applied, {n(status.projector.duplicates)} duplicates skipped
              </dd>
            </dl>
            <table aria-label="Outbox backlog per shard">
              <TableHead columns={status.outboxBacklog.map((b) => ({ key: String(b.shard), label: `shard ${b.shard}` }))} />
              <tbody>
                <tr>
                  {status.outboxBacklog.map((b) => (
                    <td key={b.shard} data-shard={b.shard}>
                      {n(b.unpublished)}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </>
        );
      }}
    </PanelFrame>
  );
}
