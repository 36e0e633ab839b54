// The event bus on Apache Kafka (3.9, KRaft) through kafkajs: an idempotent producer, topics created with
// the lab's partition count and retention, consumer groups that commit a batch only after its handler
// resolves (at-least-once), seeks and lag through the admin API. Keys are placed with the same partitioner
// as the embedded log.
import { type Admin, type Consumer, Kafka, type KafkaMessage, type Producer, logLevel } from "kafkajs";
import type { BusMessage, Delivery, EventBus, PartitionLag, SeekTarget, SubscribeOptions, Subscription } from "./bus.ts";
import { partitionOf } from "./bus.ts";

export interface KafkaBusOptions {
  brokers: string[];
  clientId?: string;
  partitions?: number;
  retentionMs?: number;
  /** Prepended to every topic and consumer group name: several labs (or a benchmark) share one broker. */
  topicPrefix?: string;
  /** How long a consumer waits before redelivering a batch its handler failed. */
  retryMs?: number;
  /** A consumer that has made no progress this long while its group lags is replaced, and so is a producer
   * whose every send has failed this long (stall watchdogs). */
  stallMs?: number;
}

export async function openKafkaBus(options: KafkaBusOptions): Promise<KafkaBus> {
  const kafka = new Kafka({
    clientId: options.clientId ?? "pim-sre-lab",
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  const partitions = options.partitions ?? 8;
  await admin.connect();
  const producer = await connectProducer(kafka, partitions);
  return new KafkaBus(kafka, admin, producer, { ...options, partitions });
}

async function connectProducer(kafka: Kafka, partitions: number): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner:
      () =>
      ({ message, partitionMetadata }) =>
        partitionOf(String(message.key), partitionMetadata.length || partitions),
  });
  try {
    await producer.connect();
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    throw err;
  }
  return producer;
}

// Answers after which an idempotent producer's sequence numbers no longer match the broker's (seen after a
// broker restart): kafkajs keeps sending with the same producer id and gets the same answer forever.
const LOST_SEQUENCE = new Set(["OUT_OF_ORDER_SEQUENCE_NUMBER", "UNKNOWN_PRODUCER_ID", "INVALID_PRODUCER_EPOCH", "INVALID_PRODUCER_ID_MAPPING"]);
function lostSequence(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  const e = err as { type?: string; cause?: unknown; originalError?: unknown; errors?: unknown[] };
  if (e.type !== undefined && LOST_SEQUENCE.has(e.type)) return true;
  return [e.cause, e.originalError, ...(e.errors ?? [])].some((inner) => lostSequence(inner, depth + 1));
}

/**
 * Retries an admin call while Kafka says to (a partition without a leader yet, just after a topic was
 * created or a broker came back): kafkajs's admin gives up on the first such answer.
 */
async function retriable<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable !== true || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Consecutive parts of the messages, each at most `maxBytes` of keys, values and headers (a larger message alone). */
export function byteBoundedParts(messages: readonly BusMessage[], maxBytes: number): BusMessage[][] {
  const parts: BusMessage[][] = [];
  let part: BusMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.key) + Buffer.byteLength(m.value) + Object.entries(m.headers ?? {}).reduce((n, [k, v]) => n + k.length + v.length, 0) + 64;
    if (part.length > 0 && bytes + size > maxBytes) {
      parts.push(part);
      [part, bytes] = [[], 0];
    }
    part.push(m);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

const text = (value: Buffer | string | (Buffer | string)[] | undefined) =>
  value === undefined ? "" : Array.isArray(value) ? value.map(String).join(",") : value.toString();

export class KafkaBus implements EventBus {
  readonly kind = "kafka";
  readonly partitions: number;
  private readonly topics = new Map<string, Promise<void>>();
  private readonly consumers = new Set<Subscription>();
  /** Since when every send has failed (undefined while sends succeed). */
  private failingSince: number | undefined;
  private renewal: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private producer: Producer,
    private readonly options: KafkaBusOptions & { partitions: number },
  ) {
    this.partitions = options.partitions;
  }

  private named(topic: string): string {
    return `${this.options.topicPrefix ?? ""}${topic}`;
  }

  /** Creates the topic once (with the lab's partitions and retention); an existing one is kept as it is. */
  ensureTopic(logical: string): Promise<void> {
    const topic = this.named(logical);
    let ready = this.topics.get(topic);
    if (!ready) {
      const create = () =>
        this.admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic,
              numPartitions: this.partitions,
              replicationFactor: 1,
              configEntries: [{ name: "retention.ms", value: String(this.options.retentionMs ?? 7 * 24 * 3_600_000) }],
            },
          ],
        });
      ready = untilSettled(create).then(() => undefined);
      ready.catch(() => this.topics.delete(topic));
      this.topics.set(topic, ready);
    }
    return ready;
  }

  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopic(topic);
    const producer = this.producer;
    try {
      // A produce request carries at most the broker's message.max.bytes (1 MB by default) per partition:
      // batches go in parts well under it (500 seeded snapshots are about 1.5 MB). In order, one at a time.
      for (const part of byteBoundedParts(messages, 512 * 1024)) {
        await producer.send({ topic: this.named(topic), acks: -1, messages: part.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })) });
      }
      this.failingSince = undefined;
    } catch (err) {
      this.failingSince ??= Date.now();
      // A new producer (a new producer id, sequences from zero) once the old one has lost step with the
      // broker, or has failed every send for stallMs; the caller retries, and consumers drop what the
      // old one may have written after all (at-least-once).
      if (lostSequence(err) || Date.now() - this.failingSince >= (this.options.stallMs ?? 30_000)) await this.renewProducer(producer);
      throw err;
    }
  }

  private renewProducer(failed: Producer): Promise<void> {
    if (failed !== this.producer) return Promise.resolve(); // another send has renewed it already
    this.renewal ??= connectProducer(this.kafka, this.partitions)
      .then(
        (next) => {
          this.producer = next;
          this.failingSince = undefined;
          void failed.disconnect().catch(() => undefined);
        },
        () => undefined, // the broker is still away: the next failure tries again
      )
      .finally(() => (this.renewal = undefined));
    return this.renewal;
  }

  async subscribe(options: SubscribeOptions, handle: (batch: Delivery[]) => Promise<void>): Promise<Subscription> {
    await this.ensureTopic(options.topic);
    await this.recordStart(options);
    const maxBatch = options.maxBatch ?? 500;
    const retryMs = this.options.retryMs ?? 200;
    let stopped = false;
    let consumer!: Consumer;
    let progressAt = Date.now();
    // subscribe() resolves once the group has joined and partitions are assigned, as the embedded log's does
    // once it holds its lease: a caller that publishes next knows a consumer is there.
    let markJoined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (markJoined = resolve));
    // A consumer of the group, running the handler; kafkajs restarts it after retriable failures, and
    // after one it will not restart (it has given up and disconnected) a new one takes its place.
    // Until one starts (the broker may still be down); one that starts after stop() is let go at once.
    const replace = () =>
      setTimeout(() => {
        if (stopped) return;
        start().then(
          (next) => (stopped ? void next.disconnect().catch(() => undefined) : (consumer = next)),
          () => replace(),
        );
      }, retryMs * 5);
    const start = async (): Promise<Consumer> => {
      // A fetch brings about a batch's worth per partition (2 KB an event; 1 MB at the least, Kafka's default):
      // a replay's large batches are not cut into a fetch's small ones.
      const maxBytesPerPartition = Math.max(1_048_576, maxBatch * 2_048);
      const c: Consumer = this.kafka.consumer({
        groupId: this.named(options.group),
        retry: { retries: 8 },
        maxWaitTimeInMs: 100,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxBytesPerPartition,
        maxBytes: maxBytesPerPartition * this.partitions,
      });
      c.on(c.events.GROUP_JOIN, () => markJoined());
      c.on(c.events.CRASH, ({ payload }) => {
        if (!payload.restart && !stopped) replace();
      });
      try {
        await c.connect();
        await c.subscribe({ topic: this.named(options.topic), fromBeginning: options.fromBeginning ?? false });
      } catch (err) {
        await c.disconnect().catch(() => undefined); // a half-started consumer must not keep its connections
        throw err;
      }
      await c.run({
        // Partitions are handled side by side (each one still in order): a fetch brings a batch per
        // partition, and their commits' round trips overlap instead of queueing.
        partitionsConsumedConcurrently: this.partitions,
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const all = batch.messages;
          for (let from = 0; from < all.length && isRunning() && !isStale(); from += maxBatch) {
            const chunk = all.slice(from, from + maxBatch).map((m: KafkaMessage): Delivery => ({
              topic: options.topic,
              partition: batch.partition,
              offset: Number(m.offset),
              key: text(m.key ?? undefined),
              value: text(m.value ?? undefined),
              headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, text(v)])),
              timestamp: Number(m.timestamp),
            }));
            // The same chunk until its handler succeeds: nothing is committed past a message not handled.
            for (;;) {
              try {
                await handle(chunk);
                break;
              } catch {
                if (!isRunning() || isStale()) return;
                await heartbeat();
                await new Promise((r) => setTimeout(r, retryMs));
              }
            }
            const last = chunk[chunk.length - 1]!;
            await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(last.offset + 1) }]);
            resolveOffset(String(last.offset));
            progressAt = Date.now();
            await heartbeat();
          }
        },
      });
      return c;
    };
    consumer = await start();
    // kafkajs can be left connected but fetching nothing after a broker restart: a consumer that has made
    // no progress for stallMs while the group lags is disconnected and replaced.
    const stallMs = this.options.stallMs ?? 30_000;
    let checking = false;
    const watchdog = setInterval(
      () => {
        if (stopped || checking || Date.now() - progressAt < stallMs) return;
        checking = true;
        void this.lag(options.group, options.topic)
          .then(
            async (lag) => {
              progressAt = Date.now();
              if (stopped || lag.every((p) => p.lag === 0)) return; // idle, not stalled
              const stale = consumer;
              await Promise.race([stale.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
              replace();
            },
            () => undefined,
          )
          .finally(() => (checking = false));
      },
      Math.min(5000, stallMs),
    );
    watchdog.unref();
    let timer: NodeJS.Timeout | undefined;
    const joined = Promise.race([
      joinedOnce,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`consumer group ${this.named(options.group)} did not join within 30 s`)), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    await joined.catch(async (err: unknown) => {
      stopped = true;
      clearInterval(watchdog);
      await consumer.disconnect();
      throw err;
    });
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        clearInterval(watchdog);
        await consumer.disconnect();
        this.consumers.delete(subscription);
      },
    };
    this.consumers.add(subscription);
    return subscription;
  }

  async seek(group: string, topic: string, target: SeekTarget): Promise<void> {
    await this.ensureTopic(topic);
    const partitions = await this.targetOffsets(topic, target);
    // kafkajs refuses while the group has members, which is the rule: stop it before seeking.
    await this.admin.setOffsets({
      groupId: this.named(group),
      topic: this.named(topic),
      partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })),
    });
  }

  async lag(group: string, topic: string): Promise<PartitionLag[]> {
    await this.ensureTopic(topic);
    const [ends, commits] = await Promise.all([
      retriable(() => this.admin.fetchTopicOffsets(this.named(topic))),
      retriable(() => this.admin.fetchOffsets({ groupId: this.named(group), topics: [this.named(topic)] })),
    ]);
    const committed = new Map((commits[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return ends
      .map((p) => {
        const end = Number(p.high);
        const next = committed.get(p.partition) ?? -1;
        const from = next >= 0 ? next : Number(p.low);
        return { partition: p.partition, committed: from, end, lag: Math.max(0, end - from) };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  async ends(topic: string): Promise<Record<number, number>> {
    await this.ensureTopic(topic);
    const offsets = await retriable(() => this.admin.fetchTopicOffsets(this.named(topic)));
    return Object.fromEntries(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  async offsetsAt(topic: string, at: Date): Promise<Record<number, number>> {
    await this.ensureTopic(topic);
    // kafkajs answers a partition with no message as late as `at` with its end (the broker's -1).
    return Object.fromEntries((await this.targetOffsets(topic, { timestamp: at })).map((p) => [p.partition, p.offset]));
  }

  async deleteBefore(topic: string, offsets: Record<number, number>): Promise<void> {
    await this.ensureTopic(topic);
    const partitions = Object.entries(offsets)
      .filter(([, offset]) => offset > 0)
      .map(([partition, offset]) => ({ partition: Number(partition), offset: String(offset) }));
    if (partitions.length > 0) await retriable(() => this.admin.deleteTopicRecords({ topic: this.named(topic), partitions }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await this.renewal;
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  /**
   * A group records its start on every partition before it first joins (as the embedded log does), so a
   * message reaching a partition the group has not read yet is not skipped as "before its start" later.
   */
  private async recordStart(options: SubscribeOptions): Promise<void> {
    const start = await this.targetOffsets(options.topic, options.fromBeginning ? { earliest: true } : { latest: true });
    const [commits] = await retriable(() => this.admin.fetchOffsets({ groupId: this.named(options.group), topics: [this.named(options.topic)] }));
    const committed = new Set((commits?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => p.partition));
    const missing = start.filter((p) => !committed.has(p.partition));
    if (missing.length === 0) return;
    try {
      await this.admin.setOffsets({
        groupId: this.named(options.group),
        topic: this.named(options.topic),
        partitions: missing.map((p) => ({ partition: p.partition, offset: String(p.offset) })),
      });
    } catch (err) {
      // Members are still registered (one just killed, say, until its session expires): they recorded
      // the start when the group first ran, and the consumer's own reset covers the rest.
      if (!/no running instances/.test(String((err as Error).message))) throw err;
    }
  }

  private async targetOffsets(topic: string, target: SeekTarget): Promise<{ partition: number; offset: number }[]> {
    if ("offsets" in target) return Object.entries(target.offsets).map(([partition, offset]) => ({ partition: Number(partition), offset }));
    if ("timestamp" in target) {
      return (await retriable(() => this.admin.fetchTopicOffsetsByTimestamp(this.named(topic), target.timestamp.getTime()))).map((p) => ({
        partition: p.partition,
        offset: Number(p.offset),
      }));
    }
    const offsets = await retriable(() => this.admin.fetchTopicOffsets(this.named(topic)));
    return offsets.map((p) => ({ partition: p.partition, offset: Number("earliest" in target ? p.low : p.high) }));
  }
}

/**
 * Creating a topic while the broker is still taking its partitions back (just restarted) can answer that it
 * does not host them yet: that passes in a moment, so it is asked again for up to 30 s, not handed to the
 * caller as a failure.
 */
async function untilSettled<T>(attempt: () => Promise<T>, forMs = 30_000): Promise<T> {
  const until = Date.now() + forMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const e = err as { retriable?: boolean; type?: string; cause?: { type?: string } };
      const transient = e.retriable === true || e.type === "UNKNOWN_TOPIC_OR_PARTITION" || e.cause?.type === "UNKNOWN_TOPIC_OR_PARTITION";
      if (!transient || Date.now() >= until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
