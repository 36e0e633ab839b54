// Opening and closing encounters.
import { randomUUID } from "node:crypto";
import { type CommandReply, type RequestContext, runPatientCommand, type WriteFault } from "../commands/run-patient-command.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import type { Encounter } from "../data/prisma-clients.ts";
import { insertRow, selectRow, updateVersionedRow } from "../data/rows.ts";
import { grantFor } from "../auth/policy.ts";
import { LabError } from "../errors/index.ts";
import type { OpenEncounterInput } from "./contracts.ts";
import { loadPatientFor, requireVersion } from "./patient-access.ts";

export async function openEncounter(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  input: OpenEncounterInput,
  fault?: WriteFault,
): Promise<CommandReply<Encounter>> {
  return runPatientCommand(lab, patientId, ctx, { operation: "encounter.open", request: { patientId, input }, fault }, async (tx) => {
    await loadPatientFor(tx, ctx.actor, "encounter.open", patientId);
    if (grantFor(ctx.actor.role, "encounter.open")?.scope === "own-facility" && input.facilityId !== ctx.actor.facilityId) {
      throw new LabError("forbidden", "encounters are opened at your own facility", { field: "facilityId" });
    }
    const provider = await lab.control.prisma.provider.findUnique({ where: { id: input.providerId } });
    if (!provider || provider.facilityId !== input.facilityId) {
      throw new LabError("unprocessable", `provider ${input.providerId} does not work at facility ${input.facilityId}`, { field: "providerId" });
    }
    const encounter = await insertRow(tx, "Encounter", {
      id: `enc-${randomUUID()}`,
      patientId,
      facilityId: input.facilityId,
      providerId: input.providerId,
      kind: input.kind,
      status: "open",
      reason: input.reason,
      note: input.note,
      startedAt: ctx.now,
      endedAt: null,
      version: 1,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    return {
      status: 201,
      result: encounter,
      audit: { action: "encounter.open", entityType: "Encounter", entityId: encounter.id, details: { kind: encounter.kind, facilityId: encounter.facilityId } },
      history: [{ entityType: "Encounter", entityId: encounter.id, version: 1, operation: "create", before: null, after: encounter }],
      events: [
        {
          type: "EncounterOpened",
          version: 1,
          aggregateType: "Encounter",
          aggregateId: encounter.id,
          partitionKey: patientId,
          payload: {
            encounterId: encounter.id,
            patientId,
            facilityId: encounter.facilityId,
            providerId: encounter.providerId,
            kind: encounter.kind,
            startedAt: encounter.startedAt,
          },
        },
      ],
    };
  });
}

export async function closeEncounter(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  encounterId: string,
  expectedVersion: number,
  fault?: WriteFault,
): Promise<CommandReply<Encounter>> {
  return runPatientCommand(lab, patientId, ctx, { operation: "encounter.close", request: { patientId, encounterId, expectedVersion }, fault }, async (tx) => {
    await loadPatientFor(tx, ctx.actor, "encounter.close", patientId);
    const before = await selectRow(tx, "Encounter", { id: encounterId, patientId });
    if (!before) throw new LabError("not_found", `encounter ${encounterId} does not exist for this patient`, { field: "encounterId" });
    requireVersion("encounter", encounterId, before.version, expectedVersion);
    if (before.status !== "open") throw new LabError("conflict", `encounter ${encounterId} is already ${before.status}`, { field: "status" });
    const after = await updateVersionedRow(tx, "Encounter", before, { status: "closed", endedAt: ctx.now, updatedAt: ctx.now });
    if (!after) throw new LabError("conflict", `encounter ${encounterId} changed meanwhile`, { field: "If-Match" });
    return {
      status: 200,
      result: after,
      audit: { action: "encounter.close", entityType: "Encounter", entityId: encounterId, details: { version: after.version } },
      history: [{ entityType: "Encounter", entityId: encounterId, version: after.version, operation: "update", before, after }],
      events: [
        {
          type: "EncounterClosed",
          version: 1,
          aggregateType: "Encounter",
          aggregateId: encounterId,
          partitionKey: patientId,
          payload: {
            encounterId,
            patientId,
            facilityId: after.facilityId,
            endedAt: after.endedAt,
            durationMinutes: Math.round((ctx.now.getTime() - before.startedAt.getTime()) / 60_000),
          },
        },
      ],
    };
  });
}
