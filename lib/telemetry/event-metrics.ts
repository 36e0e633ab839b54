// The event pipeline's gauges on the projector's /metrics, read when Prometheus scrapes: each shard's
// outbox backlog, the projector group's lag per partition, and the dead letters waiting for a redrive.
import { Gauge, type Registry } from "prom-client";

export interface EventPipelineReadings {
  outboxBacklog(): Promise<number[]>;
  consumerLag(): Promise<{ partition: number; lag: number }[]>;
  deadLetters(): Promise<number>;
}

export function registerEventMetrics(registry: Registry, read: EventPipelineReadings): void {
  new Gauge({
    name: "pimlab_outbox_backlog_events",
    help: "Outbox events written and not yet published, per shard.",
    labelNames: ["shard"],
    registers: [registry],
    async collect() {
      (await read.outboxBacklog()).forEach((n, shard) => this.set({ shard: String(shard) }, n));
    },
  });
  new Gauge({
    // OTel messaging semantic conventions: messaging.consumer.lag (here per partition of the domain topic).
    name: "messaging_consumer_lag_messages",
    help: "Messages of the domain topic the projector's consumer group has not processed, per partition.",
    labelNames: ["partition"],
    registers: [registry],
    async collect() {
      for (const p of await read.consumerLag()) this.set({ partition: String(p.partition) }, p.lag);
    },
  });
  new Gauge({
    name: "pimlab_dead_letters",
    help: "Events dead-lettered by the projector and not redriven.",
    registers: [registry],
    async collect() {
      this.set(await read.deadLetters());
    },
  });
}
