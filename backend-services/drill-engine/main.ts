// The drill engine process (:4105): npm run lab's supervisor starts it. It acts on the lab through the
// supervisor (faults, kill, pause: each with a deadline the supervisor keeps) and the simulator (traffic),
// and reads the SLOs from the gateway for its abort conditions.
import { join } from "node:path";
import { createTokenVerifier, labSigningKey, serviceToken, tokenTrustOf } from "../../lib/auth/tokens.ts";
import { loadConfigOrExit } from "../../lib/config/index.ts";
import { openSql } from "../../lib/data/lab-databases.ts";
import { labTopology } from "../../lib/data/lab-topology.ts";
import { DrillEngine } from "../../lib/drills/drill-engine.ts";
import { DEFAULT_GUARDRAILS } from "../../lib/drills/drill-request.ts";
import { httpExerciseLab, httpLabEffects } from "../../lib/drills/lab-effects.ts";
import { ExerciseConductor } from "../../lib/exercises/exercise-conductor.ts";
import { loadExerciseDirectory } from "../../lib/exercises/exercise-catalog.ts";
import { ScenarioConductor } from "../../lib/scenarios/scenario-conductor.ts";
import { loadScenarioDirectory } from "../../lib/scenarios/scenario-script.ts";
import { loadTrafficProfileDirectory } from "../../lib/simulator/traffic-profile.ts";
import { loadSloDirectory } from "../../lib/slo/load-slos.ts";
import { closeOnSignals } from "../common/lab-server.ts";
import { startProcessTelemetry } from "../common/process-telemetry.ts";
import { buildDrillEngineServer } from "./server.ts";

const config = loadConfigOrExit();
const root = join(import.meta.dirname, "..", "..");
const telemetry = await startProcessTelemetry("drill-engine", config);
// The control database alone, over plain SQL: runs, audit and annotations are all the engine writes.
const control = openSql(labTopology(config).control);
const key = labSigningKey(config.privacySecret);
// The engine acts as itself (an instructor-role service identity); each run records who launched it.
const engineToken = serviceToken(key, { userId: "drill-engine", role: "instructor", facilityId: null, patientId: null });
const effects = httpLabEffects({
  supervisorUrl: `http://127.0.0.1:${config.supervisorPort}`,
  simulatorUrl: `http://127.0.0.1:${config.simulator.port}`,
  gatewayUrl: `http://127.0.0.1:${config.gateway.port}`,
  token: engineToken,
});
const slos = loadSloDirectory(join(root, "slo"), root);
const knownSlos = new Set(slos.map((s) => s.name));
const engine = new DrillEngine({
  effects,
  control,
  guardrails: { ...DEFAULT_GUARDRAILS, maxDurationSeconds: config.drills.maxDurationSeconds, maxConcurrent: config.drills.maxConcurrent },
  shardCount: config.shardCount,
  knownSlos,
  onError: (message, err) => app.log.warn({ err }, message),
});
const conductor = new ScenarioConductor({
  scenarios: loadScenarioDirectory(config.drills.scenariosDir, knownSlos, root),
  engine,
  control,
  sloReport: (timeoutMs) => effects.sloReport(timeoutMs),
  onError: (message, err) => app.log.warn({ err }, message),
});
const exercises = new ExerciseConductor({
  exercises: loadExerciseDirectory(
    config.drills.exercisesDir,
    { slos: knownSlos, profiles: new Set(loadTrafficProfileDirectory(join(root, "traffic-profiles"), root).map((p) => p.name)) },
    root,
  ),
  slos,
  engine,
  control,
  lab: httpExerciseLab({
    supervisorUrl: `http://127.0.0.1:${config.supervisorPort}`,
    simulatorUrl: `http://127.0.0.1:${config.simulator.port}`,
    gatewayUrl: `http://127.0.0.1:${config.gateway.port}`,
    token: engineToken,
    usualTraffic: config.simulator.startProfile ?? "off",
  }),
  onError: (message, err) => app.log.warn({ err }, message),
});
const app = buildDrillEngineServer(engine, conductor, createTokenVerifier(tokenTrustOf(config)), {
  logLevel: config.logLevel,
  ready: async () => void (await control.query("SELECT 1")),
  exercises,
});
const interrupted = await engine.recover();
if (interrupted) app.log.warn({ interrupted }, "drill runs left live by an earlier engine marked interrupted (the supervisor reverted their effects)");
const failedScenarios = await conductor.recover();
const failedExercises = await exercises.recover();
if (failedExercises) app.log.warn({ failedExercises }, "exercise runs left under way by an earlier engine marked failed");
if (failedScenarios) app.log.warn({ failedScenarios }, "scenario runs left running by an earlier engine marked failed");
closeOnSignals(app, async () => {
  await control.close();
  await telemetry.close();
});
await app.listen({ host: "127.0.0.1", port: config.drills.port });
