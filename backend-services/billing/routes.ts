// The billing service's HTTP surface: claims on a patient's shard, and the pipeline across shards.
import type { FastifyInstance } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { listClaimsInStatus, listPatientClaims, readClaim } from "../../lib/billing/billing-reads.ts";
import { adjudicateClaim, createClaim, denyClaim, payClaim, submitClaim } from "../../lib/billing/claim-commands.ts";
import { AdjudicateClaimInput, ClaimParams, ClaimPipelineQuery, CreateClaimInput, DenyClaimInput, NoBody } from "../../lib/billing/contracts.ts";
import { PageQuery, PatientParams } from "../../lib/clinical/contracts.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { authenticate, commandContext, expectedVersion, parseInput, sendCommandReply } from "../common/http-context.ts";

export function billingRoutes(app: FastifyInstance, lab: LabDatabases, tokens: TokenVerifier): void {

  app.get("/claims", async (request) => {
    const actor = await authenticate(request, tokens);
    const q = parseInput(ClaimPipelineQuery, request.query, "query");
    return listClaimsInStatus(lab, actor, q.status, { limit: q.limit, cursor: q.cursor });
  });

  app.get("/patients/:patientId/claims", async (request) => {
    const actor = await authenticate(request, tokens);
    const { patientId } = parseInput(PatientParams, request.params, "path");
    return listPatientClaims(lab, actor, patientId, parseInput(PageQuery, request.query, "query"));
  });

  app.post("/patients/:patientId/claims", async (request, reply) => {
    const actor = await authenticate(request, tokens);
    const { patientId } = parseInput(PatientParams, request.params, "path");
    const input = parseInput(CreateClaimInput, request.body, "body");
    return sendCommandReply(reply, await createClaim(lab, commandContext(request, actor), patientId, input));
  });

  app.get("/patients/:patientId/claims/:claimId", async (request) => {
    const actor = await authenticate(request, tokens);
    const { patientId, claimId } = parseInput(ClaimParams, request.params, "path");
    return readClaim(lab, actor, patientId, claimId);
  });

  app.post("/patients/:patientId/claims/:claimId/submit", async (request, reply) => {
    const actor = await authenticate(request, tokens);
    const { patientId, claimId } = parseInput(ClaimParams, request.params, "path");
    parseInput(NoBody, request.body, "body");
    return sendCommandReply(reply, await submitClaim(lab, commandContext(request, actor), patientId, claimId, expectedVersion(request)));
  });

  app.post("/patients/:patientId/claims/:claimId/adjudicate", async (request, reply) => {
    const actor = await authenticate(request, tokens);
    const { patientId, claimId } = parseInput(ClaimParams, request.params, "path");
    const input = parseInput(AdjudicateClaimInput, request.body, "body");
    return sendCommandReply(reply, await adjudicateClaim(lab, commandContext(request, actor), patientId, claimId, expectedVersion(request), input));
  });

  app.post("/patients/:patientId/claims/:claimId/pay", async (request, reply) => {
    const actor = await authenticate(request, tokens);
    const { patientId, claimId } = parseInput(ClaimParams, request.params, "path");
    parseInput(NoBody, request.body, "body");
    return sendCommandReply(reply, await payClaim(lab, commandContext(request, actor), patientId, claimId, expectedVersion(request)));
  });

  app.post("/patients/:patientId/claims/:claimId/deny", async (request, reply) => {
    const actor = await authenticate(request, tokens);
    const { patientId, claimId } = parseInput(ClaimParams, request.params, "path");
    const input = parseInput(DenyClaimInput, request.body, "body");
    return sendCommandReply(reply, await denyClaim(lab, commandContext(request, actor), patientId, claimId, expectedVersion(request), input));
  });
}
