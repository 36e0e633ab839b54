// npm run lab:simulate -- --profile peak-clinic --duration 10m: persona traffic from a profile in
// traffic-profiles/ against the running lab's gateway, with a live table; client-side SLIs go to the
// gateway's SLO engine. --list shows the profiles. Ctrl-C stops starting journeys and prints the summary.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { labSigningKey, issueLabToken } from "../lib/auth/tokens.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { LabError } from "../lib/errors/index.ts";
import { BatchRefused, ClientSliReporter } from "../lib/simulator/client-sli-reporter.ts";
import { journeyFlows } from "../lib/simulator/journey-flows.ts";
import { loadSimulationCast } from "../lib/simulator/simulation-cast.ts";
import { Simulation, type SimulationSnapshot } from "../lib/simulator/simulation-run.ts";
import { simulationTable } from "../lib/simulator/simulation-table.ts";
import { findTrafficProfile, loadTrafficProfileDirectory } from "../lib/simulator/traffic-profile.ts";
import { repoRoot, runCommand } from "./cli.ts";
import { parseDuration } from "./durations.ts";

runCommand("lab:simulate", async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        profile: { type: "string", default: "steady-demo" },
        duration: { type: "string" },
        list: { type: "boolean", default: false },
        "no-slis": { type: "boolean", default: false },
        every: { type: "string", default: "2s" },
      },
      strict: true,
    }));
  } catch (err) {
    throw new LabError("invalid", `${(err as Error).message}; usage: npm run lab:simulate -- [--profile NAME] [--duration 10m] [--list] [--no-slis]`);
  }
  const profiles = loadTrafficProfileDirectory(join(repoRoot, "traffic-profiles"), repoRoot);
  if (values.list) {
    for (const p of profiles) console.log(`${p.name.padEnd(18)} ${p.description}`);
    return;
  }
  const profile = findTrafficProfile(profiles, values.profile);
  const durationSeconds = values.duration ? parseDuration(values.duration, "duration") / 1000 : undefined;
  const everyMs = parseDuration(values.every, "every");
  const config = loadConfig();
  const origin = `http://127.0.0.1:${config.gateway.port}`;
  if (
    !(await fetch(`${origin}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  )
    throw new LabError("setup", `no lab gateway answers at ${origin}; start the lab with npm run lab`);

  const key = labSigningKey(config.privacySecret);
  const lab = await openLabDatabases(config);
  const cast = await loadSimulationCast({ control: lab.control.sql, shards: lab.shards.map((s) => s.readSql) }, key).finally(() => lab.close());
  const reporterToken = issueLabToken(key, { userId: "sim-sli-reporter", role: "sre", facilityId: null, patientId: null }, { ttlSeconds: 86_400 });
  const slis = values["no-slis"]
    ? null
    : new ClientSliReporter({
        origin,
        token: () => reporterToken,
        onError: (err) =>
          console.error(
            err instanceof BatchRefused
              ? `lab:simulate: client SLIs refused by the gateway (${err.message}); that batch is dropped`
              : `lab:simulate: client SLIs not delivered yet (${err.message}); retrying`,
          ),
      });
  const simulation = new Simulation({
    origin,
    profile,
    durationSeconds,
    flows: journeyFlows(cast),
    traceSampleRatio: config.tracing.sampleRatio,
    onJourneyEnd: (o) => slis?.record(o),
  });

  const live = process.stdout.isTTY;
  let previous: SimulationSnapshot | null = null;
  const show = () => {
    const now = simulation.snapshot();
    const table = simulationTable(now, previous);
    process.stdout.write(live ? `\x1b[H\x1b[2J${table}\n(Ctrl-C stops)\n` : `${table}\n\n`);
    previous = now;
  };
  const timer = setInterval(show, everyMs);
  process.once("SIGINT", () => void simulation.stop());
  process.once("SIGTERM", () => void simulation.stop());
  const final = await simulation.done;
  clearInterval(timer);
  await slis?.close();
  console.log(simulationTable(final, null));
  console.log(
    `lab:simulate: ${final.total.started} journeys (${final.total.requests} requests) in ${final.elapsedSeconds} s; ${final.total.failed} failed, ${final.total.late} late, ${final.total.dropped} dropped${slis ? `; ${slis.sent} client SLIs sent to the gateway${slis.lost ? `, ${slis.lost} lost` : ""}${slis.refused ? `, ${slis.refused} refused` : ""}` : ""}`,
  );
});
