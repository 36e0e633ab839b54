// The billing service process (:4102): npm run lab starts it; `tsx backend-services/billing/main.ts` alone works too.
import { tokenTrustOf } from "../../lib/auth/tokens.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openLabDatabases } from "../../lib/data/lab-databases.ts";
import { closeOnSignals } from "../common/lab-server.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { buildBillingServer } from "./server.ts";

const config = loadConfigOrExit();
const telemetry = await startProcessTelemetry("billing", config);
// Shard checkpoints run on a worker thread, off the request path (lib/data/wal-checkpointer.ts).
const lab = await openLabDatabases(config, {
  checkpointInBackground: true,
  onCheckpointError: (file, error) => app.log.warn({ file, error }, "WAL checkpoint failed"),
});
const app = buildBillingServer(lab, tokenTrustOf(config), config.logLevel);
closeOnSignals(app, async () => {
  await lab.close();
  await telemetry.close();
});
await app.listen({ host: "127.0.0.1", port: config.billingPort });
