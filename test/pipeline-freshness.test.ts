// The read models' freshness as the pipeline tells it, on SQLite and PostgreSQL shards into the embedded log:
// stale while an event older than the threshold waits in an outbox, stale again while the projector has yet to
// read it from the log, fresh once it has; fresh at once for events younger than the threshold.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { openSqlite } from "../lib/data/sql-database.ts";
import { DOMAIN_TOPIC } from "../lib/events/bus.ts";
import { type EmbeddedLog, openEmbeddedLog } from "../lib/events/embedded-log.ts";
import { readPipelineFreshness } from "../lib/events/pipeline-freshness.ts";
import { prepareReadModels } from "../lib/events/projections.ts";
import { startProjector } from "../lib/events/projector.ts";
import { relayOnce } from "../lib/events/relay.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { commandContext, patientRegistration } from "./support/clinical-writes.ts";
import { BACKENDS, type TestLab, createTestLab } from "./support/test-labs.ts";
import { waitUntil } from "./support/wait-until.ts";

const THRESHOLD = { thresholdMs: 10_000 };

describe.each(BACKENDS)("pipeline freshness on %s", (backend) => {
  let t: TestLab;
  let log: EmbeddedLog;
  let dir: string;

  const group = `freshness-${backend}`;
  const project = async () => {
    const models = openSqlite(join(dir, `${group}.db`), group);
    await prepareReadModels(models);
    const projector = await startProjector(log, models, { group });
    await waitUntil(async () => (await log.lag(group, DOMAIN_TOPIC)).every((p) => p.lag === 0), 10_000, "the projector caught up");
    await projector.stop();
    await models.close();
  };

  beforeAll(async () => {
    t = await createTestLab(backend);
    await generateLabData(t.lab, { patients: 10, seed: 3, facilities: 1 });
    dir = mkdtempSync(join(tmpdir(), "pimlab-freshness-"));
    log = await openEmbeddedLog({ file: join(dir, "events.db"), partitions: 4, pollMs: 5 });
    // The seed through the pipeline first: what follows is written now, as a user's request writes it.
    for (const shard of t.lab.shards) await relayOnce(shard, log);
    await project();
    for (let i = 0; i < 6; i++) await registerPatient(t.lab, commandContext(`req-fresh-${backend}-${i}`), patientRegistration(`FRESH-${backend}-${i}`));
  });
  afterAll(async () => {
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
    await t?.dispose();
  });

  it("is stale while an old event waits for the relay, then for the projector, and fresh once projected", async () => {
    const later = () => new Date(Date.now() + 30_000); // the new patients' events, seen 30 s on
    expect(await readPipelineFreshness(t.lab.shards, log, group, THRESHOLD)).toMatchObject({ fresh: true, behind: [] });

    const waitingForRelay = await readPipelineFreshness(t.lab.shards, log, group, { ...THRESHOLD, now: later() });
    expect(waitingForRelay.fresh).toBe(false);
    expect(waitingForRelay.relay.reduce((n, r) => n + r.unpublished, 0)).toBe(6);
    expect(waitingForRelay.stalenessMs).toBeGreaterThanOrEqual(29_000);

    for (const shard of t.lab.shards) await relayOnce(shard, log);
    const waitingForProjector = await readPipelineFreshness(t.lab.shards, log, group, { ...THRESHOLD, now: later() });
    expect(waitingForProjector).toMatchObject({ fresh: false, stalenessMs: 10_001 });
    expect(waitingForProjector.relay.every((r) => r.unpublished === 0 && r.oldestWaitingMs === 0)).toBe(true);
    expect(waitingForProjector.behind.length).toBeGreaterThan(0);

    await project();
    expect(await readPipelineFreshness(t.lab.shards, log, group, { ...THRESHOLD, now: later() })).toMatchObject({
      fresh: true,
      behind: [],
      stalenessMs: 0,
    });
  });
});
