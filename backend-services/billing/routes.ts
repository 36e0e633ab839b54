// The billing service's HTTP surface, served from the API catalog: claims on a patient's shard, and the
// pipeline across shards.
import { listClaimsInStatus, listPatientClaims, readClaim } from "../../lib/billing/billing-reads.ts";
import { adjudicateClaim, createClaim, denyClaim, payClaim, submitClaim } from "../../lib/billing/claim-commands.ts";
import { NoBody } from "../../lib/billing/contracts.ts";
import { API } from "../../lib/contracts/api-catalog.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";
import { commandContext, expectedVersion, parseInput, sendCommandReply } from "../common/http-context.ts";

export function billingRoutes(routes: DeclaredRoutes, lab: LabDatabases): void {
  routes.serve(API.claimsInStatus, ({ actor, query: q }) => listClaimsInStatus(lab, actor, q.status, { limit: q.limit, cursor: q.cursor }));
  routes.serve(API.patientClaims, ({ actor, params, query }) => listPatientClaims(lab, actor, params.patientId, query));
  routes.serve(API.createClaim, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await createClaim(lab, commandContext(request, actor), params.patientId, body)),
  );
  routes.serve(API.claim, ({ actor, params }) => readClaim(lab, actor, params.patientId, params.claimId));
  routes.serve(API.submitClaim, async ({ actor, params, rawBody, request, reply }) => {
    parseInput(NoBody, rawBody, "body");
    return sendCommandReply(reply, await submitClaim(lab, commandContext(request, actor), params.patientId, params.claimId, expectedVersion(request)));
  });
  routes.serve(API.adjudicateClaim, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await adjudicateClaim(lab, commandContext(request, actor), params.patientId, params.claimId, expectedVersion(request), body)),
  );
  routes.serve(API.payClaim, async ({ actor, params, rawBody, request, reply }) => {
    parseInput(NoBody, rawBody, "body");
    return sendCommandReply(reply, await payClaim(lab, commandContext(request, actor), params.patientId, params.claimId, expectedVersion(request)));
  });
  routes.serve(API.denyClaim, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await denyClaim(lab, commandContext(request, actor), params.patientId, params.claimId, expectedVersion(request), body)),
  );
}
