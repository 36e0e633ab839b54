// The live read models' checksums at their place in the log, on a thread of its own: a replay needs the
// position at once to know how far to go, and the checksums only at the end. The thread holds its snapshot
// open (no writer waits for it) while the replay runs, then sums the live models while the replay's own are
// summed on the main thread: the two take the machine's two cores instead of one after the other.
import { Worker } from "node:worker_threads";
import type { LabConfig } from "../config/index.ts";

export type LiveChecksumsMessage =
  { type: "positions"; positions: Record<number, number> } | { type: "checksums"; checksums: Record<string, string> } | { type: "failed"; message: string };

export interface LiveChecksums {
  /** Where the live models stand in the log, per partition. */
  positions: Promise<Record<number, number>>;
  /** Their checksums there, model by model, summed once asked (after the replay, beside the replay's own sums). */
  checksums(): Promise<Record<string, string>>;
}

/** A promise with its settlers at hand (Node 20 has no Promise.withResolvers). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

export function liveReadModelsAtPosition(config: LabConfig, group: string): LiveChecksums {
  const worker = new Worker(new URL("./live-checksums-entry.mjs", import.meta.url), { workerData: { config, group } });
  const positions = deferred<Record<number, number>>();
  const checksums = deferred<Record<string, string>>();
  const fail = (err: Error) => {
    positions.reject(err);
    checksums.reject(err);
  };
  worker.on("message", (m: LiveChecksumsMessage) => {
    if (m.type === "positions") positions.resolve(m.positions);
    else if (m.type === "checksums") {
      checksums.resolve(m.checksums);
      void worker.terminate();
    } else fail(new Error(`the live read models could not be read: ${m.message}`));
  });
  worker.once("error", fail);
  worker.once("exit", () => fail(new Error("the live read models' reader stopped before it was done")));
  checksums.promise.catch(() => undefined); // the caller may fail on the positions first
  return {
    positions: positions.promise,
    checksums: () => {
      worker.postMessage("sum");
      return checksums.promise;
    },
  };
}
