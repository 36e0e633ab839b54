// The exercise pages' form values: a faulty entity as one select's option ("service:clinical",
// "shard:2", "none"), so a player names any entity of the vocabulary with one control, and back.
import { type FaultyEntity, describeEntity } from "../exercises/exercise-catalog.ts";

/** The entities a player may name, with their labels, for a lab of `shardCount` shards. */
export function entityOptions(shardCount: number): { value: string; label: string }[] {
  const entities: FaultyEntity[] = [
    { kind: "service", service: "clinical" },
    { kind: "service", service: "billing" },
    { kind: "service", service: "gateway" },
    { kind: "configuration", service: "clinical" },
    { kind: "configuration", service: "billing" },
    { kind: "configuration", service: "gateway" },
    { kind: "relay" },
    { kind: "projector" },
    ...Array.from({ length: shardCount }, (_, shard) => ({ kind: "shard" as const, shard })),
    { kind: "none" },
  ];
  return entities.map((e) => ({ value: entityOption(e), label: describeEntity(e) }));
}

export function entityOption(e: FaultyEntity): string {
  if (e.kind === "service" || e.kind === "configuration") return `${e.kind}:${e.service}`;
  if (e.kind === "shard") return `shard:${e.shard}`;
  return e.kind;
}

/** The entity an option stands for (the API checks it again, naming the field when it is not one). */
export function entityOfOption(value: string): unknown {
  const [kind, target] = value.split(":", 2);
  if (kind === "service" || kind === "configuration") return { kind, service: target };
  if (kind === "shard") return { kind, shard: Number(target) };
  return { kind };
}
