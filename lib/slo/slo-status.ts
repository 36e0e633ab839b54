// The lab's SLOs as they stand: each definition's minutes read from the SLI store over its window (and
// the longest tier window before it, so alerts replay from a settled state), evaluated by the engine.
import type { SqlDatabase } from "../data/sql-database.ts";
import { type SloGroupStatus, type SloStatus, evaluateSlos } from "./evaluate-slos.ts";
import type { SloDefinition } from "./load-slos.ts";
import type { SliSource } from "./sli-recorder.ts";
import { readJourneyMinutes, sliOfRows } from "./sli-store.ts";

/** What a report or a chart says of an SLO's definition beside its numbers. */
export type SloSummary = Pick<SloDefinition, "name" | "displayName" | "journey" | "source" | "service" | "target" | "windowMinutes" | "sli">;

export function sloSummary(d: SloDefinition): SloSummary {
  return {
    name: d.name,
    displayName: d.displayName,
    journey: d.journey,
    source: d.source,
    service: d.service,
    target: d.target,
    windowMinutes: d.windowMinutes,
    sli: d.sli,
  };
}

export interface SloReport {
  evaluatedAt: string;
  slos: (SloStatus & SloSummary)[];
  groups: SloGroupStatus[];
}

/** What a journey's requests are read as when only their count matters (the no-data alerts). */
const COUNTED = { sli: { kind: "availability" } } as const;

export async function sloReport(db: SqlDatabase, slos: readonly SloDefinition[], now: Date): Promise<SloReport> {
  // Evaluated at the start of the current minute: the minute under way is still being counted.
  const end = Math.floor(now.getTime() / 60_000);
  const longest = Math.max(0, ...slos.flatMap((s) => s.tiers.map((t) => t.longMinutes)));
  const span = Math.max(0, ...slos.map((s) => s.windowMinutes)) + longest;
  // A journey's availability and latency SLOs share its rows: each journey and side is read once.
  const journeys = [...new Set(slos.map((s) => `${s.source} ${s.journey}`))];
  const rows = new Map(
    await Promise.all(
      journeys.map(async (key) => {
        const [source, journey] = key.split(" ") as [SliSource, string];
        return [key, await readJourneyMinutes(db, journey, source, end - span, end)] as const;
      }),
    ),
  );
  const requests = (journey: string, source: SliSource) => sliOfRows(rows.get(`${source} ${journey}`) ?? [], COUNTED, end - span, end).total;
  const { slos: statuses, groups } = evaluateSlos(slos, (slo) => sliOfRows(rows.get(`${slo.source} ${slo.journey}`)!, slo, end - span, end), {
    replayFromIndex: longest + 1,
    requestsOf: requests,
  });
  const byName = new Map(slos.map((s) => [s.name, s]));
  return {
    evaluatedAt: new Date(end * 60_000).toISOString(),
    slos: statuses.map((status) => {
      return { ...status, ...sloSummary(byName.get(status.name)!) };
    }),
    groups,
  };
}
