// The relay worker's thread (see relay-worker.ts): opens the shards and the bus, runs every shard's relay
// until told to stop, reports failed passes to its parent.
import { parentPort, workerData } from "node:worker_threads";
import type { LabConfig } from "../config/index.ts";
import { openLabDatabases } from "../data/lab-databases.ts";
import { openTelemetryStore } from "../telemetry/telemetry-store.ts";
import { startTracing } from "../telemetry/tracing.ts";
import type { EventBus } from "./bus.ts";
import { openEmbeddedLog } from "./embedded-log.ts";
import { openKafkaBus } from "./kafka-bus.ts";
import { startRelays } from "./relay.ts";
import type { BusSpec, RelayWorkerMessage, RelayWorkerOptions } from "./relay-worker.ts";

const { config, bus: spec, settings } = workerData as { config: LabConfig; bus: BusSpec; settings: Omit<RelayWorkerOptions, "onError" | "onPublished"> };
const tell = (m: RelayWorkerMessage) => parentPort!.postMessage(m);

try {
  const telemetry = settings.tracedAs ? await openTelemetryStore(config) : null;
  const tracing = telemetry
    ? startTracing(settings.tracedAs!, { store: telemetry, otlpEndpoint: config.tracing.otlpEndpoint, sampleRatio: config.tracing.sampleRatio })
    : null;
  const lab = await openLabDatabases(config);
  const bus: EventBus =
    spec.kind === "kafka"
      ? await openKafkaBus({ brokers: spec.brokers, partitions: spec.partitions, topicPrefix: spec.topicPrefix, clientId: spec.clientId })
      : await openEmbeddedLog({ file: spec.file, partitions: spec.partitions });
  // An injected pause (lib/events/event-faults.ts) until this time (ms since the epoch), told by the parent.
  let pausedUntil = 0;
  const relays = startRelays(lab.shards, bus, {
    paused: () => Date.now() < pausedUntil,
    batchSize: settings.batchSize,
    idleMs: settings.idleMs,
    onPass: (shard, pass) => pass.published > 0 && tell({ type: "published", shard, latenciesMs: pass.latenciesMs }),
    onError: (shard, err) => tell({ type: "error", shard, message: String(err) }),
  });
  parentPort!.on("message", async (m) => {
    if (typeof m === "object" && m?.type === "pause") {
      pausedUntil = m.untilMs ?? 0;
      return;
    }
    if (m !== "stop") return;
    await relays.stop();
    await bus.close();
    await lab.close();
    await tracing?.shutdown();
    await telemetry?.close();
    tell({ type: "stopped" });
    parentPort!.close();
  });
  tell({ type: "ready" });
} catch (err) {
  tell({ type: "failed", message: String(err) });
}
