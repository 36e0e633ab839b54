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

/** The persona whose journey an SLO counts (its name starts with it). */
const personaOf = (slo: string) => slo.split("-")[0]!;

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

/** A rise this many times a journey's earlier minutes, to at least this many requests a minute, is a rush. */
const SURGE = { factor: 1.7, atLeast: 300 };

/**
 * The burning SLO whose journey's requests a minute rose most over its earlier minutes, past SURGE: the
 * rushing persona's own journeys burn too (a rush slows or fails what it shares), so its minutes are at hand.
 */
function surgedJourney(burning: Burning[]): { journey: string; slo: string; before: number; recent: number } | null {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const rises = burning.map(({ journey, slo, minutes }) => {
    const counts = minutes.map((m) => m[1]);
    // Against the quietest earlier minute: a rush found late has rush minutes among the earlier ones too.
    // The window's first minute is left out when others are there (a young lab's first minute is partial).
    const earlier = counts.slice(0, Math.max(1, counts.length - 2));
    const before = Math.min(...(earlier.length >= 3 ? earlier.slice(1) : earlier));
    const recent = mean(counts.slice(-2));
    return { journey, slo, before: Math.round(before), recent: Math.round(recent), rise: counts.length >= 4 ? recent / Math.max(1, before) : 0 };
  });
  const [top] = rises.filter((r) => r.rise > SURGE.factor && r.recent >= SURGE.atLeast).sort((a, b) => b.rise - a.rise);
  return top ?? null;
}

export async function findingOf(now: Look, first: Look): Promise<Finding | null> {
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

  // 4. A process that is up but answers nothing.
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

  // 5. Failures on one shard only.
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

  // 6. A surge: a burning journey whose requests a minute rose well above what they were (the overload
  //    runbook's first check). Its persona is whose requests to shed, whichever other SLO burns from it: a
  //    billing batch fails billing's own journeys and slows the patients' claims.
  const surged = surgedJourney(burning);
  if (surged)
    return {
      entity: { kind: "service", service: "gateway" },
      faultClass: "overload",
      why: `${surged.journey} traffic rose from ${surged.before} to ${surged.recent} requests a minute`,
      lever: { lever: "shed-traffic", target: `${personaOf(surged.slo)}:10` },
    };

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
