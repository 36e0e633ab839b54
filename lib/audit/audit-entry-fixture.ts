// For tests: who did what to which record in one audit entry, the facts an entry (AuditHit) and its row as
// a reader sees it (AuditRow) both carry: a clinician changed patient pat-1's demographics in request req-1.
import type { AuditRow } from "./present-audit.ts";

export const CLINICIAN_UPDATED_PATIENT: Pick<AuditRow, "actorId" | "actorRole" | "action" | "entityType" | "entityId" | "patientId" | "requestId"> = {
  actorId: "usr-clinician",
  actorRole: "clinician",
  action: "patient.update",
  entityType: "Patient",
  entityId: "pat-1",
  patientId: "pat-1",
  requestId: "req-1",
};
