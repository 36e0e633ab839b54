// One event bus interface, two adapters (the embedded SQLite log and Apache Kafka), one contract test suite.
// Messages are keyed strings: a key always lands on the same partition, so one patient's events keep their
// order. Consumers are groups with committed offsets: a batch is committed only after its handler resolves,
// so delivery is at-least-once and consumers make their effects idempotent (by event id).
import { createHash } from "node:crypto";

export const DOMAIN_TOPIC = "lab.events";
export const DEAD_LETTER_TOPIC = "lab.events.dlq";

export interface BusMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface Delivery {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** When the bus appended the message (ms since the epoch). */
  timestamp: number;
}

export interface SubscribeOptions {
  group: string;
  topic: string;
  /** Where a group with no committed offset starts: the oldest message kept, or only new ones. */
  fromBeginning?: boolean;
  maxBatch?: number;
}

export interface Subscription {
  /** Finishes the batch in hand (and commits it), then stops. */
  stop(): Promise<void>;
}

export type SeekTarget = { offsets: Record<number, number> } | { timestamp: Date } | { earliest: true } | { latest: true };

export interface PartitionLag {
  partition: number;
  /** The next offset the group will read. */
  committed: number;
  /** The offset the next message on the partition will get. */
  end: number;
  lag: number;
}

export interface EventBus {
  readonly kind: "embedded" | "kafka";
  readonly partitions: number;
  publish(topic: string, messages: readonly BusMessage[]): Promise<void>;
  /** Makes sure the topic exists, so that a first publish to it later costs no topic creation on its way. */
  ensureTopic(topic: string): Promise<void>;
  subscribe(options: SubscribeOptions, handle: (batch: Delivery[]) => Promise<void>): Promise<Subscription>;
  /** Moves a group's committed offsets; the group must have no running subscription. */
  seek(group: string, topic: string, target: SeekTarget): Promise<void>;
  lag(group: string, topic: string): Promise<PartitionLag[]>;
  /** The next offset of every partition: where the log ends now. */
  ends(topic: string): Promise<Record<number, number>>;
  /** Per partition, the first offset appended at or after `at` (where the log ends when none was). */
  offsetsAt(topic: string, at: Date): Promise<Record<number, number>>;
  /** Deletes every message before these offsets (a log whose history was rewritten: the backfill, ADR 0018). */
  deleteBefore(topic: string, offsets: Record<number, number>): Promise<void>;
  close(): Promise<void>;
}

/** The partition of a key: the same on both adapters, so tests and replays see one placement. */
export function partitionOf(key: string, partitions: number): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) % partitions;
}
