// A table of the lab's rows: named for assistive technology by its label, headed by its columns
// (components/table-head.tsx), and a row per item as the caller renders it (a <tr> with its own key); with
// no row, the sentence that says why there is none yet, in place of an empty table.
import type { ReactNode } from "react";
import { type Column, TableHead } from "@/components/table-head.tsx";

export function Table<T>({
  label,
  columns,
  rows,
  className,
  empty,
  children,
}: {
  label: string;
  columns: readonly Column[];
  rows: readonly T[];
  className?: string;
  /** What stands instead of the table when there is no row. */
  empty?: ReactNode;
  children: (row: T, index: number) => ReactNode;
}) {
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  return (
    <table className={className} aria-label={label}>
      <TableHead columns={columns} />
      <tbody>{rows.map((row, i) => children(row, i))}</tbody>
    </table>
  );
}

/** A row's header cell naming the row's thing, linked to its own page (a run, a drill, an SLO, a trace, a patient). */
export function RowLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <th scope="row">
      <a href={href}>{children}</a>
    </th>
  );
}
