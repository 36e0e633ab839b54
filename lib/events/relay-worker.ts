// The outbox relays on a thread of their own: publishing (reading outboxes, encoding for the bus) and
// projecting (decoding, checking, applying) each take most of a core at full speed, and on one thread they
// took turns (bench:events). The worker opens its own shard connections and bus from the lab's
// configuration; the process that starts it stops it, and a process killed takes it along.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { LabConfig } from "../config/index.ts";

/** How the worker opens the bus: the same adapter and settings as the process that starts it. */
export type BusSpec =
  { kind: "embedded"; file: string; partitions: number } | { kind: "kafka"; brokers: string[]; partitions: number; topicPrefix: string; clientId: string };

export function busSpecOf(config: LabConfig, clientId = "pim-sre-lab-relay"): BusSpec {
  return config.events.bus === "kafka"
    ? { kind: "kafka", brokers: config.events.brokers, partitions: config.events.partitions, topicPrefix: config.events.topicPrefix, clientId }
    : { kind: "embedded", file: join(config.dataDir, "events.db"), partitions: config.events.partitions };
}

export interface RelayWorkerOptions {
  batchSize?: number;
  idleMs?: number;
  /** Trace the relay's publishes (spans to the telemetry store, under this service name). */
  tracedAs?: string;
  onError?: (shard: number, message: string) => void;
  /** Each pass that published: its shard and each event's time from commit to publication (ms). */
  onPublished?: (shard: number, latenciesMs: number[]) => void;
}

export interface RelayWorker {
  /** Pauses publishing until `untilMs` (ms since the epoch); null resumes it. */
  pause(untilMs: number | null): void;
  stop(): Promise<void>;
}

export type RelayWorkerMessage =
  | { type: "ready" }
  | { type: "published"; shard: number; latenciesMs: number[] }
  | { type: "error"; shard: number; message: string }
  | { type: "failed"; message: string }
  | { type: "stopped" };

export async function startRelayWorker(config: LabConfig, bus: BusSpec, options: RelayWorkerOptions = {}): Promise<RelayWorker> {
  const { onError, onPublished, ...settings } = options;
  const worker = new Worker(new URL("./relay-worker-entry.mjs", import.meta.url), { workerData: { config, bus, settings } });
  let stopped: () => void = () => undefined;
  const stoppedOnce = new Promise<void>((resolve) => (stopped = resolve));
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (m: RelayWorkerMessage) => {
      if (m.type === "ready") resolve();
      else if (m.type === "failed") reject(new Error(`the relay worker could not start: ${m.message}`));
      else if (m.type === "error") onError?.(m.shard, m.message);
      else if (m.type === "published") onPublished?.(m.shard, m.latenciesMs);
      else if (m.type === "stopped") stopped();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      stopped();
      reject(new Error(`the relay worker exited with code ${code}`));
    });
  });
  return {
    pause(untilMs) {
      worker.postMessage({ type: "pause", untilMs: untilMs ?? 0 });
    },
    async stop() {
      worker.postMessage("stop");
      await Promise.race([stoppedOnce, new Promise((r) => setTimeout(r, 10_000))]);
      await worker.terminate();
    },
  };
}
