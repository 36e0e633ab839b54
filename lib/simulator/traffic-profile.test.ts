import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findTrafficProfile, loadTrafficProfileDirectory, loadTrafficProfiles } from "./traffic-profile.ts";

const root = join(import.meta.dirname, "..", "..");

describe("traffic profiles", () => {
  it("loads the lab's profiles: peak clinic, billing burst, overnight batch, the steady demo, the spike drill's and the two rushes", () => {
    const profiles = loadTrafficProfileDirectory(join(root, "traffic-profiles"), root);
    expect(profiles.map((p) => p.name).sort()).toEqual([
      "billing-burst",
      "billing-rush",
      "overnight-batch",
      "peak-clinic",
      "portal-rush",
      "steady-demo",
      "traffic-spike",
    ]);
    expect(findTrafficProfile(profiles, "peak-clinic").spec.arrivals.shape).toBe("diurnal");
    expect(() => findTrafficProfile(profiles, "nope")).toThrow(/no traffic profile "nope" \(profiles: .*peak-clinic/);
  });

  it("names every problem with its file, line and field", () => {
    const text = [
      "apiVersion: pim-lab/v1",
      "kind: TrafficProfile",
      "metadata: { name: Bad_Name }",
      "spec:",
      "  arrivals: { shape: burst, baseRatePerSecond: 1, burstRatePerSecond: 5, burstSeconds: 30, everySeconds: 10 }",
      "  thinkTime: { type: uniform, minMs: 5, maxMs: 1 }",
      "  mix:",
      "    - { journey: patient/view-record, weight: 1 }",
      "    - { journey: patient/teleport, weight: 1 }",
    ].join("\n");
    let message = "";
    try {
      loadTrafficProfiles([{ file: "traffic-profiles/bad.yaml", text }]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("traffic-profiles/bad.yaml:3 metadata.name: must be lower-case letters, digits and -");
    expect(message).toContain("traffic-profiles/bad.yaml:5 spec.arrivals.burstSeconds: burstSeconds must not exceed everySeconds");
    expect(message).toContain("traffic-profiles/bad.yaml:6 spec.thinkTime.minMs: minMs must not exceed maxMs");
    expect(message).toMatch(/traffic-profiles\/bad\.yaml:9 spec\.mix\[1\]\.journey: must be one of the lab's journeys/);
  });

  it("refuses a profile defined twice", () => {
    const doc =
      "apiVersion: pim-lab/v1\nkind: TrafficProfile\nmetadata: { name: twice }\nspec: { arrivals: { shape: constant, ratePerSecond: 1 }, mix: [{ journey: patient/view-record, weight: 1 }] }\n";
    expect(() =>
      loadTrafficProfiles([
        { file: "a.yaml", text: doc },
        { file: "b.yaml", text: doc },
      ]),
    ).toThrow(/b\.yaml:3 metadata\.name: twice is defined twice/);
  });
});
