// The contract every event bus adapter must keep (lib/events/bus.ts), run against each adapter: per-key
// order, at-least-once delivery, commits, seeks, lag and independent consumer groups.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusMessage, Delivery, EventBus } from "../../lib/events/bus.ts";

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const messages = (keys: number, perKey: number, tag: string): BusMessage[] =>
  Array.from({ length: keys * perKey }, (_, i) => ({
    key: `pat-${tag}-${i % keys}`,
    value: JSON.stringify({ key: i % keys, seq: Math.floor(i / keys) }),
    headers: { tag },
  }));

export function busContract(name: string, open: () => Promise<EventBus>) {
  describe(`event bus contract: ${name}`, () => {
    let bus: EventBus;
    const topic = () => `contract.${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      bus = await open();
    });
    afterAll(async () => bus?.close());

    /** Messages tagged early, a moment (the cut, over a second later) and where the log ended then, then late ones. */
    async function publishAroundCut(t: string, early: number, late: number) {
      await bus.publish(t, messages(4, early, "early"));
      await new Promise((r) => setTimeout(r, 1100));
      const cut = new Date();
      await new Promise((r) => setTimeout(r, 50));
      const endsAtCut = await bus.ends(t);
      await bus.publish(t, messages(4, late, "late"));
      return { cut, endsAtCut };
    }

    /** Consumes a group until `count` messages have arrived; returns them and stops. */
    async function consume(options: { group: string; topic: string; fromBeginning?: boolean }, count: number, onBatch?: (batch: Delivery[]) => Promise<void>) {
      const got: Delivery[] = [];
      const sub = await bus.subscribe({ ...options, maxBatch: 100 }, async (batch) => {
        await onBatch?.(batch);
        got.push(...batch);
      });
      await until(`${count} messages on ${options.group}`, () => got.length >= count);
      await sub.stop();
      return got;
    }

    it("delivers every message of a key in the order it was published", async () => {
      const t = topic();
      const all = messages(40, 25, "order");
      for (let i = 0; i < all.length; i += 150) await bus.publish(t, all.slice(i, i + 150));
      const got = await consume({ group: "g-order", topic: t, fromBeginning: true }, all.length);
      const seqs = new Map<number, number[]>();
      for (const d of got) {
        const v = JSON.parse(d.value) as { key: number; seq: number };
        seqs.set(v.key, [...(seqs.get(v.key) ?? []), v.seq]);
        expect(d.headers.tag).toBe("order");
      }
      expect(seqs.size).toBe(40);
      for (const list of seqs.values()) expect(list).toEqual([...Array(25).keys()]);
    });

    it("delivers a batch again when its handler fails, and resumes a stopped group from its last commit", async () => {
      const t = topic();
      await bus.publish(t, messages(10, 30, "retry"));
      let failures = 0;
      const first = await consume({ group: "g-retry", topic: t, fromBeginning: true }, 300, async () => {
        if (failures++ < 2) throw new Error("consumer failed before committing");
      });
      expect(new Set(first.map((d) => `${d.partition}:${d.offset}`)).size).toBe(300);
      await bus.publish(t, messages(10, 5, "retry-more"));
      const second = await consume({ group: "g-retry", topic: t }, 50);
      expect(second.every((d) => d.headers.tag === "retry-more")).toBe(true);
      expect(second).toHaveLength(50);
    });

    it("reports lag per partition: all of it before the group reads, none after", async () => {
      const t = topic();
      await bus.publish(t, messages(16, 10, "lag"));
      await bus.seek("g-lag", t, { earliest: true });
      const before = await bus.lag("g-lag", t);
      expect(before.reduce((s, p) => s + p.lag, 0)).toBe(160);
      await consume({ group: "g-lag", topic: t }, 160);
      await until("lag 0", async () => (await bus.lag("g-lag", t)).every((p) => p.lag === 0));
    });

    it("seeks a stopped group to the beginning, to a time, or to given offsets", async () => {
      const t = topic();
      const { cut } = await publishAroundCut(t, 10, 5);
      await consume({ group: "g-seek", topic: t, fromBeginning: true }, 60);

      await bus.seek("g-seek", t, { earliest: true });
      expect(await consume({ group: "g-seek", topic: t }, 60)).toHaveLength(60);

      await bus.seek("g-seek", t, { timestamp: cut });
      const late = await consume({ group: "g-seek", topic: t }, 20);
      expect(late.map((d) => d.headers.tag)).toEqual(Array(20).fill("late"));

      const lag = await bus.lag("g-seek", t);
      const partition = lag.find((p) => p.end > 0)!;
      await bus.seek("g-seek", t, { offsets: { [partition.partition]: partition.end - 1 } });
      expect((await bus.lag("g-seek", t)).reduce((s, p) => s + p.lag, 0)).toBe(1);
    });

    it("finds per partition the first offset appended at or after a moment, and the end where none was", async () => {
      const t = topic();
      const { cut, endsAtCut: before } = await publishAroundCut(t, 3, 2);
      // Every partition's early messages lie before the cut: its first late one is where the log ended then.
      expect(await bus.offsetsAt(t, cut)).toEqual(before);
      expect(await bus.offsetsAt(t, new Date(Date.now() + 60_000))).toEqual(await bus.ends(t));
      const all = await bus.offsetsAt(t, new Date(0));
      expect(Object.values(all).every((o) => o === 0)).toBe(true);
    });

    it("tells where each partition ends, and deletes what lies before given offsets: the oldest kept message moves on", async () => {
      const t = topic();
      await bus.publish(t, messages(8, 5, "old"));
      const ends = await bus.ends(t);
      expect(Object.values(ends).reduce((a, b) => a + b, 0)).toBe(40);
      await bus.publish(t, messages(8, 1, "new"));
      await bus.deleteBefore(t, ends);
      await bus.seek("g-cut", t, { earliest: true });
      expect((await bus.lag("g-cut", t)).reduce((s, p) => s + p.lag, 0)).toBe(8);
      const kept = await consume({ group: "g-cut", topic: t }, 8);
      expect(kept.map((d) => d.headers.tag)).toEqual(Array(8).fill("new"));
    });

    it("makes a topic ready before its first message, empty at every partition, and again without harm", async () => {
      const t = topic();
      await bus.ensureTopic(t);
      await bus.ensureTopic(t);
      expect(Object.values(await bus.ends(t))).toEqual(Array(bus.partitions).fill(0));
      await bus.publish(t, messages(4, 1, "first"));
      expect((await consume({ group: "g-ready", topic: t, fromBeginning: true }, 4)).map((d) => d.headers.tag)).toEqual(Array(4).fill("first"));
    });
    it("keeps consumer groups independent, and starts a new group at the end unless told to read from the beginning", async () => {
      const t = topic();
      await bus.publish(t, messages(5, 4, "before"));
      const [a, b] = await Promise.all([
        consume({ group: "g-a", topic: t, fromBeginning: true }, 20),
        consume({ group: "g-b", topic: t, fromBeginning: true }, 20),
      ]);
      expect(a).toHaveLength(20);
      expect(b).toHaveLength(20);
      const got: Delivery[] = [];
      const sub = await bus.subscribe({ group: "g-new", topic: t }, async (batch) => void got.push(...batch));
      await new Promise((r) => setTimeout(r, 300));
      await bus.publish(t, messages(5, 2, "after"));
      await until("the new group's 10 messages", () => got.length >= 10);
      await sub.stop();
      expect(got.map((d) => d.headers.tag)).toEqual(Array(10).fill("after"));
    });
  });
}
