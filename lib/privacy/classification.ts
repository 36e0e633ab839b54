// The lab's one table of data classes (seed 000, "Security and Privacy"; FR-02.3, NFR-24). Every field of
// every model is listed here; redaction for logs and exports reads it, and a test keeps it complete.
//   synthetic-phi   made-up but person-like: names, birth dates, addresses, clinical free text
//   pseudonym       an irreversible HMAC token of an identifier (safe to join on, never to display raw)
//   operational     ids, codes, statuses, amounts, timestamps: what the lab runs on
//   telemetry       request, trace and actor ids, audit and outbox plumbing
export type DataClass = "synthetic-phi" | "pseudonym" | "operational" | "telemetry";

const P = "synthetic-phi";
const T = "pseudonym";
const O = "operational";
const M = "telemetry";

export const FIELD_CLASSES = {
  Patient: {
    id: O,
    bucket: O,
    facilityId: O,
    mrnToken: T,
    nationalIdToken: T,
    phoneToken: T,
    emailToken: T,
    givenName: P,
    familyName: P,
    sex: P,
    birthDate: P,
    addressLine: P,
    city: P,
    region: O,
    postalCode: P,
    version: O,
    createdAt: O,
    updatedAt: O,
  },
  Encounter: {
    id: O,
    patientId: O,
    facilityId: O,
    providerId: O,
    kind: O,
    status: O,
    reason: P,
    note: P,
    startedAt: O,
    endedAt: O,
    version: O,
    createdAt: O,
    updatedAt: O,
  },
  Diagnosis: { id: O, patientId: O, encounterId: O, providerId: O, code: O, description: O, recordedAt: O, version: O },
  Procedure: { id: O, patientId: O, encounterId: O, providerId: O, code: O, description: O, performedAt: O, version: O },
  Medication: {
    id: O,
    patientId: O,
    encounterId: O,
    providerId: O,
    code: O,
    name: O,
    dose: O,
    frequency: O,
    status: O,
    prescribedAt: O,
    discontinuedAt: O,
    version: O,
  },
  Claim: {
    id: O,
    patientId: O,
    encounterId: O,
    facilityId: O,
    payer: O,
    status: O,
    totalCents: O,
    allowedCents: O,
    paidCents: O,
    denialReason: O,
    submittedAt: O,
    adjudicatedAt: O,
    paidAt: O,
    version: O,
    createdAt: O,
    updatedAt: O,
  },
  ClaimLine: {
    id: O,
    claimId: O,
    patientId: O,
    lineNumber: O,
    code: O,
    description: O,
    units: O,
    unitPriceCents: O,
    amountCents: O,
  },
  EntityHistory: {
    id: M,
    patientId: O,
    entityType: M,
    entityId: M,
    version: M,
    operation: M,
    before: P,
    after: P,
    actorId: M,
    requestId: M,
    changedAt: M,
  },
  AuditEntry: {
    sequence: M,
    occurredAt: M,
    actorId: M,
    actorRole: M,
    action: M,
    entityType: M,
    entityId: M,
    patientId: O,
    requestId: M,
    traceId: M,
    outcome: M,
    details: M,
    prevHash: M,
    hash: M,
  },
  OutboxEvent: {
    position: M,
    eventId: M,
    eventType: M,
    eventVersion: M,
    aggregateType: M,
    aggregateId: M,
    partitionKey: O,
    payload: P,
    headers: M,
    occurredAt: M,
    publishedAt: M,
    attempts: M,
  },
  LabMeta: { key: O, value: O },
  AuditChainHead: { id: M, sequence: M, hash: M },
  BucketFence: { bucket: O, reason: O, createdAt: O },
  AuditCheckpoint: { sequence: M, hash: M, pruned: M, createdAt: M, signature: M },
  IdempotencyRecord: { actorId: M, key: M, patientId: O, requestHash: M, statusCode: M, response: P, createdAt: M },
  Facility: { id: O, name: O, kind: O, city: O, region: O, bedCount: O, createdAt: O },
  Provider: { id: O, facilityId: O, npiToken: T, givenName: P, familyName: P, specialty: O, createdAt: O },
  User: { id: O, username: O, displayName: P, role: O, facilityId: O, patientId: O, createdAt: O },
  ShardBucket: { bucket: O, shard: O, state: O, version: O, updatedAt: O },
  DrillRun: {
    id: M,
    drillKey: M,
    status: M,
    params: M,
    targets: M,
    actorId: M,
    startedAt: M,
    deadlineAt: M,
    endedAt: M,
    abortReason: M,
  },
  Annotation: { id: M, at: M, endAt: M, kind: M, title: M, body: M, tags: M, actorId: M, drillRunId: M, traceId: M },
} as const satisfies Record<string, Record<string, DataClass>>;

export type ClassifiedModel = keyof typeof FIELD_CLASSES;

/** Field names that are synthetic PHI in any model: a log line carries no model name, so any match counts. */
export const PHI_FIELD_NAMES: ReadonlySet<string> = new Set(
  Object.values(FIELD_CLASSES).flatMap((fields) =>
    Object.entries(fields)
      .filter(([, cls]) => cls === "synthetic-phi")
      .map(([name]) => name),
  ),
);

export function classOf(model: ClassifiedModel, field: string): DataClass | undefined {
  return (FIELD_CLASSES[model] as Record<string, DataClass>)[field];
}
