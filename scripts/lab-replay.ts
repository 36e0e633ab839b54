// npm run lab:replay -- [--since 24h | --from-beginning]: rebuilds the projector's read models from the
// event log into a scratch database with a progress bar, then compares them, model by model (checksums),
// with the live read models. Exit 1 names the models that differ.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/index.ts";
import { openSqlite } from "../lib/data/sql-database.ts";
import { LabError } from "../lib/errors/index.ts";
import { openEventBus, openReadModels } from "../lib/events/event-platform.ts";
import { prepareReadModels, readModelChecksums } from "../lib/events/projections.ts";
import { differingModels, replayReadModels } from "../lib/events/replay.ts";
import { runCommand } from "./cli.ts";
import { parseDuration } from "./durations.ts";
import { createProgressReporter } from "./progress.ts";

runCommand("lab:replay", async () => {
  const { values } = parseArgs({ options: { since: { type: "string" }, "from-beginning": { type: "boolean", default: false } } });
  if (values.since && values["from-beginning"]) throw new LabError("invalid", "give --since or --from-beginning, not both", { field: "since" });
  const from = values.since ? { timestamp: new Date(Date.now() - parseDuration(values.since, "since")) } : { earliest: true as const };
  const config = loadConfig();
  const bus = await openEventBus(config, "pim-sre-lab-replay");
  const live = await openReadModels(config);
  const dir = mkdtempSync(join(tmpdir(), "pimlab-replay-"));
  const scratch = openSqlite(join(dir, "read-models.db"), "replayed read models");
  try {
    await prepareReadModels(scratch);
    console.error(`lab:replay: replaying ${values.since ? `the last ${values.since}` : "the whole log"} from the ${bus.kind} bus into a scratch database`);
    let progress: ReturnType<typeof createProgressReporter> | null = null;
    const report = await replayReadModels(bus, scratch, {
      from,
      onProgress: (done, total, rate) => {
        progress ??= createProgressReporter("events", total, "{rate} events/s");
        progress.update(done, { rate });
      },
    });
    (progress as ReturnType<typeof createProgressReporter> | null)?.stop();
    console.log(`lab:replay: ${report.events} events in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond} events/s); ${report.stats.deadLettered} dead-lettered`);
    const [replayed, current] = [await readModelChecksums(scratch), await readModelChecksums(live)];
    const differ = differingModels(replayed, current);
    for (const model of Object.keys(current)) console.log(`  ${model.padEnd(18)} live ${current[model]}  replayed ${replayed[model]}  ${differ.includes(model) ? "DIFFERS" : "equal"}`);
    if (differ.length > 0) {
      const hint = values.since ? " (a partial replay cannot rebuild totals that include older events; try --from-beginning)" : "";
      throw new LabError("conflict", `the replayed read models differ from the live ones: ${differ.join(", ")}${hint}`);
    }
    console.log("lab:replay: the replayed read models equal the live ones");
  } finally {
    await Promise.all([bus.close(), live.close(), scratch.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
