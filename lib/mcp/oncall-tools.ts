// The on-call tools an agent gets over MCP, as data: each a name, a zod input, whether it changes the lab,
// and what it reads or does through the lab's own APIs as the agent's persona, so the processes decide what
// it may see and do exactly as for a person (ADR 0023's hiding, the drills' guardrails). Answers are compact
// projections of those APIs: what an on-call person reads off the page, not every field the page has.
import { z } from "zod";
import { type View, authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import { parseAuditFilter } from "../audit/audit-filter.ts";
import { auditReaderOf, readAuditPage } from "../audit/read-audit-page.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { DrillLaunch } from "../drills/drill-request.ts";
import { LabError } from "../errors/index.ts";
import { FAULT_CLASSES, FaultyEntity } from "../exercises/exercise-catalog.ts";
import type { LabClient, LabOrigins } from "../lab-client/lab-client.ts";
import { LEVERS, LEVER_IDS, LeverPull, pull } from "../portal/oncall-levers.ts";
import { LOG_LEVELS } from "../telemetry/log-levels.ts";
import { TRACE_ID } from "../telemetry/span-store.ts";

/** What a tool reaches the lab through: the lab's APIs as the agent, its databases for the audit, its runbooks. */
export interface ToolContext {
  actor: Actor;
  lab: LabClient;
  /** Where each process listens, for what no declared route serves (a process's /metrics). */
  origins: LabOrigins;
  databases: () => Promise<LabDatabases>;
  /** The runbooks by name (docs/runbooks/<name>.md). */
  runbooks: () => ReadonlyMap<string, string>;
  shardCount: number;
}

export interface OnCallTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: S;
  /** A tool that changes the lab: refused on a connection opened read-only. */
  writes: boolean;
  run: (args: z.infer<z.ZodObject<S>>, ctx: ToolContext) => Promise<unknown>;
}

const tool = <S extends z.ZodRawShape>(t: OnCallTool<S>): OnCallTool => t as unknown as OnCallTool;

const round = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits)));
const percent = (n: number | null | undefined) => (n === null || n === undefined ? null : round(n * 100, 1));
const hhmm = (iso: string) => iso.slice(11, 16);

const SloName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,119}$/, "must be an SLO's name (list_alerts or read_slo without a name lists them)");

/** The exercise under way, whose acts the player's tools record; a refusal that says so when there is none. */
async function currentRun(lab: LabClient): Promise<string> {
  const view = await lab.exerciseBriefing();
  if (view.status === "ended" || view.status === "failed")
    throw new LabError("conflict", `the exercise ${view.id} is over: nothing to act on`, { field: "exercise" });
  return view.id;
}

/** The exercise as its player reads it: the page, the clock, hints, acts; the truth and score once over. */
export async function exercisePage(lab: LabClient) {
  const v = await lab.exerciseBriefing();
  return { id: v.id, title: v.title, briefing: v.briefing, status: v.status, secondsLeft: v.secondsLeft, hints: v.hints, acts: v.acts, debrief: v.debrief };
}

async function act(ctx: ToolContext, body: Parameters<LabClient["exerciseAct"]>[0]["body"]) {
  const view = await ctx.lab.exerciseAct({ params: { runId: await currentRun(ctx.lab) }, body });
  const last = view.acts.at(-1);
  return { recorded: last ? { at: last.at, type: last.type } : null, status: view.status, secondsLeft: view.secondsLeft };
}

export const ONCALL_TOOLS: readonly OnCallTool[] = [
  tool({
    name: "list_alerts",
    title: "List alerts",
    description:
      "The SLO burn-rate and no-data alerts that are firing or pending, most severe first, each SLO with its budget left and its fastest tier's burn rate now ([long, short] window, as multiples of the sustainable rate; the page fires above its factor on both).",
    input: { all: z.boolean().default(false).describe("also the SLOs with no alert") },
    writes: false,
    run: async ({ all }, { lab }) => {
      const report = await lab.slos();
      const rows = report.slos.flatMap((s) => {
        const alerts: { alert: string; severity: string; state: string }[] = s.tiers
          .filter((t) => t.state !== "inactive")
          .map((t) => ({ alert: t.tier, severity: t.severity, state: t.state }));
        if (s.noData && s.noData.state !== "inactive") alerts.push({ alert: "no-data", severity: s.noData.severity, state: s.noData.state });
        const fast = s.tiers.find((t) => t.tier === "page-fast") ?? s.tiers[0];
        const fastBurn = fast ? { factor: fast.factor, burn: [round(fast.longBurnRate), round(fast.shortBurnRate)] } : null;
        return alerts.length || all
          ? [{ slo: s.name, journey: s.journey, service: s.service, budgetLeftPct: percent(s.budgetRemaining), fastBurn, alerts }]
          : [];
      });
      const rank = (r: (typeof rows)[number]) => Math.min(9, ...r.alerts.map((a) => (a.state === "firing" ? 0 : 2) + (a.severity === "page" ? 0 : 1)));
      return {
        evaluatedAt: report.evaluatedAt,
        firing: rows.filter((r) => r.alerts.some((a) => a.state === "firing")).length,
        slos: rows.sort((a, b) => rank(a) - rank(b)),
      };
    },
  }),
  tool({
    name: "read_slo",
    title: "Read an SLO",
    description:
      "One SLO: its objective, budget left, each alert tier's burn rates and state, and its last alert transitions. Without a name, the SLOs' names.",
    input: { name: SloName.optional() },
    writes: false,
    run: async ({ name }, { lab }) => {
      if (!name) return { slos: (await lab.slos()).slos.map((s) => s.name) };
      const d = await lab.sloHistory({ params: { name }, query: { minutes: 60 } });
      return {
        slo: d.slo.name,
        says: d.slo.displayName,
        journey: d.slo.journey,
        side: d.slo.source,
        service: d.slo.service,
        target: d.slo.target,
        windowDays: d.slo.windowMinutes / 1440,
        budgetLeftPct: percent(d.budgetRemaining),
        tiers: d.tiers.map((t) => ({
          tier: t.tier,
          severity: t.severity,
          factor: t.factor,
          burn: [round(t.longBurnRate), round(t.shortBurnRate)],
          state: t.state,
        })),
        transitions: d.transitions.slice(-10),
        runbook: `runbook:${d.slo.name}`,
      };
    },
  }),
  tool({
    name: "query_sli",
    title: "Query an SLI series",
    description:
      "An SLO's SLI minute by minute: requests, bad requests and budget left per minute, for the last `minutes` (oldest first; minutes with no traffic are left out).",
    input: { slo: SloName, minutes: z.number().int().min(5).max(1440).default(30) },
    writes: false,
    run: async ({ slo, minutes }, { lab }) => {
      const d = await lab.sloHistory({ params: { name: slo }, query: { minutes } });
      const points = d.history.points.filter((p) => p.requests > 0);
      return {
        slo,
        columns: ["minute", "requests", "bad", "budgetLeftPct"],
        rows: points.map((p) => [hhmm(p.at), p.requests, p.bad, percent(p.budgetRemaining)]),
        quietMinutes: d.history.points.length - points.length,
        counterpart: d.counterpart ? d.counterpart.name : null,
      };
    },
  }),
  tool({
    name: "read_metrics",
    title: "Read a process's metrics",
    description: "The current Prometheus samples of one lab process (its /metrics), those whose name starts with `prefix`; at most 60 lines.",
    input: {
      process: z.enum(["gateway", "clinical", "billing", "projector", "simulator"]),
      prefix: z
        .string()
        .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,99}$/, "must be the start of a metric's name, such as http_ or pim_")
        .default(""),
    },
    writes: false,
    run: async ({ process, prefix }, { origins }) => {
      const res = await fetch(`${origins[process]}/metrics`, { signal: AbortSignal.timeout(5000) }).catch((err: unknown) => {
        throw new LabError("unavailable", `the ${process} did not answer on /metrics`, { cause: err });
      });
      const lines = (await res.text()).split("\n").filter((l) => l && !l.startsWith("#") && l.startsWith(prefix));
      return { process, samples: lines.slice(0, 60), more: Math.max(0, lines.length - 60) };
    },
  }),
  tool({
    name: "search_traces",
    title: "Search traces",
    description: "The newest requests through the gateway whose traces are kept: only failed ones, or only those slower than minMs.",
    input: {
      errors: z.boolean().default(false),
      minMs: z.number().min(0).max(600_000).default(0),
      limit: z.number().int().min(1).max(50).default(15),
    },
    writes: false,
    run: async ({ errors, minMs, limit }, { lab }) => {
      const { traces } = await lab.traces({ query: { errors: errors ? "true" : "false", minMs, limit } });
      return {
        columns: ["traceId", "request", "at", "ms", "error"],
        rows: traces.map((t) => [t.traceId, t.name, t.startedAt.slice(11, 23), round(t.durationMs, 1), t.error]),
      };
    },
  }),
  tool({
    name: "read_trace",
    title: "Read a trace",
    description: "One trace across the lab's processes: each span's process, name, start offset and duration in ms, and its error if any.",
    input: { traceId: z.string().regex(TRACE_ID, "must be 32 lower-case hex digits (a W3C trace id)") },
    writes: false,
    run: async ({ traceId }, { lab }) => {
      const t = await lab.trace({ params: { traceId } });
      const start = Math.min(...t.spans.map((s) => s.startUs));
      return {
        traceId,
        columns: ["process", "span", "atMs", "ms", "error"],
        rows: t.spans.map((s) => [
          s.service,
          s.name,
          round((s.startUs - start) / 1000, 1),
          round(s.durationUs / 1000, 1),
          s.statusCode === 2 ? (s.statusMessage ?? "error") : null,
        ]),
      };
    },
  }),
  tool({
    name: "search_logs",
    title: "Search logs",
    description: "The newest lines of the lab's process logs (JSON, PHI already hidden), by trace, process, least level and text; oldest first.",
    input: {
      traceId: z.string().regex(TRACE_ID).optional(),
      process: z
        .string()
        .regex(/^[a-z][a-z-]{0,39}$/)
        .optional(),
      level: z.enum(LOG_LEVELS).optional(),
      text: z.string().trim().min(1).max(200).optional(),
      sinceMinutes: z.number().int().min(1).max(1440).optional(),
      limit: z.number().int().min(1).max(200).default(30),
    },
    writes: false,
    run: async (query, { lab }) => {
      const { lines } = await lab.logs({ query });
      return { lines: lines.map((l) => ({ t: l.time.slice(11, 23), p: l.process, l: l.level, m: l.msg, ...l.fields })) };
    },
  }),
  tool({
    name: "search_audit",
    title: "Search the audit",
    description:
      "The audit entries of every shard and the control database, newest first (masked: synthetic PHI hidden), by actor, action (prefix), entity, request id, source (control or shard-N) and time range (ISO 8601).",
    input: {
      actorId: z.string().max(120).optional(),
      action: z.string().max(80).optional(),
      entityType: z.string().max(80).optional(),
      entityId: z.string().max(120).optional(),
      requestId: z.string().max(120).optional(),
      source: z.string().max(20).optional(),
      from: z.string().max(40).optional(),
      to: z.string().max(40).optional(),
      limit: z.number().int().min(1).max(100).default(20),
      details: z.boolean().default(false).describe("with each entry's operational detail (JSON)"),
    },
    writes: false,
    run: async ({ details, ...args }, { actor, databases, shardCount }) => {
      const decision = authorize(actor, "audit.read");
      if (!decision.allowed) throw new LabError("forbidden", decision.reason);
      const params = Object.fromEntries(Object.entries(args).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
      const filter = parseAuditFilter(params, { shardCount });
      const page = await readAuditPage(await databases(), filter, auditReaderOf(actor, decision.view as View));
      return {
        columns: ["at", "source", "actor", "role", "action", "entity", "outcome", ...(details ? ["details"] : [])],
        rows: page.rows.map((r) => [
          r.occurredAt,
          r.source,
          r.actorId,
          r.actorRole,
          r.action,
          `${r.entityType} ${r.entityId}`,
          r.outcome,
          ...(details ? [r.details] : []),
        ]),
        more: page.nextCursor !== null,
      };
    },
  }),
  tool({
    name: "read_topology",
    title: "Read the topology",
    description:
      "The lab's processes (state, restarts, uptime, memory) and its event pipeline (outbox backlog per shard, consumer lag, dead letters, projector counts).",
    input: {},
    writes: false,
    run: async (_args, { lab }) => {
      const [status, pipeline] = await Promise.allSettled([lab.processes(), lab.eventPipeline()]);
      const failed = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? { unreadable: (r.reason as Error).message } : null);
      return {
        processes:
          status.status === "fulfilled"
            ? status.value.processes.map((p) => ({
                name: p.name,
                state: p.state,
                restarts: p.restarts,
                uptimeS: p.uptimeSeconds,
                lastExit: p.lastExit,
                failure: p.failure,
              }))
            : failed(status),
        pipeline:
          pipeline.status === "fulfilled"
            ? {
                bus: pipeline.value.bus,
                outboxBacklog: pipeline.value.outboxBacklog.map((b) => b.unpublished),
                lag: pipeline.value.projector.lag.reduce((sum, l) => sum + l.lag, 0),
                deadLetters: pipeline.value.deadLetters,
                applied: pipeline.value.projector.applied,
                held: pipeline.value.projector.held,
              }
            : failed(pipeline),
      };
    },
  }),
  tool({
    name: "read_runbook",
    title: "Read a runbook",
    description:
      "A runbook (Markdown): one per SLO's alerts (named as the SLO), one per part of the lab (gateway, clinical, billing, projector, relay, shards, ...), and levers. Without a name, their names.",
    input: {
      name: z
        .string()
        .regex(/^[a-z0-9-]{1,120}$/, "must be a runbook's name, such as gateway or levers")
        .optional(),
    },
    writes: false,
    run: async ({ name }, { runbooks }) => {
      const all = runbooks();
      if (!name) return { runbooks: [...all.keys()].filter((n) => n !== "README").sort() };
      const text = all.get(name);
      if (text === undefined) throw new LabError("not_found", `no runbook named ${name} (read_runbook without a name lists them)`, { field: "name" });
      return text;
    },
  }),
  tool({
    name: "list_levers",
    title: "List the levers",
    description: "The mitigations this persona may pull (pull_lever), each with what it does and costs and its targets.",
    input: {},
    writes: false,
    run: async (_args, { actor, shardCount }) =>
      LEVERS.filter((l) => authorize(actor, l.action).allowed).map((l) => {
        const choices = l.target?.choices({ shardCount, deadLetters: { ok: true, value: [] } });
        return { lever: l.id, does: l.effect, targets: l.target ? (Array.isArray(choices) ? choices.map((c) => c.value) : ["<dead letter's eventId>"]) : null };
      }),
  }),
  tool({
    name: "read_exercise",
    title: "Read the exercise briefing",
    description: "The exercise under way as its player sees it: the page they were sent, time left, hints, their acts; once over, the truth and the score.",
    input: {},
    writes: false,
    run: async (_args, { lab }) => exercisePage(lab),
  }),
  tool({
    name: "pull_lever",
    title: "Pull a lever",
    description:
      "Mitigate through the lab's own guarded, audited API (list_levers says which and on what): restart or resume a process, roll back a configuration, end a session blocking a shard, resume the event pipeline, redrive a dead letter, shed or stop shedding load.",
    input: { lever: z.enum(LEVER_IDS), target: z.string().trim().min(1).max(200).optional() },
    writes: true,
    run: async (args, { lab }) => {
      // The levers' own rule (a lever with targets needs one), as the On call page's form is held to it.
      const parsed = LeverPull.safeParse(args);
      if (!parsed.success) throw new LabError("invalid", `${args.lever}: ${parsed.error.issues[0]!.message} (list_levers says which)`, { field: "target" });
      return { done: await pull(lab, parsed.data) };
    },
  }),
  tool({
    name: "acknowledge",
    title: "Acknowledge the page",
    description: "Acknowledge the exercise's page: you are on it.",
    input: {},
    writes: true,
    run: async (_args, ctx) => act(ctx, { type: "acknowledge" }),
  }),
  tool({
    name: "declare_incident",
    title: "Declare an incident",
    description: "Declare an incident with a one-line summary (a false alarm costs points on a healthy lab).",
    input: { summary: z.string().trim().min(1).max(500) },
    writes: true,
    run: async ({ summary }, ctx) => act(ctx, { type: "declare-incident", summary }),
  }),
  tool({
    name: "diagnose",
    title: "Declare a diagnosis",
    description:
      "What is at fault and how, in the lab's vocabulary: entity {kind: service|configuration, service: clinical|billing|gateway} or {kind: shard, shard: N} or {kind: relay|projector|none}; faultClass one of the classes. The last diagnosis counts.",
    input: { entity: FaultyEntity, faultClass: z.enum(FAULT_CLASSES), notes: z.string().max(2000).default("") },
    writes: true,
    run: async ({ entity, faultClass, notes }, ctx) => act(ctx, { type: "diagnose", entity, faultClass, notes }),
  }),
  tool({
    name: "resolve",
    title: "Submit: resolved",
    description: "Say you are done: the exercise ends once the SLIs have had their minutes to show the fix, and is scored.",
    input: { notes: z.string().max(2000).default("") },
    writes: true,
    run: async ({ notes }, ctx) => act(ctx, { type: "resolve", notes }),
  }),
  tool({
    name: "list_drills",
    title: "List the drills",
    description: "The drill catalog with each drill's parameters and the guardrails (SRE, instructor and admin only; hidden from on-call).",
    input: {},
    writes: false,
    run: async (_args, { lab }) => {
      const c = await lab.drillCatalog();
      return {
        drills: c.drills.map((d) => ({ drill: d.key, title: d.title, failureMode: d.failureMode, maxDurationS: d.maxDurationSeconds, params: d.params })),
        guardrails: c.guardrails,
      };
    },
  }),
  tool({
    name: "launch_drill",
    title: "Launch a drill",
    description:
      "Launch a drill now, held to the lab's guardrails (blast radius, concurrency, duration, the deadman and the emergency stop): a launch outside them is refused.",
    input: { drill: DrillLaunch.shape.drill, params: DrillLaunch.shape.params, durationSeconds: DrillLaunch.shape.durationSeconds },
    writes: true,
    run: async (body, { lab }) => {
      const run = await lab.launchDrill({ body });
      return { run: run.id, drill: run.drill, status: run.status };
    },
  }),
];
