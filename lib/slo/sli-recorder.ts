// Counts SLI outcomes in memory, per minute, journey and side, until they are drained into the rollup
// store: a request costs a map look-up, and the store sees one upsert per minute and journey.
import { LATENCY_BUCKETS_MS } from "./openslo-schema.ts";

export type SliSource = "server" | "client";

export interface SliRollup {
  /** Minutes since the Unix epoch. */
  minute: number;
  journey: string;
  source: SliSource;
  total: number;
  errors: number;
  /** Requests that finished within each of LATENCY_BUCKETS_MS, cumulative. */
  within: number[];
}

export class SliRecorder {
  private pending = new Map<string, SliRollup>();

  record(journey: string, source: SliSource, atMs: number, ok: boolean, latencyMs: number): void {
    const minute = Math.floor(atMs / 60_000);
    const key = `${minute} ${source} ${journey}`;
    let rollup = this.pending.get(key);
    if (!rollup) {
      rollup = { minute, journey, source, total: 0, errors: 0, within: LATENCY_BUCKETS_MS.map(() => 0) };
      this.pending.set(key, rollup);
    }
    rollup.total++;
    if (!ok) rollup.errors++;
    for (let i = LATENCY_BUCKETS_MS.length - 1; i >= 0 && latencyMs <= LATENCY_BUCKETS_MS[i]!; i--) rollup.within[i]!++;
  }

  /** What was counted since the last drain; the recorder starts over. */
  drain(): SliRollup[] {
    const out = [...this.pending.values()];
    this.pending = new Map();
    return out;
  }

  /** Puts rollups back after a failed write, so the next drain carries them. */
  restore(rollups: readonly SliRollup[]): void {
    for (const r of rollups) {
      const key = `${r.minute} ${r.source} ${r.journey}`;
      const mine = this.pending.get(key);
      if (!mine) this.pending.set(key, { ...r, within: [...r.within] });
      else {
        mine.total += r.total;
        mine.errors += r.errors;
        r.within.forEach((n, i) => (mine.within[i]! += n));
      }
    }
  }
}
