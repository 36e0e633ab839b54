// How many tool calls an agent may make: a token bucket per agent (its user and its client's name), so one
// agent in a loop cannot crowd the lab or the audit, and a refusal says when to try again.

export interface CallBudgetOptions {
  /** Calls a minute, sustained. */
  perMinute: number;
  /** Calls at once after a quiet spell. */
  burst: number;
  now?: () => number;
}

export type CallAllowance = { ok: true } | { ok: false; retryAfterMs: number };

export class CallBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly o: CallBudgetOptions) {}

  take(agent: string): CallAllowance {
    const now = (this.o.now ?? Date.now)();
    const perMs = this.o.perMinute / 60_000;
    const last = this.buckets.get(agent) ?? { tokens: this.o.burst, at: now };
    const tokens = Math.min(this.o.burst, last.tokens + (now - last.at) * perMs);
    if (tokens < 1) {
      this.buckets.set(agent, { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
    }
    this.buckets.set(agent, { tokens: tokens - 1, at: now });
    return { ok: true };
  }
}

/** The lab's default: two calls a second sustained, thirty at once. */
export const AGENT_CALL_BUDGET: Omit<CallBudgetOptions, "now"> = { perMinute: 120, burst: 30 };
