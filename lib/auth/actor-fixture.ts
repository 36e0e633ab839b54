// For tests: one actor of each role. The patient is the record `patientId`; the clinician and the billing
// admin work at fac-0001; the operations roles belong to no facility.
import type { Actor, Role } from "./roles.ts";

export const actorOfEachRole = (patientId: string): Record<Role, Actor> => ({
  patient: { userId: "usr-patient", role: "patient", facilityId: null, patientId },
  clinician: { userId: "usr-clinician", role: "clinician", facilityId: "fac-0001", patientId: null },
  billing: { userId: "usr-billing", role: "billing", facilityId: "fac-0001", patientId: null },
  sre: { userId: "usr-sre", role: "sre", facilityId: null, patientId: null },
  oncall: { userId: "usr-oncall", role: "oncall", facilityId: null, patientId: null },
  instructor: { userId: "usr-instructor", role: "instructor", facilityId: null, patientId: null },
  admin: { userId: "usr-admin", role: "admin", facilityId: null, patientId: null },
});
