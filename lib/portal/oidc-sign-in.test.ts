import { describe, expect, it } from "vitest";
import { discoveryUrl, signInFromIdToken } from "./oidc-sign-in.ts";

describe("sign-in from an OpenID Connect ID token", () => {
  it("makes the session's actor from the role claims, named by the token's name", () => {
    expect(signInFromIdToken({ sub: "idp|42", name: "Dr. Ada Lovelace", role: "clinician", facility_id: "fac-0003" })).toEqual({
      ok: true,
      actor: { userId: "idp|42", role: "clinician", facilityId: "fac-0003", patientId: null },
      displayName: "Dr. Ada Lovelace",
    });
    expect(signInFromIdToken({ sub: "u-7", role: "sre" })).toMatchObject({ ok: true, displayName: "u-7", actor: { role: "sre", facilityId: null } });
  });

  it("refuses a person without a lab role, or without the facility or record their role is scoped to, saying which claim", () => {
    expect(signInFromIdToken({ sub: "u-1" })).toEqual({ ok: false, reason: expect.stringContaining("claim role") });
    expect(signInFromIdToken({ sub: "u-1", role: "superuser" })).toMatchObject({ ok: false });
    expect(signInFromIdToken({ sub: "u-1", role: "billing" })).toEqual({ ok: false, reason: "a billing needs the facility_id claim" });
    expect(signInFromIdToken({ sub: "u-1", role: "patient" })).toEqual({ ok: false, reason: "a patient needs the patient_id claim" });
    expect(signInFromIdToken({ role: "sre" })).toMatchObject({ ok: false });
  });

  it("finds the discovery document under the issuer, with or without its trailing slash", () => {
    expect(discoveryUrl("https://idp.example/realms/pim")).toBe("https://idp.example/realms/pim/.well-known/openid-configuration");
    expect(discoveryUrl("https://tenant.example/")).toBe("https://tenant.example/.well-known/openid-configuration");
  });
});
