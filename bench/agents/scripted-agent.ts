// The scripted baseline agent: no model, a fixed procedure over the on-call tools, written from the
// runbooks. It reads the page, then looks every 20 s: a gateway that answers nothing (not even the SLOs),
// the event pipeline (backlog, lag, dead letters), a journey the gateway stopped counting while its users
// go on (no data), a process that restarts, a journey whose requests a second surged since it came on
// call, a process that stops answering, a shard whose writes alone fail, and last the most-burning SLO's
// service. On the first finding it acknowledges, declares, diagnoses, pulls the runbook's lever and
// resolves; with nothing found for AGENT_QUIET_SECONDS (default 240) it answers that nothing is wrong.
// Any LLM agent should beat it; the do-nothing agent is the floor under both.
import { connectToLab, sleep, ToolRefusal } from "./lab-connection.ts";
import { type Finding, type Look, type RequestCount, findingOf, journeyRequestsOf } from "./scripted-findings.ts";

const lab = await connectToLab({ name: "scripted-agent", version: "1.0.0" });
const quietMs = Number(process.env.AGENT_QUIET_SECONDS ?? 240) * 1000;
const began = Date.now();
const say = (line: string) => console.error(`scripted-agent: ${line}`);

/** The gateway's request counters at each look, oldest first: the rates a rush shows in. */
const counts: RequestCount[] = [];

/** What the agent reads on one look, each tool once (a refusal reads as nothing). */
async function look(): Promise<Look> {
  const attempt = <T>(p: Promise<T>): Promise<T | null> =>
    p.catch((err: unknown) => {
      if (err instanceof ToolRefusal) return null;
      throw err;
    });
  const [alerts, topology, requests] = await Promise.all([
    attempt(lab.call<Look["alerts"]>("list_alerts", { all: true })),
    attempt(lab.call<Look["topology"]>("read_topology")),
    // A gateway too busy to answer its metrics misses one read; the rates are measured between those read.
    lab.call<{ samples: string[] }>("read_metrics", { process: "gateway", prefix: "pimlab_journey_requests_total" }).catch(() => null),
  ]);
  if (requests) counts.push({ at: Date.now(), byJourney: journeyRequestsOf(requests.samples) });
  return {
    alerts,
    topology,
    sli: async (slo, minutes) => attempt(lab.call("query_sli", { slo, minutes })),
    answers: async (process) => (await attempt(lab.call("read_metrics", { process, prefix: "process_cpu" }))) !== null,
    failuresByShard: async (minutes) => {
      const found = await attempt(
        lab.call<{ lines: { shard?: number; upstreamStatus?: number }[] }>("search_logs", {
          process: "gateway",
          text: "503",
          sinceMinutes: minutes,
          limit: 200,
        }),
      );
      const counts = new Map<number, number>();
      for (const l of found?.lines ?? []) if (l.upstreamStatus === 503 && typeof l.shard === "number") counts.set(l.shard, (counts.get(l.shard) ?? 0) + 1);
      return counts;
    },
  };
}

async function act(f: Finding): Promise<void> {
  say(`found ${JSON.stringify(f.entity)} ${f.faultClass}: ${f.why}`);
  await lab.call("acknowledge");
  if (f.faultClass !== "none") await lab.call("declare_incident", { summary: f.why.slice(0, 400) });
  await lab.call("diagnose", { entity: f.entity, faultClass: f.faultClass, notes: f.why.slice(0, 1900) });
  if (f.lever) {
    const done = await lab.call<{ done: string }>("pull_lever", f.lever).catch((err: unknown) => ({ done: `refused: ${(err as Error).message}` }));
    say(done.done);
  }
  await lab.call("resolve", { notes: f.lever ? `pulled ${f.lever.lever}` : "nothing to mitigate" });
}

await lab.call("read_exercise");
const first = await look();
for (;;) {
  const now = await look();
  const finding = await findingOf(now, first, counts);
  if (finding) {
    await act(finding);
    break;
  }
  if (Date.now() - began > quietMs) {
    await act({ entity: { kind: "none" }, faultClass: "none", why: `no SLO burning, no process or pipeline amiss for ${quietMs / 1000} s`, lever: null });
    break;
  }
  await sleep(20_000);
}
// Resolved: the conductor ends the run once the SLIs have shown what the lever did.
await lab.close();
