// The projector process (:4103): runs the outbox relay of every shard and the projector that fills the
// dashboards' read models, and serves its health and an authenticated operations API under /_lab/events:
// the outbox backlog, consumer lag and counters, and the dead letters with their redrive; and the persona
// dashboards' reads of those models under /_lab/dashboards.
import { recordOnTimeline } from "../../lib/audit/control-timeline.ts";
import { seesControls } from "../../lib/auth/policy.ts";
import type { FastifyInstance } from "fastify";
import { type TokenKey, createTokenVerifier } from "../../lib/auth/tokens.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { DOMAIN_TOPIC, type EventBus } from "../../lib/events/bus.ts";
import { PROJECTOR_GROUP, type Projector, countDeadLetters, listDeadLetters, redriveDeadLetter, startProjector } from "../../lib/events/projector.ts";
import { readPipelineFreshness } from "../../lib/events/pipeline-freshness.ts";
import { type RelayLoop, outboxBacklog, startRelays } from "../../lib/events/relay.ts";
import { registerEventMetrics } from "../../lib/telemetry/event-metrics.ts";
import { EventFaultSwitch } from "../../lib/events/event-faults.ts";
import { PROJECTOR_ROUTES as R } from "../../lib/contracts/routes/projector-routes.ts";
import { declaredRoutes } from "../common/declared-routes.ts";
import { createLabServer } from "../common/lab-server.ts";
import { registerDashboardRoutes } from "./dashboard-routes.ts";

export interface ProjectorProcess {
  app: FastifyInstance;
  /** Where relays running elsewhere (the worker thread) report their publish latencies. */
  observePublished(shard: number, latenciesMs: readonly number[]): void;
  /** Relays running elsewhere (the worker thread) are told of injected pauses through this. */
  onRelayPause(listener: (untilMs: number | null) => void): void;
  /** Stops the relays and the projector (after their batch in hand), then the server. */
  stop(): Promise<void>;
}

export interface ProjectorProcessOptions {
  logLevel?: string;
  /** Run the outbox relays here (tests); the lab's process runs them on a worker thread of its own instead. */
  relays?: boolean;
}

export async function startProjectorProcess(
  lab: LabDatabases,
  bus: EventBus,
  readModels: SqlDatabase,
  tokenKey: TokenKey,
  options: ProjectorProcessOptions = {},
): Promise<ProjectorProcess> {
  const logLevel = options.logLevel ?? "info";
  const tokens = createTokenVerifier(tokenKey);
  const app = createLabServer({
    name: "projector",
    logLevel,
    ready: async () => {
      await readModels.query("SELECT 1");
      await bus.lag(PROJECTOR_GROUP, DOMAIN_TOPIC);
    },
  });
  const eventMetrics = registerEventMetrics(app.metrics.registry, {
    outboxBacklog: () => Promise.all(lab.shards.map(outboxBacklog)),
    consumerLag: () => bus.lag(PROJECTOR_GROUP, DOMAIN_TOPIC),
    deadLetters: () => countDeadLetters(readModels),
  });
  let relayPausedUntil = 0;
  const pauseListeners: ((untilMs: number | null) => void)[] = [];
  const faults = new EventFaultSwitch(lab.control.sql, (untilMs) => {
    relayPausedUntil = untilMs ?? 0;
    for (const listener of pauseListeners) listener(untilMs);
  });
  const relays: RelayLoop | null =
    options.relays === false
      ? null
      : startRelays(lab.shards, bus, {
          paused: () => Date.now() < relayPausedUntil,
          onPass: (shard, pass) => eventMetrics.observePublished(shard, pass.latenciesMs),
          onError: (shard, err) => app.log.warn({ shard, err: String(err) }, "relay pass failed; retrying"),
        });
  const projector: Projector = await startProjector(bus, readModels, {
    fault: () => {
      const f = faults.active();
      return f && { delayMs: f.consumerDelayMs, failRate: f.consumerFailRate };
    },
    onFailure: (f) =>
      app.log.warn(f, f.deadLettered ? "event dead-lettered" : f.kind === "gap" ? "event waits for the one before it" : "projecting an event failed; retrying"),
  });

  const routes = declaredRoutes(app, { tokens });
  registerDashboardRoutes(routes, lab, readModels);

  routes.serve(R.eventPipeline, async ({ actor }) => {
    const [backlog, lag, deadLetters] = await Promise.all([
      Promise.all(lab.shards.map(outboxBacklog)),
      bus.lag(PROJECTOR_GROUP, DOMAIN_TOPIC),
      countDeadLetters(readModels),
    ]);
    return {
      bus: bus.kind,
      outboxBacklog: backlog.map((n, shard) => ({ shard, unpublished: n })),
      projector: { ...projector.stats, lag },
      deadLetters,
      // The pipeline's faults are the lab's controls: an on-call player sees the backlog, not why.
      faults: seesControls(actor) ? faults.active() : null,
    };
  });

  routes.serve(R.freshness, ({ query }) => readPipelineFreshness(lab.shards, bus, PROJECTOR_GROUP, { thresholdMs: query.thresholdMs }));

  routes.serve(R.deadLetters, async ({ query }) => ({ items: await listDeadLetters(readModels, query.status) }));
  // A redrive is an operator's write: audited on the control timeline with its outcome, as the levers are.
  routes.serve(R.redrive, async ({ actor, params, request }) => {
    const letter = await redriveDeadLetter(readModels, params.eventId);
    const redriven = letter.status === "redriven";
    await recordOnTimeline(
      lab.control.sql,
      {
        occurredAt: new Date(),
        actorId: actor.userId,
        actorRole: actor.role,
        action: "events.redrive",
        entityType: "DeadLetter",
        entityId: params.eventId,
        patientId: null,
        requestId: request.id,
        traceId: request.trace.traceId,
        outcome: redriven ? "success" : "failed",
        details: { type: letter.type, attempts: letter.attempts, status: letter.status },
      },
      {
        endAt: null,
        kind: "events",
        title: redriven ? `dead letter ${params.eventId} redriven` : `dead letter ${params.eventId} failed again`,
        body: JSON.stringify({ eventId: params.eventId, status: letter.status }),
        tags: JSON.stringify(["events", "redrive"]),
        drillRunId: null,
      },
    );
    return letter;
  });
  routes.serve(R.eventFaults, () => ({ faults: faults.active() }));
  routes.serve(R.setEventFaults, async ({ actor, body, request }) => ({
    faults: await faults.set(actor, body, { requestId: request.id, traceId: request.trace.traceId }),
  }));
  routes.serve(R.clearEventFaults, async ({ actor, request }) => ({
    faults: await faults.set(actor, null, { requestId: request.id, traceId: request.trace.traceId }),
  }));

  return {
    app,
    onRelayPause: (listener) => void pauseListeners.push(listener),
    observePublished: eventMetrics.observePublished,
    async stop() {
      await app.close();
      await relays?.stop();
      await projector.stop();
    },
  };
}
