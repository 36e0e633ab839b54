import { describe, expect, it } from "vitest";
import { FaultyEntity } from "../exercises/exercise-catalog.ts";
import { entityOfOption, entityOptions } from "./exercise-forms.ts";

describe("the exercise forms' entity choice", () => {
  it("offers every entity of the vocabulary once, and each option reads back as that entity", () => {
    const options = entityOptions(4);
    expect(options.map((o) => o.label)).toEqual([
      "the clinical service",
      "the billing service",
      "the gateway service",
      "the clinical configuration",
      "the billing configuration",
      "the gateway configuration",
      "the relay",
      "the projector",
      "shard 0",
      "shard 1",
      "shard 2",
      "shard 3",
      "nothing",
    ]);
    for (const o of options) expect(FaultyEntity.safeParse(entityOfOption(o.value)).success, o.value).toBe(true);
    expect(entityOfOption("shard:2")).toEqual({ kind: "shard", shard: 2 });
  });
});
