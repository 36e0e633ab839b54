// The clinical service's HTTP surface, served from the API catalog (lib/contracts/api-catalog.ts): each
// handler gets an actor allowed the route's action and the parsed input, and calls one lib/ function.
import { API } from "../../lib/contracts/api-catalog.ts";
import { listPatientEncounters, readEncounter, readPatient, searchPatients } from "../../lib/clinical/clinical-reads.ts";
import { closeEncounter, openEncounter } from "../../lib/clinical/encounter-commands.ts";
import { registerPatient, updateDemographics } from "../../lib/clinical/patient-commands.ts";
import { discontinueMedication, prescribeMedication, recordDiagnosis, recordProcedure } from "../../lib/clinical/record-commands.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import type { DeclaredRoutes } from "../common/declared-routes.ts";
import { commandContext, expectedVersion, sendCommandReply } from "../common/http-context.ts";

export function clinicalRoutes(routes: DeclaredRoutes, lab: LabDatabases): void {
  routes.serve(API.registerPatient, async ({ actor, body, request, reply }) =>
    sendCommandReply(reply, await registerPatient(lab, commandContext(request, actor), body)),
  );
  routes.serve(API.searchPatients, ({ actor, query: q }) =>
    searchPatients(lab, actor, { facilityId: q.facilityId, mrn: q.mrn }, { limit: q.limit, cursor: q.cursor }),
  );
  routes.serve(API.patient, ({ actor, params }) => readPatient(lab, actor, params.patientId));
  routes.serve(API.updateDemographics, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await updateDemographics(lab, commandContext(request, actor), params.patientId, expectedVersion(request), body)),
  );
  routes.serve(API.encounters, ({ actor, params, query }) => listPatientEncounters(lab, actor, params.patientId, query));
  routes.serve(API.openEncounter, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await openEncounter(lab, commandContext(request, actor), params.patientId, body)),
  );
  routes.serve(API.encounter, ({ actor, params }) => readEncounter(lab, actor, params.patientId, params.encounterId));
  routes.serve(API.closeEncounter, async ({ actor, params, request, reply }) =>
    sendCommandReply(reply, await closeEncounter(lab, commandContext(request, actor), params.patientId, params.encounterId, expectedVersion(request))),
  );
  routes.serve(API.recordDiagnosis, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await recordDiagnosis(lab, commandContext(request, actor), params.patientId, params.encounterId, body)),
  );
  routes.serve(API.recordProcedure, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await recordProcedure(lab, commandContext(request, actor), params.patientId, params.encounterId, body)),
  );
  routes.serve(API.prescribeMedication, async ({ actor, params, body, request, reply }) =>
    sendCommandReply(reply, await prescribeMedication(lab, commandContext(request, actor), params.patientId, params.encounterId, body)),
  );
  routes.serve(API.discontinueMedication, async ({ actor, params, request, reply }) =>
    sendCommandReply(reply, await discontinueMedication(lab, commandContext(request, actor), params.patientId, params.medicationId, expectedVersion(request))),
  );
}
