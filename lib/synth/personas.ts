// The demo personas: one lab user per role, tied to generated data where the role needs it
// (the patient persona is a generated patient; the clinician works at that patient's facility).
export const PERSONA_ROLES = ["patient", "clinician", "billing", "sre", "oncall", "instructor", "admin"] as const;
export type PersonaRole = (typeof PERSONA_ROLES)[number];

export interface PersonaUserRow {
  id: string;
  username: string;
  displayName: string;
  role: PersonaRole;
  facilityId: string | null;
  patientId: string | null;
  createdAt: Date;
}

const DISPLAY: Record<PersonaRole, string> = {
  patient: "Pat Demo (patient)",
  clinician: "Dr. Casey Demo (clinician)",
  billing: "Bailey Demo (billing admin)",
  sre: "Sam Demo (SRE)",
  oncall: "Olive Demo (on call)",
  instructor: "Indra Demo (instructor)",
  admin: "Alex Demo (lab admin)",
};

export function personaUsers(anchor: { patientId: string; facilityId: string }, createdAt: Date): PersonaUserRow[] {
  return PERSONA_ROLES.map((role) => ({
    id: `usr-${role}`,
    username: `${role}.demo`,
    displayName: DISPLAY[role],
    role,
    facilityId: role === "patient" || role === "clinician" || role === "billing" ? anchor.facilityId : null,
    patientId: role === "patient" ? anchor.patientId : null,
    createdAt,
  }));
}
