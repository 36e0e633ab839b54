// Exports a lab's data as FHIR R4 NDJSON: one file per resource type (the Bulk Data layout) and
// bundles.ndjson with one transaction Bundle per patient. Reads each shard in id order, page by page.
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { fencedBuckets, ownedPatients } from "../data/bucket-fences.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import { LabError } from "../errors/index.ts";
import {
  type FhirResource,
  claimResource,
  conditionResource,
  encounterResource,
  medicationRequestResource,
  organizationResource,
  patientResource,
  practitionerResource,
  procedureResource,
  transactionBundle,
} from "./fhir-resources.ts";

export const FHIR_FILES = ["Organization", "Practitioner", "Patient", "Encounter", "Condition", "Procedure", "MedicationRequest", "Claim", "bundles"] as const;

export interface FhirExportReport {
  counts: Record<string, number>;
  files: string[];
}

const PAGE = 200;

export async function exportFhir(lab: LabDatabases, outDir: string, onProgress?: (patientsDone: number) => void): Promise<FhirExportReport> {
  const cannotWrite = (err: unknown) =>
    new LabError("invalid", `cannot write the FHIR export to ${outDir}: ${err instanceof Error ? err.message : String(err)}`, { field: "out", cause: err });
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw cannotWrite(err);
  }
  let failure: unknown;
  const streams = new Map<string, WriteStream>(
    FHIR_FILES.map((name) => {
      const stream = createWriteStream(join(outDir, `${name}.ndjson`));
      stream.on("error", (err) => (failure ??= err));
      return [name, stream];
    }),
  );
  const counts: Record<string, number> = Object.fromEntries(FHIR_FILES.map((n) => [n, 0]));
  const write = async (resource: FhirResource, file = resource.resourceType) => {
    if (failure) throw cannotWrite(failure);
    counts[file]! += 1;
    const stream = streams.get(file)!;
    if (!stream.write(`${JSON.stringify(resource)}\n`)) await Promise.race([once(stream, "drain"), once(stream, "error")]);
  };

  for (const f of await lab.control.prisma.facility.findMany({ orderBy: { id: "asc" } })) await write(organizationResource(f));
  for (const p of await lab.control.prisma.provider.findMany({ orderBy: { id: "asc" } })) await write(practitionerResource(p));

  let done = 0;
  for (const shard of lab.shards) {
    const owned = ownedPatients(await fencedBuckets(shard.readSql));
    let after: string | undefined;
    for (;;) {
      const patients = await shard.reader.patient.findMany({
        where: { ...owned, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: PAGE,
        include: {
          encounters: { orderBy: { startedAt: "asc" } },
          diagnoses: { orderBy: { id: "asc" } },
          procedures: { orderBy: { id: "asc" } },
          medications: { orderBy: { id: "asc" } },
          claims: { orderBy: { id: "asc" }, include: { lines: { orderBy: { lineNumber: "asc" } } } },
        },
      });
      if (patients.length === 0) break;
      for (const { encounters, diagnoses, procedures, medications, claims, ...patient } of patients) {
        const kindOf = new Map(encounters.map((e) => [e.id, e.kind]));
        const resources = [
          patientResource(patient),
          ...encounters.map(encounterResource),
          ...diagnoses.map(conditionResource),
          ...procedures.map(procedureResource),
          ...medications.map(medicationRequestResource),
          ...claims.map(({ lines, ...claim }) => claimResource(claim, lines, kindOf.get(claim.encounterId) ?? "outpatient")),
        ];
        for (const r of resources) await write(r);
        await write(transactionBundle(resources), "bundles");
      }
      done += patients.length;
      onProgress?.(done);
      after = patients[patients.length - 1]!.id;
    }
  }
  await Promise.all([...streams.values()].map((s) => new Promise<void>((resolve) => s.end(() => resolve())))).catch(() => undefined);
  if (failure) throw cannotWrite(failure);
  return { counts, files: FHIR_FILES.map((n) => join(outDir, `${n}.ndjson`)) };
}
