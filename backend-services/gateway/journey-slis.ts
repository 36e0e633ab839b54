// The gateway's part in the SLOs: every answered request of a persona journey is counted (server side)
// into the Prometheus counters and the minute rollups; the simulator's users' view (client side) arrives
// at POST /_lab/slis; GET /_lab/slos evaluates the lab's SLOs over the rollups.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { LabRoute } from "../../lib/contracts/lab-route.ts";
import { GATEWAY_ROUTES as R } from "../../lib/contracts/routes/gateway-routes.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { LabError } from "../../lib/errors/index.ts";
import { JOURNEYS, journeyOf } from "../../lib/slo/journeys.ts";
import type { SloDefinition } from "../../lib/slo/load-slos.ts";
import { type FreshnessReading, startFreshnessProbe } from "../../lib/slo/freshness-probe.ts";
import { SliRecorder } from "../../lib/slo/sli-recorder.ts";
import { addSliRollups } from "../../lib/slo/sli-store.ts";
import { type SloReportSource, embeddedSloSource } from "../../lib/slo/slo-sources.ts";
import type { SloReport } from "../../lib/slo/slo-status.ts";
import { countJourney } from "../../lib/telemetry/metrics.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

export interface JourneySliOptions {
  store: SqlDatabase;
  slos: readonly SloDefinition[];
  /** Where GET /_lab/slos reads the SLOs: the rollups in `store` unless Prometheus is configured. */
  source?: SloReportSource;
  flushEveryMs?: number;
  now?: () => Date;
  /** How the read models' freshness is read for the probed journey billing/watch-pipeline; none: not probed. */
  freshness?: { read: (signal: AbortSignal) => Promise<FreshnessReading>; thresholdMs: number; everyMs?: number };
}

/** The probed journey whose SLI is the read models' freshness. */
export const FRESHNESS_JOURNEY = "billing/watch-pipeline";

export function installJourneySlis(
  app: FastifyInstance,
  routes: DeclaredRoutes,
  options: JourneySliOptions,
): { flush(): Promise<void>; report(request: FastifyRequest): Promise<SloReport> } {
  const recorder = new SliRecorder();
  const now = options.now ?? (() => new Date());
  const source = options.source ?? embeddedSloSource(options.store, options.slos);
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      const rollups = recorder.drain();
      try {
        await addSliRollups(options.store, rollups);
      } catch (err) {
        recorder.restore(rollups); // kept for the next flush: an SLI count is never silently dropped
        app.log.warn({ err }, "SLI rollups could not be written; retrying at the next flush");
      }
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), options.flushEveryMs ?? 10_000);
  timer.unref();
  const freshness = options.freshness
    ? startFreshnessProbe({
        ...options.freshness,
        record: (atMs, ok, stalenessMs) => {
          countJourney(app.metrics, FRESHNESS_JOURNEY, "server", ok, stalenessMs);
          recorder.record(FRESHNESS_JOURNEY, "server", atMs, ok, stalenessMs);
        },
        onCounting: () => app.log.info({ journey: FRESHNESS_JOURNEY }, "the event pipeline caught up: its freshness counts from now"),
        onError: (err) => app.log.warn({ err: String(err), journey: FRESHNESS_JOURNEY }, "the pipeline's freshness could not be read"),
      })
    : null;
  app.addHook("onClose", async () => {
    clearInterval(timer);
    freshness?.stop();
    await flush();
  });

  // Every journey's counters exist from the start at zero: Prometheus' increase() only sees a series'
  // growth after its first sample, so a counter born at its first failure would hide that failure.
  for (const { id } of JOURNEYS) {
    for (const side of ["server", "client"] as const) {
      for (const outcome of ["success", "error"]) app.metrics.journeyRequests.inc({ journey: id, source: side, outcome }, 0);
      app.metrics.journeyDuration.zero({ journey: id, source: side });
    }
  }

  app.addHook("onResponse", async (request, reply) => {
    const actor = request.actor;
    if (!actor) return;
    // The route's declaration, also for a request refused before its handler ran (a 429).
    const declared = (request.routeOptions.config as { declared?: LabRoute } | undefined)?.declared;
    const journey = declared && declared.action !== "public" ? journeyOf(actor.role, declared.action) : null;
    // A blind spot (a fault rule of the gateway's): served, but never counted.
    if (!journey || request.unrecordedSli) return;
    const ok = reply.statusCode < 500;
    if (actor.traffic === "warmup") {
      app.metrics.warmupRequests.inc({ journey, outcome: ok ? "success" : "error" });
      return;
    }
    countJourney(app.metrics, journey, "server", ok, reply.elapsedTime);
    recorder.record(journey, "server", Date.now(), ok, reply.elapsedTime);
  });

  // 10,000 outcomes are about 1 MB of JSON: this route alone takes more than the API's 64 KB.
  routes.serve(
    R.reportSlis,
    ({ body: { outcomes } }) => {
      const nowMs = now().getTime();
      outcomes.forEach((o, i) => {
        const at = Date.parse(o.at);
        // Rollups older than a day would rewrite history the alerts have already been evaluated on.
        if (at > nowMs + 60_000 || at < nowMs - 86_400_000)
          throw new LabError("unprocessable", "at must be within the last 24 hours and not in the future", { field: `outcomes.${i}.at` });
      });
      for (const o of outcomes) {
        countJourney(app.metrics, o.journey, "client", o.ok, o.latencyMs);
        recorder.record(o.journey, "client", Date.parse(o.at), o.ok, o.latencyMs);
      }
      return { accepted: outcomes.length };
    },
    { bodyLimit: 2 * 1024 * 1024 },
  );

  // Evaluating reads 30 days of minutes per SLO: one evaluation serves every caller for 15 s.
  let cached: { at: number; report: Promise<SloReport> } | null = null;
  const report = async (request: FastifyRequest): Promise<SloReport> => {
    const at = now().getTime();
    await flush();
    if (!cached || at - cached.at > 15_000) {
      cached = { at, report: source.report(new Date(at)) };
      cached.report.catch(() => (cached = null));
    }
    try {
      return await cached.report;
    } catch (err) {
      request.log.warn({ err }, "the SLO source did not answer");
      throw new LabError("unavailable", `the SLOs could not be read from ${source.kind === "prometheus" ? "Prometheus" : "the SLI store"}; retry shortly`);
    }
  };
  routes.serve(R.slos, ({ request }) => report(request));

  return { flush, report };
}
