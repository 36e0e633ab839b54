// The outbox relay of one shard: reads unpublished outbox rows in position order, publishes them to the bus
// in batches (key: the patient id), then marks them published. A crash between publishing and marking
// publishes a batch again, never loses one: delivery is at-least-once and consumers dedupe by event id.
import type { ShardHandle } from "../data/lab-databases.ts";
import type { OutboxEvent } from "../data/prisma-clients.ts";
import { selectList } from "../data/tables.ts";
import { DOMAIN_TOPIC, type EventBus } from "./bus.ts";
import { type EventEnvelope, envelopeOf } from "./envelope.ts";
import { inEventBatchSpan } from "../telemetry/tracing.ts";

export interface RelayPass {
  published: number;
  /** Unpublished rows left after this pass (as of its read: rows written since come in the next pass). */
  backlog: number;
  /** From each event's occurrence to its publication, in ms. */
  latenciesMs: number[];
}

const UNPUBLISHED = `SELECT ${selectList("OutboxEvent")} FROM "outbox_events" WHERE "publishedAt" IS NULL ORDER BY "position" LIMIT ?`;

/** Publishes up to `batchSize` unpublished events of the shard; one pass of the relay loop. */
export async function relayOnce(shard: ShardHandle, bus: EventBus, batchSize = 500, now = () => new Date()): Promise<RelayPass> {
  const rows = (await shard.readSql.query(UNPUBLISHED, [batchSize])) as OutboxEvent[];
  // A short read took every unpublished row: no count needed for the backlog (the idle loop's common case).
  if (rows.length === 0) return { published: 0, backlog: 0, latenciesMs: [] };
  const envelopes = rows.map((row) => envelopeOf(row, shard.index, false)); // checked against the catalog when written
  return inEventBatchSpan(
    {
      operation: "publish",
      system: bus.kind,
      topic: DOMAIN_TOPIC,
      traceparents: envelopes.map((e) => e.headers.traceparent),
      attributes: { "lab.shard": shard.index },
    },
    () => publishBatch(shard, bus, rows, envelopes, batchSize, now),
  );
}

async function publishBatch(
  shard: ShardHandle,
  bus: EventBus,
  rows: OutboxEvent[],
  envelopes: EventEnvelope[],
  batchSize: number,
  now: () => Date,
): Promise<RelayPass> {
  await bus.publish(
    DOMAIN_TOPIC,
    envelopes.map((envelope) => {
      return {
        key: envelope.partitionKey,
        value: JSON.stringify(envelope),
        headers: {
          eventId: envelope.eventId,
          type: `${envelope.type}.v${envelope.version}`,
          ...(envelope.headers.traceparent ? { traceparent: envelope.headers.traceparent } : {}),
        },
      };
    }),
  );
  const publishedAt = now();
  const positions = rows.map((r) => r.position);
  // Through the write queue: a bare statement on this connection could join a request's open transaction.
  await shard.sql.transaction((tx) =>
    tx.execute(`UPDATE "outbox_events" SET "publishedAt" = ?, "attempts" = "attempts" + 1 WHERE "position" IN (${positions.map(() => "?").join(", ")})`, [
      publishedAt,
      ...positions,
    ]),
  );
  return {
    published: rows.length,
    backlog: rows.length < batchSize ? 0 : await outboxBacklog(shard),
    latenciesMs: rows.map((r) => publishedAt.getTime() - r.occurredAt.getTime()),
  };
}

export async function outboxBacklog(shard: ShardHandle): Promise<number> {
  const [row] = await shard.readSql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "outbox_events" WHERE "publishedAt" IS NULL`);
  return Number(row?.n ?? 0);
}

/** When the shard's oldest unpublished event occurred, or null when the relay has published them all. */
export async function oldestUnpublished(shard: ShardHandle): Promise<Date | null> {
  const [row] = (await shard.readSql.query(UNPUBLISHED, [1])) as OutboxEvent[];
  return row ? row.occurredAt : null;
}

export interface RelayLoop {
  stop(): Promise<void>;
}

/**
 * Runs the relay of every shard until stopped: a shard with a full batch goes again at once, an idle one
 * waits `idleMs`. A failed pass (bus down) is retried after `retryMs`; nothing is marked published then.
 */
export function startRelays(
  shards: readonly ShardHandle[],
  bus: EventBus,
  options: {
    batchSize?: number;
    idleMs?: number;
    retryMs?: number;
    /** While true, no shard publishes (an injected relay pause): the outboxes back up. */
    paused?: () => boolean;
    onPass?: (shard: number, pass: RelayPass) => void;
    onError?: (shard: number, err: unknown) => void;
  } = {},
): RelayLoop {
  let stopping = false;
  const batchSize = options.batchSize ?? 500;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const loops = shards.map(async (shard) => {
    while (!stopping) {
      if (options.paused?.()) {
        await sleep(options.idleMs ?? 50);
        continue;
      }
      try {
        const pass = await relayOnce(shard, bus, batchSize);
        options.onPass?.(shard.index, pass);
        if (pass.published < batchSize) await sleep(options.idleMs ?? 50);
      } catch (err) {
        options.onError?.(shard.index, err);
        await sleep(options.retryMs ?? 500);
      }
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
