import { describe, expect, it } from "vitest";
import { SliRecorder } from "./sli-recorder.ts";

describe("SLI recorder", () => {
  it("counts per minute, journey and side, with cumulative latency bounds", () => {
    const r = new SliRecorder();
    const minute = 29_000_000;
    r.record("clinician/prescribe", "server", minute * 60_000 + 5, true, 30);
    r.record("clinician/prescribe", "server", minute * 60_000 + 59_999, false, 700);
    r.record("clinician/prescribe", "client", minute * 60_000 + 1, true, 10);
    r.record("clinician/prescribe", "server", (minute + 1) * 60_000, true, 20_000);
    const rollups = r.drain().sort((a, b) => a.minute - b.minute || a.source.localeCompare(b.source));
    expect(rollups.map((x) => [x.minute - minute, x.source, x.total, x.errors, x.within])).toEqual([
      [0, "client", 1, 0, [1, 1, 1, 1, 1, 1, 1, 1, 1]],
      [0, "server", 2, 1, [0, 1, 1, 1, 1, 2, 2, 2, 2]],
      [1, "server", 1, 0, [0, 0, 0, 0, 0, 0, 0, 0, 0]], // slower than every bound
    ]);
    expect(r.drain()).toEqual([]);
  });

  it("takes back rollups a failed write could not store, adding them to what came since", () => {
    const r = new SliRecorder();
    r.record("patient/view-record", "server", 0, true, 5);
    const failed = r.drain();
    r.record("patient/view-record", "server", 1000, false, 5);
    r.restore(failed);
    expect(r.drain()).toEqual([{ minute: 0, journey: "patient/view-record", source: "server", total: 2, errors: 1, within: [2, 2, 2, 2, 2, 2, 2, 2, 2] }]);
  });
});
