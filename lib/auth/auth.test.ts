import { describe, expect, it } from "vitest";
import { ACTIONS, authorize, grantFor, roleWords, rolesAllowedWords, seesControls } from "./policy.ts";
import { ROLES, type Actor } from "./roles.ts";
import { type JWTPayload, SignJWT, generateKeyPair } from "jose";
import { actorOfEachRole } from "./actor-fixture.ts";
import { createTokenVerifier, issueLabToken, labSigningKey, verifyLabToken } from "./tokens.ts";

const actors = actorOfEachRole("pat-me");

/** A JWT as an issuer signs one: the header's algorithm, subject, issuer, audience and, unless `expires` is false, an expiry in an hour. */
function signedJwt(claims: JWTPayload, key: Parameters<SignJWT["sign"]>[0], t: { alg: string; sub: string; iss: string; aud: string; expires?: false }) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: t.alg }).setSubject(t.sub).setIssuer(t.iss).setAudience(t.aud);
  return (t.expires === false ? jwt : jwt.setExpirationTime("1h")).sign(key);
}
const IDP = { iss: "https://idp.example", aud: "lab" };

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

  it("reserves reference data changes for admins, and fault switches and traffic control for SREs and instructors", () => {
    for (const role of ROLES) {
      expect(authorize(actors[role], "reference.write").allowed).toBe(role === "admin");
      expect(authorize(actors[role], "fault.switch").allowed).toBe(role === "sre" || role === "instructor");
      expect(authorize(actors[role], "traffic.control").allowed).toBe(role === "sre" || role === "instructor");
      expect(authorize(actors[role], "drill.run").allowed).toBe(role === "sre" || role === "instructor");
      expect(authorize(actors[role], "reference.read").allowed).toBe(true);
    }
  });

  it("lets the on-call player read the lab and pull its levers, but never see or set what the controls do", () => {
    const oncall = actors.oncall;
    for (const action of ["ops.read", "audit.read", "process.restart", "config.rollback", "traffic.shed", "events.redrive", "data.replay"] as const)
      expect(authorize(oncall, action).allowed, action).toBe(true);
    for (const action of ["controls.read", "fault.switch", "traffic.control", "drill.run", "audit.verify"] as const)
      expect(authorize(oncall, action).allowed, action).toBe(false);
    expect(authorize(oncall, "patient.read", { patientId: "pat-1" })).toMatchObject({ allowed: true, view: "masked" });
    expect(seesControls(oncall)).toBe(false);
    expect(seesControls(actors.sre) && seesControls(actors.instructor)).toBe(true);
  });

  it("names who may take an action, and a role, in words for a refusal", () => {
    expect(rolesAllowedWords("ops.read")).toBe("SREs, on-call engineers, instructors and admins");
    expect(rolesAllowedWords("reference.write")).toBe("admins");
    expect(roleWords("oncall")).toBe("an on-call engineer");
    expect(roleWords("patient")).toBe("a patient");
  });

  it("never grants an action without a scope and a view", () => {
    for (const action of ACTIONS)
      for (const role of ROLES) {
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
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    // The provider's key function is called once per signature check: it counts what the cache did not save.
    const trust = { labKey: key, identityProvider: { issuer: "https://idp.example", audience: "lab", keys: async () => (signatureChecks++, publicKey) } };
    const tokens = createTokenVerifier(trust, { maxTokens: 2 });
    const providerToken = (actor: Actor) =>
      signedJwt({ role: actor.role, facility_id: actor.facilityId, patient_id: actor.patientId }, privateKey, { alg: "RS256", sub: actor.userId, ...IDP });
    await expect(tokens.verify("not-a-jwt.x.y")).rejects.toMatchObject({ status: 401 });
    const [a, b, c] = await Promise.all([actors.sre, actors.patient, actors.admin].map(providerToken));
    for (const t of [a!, b!, a!, b!]) await tokens.verify(t);
    expect(signatureChecks).toBe(2);
    await tokens.verify(c!); // evicts a
    await tokens.verify(b!);
    expect(signatureChecks).toBe(3);
    expect(await tokens.verify(a!)).toEqual(actors.sre);
    expect(signatureChecks).toBe(4);
  });

  it("checks each token against the issuer it names, with that issuer's algorithms only", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const trust = { labKey: key, identityProvider: { issuer: "https://idp.example", audience: "lab", keys: async () => publicKey } };
    const claims = { role: "clinician", facility_id: "fac-0001" };
    const good = await signedJwt(claims, privateKey, { alg: "ES256", sub: "usr-idp", ...IDP });
    expect(await verifyLabToken(trust, good)).toEqual({ userId: "usr-idp", role: "clinician", facilityId: "fac-0001", patientId: null });
    expect(await verifyLabToken(trust, await issueLabToken(key, actors.sre))).toEqual(actors.sre);
    // An HS256 token claiming the provider's issuer, signed with the lab key, is not the provider's.
    const confused = await signedJwt(claims, key, { alg: "HS256", sub: "usr-x", ...IDP });
    await expect(verifyLabToken(trust, confused)).rejects.toMatchObject({ status: 401 });
    const wrongAudience = await signedJwt(claims, privateKey, { alg: "ES256", sub: "usr-idp", ...IDP, aud: "other" });
    await expect(verifyLabToken(trust, wrongAudience)).rejects.toMatchObject({ status: 401, message: "the token's aud claim is not accepted" });
    // Without a provider configured, its tokens are simply not trusted.
    await expect(verifyLabToken(key, good)).rejects.toMatchObject({ status: 401 });
  });

  it("marks warm-up traffic only in a lab token: a provider's token claiming it is still a person's", async () => {
    const warm = { ...actors.clinician, traffic: "warmup" as const };
    expect(await verifyLabToken(key, await issueLabToken(key, warm))).toEqual(warm);
    expect(await verifyLabToken(key, await issueLabToken(key, actors.clinician))).not.toHaveProperty("traffic");
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const trust = { labKey: key, identityProvider: { issuer: "https://idp.example", audience: "lab", keys: async () => publicKey } };
    const claiming = await signedJwt({ role: "clinician", facility_id: "fac-0001", lab_traffic: "warmup" }, privateKey, {
      alg: "ES256",
      sub: "usr-idp",
      ...IDP,
    });
    expect(await verifyLabToken(trust, claiming)).toEqual({ userId: "usr-idp", role: "clinician", facilityId: "fac-0001", patientId: null });
  });

  it("refuses a token without an expiry", async () => {
    const forever = await signedJwt({ role: "sre" }, key, { alg: "HS256", sub: "usr-x", iss: "pim-sre-lab", aud: "pim-sre-lab-api", expires: false });
    await expect(verifyLabToken(key, forever)).rejects.toMatchObject({ status: 401 });
  });
});
