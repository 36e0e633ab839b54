// The event pipeline's metrics on the projector's /metrics: gauges read when Prometheus scrapes (each
// shard's outbox backlog, the projector group's lag per partition, the dead letters waiting for a
// redrive), and the relay's publish latency per shard as it publishes.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface EventPipelineReadings {
  outboxBacklog(): Promise<number[]>;
  consumerLag(): Promise<{ partition: number; lag: number }[]>;
  deadLetters(): Promise<number>;
}

/**
 * A reading that fails (the bus down) leaves its gauge at the last value instead of failing the scrape:
 * the other metrics matter most during exactly that outage. Failures are counted.
 */
export function registerEventMetrics(
  registry: Registry,
  read: EventPipelineReadings,
): { observePublished(shard: number, latenciesMs: readonly number[]): void } {
  const failures = new Counter({
    name: "pimlab_event_metric_read_failures_total",
    help: "Event pipeline readings that failed at a scrape.",
    labelNames: ["reading"],
    registers: [registry],
  });
  const guarded = async (reading: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch {
      failures.inc({ reading });
    }
  };
  new Gauge({
    name: "pimlab_outbox_backlog_events",
    help: "Outbox events written and not yet published, per shard.",
    labelNames: ["shard"],
    registers: [registry],
    async collect() {
      await guarded("outbox_backlog", async () => (await read.outboxBacklog()).forEach((n, shard) => this.set({ shard: String(shard) }, n)));
    },
  });
  new Gauge({
    // OTel messaging semantic conventions: messaging.consumer.lag (here per partition of the domain topic).
    name: "messaging_consumer_lag_messages",
    help: "Messages of the domain topic the projector's consumer group has not processed, per partition.",
    labelNames: ["partition"],
    registers: [registry],
    async collect() {
      await guarded("consumer_lag", async () => {
        for (const p of await read.consumerLag()) this.set({ partition: String(p.partition) }, p.lag);
      });
    },
  });
  new Gauge({
    name: "pimlab_dead_letters",
    help: "Events dead-lettered by the projector and not redriven.",
    registers: [registry],
    async collect() {
      await guarded("dead_letters", async () => this.set(await read.deadLetters()));
    },
  });
  const publishLatency = new Histogram({
    name: "pimlab_outbox_publish_latency_seconds",
    help: "From an outbox event's commit to its publication by the relay, per shard.",
    labelNames: ["shard"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observePublished(shard, latenciesMs) {
      for (const ms of latenciesMs) publishLatency.observe({ shard: String(shard) }, ms / 1000);
    },
  };
}
