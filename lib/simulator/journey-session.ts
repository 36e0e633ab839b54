// One journey as a virtual user walks it: its steps go out one after another (each when the previous one
// has answered and the user has thought), all under one W3C trace, each timed twice (journey-stats.ts).
// A step that the user would see fail (5xx, 429, an unexpected 4xx, a timeout, a broken connection) ends
// the journey as failed, with its reason.
import { randomBytes, randomUUID } from "node:crypto";
import type { Pool } from "undici";
import { type LatencyDistribution, sampleLatency } from "../faults/fault-rules.ts";
import type { FailureReason, JourneyStats } from "./journey-stats.ts";

export class JourneyFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    /** A 503's Retry-After: how long the lab asked this persona's clients to wait. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "JourneyFailure";
  }
}

/** A journey cut short because its simulation was stopped: neither a success nor a failure. */
export class JourneyCancelled extends Error {
  constructor() {
    super("the simulation was stopped");
    this.name = "JourneyCancelled";
  }
}

export interface StepRequest {
  method: "GET" | "POST" | "PATCH";
  path: string;
  body?: unknown;
  /** If-Match, for updates. */
  version?: number;
  /** Non-2xx statuses this step takes in its stride (a claim someone else just took: 409). */
  accept?: readonly number[];
}

export interface StepAnswer {
  status: number;
  // Flows read the few fields they need from the lab's JSON answers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface JourneySessionOptions {
  pool: Pool;
  stats: JourneyStats;
  /** performance.now() at which the journey was due. */
  dueAt: number;
  thinkTime: LatencyDistribution;
  random: () => number;
  requestTimeoutMs: number;
  /** Whether the journey's trace is sampled (the gateway then records every span of it). */
  sampled: boolean;
  /** Prefix of each step's x-request-id, so the audit trail finds the simulator's requests. */
  requestIdPrefix: string;
  /** Aborted when the simulation is stopped: requests in flight and think times end at once. */
  signal?: AbortSignal;
}

export class JourneySession {
  private intendedAt: number;
  private token: string | null = null;
  private stepNo = 0;
  /** What the user spent waiting for answers (each step from its due time): the journey's client-side latency. */
  waitedMs = 0;
  readonly traceId = randomBytes(16).toString("hex");

  constructor(private readonly o: JourneySessionOptions) {
    this.intendedAt = o.dueAt;
  }

  get random(): () => number {
    return this.o.random;
  }

  /** This journey's own name in the lab (its run and number): unique where a seeded draw repeats. */
  get journeyId(): string {
    return this.o.requestIdPrefix;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new JourneyFailure("rejected", "nothing to pick from");
    return items[Math.floor(this.o.random() * items.length)]!;
  }

  /** The virtual user's bearer token for the steps that follow. */
  signIn(token: string): void {
    this.token = token;
  }

  async step(request: StepRequest): Promise<StepAnswer> {
    const sentAt = performance.now();
    const headers: Record<string, string> = {
      traceparent: `00-${this.traceId}-${randomBytes(8).toString("hex")}-${this.o.sampled ? "01" : "00"}`,
      "x-request-id": `${this.o.requestIdPrefix}-${++this.stepNo}`,
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (request.version !== undefined) headers["if-match"] = `"${request.version}"`;
    let body: string | undefined;
    if (request.method !== "GET") {
      body = JSON.stringify(request.body ?? {});
      headers["content-type"] = "application/json";
      headers["idempotency-key"] = randomUUID();
    }
    let answer: StepAnswer;
    let retryAfter: string | string[] | undefined;
    try {
      const res = await this.o.pool.request({
        method: request.method,
        path: request.path,
        headers,
        body,
        headersTimeout: this.o.requestTimeoutMs,
        bodyTimeout: this.o.requestTimeoutMs,
        signal: this.o.signal,
      });
      answer = { status: res.statusCode, body: await res.body.text() };
      retryAfter = res.headers["retry-after"];
    } catch (err) {
      if (this.o.signal?.aborted) throw new JourneyCancelled();
      this.finishStep(sentAt);
      const code = (err as { code?: string }).code ?? "";
      throw new JourneyFailure(/TIMEOUT/.test(code) ? "timeout" : "network", `${request.method} ${request.path}: ${code || (err as Error).name}`);
    }
    this.finishStep(sentAt);
    // Parsed outside the transport's errors: a broken body is the server's fault (and its text stays out of messages).
    if (answer.body.startsWith("{") || answer.body.startsWith("[")) {
      try {
        answer.body = JSON.parse(answer.body);
      } catch {
        throw new JourneyFailure(
          answer.status < 500 ? "rejected" : "server-error",
          `${request.method} ${request.path}: ${answer.status} with a body that is not JSON`,
        );
      }
    }
    const ok = (answer.status >= 200 && answer.status < 300) || request.accept?.includes(answer.status);
    if (!ok) {
      const reason: FailureReason = answer.status >= 500 ? "server-error" : answer.status === 429 ? "rate-limited" : "rejected";
      throw new JourneyFailure(reason, `${request.method} ${request.path}: ${answer.status}`, answer.status === 503 ? retryAfterMs(retryAfter) : null);
    }
    return answer;
  }

  /** The user reads the answer before the next step; the next step is due when the thinking ends. */
  async think(): Promise<void> {
    this.intendedAt += sampleLatency(this.o.thinkTime, this.o.random);
    const wait = this.intendedAt - performance.now();
    if (wait <= 0) return;
    const signal = this.o.signal;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", cancel);
        resolve();
      }, wait);
      const cancel = () => {
        clearTimeout(timer);
        reject(new JourneyCancelled());
      };
      if (signal?.aborted) cancel();
      else signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  private finishStep(sentAt: number): void {
    const now = performance.now();
    // From the step's due time when it went out late (the user waited for the lab behind the schedule too),
    // from its sending when a timer fired it a little early: a wait is never negative.
    const waited = now - Math.min(this.intendedAt, sentAt);
    this.o.stats.recordRequest(waited, now - sentAt);
    this.waitedMs += waited;
    this.intendedAt = now;
  }
}

/** Retry-After in delay-seconds (the lab's gateway sends no dates), at most a minute; null when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return null;
  return Math.min(60, Number(value)) * 1000;
}
