// Progress for long commands: a live bar on a terminal, a line every few seconds in a log or CI. The time
// left is our own estimate from the rate since the first item moved (cli-progress's own prints "NF" while
// the work has not started, and its buffer of recent updates swings with bursty work such as a replay).
import cliProgress from "cli-progress";

/** Seconds as a person reads them: "45 s", "3 min 05 s", "1 h 02 min". */
export function formatSecondsLeft(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** The time left at `value` of `total`, from the rate since `start`; null until something has moved. */
export function estimateSecondsLeft(start: { atMs: number; value: number }, now: { atMs: number; value: number }, total: number): number | null {
  const done = now.value - start.value;
  const elapsedMs = now.atMs - start.atMs;
  if (done <= 0 || elapsedMs <= 0) return null;
  return ((total - now.value) * elapsedMs) / done / 1000;
}

/** `detail` is a cli-progress format fragment filled from update()'s payload. */
export function createProgressReporter(unit: string, total: number, detail = "{rows} rows", now = () => Date.now()) {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {percentage}% | {value}/{total} ${unit} | ${detail} | {left}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  let start: { atMs: number; value: number } | null = null;
  const left = (value: number) => {
    if (value >= total) return "done";
    const at = { atMs: now(), value };
    if (start === null || start.value === value) start = at; // the clock starts when the work does
    const seconds = estimateSecondsLeft(start, at, total);
    return seconds === null ? "estimating time left" : `${formatSecondsLeft(seconds)} left`;
  };
  // Every placeholder of `detail` starts at 0, so the first line never shows a bare "{rows}".
  const zeros = Object.fromEntries([...detail.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 0]));
  bar.start(total, 0, { ...zeros, left: left(0) });
  let stopped = false;
  return {
    update(value: number, payload: Record<string, unknown> = {}) {
      bar.update(value, { ...payload, left: left(value) });
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
