// A trace's log lines from the lab's process logs (<data dir>/logs/<process>.log, JSON lines that carry
// traceId; PHI-named fields are already hidden when written). Only the tail of each file is read, without
// blocking: the gateway serves this beside the lab's traffic, and the portal asks about recent traces.
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";

export interface TraceLogLine {
  process: string;
  time: string;
  level: string;
  msg: string;
  fields: Record<string, string | number | boolean>;
}

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
const SHOWN = ["requestId", "spanId", "method", "route", "status", "ms", "shard", "err"];

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

function parse(process: string, raw: string, traceId: string): TraceLogLine | null {
  if (!raw.includes(traceId)) return null; // cheap before parsing
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
  const time = Number(entry.time);
  if (entry.traceId !== traceId || !Number.isFinite(time)) return null;
  const fields: TraceLogLine["fields"] = {};
  for (const key of SHOWN) {
    const v = entry[key];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") fields[key] = v;
    else if (v && typeof v === "object" && "message" in v) fields[key] = String((v as { message: unknown }).message);
  }
  return { process, time: new Date(time).toISOString(), level: LEVELS[Number(entry.level)] ?? String(entry.level), msg: String(entry.msg ?? ""), fields };
}

/** Every line of the trace in the last `tailBytes` of each process log, oldest first, at most `limit`. */
export async function traceLogLines(logDir: string, traceId: string, options: { tailBytes?: number; limit?: number } = {}): Promise<TraceLogLine[]> {
  const files = await readdir(logDir).then(
    (names) => names.filter((f) => f.endsWith(".log")),
    () => [] as string[],
  );
  const perFile = await Promise.all(
    files.map(async (file) => {
      // A log rotated or removed meanwhile has nothing to say about the trace.
      const text = await tail(join(logDir, file), options.tailBytes ?? 2 * 1024 * 1024).catch(() => "");
      return text.split("\n").flatMap((raw) => parse(file.slice(0, -4), raw, traceId) ?? []);
    }),
  );
  return perFile
    .flat()
    .sort((a, b) => a.time.localeCompare(b.time))
    .slice(0, options.limit ?? 200);
}
