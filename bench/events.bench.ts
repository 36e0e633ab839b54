// npm run bench:events: the event platform on both buses, with kafkajs raw produce/consume as the peer,
// all in the same run.
//   relay -> projection  --events outbox events (patients' stories) relayed from 4 SQLite shards and
//                        projected into fresh read models: events/s from the first relay pass to the last
//                        projection
//   replay               the same events replayed from the log into scratch read models: events/s
//   end-to-end lag       patient registrations at --rate writes/s for --seconds, each from its commit to its
//                        projection: p50/p99 (open model: writes are sent on the clock)
//   peer                 kafkajs alone: produce --events messages of the same size and consume them
//   live-lab replay      a lab started as npm run lab does, given 24 h of its steady-demo event volume, then
//                        npm run lab:replay -- --since 24h while it runs (bench/live-lab-replay.ts)
// Relay -> projection is the median of --runs runs (default 3). The local Kafka broker is started when none
// answers (deploy/local/kafka), as npm test does, and stopped again at the end.
// Targets: embedded replay >= 20k events/s; Kafka path >= 10k events/s; lag p99 < 1 s at 500 writes/s;
// live-lab replay >= 20k events/s embedded, >= 10k on Kafka, equal to the live models, in under 60 s.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as hdr from "hdr-histogram-js";
import { Kafka, logLevel } from "kafkajs";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { openSqlite } from "../lib/data/sql-database.ts";
import type { EventBus } from "../lib/events/bus.ts";
import { openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { openKafkaBus } from "../lib/events/kafka-bus.ts";
import { startProjector } from "../lib/events/projector.ts";
import { prepareReadModels } from "../lib/events/projections.ts";
import { type BusSpec, startRelayWorker } from "../lib/events/relay-worker.ts";
import { replayReadModels } from "../lib/events/replay.ts";
import { commandContext, patientRegistration } from "../test/support/clinical-writes.ts";
import { EVENTS_PER_STORY, fillOutboxes } from "../test/support/event-stories.ts";
import { createTestLab } from "../test/support/test-labs.ts";
import { benchOptions, median, say } from "./bench-harness.ts";
import { type LiveReplayFigures, measureLiveReplay } from "./live-lab-replay.ts";

const values = benchOptions(
  { runs: 3, events: 20000, rate: 500, seconds: 10, "live-sample": 60 },
  { kafka: process.env.KAFKA_BROKERS ?? "127.0.0.1:9092", live: "embedded,kafka" },
);
const { events, runs, rate, seconds } = values;
const dir = mkdtempSync(join(tmpdir(), "pimlab-bench-events-"));
let models = 0;
const freshModels = async () => {
  const db = openSqlite(join(dir, `models-${++models}.db`), `models-${models}`);
  await prepareReadModels(db);
  return db;
};

interface AdapterFigures {
  pipelinePerSecond: number;
  replayPerSecond: number;
  lagP50Ms: number;
  lagP99Ms: number;
  writesPerSecond: number;
}

async function measure(name: string, bus: EventBus, spec: BusSpec): Promise<AdapterFigures> {
  const t = await createTestLab("sqlite");
  try {
    const live = await freshModels();
    // The projector first (subscribe resolves once it is consuming); then, run by run, fresh outbox events
    // and the relays on their own thread, as the projector process runs them. Each run's clock starts when
    // the relay thread is up and stops when the projector has applied the run's events.
    const group = `projector-bench-${Date.now()}`;
    const projector = await startProjector(bus, live, { group, maxBatch: 1000 });
    const pipelineRates: number[] = [];
    for (let run = 0; run < runs; run++) {
      say(`${name}: run ${run + 1}/${runs}: ${events} events into the outboxes, then relay -> projection`);
      await fillOutboxes(t.lab, events, (run * events) / EVENTS_PER_STORY);
      const target = projector.stats.applied + events;
      const relays = await startRelayWorker(t.config, spec, { idleMs: 5 });
      const began = performance.now();
      while (projector.stats.applied < target) await new Promise((r) => setTimeout(r, 10));
      pipelineRates.push(events / ((performance.now() - began) / 1000));
      await relays.stop();
    }
    await projector.stop();

    say(`${name}: replay into scratch read models`);
    const replay = await replayReadModels(bus, await freshModels(), { from: { earliest: true } });

    say(`${name}: end-to-end lag at ${rate} registrations/s for ${seconds} s`);
    const relays = await startRelayWorker(t.config, spec, { idleMs: 5 });
    const lag = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3 });
    const lagged = await startProjector(bus, live, {
      group,
      onApplied: (e) => {
        if (e.type === "PatientRegistered" && e.partitionKey.startsWith("pat-")) lag.recordValue(Math.max(1, Date.now() - Date.parse(e.occurredAt)));
      },
    });
    const actor = { userId: "usr-bench", role: "clinician" as const, facilityId: "fac-0001", patientId: null };
    const start = performance.now();
    let sent = 0;
    const pending: Promise<unknown>[] = [];
    while (performance.now() - start < seconds * 1000) {
      // Open model: every registration that has come due is sent now, whatever the earlier ones are doing.
      while (sent < ((performance.now() - start) / 1000) * rate) {
        const i = sent++;
        pending.push(registerPatient(t.lab, commandContext(`req-lag-${i}`, actor), patientRegistration(`LAG-${name}-${i}`)));
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
    const writeSeconds = (performance.now() - start) / 1000;
    while (lag.totalCount < sent) await new Promise((r) => setTimeout(r, 10));
    await lagged.stop();
    await relays.stop();
    return {
      pipelinePerSecond: Math.round(median(pipelineRates)),
      replayPerSecond: replay.eventsPerSecond,
      lagP50Ms: lag.getValueAtPercentile(50),
      lagP99Ms: lag.getValueAtPercentile(99),
      writesPerSecond: Math.round(sent / writeSeconds),
    };
  } finally {
    await t.dispose();
  }
}

/** kafkajs alone: produce and consume the same number of messages of the same size. */
async function kafkaPeer(brokers: string[]): Promise<{ producePerSecond: number; consumePerSecond: number }> {
  const kafka = new Kafka({ clientId: "bench-peer", brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.peer.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 8, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const value = JSON.stringify({ filler: "x".repeat(650) }); // about an envelope's size
  const began = performance.now();
  for (let i = 0; i < events; i += 500) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(500, events - i) }, (_, j) => ({ key: `pat-${(i + j) % 2000}`, value })) });
  }
  const producePerSecond = Math.round(events / ((performance.now() - began) / 1000));
  const consumer = kafka.consumer({ groupId: `bench-peer-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      first ||= performance.now();
      seen += batch.messages.length;
    },
  });
  while (seen < events) await new Promise((r) => setTimeout(r, 10));
  const consumePerSecond = Math.round(events / ((performance.now() - first) / 1000));
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return { producePerSecond, consumePerSecond };
}

/** The local broker, started when none answers at --kafka's first address (and stopped at the end). */
function ensureKafka(address: string): { started: boolean; answers: boolean } {
  const [host, port] = address.split(":");
  const answers = () => spawnSync("bash", ["-c", `(exec 3<>/dev/tcp/${host}/${port}) 2>/dev/null`]).status === 0;
  if (answers()) return { started: false, answers: true };
  say(`kafka: no broker answers at ${address}; starting the local one (deploy/local/kafka/start.sh)`);
  const started = spawnSync("bash", [join(root, "deploy", "local", "kafka", "start.sh")], { stdio: "inherit", env: { ...process.env, KAFKA_PORT: port } });
  return { started: started.status === 0, answers: answers() };
}

const root = join(import.meta.dirname, "..");
const kafkaState = ensureKafka(values.kafka.split(",")[0]!);
try {
  const brokers = values.kafka.split(",");
  const embedded = await openEmbeddedLog({ file: join(dir, "events.db"), partitions: 8, pollMs: 5 });
  const embeddedFigures = await measure("embedded log", embedded, { kind: "embedded", file: join(dir, "events.db"), partitions: 8 });
  await embedded.close();
  let kafkaFigures: AdapterFigures | null = null;
  let peer: Awaited<ReturnType<typeof kafkaPeer>> | null = null;
  try {
    // Topics of this run only: the bench must not read an earlier run's events, nor touch a lab's.
    const topicPrefix = `bench-${Date.now()}.`;
    const kafkaBus = await openKafkaBus({ brokers, partitions: 8, clientId: "bench-events", topicPrefix });
    // The peer first: it also warms a broker this bench has just started (a cold JVM is slow for a minute).
    peer = await kafkaPeer(brokers);
    kafkaFigures = await measure("kafka", kafkaBus, { kind: "kafka", brokers, partitions: 8, topicPrefix, clientId: "bench-events-relay" });
    await kafkaBus.close();
  } catch (err) {
    say(`kafka: not measured (${err instanceof Error ? err.message : String(err)}); start it with bash deploy/local/kafka/start.sh`);
  }
  console.log(`\nbench:events — ${events} events, lag at ${rate} writes/s for ${seconds} s (${new Date().toISOString()})`);
  console.log("| bus | relay -> projection events/s | replay events/s | lag p50 ms | lag p99 ms | writes/s held |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  const row = (name: string, f: AdapterFigures | null) =>
    console.log(
      f
        ? `| ${name} | ${f.pipelinePerSecond} | ${f.replayPerSecond} | ${f.lagP50Ms} | ${f.lagP99Ms} | ${f.writesPerSecond} |`
        : `| ${name} | not measured | | | | |`,
    );
  row("embedded log", embeddedFigures);
  row("kafka", kafkaFigures);
  if (peer && kafkaFigures) {
    console.log(`peer: kafkajs raw produce ${peer.producePerSecond} msg/s, consume ${peer.consumePerSecond} msg/s`);
    console.log(
      `our Kafka relay -> projection ${(kafkaFigures.pipelinePerSecond / peer.producePerSecond).toFixed(2)}x the raw produce (the relay's publish is a produce); replay ${(kafkaFigures.replayPerSecond / peer.consumePerSecond).toFixed(2)}x the raw consume`,
    );
  }
  const verdict = (ok: boolean) => (ok ? "meets" : "misses");
  console.log(`embedded replay ${embeddedFigures.replayPerSecond} events/s (target >= 20000): ${verdict(embeddedFigures.replayPerSecond >= 20_000)}`);
  if (kafkaFigures)
    console.log(`kafka path ${kafkaFigures.pipelinePerSecond} events/s (target >= 10000): ${verdict(kafkaFigures.pipelinePerSecond >= 10_000)}`);
  for (const [name, f] of [
    ["embedded", embeddedFigures],
    ["kafka", kafkaFigures],
  ] as const) {
    if (f)
      console.log(
        `${name} lag p99 ${f.lagP99Ms} ms at ${f.writesPerSecond} writes/s (target < 1000 ms at ${rate}/s): ${verdict(f.lagP99Ms < 1000 && f.writesPerSecond >= rate * 0.99)}`,
      );
  }

  const live: LiveReplayFigures[] = [];
  for (const [i, bus] of (values.live.split(",").filter(Boolean) as ("embedded" | "kafka")[]).entries()) {
    if (bus === "kafka" && !kafkaState.answers) {
      say("live replay (kafka): not measured: no broker answers and the local one did not start");
      continue;
    }
    live.push(await measureLiveReplay(bus, { root, brokers: values.kafka, basePort: 5_500 + i * 20, sampleSeconds: values["live-sample"] }));
  }
  if (live.length > 0) {
    console.log(
      `\nlive-lab replay: npm run lab:replay -- --since 24h on a running lab (2,000 seeded patients, steady-demo traffic) given 24 h of its event volume`,
    );
    console.log(
      "| bus | lab events/s | 24 h of events | generated | live pipeline events/s | replayed | replay events/s | lab:replay wall s | equal to live |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const f of live) {
      console.log(
        `| ${f.bus} | ${f.labEventsPerSecond.toFixed(1)} | ${f.dayOfEvents} | ${f.generatedEvents} | ${Math.round(f.livePipelineEventsPerSecond)} | ${f.replayedEvents} | ${f.replayEventsPerSecond} | ${f.replayWallSeconds.toFixed(1)} | ${f.equal ? "yes" : "NO"} |`,
      );
    }
    for (const f of live) {
      const target = f.bus === "kafka" ? 10_000 : 20_000;
      console.log(
        `live ${f.bus} replay ${f.replayEventsPerSecond} events/s (target >= ${target}), ${f.replayWallSeconds.toFixed(1)} s (target < 60 s), ${f.equal ? "equal to" : "DIFFERENT from"} the live models: ${verdict(f.replayEventsPerSecond >= target && f.replayWallSeconds < 60 && f.equal)}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (kafkaState.started) spawnSync("bash", [join(root, "deploy", "local", "kafka", "stop.sh")], { stdio: "inherit" });
}
