-- The dashboards' read models, built by the projector from the event stream (SQLite and PostgreSQL alike).
-- processed_events makes every event's effect happen once, whatever the redeliveries.
CREATE TABLE "processed_events" (
  "event_id" TEXT NOT NULL PRIMARY KEY,
  "type" TEXT NOT NULL,
  "occurred_at" TEXT NOT NULL
);

CREATE TABLE "patient_timeline" (
  "event_id" TEXT NOT NULL PRIMARY KEY,
  "patient_id" TEXT NOT NULL,
  "occurred_at" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "facts" TEXT NOT NULL
);
CREATE INDEX "patient_timeline_patient" ON "patient_timeline" ("patient_id", "occurred_at");

CREATE TABLE "facility_census" (
  "facility_id" TEXT NOT NULL PRIMARY KEY,
  "patients" INTEGER NOT NULL,
  "open_encounters" INTEGER NOT NULL,
  "encounters_total" INTEGER NOT NULL
);

CREATE TABLE "open_encounters" (
  "encounter_id" TEXT NOT NULL PRIMARY KEY,
  "facility_id" TEXT NOT NULL,
  "patient_id" TEXT NOT NULL,
  "started_at" TEXT NOT NULL
);

CREATE TABLE "claim_states" (
  "claim_id" TEXT NOT NULL PRIMARY KEY,
  "facility_id" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "total_cents" BIGINT NOT NULL
);

CREATE TABLE "claims_pipeline" (
  "facility_id" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "claims" INTEGER NOT NULL,
  "total_cents" BIGINT NOT NULL,
  PRIMARY KEY ("facility_id", "status")
);

CREATE TABLE "daily_analytics" (
  "day" TEXT NOT NULL,
  "metric" TEXT NOT NULL,
  "value" BIGINT NOT NULL,
  PRIMARY KEY ("day", "metric")
);

CREATE TABLE "dead_letters" (
  "event_id" TEXT NOT NULL PRIMARY KEY,
  "type" TEXT NOT NULL,
  "partition_key" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "error" TEXT NOT NULL,
  "attempts" INTEGER NOT NULL,
  "failed_at" TEXT NOT NULL,
  "status" TEXT NOT NULL
);
