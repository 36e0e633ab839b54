// npm run lab: migrate the lab's databases, seed an empty lab with synthetic data, build the portal when
// needed, then supervise every process (services, projector, gateway, portal) until Ctrl-C stops them all.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "../lib/config/index.ts";
import { LabError } from "../lib/errors/index.ts";
import { type LocalPrometheus, prometheusConfig, startLocalPrometheus } from "../lib/telemetry/local-prometheus.ts";
import { labProcesses } from "../lib/supervisor/lab-processes.ts";
import { carryNicenessToSession } from "../lib/supervisor/session-niceness.ts";
import { superviseLab } from "../backend-services/supervisor/supervise-lab.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { buildPortalIfStale } from "./portal-build.ts";

const log = (line: string) => console.log(line);

/** Runs one of scripts/ in a process of its own, waiting for it; false, with its exit code as ours, when it failed (it said why). */
function ranScript(script: string, ...args: string[]): boolean {
  const { status } = spawnSync(process.execPath, ["--import", "tsx", join(repoRoot, "scripts", script), ...args], {
    cwd: repoRoot,
    stdio: "inherit",
    env: process.env,
  });
  if (status === 0) return true;
  process.exitCode = status ?? 1;
  return false;
}

runCommand("lab", async () => {
  // Startup is timed from this process's start (node and tsx included), as a user waits for it.
  const startedAt = Date.now() - process.uptime() * 1000;
  // Started niced in a session of its own (a test runner's web server is), the lab keeps the niceness.
  carryNicenessToSession(process.pid);
  const config = loadConfig();
  // Migrations, the seed and the telemetry database in a process of their own: the Prisma clients and the
  // generator would otherwise stay in this long-lived supervisor's memory (about 100 MB of the lab's budget).
  if (!ranScript("lab-prepare.ts")) return;

  if (config.events.bus === "kafka") {
    // Full mode's bus: a local broker from deploy/local/kafka unless one already answers (start.sh checks).
    log(`lab: events on Kafka at ${config.events.brokers.join(",")}`);
    const started = spawnSync("bash", [join(repoRoot, "deploy", "local", "kafka", "start.sh")], { cwd: repoRoot, stdio: "inherit" });
    if (started.status !== 0)
      throw new LabError("setup", "the Kafka broker did not start (see above); or set LAB_EVENT_BUS=embedded", { field: "LAB_EVENT_BUS" });
  }
  // A lab seeded before seeding was history is offered its backfill (ADR 0018), once the bus is up.
  if (!ranScript("lab-backfill.ts", "--offer")) return;
  let prometheus: LocalPrometheus | null = null;
  if (config.prometheus.startLocal) {
    // Full mode's metrics: Debian's Prometheus scraping every lab process, with the generated SLO rules.
    const targets = [
      ...labProcesses(config, repoRoot)
        .filter((p) => p.name !== "portal")
        .map((p) => ({ name: p.name, address: `127.0.0.1:${p.port}` })),
      { name: "supervisor", address: `127.0.0.1:${config.supervisorPort}` },
    ];
    const ruleFiles = [join(repoRoot, "deploy", "observability", "rules", "*.yaml")];
    // A Prometheus left on the port by an earlier run would answer as if it were ours.
    if (
      await fetch(`http://127.0.0.1:${config.prometheus.port}/-/ready`).then(
        () => true,
        () => false,
      )
    ) {
      throw new LabError(
        "setup",
        `something already answers on 127.0.0.1:${config.prometheus.port}; stop it, or set PROMETHEUS_URL to use it, or PROMETHEUS_PORT`,
        { field: "PROMETHEUS_PORT" },
      );
    }
    try {
      prometheus = await startLocalPrometheus({
        binary: config.prometheus.binary,
        dir: join(config.dataDir, "prometheus"),
        port: config.prometheus.port,
        config: prometheusConfig({ targets, ruleFiles }),
      });
    } catch (err) {
      throw new LabError(
        "setup",
        `Prometheus did not start (${(err as Error).message}); install Debian's prometheus package, or set PROMETHEUS_URL to one of yours`,
        { field: "PROMETHEUS_URL" },
      );
    }
    log(`lab: Prometheus at ${prometheus.url} (scraping ${targets.length} processes, SLO rules from deploy/observability/rules)`);
  }
  try {
    buildPortalIfStale(repoRoot, log);
  } catch (err) {
    await prometheus?.stop(); // nothing else has started yet
    throw err;
  }
  // From here the supervisor runs the lab (backend-services/supervisor): every process started, watched and
  // restarted, its control API on SUPERVISOR_PORT, and on Ctrl-C every lease reverted and every process stopped.
  try {
    // Every process learns when the start began: the simulator's lab-start annotation spans it.
    await superviseLab({ config, root: repoRoot, env: { ...process.env, LAB_STARTED_AT: String(Math.round(startedAt)) }, startedAt });
  } finally {
    await prometheus?.stop();
  }
});
