// The clinical service's HTTP surface. Each handler parses, authenticates, calls one lib/ function, answers.
import type { FastifyInstance } from "fastify";
import type { TokenVerifier } from "../../lib/auth/tokens.ts";
import { readEncounter, readPatient, listPatientEncounters, searchPatients } from "../../lib/clinical/clinical-reads.ts";
import {
  EncounterParams,
  MedicationParams,
  OpenEncounterInput,
  PageQuery,
  PatientParams,
  PatientSearchQuery,
  PrescribeMedicationInput,
  RecordDiagnosisInput,
  RecordProcedureInput,
  RegisterPatientInput,
  UpdateDemographicsInput,
} from "../../lib/clinical/contracts.ts";
import { closeEncounter, openEncounter } from "../../lib/clinical/encounter-commands.ts";
import { registerPatient, updateDemographics } from "../../lib/clinical/patient-commands.ts";
import { discontinueMedication, prescribeMedication, recordDiagnosis, recordProcedure } from "../../lib/clinical/record-commands.ts";
import type { LabDatabases } from "../../lib/data/lab-databases.ts";
import { authenticate, commandContext, expectedVersion, parseInput, sendCommandReply } from "../common/http-context.ts";

export function clinicalRoutes(app: FastifyInstance, lab: LabDatabases, tokens: TokenVerifier): void {
  const actorOf = (request: Parameters<typeof authenticate>[0]) => authenticate(request, tokens);

  app.post("/patients", async (request, reply) => {
    const actor = await actorOf(request);
    const input = parseInput(RegisterPatientInput, request.body, "body");
    return sendCommandReply(reply, await registerPatient(lab, commandContext(request, actor), input));
  });

  app.get("/patients", async (request) => {
    const actor = await actorOf(request);
    const q = parseInput(PatientSearchQuery, request.query, "query");
    return searchPatients(lab, actor, { facilityId: q.facilityId, mrn: q.mrn }, { limit: q.limit, cursor: q.cursor });
  });

  app.get("/patients/:patientId", async (request) => {
    const actor = await actorOf(request);
    const { patientId } = parseInput(PatientParams, request.params, "path");
    return readPatient(lab, actor, patientId);
  });

  app.patch("/patients/:patientId", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId } = parseInput(PatientParams, request.params, "path");
    const change = parseInput(UpdateDemographicsInput, request.body, "body");
    return sendCommandReply(reply, await updateDemographics(lab, commandContext(request, actor), patientId, expectedVersion(request), change));
  });

  app.get("/patients/:patientId/encounters", async (request) => {
    const actor = await actorOf(request);
    const { patientId } = parseInput(PatientParams, request.params, "path");
    const q = parseInput(PageQuery, request.query, "query");
    return listPatientEncounters(lab, actor, patientId, q);
  });

  app.post("/patients/:patientId/encounters", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId } = parseInput(PatientParams, request.params, "path");
    const input = parseInput(OpenEncounterInput, request.body, "body");
    return sendCommandReply(reply, await openEncounter(lab, commandContext(request, actor), patientId, input));
  });

  app.get("/patients/:patientId/encounters/:encounterId", async (request) => {
    const actor = await actorOf(request);
    const { patientId, encounterId } = parseInput(EncounterParams, request.params, "path");
    return readEncounter(lab, actor, patientId, encounterId);
  });

  app.post("/patients/:patientId/encounters/:encounterId/close", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId, encounterId } = parseInput(EncounterParams, request.params, "path");
    return sendCommandReply(reply, await closeEncounter(lab, commandContext(request, actor), patientId, encounterId, expectedVersion(request)));
  });

  app.post("/patients/:patientId/encounters/:encounterId/diagnoses", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId, encounterId } = parseInput(EncounterParams, request.params, "path");
    const input = parseInput(RecordDiagnosisInput, request.body, "body");
    return sendCommandReply(reply, await recordDiagnosis(lab, commandContext(request, actor), patientId, encounterId, input));
  });

  app.post("/patients/:patientId/encounters/:encounterId/procedures", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId, encounterId } = parseInput(EncounterParams, request.params, "path");
    const input = parseInput(RecordProcedureInput, request.body, "body");
    return sendCommandReply(reply, await recordProcedure(lab, commandContext(request, actor), patientId, encounterId, input));
  });

  app.post("/patients/:patientId/encounters/:encounterId/medications", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId, encounterId } = parseInput(EncounterParams, request.params, "path");
    const input = parseInput(PrescribeMedicationInput, request.body, "body");
    return sendCommandReply(reply, await prescribeMedication(lab, commandContext(request, actor), patientId, encounterId, input));
  });

  app.post("/patients/:patientId/medications/:medicationId/discontinue", async (request, reply) => {
    const actor = await actorOf(request);
    const { patientId, medicationId } = parseInput(MedicationParams, request.params, "path");
    return sendCommandReply(reply, await discontinueMedication(lab, commandContext(request, actor), patientId, medicationId, expectedVersion(request)));
  });
}
