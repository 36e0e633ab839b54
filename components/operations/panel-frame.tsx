// A titled panel of an operations page whose reading may have failed: the failure says which process did
// not answer, inside the panel, so the rest of the page still serves.
import type { ReactNode } from "react";
import { Panel } from "@/components/panel.tsx";
import type { Reading } from "@/lib/portal/reading.ts";

export function PanelFrame<T>({ id, title, reading, children }: { id: string; title: string; reading: Reading<T>; children: (value: T) => ReactNode }) {
  return (
    <Panel id={id} title={title}>
      {reading.ok ? (
        children(reading.value)
      ) : (
        <p className="error-state" role="status">
          Cannot read this now: {reading.error}. See <code>npm run lab:status</code>.
        </p>
      )}
    </Panel>
  );
}
