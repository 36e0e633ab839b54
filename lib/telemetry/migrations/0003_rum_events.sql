-- Real-user monitoring from the portal's pages (Grafana Faro payloads): web vitals and other
-- measurements, exceptions, logs and events, each with the trace it belongs to when the page knew it.
-- Browser spans go to "spans" (service "browser"), so they join the backend's traces by trace id.
CREATE TABLE IF NOT EXISTS "rum_events" (
  "received_at" BIGINT NOT NULL,
  "occurred_at" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "trace_id" TEXT,
  "span_id" TEXT,
  "session_id" TEXT,
  "page_url" TEXT,
  "detail" TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS "rum_events_trace_id_idx" ON "rum_events" ("trace_id");
CREATE INDEX IF NOT EXISTS "rum_events_received_at_idx" ON "rum_events" ("received_at");
