// The gateway process (:4000): npm run lab starts it after the services.
import { join } from "node:path";
import { labSigningKey, serviceToken, tokenTrustOf } from "../../lib/auth/tokens.ts";
import type { FreshnessReading } from "../../lib/slo/freshness-probe.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openSql, readShardMap } from "../../lib/data/lab-databases.ts";
import { labTopology } from "../../lib/data/lab-topology.ts";
import { loadSloDirectory } from "../../lib/slo/load-slos.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { startSloAlerting } from "../../lib/slo/slo-alerting.ts";
import { embeddedSloSource, prometheusSloSource } from "../../lib/slo/slo-sources.ts";
import { closeOnSignals, crashAfterListening } from "../common/lab-server.ts";
import { buildGatewayServer } from "./server.ts";
import { FaultSwitch, GATEWAY_EFFECTS } from "../../lib/faults/fault-switch.ts";
import { LoadShedding } from "../../lib/load/load-shedding.ts";

const config = loadConfigOrExit();
const control = openSql(labTopology(config).control);
let shardMap = await readShardMap(control, config.shardCount);
// Bucket moves are rare; a stale map only costs a 503 and a retry (the shard's fence refuses the write).
const reload = setInterval(() => {
  readShardMap(control, config.shardCount).then(
    (map) => (shardMap = map),
    () => undefined,
  );
}, 5_000);
reload.unref();

const telemetry = await startProcessTelemetry("gateway", config);
const slos = loadSloDirectory(join(import.meta.dirname, "../../slo"));

const sloSource = config.prometheus.url ? prometheusSloSource(config.prometheus.url, slos) : embeddedSloSource(telemetry.store, slos);

// The freshness prober reads the projector as an SRE service identity of its own, like any operator's tool.
const FRESH_WITHIN_MS = 10_000;
const probeToken = serviceToken(labSigningKey(config.privacySecret), { userId: "gateway-prober", role: "sre", facilityId: null, patientId: null });
const readFreshness = async (signal: AbortSignal): Promise<FreshnessReading> => {
  const res = await fetch(`http://127.0.0.1:${config.projectorPort}/_lab/events/freshness?thresholdMs=${FRESH_WITHIN_MS}`, {
    headers: { authorization: `Bearer ${await probeToken()}` },
    signal,
  });
  if (!res.ok) throw new Error(`the projector answered ${res.status}`);
  return (await res.json()) as FreshnessReading;
};

const app = await buildGatewayServer({
  tokenKey: tokenTrustOf(config),
  shardMap: () => shardMap,
  upstreams: { clinical: `http://127.0.0.1:${config.clinicalPort}`, billing: `http://127.0.0.1:${config.billingPort}` },
  timeoutMs: config.gateway.timeoutMs,
  ratePerMinute: config.gateway.ratePerMinute,
  publicUrl: `http://127.0.0.1:${config.gateway.port}`,
  logLevel: config.logLevel,
  slis: { store: telemetry.store, slos, source: sloSource, control, freshness: { read: readFreshness, thresholdMs: FRESH_WITHIN_MS } },
  logDir: join(config.dataDir, "logs"),
  faults: new FaultSwitch("gateway", control, GATEWAY_EFFECTS),
  shedding: new LoadShedding(control),
});
// Alert notifications, once a minute, when webhooks are configured.
const alerting =
  config.alertWebhooks.length > 0
    ? startSloAlerting({
        source: sloSource,
        webhooks: config.alertWebhooks,
        everyMs: 60_000,
        onError: (err) => app.log.warn({ err: String(err) }, "SLO alert evaluation or notification failed"),
      })
    : null;
closeOnSignals(app, async () => {
  alerting?.stop();
  await control.close();
  await telemetry.close();
});
await app.listen({ host: "127.0.0.1", port: config.gateway.port });
crashAfterListening(app, config.crashAfterSeconds);
