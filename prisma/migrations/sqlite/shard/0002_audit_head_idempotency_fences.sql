-- The audit chain's head, signed pruning checkpoints, idempotency records and bucket ownership fences.
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
  "createdAt" DATETIME NOT NULL,
  "signature" TEXT NOT NULL
);

CREATE TABLE "idempotency_records" (
  "actorId" TEXT NOT NULL,
  "key" TEXT NOT NULL,
  "patientId" TEXT NOT NULL,
  "requestHash" TEXT NOT NULL,
  "statusCode" INTEGER NOT NULL,
  "response" TEXT NOT NULL,
  "createdAt" DATETIME NOT NULL,
  PRIMARY KEY ("actorId", "key")
);
CREATE INDEX "idempotency_records_patientId_idx" ON "idempotency_records"("patientId");

CREATE TABLE "bucket_fences" (
  "bucket" INTEGER NOT NULL PRIMARY KEY,
  "reason" TEXT NOT NULL,
  "createdAt" DATETIME NOT NULL
);
