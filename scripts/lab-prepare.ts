// The preparation of `npm run lab`, run by scripts/lab.ts as a process of its own: migrate the lab's
// databases, fill an empty lab with synthetic patients, and migrate the telemetry database before any
// process writes to it.
import { loadConfig } from "../lib/config/index.ts";
import { describeLocation, openLabDatabases, prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { labTopology } from "../lib/data/lab-topology.ts";
import { addMissingPersonaUsers, generateLabData } from "../lib/synth/generate-lab-data.ts";
import { openTelemetryStore } from "../lib/telemetry/telemetry-store.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { createProgressReporter } from "./progress.ts";

const log = (line: string) => console.log(line);

runCommand("lab", async () => {
  const config = loadConfig();
  log(`lab: ${config.mode} mode, ${config.shardCount} shards, control database at ${describeLocation(labTopology(config).control)}`);
  if (config.usesEmbeddedSecret) log("lab: pseudonymizing with the built-in lab secret (set LAB_SECRET for your own)");

  const prepared = await prepareLabDatabases(config, repoRoot);
  for (const db of prepared.databases) if (db.applied.length) log(`lab: migrated ${db.label}: ${db.applied.join(", ")}`);

  const lab = await openLabDatabases(config, { bulkWrites: true });
  try {
    const patients = (await Promise.all(lab.shards.map((s) => s.prisma.patient.count()))).reduce((a, b) => a + b, 0);
    if (patients === 0 && config.seedPatients > 0) {
      log(`lab: empty lab, generating ${config.seedPatients} synthetic patients (seed ${config.seed})`);
      const progress = createProgressReporter("patients", config.seedPatients);
      const report = await generateLabData(lab, {
        patients: config.seedPatients,
        seed: config.seed,
        onProgress: (p) => progress.update(p.done, { rows: p.rows }),
      });
      progress.stop();
      log(`lab: ${report.written} patients, ${report.rows} rows in ${report.seconds.toFixed(1)} s`);
    } else {
      log(`lab: ${patients} patients already in the lab`);
      const added = await addMissingPersonaUsers(lab);
      if (added > 0) log(`lab: added ${added} demo persona${added === 1 ? "" : "s"} this lab did not have yet`);
    }
  } finally {
    await lab.close();
  }

  // The telemetry database (SLI rollups, spans, RUM), migrated before any process writes to it.
  await (await openTelemetryStore(config)).close();
});
