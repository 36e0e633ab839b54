// The third peer for bench:api: the clinical service's two reads and nothing else. A bare Fastify (no token,
// logger, trace, metrics, faults or input schemas) answers GET /patients/:id and /patients/:id/encounters
// from the lab's shards with the same lib/ reads and a fixed clinician's view. Behind the bare forward it is
// the floor of the read mix itself: two Node hops plus the SQLite read and its JSON, with no lab feature.
import Fastify from "fastify";
import { listPatientEncounters, readPatient } from "../lib/clinical/clinical-reads.ts";
import { loadConfig } from "../lib/config/index.ts";
import { openLabDatabases } from "../lib/data/lab-databases.ts";

const port = Number(process.argv[2] ?? 4992);
const facilityId = process.argv[3] ?? "fac-0001";
const lab = await openLabDatabases(loadConfig(process.env));
const clinician = { userId: "usr-read-floor", role: "clinician" as const, facilityId, patientId: null };
const app = Fastify({ logger: false });
app.get<{ Params: { patientId: string } }>("/patients/:patientId", async (request) => readPatient(lab, clinician, request.params.patientId));
app.get<{ Params: { patientId: string }; Querystring: { limit?: string } }>("/patients/:patientId/encounters", async (request) =>
  listPatientEncounters(lab, clinician, request.params.patientId, { limit: Number(request.query.limit ?? 10) }),
);
await app.listen({ host: "127.0.0.1", port });
