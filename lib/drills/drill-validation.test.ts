import { describe, expect, it } from "vitest";
import { LabError } from "../errors/index.ts";
import { DEFAULT_GUARDRAILS } from "./drill-request.ts";
import { deadlineSeconds, validateLaunch } from "./drill-validation.ts";

const limits = { guardrails: DEFAULT_GUARDRAILS, shardCount: 4, knownSlos: new Set(["billing-adjudicate-availability"]) };
const refusal = (input: unknown) => {
  try {
    validateLaunch(input, limits);
  } catch (err) {
    return { status: (err as LabError).status, field: (err as LabError).field };
  }
  return null;
};

describe("drill launch validation", () => {
  it("rolls a bad config rollout back on deviation only when the deviation is said, and always otherwise", () => {
    const base = { drill: "bad-config-rollout", params: { service: "billing" }, durationSeconds: 60 };
    expect(validateLaunch(base, limits).rollback).toBe("always");
    expect(validateLaunch({ ...base, abortWhen: [{ slo: "billing-adjudicate-availability", budgetBelow: 0.9 }] }, limits).rollback).toBe("on-deviation");
    expect(refusal({ ...base, rollback: "on-deviation" })).toEqual({ status: 422, field: "abortWhen" });
  });

  it("holds every launch to the guardrails and names the field it breaks", () => {
    expect(refusal({ drill: "service-crash", params: { service: "supervisor" }, durationSeconds: 60 })).toEqual({ status: 400, field: "params.service" });
    expect(refusal({ drill: "service-crash", params: { service: "billing" }, durationSeconds: 601 })).toEqual({ status: 422, field: "durationSeconds" });
    expect(refusal({ drill: "shard-outage", params: { shard: 4 }, durationSeconds: 60 })).toEqual({ status: 422, field: "params.shard" });
    expect(refusal({ drill: "teleport", durationSeconds: 60 })).toEqual({ status: 404, field: "drill" });
    expect(refusal({ drill: "error-burst", params: { service: "billing" }, durationSeconds: 60, abortWhen: [{ slo: "nope", burnRateAbove: 2 }] })).toEqual({
      status: 422,
      field: "abortWhen",
    });
    const clinicianOnly = { ...limits, guardrails: { ...DEFAULT_GUARDRAILS, personas: ["clinician"] } };
    expect(() => validateLaunch({ drill: "error-burst", params: { service: "billing", personas: ["patient"] }, durationSeconds: 60 }, clinicianOnly)).toThrow(
      expect.objectContaining({ status: 422, field: "params.personas" }),
    );
    expect(
      validateLaunch({ drill: "error-burst", params: { service: "billing", personas: ["clinician"] }, durationSeconds: 60 }, clinicianOnly).radius.personas,
    ).toEqual(["clinician"]);
  });

  it("gives the supervisor a deadline just past the run's end, or the drill's longest time for a kept rollout", () => {
    const { drill } = validateLaunch({ drill: "bad-config-rollout", params: { service: "billing" }, durationSeconds: 60 }, limits);
    expect(deadlineSeconds(drill, 60, "always", DEFAULT_GUARDRAILS)).toBe(65);
    expect(deadlineSeconds(drill, 60, "on-deviation", DEFAULT_GUARDRAILS)).toBe(3605);
  });
});
