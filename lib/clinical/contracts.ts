// Request bodies of the clinical API: the single source for validation, types and (later) OpenAPI.
// Objects are strict: an unknown field is a 400 naming it, never silently dropped.
import { z } from "zod";
import { MAX_PAGE_SIZE } from "../data/cross-shard-page.ts";

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-[A-Za-z0-9-]{1,80}$`), `must be a ${prefix}- id`);
// No control characters (PostgreSQL refuses NUL; none belongs in a name or a code); free text may keep
// newlines and tabs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// eslint-disable-next-line no-control-regex -- as above
const NO_CONTROL_BUT_LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const text = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL, "must not contain control characters");
export const freeText = (max: number) => z.string().max(max).regex(NO_CONTROL_BUT_LINES, "must not contain control characters");
export const PatientId = id("pat");
export const EncounterId = id("enc");
export const MedicationId = id("med");
export const FacilityId = id("fac");
export const ProviderId = id("prv");

export const PatientParams = z.strictObject({ patientId: PatientId });
export const EncounterParams = z.strictObject({ patientId: PatientId, encounterId: EncounterId });
export const MedicationParams = z.strictObject({ patientId: PatientId, medicationId: MedicationId });
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(500).optional(),
});
export const PatientSearchQuery = PageQuery.extend({
  facilityId: FacilityId.optional(),
  mrn: z.string().min(1).max(40).regex(NO_CONTROL, "must not contain control characters").optional(),
});

export const RegisterPatientInput = z.strictObject({
  facilityId: FacilityId,
  givenName: text(100),
  familyName: text(100),
  sex: z.enum(["female", "male", "other"]),
  birthDate: z.iso.date().refine((d) => d >= "1900-01-01" && d <= new Date().toISOString().slice(0, 10), "must be between 1900-01-01 and today"),
  addressLine: text(200),
  city: text(100),
  region: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter region code"),
  postalCode: z.string().regex(/^\d{5}$/, "must be five digits"),
  // Clear identifiers arrive once and leave only as HMAC tokens.
  mrn: text(40),
  nationalId: z.string().regex(/^\d{3}-?\d{2}-?\d{4}$/, "must be nine digits (###-##-####)"),
  phone: z.string().regex(/^[0-9+\-(). ]{7,20}$/, "must be a phone number"),
  email: z.email().max(200),
});
export type RegisterPatientInput = z.infer<typeof RegisterPatientInput>;

export const UpdateDemographicsInput = z
  .strictObject({
    givenName: text(100).optional(),
    familyName: text(100).optional(),
    addressLine: text(200).optional(),
    city: text(100).optional(),
    region: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter region code")
      .optional(),
    postalCode: z
      .string()
      .regex(/^\d{5}$/, "must be five digits")
      .optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "must change at least one field");
export type UpdateDemographicsInput = z.infer<typeof UpdateDemographicsInput>;

export const OpenEncounterInput = z.strictObject({
  providerId: ProviderId,
  facilityId: FacilityId,
  kind: z.enum(["outpatient", "telehealth", "emergency", "inpatient"]),
  reason: text(500),
  note: freeText(10_000).default(""),
});
export type OpenEncounterInput = z.infer<typeof OpenEncounterInput>;

export const RecordDiagnosisInput = z.strictObject({
  code: z.string().regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, "must be an ICD-10 code"),
  description: text(300),
});
export type RecordDiagnosisInput = z.infer<typeof RecordDiagnosisInput>;

export const RecordProcedureInput = z.strictObject({
  code: z.string().regex(/^[0-9]{4}[0-9A-Z]$/, "must be a five-character procedure code"),
  description: text(300),
});
export type RecordProcedureInput = z.infer<typeof RecordProcedureInput>;

export const PrescribeMedicationInput = z.strictObject({
  code: text(60),
  name: text(200),
  dose: text(60),
  frequency: text(120),
});
export type PrescribeMedicationInput = z.infer<typeof PrescribeMedicationInput>;
