// A simulation: journeys of a traffic profile's mix arrive on its arrival process's clock (an open model:
// never paced by answers) and each walks its flow through the gateway. Started, late and dropped arrivals,
// outcomes and latencies are counted per journey; each finished journey is also handed to `onJourneyEnd`
// (the client-side SLI reporter).
import { randomBytes } from "node:crypto";
import { Pool } from "undici";
import { runArrivalClock } from "../load/arrival-clock.ts";
import { expectedArrivals, seededRandom } from "../load/arrival-processes.ts";
import type { JourneyFlow } from "./journey-flows.ts";
import { JourneyCancelled, JourneyFailure, JourneySession } from "./journey-session.ts";
import { type FailureReason, type JourneyFigures, JourneyStats } from "./journey-stats.ts";
import type { TrafficProfileSpec } from "./traffic-profile.ts";

export interface JourneyOutcome {
  journey: string;
  at: Date;
  ok: boolean;
  /** What the user waited for answers, each step from its due time (think times not included). */
  latencyMs: number;
}

export interface SimulationOptions {
  origin: string;
  profile: { name: string; spec: TrafficProfileSpec };
  /** Overrides the profile's duration. */
  durationSeconds?: number;
  flows: Readonly<Record<string, JourneyFlow>>;
  /** Overrides the profile's connections. */
  connections?: number;
  requestTimeoutMs?: number;
  /** An arrival started more than this after its due time counts as late. */
  lateAfterMs?: number;
  /** Share of journeys sent with a sampled traceparent (recorded end to end by the lab). */
  traceSampleRatio?: number;
  onJourneyEnd?: (outcome: JourneyOutcome) => void;
}

export type SimulationState = "running" | "finished" | "stopped";

export interface SimulationSnapshot {
  runId: string;
  profile: string;
  state: SimulationState;
  startedAt: string;
  elapsedSeconds: number;
  durationSeconds: number;
  /** Journeys per second the profile offers on average so far, and what the simulator started. */
  offeredPerSecond: number;
  startedPerSecond: number;
  journeys: JourneyFigures[];
  total: JourneyFigures;
}

export class Simulation {
  readonly runId = `sim${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  readonly done: Promise<SimulationSnapshot>;
  private readonly stats = new Map<string, JourneyStats>();
  private readonly pool: Pool;
  private readonly startedAt = new Date();
  private clockStartedAt = performance.now();
  private clockEndedAt: number | null = null;
  private state: SimulationState = "running";
  private stopRequested = false;
  /** A stop per journey in flight: on one signal shared by thousands, each listener added or removed walks them all. */
  private readonly cancels = new Set<AbortController>();
  private readonly durationSeconds: number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly o: SimulationOptions) {
    const { spec } = o.profile;
    this.durationSeconds = o.durationSeconds ?? spec.durationSeconds;
    for (const { journey } of spec.mix) {
      if (!o.flows[journey]) throw new Error(`no flow for journey ${journey}`);
      this.stats.set(journey, new JourneyStats(journey));
    }
    this.pool = new Pool(o.origin, { connections: o.connections ?? spec.connections ?? 64 });
    this.done = this.run();
  }

  snapshot(): SimulationSnapshot {
    const elapsed = ((this.clockEndedAt ?? performance.now()) - this.clockStartedAt) / 1000;
    const total = new JourneyStats("total");
    for (const s of this.stats.values()) total.absorb(s);
    const figures = total.figures();
    total.destroy();
    return {
      runId: this.runId,
      profile: this.o.profile.name,
      state: this.state,
      startedAt: this.startedAt.toISOString(),
      elapsedSeconds: Math.round(elapsed * 10) / 10,
      durationSeconds: this.durationSeconds,
      offeredPerSecond: elapsed > 0 ? round2(expectedArrivals(this.o.profile.spec.arrivals, elapsed) / elapsed) : 0,
      startedPerSecond: elapsed > 0 ? round2(figures.started / elapsed) : 0,
      journeys: [...this.stats.values()].map((s) => s.figures()),
      total: figures,
    };
  }

  /** Stops starting journeys and cuts those in flight short (counted as cancelled, not reported as SLIs). */
  async stop(): Promise<SimulationSnapshot> {
    this.stopRequested = true;
    for (const cancel of this.cancels) cancel.abort();
    return this.done;
  }

  private async run(): Promise<SimulationSnapshot> {
    const { spec } = this.o.profile;
    const pickJourney = weightedPicker(spec.mix, seededRandom(spec.seed + 1));
    const flowRandom = seededRandom(spec.seed + 2);
    const lateAfterMs = this.o.lateAfterMs ?? 10;
    const sampleRatio = this.o.traceSampleRatio ?? 0.01;
    let journeyNo = 0;

    // Until when (performance.now()) each persona's clients hold new journeys back: the gateway shed one of
    // theirs with a 503 and Retry-After. Well-behaved API clients back off so; without it the simulator, on
    // the lab's own cores, would go on spending one on requests the on-call had shed, and keep the SLOs
    // burning after the right lever: the lab's own part the cause of what it sees.
    const heldUntil = new Map<string, number>();
    const arrive = (_index: number, dueAt: number) => {
      const journey = pickJourney();
      const stats = this.stats.get(journey)!;
      stats.due++;
      const persona = journey.split("/")[0]!;
      if ((heldUntil.get(persona) ?? 0) > performance.now()) {
        stats.heldBack++;
        return;
      }
      if (this.inFlight.size >= spec.maxInFlightJourneys) {
        stats.dropped++;
        return;
      }
      stats.started++;
      if (performance.now() - dueAt > lateAfterMs) stats.late++;
      stats.inFlight++;
      const cancel = new AbortController();
      this.cancels.add(cancel);
      if (this.stopRequested) cancel.abort();
      const session = new JourneySession({
        pool: this.pool,
        stats,
        dueAt,
        thinkTime: spec.thinkTime,
        random: flowRandom,
        requestTimeoutMs: this.o.requestTimeoutMs ?? 10_000,
        sampled: flowRandom() < sampleRatio,
        requestIdPrefix: `${this.runId}-${++journeyNo}`,
        signal: cancel.signal,
      });
      const walked = this.o.flows[journey]!(session).then(
        () => null,
        // A flow that breaks on an answer it did not expect is a rejected journey, with what broke it.
        (err: unknown) =>
          err instanceof JourneyCancelled
            ? ("cancelled" as const)
            : err instanceof JourneyFailure
              ? { reason: err.reason, message: err.message, retryAfterMs: err.retryAfterMs }
              : { reason: "rejected" as FailureReason, message: String(err) },
      );
      const finished = walked.then((failure) => {
        this.cancels.delete(cancel);
        stats.inFlight--;
        this.inFlight.delete(finished);
        if (failure === "cancelled") {
          stats.cancelled++;
          return;
        }
        if (failure && "retryAfterMs" in failure && typeof failure.retryAfterMs === "number")
          heldUntil.set(persona, Math.max(heldUntil.get(persona) ?? 0, performance.now() + failure.retryAfterMs));
        stats.recordJourney(performance.now() - dueAt, failure);
        this.o.onJourneyEnd?.({ journey, at: new Date(), ok: failure === null, latencyMs: session.waitedMs });
      });
      this.inFlight.add(finished);
    };

    const clock = await runArrivalClock(
      {
        schedule: { profile: spec.arrivals, spacing: spec.spacing, seed: spec.seed },
        durationMs: this.durationSeconds * 1000,
        stopped: () => this.stopRequested,
      },
      arrive,
    );
    this.clockStartedAt = clock.startedAt;
    this.clockEndedAt = clock.endedAt;
    await Promise.all(this.inFlight);
    await this.pool.close();
    this.state = this.stopRequested ? "stopped" : "finished";
    return this.snapshot();
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Picks a journey by its weight in the mix from a seeded stream. */
function weightedPicker(mix: readonly { journey: string; weight: number }[], random: () => number): () => string {
  const total = mix.reduce((a, m) => a + m.weight, 0);
  const bounds = mix.map(
    (
      (sum) => (m: { weight: number }) =>
        (sum += m.weight / total)
    )(0),
  );
  return () => {
    const r = random();
    const i = bounds.findIndex((b) => r < b);
    return mix[i === -1 ? mix.length - 1 : i]!.journey;
  };
}
