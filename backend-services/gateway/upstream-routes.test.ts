import { describe, expect, it } from "vitest";
import { routeFor } from "./upstream-routes.ts";

describe("gateway routing", () => {
  it.each([
    ["/patients", "clinical", "/patients", null],
    ["/patients?facilityId=fac-0001", "clinical", "/patients", null],
    ["/patients/pat-1", "clinical", "/patients/:patientId", "pat-1"],
    ["/patients/pat-1/encounters/enc-9/diagnoses", "clinical", "/patients/:patientId/encounters/:encounterId/diagnoses", "pat-1"],
    ["/patients/pat-1/medications/med-2/discontinue", "clinical", "/patients/:patientId/medications/:medicationId/discontinue", "pat-1"],
    ["/patients/pat-1/claims", "billing", "/patients/:patientId/claims", "pat-1"],
    ["/patients/pat-1/claims/clm-3/pay", "billing", "/patients/:patientId/claims/:claimId/pay", "pat-1"],
    ["/claims?status=paid", "billing", "/claims", null],
  ])("sends %s to %s as %s", (path, upstream, route, patientId) => {
    expect(routeFor(path)).toEqual({ upstream, route, patientId });
  });

  it("knows nothing else", () => {
    for (const path of ["/", "/admin", "/patientsx", "/claimsx/1", "/metrics"]) expect(routeFor(path)).toBeNull();
  });
});
