// The services that write patient data on the shards, clinical and billing, are one kind of process: a lab
// server over the lab's databases with the fault switch and the service's declared routes. One builder (the
// entry points and the tests use it) and one process entry, parameterised by the service.
import type { FastifyInstance } from "fastify";
import { type TokenKey, createTokenVerifier, tokenTrustOf } from "../../lib/auth/tokens.ts";
import { type LabConfig, loadConfigOrExit } from "../../lib/config/index.ts";
import { type LabDatabases, openLabDatabases } from "../../lib/data/lab-databases.ts";
import { FaultSwitch } from "../../lib/faults/fault-switch.ts";
import { type DeclaredRoutes, declaredRoutes } from "./declared-routes.ts";
import { installFaults, personaOfToken } from "./fault-hooks.ts";
import { closeOnSignals, crashAfterListening, createLabServer, databasesAnswer } from "./lab-server.ts";
import { startProcessTelemetry } from "./process-telemetry.ts";

export type ShardService = "clinical" | "billing";

const PORT: Record<ShardService, (config: LabConfig) => number> = {
  clinical: (config) => config.clinicalPort,
  billing: (config) => config.billingPort,
};

/** The service on a lab's databases: its fault switch, then its routes. */
export function buildShardService(
  service: ShardService,
  serveRoutes: (routes: DeclaredRoutes, lab: LabDatabases) => void,
  lab: LabDatabases,
  tokenKey: TokenKey,
  logLevel: string,
): FastifyInstance {
  const tokens = createTokenVerifier(tokenKey);
  const app = createLabServer({ name: service, logLevel, ready: databasesAnswer(lab) });
  const routes = declaredRoutes(app, { tokens });
  installFaults(app, routes, {
    faults: new FaultSwitch(service, lab.control.sql),
    shardMap: () => lab.shardMap,
    personaOf: (request) => personaOfToken(request, tokens),
  });
  serveRoutes(routes, lab);
  return app;
}

/** The service's process: telemetry, the databases, the server `build` makes, on 127.0.0.1 at the service's port until a signal. */
export async function runShardService(
  service: ShardService,
  build: (lab: LabDatabases, tokenKey: TokenKey, logLevel: string) => FastifyInstance,
): Promise<void> {
  const config = loadConfigOrExit();
  const telemetry = await startProcessTelemetry(service, config);
  // Shard checkpoints run on a worker thread, off the request path (lib/data/wal-checkpointer.ts).
  const lab = await openLabDatabases(config, {
    checkpointInBackground: true,
    onCheckpointError: (file, error) => app.log.warn({ file, error }, "WAL checkpoint failed"),
  });
  const app = build(lab, tokenTrustOf(config), config.logLevel);
  closeOnSignals(app, async () => {
    await lab.close();
    await telemetry.close();
  });
  await app.listen({ host: "127.0.0.1", port: PORT[service](config) });
  crashAfterListening(app, config.crashAfterSeconds);
}
