// The scripted agent's reasoning, kept apart from its tool calls so it can be read (and tested) as rules:
// what it concludes from one look at the lab and the first look it took, in the runbooks' order of checks.

export interface AlertRow {
  slo: string;
  journey: string;
  service: string;
  budgetLeftPct: number | null;
  fastBurn: { factor: number; burn: (number | null)[] } | null;
  alerts: { alert: string; severity: string; state: string }[];
}

export interface Look {
  alerts: { slos: AlertRow[] } | null;
  topology: {
    processes: { name: string; state: string; restarts: number }[] | { unreadable: string };
    pipeline: { outboxBacklog: number[]; lag: number; deadLetters: number; held: number } | { unreadable: string };
  } | null;
  /** An SLO's last minutes (query_sli): rows of [minute, requests, bad, budget left]. */
  sli: (slo: string, minutes: number) => Promise<{ rows: [string, number, number, number | null][] } | null>;
  /** Whether a process answers its /metrics (a hung one does not). */
  answers: (process: "gateway" | "clinical" | "billing") => Promise<boolean>;
  /** The gateway's 503s of the last minutes, by the shard they were routed to. */
  failuresByShard: (minutes: number) => Promise<Map<number, number>>;
}

type Entity =
  | { kind: "service" | "configuration"; service: "clinical" | "billing" | "gateway" }
  | { kind: "shard"; shard: number }
  | { kind: "relay" | "projector" | "none" };

export interface Finding {
  entity: Entity;
  faultClass: string;
  why: string;
  lever: { lever: string; target?: string } | null;
}

/** A burn this many times the sustainable rate, on the fastest tier's short window, is worth a look. */
const BURNING = 5;

const burnOf = (row: AlertRow) => row.fastBurn?.burn[1] ?? 0;
const isLatency = (slo: string) => slo.includes("-latency");
const isClient = (slo: string) => slo.endsWith("-client");
const serviceOf = (s: string): "clinical" | "billing" | "gateway" | null => (s === "clinical" || s === "billing" || s === "gateway" ? s : null);

/**
 * A minute this bad (a share of its requests) is bad now: failures at 5x a 99 % SLO's budget rate, far under
 * any fault's; slow answers at 15 %, over what a machine busy with other labs makes of a healthy one.
 */
const BAD_MINUTE = { availability: 0.05, latency: 0.15 };

/** An SLO that burns now, with its last ten minutes (rows of query_sli). */
type Burning = AlertRow & { minutes: [string, number, number, number | null][] };

/**
 * The SLOs burning now: a fast burn over the threshold (or a firing page), and their last two minutes with
 * traffic both bad. The burn's window keeps a bad minute for five; the minutes say whether it still is
 * (a young lab's first slow minute, when its machine was busy starting it, burns for five minutes after).
 */
async function burningNow(look: Look, rows: AlertRow[]): Promise<Burning[]> {
  const candidates = rows.filter((r) => burnOf(r) > BURNING || r.alerts.some((a) => a.state === "firing")).sort((a, b) => burnOf(b) - burnOf(a));
  const checked = await Promise.all(
    candidates.slice(0, 6).map(async (r) => {
      const minutes = (await look.sli(r.slo, 10))?.rows ?? [];
      const bar = isLatency(r.slo) ? BAD_MINUTE.latency : BAD_MINUTE.availability;
      const last = minutes.slice(-2);
      return last.length === 2 && last.every(([, requests, bad]) => requests > 0 && bad / requests >= bar) ? [{ ...r, minutes }] : [];
    }),
  );
  return checked.flat();
}

/** The gateway's requests per journey so far (its counters, server side), and when they were read. */
export interface RequestCount {
  at: number;
  byJourney: Map<string, number>;
}

/** A journey's requests from the gateway's `pimlab_journey_requests_total` samples (read_metrics), every outcome summed. */
export function journeyRequestsOf(samples: readonly string[]): Map<string, number> {
  const byJourney = new Map<string, number>();
  for (const line of samples) {
    const m = /^pimlab_journey_requests_total\{(.*)\}\s+(\S+)$/.exec(line);
    const journey = m && /(?:^|,)journey="([^"]+)"/.exec(m[1]!)?.[1];
    if (!m || !journey || !/(?:^|,)source="server"/.test(m[1]!)) continue;
    byJourney.set(journey, (byJourney.get(journey) ?? 0) + Number(m[2]));
  }
  return byJourney;
}

/** A journey at this many times its quietest rate since the agent came on call, and this many requests a second, rushes. */
const SURGE = { factor: 4, atLeastPerSecond: 20 };
/** Counter reads closer together than this are one read: their difference is noise. */
const MIN_INTERVAL_MS = 5000;

/**
 * The journey whose requests a second, between the last two reads of the gateway's counters, rose most over
 * its quietest earlier interval, past SURGE. Measured between the agent's own reads from its first look on,
 * not per minute of the SLIs: a young lab's first minute is partial, and a rush found late fills the minutes.
 */
export function surgedJourney(counts: readonly RequestCount[]): { journey: string; before: number; recent: number } | null {
  const reads: RequestCount[] = [];
  for (const c of counts) if (!reads.length || c.at - reads[reads.length - 1]!.at >= MIN_INTERVAL_MS) reads.push(c);
  if (reads.length < 4) return null; // a recent interval and at least two earlier ones
  const rises = [...reads[reads.length - 1]!.byJourney.keys()].flatMap((journey) => {
    const rates: number[] = [];
    for (let i = 1; i < reads.length; i++) {
      const delta = (reads[i]!.byJourney.get(journey) ?? 0) - (reads[i - 1]!.byJourney.get(journey) ?? 0);
      // A counter that went back is a restarted gateway: that interval says nothing.
      rates.push(delta >= 0 ? (delta * 1000) / (reads[i]!.at - reads[i - 1]!.at) : Number.NaN);
    }
    const recent = rates[rates.length - 1]!;
    const earlier = rates.slice(0, -1).filter((r) => !Number.isNaN(r));
    if (Number.isNaN(recent) || earlier.length < 2) return [];
    const before = Math.min(...earlier);
    return [{ journey, before: Math.round(before * 10) / 10, recent: Math.round(recent * 10) / 10, rise: recent / Math.max(before, 0.1) }];
  });
  const [top] = rises.filter((r) => r.rise >= SURGE.factor && r.recent >= SURGE.atLeastPerSecond).sort((a, b) => b.rise - a.rise);
  return top ? { journey: top.journey, before: top.before, recent: top.recent } : null;
}

/**
 * What the agent concludes from this look, its first, and the gateway's request counters at each look so
 * far (oldest first).
 */
export async function findingOf(now: Look, first: Look, counts: readonly RequestCount[] = []): Promise<Finding | null> {
  // 0. The SLOs cannot be read: the gateway that serves them does not answer either.
  if (now.alerts === null && !(await now.answers("gateway")))
    return {
      entity: { kind: "service", service: "gateway" },
      faultClass: "hang",
      why: "the gateway answers nothing, not even its SLOs",
      lever: { lever: "restart-process", target: "gateway" },
    };
  const rows = now.alerts?.slos ?? [];
  const burning = await burningNow(now, rows);

  // 1. The event pipeline: an outbox that does not drain is the relay; a consumer that lags or parks events is the projector.
  const pipe = now.topology?.pipeline;
  const pipeBefore = first.topology?.pipeline;
  if (pipe && !("unreadable" in pipe)) {
    const backlog = pipe.outboxBacklog.reduce((a, b) => a + b, 0);
    const stale = burning.some((r) => r.slo.includes("freshness"));
    if (backlog > 100 || (stale && backlog > 20))
      return { entity: { kind: "relay" }, faultClass: "backlog", why: `${backlog} events wait in the outboxes`, lever: { lever: "resume-event-pipeline" } };
    const parked = pipeBefore && !("unreadable" in pipeBefore) ? pipe.deadLetters - pipeBefore.deadLetters : pipe.deadLetters;
    if (pipe.lag > 100 || pipe.held > 20 || parked > 5 || stale)
      return {
        entity: { kind: "projector" },
        faultClass: "backlog",
        why: `the projector lags ${pipe.lag} messages, holds ${pipe.held}, ${parked} new dead letters`,
        lever: { lever: "resume-event-pipeline" },
      };
  }

  // 2. A journey the gateway stopped counting while its users still walk it (the client side counts them).
  for (const client of rows.filter((r) => isClient(r.slo))) {
    const server = client.slo.replace(/-client$/, "");
    const [serverSli, clientSli] = await Promise.all([now.sli(server, 5), now.sli(client.slo, 5)]);
    // query_sli leaves out the minutes with no request: the server's minutes missing where the client's are.
    const counted = new Set((serverSli?.rows ?? []).map((r) => r[0]));
    const lastServed = (clientSli?.rows ?? []).slice(-2).filter((r) => r[1] - r[2] > 0);
    if (lastServed.length === 2 && lastServed.every((r) => !counted.has(r[0])))
      return {
        entity: { kind: "configuration", service: "gateway" },
        faultClass: "blind-spot",
        why: `the gateway counts no ${client.journey} request while its users' requests succeed`,
        lever: { lever: "roll-back-config", target: "gateway" },
      };
  }

  // 3. A process that restarts again and again.
  const procs = now.topology?.processes;
  const procsBefore = first.topology?.processes;
  if (Array.isArray(procs) && Array.isArray(procsBefore)) {
    for (const p of procs) {
      const before = procsBefore.find((q) => q.name === p.name)?.restarts ?? 0;
      const service = serviceOf(p.name);
      if (service && p.restarts - before >= 2)
        return {
          entity: { kind: "service", service },
          faultClass: "crash",
          why: `${p.name} restarted ${p.restarts - before} times`,
          lever: { lever: "roll-back-config", target: service },
        };
    }
  }
  if (burning.length === 0) return null;

  // 4. A surge: a journey whose requests a second rose far above what they were (the overload runbook's
  //    first check), while SLOs burn. Its persona is whose requests to shed, whichever SLO burns from it: a
  //    billing batch fails billing's own journeys and slows the patients' claims. Before the processes'
  //    answers: under the rush a process may be too busy to answer its metrics in time.
  const surged = surgedJourney(counts);
  if (surged)
    return {
      entity: { kind: "service", service: "gateway" },
      faultClass: "overload",
      why: `${surged.journey} requests rose from ${surged.before} to ${surged.recent} a second`,
      lever: { lever: "shed-traffic", target: `${surged.journey.split("/")[0]}:10` },
    };

  // 5. A process that is up but answers nothing.
  if (burning.some((r) => !isLatency(r.slo))) {
    for (const process of ["gateway", "clinical", "billing"] as const)
      if (!(await now.answers(process)))
        return {
          entity: { kind: "service", service: process },
          faultClass: "hang",
          why: `${process} does not answer`,
          lever: { lever: "restart-process", target: process },
        };
  }

  // 6. Failures on one shard only.
  if (burning.some((r) => !isLatency(r.slo))) {
    const byShard = await now.failuresByShard(3);
    const total = [...byShard.values()].reduce((a, b) => a + b, 0);
    const [top] = [...byShard].sort((a, b) => b[1] - a[1]);
    if (top && total >= 5 && top[1] / total > 0.7)
      return {
        entity: { kind: "shard", shard: top[0] },
        faultClass: "unavailable",
        why: `${top[1]} of ${total} failed requests went to shard ${top[0]}`,
        lever: { lever: "end-blocking-session", target: String(top[0]) },
      };
  }

  const worst = burning[0]!;
  // 7. The service most of the burning SLOs count (an SLO names one service; a journey may reach two):
  //    slow, failing, or both (a bad release).
  const votes = new Map<string, number>();
  for (const r of burning) votes.set(r.service, (votes.get(r.service) ?? 0) + 1);
  const [voted] = [...votes].sort((a, b) => b[1] - a[1] || (a[0] === worst.service ? -1 : 1));
  const service = serviceOf(voted?.[0] ?? worst.service) ?? "gateway";
  const ofService = burning.filter((r) => r.service === service);
  const slow = ofService.some((r) => isLatency(r.slo));
  const failing = ofService.some((r) => !isLatency(r.slo));
  if (slow && failing)
    return {
      entity: { kind: "configuration", service },
      faultClass: "misconfiguration",
      why: `${service}'s journeys are both slow and failing`,
      lever: { lever: "roll-back-config", target: service },
    };
  return {
    entity: { kind: "service", service },
    faultClass: slow ? "latency" : "errors",
    why: `${worst.slo} burns ${burnOf(worst)}x`,
    lever: { lever: "roll-back-config", target: service },
  };
}
