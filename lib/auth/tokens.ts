// Lab access tokens (JWT). Embedded mode signs and verifies with a key derived from the lab secret (HS256);
// full mode verifies against an identity provider's JWKS. Claims carry the actor: role, facility, patient.
import { createHmac } from "node:crypto";
import { type JWTVerifyGetKey, SignJWT, createRemoteJWKSet, errors, jwtVerify } from "jose";
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

/** The HS256 key of an embedded lab, derived from its secret so there is one secret to manage. */
export function labSigningKey(secret: string): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update("pim-sre-lab/jwt/v1").digest());
}

export async function issueLabToken(key: Uint8Array, actor: Actor, options: { ttlSeconds?: number; now?: Date } = {}): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: actor.role, facility_id: actor.facilityId, patient_id: actor.patientId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(actor.userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(key);
}

export type TokenKey = Uint8Array | JWTVerifyGetKey;

export function remoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl));
}

/** Verifies a bearer token and returns its actor; any failure is a 401 that says why, never a 500. */
export async function verifyLabToken(key: TokenKey, token: string, now?: Date): Promise<Actor> {
  return (await verifyWithExpiry(key, token, now)).actor;
}

async function verifyWithExpiry(key: TokenKey, token: string, now?: Date): Promise<{ actor: Actor; expiresAtMs: number }> {
  try {
    const options = { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, requiredClaims: ["exp"], ...(now ? { currentDate: now } : {}) };
    const { payload } = key instanceof Uint8Array ? await jwtVerify(token, key, { ...options, algorithms: ["HS256"] }) : await jwtVerify(token, key, options);
    const claims = Claims.parse(payload);
    const actor = ActorSchema.parse({ userId: claims.sub, role: claims.role, facilityId: claims.facility_id ?? null, patientId: claims.patient_id ?? null });
    return { actor, expiresAtMs: payload.exp! * 1000 };
  } catch (err) {
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
