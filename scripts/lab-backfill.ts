// npm run lab:backfill: gives a lab seeded before seeding was history its event history (ADR 0018): a
// snapshot event per patient, then the log, read models and projector start over from the snapshots.
// Once, idempotent, resumable, with a progress bar. `--offer` (npm run lab) asks first on a terminal, and
// elsewhere only says how; it does nothing on a lab that needs no backfill.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";
import { openEventBus, openReadModels } from "../lib/events/event-platform.ts";
import { backfillEventHistory, backfillPending } from "../lib/events/history-backfill.ts";
import { runCommand } from "./cli.ts";
import { createProgressReporter } from "./progress.ts";

const WHY =
  "this lab was seeded before seeded records went into the event stream: its dashboards miss them and the projector dead-letters every event about them";

async function agrees(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return !/^n/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

runCommand("lab:backfill", async () => {
  const { values } = parseArgs({ options: { offer: { type: "boolean", default: false } } });
  const config = loadConfig();
  const lab = await openLabDatabases(config);
  try {
    if (!(await backfillPending(lab))) {
      if (!values.offer) console.log("lab:backfill: every shard's patients already have their history in the event stream; nothing to do");
      return;
    }
    if (values.offer) {
      if (!process.stdin.isTTY) {
        console.log(`lab: ${WHY}; run npm run lab:backfill once to fix it (resumable)`);
        return;
      }
      if (!(await agrees(`lab: ${WHY}. Backfill the history now (a snapshot per patient; resumable)? [Y/n] `))) {
        console.log("lab: not now; npm run lab:backfill does it later");
        return;
      }
    }
    const [bus, readModels] = [await openEventBus(config, "pim-sre-lab-backfill"), await openReadModels(config)];
    try {
      let progress: ReturnType<typeof createProgressReporter> | null = null;
      const report = await backfillEventHistory(lab, bus, readModels, {
        onProgress: (p) => {
          progress ??= createProgressReporter("patients", p.total, "{written} snapshots");
          progress.update(p.done, { written: p.written });
        },
      });
      (progress as ReturnType<typeof createProgressReporter> | null)?.stop();
      console.log(
        `lab:backfill: ${report.written} patient snapshots on shard${report.shards.length === 1 ? "" : "s"} ${report.shards.join(", ")} in ${report.seconds.toFixed(1)} s; ` +
          `the event history starts over from them (${report.deletedLogMessages} older log messages removed, read models emptied for the projector to rebuild)`,
      );
    } finally {
      await Promise.all([bus.close(), readModels.close()]);
    }
  } finally {
    await lab.close();
  }
});
