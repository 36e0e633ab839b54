import { describe, expect, it } from "vitest";
import { ENDPOINT_GROUPS, LAB_ENDPOINTS } from "./lab-endpoints.ts";

describe("the lab client's endpoints", () => {
  it("names every declared route of every group, none shadowing another when the groups are merged", () => {
    const names = ENDPOINT_GROUPS.flat();
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(Object.keys(LAB_ENDPOINTS).sort()).toEqual([...names].sort());
  });
});
