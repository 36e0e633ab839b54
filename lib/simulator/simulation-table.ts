// The simulator's live table (CLI) and summary (bench): one row per journey and a total, from snapshots.
// Rates are over the interval since the previous snapshot, so the table shows now, not the run's average.
import type { JourneyFigures } from "./journey-stats.ts";
import type { SimulationSnapshot } from "./simulation-run.ts";

const COLUMNS = ["journey", "started/s", "ok %", "in flight", "late", "dropped", "failed", "p50 ms", "p99 ms", "p99 raw ms"] as const;

export function simulationTable(now: SimulationSnapshot, previous: SimulationSnapshot | null): string {
  const dt = previous ? now.elapsedSeconds - previous.elapsedSeconds : now.elapsedSeconds;
  const before = new Map((previous?.journeys ?? []).map((j) => [j.journey, j]));
  const row = (j: JourneyFigures, prev: JourneyFigures | undefined) => {
    const started = j.started - (prev?.started ?? 0);
    const ended = j.succeeded + j.failed;
    return [
      j.journey,
      dt > 0 ? (started / dt).toFixed(1) : "-",
      ended > 0 ? ((100 * j.succeeded) / ended).toFixed(2) : "-",
      String(j.inFlight),
      String(j.late),
      String(j.dropped),
      j.failed === 0
        ? "0"
        : `${j.failed} (${Object.entries(j.failures)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(", ")})`,
      j.requests ? j.requestMs.corrected.p50.toFixed(1) : "-",
      j.requests ? j.requestMs.corrected.p99.toFixed(1) : "-",
      j.requests ? j.requestMs.raw.p99.toFixed(1) : "-",
    ];
  };
  const totalBefore = previous ? { ...previous.total } : undefined;
  const rows = [[...COLUMNS], ...now.journeys.map((j) => row(j, before.get(j.journey))), row({ ...now.total, journey: "total" }, totalBefore)];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const head = `${now.profile} (${now.runId}) ${now.state}, ${now.elapsedSeconds.toFixed(0)} of ${now.durationSeconds} s; offered ${now.offeredPerSecond.toFixed(1)} journeys/s, started ${now.startedPerSecond.toFixed(1)}/s on average`;
  return [head, line(rows[0]!), ...rows.slice(1, -1).map(line), line(rows.at(-1)!)].join("\n");
}
