// What the simulator measured, per journey: arrivals that came due, started late or were dropped; journeys
// that succeeded or failed (and why); and two latency views of every request, in HDR histograms:
//   corrected  from when the request was due (the journey's arrival, or the end of the think time before
//              it): a stalled server or simulator shows up as latency (no coordinated omission)
//   raw        from when it was actually sent, what a closed-model tool such as autocannon reports
import * as hdr from "hdr-histogram-js";

export type FailureReason = "server-error" | "rate-limited" | "rejected" | "timeout" | "network";

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface JourneyFigures {
  journey: string;
  due: number;
  started: number;
  /** Started more than the late threshold after their due time (the simulator fell behind its clock). */
  late: number;
  /** Not started: too many journeys already in flight. */
  dropped: number;
  /** Not started: the lab had asked this persona's clients to retry later (a 503 with Retry-After). */
  heldBack: number;
  inFlight: number;
  /** Cut short by a stop: counted neither way. */
  cancelled: number;
  succeeded: number;
  failed: number;
  failures: Record<FailureReason, number>;
  /** The latest few failures as users saw them ("GET /patients/pat-1: 503"), newest last. */
  recentFailures: string[];
  requests: number;
  /** Milliseconds per request, corrected for coordinated omission and raw. */
  requestMs: { corrected: LatencySummary; raw: LatencySummary };
  /** Milliseconds from a journey's arrival to its last answer (think times included; the SLIs take the waiting only). */
  journeyMs: LatencySummary;
}

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
const micros = (ms: number) => Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000)));

function summary(h: hdr.Histogram): LatencySummary {
  const ms = (p: number) => Math.round(h.getValueAtPercentile(p) / 100) / 10;
  return { count: h.totalCount, p50: ms(50), p90: ms(90), p99: ms(99), max: Math.round(h.maxValue / 100) / 10 };
}

export class JourneyStats {
  due = 0;
  started = 0;
  late = 0;
  dropped = 0;
  heldBack = 0;
  inFlight = 0;
  cancelled = 0;
  succeeded = 0;
  failures: Record<FailureReason, number> = { "server-error": 0, "rate-limited": 0, rejected: 0, timeout: 0, network: 0 };
  private readonly recent: string[] = [];
  private readonly corrected = histogram();
  private readonly raw = histogram();
  private readonly journey = histogram();

  constructor(readonly id: string) {}

  recordRequest(correctedMs: number, rawMs: number): void {
    this.corrected.recordValue(micros(correctedMs));
    this.raw.recordValue(micros(rawMs));
  }

  recordJourney(ms: number, failure: { reason: FailureReason; message: string } | null): void {
    this.journey.recordValue(micros(ms));
    if (!failure) {
      this.succeeded++;
      return;
    }
    this.failures[failure.reason]++;
    this.recent.push(failure.message);
    if (this.recent.length > 5) this.recent.shift();
  }

  figures(): JourneyFigures {
    const failed = Object.values(this.failures).reduce((a, b) => a + b, 0);
    return {
      journey: this.id,
      due: this.due,
      started: this.started,
      late: this.late,
      dropped: this.dropped,
      heldBack: this.heldBack,
      inFlight: this.inFlight,
      cancelled: this.cancelled,
      succeeded: this.succeeded,
      failed,
      failures: { ...this.failures },
      recentFailures: [...this.recent],
      requests: this.corrected.totalCount,
      requestMs: { corrected: summary(this.corrected), raw: summary(this.raw) },
      journeyMs: summary(this.journey),
    };
  }

  /** Adds another journey's requests into this one (the run's totals row). */
  absorb(other: JourneyStats): void {
    this.due += other.due;
    this.started += other.started;
    this.late += other.late;
    this.dropped += other.dropped;
    this.heldBack += other.heldBack;
    this.inFlight += other.inFlight;
    this.cancelled += other.cancelled;
    this.succeeded += other.succeeded;
    for (const k of Object.keys(this.failures) as FailureReason[]) this.failures[k] += other.failures[k];
    this.recent.push(...other.recent.map((m) => `${other.id}: ${m}`));
    this.recent.splice(0, Math.max(0, this.recent.length - 5));
    this.corrected.add(other.corrected);
    this.raw.add(other.raw);
    this.journey.add(other.journey);
  }

  destroy(): void {
    this.corrected.destroy();
    this.raw.destroy();
    this.journey.destroy();
  }
}
