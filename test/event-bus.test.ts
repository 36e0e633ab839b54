// The event bus contract on every adapter this machine can run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { busContract } from "./support/bus-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "pimlab-bus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

busContract("embedded SQLite log", () => openEmbeddedLog({ file: join(dir, "events.db"), partitions: 8, pollMs: 10 }));
