-- SLI rollups: per minute, journey and side (server: the gateway; client: the simulator), the requests,
-- the failed ones, and how many finished within each latency bound (cumulative, like Prometheus' le).
CREATE TABLE IF NOT EXISTS "sli_minutes" (
  "minute" BIGINT NOT NULL,
  "journey" TEXT NOT NULL,
  "source" TEXT NOT NULL,
  "total" BIGINT NOT NULL,
  "errors" BIGINT NOT NULL,
  "le_25" BIGINT NOT NULL,
  "le_50" BIGINT NOT NULL,
  "le_100" BIGINT NOT NULL,
  "le_250" BIGINT NOT NULL,
  "le_500" BIGINT NOT NULL,
  "le_1000" BIGINT NOT NULL,
  "le_2500" BIGINT NOT NULL,
  "le_5000" BIGINT NOT NULL,
  "le_10000" BIGINT NOT NULL,
  PRIMARY KEY ("journey", "source", "minute")
);
