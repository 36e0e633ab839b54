// Kafka stopped and restarted in the middle of a stream of 10,000 events, on a broker of the test's own
// (other ports, its own data): the relay and projector ride it out; no event is lost or counted twice, and
// the read models equal a fresh replay.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type Socket, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SqlDatabase, openSqlite } from "../lib/data/sql-database.ts";
import { DOMAIN_TOPIC, type EventBus } from "../lib/events/bus.ts";
import { openKafkaBus } from "../lib/events/kafka-bus.ts";
import { PROJECTOR_GROUP, startProjector } from "../lib/events/projector.ts";
import { migrateReadModels } from "../lib/events/projections.ts";
import { startRelays } from "../lib/events/relay.ts";
import { EVENTS_PER_STORY, fillOutboxes, replayMatchesLive } from "./support/event-stories.ts";
import { type TestLab, createTestLab, repoRoot } from "./support/test-labs.ts";

const run = promisify(execFile);
const EVENTS = 10_000;
const available = process.env.LAB_TEST_KAFKA !== "unavailable";

describe.runIf(available)("Kafka broker restarted mid-stream", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pimlab-kafka-restart-"));
  const brokerEnv = { ...process.env, KAFKA_PORT: "19092", KAFKA_CONTROLLER_PORT: "19093", KAFKA_DATA_DIR: dataDir, KAFKA_HEAP: "384m" };
  const broker = (script: "start.sh" | "stop.sh") =>
    run("bash", [join(repoRoot, "deploy/local/kafka", script)], { env: brokerEnv, cwd: repoRoot, timeout: 120_000 });
  let t: TestLab;
  let bus: EventBus;
  let models: SqlDatabase;

  beforeAll(async () => {
    await broker("start.sh");
    t = await createTestLab("sqlite");
    bus = await openKafkaBus({ brokers: ["127.0.0.1:19092"], partitions: 8, clientId: "restart-test" });
    models = openSqlite(join(t.config.dataDir, "read-models.db"), "read-models");
    await migrateReadModels(models);
  });
  afterAll(async () => {
    await bus?.close().catch(() => undefined);
    await models?.close();
    await t?.dispose();
    await broker("stop.sh").catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("loses and doubles nothing across a broker stop and restart, and equals a fresh replay", async () => {
    const projector = await startProjector(bus, models, { maxAttempts: 1_000 });
    const relayErrors = new Map<number, string>();
    const relays = startRelays(t.lab.shards, bus, {
      idleMs: 20,
      onError: (shard, err) => relayErrors.set(shard, `${(err as Error).name}: ${(err as Error).message}`),
    });
    const pidBefore = readFileSync(join(dataDir, "broker.pid"), "utf8");
    let refusedWhileDown = false;
    const chunk = 250;
    for (let written = 0; written < EVENTS; written += chunk) {
      await fillOutboxes(t.lab, chunk, written / EVENTS_PER_STORY);
      if (written === EVENTS / 2) {
        await broker("stop.sh"); // writes go on into the outboxes while the broker is down
        refusedWhileDown = await new Promise<boolean>((resolve) =>
          connect(19092, "127.0.0.1")
            .on("connect", function (this: Socket) {
              this.destroy();
              resolve(false);
            })
            .on("error", () => resolve(true)),
        );
      }
      if (written === EVENTS / 2 + 5 * chunk) {
        await new Promise((r) => setTimeout(r, 3000)); // a few seconds down: longer than a blip
        await broker("start.sh");
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const end = Date.now() + 240_000;
    const processed = async () => Number((await models.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "processed_events"`))[0]!.n);
    while ((await processed()) < EVENTS && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    // What is stuck, should the count fall short: the outboxes (relay side) or the group's lag (consumer side).
    const unpublished = await Promise.all(t.lab.shards.map((s) => s.prisma.outboxEvent.count({ where: { publishedAt: null } })));
    const lag = (await bus.lag(PROJECTOR_GROUP, DOMAIN_TOPIC).catch((err: Error) => [{ error: err.message }])) as unknown[];
    const progress = JSON.stringify({ unpublished, lastRelayErrors: Object.fromEntries(relayErrors), lag, stats: projector.stats });
    await relays.stop();
    await projector.stop();

    expect(refusedWhileDown, "the broker was really down").toBe(true);
    expect(readFileSync(join(dataDir, "broker.pid"), "utf8"), "and really restarted").not.toBe(pidBefore);
    expect(await processed(), progress).toBe(EVENTS);
    expect((await Promise.all(t.lab.shards.map((s) => s.prisma.outboxEvent.count({ where: { publishedAt: null } })))).every((n) => n === 0)).toBe(true);
    const patients = EVENTS / EVENTS_PER_STORY;
    expect(await models.query(`SELECT "patients", "encounters_total" FROM "facility_census"`)).toEqual([{ patients, encounters_total: patients }]);
    expect(projector.stats.deadLettered).toBe(0);

    const replay = await replayMatchesLive(bus, models, t.config.dataDir);
    expect(replay.applied).toBe(EVENTS);
    expect(replay.replayed).toEqual(replay.live);
  }, 420_000);
});
