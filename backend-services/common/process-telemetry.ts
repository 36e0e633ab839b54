// What every lab process opens first: the telemetry database and its OpenTelemetry tracing (spans to the
// local store, and over OTLP when configured). `close` exports what is buffered, then closes the store.
import type { LabConfig } from "../../lib/config/index.ts";
import type { SqlDatabase } from "../../lib/data/sql-database.ts";
import { openTelemetryStore } from "../../lib/telemetry/telemetry-store.ts";
import { startTracing } from "../../lib/telemetry/tracing.ts";

export async function startProcessTelemetry(service: string, config: LabConfig): Promise<{ store: SqlDatabase; close(): Promise<void> }> {
  const store = await openTelemetryStore(config);
  const tracing = startTracing(service, { store, otlpEndpoint: config.tracing.otlpEndpoint, sampleRatio: config.tracing.sampleRatio });
  return {
    store,
    async close() {
      await tracing.shutdown();
      await store.close();
    },
  };
}
