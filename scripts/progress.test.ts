import { describe, expect, it } from "vitest";
import { estimateSecondsLeft, formatSecondsLeft } from "./progress.ts";

describe("progress: time left", () => {
  it("estimates from the rate since the work started, and says nothing before anything moved", () => {
    expect(estimateSecondsLeft({ atMs: 0, value: 0 }, { atMs: 0, value: 0 }, 100)).toBeNull();
    expect(estimateSecondsLeft({ atMs: 1_000, value: 0 }, { atMs: 1_000, value: 0 }, 100)).toBeNull();
    expect(estimateSecondsLeft({ atMs: 1_000, value: 0 }, { atMs: 3_000, value: 25 }, 100)).toBe(6);
    expect(estimateSecondsLeft({ atMs: 0, value: 10 }, { atMs: 10_000, value: 60 }, 110)).toBe(10);
  });

  it("words seconds, minutes and hours as a person reads them", () => {
    expect(formatSecondsLeft(44.6)).toBe("45 s");
    expect(formatSecondsLeft(185)).toBe("3 min 05 s");
    expect(formatSecondsLeft(3_720)).toBe("1 h 02 min");
    expect(formatSecondsLeft(-3)).toBe("0 s");
  });
});
