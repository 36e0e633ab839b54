// A table's column headings, each a column header for assistive technology (scope="col"). A column is
// its label, or a label with a class; `false` leaves a column out (one the reader's role does not get).
import type { ReactNode } from "react";

export type Column = string | false | { key: string; label: ReactNode; className?: string };

/** A column of prose (a failure mode, why a run ended, a step's action), set left like text (`.text`). */
export const textColumn = (label: string): Column => ({ key: label, label, className: "text" });

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) =>
          c === false ? null : typeof c === "string" ? (
            <th key={c} scope="col">
              {c}
            </th>
          ) : (
            <th key={c.key} scope="col" className={c.className}>
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
