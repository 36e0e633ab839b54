// Progress for long commands: a live bar on a terminal, a line every few seconds in a log or CI.
import cliProgress from "cli-progress";

export function createProgressReporter(unit: string, total: number) {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {percentage}% | {value}/{total} ${unit} | {rows} rows | {eta_formatted} left`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0 });
  let stopped = false;
  return {
    update(value: number, payload: Record<string, unknown> = {}) {
      bar.update(value, payload);
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
