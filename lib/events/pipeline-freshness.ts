// How fresh the read models are: whether they hold every event committed on the shards more than a threshold
// ago. Two waits make them stale, and both are read here without touching the events themselves: the relay's
// (the oldest unpublished outbox row of each shard, exact) and the projector's (a partition whose group has
// yet to read a message appended before the threshold: the log's offset at that moment against the group's).
import type { ShardHandle } from "../data/lab-databases.ts";
import { DOMAIN_TOPIC, type EventBus } from "./bus.ts";
import { oldestUnpublished, outboxBacklog } from "./relay.ts";

export interface PipelineFreshness {
  at: string;
  thresholdMs: number;
  /** Per shard, how many events wait for the relay and how long the oldest has waited (0: none waits). */
  relay: { shard: number; unpublished: number; oldestWaitingMs: number }[];
  /** Partitions whose group has yet to read a message appended more than thresholdMs ago. */
  behind: number[];
  /** The read models hold every event that occurred more than thresholdMs ago. */
  fresh: boolean;
  /**
   * How stale they are as far as the pipeline can tell: the relay's oldest wait, and when a partition is
   * behind, at least the threshold and a millisecond (the log is not read to say by how much).
   */
  stalenessMs: number;
}

export async function readPipelineFreshness(
  shards: readonly ShardHandle[],
  bus: EventBus,
  group: string,
  options: { thresholdMs: number; now?: Date },
): Promise<PipelineFreshness> {
  const now = options.now ?? new Date();
  const { thresholdMs } = options;
  const [oldest, unpublished, lag, offsetsThen] = await Promise.all([
    Promise.all(shards.map(oldestUnpublished)),
    Promise.all(shards.map(outboxBacklog)),
    bus.lag(group, DOMAIN_TOPIC),
    bus.offsetsAt(DOMAIN_TOPIC, new Date(now.getTime() - thresholdMs)),
  ]);
  const relay = shards.map((shard, i) => ({
    shard: shard.index,
    unpublished: unpublished[i]!,
    oldestWaitingMs: oldest[i] ? Math.max(0, now.getTime() - oldest[i].getTime()) : 0,
  }));
  // Everything before offsetsThen[p] was appended more than thresholdMs ago: a group short of it is behind.
  const behind = lag.filter((p) => p.committed < (offsetsThen[p.partition] ?? 0)).map((p) => p.partition);
  const relayWait = Math.max(0, ...relay.map((r) => r.oldestWaitingMs));
  const stalenessMs = behind.length > 0 ? Math.max(relayWait, thresholdMs + 1) : relayWait;
  return { at: now.toISOString(), thresholdMs, relay, behind, fresh: stalenessMs <= thresholdMs, stalenessMs };
}
