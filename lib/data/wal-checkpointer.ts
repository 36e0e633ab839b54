// Checkpoints SQLite write-ahead logs on a worker thread. better-sqlite3 is synchronous, so the commit that
// crosses SQLite's auto-checkpoint threshold copies a thousand pages and syncs the file on the event loop:
// in bench:api's 80/20 mix that was most of the clinical service's commits over 3 ms, and the mixed p99.
// Connections opened with `autoCheckpoint: false` leave the work to this worker, which runs a PASSIVE
// checkpoint (never waits for readers or writers) on each file every `everyMs`.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface WalCheckpointer {
  /** Stops the worker after its current checkpoint; the files' own connections checkpoint when they close. */
  stop(): Promise<void>;
}

// Plain CommonJS run by the worker (eval), so it works the same under tsx, node and vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const files = workerData.files.map((file) => {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("cache_size = -2048");
  return { file, db };
});
const timer = setInterval(() => {
  for (const { file, db } of files) {
    try {
      db.pragma("wal_checkpoint(PASSIVE)");
    } catch (err) {
      parentPort.postMessage({ file, error: String(err) });
    }
  }
}, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  for (const { db } of files) db.close();
  parentPort.close();
});
`;

export function startWalCheckpointer(
  files: readonly string[],
  options: { everyMs?: number; onError?: (file: string, error: string) => void } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, files, everyMs: options.everyMs ?? 500 } });
  worker.unref(); // never what keeps a process alive
  worker.on("message", (m: { file: string; error: string }) => options.onError?.(m.file, m.error));
  // A worker that fails leaves the connections' own (raised) auto-checkpoint as the backstop.
  worker.on("error", (err) => options.onError?.("(worker)", String(err)));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      worker.postMessage("stop");
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
      await Promise.race([exited, timeout]);
      await worker.terminate();
    },
  };
}
