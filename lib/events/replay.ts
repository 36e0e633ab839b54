// Replay: rebuilds read models from the log into a database of their own, from the beginning of the log or
// from a point in time (FR-14.x: 24 h of events), as a fresh consumer group, reporting progress until it
// has caught up with the end of the log as it stood when the replay began. Large batches (one transaction
// each) and no waiting: the log is whole, so an ordering gap in a replay is parked at once, never waited on.
import { randomUUID } from "node:crypto";
import type { SqlDatabase } from "../data/sql-database.ts";
import { DOMAIN_TOPIC, type EventBus, type PartitionLag, type SeekTarget } from "./bus.ts";
import { type ProjectorStats, startProjector } from "./projector.ts";

export interface ReplayReport {
  group: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  stats: ProjectorStats;
}

export async function replayReadModels(
  bus: EventBus,
  into: SqlDatabase,
  options: {
    from: SeekTarget;
    /** Replays up to these offsets (where the live models stand, to compare with them); else up to the log's end as it is now. */
    until?: Record<number, number>;
    onProgress?: (done: number, total: number, perSecond: number) => void;
    timeoutMs?: number;
    maxBatch?: number;
  },
): Promise<ReplayReport> {
  const group = `replay-${randomUUID().slice(0, 8)}`;
  await bus.seek(group, DOMAIN_TOPIC, options.from);
  const start = await bus.lag(group, DOMAIN_TOPIC);
  const target = new Map(start.map((p) => [p.partition, options.until ? (options.until[p.partition] ?? 0) : p.end]));
  const leftOf = (lag: PartitionLag[]) => lag.reduce((sum, p) => sum + Math.max(0, (target.get(p.partition) ?? 0) - p.committed), 0);
  const total = leftOf(start);
  const began = performance.now();
  const projector = await startProjector(bus, into, { group, gapWaitMs: 0, maxBatch: options.maxBatch ?? 5_000, until: Object.fromEntries(target) });
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  try {
    for (;;) {
      // Caught up with the target; events appended since are not part of this replay.
      const left = leftOf(await bus.lag(group, DOMAIN_TOPIC));
      const seconds = (performance.now() - began) / 1000;
      options.onProgress?.(total - left, total, Math.round((total - left) / Math.max(seconds, 0.001)));
      if (left === 0 && projector.stats.held === 0) break;
      if (Date.now() > deadline) throw new Error(`replay did not finish: ${left} of ${total} events left`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await projector.stop();
  }
  const seconds = (performance.now() - began) / 1000;
  return { group, events: total, seconds, eventsPerSecond: Math.round(total / Math.max(seconds, 0.001)), stats: projector.stats };
}

/** The models whose checksums differ between two read-model databases (empty: equal). */
export function differingModels(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}
