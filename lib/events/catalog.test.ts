import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogEntries } from "./catalog.ts";
import { checkEnvelope } from "./envelope.ts";
import { type JsonSchema, catalogJsonSchemas, compatibilityProblems } from "./json-schemas.ts";

const docs = join(import.meta.dirname, "..", "..", "docs", "events");
const published = () =>
  Object.fromEntries(
    readdirSync(docs)
      .filter((f) => f.endsWith(".schema.json"))
      .map((f) => [f, JSON.parse(readFileSync(join(docs, f), "utf8")) as JsonSchema]),
  );

describe("event catalog", () => {
  it("changes no published version incompatibly (within a version, fields may only be added, as optional)", () => {
    const current = catalogJsonSchemas();
    const broken = Object.entries(published()).flatMap(([file, schema]) =>
      current[file] ? compatibilityProblems(schema, current[file]).map((p) => `${file}: ${p}`) : [`${file}: the catalog no longer has it`],
    );
    expect(broken, "a breaking change needs a new version of the event").toEqual([]);
  });

  it("has its JSON Schemas in docs/events/ up to date (run npm run events:schemas)", () => {
    expect(published()).toEqual(JSON.parse(JSON.stringify(catalogJsonSchemas())));
  });

  it("tells an additive change from a breaking one", () => {
    const v1: JsonSchema = { type: "object", properties: { a: { type: "string" }, s: { type: "string", enum: ["x", "y"] } }, required: ["a", "s"] };
    expect(compatibilityProblems(v1, { ...v1, properties: { ...v1.properties, b: { type: "integer" } } })).toEqual([]);
    expect(compatibilityProblems(v1, { ...v1, properties: { ...v1.properties, b: { type: "integer" } }, required: ["a", "s", "b"] })).toEqual([
      "b became required (a new field must be optional)",
    ]);
    expect(compatibilityProblems(v1, { ...v1, properties: { s: v1.properties!.s! }, required: ["s"] })).toEqual(["a was removed"]);
    expect(compatibilityProblems(v1, { ...v1, properties: { ...v1.properties, a: { type: "integer" } } })).toEqual(["a changed type"]);
    expect(compatibilityProblems(v1, { ...v1, properties: { ...v1.properties, s: { type: "string", enum: ["x"] } } })).toEqual(["s lost allowed values"]);
  });

  it("names every event type the lab's commands emit, each at version 1", () => {
    expect(catalogEntries().map((e) => `${e.type}.v${e.version}`)).toEqual(
      expect.arrayContaining([
        "PatientRegistered.v1",
        "EncounterOpened.v1",
        "EncounterClosed.v1",
        "DiagnosisRecorded.v1",
        "ProcedureRecorded.v1",
        "MedicationPrescribed.v1",
        "MedicationDiscontinued.v1",
        "ClaimSubmitted.v1",
        "ClaimAdjudicated.v1",
        "ClaimPaid.v1",
        "ClaimDenied.v1",
      ]),
    );
  });

  it("checks envelopes: a good one passes, an unknown type or a bad payload is a 400 naming the field", () => {
    const good = {
      eventId: "7f1c6a57-3d3e-4b8f-9a57-0d7c2b0e6a11",
      type: "DiagnosisRecorded",
      version: 1,
      occurredAt: "2026-11-24T08:00:00.000Z",
      shard: 1,
      outboxPosition: 3,
      aggregateType: "Diagnosis",
      aggregateId: "dx-1",
      partitionKey: "pat-1",
      headers: { requestId: "req-1", traceparent: null, actorId: "usr-1", shard: 1 },
      payload: { diagnosisId: "dx-1", encounterId: "enc-1", patientId: "pat-1", code: "J06.9", recordedAt: "2026-11-24T08:00:00.000Z", addedLater: true },
    };
    expect(checkEnvelope(good).payload).toMatchObject({ code: "J06.9" });
    expect(() => checkEnvelope({ ...good, type: "Nope" })).toThrow(expect.objectContaining({ status: 400, field: "type" }));
    expect(() => checkEnvelope({ ...good, version: 9 })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => checkEnvelope({ ...good, payload: { ...good.payload, recordedAt: "yesterday" } })).toThrow(
      expect.objectContaining({ status: 400, field: "payload.recordedAt" }),
    );
    expect(() => checkEnvelope({ ...good, eventId: "x" })).toThrow(expect.objectContaining({ status: 400, field: "eventId" }));
  });
});
