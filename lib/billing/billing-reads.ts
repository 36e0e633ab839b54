// Claim reads with the caller's view: patients their own, clinicians their facility's, billing all, SREs masked.
import { authorize } from "../auth/policy.ts";
import type { Actor } from "../auth/roles.ts";
import { type ClaimWithLines, findClaim, listClaimsByStatus, listClaimsForPatient } from "../data/claims.ts";
import type { Claim } from "../data/prisma-clients.ts";
import type { Page, PageRequest } from "../data/cross-shard-page.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { findPatient } from "../data/patients.ts";
import { LabError } from "../errors/index.ts";
import { admitToPatient, gatePatientAction } from "../clinical/patient-access.ts";
import { type Shown, present } from "../clinical/present.ts";

/** A claim with its lines, as a view shows them. */
export type ShownClaim = Shown<Omit<ClaimWithLines, "lines">> & { lines: Shown<ClaimWithLines["lines"][number]>[] };

async function claimView(lab: LabDatabases, actor: Actor, patientId: string) {
  gatePatientAction(actor, "claim.read", patientId);
  return admitToPatient(actor, "claim.read", patientId, await findPatient(lab, patientId));
}

export async function readClaim(lab: LabDatabases, actor: Actor, patientId: string, claimId: string): Promise<ShownClaim> {
  const view = await claimView(lab, actor, patientId);
  const claim = await findClaim(lab, patientId, claimId);
  if (!claim) throw new LabError("not_found", `claim ${claimId} does not exist for this patient`, { field: "claimId" });
  const { lines, ...row } = claim;
  return { ...present("Claim", row, view), lines: lines.map((l) => present("ClaimLine", l, view)) };
}

export async function listPatientClaims(lab: LabDatabases, actor: Actor, patientId: string, page: PageRequest): Promise<Page<Shown<Claim>>> {
  const view = await claimView(lab, actor, patientId);
  const result = await listClaimsForPatient(lab, patientId, page);
  return { items: result.items.map((c) => present("Claim", c, view)), nextCursor: result.nextCursor };
}

/** The claims pipeline by status, across every shard: for roles that may read any claim. */
export async function listClaimsInStatus(lab: LabDatabases, actor: Actor, status: string, page: PageRequest): Promise<Page<Shown<Claim>>> {
  const decision = authorize(actor, "claim.read");
  if (!decision.allowed || decision.grant.scope !== "any") throw new LabError("forbidden", `role ${actor.role} may not list every claim`);
  const result = await listClaimsByStatus(lab, status, page);
  return { items: result.items.map((c) => present("Claim", c, decision.view)), nextCursor: result.nextCursor };
}
