// Faults of the event pipeline, switched in the projector process: the relays paused (the outboxes back
// up), the projector slowed before each batch (consumer lag grows), and a share of events failing to
// project (retried, then dead-lettered: the DLQ grows). Off unless set; every setting expires by itself;
// each switch is on the control timeline, like a service's fault switch.
import { z } from "zod";
import { recordOnTimeline } from "../audit/control-timeline.ts";
import { authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";

export const EventFaultsInput = z
  .strictObject({
    relayPaused: z.boolean().default(false),
    /** Delay before the projector takes each batch (at most 10 s: longer would trip the Kafka consumer's stall watchdog). */
    consumerDelayMs: z.number().int().min(0).max(10_000).default(0),
    /** Share of events whose projection fails (each is retried, then dead-lettered). */
    consumerFailRate: z.number().min(0).max(1).default(0),
    durationSeconds: z.number().int().min(1).max(86_400),
  })
  .refine((f) => f.relayPaused || f.consumerDelayMs > 0 || f.consumerFailRate > 0, {
    message: "set at least one of relayPaused, consumerDelayMs, consumerFailRate",
    path: ["relayPaused"],
  });
export type EventFaultsInput = z.infer<typeof EventFaultsInput>;

export interface EventFaultState {
  relayPaused: boolean;
  consumerDelayMs: number;
  consumerFailRate: number;
  expiresAt: Date;
  setBy: string;
}

export class EventFaultSwitch {
  private state: EventFaultState | null = null;

  constructor(
    private readonly control: SqlDatabase,
    /** Told when the relays must pause or go on (the relay worker thread), with the pause's end. */
    private readonly onRelayPause: (untilMs: number | null) => void,
  ) {}

  active(now = Date.now()): EventFaultState | null {
    if (this.state && this.state.expiresAt.getTime() <= now) this.state = null;
    return this.state;
  }

  /** Sets the pipeline's faults, or clears them (null: a rollback, which on-call may do too). */
  async set(actor: Actor, input: EventFaultsInput | null, meta: { requestId: string; traceId: string | null }): Promise<EventFaultState | null> {
    const decision = authorize(actor, input === null ? "config.rollback" : "fault.switch");
    if (!decision.allowed) throw new LabError("forbidden", decision.reason);
    const now = new Date();
    const next = input
      ? {
          relayPaused: input.relayPaused,
          consumerDelayMs: input.consumerDelayMs,
          consumerFailRate: input.consumerFailRate,
          expiresAt: new Date(now.getTime() + input.durationSeconds * 1000),
          setBy: actor.userId,
        }
      : null;
    const summary = next
      ? {
          relayPaused: next.relayPaused,
          consumerDelayMs: next.consumerDelayMs,
          consumerFailRate: next.consumerFailRate,
          expiresAt: next.expiresAt.toISOString(),
        }
      : null;
    await recordOnTimeline(
      this.control,
      {
        occurredAt: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: next ? "fault.events-on" : "fault.events-off",
        entityType: "FaultSwitch",
        entityId: "events",
        patientId: null,
        requestId: meta.requestId,
        traceId: meta.traceId,
        outcome: "success",
        details: { faults: summary },
      },
      {
        endAt: next?.expiresAt ?? null,
        kind: "fault",
        title: next ? `events: ${describe(next)}` : "events: faults off",
        body: JSON.stringify(summary),
        tags: JSON.stringify(["fault", "service:projector"]),
        drillRunId: null,
      },
    );
    this.state = next;
    this.onRelayPause(next?.relayPaused ? next.expiresAt.getTime() : null);
    return next;
  }
}

function describe(s: EventFaultState): string {
  return [
    s.relayPaused && "relays paused",
    s.consumerDelayMs > 0 && `projector ${s.consumerDelayMs} ms slower per batch`,
    s.consumerFailRate > 0 && `${Math.round(s.consumerFailRate * 100)} % of events fail`,
  ]
    .filter(Boolean)
    .join(", ");
}
