// Who can call the lab: the demo personas' roles, and the actor a request runs as. The on-call role is the
// player of an exercise: it sees what a real on-call person sees and pulls the levers they have, never what
// the lab's controls are doing (lib/auth/policy.ts: controls.read).
import { z } from "zod";

export const ROLES = ["patient", "clinician", "billing", "sre", "oncall", "instructor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ActorSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(ROLES),
  /** The facility a clinician or billing admin works at. */
  facilityId: z.string().min(1).nullable(),
  /** The patient record a patient persona is. */
  patientId: z.string().min(1).nullable(),
  /**
   * Set on the simulator's warm-up users only (a claim of lab tokens, never of a provider's): their
   * requests are counted as warm-up, apart from the journeys' SLIs (a lab start is not an incident).
   */
  traffic: z.literal("warmup").optional(),
});
export type Actor = z.infer<typeof ActorSchema>;
