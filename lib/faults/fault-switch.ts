// The fault switches of one service process: the rules in force, replaced or cleared only by a caller
// allowed "fault.switch", and every switch recorded in the lab's control audit chain with an annotation
// (so the SLO charts show when a fault started and stopped).
import { recordOnTimeline } from "../audit/control-timeline.ts";
import { authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import { LabError } from "../errors/index.ts";
import type { FaultEffect, FaultRule, FaultRuleInput } from "./fault-rules.ts";

/** What a service's requests can be made to do; the gateway alone counts SLIs, so it alone takes `unrecorded`. */
export const SERVICE_EFFECTS: readonly FaultEffect["kind"][] = ["latency", "error", "hang"];
export const GATEWAY_EFFECTS: readonly FaultEffect["kind"][] = [...SERVICE_EFFECTS, "unrecorded"];

export class FaultSwitch {
  private rules: FaultRule[] = [];

  constructor(
    readonly service: string,
    private readonly control: SqlDatabase,
    private readonly effects: readonly FaultEffect["kind"][] = SERVICE_EFFECTS,
  ) {}

  active(now = new Date()): FaultRule[] {
    this.rules = this.rules.filter((r) => r.expiresAt > now);
    return this.rules;
  }

  /** Replaces the rules in force (an empty list turns every fault off: a rollback, which on-call may do too). */
  async replace(actor: Actor, inputs: FaultRuleInput[], meta: { requestId: string; traceId: string | null; now?: Date }): Promise<FaultRule[]> {
    const decision = authorize(actor, inputs.length === 0 ? "config.rollback" : "fault.switch");
    if (!decision.allowed) throw new LabError("forbidden", decision.reason);
    inputs.forEach((r, i) => {
      if (!this.effects.includes(r.effect.kind))
        throw new LabError("unprocessable", `${this.service} takes the effects ${this.effects.join(", ")}, not ${r.effect.kind}`, {
          field: `rules.${i}.effect.kind`,
        });
    });
    const now = meta.now ?? new Date();
    const next = inputs.map((r) => ({ ...r, expiresAt: new Date(now.getTime() + r.durationSeconds * 1000), setBy: actor.userId }));
    const summary = next.map((r) => ({ id: r.id, kind: r.effect.kind, match: r.match, durationSeconds: r.durationSeconds }));
    await recordOnTimeline(
      this.control,
      {
        occurredAt: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: next.length ? "fault.switch-on" : "fault.switch-off",
        entityType: "FaultSwitch",
        entityId: this.service,
        patientId: null,
        requestId: meta.requestId,
        traceId: meta.traceId,
        outcome: "success",
        details: { service: this.service, rules: summary, replaced: this.active(now).map((r) => r.id) },
      },
      {
        endAt: next.length ? new Date(Math.max(...next.map((r) => r.expiresAt.getTime()))) : null,
        kind: "fault",
        title: next.length ? `${this.service}: ${next.map((r) => `${r.effect.kind} (${r.id})`).join(", ")} on` : `${this.service}: faults off`,
        body: JSON.stringify(summary),
        tags: JSON.stringify(["fault", `service:${this.service}`]),
        drillRunId: null,
      },
    );
    this.rules = next;
    return next;
  }
}
