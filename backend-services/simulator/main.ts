// The persona traffic simulator process (:4104): npm run lab starts it after the gateway, and it starts
// LAB_TRAFFIC_PROFILE (steady-demo unless set; "off" for none) so every SLO has traffic, once the lab is
// ready and warmed up (LAB_WARMUP_SECONDS).
import { join } from "node:path";
import { createTokenVerifier, labSigningKey, tokenTrustOf } from "../../lib/auth/tokens.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openSql } from "../../lib/data/lab-databases.ts";
import { labTopology } from "../../lib/data/lab-topology.ts";
import { BatchRefused } from "../../lib/simulator/client-sli-reporter.ts";
import { loadSimulationCast } from "../../lib/simulator/simulation-cast.ts";
import { SimulatorControl } from "../../lib/simulator/simulator-control.ts";
import { loadTrafficProfileDirectory } from "../../lib/simulator/traffic-profile.ts";
import { waitForLabReady } from "../../lib/simulator/lab-start.ts";
import { labProcesses } from "../../lib/supervisor/lab-processes.ts";
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
  onSliError: (err) =>
    err instanceof BatchRefused
      ? app.log.error({ err: err.message }, "client SLIs refused by the gateway; that batch is dropped")
      : app.log.warn({ err: err.message }, "client SLIs not delivered yet; retrying"),
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
  // Traffic that counts starts once every other process of the lab answers ready and the journeys have
  // been warmed up (lib/simulator/lab-start.ts); the supervisor may have started us first.
  const profile = config.simulator.startProfile;
  void (async () => {
    const since = config.labStartedAt ?? new Date();
    // Under npm run lab (which says when the start began) every other process of its table; run on its own
    // (a test, a developer), the gateway its traffic goes through.
    const others = config.labStartedAt
      ? labProcesses(config, root)
          .filter((p) => p.name !== "simulator")
          .map((p) => p.readyUrl)
      : [`${origin}/readyz`];
    const ready = await waitForLabReady(others);
    if (!ready.ready) app.log.warn({ notReady: ready.notReady }, "starting traffic although some lab processes are not ready");
    try {
      // A lab start when the lab began less than ten minutes ago; later (this process restarted) a warm-up alone.
      const fromLabStart = config.labStartedAt !== null && Date.now() - config.labStartedAt.getTime() < 600_000;
      const run = await control.startAfterWarmUp(
        profile,
        { since, fromLabStart, warmUpSeconds: config.simulator.warmUpSeconds, waitedMs: ready.waitedMs, notReady: ready.notReady },
        { requestId: `lab-start-${Date.now()}`, traceId: null },
      );
      if (run) app.log.info({ profile, runId: run.runId, warmUpSeconds: config.simulator.warmUpSeconds }, "traffic started");
      else app.log.info({ profile }, "the warm-up ended early: traffic asked for meanwhile runs instead");
    } catch (err) {
      app.log.error({ err, profile }, "traffic could not start");
    }
  })();
}
