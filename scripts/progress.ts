// Progress for long commands: a live bar on a terminal, a line every few seconds in a log or CI.
import cliProgress from "cli-progress";

/** `detail` is a cli-progress format fragment filled from update()'s payload. */
export function createProgressReporter(unit: string, total: number, detail = "{rows} rows") {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {percentage}% | {value}/{total} ${unit} | ${detail} | {eta_formatted} left`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0, rate: 0 });
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
