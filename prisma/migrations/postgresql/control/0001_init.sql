-- Control database: reference data (facilities, providers), lab users, the shard map and lab state.
CREATE TABLE "lab_meta" (
  "key" TEXT NOT NULL PRIMARY KEY,
  "value" TEXT NOT NULL
);

CREATE TABLE "facilities" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "name" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "city" TEXT NOT NULL,
  "region" TEXT NOT NULL,
  "bedCount" INTEGER NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL
);

CREATE TABLE "providers" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "facilityId" TEXT NOT NULL REFERENCES "facilities"("id"),
  "npiToken" TEXT NOT NULL,
  "givenName" TEXT NOT NULL,
  "familyName" TEXT NOT NULL,
  "specialty" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "providers_npiToken_key" ON "providers"("npiToken");
CREATE INDEX "providers_facilityId_idx" ON "providers"("facilityId");

CREATE TABLE "users" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "username" TEXT NOT NULL,
  "displayName" TEXT NOT NULL,
  "role" TEXT NOT NULL,
  "facilityId" TEXT,
  "patientId" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL
);
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

CREATE TABLE "shard_buckets" (
  "bucket" INTEGER NOT NULL PRIMARY KEY,
  "shard" INTEGER NOT NULL,
  "state" TEXT NOT NULL,
  "version" INTEGER NOT NULL DEFAULT 1,
  "updatedAt" TIMESTAMP(3) NOT NULL
);
CREATE INDEX "shard_buckets_shard_idx" ON "shard_buckets"("shard");

CREATE TABLE "drill_runs" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "drillKey" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "params" TEXT NOT NULL,
  "targets" TEXT NOT NULL,
  "actorId" TEXT NOT NULL,
  "startedAt" TIMESTAMP(3) NOT NULL,
  "deadlineAt" TIMESTAMP(3) NOT NULL,
  "endedAt" TIMESTAMP(3),
  "abortReason" TEXT
);
CREATE INDEX "drill_runs_status_startedAt_idx" ON "drill_runs"("status", "startedAt");

CREATE TABLE "annotations" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "at" TIMESTAMP(3) NOT NULL,
  "endAt" TIMESTAMP(3),
  "kind" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "body" TEXT NOT NULL,
  "tags" TEXT NOT NULL,
  "actorId" TEXT NOT NULL,
  "drillRunId" TEXT,
  "traceId" TEXT
);
CREATE INDEX "annotations_at_idx" ON "annotations"("at");
