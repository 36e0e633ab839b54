-- The audit chain's head, signed pruning checkpoints, idempotency records and bucket ownership fences.
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

CREATE TABLE "idempotency_records" (
  "actorId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "key" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "requestHash" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "statusCode" INT NOT NULL,
  "response" NVARCHAR(MAX) NOT NULL,
  "createdAt" DATETIME2(3) NOT NULL,
  PRIMARY KEY ("actorId", "key")
);
CREATE INDEX "idempotency_records_patientId_idx" ON "idempotency_records"("patientId");

CREATE TABLE "bucket_fences" (
  "bucket" INT NOT NULL PRIMARY KEY,
  "reason" NVARCHAR(MAX) NOT NULL,
  "createdAt" DATETIME2(3) NOT NULL
);
