// Claims with their lines, on the patient's shard; listed across shards by status or facility.
import { type Page, type PageRequest, afterKeyWhere, scatterPage } from "./cross-shard-page.ts";
import { fencedBuckets, ownedByPatient } from "./bucket-fences.ts";
import type { LabDatabases } from "./lab-databases.ts";
import { patientRowsPage } from "./patient-page.ts";
import type { Claim, ClaimLine } from "./prisma-clients.ts";
import { selectList } from "./tables.ts";

export type ClaimWithLines = Claim & { lines: ClaimLine[] };

const byCreated = (c: Claim) => ({ sort: c.createdAt.getTime(), id: c.id });

// Single-patient reads: prepared raw SQL on the shard's read connection (ADR 0006).
const SQL = {
  claim: `SELECT ${selectList("Claim")} FROM "claims" WHERE "id" = ? AND "patientId" = ?`,
  lines: `SELECT ${selectList("ClaimLine")} FROM "claim_lines" WHERE "claimId" = ? AND "patientId" = ? ORDER BY "lineNumber"`,
};

export async function findClaim(lab: LabDatabases, patientId: string, claimId: string): Promise<ClaimWithLines | null> {
  const db = lab.shardForPatient(patientId).readSql;
  const [claim] = await db.query(SQL.claim, [claimId, patientId]);
  if (!claim) return null;
  return { ...(claim as Claim), lines: (await db.query(SQL.lines, [claimId, patientId])) as ClaimLine[] };
}

export async function listClaimsForPatient(lab: LabDatabases, patientId: string, page: PageRequest): Promise<Page<Claim>> {
  return patientRowsPage(lab, "Claim", "createdAt", byCreated, patientId, page);
}

/** Claims in one status (the billing pipeline), across every shard, oldest first. */
export async function listClaimsByStatus(lab: LabDatabases, status: string, page: PageRequest): Promise<Page<Claim>> {
  return scatterPage(
    lab.shards,
    async (shard, after, take) =>
      shard.reader.claim.findMany({
        where: { AND: [{ status }, ownedByPatient(await fencedBuckets(shard.readSql)), afterKeyWhere("createdAt", after, true)] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      }),
    byCreated,
    page,
  );
}
