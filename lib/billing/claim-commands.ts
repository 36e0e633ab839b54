// The claim lifecycle: created from a closed encounter's procedures, then submitted, adjudicated, paid or
// denied. Each step is a versioned transition in one shard transaction with history, audit and outbox.
import { randomUUID } from "node:crypto";
import { rowOfPatient } from "../commands/patient-rows.ts";
import { rowWritten, runPatientCommand } from "../commands/run-patient-command.ts";
import type { CommandOutcome, CommandReply, PatientCommand, RequestContext, VersionedCommand, WriteFault } from "../commands/run-patient-command.ts";
import { type ClaimWithLines } from "../data/claims.ts";
import type { LabDatabases } from "../data/lab-databases.ts";
import type { Claim } from "../data/prisma-clients.ts";
import { insertRow, selectRows } from "../data/rows.ts";
import type { ShardTx } from "../data/shard-transaction.ts";
import { LabError } from "../errors/index.ts";
import { changePatientRow, loadPatientFor } from "../clinical/patient-access.ts";
import { PROCEDURE_BY_CODE } from "../synth/catalog.ts";
import type { Action } from "../auth/policy.ts";
import type { AdjudicateClaimInput, CreateClaimInput, DenyClaimInput } from "./contracts.ts";

export const createClaim: PatientCommand<[input: CreateClaimInput], ClaimWithLines> = (lab, ctx, patientId, input, fault) =>
  runPatientCommand(lab, patientId, ctx, { operation: "claim.create", request: { patientId, input }, fault }, async (tx) => {
    await loadPatientFor(tx, ctx.actor, "claim.create", patientId);
    const encounter = await rowOfPatient(tx, "Encounter", patientId, input.encounterId);
    if (encounter.status !== "closed") throw new LabError("conflict", "claims are made from closed encounters", { field: "encounterId" });
    const open = await tx.query(`SELECT 1 AS "open" FROM "claims" WHERE "encounterId" = ? AND "status" <> 'denied' LIMIT 1`, [encounter.id]);
    if (open.length > 0) throw new LabError("conflict", `encounter ${encounter.id} already has an open or settled claim`, { field: "encounterId" });
    const procedures = await selectRows(tx, "Procedure", { encounterId: encounter.id, patientId }, ["performedAt", "id"]);
    if (procedures.length === 0) throw new LabError("unprocessable", "the encounter has no procedures to bill", { field: "encounterId" });
    const claimId = `clm-${randomUUID()}`;
    const lines = procedures.map((p, i) => {
      const price = PROCEDURE_BY_CODE.get(p.code);
      if (!price) throw new LabError("unprocessable", `procedure code ${p.code} has no price in the lab's fee schedule`, { field: "encounterId" });
      return {
        id: `cl-${randomUUID()}`,
        claimId,
        patientId,
        lineNumber: i + 1,
        code: p.code,
        description: p.description,
        units: 1,
        unitPriceCents: price.priceCents,
        amountCents: price.priceCents,
      };
    });
    const claim: ClaimWithLines = {
      ...(await insertRow(tx, "Claim", {
        id: claimId,
        patientId,
        encounterId: encounter.id,
        facilityId: encounter.facilityId,
        payer: input.payer,
        status: "draft",
        totalCents: lines.reduce((sum, l) => sum + l.amountCents, 0),
        allowedCents: null,
        paidCents: null,
        denialReason: null,
        submittedAt: null,
        adjudicatedAt: null,
        paidAt: null,
        version: 1,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })),
      lines: [],
    };
    for (const line of lines) claim.lines.push(await insertRow(tx, "ClaimLine", line));
    return rowWritten({
      action: "claim.create",
      entityType: "Claim",
      patientId,
      before: null,
      after: claim,
      details: { encounterId: encounter.id, totalCents: claim.totalCents, lines: lines.length },
      event: "ClaimCreated",
      payload: { claimId, patientId, encounterId: encounter.id, facilityId: claim.facilityId, payer: claim.payer, totalCents: claim.totalCents },
    });
  });

interface Transition {
  action: Action;
  from: readonly string[];
  to: string;
  event: string;
  change: (claim: Claim, ctx: RequestContext) => Partial<Claim>;
}

const TRANSITIONS = {
  submit: { action: "claim.submit", from: ["draft"], to: "submitted", event: "ClaimSubmitted", change: (_c, ctx) => ({ submittedAt: ctx.now }) },
  pay: { action: "claim.pay", from: ["adjudicated"], to: "paid", event: "ClaimPaid", change: (c, ctx) => ({ paidCents: c.allowedCents, paidAt: ctx.now }) },
} satisfies Record<string, Transition>;

async function transition(
  lab: LabDatabases,
  ctx: RequestContext,
  patientId: string,
  claimId: string,
  expectedVersion: number,
  t: Transition,
  request: unknown,
  fault: WriteFault | undefined,
): Promise<CommandReply<Claim>> {
  return runPatientCommand(lab, patientId, ctx, { operation: t.action, request, fault }, async (tx: ShardTx): Promise<CommandOutcome<Claim>> => {
    const { before, after } = await changePatientRow(tx, ctx.actor, { action: t.action, model: "Claim", patientId, id: claimId, expectedVersion }, (c) => {
      if (!t.from.includes(c.status)) throw new LabError("conflict", `a ${c.status} claim cannot become ${t.to}`, { field: "status" });
      return { ...t.change(c, ctx), status: t.to, updatedAt: ctx.now };
    });
    return rowWritten({
      action: t.action,
      entityType: "Claim",
      patientId,
      before,
      after,
      details: { from: before.status, to: after.status, version: after.version },
      event: t.event,
      payload: {
        claimId,
        patientId,
        facilityId: after.facilityId,
        status: after.status,
        totalCents: after.totalCents,
        allowedCents: after.allowedCents,
        paidCents: after.paidCents,
        denialReason: after.denialReason,
      },
    });
  });
}

export const submitClaim: VersionedCommand<Claim> = (lab, ctx, patientId, claimId, expectedVersion, fault) =>
  transition(lab, ctx, patientId, claimId, expectedVersion, TRANSITIONS.submit, { op: "submit", patientId, claimId, expectedVersion }, fault);

export const adjudicateClaim: VersionedCommand<Claim, [input: AdjudicateClaimInput]> = (lab, ctx, patientId, claimId, expectedVersion, input, fault) => {
  const t: Transition = {
    action: "claim.adjudicate",
    from: ["submitted"],
    to: "adjudicated",
    event: "ClaimAdjudicated",
    change: (c, now) => {
      if (input.allowedCents > c.totalCents)
        throw new LabError("unprocessable", `allowed amount ${input.allowedCents} exceeds the claim total ${c.totalCents}`, { field: "allowedCents" });
      return { allowedCents: input.allowedCents, adjudicatedAt: now.now };
    },
  };
  return transition(lab, ctx, patientId, claimId, expectedVersion, t, { op: "adjudicate", patientId, claimId, expectedVersion, input }, fault);
};

export const payClaim: VersionedCommand<Claim> = (lab, ctx, patientId, claimId, expectedVersion, fault) =>
  transition(lab, ctx, patientId, claimId, expectedVersion, TRANSITIONS.pay, { op: "pay", patientId, claimId, expectedVersion }, fault);

export const denyClaim: VersionedCommand<Claim, [input: DenyClaimInput]> = (lab, ctx, patientId, claimId, expectedVersion, input, fault) => {
  const t: Transition = {
    action: "claim.deny",
    from: ["submitted", "adjudicated"],
    to: "denied",
    event: "ClaimDenied",
    change: (_c, c) => ({ denialReason: input.reason, adjudicatedAt: c.now }),
  };
  return transition(lab, ctx, patientId, claimId, expectedVersion, t, { op: "deny", patientId, claimId, expectedVersion, input }, fault);
};
