// npm run lab:replay -- [--since 24h | --from-beginning]: rebuilds the projector's read models from the
// event log into a scratch database with a progress bar, up to where the live read models stand in the
// log, then compares them, model by model (checksums), with the live ones as they stood there: a running
// lab need not stop for it. Exit 1 names the models that differ.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/index.ts";
import { openSqlite } from "../lib/data/sql-database.ts";
import { LabError } from "../lib/errors/index.ts";
import { openEventBus, openReadModels } from "../lib/events/event-platform.ts";
import { liveReadModelsAtPosition } from "../lib/events/live-checksums.ts";
import { PROJECTOR_GROUP } from "../lib/events/projector.ts";
import { finishScratchReadModels, prepareScratchReadModels, readModelChecksums } from "../lib/events/projections.ts";
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
  await (await openReadModels(config)).close(); // migrated before its reader thread opens it
  const dir = mkdtempSync(join(tmpdir(), "pimlab-replay-"));
  const scratch = openSqlite(join(dir, "read-models.db"), "replayed read models");
  try {
    await prepareScratchReadModels(scratch);
    // The live models and where in the log they stand, in one snapshot: the replay goes exactly that far, so
    // the two can be compared while the lab keeps running. Their checksums are summed on another thread.
    const current = liveReadModelsAtPosition(config, PROJECTOR_GROUP);
    const until = await current.positions;
    console.error(
      `lab:replay: replaying ${values.since ? `the last ${values.since}` : "the whole log"} from the ${bus.kind} bus into a scratch database, up to where the live read models stand`,
    );
    let progress: ReturnType<typeof createProgressReporter> | null = null;
    const report = await replayReadModels(bus, scratch, {
      from,
      until,
      onProgress: (done, total, rate) => {
        progress ??= createProgressReporter("events", total, "{rate} events/s");
        progress.update(done, { rate });
      },
    });
    (progress as ReturnType<typeof createProgressReporter> | null)?.stop();
    console.log(
      `lab:replay: ${report.events} events in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond} events/s); ${report.stats.deadLettered} dead-lettered`,
    );
    await finishScratchReadModels(scratch);
    const [liveChecksums, replayed] = await Promise.all([current.checksums(), readModelChecksums(scratch)]);
    const differ = differingModels(replayed, liveChecksums);
    for (const model of Object.keys(liveChecksums))
      console.log(`  ${model.padEnd(18)} live ${liveChecksums[model]}  replayed ${replayed[model]}  ${differ.includes(model) ? "DIFFERS" : "equal"}`);
    if (differ.length > 0) {
      const hint = values.since ? " (a partial replay cannot rebuild totals that include older events; try --from-beginning)" : "";
      throw new LabError("conflict", `the replayed read models differ from the live ones: ${differ.join(", ")}${hint}`);
    }
    console.log("lab:replay: the replayed read models equal the live ones");
  } finally {
    await Promise.all([bus.close(), scratch.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
