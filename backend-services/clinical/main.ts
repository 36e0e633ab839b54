// The clinical service process (:4101): npm run lab starts it; `tsx backend-services/clinical/main.ts` alone works too.
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { tokenTrustOf } from "../../lib/auth/tokens.ts";
import { openLabDatabases } from "../../lib/data/lab-databases.ts";
import { closeOnSignals } from "../common/lab-server.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { buildClinicalServer } from "./server.ts";

const config = loadConfigOrExit();
const telemetry = await startProcessTelemetry("clinical", config);
// Shard checkpoints run on a worker thread, off the request path (lib/data/wal-checkpointer.ts).
const lab = await openLabDatabases(config, {
  checkpointInBackground: true,
  onCheckpointError: (file, error) => app.log.warn({ file, error }, "WAL checkpoint failed"),
});
const app = buildClinicalServer(lab, tokenTrustOf(config), config.logLevel);
closeOnSignals(app, async () => {
  await lab.close();
  await telemetry.close();
});
await app.listen({ host: "127.0.0.1", port: config.clinicalPort });
