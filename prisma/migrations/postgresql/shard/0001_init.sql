-- Shard database: patient-rooted rows, their history, the shard's audit chain and its outbox.
CREATE TABLE "lab_meta" (
  "key" TEXT NOT NULL PRIMARY KEY,
  "value" TEXT NOT NULL
);

CREATE TABLE "patients" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "bucket" INTEGER NOT NULL,
  "facilityId" TEXT NOT NULL,
  "mrnToken" TEXT NOT NULL,
  "nationalIdToken" TEXT NOT NULL,
  "phoneToken" TEXT NOT NULL,
  "emailToken" TEXT NOT NULL,
  "givenName" TEXT NOT NULL,
  "familyName" TEXT NOT NULL,
  "sex" TEXT NOT NULL,
  "birthDate" TIMESTAMP(3) NOT NULL,
  "addressLine" TEXT NOT NULL,
  "city" TEXT NOT NULL,
  "region" TEXT NOT NULL,
  "postalCode" TEXT NOT NULL,
  "version" INTEGER NOT NULL DEFAULT 1,
  "createdAt" TIMESTAMP(3) NOT NULL,
  "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "patients_mrnToken_key" ON "patients"("mrnToken");
CREATE INDEX "patients_nationalIdToken_idx" ON "patients"("nationalIdToken");
CREATE INDEX "patients_bucket_idx" ON "patients"("bucket");
CREATE INDEX "patients_facilityId_id_idx" ON "patients"("facilityId", "id");
CREATE INDEX "patients_createdAt_id_idx" ON "patients"("createdAt", "id");

CREATE TABLE "encounters" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "patientId" TEXT NOT NULL REFERENCES "patients"("id"),
  "facilityId" TEXT NOT NULL,
  "providerId" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "reason" TEXT NOT NULL,
  "note" TEXT NOT NULL,
  "startedAt" TIMESTAMP(3) NOT NULL,
  "endedAt" TIMESTAMP(3),
  "version" INTEGER NOT NULL DEFAULT 1,
  "createdAt" TIMESTAMP(3) NOT NULL,
  "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE INDEX "encounters_patientId_startedAt_idx" ON "encounters"("patientId", "startedAt");
CREATE INDEX "encounters_facilityId_startedAt_id_idx" ON "encounters"("facilityId", "startedAt", "id");
CREATE INDEX "encounters_startedAt_id_idx" ON "encounters"("startedAt", "id");

CREATE TABLE "diagnoses" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "patientId" TEXT NOT NULL REFERENCES "patients"("id"),
  "encounterId" TEXT NOT NULL REFERENCES "encounters"("id"),
  "providerId" TEXT NOT NULL,
  "code" TEXT NOT NULL,
  "description" TEXT NOT NULL,
  "recordedAt" TIMESTAMP(3) NOT NULL,
  "version" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "diagnoses_patientId_idx" ON "diagnoses"("patientId");
CREATE INDEX "diagnoses_encounterId_idx" ON "diagnoses"("encounterId");

CREATE TABLE "procedures" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "patientId" TEXT NOT NULL REFERENCES "patients"("id"),
  "encounterId" TEXT NOT NULL REFERENCES "encounters"("id"),
  "providerId" TEXT NOT NULL,
  "code" TEXT NOT NULL,
  "description" TEXT NOT NULL,
  "performedAt" TIMESTAMP(3) NOT NULL,
  "version" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "procedures_patientId_idx" ON "procedures"("patientId");
CREATE INDEX "procedures_encounterId_idx" ON "procedures"("encounterId");

CREATE TABLE "medications" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "patientId" TEXT NOT NULL REFERENCES "patients"("id"),
  "encounterId" TEXT NOT NULL REFERENCES "encounters"("id"),
  "providerId" TEXT NOT NULL,
  "code" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "dose" TEXT NOT NULL,
  "frequency" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "prescribedAt" TIMESTAMP(3) NOT NULL,
  "discontinuedAt" TIMESTAMP(3),
  "version" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "medications_patientId_idx" ON "medications"("patientId");
CREATE INDEX "medications_encounterId_idx" ON "medications"("encounterId");

CREATE TABLE "claims" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "patientId" TEXT NOT NULL REFERENCES "patients"("id"),
  "encounterId" TEXT NOT NULL REFERENCES "encounters"("id"),
  "facilityId" TEXT NOT NULL,
  "payer" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "totalCents" INTEGER NOT NULL,
  "allowedCents" INTEGER,
  "paidCents" INTEGER,
  "denialReason" TEXT,
  "submittedAt" TIMESTAMP(3),
  "adjudicatedAt" TIMESTAMP(3),
  "paidAt" TIMESTAMP(3),
  "version" INTEGER NOT NULL DEFAULT 1,
  "createdAt" TIMESTAMP(3) NOT NULL,
  "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE INDEX "claims_patientId_idx" ON "claims"("patientId");
CREATE INDEX "claims_status_createdAt_id_idx" ON "claims"("status", "createdAt", "id");
CREATE INDEX "claims_facilityId_createdAt_id_idx" ON "claims"("facilityId", "createdAt", "id");

CREATE TABLE "claim_lines" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "claimId" TEXT NOT NULL REFERENCES "claims"("id"),
  "patientId" TEXT NOT NULL,
  "lineNumber" INTEGER NOT NULL,
  "code" TEXT NOT NULL,
  "description" TEXT NOT NULL,
  "units" INTEGER NOT NULL,
  "unitPriceCents" INTEGER NOT NULL,
  "amountCents" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "claim_lines_claimId_lineNumber_key" ON "claim_lines"("claimId", "lineNumber");
CREATE INDEX "claim_lines_patientId_idx" ON "claim_lines"("patientId");

CREATE TABLE "entity_history" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "patientId" TEXT NOT NULL,
  "entityType" TEXT NOT NULL,
  "entityId" TEXT NOT NULL,
  "version" INTEGER NOT NULL,
  "operation" TEXT NOT NULL,
  "before" TEXT,
  "after" TEXT,
  "actorId" TEXT NOT NULL,
  "requestId" TEXT,
  "changedAt" TIMESTAMP(3) NOT NULL
);
CREATE INDEX "entity_history_entityType_entityId_version_idx" ON "entity_history"("entityType", "entityId", "version");
CREATE INDEX "entity_history_patientId_idx" ON "entity_history"("patientId");

CREATE TABLE "audit_entries" (
  "sequence" BIGINT NOT NULL PRIMARY KEY,
  "occurredAt" TIMESTAMP(3) NOT NULL,
  "actorId" TEXT NOT NULL,
  "actorRole" TEXT NOT NULL,
  "action" TEXT NOT NULL,
  "entityType" TEXT NOT NULL,
  "entityId" TEXT NOT NULL,
  "patientId" TEXT,
  "requestId" TEXT,
  "traceId" TEXT,
  "outcome" TEXT NOT NULL,
  "details" TEXT NOT NULL,
  "prevHash" TEXT NOT NULL,
  "hash" TEXT NOT NULL
);
CREATE UNIQUE INDEX "audit_entries_hash_key" ON "audit_entries"("hash");
CREATE INDEX "audit_entries_occurredAt_sequence_idx" ON "audit_entries"("occurredAt", "sequence");
CREATE INDEX "audit_entries_requestId_idx" ON "audit_entries"("requestId");
CREATE INDEX "audit_entries_actorId_occurredAt_idx" ON "audit_entries"("actorId", "occurredAt");
CREATE INDEX "audit_entries_entityType_entityId_idx" ON "audit_entries"("entityType", "entityId");

CREATE TABLE "outbox_events" (
  "position" BIGSERIAL NOT NULL PRIMARY KEY,
  "eventId" TEXT NOT NULL,
  "eventType" TEXT NOT NULL,
  "eventVersion" INTEGER NOT NULL,
  "aggregateType" TEXT NOT NULL,
  "aggregateId" TEXT NOT NULL,
  "partitionKey" TEXT NOT NULL,
  "payload" TEXT NOT NULL,
  "headers" TEXT NOT NULL,
  "occurredAt" TIMESTAMP(3) NOT NULL,
  "publishedAt" TIMESTAMP(3),
  "attempts" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");
CREATE INDEX "outbox_events_publishedAt_position_idx" ON "outbox_events"("publishedAt", "position");
CREATE INDEX "outbox_events_partitionKey_idx" ON "outbox_events"("partitionKey");
