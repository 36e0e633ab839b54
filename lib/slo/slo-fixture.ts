// An SLO definition for tests, as the loader makes one: the clinician's prescribing journey, server side,
// availability over 30 days with the standard tiers; a test changes what it is about.
import { tiersFor } from "./burn-rate-tiers.ts";
import type { SloDefinition } from "./load-slos.ts";
import { LATENCY_BUCKETS_MS } from "./openslo-schema.ts";
import type { SliRollup } from "./sli-recorder.ts";

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
    noDataAgainst: null,
    file: "test",
    ...change,
  };
}

/** `count` minutes of the SLO's server-side traffic from minute `start`: 100 requests each, all fast, `errors(i)` of minute i failed. */
export function serverMinutes(slo: SloDefinition, start: number, count: number, errors: (i: number) => number): SliRollup[] {
  return Array.from({ length: count }, (_, i) => ({
    minute: start + i,
    journey: slo.journey,
    source: "server",
    total: 100,
    errors: errors(i),
    within: LATENCY_BUCKETS_MS.map(() => 100),
  }));
}
