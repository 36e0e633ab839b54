// Claims with their lines, on the patient's shard; listed across shards by status or facility.
import { type Page, type PageRequest, afterKeyWhere, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedByPatient } from "./bucket-fences.ts";
import type { LabDatabases } from "./lab-databases.ts";
import type { Claim, ClaimLine } from "./prisma-clients.ts";

export type ClaimWithLines = Claim & { lines: ClaimLine[] };

const byCreated = (c: Claim) => ({ sort: c.createdAt.getTime(), id: c.id });

export async function findClaim(lab: LabDatabases, patientId: string, claimId: string): Promise<ClaimWithLines | null> {
  return lab.shardForPatient(patientId).reader.claim.findFirst({
    where: { id: claimId, patientId },
    include: { lines: { orderBy: { lineNumber: "asc" } } },
  });
}

export async function listClaimsForPatient(lab: LabDatabases, patientId: string, page: PageRequest): Promise<Page<Claim>> {
  return scatterPage(
    [lab.shardForPatient(patientId)],
    (shard, after, take) =>
      shard.reader.claim.findMany({ where: { AND: [{ patientId }, afterKeyWhere("createdAt", after, true)] }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take }),
    byCreated,
    page,
  );
}

/** Claims in one status (the billing pipeline), across every shard, oldest first. */
export async function listClaimsByStatus(lab: LabDatabases, status: string, page: PageRequest): Promise<Page<Claim>> {
  return scatterPage(
    lab.shards,
    async (shard, after, take) =>
      shard.reader.claim.findMany({
        where: { AND: [{ status }, ownedByPatient(await fencedBuckets(shard.reader)), afterKeyWhere("createdAt", after, true)] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      }),
    byCreated,
    page,
  );
}
