// Identifiers that could point at a person are kept only as HMAC-SHA-256 tokens under the lab secret:
// the same value gives the same token (so joins and look-ups still work), and without the secret a
// token cannot be turned back into the value or recomputed from a guess.
import { createHmac } from "node:crypto";

/** Kinds of identifier; the kind is mixed into the MAC so equal values of different kinds never collide. */
export type IdentifierKind = "mrn" | "national-id" | "phone" | "email" | "npi";

const PREFIX: Record<IdentifierKind, string> = {
  mrn: "mrn",
  "national-id": "nid",
  phone: "tel",
  email: "eml",
  npi: "npi",
};

/** Trims, lower-cases and drops separators so "555-0100" and "5550100" are one identifier. */
export function normalizeIdentifier(kind: IdentifierKind, value: string): string {
  const trimmed = value.trim().toLowerCase();
  return kind === "email" ? trimmed : trimmed.replace(/[\s\-().]/g, "");
}

export function pseudonymToken(secret: string, kind: IdentifierKind, value: string): string {
  const mac = createHmac("sha256", secret)
    .update(`${kind}\u0000${normalizeIdentifier(kind, value)}`)
    .digest("base64url");
  return `${PREFIX[kind]}_${mac}`;
}

/** A pseudonymizer bound to one secret, so callers cannot mix secrets by accident. */
export function createPseudonymizer(secret: string) {
  if (secret.length < 16) throw new Error("the pseudonymization secret must be at least 16 characters");
  return (kind: IdentifierKind, value: string) => pseudonymToken(secret, kind, value);
}

export type Pseudonymizer = ReturnType<typeof createPseudonymizer>;

export const TOKEN_PATTERN = /^(mrn|nid|tel|eml|npi)_[A-Za-z0-9_-]{43}$/;
