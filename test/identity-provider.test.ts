// Full mode's sign-in path: tokens from an identity provider, verified by the gateway and by the service
// against the provider's JWKS fetched over HTTP; the lab's own tokens keep working beside them.
import { type Server, createServer } from "node:http";
import type { FastifyInstance } from "fastify";
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClinicalServer } from "../backend-services/clinical/server.ts";
import { issueLabToken, labSigningKey, tokenTrustOf } from "../lib/auth/tokens.ts";
import { type PersonaLab, listen, openPersonaLab, testGateway } from "./support/service-harness.ts";
import { BACKENDS } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";
const ISSUER = "https://idp.lab.test/realms/pim";

describe.each(BACKENDS)("identity provider tokens on %s", (backend) => {
  let t: PersonaLab;
  let idp: Server;
  let jwksFetches = 0;
  let signingKey: CryptoKey;
  let clinical: FastifyInstance;
  let gateway: FastifyInstance;

  const providerToken = (claims: Record<string, unknown>, key = signingKey, kid = "k1") =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid })
      .setSubject("usr-idp-clinician")
      .setIssuer(ISSUER)
      .setAudience("pim-sre-lab-api")
      .setExpirationTime("10m")
      .sign(key);
  const get = (token: string) => gateway.inject({ method: "GET", url: `/patients/${t.patientId}`, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    signingKey = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] });
    idp = createServer((req, res) => {
      jwksFetches++;
      res.writeHead(req.url === "/jwks" ? 200 : 404, { "content-type": "application/json" }).end(req.url === "/jwks" ? jwks : "{}");
    });
    await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
    const jwksUrl = `http://127.0.0.1:${(idp.address() as { port: number }).port}/jwks`;

    t = await openPersonaLab(backend, { seed: 5, patients: 20, secret: SECRET });
    const trust = tokenTrustOf({ privacySecret: SECRET, identityProvider: { jwksUrl, issuer: ISSUER, audience: "pim-sre-lab-api" } });
    clinical = buildClinicalServer(t.lab, trust, "silent");
    const clinicalUrl = await listen(clinical);
    gateway = await testGateway(t.lab, { tokenKey: trust, upstreams: { clinical: clinicalUrl, billing: clinicalUrl } });
  });
  afterAll(async () => {
    await gateway?.close();
    await clinical?.close();
    await new Promise((resolve) => idp?.close(resolve));
    await t?.dispose();
  });

  it("serves a clinician signed in at the identity provider, with the role and facility from its token", async () => {
    const res = await get(await providerToken({ role: "clinician", facility_id: "fac-0001" }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: t.patientId });
    // Another facility's clinician is refused by the policy, not by the sign-in.
    expect((await get(await providerToken({ role: "clinician", facility_id: "fac-0002" }))).statusCode).toBe(403);
    // One key set, shared here by the gateway and the service, fetched once and then cached.
    expect(jwksFetches).toBe(1);
  });

  it("refuses a token signed with a key the provider does not publish, and one without a lab role", async () => {
    const stranger = (await generateKeyPair("RS256")).privateKey;
    expect((await get(await providerToken({ role: "clinician", facility_id: "fac-0001" }, stranger))).json()).toMatchObject({ status: 401 });
    expect((await get(await providerToken({ role: "superuser" }))).json()).toMatchObject({ status: 401, detail: "the token does not carry a lab role" });
  });

  it("still accepts the lab's own tokens beside the provider's", async () => {
    const token = await issueLabToken(labSigningKey(SECRET), { userId: "usr-sre", role: "sre", facilityId: null, patientId: null });
    expect((await get(token)).statusCode).toBe(200);
  });

  it("answers 503, not 401 or 500, when the provider's keys cannot be fetched", async () => {
    // A gateway whose provider is down: nothing listens where its JWKS should be.
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as { port: number }).port}/jwks`;
    await new Promise((resolve) => dead.close(resolve));
    const trust = tokenTrustOf({ privacySecret: SECRET, identityProvider: { jwksUrl: deadUrl, issuer: ISSUER, audience: "pim-sre-lab-api" } });
    const nowhere = new URL(deadUrl).origin;
    const orphan = await testGateway(t.lab, { tokenKey: trust, upstreams: { clinical: nowhere, billing: nowhere } });
    try {
      const res = await orphan.inject({
        method: "GET",
        url: `/patients/${t.patientId}`,
        headers: { authorization: `Bearer ${await providerToken({ role: "clinician", facility_id: "fac-0001" })}` },
      });
      expect(res.json()).toMatchObject({ status: 503, detail: "the identity provider's keys cannot be fetched right now; retry shortly" });
    } finally {
      await orphan.close();
    }
  });
});
