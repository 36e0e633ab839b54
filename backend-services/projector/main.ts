// The projector process (:4103): npm run lab starts it after the services.
import { tokenTrustOf } from "../../lib/auth/tokens.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openLabDatabases } from "../../lib/data/lab-databases.ts";
import { openEventBus, openReadModels } from "../../lib/events/event-platform.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { startProjectorProcess } from "./server.ts";

const config = loadConfigOrExit();
const telemetry = await startProcessTelemetry("projector", config);
const lab = await openLabDatabases(config);
const bus = await openEventBus(config, "pim-sre-lab-projector");
const readModels = await openReadModels(config);
const projector = await startProjectorProcess(lab, bus, readModels, tokenTrustOf(config), config.logLevel);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  projector.app.log.info({ signal }, "draining");
  await projector.stop();
  await Promise.all([bus.close(), readModels.close(), lab.close()]);
  await telemetry.close();
  process.exit(0);
};
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
await projector.app.listen({ host: "127.0.0.1", port: config.projectorPort });
