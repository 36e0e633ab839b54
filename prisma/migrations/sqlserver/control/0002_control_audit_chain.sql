-- The lab's own audit chain, for actions that belong to no patient: fault switches, drills, bucket moves.
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

CREATE TABLE "audit_chain_head" (
  "id" INT NOT NULL PRIMARY KEY,
  "sequence" BIGINT NOT NULL,
  "hash" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL
);
INSERT INTO "audit_chain_head" ("id", "sequence", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE "audit_checkpoints" (
  "sequence" BIGINT NOT NULL PRIMARY KEY,
  "hash" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "pruned" INT NOT NULL,
  "createdAt" DATETIME2(3) NOT NULL,
  "signature" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL
);
