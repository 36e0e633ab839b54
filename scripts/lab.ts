// npm run lab: migrate the lab's databases, seed an empty lab with synthetic data, build the portal when
// needed and start it; Ctrl-C stops everything. Later issues add the services and the supervisor here.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "../lib/config/index.ts";
import { LabError } from "../lib/errors/index.ts";
import { describeLocation, openLabDatabases, prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { labTopology } from "../lib/data/lab-topology.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
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

  buildPortalIfStale(repoRoot, log);
  const portal = spawn(join(repoRoot, "node_modules", ".bin", "next"), ["start", "-p", String(config.portalPort), "-H", "127.0.0.1"], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const stopped = new Promise<number>((resolve) => portal.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
  const stop = () => portal.kill("SIGTERM");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const base = `http://127.0.0.1:${config.portalPort}`;
  try {
    await Promise.race([
      waitForHealth(`${base}/api/health`, 60_000),
      stopped.then((code) => Promise.reject(new LabError("setup", `the portal exited with code ${code} before it was ready (is port ${config.portalPort} free? set PORTAL_PORT)`))),
    ]);
  } catch (err) {
    stop(); // never leave a half-started portal holding the port
    throw err;
  }
  log(`lab: ready\n  portal   ${base}/\n  health   ${base}/api/health\nPress Ctrl-C to stop.`);
  const code = await stopped;
  log("lab: stopped");
  if (code !== 0) process.exitCode = code;
});
