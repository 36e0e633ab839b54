// The small bundled code lists the generator draws from. Diagnosis codes are ICD-10-CM; procedure codes are
// CPT-style; medication codes are lab-local (no real formulary is implied). Prices are plausible list prices.

export interface DiagnosisCode {
  code: string;
  description: string;
  /** Relative weight by age band: child (<18), adult (18-64), senior (65+). */
  weights: readonly [number, number, number];
  /** The procedure that usually goes with it, besides the visit itself. */
  procedure?: string;
  /** Medications it is often treated with. */
  medications?: readonly string[];
}

export const DIAGNOSES: readonly DiagnosisCode[] = [
  { code: "J06.9", description: "Acute upper respiratory infection, unspecified", weights: [30, 12, 6] },
  { code: "J02.9", description: "Acute pharyngitis, unspecified", weights: [18, 6, 2], procedure: "87880", medications: ["amoxicillin-500"] },
  { code: "H66.90", description: "Otitis media, unspecified", weights: [20, 2, 1], medications: ["amoxicillin-500"] },
  { code: "J45.909", description: "Unspecified asthma, uncomplicated", weights: [10, 5, 3], procedure: "94010", medications: ["albuterol-inh"] },
  { code: "I10", description: "Essential (primary) hypertension", weights: [0, 14, 30], procedure: "93000", medications: ["lisinopril-10", "amlodipine-5"] },
  { code: "E11.9", description: "Type 2 diabetes mellitus without complications", weights: [0, 9, 18], procedure: "83036", medications: ["metformin-500"] },
  { code: "E78.5", description: "Hyperlipidemia, unspecified", weights: [0, 10, 18], procedure: "80061", medications: ["atorvastatin-20"] },
  { code: "M54.50", description: "Low back pain, unspecified", weights: [1, 12, 9], procedure: "72100", medications: ["ibuprofen-400"] },
  { code: "F41.1", description: "Generalized anxiety disorder", weights: [2, 8, 3], medications: ["sertraline-50"] },
  { code: "F32.A", description: "Depression, unspecified", weights: [2, 8, 4], medications: ["sertraline-50"] },
  { code: "K21.9", description: "Gastro-esophageal reflux disease without esophagitis", weights: [1, 7, 8], medications: ["omeprazole-20"] },
  { code: "N39.0", description: "Urinary tract infection, site not specified", weights: [3, 6, 9], procedure: "81002", medications: ["nitrofurantoin-100"] },
  { code: "R51.9", description: "Headache, unspecified", weights: [4, 7, 3] },
  { code: "R10.9", description: "Unspecified abdominal pain", weights: [5, 7, 5], procedure: "74176" },
  { code: "R07.9", description: "Chest pain, unspecified", weights: [1, 6, 9], procedure: "93000" },
  { code: "S93.401A", description: "Sprain of unspecified ligament of unspecified ankle, initial encounter", weights: [6, 5, 1], procedure: "73610" },
  { code: "Z00.00", description: "Encounter for general adult medical examination without abnormal findings", weights: [0, 14, 10], procedure: "80053" },
  { code: "Z00.129", description: "Encounter for routine child health examination without abnormal findings", weights: [28, 0, 0], procedure: "90471" },
  { code: "Z23", description: "Encounter for immunization", weights: [14, 4, 8], procedure: "90471" },
  { code: "I48.91", description: "Unspecified atrial fibrillation", weights: [0, 1, 7], procedure: "93000", medications: ["apixaban-5"] },
  { code: "J44.9", description: "Chronic obstructive pulmonary disease, unspecified", weights: [0, 2, 8], procedure: "94010", medications: ["albuterol-inh"] },
  { code: "N18.30", description: "Chronic kidney disease, stage 3 unspecified", weights: [0, 1, 6], procedure: "80053" },
  { code: "E03.9", description: "Hypothyroidism, unspecified", weights: [0, 4, 7], procedure: "84443", medications: ["levothyroxine-50"] },
  { code: "J18.9", description: "Pneumonia, unspecified organism", weights: [2, 2, 6], procedure: "71046", medications: ["azithromycin-250"] },
  { code: "I50.9", description: "Heart failure, unspecified", weights: [0, 1, 5], procedure: "93306", medications: ["furosemide-40"] },
];

export interface ProcedureCode {
  code: string;
  description: string;
  priceCents: number;
}

export const PROCEDURES: readonly ProcedureCode[] = [
  { code: "99213", description: "Office visit, established patient, low complexity", priceCents: 13_500 },
  { code: "99214", description: "Office visit, established patient, moderate complexity", priceCents: 19_800 },
  { code: "99203", description: "Office visit, new patient, low complexity", priceCents: 16_500 },
  { code: "99283", description: "Emergency department visit, moderate severity", priceCents: 42_000 },
  { code: "99285", description: "Emergency department visit, high severity", priceCents: 98_000 },
  { code: "99222", description: "Initial hospital inpatient care, moderate complexity", priceCents: 31_000 },
  { code: "99231", description: "Subsequent hospital inpatient care, per day", priceCents: 12_500 },
  { code: "99442", description: "Telephone or video evaluation, 11-20 minutes", priceCents: 7_500 },
  { code: "93000", description: "Electrocardiogram with interpretation", priceCents: 6_200 },
  { code: "93306", description: "Echocardiography, complete", priceCents: 165_000 },
  { code: "80053", description: "Comprehensive metabolic panel", priceCents: 4_800 },
  { code: "80061", description: "Lipid panel", priceCents: 5_600 },
  { code: "83036", description: "Hemoglobin A1c", priceCents: 3_900 },
  { code: "84443", description: "Thyroid stimulating hormone", priceCents: 6_100 },
  { code: "85025", description: "Complete blood count with differential", priceCents: 3_300 },
  { code: "81002", description: "Urinalysis, non-automated, without microscopy", priceCents: 1_400 },
  { code: "87880", description: "Rapid streptococcus antigen test", priceCents: 2_900 },
  { code: "94010", description: "Spirometry", priceCents: 8_700 },
  { code: "71046", description: "Chest X-ray, two views", priceCents: 14_500 },
  { code: "72100", description: "X-ray of lumbosacral spine, two or three views", priceCents: 13_200 },
  { code: "73610", description: "X-ray of ankle, complete", priceCents: 11_800 },
  { code: "74176", description: "CT of abdomen and pelvis without contrast", priceCents: 145_000 },
  { code: "90471", description: "Immunization administration", priceCents: 2_800 },
  { code: "36415", description: "Routine venipuncture", priceCents: 1_200 },
];

export const PROCEDURE_BY_CODE: ReadonlyMap<string, ProcedureCode> = new Map(PROCEDURES.map((p) => [p.code, p]));

export interface MedicationCode {
  code: string;
  name: string;
  dose: string;
  frequency: string;
}

export const MEDICATIONS: readonly MedicationCode[] = [
  { code: "amoxicillin-500", name: "Amoxicillin 500 mg capsule", dose: "500 mg", frequency: "three times daily for 10 days" },
  { code: "albuterol-inh", name: "Albuterol 90 mcg/actuation inhaler", dose: "2 puffs", frequency: "every 4-6 hours as needed" },
  { code: "lisinopril-10", name: "Lisinopril 10 mg tablet", dose: "10 mg", frequency: "once daily" },
  { code: "amlodipine-5", name: "Amlodipine 5 mg tablet", dose: "5 mg", frequency: "once daily" },
  { code: "metformin-500", name: "Metformin 500 mg tablet", dose: "500 mg", frequency: "twice daily with meals" },
  { code: "atorvastatin-20", name: "Atorvastatin 20 mg tablet", dose: "20 mg", frequency: "once daily at bedtime" },
  { code: "ibuprofen-400", name: "Ibuprofen 400 mg tablet", dose: "400 mg", frequency: "every 6 hours as needed" },
  { code: "sertraline-50", name: "Sertraline 50 mg tablet", dose: "50 mg", frequency: "once daily" },
  { code: "omeprazole-20", name: "Omeprazole 20 mg capsule", dose: "20 mg", frequency: "once daily before breakfast" },
  { code: "nitrofurantoin-100", name: "Nitrofurantoin 100 mg capsule", dose: "100 mg", frequency: "twice daily for 5 days" },
  { code: "apixaban-5", name: "Apixaban 5 mg tablet", dose: "5 mg", frequency: "twice daily" },
  { code: "levothyroxine-50", name: "Levothyroxine 50 mcg tablet", dose: "50 mcg", frequency: "once daily" },
  { code: "azithromycin-250", name: "Azithromycin 250 mg tablet", dose: "250 mg", frequency: "once daily for 5 days" },
  { code: "furosemide-40", name: "Furosemide 40 mg tablet", dose: "40 mg", frequency: "once daily" },
];

export const MEDICATION_BY_CODE: ReadonlyMap<string, MedicationCode> = new Map(MEDICATIONS.map((m) => [m.code, m]));

export type EncounterKind = "outpatient" | "telehealth" | "emergency" | "inpatient";

export const ENCOUNTER_KINDS: readonly (readonly [EncounterKind, number])[] = [
  ["outpatient", 70],
  ["telehealth", 12],
  ["emergency", 12],
  ["inpatient", 6],
];

/** The visit code billed for each kind of encounter. */
export const VISIT_PROCEDURE: Record<EncounterKind, readonly string[]> = {
  outpatient: ["99213", "99214", "99203"],
  telehealth: ["99442"],
  emergency: ["99283", "99285"],
  inpatient: ["99222"],
};

export const PAYERS = ["Northwind Health Plan", "Blue Harbor Mutual", "Civic Care Medicaid", "Silver Years Medicare Advantage", "Self-pay"] as const;

export const DENIAL_REASONS = [
  "CO-16: claim lacks information needed for adjudication",
  "CO-50: not deemed a medical necessity by the payer",
  "CO-97: service included in another service already adjudicated",
  "CO-29: time limit for filing has expired",
  "CO-197: precertification or authorization absent",
] as const;

export const SPECIALTIES = [
  "Family Medicine",
  "Internal Medicine",
  "Pediatrics",
  "Emergency Medicine",
  "Cardiology",
  "Hospitalist",
  "Pulmonology",
  "Endocrinology",
  "Psychiatry",
  "Radiology",
] as const;

export const FACILITY_KINDS: readonly (readonly [string, number])[] = [
  ["hospital", 3],
  ["clinic", 6],
  ["urgent-care", 2],
];

/** Age bands with their share of the population (roughly a national census pyramid). */
export const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 4], 5.7],
  [[5, 17], 16.2],
  [[18, 24], 9.1],
  [[25, 34], 13.6],
  [[35, 44], 13.1],
  [[45, 54], 12.0],
  [[55, 64], 12.6],
  [[65, 74], 10.1],
  [[75, 84], 5.3],
  [[85, 99], 2.3],
];

export const SEX_SHARES: readonly (readonly ["female" | "male" | "other", number])[] = [
  ["female", 50.5],
  ["male", 49.2],
  ["other", 0.3],
];
