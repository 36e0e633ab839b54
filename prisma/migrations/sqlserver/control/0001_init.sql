-- SQL Server (cluster mode). Strings that are keys use a binary collation, so they sort as on SQLite and
-- PostgreSQL (C collation); free text is NVARCHAR(MAX).
-- Control database: reference data (facilities, providers), lab users, the shard map and lab state.
CREATE TABLE "lab_meta" (
  "key" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "value" NVARCHAR(MAX) NOT NULL
);

CREATE TABLE "facilities" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "name" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "kind" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "city" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "region" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "bedCount" INT NOT NULL,
  "createdAt" DATETIME2(3) NOT NULL
);

CREATE TABLE "providers" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "facilityId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "npiToken" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "givenName" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "familyName" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "specialty" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "createdAt" DATETIME2(3) NOT NULL,
  CONSTRAINT "providers_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "facilities"("id")
);
CREATE UNIQUE INDEX "providers_npiToken_key" ON "providers"("npiToken");
CREATE INDEX "providers_facilityId_idx" ON "providers"("facilityId");

CREATE TABLE "users" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "username" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "displayName" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "role" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "facilityId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "patientId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "createdAt" DATETIME2(3) NOT NULL
);
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

CREATE TABLE "shard_buckets" (
  "bucket" INT NOT NULL PRIMARY KEY,
  "shard" INT NOT NULL,
  "state" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "version" INT NOT NULL DEFAULT 1,
  "updatedAt" DATETIME2(3) NOT NULL
);
CREATE INDEX "shard_buckets_shard_idx" ON "shard_buckets"("shard");

CREATE TABLE "drill_runs" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "drillKey" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "status" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "params" NVARCHAR(MAX) NOT NULL,
  "targets" NVARCHAR(MAX) NOT NULL,
  "actorId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "startedAt" DATETIME2(3) NOT NULL,
  "deadlineAt" DATETIME2(3) NOT NULL,
  "endedAt" DATETIME2(3),
  "abortReason" NVARCHAR(MAX)
);
CREATE INDEX "drill_runs_status_startedAt_idx" ON "drill_runs"("status", "startedAt");

CREATE TABLE "annotations" (
  "id" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL PRIMARY KEY,
  "at" DATETIME2(3) NOT NULL,
  "endAt" DATETIME2(3),
  "kind" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "title" NVARCHAR(MAX) NOT NULL,
  "body" NVARCHAR(MAX) NOT NULL,
  "tags" NVARCHAR(MAX) NOT NULL,
  "actorId" NVARCHAR(400) COLLATE Latin1_General_BIN2 NOT NULL,
  "drillRunId" NVARCHAR(400) COLLATE Latin1_General_BIN2,
  "traceId" NVARCHAR(400) COLLATE Latin1_General_BIN2
);
CREATE INDEX "annotations_at_idx" ON "annotations"("at");
