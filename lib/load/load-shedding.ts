// The gateway's load shedding, an on-call lever: a cap on the API requests in flight through the gateway,
// of every caller or of some personas only. A request over the cap is answered at once with 503 and
// Retry-After instead of queueing behind the rest, so those admitted are served in time while a surge
// lasts. Scoped to the personas whose rush it is, it sacrifices their availability for everyone else's, as
// criticality-based shedding at a real edge does. Off unless set; it ends by itself at its deadline, and
// every change is an entry in the control audit chain with an annotation.
import { z } from "zod";
import { recordOnTimeline } from "../audit/control-timeline.ts";
import { authorize } from "../auth/policy.ts";
import { ROLES, type Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";

export const LoadSheddingInput = z.strictObject({
  /** API requests the gateway lets through at once; the rest get 503 until one finishes. */
  maxInFlight: z.number().int().min(1).max(10_000),
  /** Whose requests the cap counts and sheds; everyone's when not given. */
  personas: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
  durationSeconds: z.number().int().min(10).max(3600).default(900),
});
export type LoadSheddingInput = z.infer<typeof LoadSheddingInput>;

export interface LoadSheddingStatus {
  /** The cap in force, or null when nothing is shed. */
  maxInFlight: number | null;
  /** The personas it counts and sheds (null: everyone). */
  personas: string[] | null;
  until: string | null;
  setBy: string | null;
  inFlight: number;
  /** Requests answered 503 since the cap was set. */
  shed: number;
  admitted: number;
}

interface Meta {
  requestId: string;
  traceId: string | null;
  now?: Date;
}

export class LoadShedding {
  private cap: { maxInFlight: number; personas: string[] | null; until: number; setBy: string } | null = null;
  private inFlight = 0;
  /** In flight of the requests the cap counts, since it was set (its generation). */
  private counted = 0;
  private generation = 0;
  private shed = 0;
  private admitted = 0;

  constructor(private readonly control: SqlDatabase) {}

  /**
   * Whether a request of this persona may go on; one that may must call the release it gets when it is
   * answered (a second call does nothing).
   */
  admit(persona: string | null, now = Date.now()): (() => void) | null {
    if (this.cap && this.cap.until <= now) this.cap = null;
    const counts = this.cap !== null && (this.cap.personas === null || (persona !== null && this.cap.personas.includes(persona)));
    if (counts && this.counted >= this.cap!.maxInFlight) {
      this.shed++;
      return null;
    }
    this.inFlight++;
    if (counts) {
      this.counted++;
      this.admitted++;
    }
    const generation = this.generation;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      // Counted under this cap only: a cap set since starts its count afresh.
      if (counts && generation === this.generation) this.counted--;
    };
  }

  status(now = Date.now()): LoadSheddingStatus {
    if (this.cap && this.cap.until <= now) this.cap = null;
    return {
      maxInFlight: this.cap?.maxInFlight ?? null,
      personas: this.cap?.personas ?? null,
      until: this.cap ? new Date(this.cap.until).toISOString() : null,
      setBy: this.cap?.setBy ?? null,
      inFlight: this.inFlight,
      shed: this.shed,
      admitted: this.admitted,
    };
  }

  async set(actor: Actor, input: LoadSheddingInput, meta: Meta): Promise<LoadSheddingStatus> {
    const now = meta.now ?? new Date();
    this.authorized(actor);
    const until = now.getTime() + input.durationSeconds * 1000;
    const personas = input.personas ?? null;
    await this.record(actor, meta, now, true, { maxInFlight: input.maxInFlight, personas, durationSeconds: input.durationSeconds }, new Date(until));
    // The requests in flight were admitted under no cap or another one: this cap counts from now.
    this.generation++;
    this.counted = 0;
    this.cap = { maxInFlight: input.maxInFlight, personas, until, setBy: actor.userId };
    this.shed = 0;
    this.admitted = 0;
    return this.status(now.getTime());
  }

  async clear(actor: Actor, meta: Meta): Promise<LoadSheddingStatus> {
    const now = meta.now ?? new Date();
    this.authorized(actor);
    await this.record(actor, meta, now, false, { shed: this.shed, admitted: this.admitted }, null);
    this.cap = null;
    return this.status(now.getTime());
  }

  private authorized(actor: Actor): void {
    const decision = authorize(actor, "traffic.shed");
    if (!decision.allowed) throw new LabError("forbidden", decision.reason);
  }

  private record(actor: Actor, meta: Meta, now: Date, on: boolean, details: Record<string, unknown>, endAt: Date | null): Promise<void> {
    const whose = Array.isArray(details.personas) ? `${(details.personas as string[]).join(", ")} requests` : "requests";
    const title = on ? `gateway: load shedding on, at most ${String(details.maxInFlight)} ${whose} in flight` : "gateway: load shedding off";
    return recordOnTimeline(
      this.control,
      {
        occurredAt: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: on ? "traffic.shed-on" : "traffic.shed-off",
        entityType: "LoadShedding",
        entityId: "gateway",
        patientId: null,
        requestId: meta.requestId,
        traceId: meta.traceId,
        outcome: "success",
        details,
      },
      { endAt, kind: "operator", title, body: JSON.stringify(details), tags: JSON.stringify(["load-shedding", "service:gateway"]), drillRunId: null },
    );
  }
}
