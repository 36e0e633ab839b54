// An SLO definition for tests, as the loader makes one: the clinician's prescribing journey, server side,
// availability over 30 days with the standard tiers; a test changes what it is about.
import { tiersFor } from "./burn-rate-tiers.ts";
import type { SloDefinition } from "./load-slos.ts";

export function availabilitySlo(change: Partial<SloDefinition> = {}): SloDefinition {
  const windowMinutes = change.windowMinutes ?? 43200;
  return {
    name: "clinician-prescribe-availability",
    displayName: "A clinician prescribes",
    description: "",
    service: "clinical",
    journey: "clinician/prescribe",
    source: "server",
    sli: { kind: "availability" },
    target: 0.999,
    windowMinutes,
    tiers: tiersFor(windowMinutes),
    file: "test",
    ...change,
  };
}
