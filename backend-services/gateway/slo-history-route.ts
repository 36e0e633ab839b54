// GET /_lab/slos/:name/history: one SLO's last hours minute by minute (budget left, each tier's burn
// rates), its alert transitions, the same journey's SLO of the other side (client vs server) to compare,
// and the drills and scenarios of those minutes from the control timeline, for the SLO detail charts.
import type { FastifyRequest } from "fastify";
import { readTimeline } from "../../lib/audit/control-timeline.ts";
import { seesControls } from "../../lib/auth/policy.ts";
import { GATEWAY_ROUTES as R } from "../../lib/contracts/routes/gateway-routes.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { LabError } from "../../lib/errors/index.ts";
import type { SloDefinition } from "../../lib/slo/load-slos.ts";
import { sloHistory } from "../../lib/slo/slo-history.ts";
import { type SloReport, sloSummary } from "../../lib/slo/slo-status.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";

export interface SloHistoryRouteOptions {
  store: SqlDatabase;
  slos: readonly SloDefinition[];
  report: (request: FastifyRequest) => Promise<SloReport>;
  /** The control database, for the annotations; without it the charts carry none. */
  control?: SqlDatabase;
  now?: () => Date;
}

export function sloHistoryRoute(routes: DeclaredRoutes, o: SloHistoryRouteOptions): void {
  routes.serve(R.sloHistory, async ({ actor, params: { name }, query: { minutes }, request }) => {
    const slo = o.slos.find((s) => s.name === name);
    if (!slo) throw new LabError("not_found", `no SLO ${name}`, { field: "name" });
    const now = o.now?.() ?? new Date();
    const counterpart = o.slos.find((s) => s !== slo && s.journey === slo.journey && s.sli.kind === slo.sli.kind && s.source !== slo.source) ?? null;
    const [history, counterpartHistory, report, annotations] = await Promise.all([
      sloHistory(o.store, slo, now, minutes),
      counterpart ? sloHistory(o.store, counterpart, now, minutes) : null,
      o.report(request),
      o.control ? readTimeline(o.control, new Date(now.getTime() - minutes * 60_000), now) : [],
    ]);
    const status = report.slos.find((s) => s.name === name);
    return {
      slo: sloSummary(slo),
      budgetRemaining: status?.budgetRemaining ?? null,
      tiers: status?.tiers ?? [],
      transitions: status?.transitions ?? [],
      noData: status?.noData ?? null,
      history,
      counterpart:
        counterpart && counterpartHistory
          ? { name: counterpart.name, displayName: counterpart.displayName, source: counterpart.source, history: counterpartHistory }
          : null,
      annotations: annotations
        .filter((a) => CHARTED_KINDS.has(a.kind) && (a.kind === "lab-start" || seesControls(actor)))
        .map((a) => ({
          at: a.at.toISOString(),
          endAt: a.endAt?.toISOString() ?? null,
          kind: a.kind,
          title: a.title,
          drillRunId: a.drillRunId,
          status: statusOf(a.body),
        })),
    };
  });
}

/**
 * What the SLO charts shade: drills, scenarios, and the lab's starts (processes starting, journeys warming
 * up). Drills and scenarios only for those who see the lab's controls (not the on-call player).
 */
const CHARTED_KINDS = new Set(["drill", "scenario", "lab-start"]);

/** The run's status an annotation recorded (drills write it in the body), to end a drill's span where it ended. */
function statusOf(body: string): string | null {
  try {
    const status = (JSON.parse(body) as { status?: unknown }).status;
    return typeof status === "string" ? status : null;
  } catch {
    return null;
  }
}
