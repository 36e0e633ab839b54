import { describe, expect, it } from "vitest";
import { ACTIONS, authorize, grantFor } from "./policy.ts";
import { ROLES, type Actor, type Role } from "./roles.ts";
import { createTokenVerifier, issueLabToken, labSigningKey, verifyLabToken } from "./tokens.ts";

const actors: Record<Role, Actor> = {
  patient: { userId: "usr-patient", role: "patient", facilityId: null, patientId: "pat-me" },
  clinician: { userId: "usr-clinician", role: "clinician", facilityId: "fac-0001", patientId: null },
  billing: { userId: "usr-billing", role: "billing", facilityId: "fac-0001", patientId: null },
  sre: { userId: "usr-sre", role: "sre", facilityId: null, patientId: null },
  instructor: { userId: "usr-instructor", role: "instructor", facilityId: null, patientId: null },
  admin: { userId: "usr-admin", role: "admin", facilityId: null, patientId: null },
};

describe("authorization policy", () => {
  it("lets a patient see only their own record", () => {
    expect(authorize(actors.patient, "patient.read", { patientId: "pat-me", facilityId: "fac-0009" })).toMatchObject({ allowed: true, view: "full" });
    expect(authorize(actors.patient, "patient.read", { patientId: "pat-someone-else" })).toMatchObject({ allowed: false });
    expect(authorize(actors.patient, "encounter.open", { patientId: "pat-me" })).toMatchObject({ allowed: false });
  });

  it("lets a clinician act only on patients of their own facility", () => {
    expect(authorize(actors.clinician, "diagnosis.record", { patientId: "pat-1", facilityId: "fac-0001" })).toMatchObject({ allowed: true });
    expect(authorize(actors.clinician, "diagnosis.record", { patientId: "pat-1", facilityId: "fac-0002" })).toMatchObject({ allowed: false });
    expect(authorize({ ...actors.clinician, facilityId: null }, "encounter.read", { facilityId: "fac-0001" })).toMatchObject({ allowed: false });
  });

  it("gives billing claims and a view of encounters without clinical free text, and no clinical writes", () => {
    expect(authorize(actors.billing, "claim.adjudicate", { patientId: "pat-1", facilityId: "fac-0042" })).toMatchObject({ allowed: true });
    expect(authorize(actors.billing, "encounter.read", { facilityId: "fac-0042" })).toMatchObject({ allowed: true, view: "billing" });
    for (const action of ["encounter.open", "diagnosis.record", "medication.prescribe"] as const) expect(authorize(actors.billing, action).allowed).toBe(false);
  });

  it("gives SREs operational data masked, and no writes to patient data", () => {
    expect(authorize(actors.sre, "patient.read", { patientId: "pat-1" })).toMatchObject({ allowed: true, view: "masked" });
    expect(authorize(actors.sre, "audit.verify")).toMatchObject({ allowed: true });
    const writes = ACTIONS.filter((a) => /\.(register|update|open|close|record|prescribe|discontinue|create|submit|adjudicate|pay|deny|write)$/.test(a));
    for (const action of writes) expect(authorize(actors.sre, action).allowed, action).toBe(false);
  });

  it("reserves reference data changes for admins and fault switches for SREs and instructors", () => {
    for (const role of ROLES) {
      expect(authorize(actors[role], "reference.write").allowed).toBe(role === "admin");
      expect(authorize(actors[role], "fault.switch").allowed).toBe(role === "sre" || role === "instructor");
      expect(authorize(actors[role], "reference.read").allowed).toBe(true);
    }
  });

  it("never grants an action without a scope and a view", () => {
    for (const action of ACTIONS) for (const role of ROLES) {
      const grant = grantFor(role, action);
      if (grant) expect(["any", "own-facility", "own-record"]).toContain(grant.scope);
    }
  });
});

describe("lab tokens", () => {
  const key = labSigningKey("unit-test-secret-0123456789");

  it("round-trips the actor through a signed token", async () => {
    for (const actor of Object.values(actors)) expect(await verifyLabToken(key, await issueLabToken(key, actor))).toEqual(actor);
  });

  it("refuses an expired token, a token signed with another key, and a tampered one, as 401s", async () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const expired = await issueLabToken(key, actors.sre, { ttlSeconds: 60, now });
    await expect(verifyLabToken(key, expired, new Date("2026-01-01T00:02:00Z"))).rejects.toMatchObject({ status: 401, message: "the token has expired" });
    const foreign = await issueLabToken(labSigningKey("another-secret-0123456789"), actors.sre);
    await expect(verifyLabToken(key, foreign)).rejects.toMatchObject({ status: 401, field: "authorization" });
    const token = await issueLabToken(key, actors.patient);
    const [h, p, s] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), role: "admin" })).toString("base64url");
    await expect(verifyLabToken(key, `${h}.${forged}.${s}`)).rejects.toMatchObject({ status: 401 });
    await expect(verifyLabToken(key, "not-a-jwt")).rejects.toMatchObject({ status: 401 });
  });

  it("a verifier remembers a good token until its expiry, then refuses it as expired", async () => {
    let nowMs = Date.parse("2026-01-01T00:00:00Z");
    const tokens = createTokenVerifier(key, { clock: () => nowMs });
    const token = await issueLabToken(key, actors.clinician, { ttlSeconds: 60, now: new Date(nowMs) });
    expect(await tokens.verify(token)).toEqual(actors.clinician);
    nowMs += 30_000;
    expect(await tokens.verify(token)).toEqual(actors.clinician);
    nowMs += 31_000;
    await expect(tokens.verify(token)).rejects.toMatchObject({ status: 401, message: "the token has expired" });
  });

  it("a verifier never remembers a bad token, and forgets the oldest tokens beyond its bound", async () => {
    let signatureChecks = 0;
    // A key function is called once per signature check: it counts the verifications the cache did not save.
    const tokens = createTokenVerifier(async () => (signatureChecks++, key), { maxTokens: 2 });
    await expect(tokens.verify("not-a-jwt.x.y")).rejects.toMatchObject({ status: 401 });
    const [a, b, c] = await Promise.all([actors.sre, actors.patient, actors.admin].map((actor) => issueLabToken(key, actor)));
    for (const t of [a!, b!, a!, b!]) await tokens.verify(t);
    expect(signatureChecks).toBe(2);
    await tokens.verify(c!); // evicts a
    await tokens.verify(b!);
    expect(signatureChecks).toBe(3);
    expect(await tokens.verify(a!)).toEqual(actors.sre);
    expect(signatureChecks).toBe(4);
  });

  it("refuses a token without an expiry", async () => {
    const { SignJWT } = await import("jose");
    const forever = await new SignJWT({ role: "sre" }).setProtectedHeader({ alg: "HS256" }).setSubject("usr-x").setIssuer("pim-sre-lab").setAudience("pim-sre-lab-api").sign(key);
    await expect(verifyLabToken(key, forever)).rejects.toMatchObject({ status: 401 });
  });
});
