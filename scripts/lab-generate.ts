// npm run lab:generate -- --patients N --seed S: fills the lab with synthetic patients (resumable).
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadConfig } from "../lib/config/index.ts";
import { LabError } from "../lib/errors/index.ts";
import { openLabDatabases, prepareLabDatabases } from "../lib/data/lab-databases.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { createProgressReporter } from "./progress.ts";

const Args = z.object({
  patients: z.coerce
    .number({ error: "--patients must be a whole number" })
    .int("--patients must be a whole number")
    .min(1, "--patients must be at least 1")
    .max(5_000_000, "--patients must be at most 5,000,000"),
  seed: z.coerce
    .number({ error: "--seed must be a whole number" })
    .int("--seed must be a whole number")
    .min(0, "--seed must be 0 or more")
    .max(2 ** 31 - 1, "--seed must be below 2^31"),
  facilities: z.coerce.number().int().min(1, "--facilities must be at least 1").max(500, "--facilities must be at most 500"),
});

export function parseGenerateArgs(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { patients: { type: "string", default: "1000" }, seed: { type: "string", default: "42" }, facilities: { type: "string", default: "12" } },
      strict: true,
    }));
  } catch (err) {
    throw new LabError("invalid", `${(err as Error).message}; usage: npm run lab:generate -- --patients N --seed S`);
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabError("invalid", `${issue.message} (got ${JSON.stringify(values[issue.path[0] as keyof typeof values])})`, {
      field: String(issue.path[0]),
    });
  }
  return parsed.data;
}

runCommand("lab:generate", async () => {
  const args = parseGenerateArgs(process.argv.slice(2));
  const config = loadConfig();
  await prepareLabDatabases(config, repoRoot);
  const lab = await openLabDatabases(config, { bulkWrites: true });
  const progress = createProgressReporter("patients", args.patients);
  try {
    const report = await generateLabData(lab, { ...args, onProgress: (p) => progress.update(p.done, { rows: p.rows }) });
    progress.stop();
    console.log(
      `lab:generate seed ${args.seed}: ${report.written} patients written, ${report.skipped} already there, ` +
        `${report.rows} rows in ${report.seconds.toFixed(1)} s` +
        (report.written > 0 ? ` (${Math.round(report.written / report.seconds)} patients/s)` : ""),
    );
  } finally {
    progress.stop();
    await lab.close();
  }
});
