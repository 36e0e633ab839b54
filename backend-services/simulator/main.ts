// The persona traffic simulator process (:4104): npm run lab starts it after the gateway, and it starts
// LAB_TRAFFIC_PROFILE (steady-demo unless set; "off" for none) so every SLO has traffic from the start.
import { join } from "node:path";
import { createTokenVerifier, labSigningKey, tokenTrustOf } from "../../lib/auth/tokens.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openSql } from "../../lib/data/lab-databases.ts";
import { labTopology } from "../../lib/data/lab-topology.ts";
import { loadSimulationCast } from "../../lib/simulator/simulation-cast.ts";
import { SimulatorControl } from "../../lib/simulator/simulator-control.ts";
import { loadTrafficProfileDirectory } from "../../lib/simulator/traffic-profile.ts";
import { closeOnSignals } from "../common/lab-server.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { buildSimulatorServer } from "./server.ts";

const config = loadConfigOrExit();
const root = join(import.meta.dirname, "..", "..");
const telemetry = await startProcessTelemetry("simulator", config);
// Plain SQL connections, opened for what needs them: the lab's ORM clients would cost this process more
// memory than everything else it does (the lab's budget is 1.5 GB for every process together).
const topology = labTopology(config);
const controlDb = openSql(topology.control);
const readCast = async () => {
  const shards = topology.shards.map((target) => openSql(target));
  try {
    return await loadSimulationCast({ control: controlDb, shards }, labSigningKey(config.privacySecret));
  } finally {
    await Promise.all(shards.map((s) => s.close()));
  }
};
const origin = `http://127.0.0.1:${config.gateway.port}`;
const control = new SimulatorControl({
  control: controlDb,
  readCast,
  profiles: loadTrafficProfileDirectory(join(root, "traffic-profiles"), root),
  origin,
  traceSampleRatio: config.tracing.sampleRatio,
  onSliError: (err) => app.log.warn({ err: err.message }, "client SLIs not delivered yet; retrying"),
});
const gatewayReady = async () => {
  const res = await fetch(`${origin}/readyz`);
  if (!res.ok) throw new Error(`gateway answered ${res.status}`);
};
const app = buildSimulatorServer(control, createTokenVerifier(tokenTrustOf(config)), config.logLevel, gatewayReady);
closeOnSignals(app, async () => {
  await controlDb.close();
  await telemetry.close();
});
await app.listen({ host: "127.0.0.1", port: config.simulator.port });

if (config.simulator.startProfile) {
  // Traffic from the start, once the gateway answers (the supervisor may start us first).
  const profile = config.simulator.startProfile;
  void (async () => {
    for (let attempt = 0; attempt < 120; attempt++) {
      if (await gatewayReady().then(() => true, () => false)) {
        try {
          const run = await control.start(null, { profile }, { requestId: `lab-start-${Date.now()}`, traceId: null });
          app.log.info({ profile, runId: run.runId }, "traffic started");
        } catch (err) {
          app.log.error({ err, profile }, "traffic could not start");
        }
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    app.log.error({ profile }, "the gateway never became ready; no traffic started");
  })();
}
