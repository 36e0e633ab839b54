import { describe, expect, it } from "vitest";
import {
  type FaultLease,
  type LeaseClock,
  type LeaseEnd,
  LeaseKeeper,
  afterFailedRevert,
  dueLeases,
  leaseId,
  nextDue,
  withLease,
  withoutLease,
} from "./fault-leases.ts";

/** A clock the test moves: timers fire when their time is passed, and the reverts they start are awaited. */
function manualClock(start = 1_000_000) {
  let now = start;
  let timers: { at: number; run: () => void }[] = [];
  const clock: LeaseClock = {
    now: () => now,
    setTimer: (run, ms) => {
      const t = { at: now + ms, run };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => void (timers = timers.filter((x) => x !== t)),
  };
  return {
    clock,
    pending: () => timers.length,
    async advance(ms: number, keeper: LeaseKeeper) {
      const until = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        now = next.at;
        timers = timers.filter((t) => t !== next);
        next.run();
        await new Promise((r) => setImmediate(r));
        await keeper.idle();
      }
      now = until;
    },
  };
}

function keeperWith(clock: LeaseClock) {
  const log: string[] = [];
  const keeper = new LeaseKeeper({
    clock,
    onReverted: (l: FaultLease, why: LeaseEnd) => log.push(`reverted ${l.id} (${why})`),
    onRevertFailed: (l: FaultLease, error: string) => log.push(`failed ${l.id}: ${error}`),
  });
  return { keeper, log };
}

const lease = (over: Partial<FaultLease>): FaultLease => ({
  id: "pause:clinical",
  kind: "pause",
  target: "clinical",
  takenBy: "usr-sre",
  takenAt: 0,
  deadlineAt: 10,
  dueAt: 10,
  failedAttempts: 0,
  lastError: null,
  ...over,
});

describe("the lease table", () => {
  it("lists due leases with paused processes first, and knows the next deadline", () => {
    let table = withLease(new Map(), lease({ id: "faults:billing", kind: "faults", target: "billing", dueAt: 5 }));
    table = withLease(table, lease({ dueAt: 8 }));
    table = withLease(table, lease({ id: "pause:gateway", target: "gateway", dueAt: 30 }));
    expect(dueLeases(table, 10).map((l) => l.id)).toEqual(["pause:clinical", "faults:billing"]);
    expect(nextDue(table)).toBe(5);
    expect(nextDue(withoutLease(withoutLease(table, "faults:billing"), "pause:clinical"))).toBe(30);
    expect(nextDue(new Map())).toBeNull();
  });

  it("retries a failed revert after 1, 2, 4 ... seconds, never more than 30 s apart", () => {
    let l = lease({});
    const gaps = Array.from({ length: 8 }, () => {
      l = afterFailedRevert(l, 100, "refused");
      return l.dueAt - 100;
    });
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(l).toMatchObject({ failedAttempts: 8, lastError: "refused", deadlineAt: 10 });
  });
});

describe("the deadman", () => {
  it("reverts a lease at its deadline by itself, and not a moment before", async () => {
    const c = manualClock();
    const { keeper, log } = keeperWith(c.clock);
    let resumed = 0;
    keeper.take({ kind: "pause", target: "clinical", takenBy: "usr-sre", deadlineAt: c.clock.now() + 3000 }, async () => void resumed++);
    await c.advance(2999, keeper);
    expect([resumed, keeper.list().length]).toEqual([0, 1]);
    await c.advance(1, keeper);
    expect([resumed, keeper.list().length, c.pending()]).toEqual([1, 0, 0]);
    expect(log).toEqual(["reverted pause:clinical (deadline)"]);
  });

  it("keeps trying a revert that fails until it succeeds, showing the last error meanwhile", async () => {
    const c = manualClock();
    const { keeper, log } = keeperWith(c.clock);
    let attempts = 0;
    keeper.take({ kind: "faults", target: "billing", takenBy: "usr-sre", deadlineAt: c.clock.now() + 1000 }, async () => {
      if (++attempts < 3) throw new Error("connection refused");
    });
    await c.advance(1000, keeper);
    expect(keeper.list()[0]).toMatchObject({ failedAttempts: 1, lastError: "connection refused" });
    await c.advance(1000, keeper); // first retry after 1 s: fails again
    await c.advance(1999, keeper);
    expect(attempts).toBe(2);
    await c.advance(1, keeper); // second retry 2 s later: succeeds
    expect([attempts, keeper.list()]).toEqual([3, []]);
    expect(log).toEqual(["failed faults:billing: connection refused", "failed faults:billing: connection refused", "reverted faults:billing (deadline)"]);
  });

  it("does not revert a lease its taker released, and a new lease on the same process replaces the old one", async () => {
    const c = manualClock();
    const { keeper } = keeperWith(c.clock);
    const reverted: string[] = [];
    const first = keeper.take(
      { kind: "pause", target: "clinical", takenBy: "usr-a", deadlineAt: c.clock.now() + 1000 },
      async () => void reverted.push("first"),
    );
    keeper.take({ kind: "pause", target: "clinical", takenBy: "usr-b", deadlineAt: c.clock.now() + 5000 }, async () => void reverted.push("second"));
    expect(keeper.list()).toHaveLength(1);
    await c.advance(1000, keeper);
    expect(reverted).toEqual([]);
    expect(keeper.release(first.id)?.takenBy).toBe("usr-b");
    await c.advance(10_000, keeper);
    expect([reverted, c.pending()]).toEqual([[], 0]);
  });

  it("reverts every lease at once on an emergency stop, resuming processes before clearing faults", async () => {
    const c = manualClock();
    const { keeper, log } = keeperWith(c.clock);
    const order: string[] = [];
    const now = c.clock.now();
    keeper.take({ kind: "faults", target: "clinical", takenBy: "usr-sre", deadlineAt: now + 600_000 }, async () => void order.push("clear clinical"));
    keeper.take({ kind: "pause", target: "clinical", takenBy: "usr-sre", deadlineAt: now + 900_000 }, async () => void order.push("resume clinical"));
    keeper.take({ kind: "faults", target: "billing", takenBy: "usr-sre", deadlineAt: now + 60_000 }, async () => {
      order.push("clear billing");
      throw new Error("billing did not answer");
    });
    const outcomes = await keeper.revertAll("emergency-stop");
    expect(order).toEqual(["resume clinical", "clear billing", "clear clinical"]);
    expect(outcomes.map((o) => [o.lease.id, o.ok])).toEqual([
      ["pause:clinical", true],
      ["faults:billing", false],
      ["faults:clinical", true],
    ]);
    expect(log).toContain("reverted pause:clinical (emergency-stop)");
    // The one that failed stays, and the deadman tries it again a second later.
    expect(keeper.list().map((l) => l.id)).toEqual([leaseId("faults", "billing")]);
    await c.advance(1000, keeper);
    expect(order.filter((o) => o === "clear billing")).toHaveLength(2);
  });

  it("runs a revert once when the deadline and an emergency stop meet", async () => {
    const c = manualClock();
    const { keeper } = keeperWith(c.clock);
    let runs = 0;
    let finish!: () => void;
    keeper.take({ kind: "pause", target: "gateway", takenBy: "usr-sre", deadlineAt: c.clock.now() + 100 }, () => {
      runs++;
      return new Promise<void>((r) => (finish = r));
    });
    const advancing = c.advance(100, keeper);
    await new Promise((r) => setImmediate(r));
    const stopping = keeper.revertAll("emergency-stop");
    finish();
    await Promise.all([advancing, stopping]);
    expect([runs, keeper.list()]).toEqual([1, []]);
  });
});
