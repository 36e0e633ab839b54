// npm run bench:simulator: does the persona traffic simulator hold its offered rate? It drives a bare
// Fastify hello-world (its own process) at --rate (default 2,000 req/s) for --seconds, evenly spaced and
// Poisson, and autocannon drives the same endpoint in the same run: at the same rate (its overallRate)
// and flat out (its closed model's ceiling). Then both meet a server that stalls for 200 ms every 2 s:
// the simulator's latency from the due time (CO-corrected) shows the stall, raw latencies hide most of it.
// Target: the simulator's sent rate within 1 % of the target. Figures are medians of --runs runs.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { JourneyFlow } from "../lib/simulator/journey-flows.ts";
import { Simulation, type SimulationSnapshot } from "../lib/simulator/simulation-run.ts";
import { benchOptions, cannon, median, say, waitFor } from "./bench-harness.ts";

const { rate, seconds, runs, connections } = benchOptions({ rate: 2000, seconds: 15, runs: 3, connections: 32 });
const root = join(import.meta.dirname, "..");
const ports = { steady: 4992, stalling: 4993 };
const children: ChildProcess[] = [];

interface Row {
  name: string;
  sentPerSecond: number;
  /** The worst one-second window's deviation from the target, in %. */
  worstSecondPct: number | null;
  p50: number;
  p99: number | null;
  p99Raw: number;
  late: number | null;
  dropped: number | null;
  errors: number;
}

/** One simulator run of a one-step journey against `origin`, with the send time of every request. */
async function simulate(origin: string, spacing: "even" | "poisson"): Promise<Row & { snapshot: SimulationSnapshot }> {
  const sentAt: number[] = [];
  const hello: JourneyFlow = async (s) => {
    sentAt.push(performance.now());
    await s.step({ method: "GET", path: "/" });
  };
  const began = performance.now();
  const sim = new Simulation({
    origin,
    connections: 64,
    profile: {
      name: "bench",
      spec: {
        arrivals: { shape: "constant", ratePerSecond: rate },
        spacing,
        seed: 7,
        durationSeconds: seconds,
        thinkTime: { type: "fixed", ms: 0 },
        maxInFlightJourneys: 10_000,
        mix: [{ journey: "bench/hello", weight: 1 }],
      },
    },
    flows: { "bench/hello": hello },
  });
  const end = await sim.done;
  const perSecond = new Array<number>(seconds).fill(0);
  for (const t of sentAt) {
    const i = Math.floor((t - began) / 1000);
    if (i >= 0 && i < seconds) perSecond[i]!++;
  }
  const t = end.total;
  return {
    name: `simulator, ${spacing}`,
    sentPerSecond: t.started / end.elapsedSeconds,
    // Poisson arrivals vary by design (about sqrt(rate) per second); the window check is for even spacing.
    worstSecondPct: spacing === "even" ? Math.max(...perSecond.map((n) => (Math.abs(n - rate) / rate) * 100)) : null,
    p50: t.requestMs.corrected.p50,
    p99: t.requestMs.corrected.p99,
    p99Raw: t.requestMs.raw.p99,
    late: t.late,
    dropped: t.dropped,
    errors: t.failed,
    snapshot: end,
  };
}

async function cannonRow(name: string, origin: string, overallRate?: number): Promise<Row> {
  const r = await cannon({ url: `${origin}/`, connections, duration: seconds, ...(overallRate ? { overallRate } : {}) });
  return {
    name,
    sentPerSecond: r.requests.total / seconds,
    worstSecondPct: null,
    p50: r.latency.p50,
    p99: null,
    p99Raw: r.latency.p99,
    late: null,
    dropped: null,
    errors: r.non2xx + r.errors + r.timeouts,
  };
}

function medianRow(rows: Row[]): Row {
  const m = (pick: (r: Row) => number | null) => (pick(rows[0]!) === null ? null : median(rows.map((r) => pick(r) as number)));
  return {
    name: rows[0]!.name,
    sentPerSecond: m((r) => r.sentPerSecond)!,
    worstSecondPct: m((r) => r.worstSecondPct),
    p50: m((r) => r.p50)!,
    p99: m((r) => r.p99),
    p99Raw: m((r) => r.p99Raw)!,
    late: m((r) => r.late),
    dropped: m((r) => r.dropped),
    errors: m((r) => r.errors)!,
  };
}

try {
  say(`starting two hello-world peers (one stalls 200 ms every 2 s)`);
  const tsx = join(root, "node_modules/.bin/tsx");
  children.push(spawn(tsx, [join(root, "bench/hello-peer.ts"), String(ports.steady)], { stdio: ["ignore", "ignore", "inherit"] }));
  children.push(spawn(tsx, [join(root, "bench/hello-peer.ts"), String(ports.stalling), "2000", "200"], { stdio: ["ignore", "ignore", "inherit"] }));
  const steady = `http://127.0.0.1:${ports.steady}`;
  const stalling = `http://127.0.0.1:${ports.stalling}`;
  await Promise.all([waitFor(`${steady}/`), waitFor(`${stalling}/`)]);
  say("warming up (3 s, not counted)");
  await cannon({ url: `${steady}/`, connections, duration: 3 });

  const results: Row[][] = [[], [], [], [], [], []];
  for (let r = 1; r <= runs; r++) {
    say(
      `run ${r}/${runs}: ${seconds} s each of simulator (even, Poisson) and autocannon (at ${rate}/s, flat out) on the steady peer, then both on the stalling peer`,
    );
    results[0]!.push(await simulate(steady, "even"));
    results[1]!.push(await simulate(steady, "poisson"));
    results[2]!.push(await cannonRow(`autocannon at ${rate}/s`, steady, rate));
    results[3]!.push(await cannonRow("autocannon flat out (closed model)", steady));
    results[4]!.push({ ...(await simulate(stalling, "even")), name: "simulator, even, stalling server" });
    results[5]!.push(await cannonRow(`autocannon at ${rate}/s, stalling server`, stalling, rate));
  }
  const rows = results.map(medianRow);
  const cell = (x: number | null, digits = 1) => (x === null ? "n/a" : x.toFixed(digits));
  console.log(
    `\nbench:simulator — target ${rate} req/s, ${seconds} s per run, median of ${runs} runs, autocannon ${connections} connections (${new Date().toISOString()})`,
  );
  console.log(
    "| run | sent req/s | vs target | worst 1 s window | p50 ms | p99 ms (from due: CO-corrected) | p99 ms (from send: raw) | late | dropped | errors |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const x of rows) {
    const vs = x.name.includes("flat out") ? "-" : `${(((x.sentPerSecond - rate) / rate) * 100).toFixed(2)} %`;
    console.log(
      `| ${x.name} | ${Math.round(x.sentPerSecond)} | ${vs} | ${x.worstSecondPct === null ? "-" : `${x.worstSecondPct.toFixed(2)} %`} | ${cell(x.p50)} | ${cell(x.p99)} | ${cell(x.p99Raw)} | ${x.late ?? "-"} | ${x.dropped ?? "-"} | ${x.errors} |`,
    );
  }
  const held = Math.abs(rows[0]!.sentPerSecond - rate) / rate;
  console.log(
    `simulator (even) held ${Math.round(rows[0]!.sentPerSecond)} req/s, ${(held * 100).toFixed(2)} % from the target of ${rate} (target within 1 %): ${held <= 0.01 ? "meets" : "misses"}`,
  );
  console.log(
    `stalling server: the simulator's CO-corrected p99 ${cell(rows[4]!.p99)} ms vs its raw p99 ${cell(rows[4]!.p99Raw)} ms and autocannon's ${cell(rows[5]!.p99Raw)} ms`,
  );
  console.log(
    `peer ceiling: autocannon flat out ${Math.round(rows[3]!.sentPerSecond)} req/s (the simulator's target is ${((rate / rows[3]!.sentPerSecond) * 100).toFixed(0)} % of it)`,
  );
} finally {
  for (const c of children) c.kill("SIGTERM");
}
