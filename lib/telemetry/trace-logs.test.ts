import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { searchLogLines, traceLogLines } from "./trace-logs.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe("a trace's log lines", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pimlab-trace-logs-"));
    writeFileSync(
      join(dir, "gateway.log"),
      [
        "--- 2026-11-24T20:28:15.767Z supervisor: starting gateway ---",
        line({
          level: 30,
          time: Date.UTC(2026, 10, 24, 20, 30, 0, 5),
          service: "gateway",
          requestId: "req-1",
          traceId: TRACE,
          spanId: "b7ad6b7169203331",
          method: "POST",
          route: "/patients",
          status: 201,
          ms: 12,
          msg: "request",
        }),
        line({ level: 30, time: Date.UTC(2026, 10, 24, 20, 30, 1), traceId: "ffffffffffffffffffffffffffffffff", msg: "another trace" }),
        `{"broken json ${TRACE}`,
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "clinical.log"),
      line({
        level: 50,
        time: Date.UTC(2026, 10, 24, 20, 30, 0, 1),
        traceId: TRACE,
        err: { message: "shard-2 is down" },
        givenName: "[redacted]",
        msg: "write failed",
      }),
    );
    writeFileSync(join(dir, "notes.txt"), line({ traceId: TRACE, msg: "not a process log" }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the trace's lines in every process log, oldest first, with their level and the known fields only", async () => {
    const lines = await traceLogLines(dir, TRACE);
    expect(lines).toEqual([
      { process: "clinical", time: "2026-11-24T20:30:00.001Z", level: "error", msg: "write failed", fields: { err: "shard-2 is down" } },
      {
        process: "gateway",
        time: "2026-11-24T20:30:00.005Z",
        level: "info",
        msg: "request",
        fields: { requestId: "req-1", spanId: "b7ad6b7169203331", method: "POST", route: "/patients", status: 201, ms: 12 },
      },
    ]);
  });

  it("reads only each file's tail, skips a line without a usable time, and answers nothing for a missing log directory", async () => {
    expect((await traceLogLines(dir, TRACE, { tailBytes: 300 })).map((l) => l.process)).toEqual(["clinical"]);
    writeFileSync(join(dir, "projector.log"), line({ level: 30, time: "soon", traceId: TRACE, msg: "no usable time" }));
    expect((await traceLogLines(dir, TRACE)).map((l) => l.process)).toEqual(["clinical", "gateway"]);
    expect(await traceLogLines(join(dir, "none"), TRACE)).toEqual([]);
  });

  it("searches every trace's lines by process, least level and text, keeping the newest and saying each line's trace", async () => {
    const errors = await searchLogLines(dir, { level: "warn" });
    expect(errors.map((l) => [l.process, l.msg, l.fields.traceId])).toEqual([["clinical", "write failed", TRACE]]);
    expect((await searchLogLines(dir, { process: "gateway" })).map((l) => l.msg)).toEqual(["request", "another trace"]);
    expect((await searchLogLines(dir, { text: "SHARD-2" })).map((l) => l.fields.err)).toEqual(["shard-2 is down"]);
    expect((await searchLogLines(dir, {}, { limit: 1 })).map((l) => l.msg)).toEqual(["another trace"]);
    expect(await searchLogLines(dir, { since: new Date(Date.UTC(2026, 10, 24, 20, 31)) })).toEqual([]);
  });
});
