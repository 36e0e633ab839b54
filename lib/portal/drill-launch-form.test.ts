import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_GUARDRAILS, DrillLaunch } from "../drills/drill-request.ts";
import { drillOf } from "../drills/drill-catalog.ts";
import { validateLaunch } from "../drills/drill-validation.ts";
import { LabError } from "../errors/index.ts";
import { defaultDurationSeconds, problemControl, readLaunch } from "./drill-launch-form.ts";
import { type JsonSchema, formFields } from "./schema-form.ts";

const fields = formFields(z.toJSONSchema(drillOf("service-latency")!.params, { io: "input" }) as JsonSchema);
const form = (entries: Record<string, string>) =>
  new URLSearchParams({
    "params.service": "clinical",
    "params.latency": "exponential",
    "params.latency[exponential].meanMs": "400",
    "params.rate": "1",
    durationSeconds: "20",
    ...entries,
  });
const limits = { guardrails: DEFAULT_GUARDRAILS, shardCount: 4, knownSlos: new Set(["clinician-record-diagnosis-availability"]) };

function problemOf(body: unknown): LabError {
  try {
    validateLaunch(body, limits);
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error("the engine accepted it");
}

describe("the launch form around a drill's params", () => {
  it("reads a launch the engine accepts: params, duration, the filled abort rows in order, rollback", () => {
    const body = readLaunch(
      "service-latency",
      fields,
      form({
        "abort.0.slo": "",
        "abort.1.slo": "clinician-record-diagnosis-availability",
        "abort.1.kind": "burn-rate",
        "abort.1.value": "14.4",
        "abort.1.tier": "page-fast",
        rollback: "always",
      }),
    );
    expect(body).toEqual({
      drill: "service-latency",
      params: { service: "clinical", latency: { type: "exponential", meanMs: 400 }, rate: 1 },
      durationSeconds: 20,
      abortWhen: [{ slo: "clinician-record-diagnosis-availability", burnRateAbove: 14.4, tier: "page-fast" }],
      rollback: "always",
    });
    expect(DrillLaunch.safeParse(body).success).toBe(true);
    expect(() => validateLaunch(body, limits)).not.toThrow();
  });

  it("reads a budget floor, a start time in UTC and a cron schedule as the engine's shapes", () => {
    const budget = readLaunch(
      "service-latency",
      fields,
      form({ "abort.0.slo": "clinician-record-diagnosis-availability", "abort.0.kind": "budget", "abort.0.value": "0.5", "schedule.at": "2030-01-02T03:04" }),
    );
    expect(budget.abortWhen).toEqual([{ slo: "clinician-record-diagnosis-availability", budgetBelow: 0.5 }]);
    expect(budget.schedule).toEqual({ at: "2030-01-02T03:04:00Z" });
    const alert = readLaunch(
      "service-latency",
      fields,
      form({ "abort.0.slo": "clinician-record-diagnosis-latency", "abort.0.kind": "alert", "abort.0.value": "3", "abort.0.tier": "page-slow" }),
    );
    expect(alert.abortWhen).toEqual([{ slo: "clinician-record-diagnosis-latency", alertFiring: "page-slow" }]);
    expect(DrillLaunch.safeParse(alert).success).toBe(true);
    expect(DrillLaunch.safeParse(budget).success).toBe(true);
    const cron = readLaunch("service-latency", fields, form({ "schedule.cron": "*/5 * * * *", "schedule.times": "3" }));
    expect(cron.schedule).toEqual({ cron: "*/5 * * * *", times: 3 });
    expect(DrillLaunch.safeParse(cron).success).toBe(true);
  });

  it("points each engine problem at the control that holds the value", () => {
    const cases: [Record<string, string>, string][] = [
      [{ durationSeconds: "99999" }, "durationSeconds"],
      [{ durationSeconds: "" }, "durationSeconds"],
      [{ "abort.0.slo": "no-such-slo", "abort.0.value": "2" }, "abort.0.slo"],
      [{ "abort.0.slo": "clinician-record-diagnosis-availability", "abort.0.kind": "budget", "abort.0.value": "7" }, "abort.0.value"],
      [{ rollback: "on-deviation" }, "abort.0.slo"],
      [{ "schedule.cron": "every minute" }, "schedule.cron"],
      [{ "params.rate": "2" }, "params.rate"],
    ];
    for (const [typed, control] of cases) {
      const body = readLaunch("service-latency", fields, form(typed));
      expect(problemControl(fields, body, problemOf(body).field), JSON.stringify(typed)).toBe(control);
    }
  });

  it("starts at five minutes, or the drill's longest when that is shorter", () => {
    expect([defaultDurationSeconds(1800), defaultDurationSeconds(120)]).toEqual([300, 120]);
  });
});
