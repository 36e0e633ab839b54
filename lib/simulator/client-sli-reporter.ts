// Sends the simulator's finished journeys to the gateway's SLO engine (POST /_lab/slis) as client-side
// SLIs: what users saw, timeouts and broken connections included, which the server side cannot count.
// Outcomes are batched; a failed post keeps them for the next one, up to a bound (then the oldest go,
// counted, so a long gateway outage cannot grow the simulator without limit). A post that timed out after
// the gateway took it is sent again: at-least-once, so an outage can count a batch twice. A batch the
// gateway refuses (a 4xx other than 401, 408 or 429) would be refused again: it is dropped and counted, never
// retried, so one bad outcome cannot hold back every client SLI after it.
import { request } from "undici";
import { JOURNEY_IDS } from "../slo/journeys.ts";
import type { JourneyOutcome } from "./simulation-run.ts";

const MAX_PER_POST = 10_000;

export interface ClientSliReporterOptions {
  origin: string;
  token: () => Promise<string>;
  flushEveryMs?: number;
  maxBuffered?: number;
  onError?: (err: Error) => void;
}

export class ClientSliReporter {
  private buffer: JourneyOutcome[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  sent = 0;
  lost = 0;
  /** Outcomes in batches the gateway refused: a bug of ours, reported through onError. */
  refused = 0;

  constructor(private readonly o: ClientSliReporterOptions) {
    this.timer = setInterval(() => void this.flush(), o.flushEveryMs ?? 5000);
    this.timer.unref();
  }

  record(outcome: JourneyOutcome): void {
    if (!JOURNEY_IDS.has(outcome.journey)) return; // a bench's own flows are nobody's SLO
    this.buffer.push(outcome);
    this.bound();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      while (this.buffer.length > 0) {
        // Out of the buffer while in flight, so trimming it meanwhile can only drop what was not sent.
        const batch = this.buffer.splice(0, MAX_PER_POST);
        try {
          await this.post(batch);
        } catch (err) {
          this.o.onError?.(err as Error);
          if (err instanceof BatchRefused) {
            this.refused += batch.length;
            continue;
          }
          this.buffer.unshift(...batch); // kept for the next flush
          this.bound();
          return;
        }
        this.sent += batch.length;
      }
    });
    return this.flushing;
  }

  /** A last flush; what still could not be delivered is counted lost. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.lost += this.buffer.length;
    this.buffer = [];
  }

  private bound(): void {
    const max = this.o.maxBuffered ?? 200_000;
    if (this.buffer.length > max) {
      this.lost += this.buffer.length - max;
      this.buffer.splice(0, this.buffer.length - max);
    }
  }

  private async post(batch: readonly JourneyOutcome[]): Promise<void> {
    const body = JSON.stringify({
      outcomes: batch.map((o) => ({ journey: o.journey, at: o.at.toISOString(), ok: o.ok, latencyMs: Math.min(600_000, Math.round(o.latencyMs * 10) / 10) })),
    });
    const res = await request(`${this.o.origin}/_lab/slis`, {
      method: "POST",
      headers: { authorization: `Bearer ${await this.o.token()}`, "content-type": "application/json" },
      body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    if (res.statusCode < 300) return;
    const message = `POST /_lab/slis answered ${res.statusCode}: ${text.slice(0, 300)}`;
    const again = res.statusCode >= 500 || res.statusCode === 408 || res.statusCode === 429 || res.statusCode === 401;
    throw again ? new Error(message) : new BatchRefused(message);
  }
}

/** The gateway will never take this batch as it is. */
export class BatchRefused extends Error {}
