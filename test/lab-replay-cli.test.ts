// npm run lab:replay on a lab whose projector has filled its read models: the replay rebuilds them from the
// embedded log and finds them equal; a live read model changed behind the projector's back is named.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { openEncounter } from "../lib/clinical/encounter-commands.ts";
import { DOMAIN_TOPIC, type EventBus } from "../lib/events/bus.ts";
import { openEventBus, openReadModels } from "../lib/events/event-platform.ts";
import { PROJECTOR_GROUP, startProjector } from "../lib/events/projector.ts";
import { startRelays } from "../lib/events/relay.ts";
import type { SqlDatabase } from "../lib/data/sql-database.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { commandContext, outpatientVisit, patientRegistration } from "./support/clinical-writes.ts";
import { runScript } from "./support/run-script.ts";
import { type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";

describe("lab:replay", () => {
  let t: TestLab;
  let bus: EventBus;
  let live: SqlDatabase;
  const replay = (...args: string[]) => runScript("scripts/lab-replay.ts", args, { LAB_DATA_DIR: t.config.dataDir, LAB_SECRET: SECRET });

  beforeAll(async () => {
    t = await createTestLab("sqlite", { secret: SECRET });
    await generateLabData(t.lab, { patients: 10, seed: 8, facilities: 1 });
    const providerId = (await t.lab.control.prisma.provider.findFirstOrThrow()).id;
    for (let i = 0; i < 15; i++) {
      const ctx = commandContext(`req-replay-${i}`);
      const { body: p } = await registerPatient(t.lab, ctx, patientRegistration(`REPLAY-${i}`));
      await openEncounter(t.lab, ctx, p.id, outpatientVisit(providerId, "replay"));
    }
    bus = await openEventBus(t.config);
    live = await openReadModels(t.config);
    const relays = startRelays(t.lab.shards, bus, { idleMs: 10 });
    const projector = await startProjector(bus, live);
    const end = Date.now() + 15_000;
    while (projector.stats.applied < 40 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await relays.stop();
    await projector.stop();
    expect((await bus.lag(PROJECTOR_GROUP, DOMAIN_TOPIC)).every((p) => p.lag === 0)).toBe(true);
    await bus.close(); // the command opens the log itself
  });
  afterAll(async () => {
    await live?.close();
    await t?.dispose();
  });

  it("rebuilds the read models from the log and proves them equal to the live ones", async () => {
    const r = await replay("--from-beginning");
    expect(r.err).toMatch(/replaying the whole log/);
    expect(r.out).toMatch(/40 events in/); // the ten seeded patients' snapshots and the thirty writes
    expect(r.out).toMatch(/the replayed read models equal the live ones/);
    expect(r.code).toBe(0);
  });

  it("compares with the live models at the same place in the log while the lab keeps writing and projecting", async () => {
    const running = await openEventBus(t.config);
    const relays = startRelays(t.lab.shards, running, { idleMs: 5 });
    const projector = await startProjector(running, live);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const i = written++;
        await registerPatient(t.lab, commandContext(`req-live-${i}`), patientRegistration(`LIVE-${i}`));
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 300)); // the lab is busy before the replay starts, and all through it
      const r = await replay("--from-beginning");
      expect(r.out).toMatch(/the replayed read models equal the live ones/);
      expect(r.code).toBe(0);
      expect(written).toBeGreaterThan(20);
    } finally {
      writing = false;
      await writer;
      await relays.stop();
      await projector.stop();
      await running.close();
    }
  });

  it("names the read model that differs, and refuses a malformed --since", async () => {
    await live.transaction((tx) => tx.execute(`UPDATE "facility_census" SET "patients" = "patients" + 1`));
    const r = await replay("--since", "24h");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/differ from the live ones: facility_census/);
    expect(r.out).toMatch(/facility_census\s+live \S+\s+replayed \S+\s+DIFFERS/);
    const bad = await replay("--since", "yesterday");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since must look like 90d, 24h, 30m or 45s/);
  });
});
