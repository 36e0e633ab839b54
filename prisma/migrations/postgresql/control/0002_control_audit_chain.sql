-- The lab's own audit chain, for actions that belong to no patient: fault switches, drills, bucket moves.
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

CREATE TABLE "audit_chain_head" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "sequence" BIGINT NOT NULL,
  "hash" TEXT NOT NULL
);
INSERT INTO "audit_chain_head" ("id", "sequence", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE "audit_checkpoints" (
  "sequence" BIGINT NOT NULL PRIMARY KEY,
  "hash" TEXT NOT NULL,
  "pruned" INTEGER NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL,
  "signature" TEXT NOT NULL
);
