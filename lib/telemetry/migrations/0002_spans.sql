-- Spans kept locally for the portal's telemetry view (embedded mode): one row per ended span, and the
-- links of relay and projector spans to the traces of the events they carried, so a request's trace
-- finds them.
CREATE TABLE IF NOT EXISTS "spans" (
  "trace_id" TEXT NOT NULL,
  "span_id" TEXT NOT NULL,
  "parent_span_id" TEXT,
  "service" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "kind" INTEGER NOT NULL,
  "start_us" BIGINT NOT NULL,
  "duration_us" BIGINT NOT NULL,
  "status_code" INTEGER NOT NULL,
  "status_message" TEXT,
  "attributes" TEXT NOT NULL,
  PRIMARY KEY ("trace_id", "span_id")
);
CREATE INDEX IF NOT EXISTS "spans_start_us_idx" ON "spans" ("start_us");
CREATE TABLE IF NOT EXISTS "span_links" (
  "linked_trace_id" TEXT NOT NULL,
  "linked_span_id" TEXT NOT NULL,
  "trace_id" TEXT NOT NULL,
  "span_id" TEXT NOT NULL,
  PRIMARY KEY ("linked_trace_id", "linked_span_id", "trace_id", "span_id")
);
