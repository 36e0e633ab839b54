// The live checksums' thread (see live-checksums.ts): opens the live read models, reads their position and
// checksums in one snapshot, and tells its parent each as soon as it has it.
import { parentPort, workerData } from "node:worker_threads";
import type { LabConfig } from "../config/index.ts";
import { openReadModels } from "./event-platform.ts";
import { readModelsAtPosition } from "./projections.ts";
import type { LiveChecksumsMessage } from "./live-checksums.ts";

const { config, group } = workerData as { config: LabConfig; group: string };
const tell = (m: LiveChecksumsMessage) => parentPort!.postMessage(m);
try {
  const live = await openReadModels(config);
  // The snapshot stays open (it blocks no writer) until the parent asks for the sums: summing while the
  // replay runs would take the replay's core.
  const asked = new Promise<void>((resolve) => parentPort!.once("message", () => resolve()));
  try {
    const { checksums } = await readModelsAtPosition(live, group, async (positions) => {
      tell({ type: "positions", positions });
      await asked;
    });
    tell({ type: "checksums", checksums });
  } finally {
    await live.close();
  }
} catch (err) {
  tell({ type: "failed", message: err instanceof Error ? err.message : String(err) });
}
