// npm run lab:export:fhir -- --out DIR: the lab's data as FHIR R4 NDJSON (per type, and one Bundle per patient).
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { loadConfig } from "../lib/config/index.ts";
import { LabError } from "../lib/errors/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { exportFhir } from "../lib/synth/fhir-export.ts";
import { runCommand } from "./cli.ts";
import { createProgressReporter } from "./progress.ts";

runCommand("lab:export:fhir", async () => {
  let out: string;
  try {
    out = parseArgs({ args: process.argv.slice(2), options: { out: { type: "string", default: ".lab/fhir" } }, strict: true }).values.out!;
  } catch (err) {
    throw new LabError("invalid", `${(err as Error).message}; usage: npm run lab:export:fhir -- --out DIR`);
  }
  const lab = await openLabDatabases(loadConfig());
  try {
    const total = (await Promise.all(lab.shards.map((s) => s.prisma.patient.count()))).reduce((a, b) => a + b, 0);
    const progress = createProgressReporter("patients", total);
    const report = await exportFhir(lab, resolve(out), (done) => progress.update(done));
    progress.stop();
    console.log(
      `lab:export:fhir wrote ${Object.entries(report.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")} to ${resolve(out)}`,
    );
  } finally {
    await lab.close();
  }
});
