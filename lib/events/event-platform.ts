// Opening a lab's event platform from its configuration: the bus (the embedded log under the data
// directory, or Kafka) and the projector's read-model database (a SQLite file beside the shards, or a
// PostgreSQL database named after the lab's prefix).
import { join } from "node:path";
import type { LabConfig } from "../config/index.ts";
import { openSideDatabase } from "../data/side-database.ts";
import type { SqlDatabase } from "../data/sql-database.ts";
import type { EventBus } from "./bus.ts";
import { openEmbeddedLog } from "./embedded-log.ts";
import { openKafkaBus } from "./kafka-bus.ts";
import { prepareReadModels } from "./projections.ts";

export async function openEventBus(config: LabConfig, clientId = "pim-sre-lab"): Promise<EventBus> {
  return config.events.bus === "kafka"
    ? openKafkaBus({ brokers: config.events.brokers, partitions: config.events.partitions, clientId, topicPrefix: config.events.topicPrefix })
    : openEmbeddedLog({ file: join(config.dataDir, "events.db"), partitions: config.events.partitions });
}

/** The read-model database, created and migrated when missing. */
export async function openReadModels(config: LabConfig): Promise<SqlDatabase> {
  const db = await openSideDatabase(config, "read-models");
  await prepareReadModels(db);
  return db;
}
