// One line per event of a patient's timeline, built only from the payload's identifiers, codes, statuses
// and amounts: the events carry no names or addresses, and the line never echoes a field it does not know.
const money = (cents: unknown) => (typeof cents === "number" ? `$${(cents / 100).toFixed(2)}` : "");
const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "?");

const LINES: Record<string, (p: Record<string, unknown>) => string> = {
  PatientRegistered: (p) => `registered at ${text(p.facilityId)}`,
  PatientDemographicsChanged: (p) => `demographics changed (${Array.isArray(p.fields) ? p.fields.map(text).join(", ") : "?"})`,
  EncounterOpened: (p) => `${text(p.kind)} encounter ${text(p.encounterId)} opened at ${text(p.facilityId)}`,
  EncounterClosed: (p) => `encounter ${text(p.encounterId)} closed after ${text(p.durationMinutes)} min`,
  DiagnosisRecorded: (p) => `diagnosis ${text(p.code)} recorded in ${text(p.encounterId)}`,
  ProcedureRecorded: (p) => `procedure ${text(p.code)} performed in ${text(p.encounterId)}`,
  MedicationPrescribed: (p) => `medication ${text(p.code)} prescribed in ${text(p.encounterId)}`,
  MedicationDiscontinued: (p) => `medication ${text(p.medicationId)} discontinued`,
  ClaimCreated: (p) => `claim ${text(p.claimId)} of ${money(p.totalCents)} to ${text(p.payer)} created`,
  ClaimSubmitted: (p) => `claim ${text(p.claimId)} submitted`,
  ClaimAdjudicated: (p) => `claim ${text(p.claimId)} adjudicated`,
  ClaimPaid: (p) => `claim ${text(p.claimId)} paid${typeof p.paidCents === "number" ? ` ${money(p.paidCents)}` : ""}`,
  ClaimDenied: (p) => `claim ${text(p.claimId)} denied${typeof p.denialReason === "string" ? `: ${p.denialReason}` : ""}`,
};

export function describeTimelineEvent(type: string, payload: Record<string, unknown>): string {
  return LINES[type]?.(payload) ?? type;
}
