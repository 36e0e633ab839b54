// npm run lab: migrate the lab's databases, seed an empty lab with synthetic data, build the portal when
// needed and start it with the services and the projector; Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "../lib/config/index.ts";
import { LabError } from "../lib/errors/index.ts";
import { describeLocation, openLabDatabases, prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { labTopology } from "../lib/data/lab-topology.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { type LocalPrometheus, prometheusConfig, startLocalPrometheus } from "../lib/telemetry/local-prometheus.ts";
import { openTelemetryStore } from "../lib/telemetry/telemetry-store.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { buildPortalIfStale } from "./portal-build.ts";
import { createProgressReporter } from "./progress.ts";

const log = (line: string) => console.log(line);

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new LabError("setup", `the portal did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

runCommand("lab", async () => {
  const config = loadConfig();
  log(`lab: ${config.mode} mode, ${config.shardCount} shards, control database at ${describeLocation(labTopology(config).control)}`);
  if (config.usesEmbeddedSecret) log("lab: pseudonymizing with the built-in lab secret (set LAB_SECRET for your own)");

  const prepared = await prepareLabDatabases(config, repoRoot);
  for (const db of prepared.databases) if (db.applied.length) log(`lab: migrated ${db.label}: ${db.applied.join(", ")}`);

  const lab = await openLabDatabases(config);
  try {
    const patients = (await Promise.all(lab.shards.map((s) => s.prisma.patient.count()))).reduce((a, b) => a + b, 0);
    if (patients === 0 && config.seedPatients > 0) {
      log(`lab: empty lab, generating ${config.seedPatients} synthetic patients (seed ${config.seed})`);
      const progress = createProgressReporter("patients", config.seedPatients);
      const report = await generateLabData(lab, { patients: config.seedPatients, seed: config.seed, onProgress: (p) => progress.update(p.done, { rows: p.rows }) });
      progress.stop();
      log(`lab: ${report.written} patients, ${report.rows} rows in ${report.seconds.toFixed(1)} s`);
    } else {
      log(`lab: ${patients} patients already in the lab`);
    }
  } finally {
    await lab.close();
  }

  // The telemetry database (SLI rollups, spans, RUM), migrated before any process writes to it.
  await (await openTelemetryStore(config)).close();

  if (config.events.bus === "kafka") {
    // Full mode's bus: a local broker from deploy/local/kafka unless one already answers (start.sh checks).
    log(`lab: events on Kafka at ${config.events.brokers.join(",")}`);
    const started = spawnSync("bash", [join(repoRoot, "deploy", "local", "kafka", "start.sh")], { cwd: repoRoot, stdio: "inherit" });
    if (started.status !== 0) throw new LabError("setup", "the Kafka broker did not start (see above); or set LAB_EVENT_BUS=embedded", { field: "LAB_EVENT_BUS" });
  }
  let prometheus: LocalPrometheus | null = null;
  if (config.prometheus.startLocal) {
    // Full mode's metrics: Debian's Prometheus scraping every lab process, with the generated SLO rules.
    const targets = [
      { name: "gateway", address: `127.0.0.1:${config.gateway.port}` },
      { name: "clinical", address: `127.0.0.1:${config.clinicalPort}` },
      { name: "billing", address: `127.0.0.1:${config.billingPort}` },
      { name: "projector", address: `127.0.0.1:${config.projectorPort}` },
    ];
    const ruleFiles = [join(repoRoot, "deploy", "observability", "rules", "*.yaml")];
    // A Prometheus left on the port by an earlier run would answer as if it were ours.
    if (await fetch(`http://127.0.0.1:${config.prometheus.port}/-/ready`).then(() => true, () => false)) {
      throw new LabError("setup", `something already answers on 127.0.0.1:${config.prometheus.port}; stop it, or set PROMETHEUS_URL to use it, or PROMETHEUS_PORT`, { field: "PROMETHEUS_PORT" });
    }
    try {
      prometheus = await startLocalPrometheus({ binary: config.prometheus.binary, dir: join(config.dataDir, "prometheus"), port: config.prometheus.port, config: prometheusConfig({ targets, ruleFiles }) });
    } catch (err) {
      throw new LabError("setup", `Prometheus did not start (${(err as Error).message}); install Debian's prometheus package, or set PROMETHEUS_URL to one of yours`, { field: "PROMETHEUS_URL" });
    }
    log(`lab: Prometheus at ${prometheus.url} (scraping ${targets.length} processes, SLO rules from deploy/observability/rules)`);
  }
  try {
    buildPortalIfStale(repoRoot, log);
  } catch (err) {
    await prometheus?.stop(); // nothing else has started yet
    throw err;
  }
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  // Each service is one node process with tsx as its loader (not the tsx wrapper, which would put a parent
  // process in between): a signal sent to it reaches the service itself.
  const service = (name: string) => spawn(process.execPath, ["--import", "tsx", join(repoRoot, "backend-services", name, "main.ts")], { cwd: repoRoot, stdio: "inherit", env });
  const processes = [
    {
      name: "clinical",
      child: service("clinical"),
      ready: `http://127.0.0.1:${config.clinicalPort}/readyz`,
    },
    {
      name: "billing",
      child: service("billing"),
      ready: `http://127.0.0.1:${config.billingPort}/readyz`,
    },
    {
      name: "gateway",
      child: service("gateway"),
      ready: `http://127.0.0.1:${config.gateway.port}/readyz`,
    },
    {
      name: "projector",
      child: service("projector"),
      ready: `http://127.0.0.1:${config.projectorPort}/readyz`,
    },
    {
      name: "portal",
      child: spawn(join(repoRoot, "node_modules", ".bin", "next"), ["start", "-p", String(config.portalPort), "-H", "127.0.0.1"], { cwd: repoRoot, stdio: "inherit", env }),
      ready: `http://127.0.0.1:${config.portalPort}/api/health`,
    },
  ];
  let stopping = false;
  const exits = processes.map(
    (p) =>
      new Promise<{ name: string; code: number }>((resolve) => {
        // A process that could not start, or was killed by a signal we did not send, is a failure.
        p.child.on("error", (err) => resolve({ name: `${p.name} (${err.message})`, code: 1 }));
        p.child.on("exit", (code, signal) => resolve({ name: p.name, code: code ?? (signal && stopping ? 0 : 1) }));
      }),
  );
  const stop = () => {
    stopping = true;
    processes.forEach((p) => p.child.kill("SIGTERM"));
    void prometheus?.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  try {
    await Promise.race([
      Promise.all(processes.map((p) => waitForHealth(p.ready, 60_000))),
      Promise.race(exits).then(({ name, code }) => Promise.reject(new LabError("setup", `${name} exited with code ${code} before it was ready (is its port free?)`))),
    ]);
  } catch (err) {
    stop(); // never leave a half-started lab holding its ports
    throw err;
  }
  const base = `http://127.0.0.1:${config.portalPort}`;
  log(`lab: ready
  portal    ${base}/
  health    ${base}/api/health
  gateway   http://127.0.0.1:${config.gateway.port}/ (the API: bearer token required; /healthz, /readyz open)
  clinical  http://127.0.0.1:${config.clinicalPort}/  billing http://127.0.0.1:${config.billingPort}/ (behind the gateway)
  projector http://127.0.0.1:${config.projectorPort}/_lab/events/status (outbox relay, read models, dead letters; ${config.events.bus} bus)
  SLOs      http://127.0.0.1:${config.gateway.port}/_lab/slos (${config.prometheus.url ? `from Prometheus at ${config.prometheus.url}` : "from the embedded rollups"}); every process serves /metrics
Press Ctrl-C to stop.`);
  // One process ending ends the lab: the others are stopped rather than left running alone.
  const first = await Promise.race(exits);
  stop();
  await Promise.all(exits);
  log(`lab: stopped (${first.name} exited first)`);
  if (first.code !== 0) process.exitCode = first.code;
});
