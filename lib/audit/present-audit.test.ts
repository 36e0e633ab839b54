import { describe, expect, it } from "vitest";
import { REDACTED } from "../privacy/redact.ts";
import { CONTROL_LOG } from "./audit-logs.ts";
import type { EntityChange } from "./audit-changes.ts";
import { CLINICIAN_UPDATED_PATIENT } from "./audit-entry-fixture.ts";
import { presentAuditHit, visibleChanges } from "./present-audit.ts";
import type { AuditHit } from "./search-audit.ts";

const hit = (overrides: Partial<AuditHit> = {}): AuditHit => ({
  sequence: 7n,
  occurredAt: new Date("2026-11-24T09:30:00.000Z"),
  ...CLINICIAN_UPDATED_PATIENT,
  traceId: "0af7651916cd43dd8448eb211c80319c",
  outcome: "success",
  details: '{"fields":["city","familyName"],"version":2}',
  prevHash: "a".repeat(64),
  hash: "b".repeat(64),
  shard: 2,
  ...overrides,
});

const before = { id: "pat-1", facilityId: "fac-0001", givenName: "Ada", familyName: "Lovelace", city: "London", region: "IL", mrnToken: "mrn_x", version: 1 };
const update: EntityChange = { operation: "update", before, after: { ...before, familyName: "Byron", city: "Ockham", version: 2 } };

describe("audit entries as a reader sees them", () => {
  it("masks the synthetic PHI an SRE's view hides, naming the changed fields but not their values", () => {
    const row = presentAuditHit(hit(), "masked", update);
    expect(row.changes).toEqual([
      { field: "city", before: REDACTED, after: REDACTED },
      { field: "familyName", before: REDACTED, after: REDACTED },
      { field: "version", before: 1, after: 2 },
    ]);
    expect(JSON.stringify(row)).not.toMatch(/Lovelace|Byron|London|Ockham/);
  });

  it("shows every changed value to a view that may see them, and nothing that did not change", () => {
    expect(visibleChanges("Patient", update, "full").map((c) => [c.field, c.before, c.after])).toEqual([
      ["city", "London", "Ockham"],
      ["familyName", "Lovelace", "Byron"],
      ["version", 1, 2],
    ]);
  });

  it("hides only clinical free text from the billing view", () => {
    const encounter: EntityChange = { operation: "create", before: null, after: { id: "enc-1", status: "open", reason: "chest pain", note: "seen" } };
    expect(visibleChanges("Encounter", encounter, "billing")).toEqual([
      { field: "id", before: null, after: "enc-1" },
      { field: "note", before: null, after: REDACTED },
      { field: "reason", before: null, after: REDACTED },
      { field: "status", before: null, after: "open" },
    ]);
  });

  it("shows nothing of an entity whose model the classification table does not know, unless the view is full", () => {
    const change: EntityChange = { operation: "create", before: null, after: { secret: "x" } };
    expect(visibleChanges("Mystery", change, "masked")).toEqual([]);
    expect(visibleChanges("Mystery", change, "full")).toEqual([{ field: "secret", before: null, after: "x" }]);
  });

  it("scrubs identifier shapes that slipped into an entry's details for masked views, and keeps its own fields", () => {
    const leaky = hit({ details: '{"note":"call 555-010-1234 or ada@example.org","version":2}' });
    expect(presentAuditHit(leaky, "masked").details).toBe('{"note":"call [redacted] or [redacted]","version":2}');
    expect(presentAuditHit(leaky, "full").details).toContain("ada@example.org");
    expect(presentAuditHit(hit(), "masked")).toMatchObject({
      occurredAt: "2026-11-24T09:30:00.000Z",
      source: "shard 2",
      sequence: "7",
      actorId: "usr-clinician",
      action: "patient.update",
      entityId: "pat-1",
      patientId: "pat-1",
      requestId: "req-1",
      traceId: "0af7651916cd43dd8448eb211c80319c",
      operation: null,
      changes: [],
    });
  });

  it("labels the control database's entries as control", () => {
    expect(presentAuditHit(hit({ shard: CONTROL_LOG, patientId: null }), "masked")).toMatchObject({ source: "control", shard: -1, patientId: null });
  });
});
