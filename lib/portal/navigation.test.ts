import { describe, expect, it } from "vitest";
import type { Actor } from "../auth/roles.ts";
import { navigationFor } from "./navigation.ts";

const actor = (role: Actor["role"], extra: Partial<Actor> = {}): Actor => ({ userId: `usr-${role}`, role, facilityId: null, patientId: null, ...extra });
const labels = (a: Actor | null) => navigationFor(a).map((l) => l.label);

describe("the portal's navigation", () => {
  it("offers each persona only the pages that serve its role", () => {
    expect(labels(null)).toEqual(["Overview"]);
    expect(labels(actor("patient", { patientId: "pat-1" }))).toEqual(["Overview", "My dashboard", "My record"]);
    expect(labels(actor("clinician", { facilityId: "fac-0001" }))).toEqual(["Overview", "My dashboard"]);
    expect(labels(actor("billing"))).toEqual(["Overview", "My dashboard"]);
    expect(labels(actor("sre"))).toEqual(["Overview", "My dashboard", "SLOs", "Traffic", "Scenarios", "Drills", "Agents", "Audit", "Telemetry", "Runbooks"]);
    expect(labels(actor("oncall"))).toEqual(["Overview", "My dashboard", "SLOs", "On call", "Audit", "Telemetry", "Runbooks"]);
    expect(labels(actor("instructor"))).toEqual([
      "Overview",
      "My dashboard",
      "SLOs",
      "Traffic",
      "Scenarios",
      "Drills",
      "Exercises",
      "On call",
      "Agents",
      "Audit",
      "Telemetry",
      "Runbooks",
    ]);
    expect(labels(actor("admin"))).toEqual([
      "Overview",
      "My dashboard",
      "SLOs",
      "Traffic",
      "Scenarios",
      "Drills",
      "Agents",
      "Audit",
      "Telemetry",
      "Runbooks",
      "Admin",
    ]);
  });
});
