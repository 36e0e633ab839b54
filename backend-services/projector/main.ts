// The projector process (:4103): npm run lab starts it after the services.
import { tokenTrustOf } from "../../lib/auth/tokens.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openLabDatabases } from "../../lib/data/lab-databases.ts";
import { openEventBus, openReadModels } from "../../lib/events/event-platform.ts";
import { crashAfterListening } from "../common/lab-server.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { busSpecOf, startRelayWorker } from "../../lib/events/relay-worker.ts";
import { startProjectorProcess } from "./server.ts";

const config = loadConfigOrExit();
const telemetry = await startProcessTelemetry("projector", config);
const lab = await openLabDatabases(config);
const bus = await openEventBus(config, "pim-sre-lab-projector");
const readModels = await openReadModels(config);
const projector = await startProjectorProcess(lab, bus, readModels, tokenTrustOf(config), { logLevel: config.logLevel, relays: false });
// The outbox relays on a thread of their own (ADR 0007): publishing and projecting each need a core.
const relays = await startRelayWorker(config, busSpecOf(config), {
  tracedAs: "projector",
  onPublished: (shard, latenciesMs) => projector.observePublished(shard, latenciesMs),
  onError: (shard, message) => projector.app.log.warn({ shard, err: message }, "relay pass failed; retrying"),
});
projector.onRelayPause((untilMs) => relays.pause(untilMs));

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  projector.app.log.info({ signal }, "draining");
  await projector.stop();
  await relays.stop();
  await Promise.all([bus.close(), readModels.close(), lab.close()]);
  await telemetry.close();
  process.exit(0);
};
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
await projector.app.listen({ host: "127.0.0.1", port: config.projectorPort });
crashAfterListening(projector.app, config.crashAfterSeconds);
