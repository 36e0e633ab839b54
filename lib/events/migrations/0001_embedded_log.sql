-- The embedded event log (SQLite): partitioned, append-only records; the next offset of each partition
-- (kept when retention deletes records); consumer groups' committed offsets; and one lease per group so
-- only one process consumes a group at a time.
CREATE TABLE "log_records" (
  "topic" TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "offset" INTEGER NOT NULL,
  "key" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "headers" TEXT NOT NULL,
  "timestamp" INTEGER NOT NULL,
  PRIMARY KEY ("topic", "partition", "offset")
) WITHOUT ROWID;
CREATE INDEX "log_records_time" ON "log_records" ("topic", "partition", "timestamp");

CREATE TABLE "log_ends" (
  "topic" TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "next_offset" INTEGER NOT NULL,
  PRIMARY KEY ("topic", "partition")
);

CREATE TABLE "group_offsets" (
  "group_id" TEXT NOT NULL,
  "topic" TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "next_offset" INTEGER NOT NULL,
  PRIMARY KEY ("group_id", "topic", "partition")
);

CREATE TABLE "group_leases" (
  "group_id" TEXT NOT NULL,
  "topic" TEXT NOT NULL,
  "owner" TEXT NOT NULL,
  "expires_at" INTEGER NOT NULL,
  PRIMARY KEY ("group_id", "topic")
);
