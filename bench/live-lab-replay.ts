// bench:events' live-lab replay: a lab started as `npm run lab` starts it (2,000 seeded patients, the
// steady-demo traffic), given the event volume of 24 hours of that traffic without waiting a day, then
// `npm run lab:replay -- --since 24h` run against it while it keeps running, as an SRE would run it.
//   1. the lab's own event rate is measured over --sample seconds of its traffic; 24 h of it is the volume;
//   2. that many events are generated into the shards: synthetic patients whose history is written as the
//      catalog events the API would have emitted (lib/synth, history: "events"), in small transactions so
//      the lab's own writes keep going; the lab's relay and projector carry them like any other;
//   3. once the live projector has caught up, the replay CLI runs; its wall time, its events/s and its
//      verdict (replayed models equal to the live ones at the same log position) are the figures.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueLabToken, labSigningKey } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { createProgressReporter } from "../scripts/progress.ts";
import { portEnv, wholeLabPorts } from "../test/support/lab-ports.ts";
import { say } from "./bench-harness.ts";

export interface LiveReplayFigures {
  bus: "embedded" | "kafka";
  labEventsPerSecond: number;
  dayOfEvents: number;
  generatedEvents: number;
  livePipelineEventsPerSecond: number;
  replayedEvents: number;
  replaySeconds: number;
  replayWallSeconds: number;
  replayEventsPerSecond: number;
  equal: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureLiveReplay(
  bus: "embedded" | "kafka",
  options: { root: string; brokers: string; basePort: number; sampleSeconds: number },
): Promise<LiveReplayFigures> {
  const dir = mkdtempSync(join(tmpdir(), `pimlab-live-replay-${bus}-`));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NEXT_TELEMETRY_DISABLED: "1",
    LAB_DATA_DIR: dir,
    LAB_EVENT_BUS: bus,
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_PREFIX: bus === "kafka" ? `bench-live-${Date.now()}.` : "",
    ...portEnv(wholeLabPorts(options.basePort)),
  };
  const config = loadConfig(env);
  const sre = await issueLabToken(labSigningKey(config.privacySecret), { userId: "usr-bench-sre", role: "sre", facilityId: null, patientId: null });
  const get = async <T>(port: number, path: string) =>
    (await (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${sre}` } })).json()) as T;
  type Status = { outboxBacklog: { unpublished: number }[]; projector: { held: number; lag: { lag: number; end: number }[] } };
  const logEnd = async () => (await get<Status>(config.projectorPort, "/_lab/events/status")).projector.lag.reduce((a, x) => a + x.end, 0);
  const caughtUp = async () => {
    const s = await get<Status>(config.projectorPort, "/_lab/events/status");
    // Everything generated relayed (an empty outbox), and all of it projected.
    return s.outboxBacklog.every((b) => b.unpublished === 0) && s.projector.held === 0 && s.projector.lag.every((x) => x.lag === 0);
  };

  let lab: ChildProcess | null = null;
  const output: string[] = [];
  try {
    say(`live replay (${bus}): starting a lab as npm run lab does, in ${dir}`);
    lab = spawn(process.execPath, ["--max-semi-space-size=1", "--import", "tsx", join(options.root, "scripts", "lab.ts")], {
      cwd: options.root,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    lab.stdout!.on("data", (b: Buffer) => output.push(b.toString()));
    lab.stderr!.on("data", (b: Buffer) => output.push(b.toString()));
    for (const end = Date.now() + 300_000; !/lab: ready in/.test(output.join("")); await sleep(500)) {
      if (Date.now() > end || lab.exitCode !== null) throw new Error(`the lab did not start:\n${output.join("").slice(-2000)}`);
    }
    for (const end = Date.now() + 240_000; ; await sleep(1000)) {
      const t = await get<{ running: unknown; warmingUp: unknown }>(config.simulator.port, "/_lab/traffic");
      if (t.running && t.warmingUp === null) break;
      if (Date.now() > end) throw new Error("the lab's traffic did not start");
    }

    say(`live replay (${bus}): measuring the lab's own event rate for ${options.sampleSeconds} s of steady-demo traffic`);
    const [from, fromAt] = [await logEnd(), performance.now()];
    await sleep(options.sampleSeconds * 1000);
    const labEventsPerSecond = ((await logEnd()) - from) / ((performance.now() - fromAt) / 1000);
    const dayOfEvents = Math.round(labEventsPerSecond * 86_400);

    // A day's events as patients' histories: a first batch tells how many events a patient makes.
    say(
      `live replay (${bus}): ${labEventsPerSecond.toFixed(1)} events/s, so a day is ${dayOfEvents.toLocaleString("en-US")} events; generating them into the running lab`,
    );
    const shards = await openLabDatabases(config);
    let generatedEvents = 0;
    const generatedAt = performance.now();
    const progress = createProgressReporter("events", dayOfEvents, "{patients} patients");
    try {
      let patients = 0;
      for (let seed = 1_000; generatedEvents < dayOfEvents; seed++) {
        const perPatient = patients === 0 ? 25 : generatedEvents / patients;
        const next = Math.max(1, Math.min(20_000, Math.ceil((dayOfEvents - generatedEvents) / perPatient)));
        const report = await generateLabData(shards, { patients: next, seed, history: "events", batchSize: 250 });
        generatedEvents += report.rowsByTable.outbox_events ?? 0;
        patients += report.written;
        progress.update(Math.min(generatedEvents, dayOfEvents), { patients });
      }
    } finally {
      progress.stop();
      await shards.close();
    }
    for (const end = Date.now() + 900_000; !(await caughtUp()); await sleep(500)) if (Date.now() > end) throw new Error("the live projector did not catch up");
    const livePipelineEventsPerSecond = generatedEvents / ((performance.now() - generatedAt) / 1000);

    say(`live replay (${bus}): npm run lab:replay -- --since 24h, while the lab runs`);
    const began = performance.now();
    const replay = await run(process.execPath, ["--import", "tsx", join(options.root, "scripts", "lab-replay.ts"), "--since", "24h"], {
      cwd: options.root,
      env,
    });
    const replayWallSeconds = (performance.now() - began) / 1000;
    const figures = /lab:replay: (\d+) events in ([\d.]+) s \((\d+) events\/s\)/.exec(replay.out);
    if (!figures) throw new Error(`lab:replay said:\n${replay.out}\n${replay.err}`);
    return {
      bus,
      labEventsPerSecond,
      dayOfEvents,
      generatedEvents,
      livePipelineEventsPerSecond,
      replayedEvents: Number(figures[1]),
      replaySeconds: Number(figures[2]),
      replayWallSeconds,
      replayEventsPerSecond: Number(figures[3]),
      equal: replay.code === 0 && /the replayed read models equal the live ones/.test(replay.out),
    };
  } finally {
    if (lab && lab.exitCode === null) {
      lab.kill("SIGTERM");
      await new Promise((r) => lab!.once("exit", r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
      process.stderr.write(b); // the replay's progress bar, as the SRE sees it
    });
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}
