// A trace's log lines from the lab's process logs (<data dir>/logs/<process>.log, JSON lines that carry
// traceId; PHI-named fields are already hidden when written). Only the tail of each file is read: the
// portal asks about recent traces, and a long-running lab's logs must not be read whole per request.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
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

function tail(file: string, bytes: number): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Every line of the trace in the last `tailBytes` of each process log, oldest first, at most `limit`. */
export function traceLogLines(logDir: string, traceId: string, options: { tailBytes?: number; limit?: number } = {}): TraceLogLine[] {
  let files: string[];
  try {
    files = readdirSync(logDir).filter((f) => f.endsWith(".log"));
  } catch {
    return [];
  }
  const lines: TraceLogLine[] = [];
  for (const file of files) {
    for (const raw of tail(join(logDir, file), options.tailBytes ?? 8 * 1024 * 1024).split("\n")) {
      if (!raw.includes(traceId)) continue; // cheap before parsing
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (entry.traceId !== traceId) continue;
      const fields: TraceLogLine["fields"] = {};
      for (const key of SHOWN) {
        const v = entry[key];
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") fields[key] = v;
        else if (v && typeof v === "object" && "message" in v) fields[key] = String((v as { message: unknown }).message);
      }
      lines.push({
        process: file.slice(0, -4),
        time: new Date(Number(entry.time)).toISOString(),
        level: LEVELS[Number(entry.level)] ?? String(entry.level),
        msg: String(entry.msg ?? ""),
        fields,
      });
    }
  }
  return lines.sort((a, b) => a.time.localeCompare(b.time)).slice(0, options.limit ?? 200);
}
