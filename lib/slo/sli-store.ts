// The embedded SLI store: minute rollups in the telemetry database (lib/telemetry/telemetry-store.ts).
// Writers add to a minute's row; the engine reads an SLO's minutes back as dense series.
import type { SqlDatabase } from "../data/sql-database.ts";
import type { SliMinutes } from "./burn-rate.ts";
import type { SloDefinition } from "./load-slos.ts";
import { LATENCY_BUCKETS_MS } from "./openslo-schema.ts";
import type { SliRollup, SliSource } from "./sli-recorder.ts";

const WITHIN = LATENCY_BUCKETS_MS.map((ms) => `le_${ms}`);
const COUNTERS = ["total", "errors", ...WITHIN];
const ADD = `INSERT INTO "sli_minutes" ("minute", "journey", "source", ${COUNTERS.map((c) => `"${c}"`).join(", ")}) VALUES (${["?", "?", "?", ...COUNTERS.map(() => "?")].join(", ")}) ON CONFLICT ("journey", "source", "minute") DO UPDATE SET ${COUNTERS.map((c) => `"${c}" = "sli_minutes"."${c}" + excluded."${c}"`).join(", ")}`;

/** Adds rollups to their minutes' rows, in one transaction. */
export async function addSliRollups(db: SqlDatabase, rollups: readonly SliRollup[]): Promise<void> {
  if (rollups.length === 0) return;
  await db.transaction(async (tx) => {
    for (const r of rollups) await tx.execute(ADD, [r.minute, r.journey, r.source, r.total, r.errors, ...r.within]);
  });
}

/** One journey's counted minutes within [fromMinute, toMinute), as stored (quiet minutes have no row). */
export type JourneyMinuteRows = readonly Record<string, unknown>[];

export async function readJourneyMinutes(
  db: SqlDatabase,
  journey: string,
  source: SliSource,
  fromMinute: number,
  toMinute: number,
): Promise<JourneyMinuteRows> {
  return db.query(
    `SELECT "minute", ${COUNTERS.map((c) => `"${c}"`).join(", ")} FROM "sli_minutes" WHERE "journey" = ? AND "source" = ? AND "minute" >= ? AND "minute" < ?`,
    [journey, source, fromMinute, toMinute],
  );
}

/** An SLO's dense series from its journey's rows: bad = failed (availability) or slower than the bound. */
export function sliOfRows(rows: JourneyMinuteRows, slo: Pick<SloDefinition, "sli">, fromMinute: number, toMinute: number): SliMinutes {
  const n = Math.max(0, toMinute - fromMinute);
  const total = new Float64Array(n);
  const bad = new Float64Array(n);
  const good = slo.sli.kind === "latency" ? `le_${slo.sli.thresholdMs}` : null;
  for (const row of rows) {
    const i = Number(row.minute) - fromMinute;
    total[i] = Number(row.total);
    bad[i] = good ? total[i]! - Number(row[good]) : Number(row.errors);
  }
  return { startMinute: fromMinute, total, bad };
}

/** An SLO's minutes [fromMinute, toMinute) as dense series, quiet minutes as zeros. */
export async function readSli(
  db: SqlDatabase,
  slo: Pick<SloDefinition, "journey" | "source" | "sli">,
  fromMinute: number,
  toMinute: number,
): Promise<SliMinutes> {
  return sliOfRows(await readJourneyMinutes(db, slo.journey, slo.source, fromMinute, toMinute), slo, fromMinute, toMinute);
}
