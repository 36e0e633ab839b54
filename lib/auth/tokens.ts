// Lab access tokens (JWT). The lab signs its own with a key derived from the lab secret (HS256); with an
// identity provider configured (LAB_JWKS_URL, full mode), its tokens are verified against its JWKS. Claims
// carry the actor: role, facility, patient.
import { createHmac } from "node:crypto";
import { type JWTVerifyGetKey, SignJWT, createRemoteJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import { z } from "zod";
import { LabError } from "../errors/index.ts";
import { type Actor, ActorSchema, ROLES } from "./roles.ts";

export const TOKEN_ISSUER = "pim-sre-lab";
export const TOKEN_AUDIENCE = "pim-sre-lab-api";

const Claims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  facility_id: z.string().min(1).nullable().optional(),
  patient_id: z.string().min(1).nullable().optional(),
});

/** The actor a token's (or an ID token's) claims name: `sub`, `role`, `facility_id`, `patient_id`. Throws a ZodError when they do not. */
export function actorOfClaims(payload: unknown): Actor {
  const claims = Claims.parse(payload);
  return ActorSchema.parse({ userId: claims.sub, role: claims.role, facilityId: claims.facility_id ?? null, patientId: claims.patient_id ?? null });
}

/** The HS256 key of an embedded lab, derived from its secret so there is one secret to manage. */
export function labSigningKey(secret: string): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update("pim-sre-lab/jwt/v1").digest());
}

/** A service identity's token for its calls to other lab processes: an hour's, issued again after half of it. */
export function serviceToken(key: Uint8Array, actor: Actor): () => Promise<string> {
  let token = { value: "", renewAt: 0 };
  return async () => {
    if (Date.now() > token.renewAt) token = { value: await issueLabToken(key, actor, { ttlSeconds: 3600 }), renewAt: Date.now() + 1_800_000 };
    return token.value;
  };
}

export async function issueLabToken(key: Uint8Array, actor: Actor, options: { ttlSeconds?: number; now?: Date } = {}): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: actor.role, facility_id: actor.facilityId, patient_id: actor.patientId, ...(actor.traffic ? { lab_traffic: actor.traffic } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(actor.userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(key);
}

/** An identity provider whose tokens the lab accepts: its issuer, the audience it sets, its public keys. */
export interface IdentityProvider {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

/**
 * Whom the lab trusts: its own signing key (lab tokens: npm run lab:token, the simulator) and, when
 * configured, an identity provider. A token is checked against the one its issuer names, and only with
 * that one's algorithms, so an HS256 token can never pass as the provider's.
 */
export interface TokenTrust {
  labKey: Uint8Array;
  identityProvider?: IdentityProvider;
}

/** A bare key means: lab tokens only. */
export type TokenKey = Uint8Array | TokenTrust;

const PROVIDER_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

export function remoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  // jose caches the set and refetches it (at most every 30 s) when a token names a key it does not know.
  return createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000 });
}

/** The trust of a configured lab: its own key, and its identity provider when LAB_JWKS_URL is set. */
export function tokenTrustOf(config: { privacySecret: string; identityProvider: { jwksUrl: string; issuer: string; audience: string } | null }): TokenTrust {
  const idp = config.identityProvider;
  return {
    labKey: labSigningKey(config.privacySecret),
    ...(idp ? { identityProvider: { issuer: idp.issuer, audience: idp.audience, keys: remoteKeySet(idp.jwksUrl) } } : {}),
  };
}

/** Verifies a bearer token and returns its actor; any failure is a 401 that says why, never a 500. */
export async function verifyLabToken(key: TokenKey, token: string, now?: Date): Promise<Actor> {
  return (await verifyWithExpiry(key, token, now)).actor;
}

async function verifyWithExpiry(key: TokenKey, token: string, now?: Date): Promise<{ actor: Actor; expiresAtMs: number }> {
  const trust: TokenTrust = key instanceof Uint8Array ? { labKey: key } : key;
  try {
    const at = now ? { currentDate: now } : {};
    // The unverified issuer only chooses which key to check against; the check then requires that issuer.
    const issuer = decodeJwt(token).iss;
    const idp = trust.identityProvider;
    const viaProvider = idp !== undefined && issuer === idp.issuer;
    const { payload } = viaProvider
      ? await jwtVerify(token, idp.keys, { issuer: idp.issuer, audience: idp.audience, algorithms: PROVIDER_ALGORITHMS, requiredClaims: ["exp"], ...at })
      : await jwtVerify(token, trust.labKey, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ["HS256"], requiredClaims: ["exp"], ...at });
    const actor = actorOfClaims(payload);
    // Only the lab's own key can mark warm-up traffic: a person's token always counts towards the SLIs.
    const warmup = !viaProvider && payload.lab_traffic === "warmup";
    return { actor: warmup ? { ...actor, traffic: "warmup" } : actor, expiresAtMs: payload.exp! * 1000 };
  } catch (err) {
    if (err instanceof errors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message))) {
      throw new LabError("unavailable", "the identity provider's keys cannot be fetched right now; retry shortly", { cause: err });
    }
    const reason =
      err instanceof errors.JWTExpired
        ? "the token has expired"
        : err instanceof errors.JWTClaimValidationFailed
          ? `the token's ${err.claim} claim is not accepted`
          : err instanceof z.ZodError
            ? "the token does not carry a lab role"
            : "the token is not valid";
    throw new LabError("unauthenticated", reason, { field: "authorization", cause: err });
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Actor>;
}

/**
 * A verifier that remembers tokens it has already verified until they expire. A persona sends the same
 * token with every request, and verifying its signature each time was a tenth of the gateway's CPU. The
 * cache holds at most `maxTokens` (oldest forgotten first); a failed token is never remembered.
 */
export function createTokenVerifier(key: TokenKey, options: { maxTokens?: number; clock?: () => number } = {}): TokenVerifier {
  const maxTokens = options.maxTokens ?? 10_000;
  const clock = options.clock ?? Date.now;
  const verified = new Map<string, { actor: Actor; expiresAtMs: number }>();
  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit && clock() < hit.expiresAtMs) return hit.actor;
      verified.delete(token);
      const fresh = await verifyWithExpiry(key, token, new Date(clock()));
      if (verified.size >= maxTokens) verified.delete(verified.keys().next().value!);
      verified.set(token, fresh);
      return fresh.actor;
    },
  };
}
