import type { DatabaseStats } from "@/lib/data/shard-stats.ts";
import { TableHead } from "@/components/table-head.tsx";

const COLUMNS: [table: string, label: string][] = [
  ["patients", "Patients"],
  ["encounters", "Encounters"],
  ["diagnoses", "Diagnoses"],
  ["procedures", "Procedures"],
  ["medications", "Medications"],
  ["claims", "Claims"],
  ["claim_lines", "Claim lines"],
  ["entity_history", "History"],
  ["audit_entries", "Audit"],
  ["outbox_events", "Outbox"],
];

const n = (value: number | undefined) => (value ?? 0).toLocaleString("en-US");

/** Row counts per shard, with buckets owned and a total line: the shape of the sharded data tier at a glance. */
export function ShardTable({ shards }: { shards: DatabaseStats[] }) {
  const sum = (table: string) => shards.reduce((total, s) => total + (s.rows[table] ?? 0), 0);
  return (
    <table aria-label="Rows per shard">
      <TableHead columns={["Shard", "Buckets", ...COLUMNS.map(([table, label]) => ({ key: table, label }))]} />
      <tbody>
        {shards.map((s) => (
          <tr key={s.label} data-shard={s.shard ?? undefined}>
            <th scope="row">{s.label}</th>
            <td>{n(s.buckets ?? 0)}</td>
            {COLUMNS.map(([table]) => (
              <td key={table} data-table={table}>
                {n(s.rows[table])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td>All shards</td>
          <td>{n(shards.reduce((t, s) => t + (s.buckets ?? 0), 0))}</td>
          {COLUMNS.map(([table]) => (
            <td key={table} data-total={table}>
              {n(sum(table))}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}
