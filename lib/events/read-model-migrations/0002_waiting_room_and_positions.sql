-- The projector's waiting room (ADR 0019): events that could not be applied yet, kept off their partition's
-- path. An ordering gap waits here for its predecessor, a transient failure for its next attempt, and every
-- later event of the same patient waits behind them, in log order, so one patient's events never overtake
-- each other. What is still failing at "park_at" moves to dead_letters with its reason.
CREATE TABLE "held_events" (
  "event_id" TEXT NOT NULL PRIMARY KEY,
  "partition_key" TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "offset" BIGINT NOT NULL,
  "type" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "reason" TEXT NOT NULL,
  "attempts" INTEGER NOT NULL,
  "held_at" BIGINT NOT NULL,
  "next_attempt_at" BIGINT NOT NULL,
  "park_at" BIGINT NOT NULL
);
CREATE INDEX "held_events_key" ON "held_events" ("partition_key", "partition", "offset");

-- Why a dead letter is there: poison (never projectable), gap (its predecessor never came), transient
-- (still failing after its retries; a drill's injected failures land here).
ALTER TABLE "dead_letters" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'poison';

-- Where each consumer group's applied events end, per partition, written in the transaction that applied
-- them: the read models and their position in the log always agree, so a replay can be compared with the
-- live models at exactly the same place in the log (npm run lab:replay).
CREATE TABLE "projected_positions" (
  "group_id" TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "next_offset" BIGINT NOT NULL,
  PRIMARY KEY ("group_id", "partition")
);
