// The lab's process logs searched (<data dir>/logs/<process>.log, JSON lines that carry traceId;
// PHI-named fields are already hidden when written): a trace's lines, or lines by process, level and text.
// Only the tail of each file is read, without blocking: the gateway serves this beside the lab's traffic.
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { LOG_LEVELS, type LogLevel } from "./log-levels.ts";

export interface TraceLogLine {
  process: string;
  time: string;
  level: string;
  msg: string;
  fields: Record<string, string | number | boolean>;
}

const levelName = (v: unknown): string => LOG_LEVELS[Number(v) / 10 - 1] ?? String(v);
const SHOWN = ["requestId", "spanId", "method", "route", "status", "ms", "shard", "upstream", "upstreamStatus", "err"];

async function tail(file: string, bytes: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } finally {
    await handle.close();
  }
}

/** What a log search asks for: every part optional, all of them must hold. */
export interface LogQuery {
  traceId?: string;
  /** The process whose log to read (its file's name without .log). */
  process?: string;
  /** The least severe level kept: warn keeps warn, error and fatal. */
  level?: LogLevel;
  /** Case-insensitive, in the message or the shown fields. */
  text?: string;
  /** Lines at or after this instant only. */
  since?: Date;
  /** Lines a reader may not see (another's controls) are left out before the limit is taken. */
  hide?: (line: TraceLogLine) => boolean;
}

function parse(process: string, raw: string, q: LogQuery): TraceLogLine | null {
  if (q.traceId && !raw.includes(q.traceId)) return null; // cheap before parsing
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
  const time = Number(entry.time);
  if (!Number.isFinite(time) || (q.traceId && entry.traceId !== q.traceId)) return null;
  if (q.since && time < q.since.getTime()) return null;
  if (q.level && !(Number(entry.level) >= 10 * (LOG_LEVELS.indexOf(q.level) + 1))) return null;
  const fields: TraceLogLine["fields"] = {};
  for (const key of SHOWN) {
    const v = entry[key];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") fields[key] = v;
    else if (v && typeof v === "object" && "message" in v) fields[key] = String((v as { message: unknown }).message);
  }
  // A search across traces says each line's trace, so one can be read whole.
  if (!q.traceId && typeof entry.traceId === "string") fields.traceId = entry.traceId;
  const line = { process, time: new Date(time).toISOString(), level: levelName(entry.level), msg: String(entry.msg ?? ""), fields };
  if (q.text && ![line.msg, ...Object.values(fields).map(String)].some((v) => v.toLowerCase().includes(q.text!.toLowerCase()))) return null;
  return q.hide?.(line) ? null : line;
}

/**
 * The lines of the process logs that answer `q`, in the last `tailBytes` of each log: the newest `limit`
 * of them, oldest first.
 */
export async function searchLogLines(logDir: string, q: LogQuery, options: { tailBytes?: number; limit?: number } = {}): Promise<TraceLogLine[]> {
  const files = await readdir(logDir).then(
    (names) => names.filter((f) => f.endsWith(".log") && (!q.process || f === `${q.process}.log`)),
    () => [] as string[],
  );
  const perFile = await Promise.all(
    files.map(async (file) => {
      // A log rotated or removed meanwhile has nothing to say.
      const text = await tail(join(logDir, file), options.tailBytes ?? 2 * 1024 * 1024).catch(() => "");
      return text.split("\n").flatMap((raw) => parse(file.slice(0, -4), raw, q) ?? []);
    }),
  );
  const limit = options.limit ?? 200;
  const lines = perFile.flat().sort((a, b) => a.time.localeCompare(b.time));
  return lines.slice(Math.max(0, lines.length - limit));
}

/** Every line of the trace in the last `tailBytes` of each process log, oldest first, at most `limit`. */
export async function traceLogLines(logDir: string, traceId: string, options: { tailBytes?: number; limit?: number } = {}): Promise<TraceLogLine[]> {
  return searchLogLines(logDir, { traceId }, options);
}
