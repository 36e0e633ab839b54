// How fresh a dashboard is: its figures come from the projector's read models, which trail the services
// by the event pipeline's delay; the newest event they hold says by how much.
import type { ReactNode } from "react";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;

/** Figures read from the read models, followed by how fresh they are. */
export function ReadModelAsOf({ asOf, children }: { asOf: string | null; children: ReactNode }) {
  return (
    <>
      {children}
      <p className="facts-line" data-testid="as-of">
        As of the newest event projected: {asOf ? `${when(asOf)} UTC` : "none yet"}
      </p>
    </>
  );
}
