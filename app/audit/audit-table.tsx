// The audit search's results: one row per entry, newest first, with what its write changed (values the
// reader's view may not see already replaced by "[redacted]" in lib/audit).
import type { AuditRow, FieldChange } from "@/lib/audit/present-audit.ts";
import { Table } from "@/components/table.tsx";

const shownValue = (value: unknown) => (value === null || value === undefined ? "∅" : typeof value === "string" ? value : JSON.stringify(value));

function Change({ row }: { row: AuditRow }) {
  if (row.changes.length === 0) return <>{row.operation ?? "–"}</>;
  return (
    <details>
      <summary>
        {row.operation} · {row.changes.length} {row.changes.length === 1 ? "field" : "fields"}
      </summary>
      <ul className="audit-changes">
        {row.changes.map((c: FieldChange) => (
          <li key={c.field}>
            <code>{c.field}</code>: {row.operation === "create" ? shownValue(c.after) : `${shownValue(c.before)} → ${shownValue(c.after)}`}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <Table
      label="Audit entries"
      columns={["Time (UTC)", "Source", "Actor", "Action", "Entity", "Request id", "Trace id", "Outcome", "Change"]}
      rows={rows}
      className="audit-table"
    >
      {(r) => (
        <tr key={`${r.shard}:${r.sequence}`} data-request-id={r.requestId ?? undefined}>
          <td>
            <time dateTime={r.occurredAt}>{r.occurredAt.replace("T", " ").replace("Z", "")}</time>
          </td>
          <td>
            {r.source} <span className="muted">#{r.sequence}</span>
          </td>
          <td>
            <span className="id">{r.actorId}</span> <span className="muted">({r.actorRole})</span>
          </td>
          <td>{r.action}</td>
          <td>
            {r.entityType} <span className="id">{r.entityId}</span>
          </td>
          <td className="id">{r.requestId ?? "–"}</td>
          <td className="id">{r.traceId ?? "–"}</td>
          <td>{r.outcome}</td>
          <td>
            <Change row={r} />
          </td>
        </tr>
      )}
    </Table>
  );
}
