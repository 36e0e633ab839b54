// The simulator process's one run at a time: started from a profile by a caller allowed "traffic.control"
// (the portal, the drill engine, an SRE's curl), replaced by the next start, stopped on request. Each start
// and stop goes into the lab's control audit chain with an annotation, so SLO charts show when traffic
// changed and who changed it.
import { recordOnTimeline } from "../audit/control-timeline.ts";
import { authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import { ClientSliReporter } from "./client-sli-reporter.ts";
import { journeyFlows } from "./journey-flows.ts";
import { type SimulationCast, warmUpCast } from "./simulation-cast.ts";
import { labStartTitle } from "./lab-start.ts";
import { Simulation, type SimulationSnapshot } from "./simulation-run.ts";
import { type TrafficProfile, findTrafficProfile } from "./traffic-profile.ts";

export interface SimulatorControlOptions {
  /** The control database: each start and stop goes on its timeline. */
  control: SqlDatabase;
  /** Reads the cast (the lab's facilities, providers and a sample of patients). */
  readCast: () => Promise<SimulationCast>;
  profiles: readonly TrafficProfile[];
  /** The gateway the journeys go through. */
  origin: string;
  traceSampleRatio: number;
  /** Told about client SLI delivery problems (the process logs them). */
  onSliError?: (err: Error) => void;
}

/** The warm-up in progress after a lab start: which profile it warms, since when, for how long. */
export interface WarmUp {
  profile: string;
  since: string;
  seconds: number;
}

export interface RequestMeta {
  requestId: string;
  traceId: string | null;
}

export class SimulatorControl {
  private current: { simulation: Simulation; reporter: ClientSliReporter; startedBy: string } | null = null;
  private readonly finished: SimulationSnapshot[] = [];
  private cast: Promise<SimulationCast> | null = null;
  private warmingUp: WarmUp | null = null;
  /** The warm-up under way, and whether a start asked for while it ran has taken the lab's start's place. */
  private warmUp: { simulation: Simulation; overridden: boolean } | null = null;
  /** Starts and stops take turns: two at once would leave a run behind that nobody can reach. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: SimulatorControlOptions) {}

  status(): {
    running: (SimulationSnapshot & { startedBy: string }) | null;
    warmingUp: WarmUp | null;
    recent: SimulationSnapshot[];
    profiles: { name: string; description: string }[];
  } {
    return {
      running: this.current ? { ...this.current.simulation.snapshot(), startedBy: this.current.startedBy } : null,
      warmingUp: this.warmingUp,
      recent: [...this.finished],
      profiles: this.o.profiles.map((p) => ({ name: p.name, description: p.description })),
    };
  }

  start(actor: Actor | null, request: { profile: string; durationSeconds?: number; seed?: number }, meta: RequestMeta): Promise<SimulationSnapshot> {
    if (actor) permit(actor);
    const named = findTrafficProfile(this.o.profiles, request.profile);
    const profile = request.seed === undefined ? named : { ...named, spec: { ...named.spec, seed: request.seed } };
    // Someone who asks for traffic during the lab's warm-up (an exercise started right after the lab is ready)
    // gets it now, not after the warm-up: the warm-up ends here, and the lab's own start yields to theirs.
    const warm = this.warmUp;
    if (warm) {
      warm.overridden = true;
      void warm.simulation.stop();
    }
    return this.inTurn(() => this.replace(actor, profile, request.durationSeconds, meta));
  }

  /** Stopping the traffic is shedding it: an on-call lever too, not only the instructor's control. */
  stop(actor: Actor, meta: RequestMeta): Promise<SimulationSnapshot | null> {
    permit(actor, "traffic.shed");
    return this.inTurn(async () => {
      const end = await this.stopCurrent();
      if (end) await this.audit(actor, "traffic.stop", end, meta, `traffic: ${end.profile} stopped`);
      return end;
    });
  }

  /**
   * The lab's own start of traffic (lib/simulator/lab-start.ts): every journey of the profile walked by
   * warm-up users for `warmUpSeconds` (their requests counted apart from the SLIs), then the profile itself.
   * The whole start, from `since`, goes on the control timeline as a lab-start annotation. Null when someone
   * started traffic of their own during the warm-up: theirs runs instead of the profile.
   */
  startAfterWarmUp(
    profileName: string,
    start: { since: Date; fromLabStart: boolean; warmUpSeconds: number; waitedMs: number; notReady: string[] },
    meta: RequestMeta,
  ): Promise<SimulationSnapshot | null> {
    const profile = findTrafficProfile(this.o.profiles, profileName);
    return this.inTurn(async () => {
      const cast = await this.castOnce();
      let journeys = { started: 0, failed: 0 };
      let warmUpRun: string | null = null;
      if (start.warmUpSeconds > 0) {
        this.warmingUp = { profile: profile.name, since: new Date().toISOString(), seconds: start.warmUpSeconds };
        const warm = new Simulation({
          origin: this.o.origin,
          profile: { name: `${profile.name} (warm-up)`, spec: profile.spec },
          durationSeconds: start.warmUpSeconds,
          flows: journeyFlows(warmUpCast(cast)),
          traceSampleRatio: 0,
        });
        warmUpRun = warm.runId;
        this.warmUp = { simulation: warm, overridden: false };
        journeys = (await warm.done.finally(() => (this.warmingUp = null))).total;
      }
      const overridden = this.warmUp?.overridden ?? false;
      this.warmUp = null;
      const title = labStartTitle({ ...start, warmUpJourneys: journeys.started });
      await recordOnTimeline(
        this.o.control,
        {
          occurredAt: start.since,
          actorId: "lab",
          actorRole: "system",
          action: "traffic.warm-up",
          entityType: "Simulation",
          entityId: warmUpRun ?? "none",
          patientId: null,
          requestId: meta.requestId,
          traceId: meta.traceId,
          outcome: "success",
          details: { profile: profile.name, warmUpSeconds: start.warmUpSeconds, journeys: journeys.started, failed: journeys.failed, notReady: start.notReady },
        },
        {
          endAt: new Date(),
          kind: "lab-start",
          title,
          body: JSON.stringify({ runId: warmUpRun, profile: profile.name, journeys: journeys.started }),
          tags: JSON.stringify(["lab-start", `profile:${profile.name}`]),
          drillRunId: null,
        },
      );
      return overridden ? null : this.replace(null, profile, undefined, meta);
    });
  }

  /** Stops the run (process shutdown). */
  close(): Promise<void> {
    return this.inTurn(async () => void (await this.stopCurrent()));
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async replace(actor: Actor | null, profile: TrafficProfile, durationSeconds: number | undefined, meta: RequestMeta): Promise<SimulationSnapshot> {
    await this.stopCurrent();
    const cast = await this.castOnce();
    const reporter = new ClientSliReporter({
      origin: this.o.origin,
      token: () => cast.tokenOf({ role: "sre", userId: "sim-sli-reporter", facilityId: null, patientId: null }),
      onError: this.o.onSliError,
    });
    const simulation = new Simulation({
      origin: this.o.origin,
      profile,
      durationSeconds,
      flows: journeyFlows(cast),
      traceSampleRatio: this.o.traceSampleRatio,
      onJourneyEnd: (o) => reporter.record(o),
    });
    const startedBy = actor?.userId ?? "lab";
    this.current = { simulation, reporter, startedBy };
    void simulation.done.then((end) => this.settle(simulation, reporter, end));
    const snapshot = simulation.snapshot();
    await this.audit(actor, "traffic.start", snapshot, meta, `traffic: ${profile.name} started`);
    return snapshot;
  }

  /** The cast is read once per process: patients registered later are not needed to make traffic. */
  private async castOnce(): Promise<SimulationCast> {
    this.cast ??= this.o.readCast();
    return this.cast.catch((err: unknown) => {
      this.cast = null;
      throw err;
    });
  }

  /** Stops the running simulation; null when none runs (one that ended by itself is not stopped again). */
  private async stopCurrent(): Promise<SimulationSnapshot | null> {
    const run = this.current;
    if (!run || run.simulation.snapshot().state !== "running") return null;
    const end = await run.simulation.stop();
    await this.settle(run.simulation, run.reporter, end);
    return end;
  }

  private async settle(simulation: Simulation, reporter: ClientSliReporter, end: SimulationSnapshot): Promise<void> {
    if (this.current?.simulation !== simulation) return;
    this.current = null;
    this.finished.unshift(end);
    this.finished.splice(10);
    // The last SLIs go out in the background: a slow gateway must not hold up the next start or a stop.
    void reporter.close();
  }

  private async audit(actor: Actor | null, action: string, run: SimulationSnapshot, meta: RequestMeta, title: string): Promise<void> {
    const now = new Date();
    const actorId = actor?.userId ?? "lab";
    await recordOnTimeline(
      this.o.control,
      {
        occurredAt: now,
        actorId,
        actorRole: actor?.role ?? "system",
        action,
        entityType: "Simulation",
        entityId: run.runId,
        patientId: null,
        requestId: meta.requestId,
        traceId: meta.traceId,
        outcome: "success",
        details: { profile: run.profile, durationSeconds: run.durationSeconds, journeysStarted: run.total.started },
      },
      {
        endAt: null,
        kind: "traffic",
        title,
        body: JSON.stringify({ runId: run.runId, profile: run.profile }),
        tags: JSON.stringify(["traffic", `profile:${run.profile}`]),
        drillRunId: null,
      },
    );
  }
}

function permit(actor: Actor, action: "traffic.control" | "traffic.shed" = "traffic.control"): void {
  const decision = authorize(actor, action);
  if (!decision.allowed) throw new LabError("forbidden", decision.reason);
}
