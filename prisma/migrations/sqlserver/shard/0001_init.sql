-- SQL Server (cluster mode). Strings that are keys use a binary collation, so they sort as on SQLite and
-- PostgreSQL (C collation); free text is NVARCHAR(MAX).
-- Shard database: patient-rooted rows, their history, the shard's audit chain and its outbox.
CREATE TABLE "lab_meta" (
  "key" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "value" NVARCHAR(MAX) NOT NULL
);

CREATE TABLE "patients" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "bucket" INT NOT NULL,
  "facilityId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "mrnToken" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "nationalIdToken" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "phoneToken" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "emailToken" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "givenName" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "familyName" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "sex" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "birthDate" DATETIME2(3) NOT NULL,
  "addressLine" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "city" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "region" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "postalCode" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "version" INT NOT NULL DEFAULT 1,
  "createdAt" DATETIME2(3) NOT NULL,
  "updatedAt" DATETIME2(3) NOT NULL
);
CREATE UNIQUE INDEX "patients_mrnToken_key" ON "patients"("mrnToken");
CREATE INDEX "patients_nationalIdToken_idx" ON "patients"("nationalIdToken");
CREATE INDEX "patients_bucket_idx" ON "patients"("bucket");
CREATE INDEX "patients_facilityId_id_idx" ON "patients"("facilityId", "id");
CREATE INDEX "patients_createdAt_id_idx" ON "patients"("createdAt", "id");

CREATE TABLE "encounters" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "facilityId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "providerId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "kind" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "status" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "reason" NVARCHAR(MAX) NOT NULL,
  "note" NVARCHAR(MAX) NOT NULL,
  "startedAt" DATETIME2(3) NOT NULL,
  "endedAt" DATETIME2(3),
  "version" INT NOT NULL DEFAULT 1,
  "createdAt" DATETIME2(3) NOT NULL,
  "updatedAt" DATETIME2(3) NOT NULL,
  CONSTRAINT "encounters_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id")
);
CREATE INDEX "encounters_patientId_startedAt_idx" ON "encounters"("patientId", "startedAt");
CREATE INDEX "encounters_facilityId_startedAt_id_idx" ON "encounters"("facilityId", "startedAt", "id");
CREATE INDEX "encounters_startedAt_id_idx" ON "encounters"("startedAt", "id");

CREATE TABLE "diagnoses" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "encounterId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "providerId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "code" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "description" NVARCHAR(MAX) NOT NULL,
  "recordedAt" DATETIME2(3) NOT NULL,
  "version" INT NOT NULL DEFAULT 1,
  CONSTRAINT "diagnoses_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id"),
  CONSTRAINT "diagnoses_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "encounters"("id")
);
CREATE INDEX "diagnoses_patientId_idx" ON "diagnoses"("patientId");
CREATE INDEX "diagnoses_encounterId_idx" ON "diagnoses"("encounterId");

CREATE TABLE "procedures" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "encounterId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "providerId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "code" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "description" NVARCHAR(MAX) NOT NULL,
  "performedAt" DATETIME2(3) NOT NULL,
  "version" INT NOT NULL DEFAULT 1,
  CONSTRAINT "procedures_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id"),
  CONSTRAINT "procedures_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "encounters"("id")
);
CREATE INDEX "procedures_patientId_idx" ON "procedures"("patientId");
CREATE INDEX "procedures_encounterId_idx" ON "procedures"("encounterId");

CREATE TABLE "medications" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "encounterId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "providerId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "code" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "name" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "dose" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "frequency" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "status" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "prescribedAt" DATETIME2(3) NOT NULL,
  "discontinuedAt" DATETIME2(3),
  "version" INT NOT NULL DEFAULT 1,
  CONSTRAINT "medications_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id"),
  CONSTRAINT "medications_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "encounters"("id")
);
CREATE INDEX "medications_patientId_idx" ON "medications"("patientId");
CREATE INDEX "medications_encounterId_idx" ON "medications"("encounterId");

CREATE TABLE "claims" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "encounterId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "facilityId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "payer" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "status" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "totalCents" INT NOT NULL,
  "allowedCents" INT,
  "paidCents" INT,
  "denialReason" NVARCHAR(MAX),
  "submittedAt" DATETIME2(3),
  "adjudicatedAt" DATETIME2(3),
  "paidAt" DATETIME2(3),
  "version" INT NOT NULL DEFAULT 1,
  "createdAt" DATETIME2(3) NOT NULL,
  "updatedAt" DATETIME2(3) NOT NULL,
  CONSTRAINT "claims_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id"),
  CONSTRAINT "claims_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "encounters"("id")
);
CREATE INDEX "claims_patientId_idx" ON "claims"("patientId");
CREATE INDEX "claims_status_createdAt_id_idx" ON "claims"("status", "createdAt", "id");
CREATE INDEX "claims_facilityId_createdAt_id_idx" ON "claims"("facilityId", "createdAt", "id");

CREATE TABLE "claim_lines" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "claimId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "lineNumber" INT NOT NULL,
  "code" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "description" NVARCHAR(MAX) NOT NULL,
  "units" INT NOT NULL,
  "unitPriceCents" INT NOT NULL,
  "amountCents" INT NOT NULL,
  CONSTRAINT "claim_lines_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "claims"("id")
);
CREATE UNIQUE INDEX "claim_lines_claimId_lineNumber_key" ON "claim_lines"("claimId", "lineNumber");
CREATE INDEX "claim_lines_patientId_idx" ON "claim_lines"("patientId");

CREATE TABLE "entity_history" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "entityType" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "entityId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "version" INT NOT NULL,
  "operation" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "before" NVARCHAR(MAX),
  "after" NVARCHAR(MAX),
  "actorId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "requestId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "changedAt" DATETIME2(3) NOT NULL
);
CREATE INDEX "entity_history_entityType_entityId_version_idx" ON "entity_history"("entityType", "entityId", "version");
CREATE INDEX "entity_history_patientId_idx" ON "entity_history"("patientId");

CREATE TABLE "audit_entries" (
  "sequence" BIGINT NOT NULL PRIMARY KEY,
  "occurredAt" DATETIME2(3) NOT NULL,
  "actorId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "actorRole" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "action" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "entityType" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "entityId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "requestId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "traceId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "outcome" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "details" NVARCHAR(MAX) NOT NULL,
  "prevHash" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "hash" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL
);
CREATE UNIQUE INDEX "audit_entries_hash_key" ON "audit_entries"("hash");
CREATE INDEX "audit_entries_occurredAt_sequence_idx" ON "audit_entries"("occurredAt", "sequence");
CREATE INDEX "audit_entries_requestId_idx" ON "audit_entries"("requestId");
CREATE INDEX "audit_entries_actorId_occurredAt_idx" ON "audit_entries"("actorId", "occurredAt");
CREATE INDEX "audit_entries_entityType_entityId_idx" ON "audit_entries"("entityType", "entityId");

CREATE TABLE "outbox_events" (
  "position" BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
  "eventId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "eventType" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "eventVersion" INT NOT NULL,
  "aggregateType" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "aggregateId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "partitionKey" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "payload" NVARCHAR(MAX) NOT NULL,
  "headers" NVARCHAR(MAX) NOT NULL,
  "occurredAt" DATETIME2(3) NOT NULL,
  "publishedAt" DATETIME2(3),
  "attempts" INT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");
CREATE INDEX "outbox_events_publishedAt_position_idx" ON "outbox_events"("publishedAt", "position");
CREATE INDEX "outbox_events_partitionKey_idx" ON "outbox_events"("partitionKey");
