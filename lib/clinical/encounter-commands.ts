// Opening and closing encounters.
import { randomUUID } from "node:crypto";
import { type PatientCommand, rowWritten, runPatientCommand, type VersionedCommand } from "../commands/run-patient-command.ts";
import type { Encounter } from "../data/prisma-clients.ts";
import { insertRow } from "../data/rows.ts";
import { grantFor } from "../auth/policy.ts";
import { LabError } from "../errors/index.ts";
import type { OpenEncounterInput } from "./contracts.ts";
import { changePatientRow, loadPatientFor } from "./patient-access.ts";

export const openEncounter: PatientCommand<[input: OpenEncounterInput], Encounter> = (lab, ctx, patientId, input, fault) =>
  runPatientCommand(lab, patientId, ctx, { operation: "encounter.open", request: { patientId, input }, fault }, async (tx) => {
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
    return rowWritten({
      action: "encounter.open",
      entityType: "Encounter",
      patientId,
      before: null,
      after: encounter,
      details: { kind: encounter.kind, facilityId: encounter.facilityId },
      event: "EncounterOpened",
      payload: {
        encounterId: encounter.id,
        patientId,
        facilityId: encounter.facilityId,
        providerId: encounter.providerId,
        kind: encounter.kind,
        startedAt: encounter.startedAt,
      },
    });
  });

export const closeEncounter: VersionedCommand<Encounter> = (lab, ctx, patientId, encounterId, expectedVersion, fault) =>
  runPatientCommand(lab, patientId, ctx, { operation: "encounter.close", request: { patientId, encounterId, expectedVersion }, fault }, async (tx) => {
    const closing = { action: "encounter.close", model: "Encounter", patientId, id: encounterId, expectedVersion } as const;
    const { before, after } = await changePatientRow(tx, ctx.actor, closing, (e) => {
      if (e.status !== "open") throw new LabError("conflict", `encounter ${encounterId} is already ${e.status}`, { field: "status" });
      return { status: "closed", endedAt: ctx.now, updatedAt: ctx.now };
    });
    return rowWritten({
      action: "encounter.close",
      entityType: "Encounter",
      patientId,
      before,
      after,
      details: { version: after.version },
      event: "EncounterClosed",
      payload: {
        encounterId,
        patientId,
        facilityId: after.facilityId,
        endedAt: after.endedAt,
        durationMinutes: Math.round((ctx.now.getTime() - before.startedAt.getTime()) / 60_000),
      },
    });
  });
