// Sign-in through an OpenID Connect provider (full mode): the provider's ID token names the person and
// the lab role they hold (`role`, and `facility_id` or `patient_id` where the role is scoped to one), the
// same claims the gateway accepts on the provider's access tokens. A person the lab cannot place is
// refused at sign-in, saying why, not let in to meet "not for your role" on every page.
import { actorOfClaims } from "../auth/tokens.ts";
import type { Actor } from "../auth/roles.ts";

export type OidcSignIn = { ok: true; actor: Actor; displayName: string } | { ok: false; reason: string };

export function signInFromIdToken(claims: Record<string, unknown>): OidcSignIn {
  let actor: Actor;
  try {
    actor = actorOfClaims(claims);
  } catch {
    return { ok: false, reason: "the identity provider gave no lab role (claim role: patient, clinician, billing, sre, instructor or admin)" };
  }
  if ((actor.role === "clinician" || actor.role === "billing") && !actor.facilityId)
    return { ok: false, reason: `a ${actor.role} needs the facility_id claim` };
  if (actor.role === "patient" && !actor.patientId) return { ok: false, reason: "a patient needs the patient_id claim" };
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 80) : actor.userId;
  return { ok: true, actor, displayName: name };
}

/** Where the provider's discovery document is, from its issuer URL (OpenID Connect Discovery 1.0, section 4). */
export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
