// A poison event never stalls its partition (ADR 0019), on both buses: among the healthy events of one
// partition (10,000 on the embedded log, 30,000 on Kafka), an unreadable message and an orphan (a claim moved
// before its ClaimCreated), and the healthy ones still arrive at 0.9x or more of the rate with no poison at
// all, measured in the same run. It runs alone (`vitest --project alone`): a rate over a second or less
// measures whatever else shares the cores.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "../../lib/data/sql-database.ts";
import { type BusMessage, DEAD_LETTER_TOPIC, DOMAIN_TOPIC, type EventBus, partitionOf } from "../../lib/events/bus.ts";
import { openEmbeddedLog } from "../../lib/events/embedded-log.ts";
import type { EventEnvelope } from "../../lib/events/envelope.ts";
import { openKafkaBus } from "../../lib/events/kafka-bus.ts";
import { listDeadLetters, startProjector } from "../../lib/events/projector.ts";
import { prepareReadModels } from "../../lib/events/projections.ts";
import { orphanAdjudication, story } from "../support/event-stories.ts";

const kafka = process.env.LAB_TEST_KAFKA ?? "127.0.0.1:9092";
const dir = mkdtempSync(join(tmpdir(), "pimlab-poison-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PARTITIONS = 4;
const at = new Date().toISOString();
const envelope = (n: number, i: number, e: ReturnType<typeof story>[number]): EventEnvelope => ({
  eventId: randomUUID(),
  type: e.type,
  version: 1,
  occurredAt: at,
  shard: 0,
  outboxPosition: n * 10 + i + 1,
  aggregateType: e.aggregateType,
  aggregateId: e.aggregateId,
  partitionKey: e.partitionKey,
  headers: { requestId: "req-poison", traceparent: null, actorId: "usr-poison", shard: 0 },
  payload: e.payload,
});

/** `count` healthy events of patients whose key lands on partition 0, and, when asked, two bad ones in the middle. */
function stream(run: string, poisoned: boolean, count: number): { messages: BusMessage[]; healthy: number } {
  const messages: BusMessage[] = [];
  for (let n = 0; messages.length < count; n++) {
    const events = story(n, at).map((e, i) =>
      envelope(n, i, { ...e, partitionKey: `${e.partitionKey}-${run}`, payload: { ...e.payload, patientId: `${String(e.payload.patientId)}-${run}` } }),
    );
    if (partitionOf(events[0]!.partitionKey, PARTITIONS) !== 0) continue;
    messages.push(...events.map((e) => ({ key: e.partitionKey, value: JSON.stringify(e) })));
  }
  const healthy = messages.length;
  if (poisoned) {
    const middle = Math.floor(healthy / 2);
    const key = messages[middle]!.key;
    const orphan = envelope(0, 0, {
      type: "ClaimAdjudicated",
      version: 1,
      aggregateType: "Claim",
      aggregateId: `clm-orphan-${run}`,
      partitionKey: key,
      payload: orphanAdjudication(`clm-orphan-${run}`, "pat-orphan"),
    });
    messages.splice(middle, 0, { key, value: "{not an event" }, { key, value: JSON.stringify(orphan) });
  }
  return { messages, healthy };
}

/**
 * A log and read models of their own, the stream published as the relay publishes; `measure` then runs a
 * fresh projector through it and returns the healthy events per second, from its first application to its last.
 */
async function prepared(
  open: (run: string) => Promise<EventBus>,
  run: string,
  poisoned: boolean,
  count: number,
): Promise<{ kind: EventBus["kind"]; measure: () => Promise<number> }> {
  const { messages, healthy } = stream(run, poisoned, count);
  const bus = await open(run); // a log of its own per run: every run reads exactly its own stream
  const topicGroup = `poison-${run}`;
  for (let i = 0; i < messages.length; i += 500) await bus.publish(DOMAIN_TOPIC, messages.slice(i, i + 500));
  await bus.ensureTopic(DEAD_LETTER_TOPIC); // created here, so that the projector's start costs the same in every run
  const models = openSqlite(join(dir, `${topicGroup}.db`), topicGroup);
  await prepareReadModels(models);
  const measure = async () => {
    let first = 0;
    let last = 0;
    let applied = 0;
    const projector = await startProjector(bus, models, {
      group: topicGroup,
      maxBatch: 500,
      onApplied: (e) => {
        if (!e.partitionKey.endsWith(`-${run}`)) return;
        first ||= performance.now();
        last = performance.now();
        applied++;
      },
    });
    const end = Date.now() + 60_000;
    while (applied < healthy && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    await projector.stop();
    const letters = await listDeadLetters(models);
    await Promise.all([models.close(), bus.close()]);
    expect(applied).toBe(healthy);
    if (poisoned) expect(projector.stats.deadLettered + projector.stats.held).toBe(2);
    else expect(letters).toEqual([]);
    return healthy / ((last - first) / 1000);
  };
  return { kind: bus.kind, measure };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * This machine's slow and fast spells swing a single run by up to a third, so each round prepares four logs
 * first, then runs clean, poisoned, poisoned, clean back to back (a drift falls on both sides alike) and is
 * judged by its own ratio; the median of the rounds. A run must last long enough for the spells to average
 * out: 10,000 events last a quarter of a second on either bus, which holds on the embedded log (0.99 in CI)
 * but not on Kafka, whose own work shares the cores (CI's rounds swung from 0.83 to 1.07, median 0.88): 30,000 there,
 * and seven rounds as on the log (five gave a median of 0.86 from rounds of 0.80 to 1.04 once).
 */
async function compare(open: (run: string) => Promise<EventBus>, count: number, roundCount: number) {
  await (await prepared(open, `warm-${randomUUID().slice(0, 6)}`, false, count)).measure(); // JIT and connections warm
  const rounds: { clean: number[]; poisoned: number[]; ratio: number }[] = [];
  for (let i = 0; i < roundCount; i++) {
    const tag = `${i}-${randomUUID().slice(0, 6)}`;
    const runs = [
      await prepared(open, `cleanA${tag}`, false, count),
      await prepared(open, `poisonedA${tag}`, true, count),
      await prepared(open, `poisonedB${tag}`, true, count),
      await prepared(open, `cleanB${tag}`, false, count),
    ];
    if (runs[0]!.kind === "kafka") await new Promise((r) => setTimeout(r, 2_000)); // the broker's work on the new topics done before any run
    const [c1, p1, p2, c2] = [await runs[0]!.measure(), await runs[1]!.measure(), await runs[2]!.measure(), await runs[3]!.measure()];
    rounds.push({ clean: [c1, c2], poisoned: [p1, p2], ratio: (p1 + p2) / (c1 + c2) });
  }
  const ratio = median(rounds.map((r) => r.ratio));
  const shown = (xs: number[]) => xs.map(Math.round).join("+");
  console.log(
    `healthy events/s per round, clean / with poison: ${rounds.map((r) => `${shown(r.clean)} / ${shown(r.poisoned)}`).join(", ")}; median ratio ${ratio.toFixed(2)}`,
  );
  expect(ratio).toBeGreaterThanOrEqual(0.9);
}

describe("a poison event among the healthy ones of a partition", () => {
  it("leaves 10,000 healthy ones at 0.9x or more of the clean rate on the embedded log", async () => {
    await compare((run) => openEmbeddedLog({ file: join(dir, `${run}.db`), partitions: PARTITIONS, pollMs: 5 }), 10_000, 7);
  }, 300_000);

  it.skipIf(kafka === "unavailable")(
    `leaves 30,000 healthy ones at 0.9x or more of the clean rate on Kafka at ${kafka}`,
    async () => {
      await compare((run) => openKafkaBus({ brokers: [kafka], partitions: PARTITIONS, clientId: "pim-lab-poison", topicPrefix: `${run}.` }), 30_000, 7);
    },
    480_000,
  );
});
