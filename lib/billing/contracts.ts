// Request bodies of the billing API (single source for validation and types).
import { z } from "zod";
import { EncounterId, PageQuery, PatientId, freeText } from "../clinical/contracts.ts";
import { PAYERS } from "../synth/catalog.ts";

export const ClaimId = z.string().regex(/^clm-[A-Za-z0-9-]{1,80}$/, "must be a clm- id");
export const CLAIM_STATUSES = ["draft", "submitted", "adjudicated", "paid", "denied"] as const;

export const CreateClaimInput = z.strictObject({
  encounterId: EncounterId,
  payer: z.enum(PAYERS),
});
export type CreateClaimInput = z.infer<typeof CreateClaimInput>;

export const AdjudicateClaimInput = z.strictObject({
  allowedCents: z.number().int().min(0).max(100_000_000),
});
export type AdjudicateClaimInput = z.infer<typeof AdjudicateClaimInput>;

export const DenyClaimInput = z.strictObject({
  reason: freeText(300).trim().min(3),
});
export type DenyClaimInput = z.infer<typeof DenyClaimInput>;

export const ClaimParams = z.strictObject({ patientId: PatientId, claimId: ClaimId });
export const ClaimPipelineQuery = PageQuery.extend({ status: z.enum(CLAIM_STATUSES) });
/** Transitions without a payload take no body, an empty one, or {}. */
export const NoBody = z.union([z.undefined(), z.null(), z.strictObject({})]);
