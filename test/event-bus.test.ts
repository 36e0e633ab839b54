// The event bus contract on every adapter: the embedded log, and Kafka on the broker scripts/test-all.sh
// starts (LAB_TEST_KAFKA, default 127.0.0.1:9092; "unavailable" when it could not start, which it reports).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { openKafkaBus } from "../lib/events/kafka-bus.ts";
import { busContract } from "./support/bus-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-bus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

busContract("embedded SQLite log", () => openEmbeddedLog({ file: join(dir, "events.db"), partitions: 8, pollMs: 10 }));

const kafka = process.env.LAB_TEST_KAFKA ?? "127.0.0.1:9092";
if (kafka !== "unavailable") busContract(`Apache Kafka at ${kafka}`, () => openKafkaBus({ brokers: [kafka], partitions: 8, clientId: "pim-lab-contract" }));
