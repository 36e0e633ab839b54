// The deadman: every fault the supervisor applies (a paused process, fault rules on a service, a session
// holding a shard's write lock) is a lease
// with a deadline and a revert action. A timer reverts each lease at its deadline whoever asked for it and
// whether or not they are still there; a revert that fails is tried again, later, until it succeeds; an
// emergency stop reverts every lease at once. The table is plain data; the keeper takes a clock.

export type LeaseKind = "pause" | "crash-loop" | "faults" | "shard-lock";

export interface FaultLease {
  id: string;
  kind: LeaseKind;
  /** The lab process the fault is on. */
  target: string;
  takenBy: string;
  takenAt: number;
  deadlineAt: number;
  /** When the next revert is due: the deadline, or later after a revert failed. */
  dueAt: number;
  failedAttempts: number;
  lastError: string | null;
}

export type LeaseTable = ReadonlyMap<string, FaultLease>;

/** One lease per kind and process: a new pause or fault switch on a process replaces the one before. */
export const leaseId = (kind: LeaseKind, target: string) => `${kind}:${target}`;

export function withLease(table: LeaseTable, lease: FaultLease): LeaseTable {
  return new Map(table).set(lease.id, lease);
}

export function withoutLease(table: LeaseTable, id: string): LeaseTable {
  const next = new Map(table);
  next.delete(id);
  return next;
}

/**
 * Paused processes are resumed before faults are cleared (a stopped service cannot take the DELETE), and
 * crash loops ended before that too (their restart takes a service's fault rules with it).
 */
const REVERT_ORDER: Record<LeaseKind, number> = { pause: 0, "crash-loop": 1, faults: 2, "shard-lock": 3 };
export function revertOrder(leases: Iterable<FaultLease>): FaultLease[] {
  return [...leases].sort((a, b) => REVERT_ORDER[a.kind] - REVERT_ORDER[b.kind] || a.dueAt - b.dueAt);
}

export function dueLeases(table: LeaseTable, now: number): FaultLease[] {
  return revertOrder([...table.values()].filter((l) => l.dueAt <= now));
}

export function nextDue(table: LeaseTable): number | null {
  let next: number | null = null;
  for (const l of table.values()) if (next === null || l.dueAt < next) next = l.dueAt;
  return next;
}

export const REVERT_RETRY_MAX_MS = 30_000;

/** A failed revert is due again after 1 s, 2 s, 4 s ... up to 30 s: the deadman never gives up. */
export function afterFailedRevert(lease: FaultLease, now: number, error: string): FaultLease {
  const failedAttempts = lease.failedAttempts + 1;
  return { ...lease, failedAttempts, lastError: error, dueAt: now + Math.min(REVERT_RETRY_MAX_MS, 1000 * 2 ** (failedAttempts - 1)) };
}

export interface LeaseClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

export const systemClock: LeaseClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** Why a lease ended without its taker releasing it. */
export type LeaseEnd = "deadline" | "emergency-stop" | "shutdown";

export interface RevertOutcome {
  lease: FaultLease;
  ok: boolean;
  error?: string;
}

export interface LeaseKeeperOptions {
  clock?: LeaseClock;
  onReverted?: (lease: FaultLease, why: LeaseEnd) => void;
  onRevertFailed?: (lease: FaultLease, error: string, why: LeaseEnd) => void;
}

export class LeaseKeeper {
  private table: LeaseTable = new Map();
  private readonly reverts = new Map<string, () => Promise<void>>();
  private readonly inFlight = new Map<FaultLease, Promise<RevertOutcome>>();
  private timer: unknown = null;
  private readonly clock: LeaseClock;

  constructor(private readonly options: LeaseKeeperOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Takes a lease that `revert` ends at `deadlineAt` (replacing the process's lease of that kind). */
  take(what: { kind: LeaseKind; target: string; takenBy: string; deadlineAt: number }, revert: () => Promise<void>): FaultLease {
    const lease: FaultLease = {
      ...what,
      id: leaseId(what.kind, what.target),
      takenAt: this.clock.now(),
      dueAt: what.deadlineAt,
      failedAttempts: 0,
      lastError: null,
    };
    this.table = withLease(this.table, lease);
    this.reverts.set(lease.id, revert);
    this.arm();
    return lease;
  }

  /** Ends a lease without reverting it: its taker (or an SRE) undid the fault already. */
  release(id: string): FaultLease | null {
    const lease = this.table.get(id) ?? null;
    this.table = withoutLease(this.table, id);
    this.reverts.delete(id);
    this.arm();
    return lease;
  }

  list(): FaultLease[] {
    return [...this.table.values()].sort((a, b) => a.deadlineAt - b.deadlineAt);
  }

  /** Reverts every lease now (emergency stop, shutdown); one that fails stays, due again shortly. */
  async revertAll(why: LeaseEnd): Promise<RevertOutcome[]> {
    const outcomes: RevertOutcome[] = [];
    for (const lease of revertOrder(this.table.values())) outcomes.push(await this.revert(lease, why));
    this.arm();
    return outcomes;
  }

  /** Resolves once no revert is running (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  close(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private revert(lease: FaultLease, why: LeaseEnd): Promise<RevertOutcome> {
    const running = this.inFlight.get(lease);
    if (running) return running;
    const revert = this.reverts.get(lease.id)!;
    const outcome = (async (): Promise<RevertOutcome> => {
      try {
        await revert();
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        // Only the lease we tried: a new one taken meanwhile keeps its own deadline.
        if (this.table.get(lease.id) === lease) this.table = withLease(this.table, afterFailedRevert(lease, this.clock.now(), error));
        this.options.onRevertFailed?.(lease, error, why);
        return { lease, ok: false, error };
      }
      if (this.table.get(lease.id) === lease) {
        this.table = withoutLease(this.table, lease.id);
        this.reverts.delete(lease.id);
      }
      this.options.onReverted?.(lease, why);
      return { lease, ok: true };
    })();
    this.inFlight.set(lease, outcome);
    void outcome.finally(() => this.inFlight.delete(lease));
    return outcome;
  }

  private arm(): void {
    this.close();
    const due = nextDue(this.table);
    if (due === null) return;
    // setTimeout holds at most 2^31-1 ms; a later deadline is re-armed when that timer fires.
    const ms = Math.min(2 ** 31 - 1, Math.max(0, due - this.clock.now()));
    this.timer = this.clock.setTimer(() => void this.fire(), ms);
  }

  private async fire(): Promise<void> {
    this.timer = null;
    // One at a time, in revert order: a process is resumed before its service's faults are cleared.
    for (const lease of dueLeases(this.table, this.clock.now())) await this.revert(lease, "deadline");
    this.arm();
  }
}
