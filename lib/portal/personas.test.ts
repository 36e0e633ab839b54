import { describe, expect, it } from "vitest";
import { actorOfSession, portalSessionSecret } from "./personas.ts";

describe("portal sessions", () => {
  it("signs sessions with a key derived from the lab secret, never the secret itself", () => {
    const key = portalSessionSecret("a-lab-secret-of-sixteen-chars");
    expect(key).toBe(portalSessionSecret("a-lab-secret-of-sixteen-chars"));
    expect(key).not.toContain("a-lab-secret");
    expect(key).not.toBe(portalSessionSecret("another-lab-secret-0123"));
  });

  it("takes the actor a session carries only when it is well formed", () => {
    const actor = { userId: "usr-clinician", role: "clinician", facilityId: "fac-0001", patientId: null };
    expect(actorOfSession({ user: { actor } })).toEqual(actor);
    expect(actorOfSession({ user: { actor: { ...actor, role: "superuser" } } })).toBeNull();
    expect(actorOfSession({ user: {} })).toBeNull();
    expect(actorOfSession(null)).toBeNull();
  });
});
