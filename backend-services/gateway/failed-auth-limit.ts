// Callers without a valid token are limited by address before their token is even looked at, so token
// guessing and verification floods meet the same ceiling as authenticated personas.
export class FailedAuthLimit {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs = 60_000,
  ) {}

  private window(key: string, now: number) {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) for (const [k, old] of this.windows) if (now - old.start >= this.windowMs) this.windows.delete(k);
      w = { start: now, failures: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  /** Seconds until the address may try again, or 0 when it may now. */
  blockedFor(key: string, now = Date.now()): number {
    const w = this.window(key, now);
    return w.failures >= this.maxPerWindow ? Math.ceil((w.start + this.windowMs - now) / 1000) : 0;
  }

  fail(key: string, now = Date.now()): void {
    this.window(key, now).failures++;
  }
}
