// FHIR R4 export of a generated lab: every resource has the fields R4 requires, every reference points at
// an exported resource, each patient's Bundle is a valid transaction, and no clear identifier is exported.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_PATTERN } from "../lib/privacy/pseudonymize.ts";
import { exportFhir } from "../lib/synth/fhir-export.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { type TestLab, createTestLab } from "./support/test-labs.ts";

type Resource = Record<string, any> & { resourceType: string; id: string };

/** Required (1..*) elements of each R4 resource the export writes, as dotted paths. */
const REQUIRED: Record<string, string[]> = {
  Patient: [],
  Organization: [],
  Practitioner: [],
  Encounter: ["status", "class.code", "class.system"],
  Condition: ["subject.reference"],
  Procedure: ["status", "subject.reference"],
  MedicationRequest: ["status", "intent", "medicationCodeableConcept", "subject.reference"],
  Claim: [
    "status",
    "type.coding",
    "use",
    "patient.reference",
    "created",
    "provider.reference",
    "priority.coding",
    "insurance",
    "insurance.0.sequence",
    "insurance.0.focal",
    "insurance.0.coverage",
  ],
};
const CODES: Record<string, Record<string, string[]>> = {
  Encounter: { status: ["planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "entered-in-error", "unknown"] },
  Procedure: { status: ["preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown"] },
  MedicationRequest: {
    status: ["active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"],
    intent: ["proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"],
  },
  Claim: { status: ["active", "cancelled", "draft", "entered-in-error"], use: ["claim", "preauthorization", "predetermination"] },
  Patient: { gender: ["male", "female", "other", "unknown"] },
};

const at = (r: Resource, path: string) => path.split(".").reduce<any>((v, k) => (v == null ? undefined : v[k]), r);
const readNdjson = (file: string): Resource[] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "reference" && typeof v === "string") out.push(v);
      else references(v, out);
    }
  }
  return out;
}

describe("FHIR R4 export", () => {
  let t: TestLab;
  let dir: string;
  const clear: string[] = [];
  const byType = new Map<string, Resource[]>();
  beforeAll(async () => {
    t = await createTestLab("sqlite");
    await generateLabData(t.lab, { patients: 150, seed: 4, onPatient: (p) => clear.push(...Object.values(p.clear)) });
    dir = mkdtempSync(join(tmpdir(), "pimlab-fhir-"));
    const report = await exportFhir(t.lab, dir);
    for (const file of report.files) byType.set(file.split("/").pop()!.replace(".ndjson", ""), readNdjson(file));
  });
  afterAll(async () => {
    await t?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes every patient and each of their records once, under the right file", async () => {
    expect(byType.get("Patient")).toHaveLength(150);
    expect(byType.get("bundles")).toHaveLength(150);
    const count = async (model: "encounter" | "diagnosis" | "procedure" | "medication" | "claim") =>
      (await Promise.all(t.lab.shards.map((s) => (s.prisma[model] as { count(): Promise<number> }).count()))).reduce((a, b) => a + b, 0);
    expect(byType.get("Encounter")).toHaveLength(await count("encounter"));
    expect(byType.get("Condition")).toHaveLength(await count("diagnosis"));
    expect(byType.get("Procedure")).toHaveLength(await count("procedure"));
    expect(byType.get("MedicationRequest")).toHaveLength(await count("medication"));
    expect(byType.get("Claim")).toHaveLength(await count("claim"));
    for (const [type, resources] of byType) if (type !== "bundles") for (const r of resources) expect(r.resourceType).toBe(type);
  });

  it("fills every element R4 requires, with codes from the required value sets", () => {
    for (const [type, paths] of Object.entries(REQUIRED)) {
      const resources = byType.get(type)!;
      expect(resources.length, type).toBeGreaterThan(0);
      for (const r of resources) {
        expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
        for (const path of paths) expect(at(r, path), `${type}/${r.id} ${path}`).not.toBeUndefined();
        for (const [field, allowed] of Object.entries(CODES[type] ?? {})) expect(allowed, `${type}.${field}`).toContain(r[field]);
      }
    }
    for (const c of byType.get("Claim")!) for (const item of c.item) expect(item.sequence).toBeGreaterThan(0);
    for (const p of byType.get("Patient")!) expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("resolves every reference to an exported resource", () => {
    const known = new Set([...byType].filter(([k]) => k !== "bundles").flatMap(([, rs]) => rs.map((r) => `${r.resourceType}/${r.id}`)));
    const dangling = [...byType]
      .filter(([k]) => k !== "bundles")
      .flatMap(([, rs]) => rs.flatMap((r) => references(r)))
      .filter((ref) => !known.has(ref));
    expect(dangling).toEqual([]);
  });

  it("makes each patient's Bundle a transaction of PUTs to its own resources", () => {
    for (const b of byType.get("bundles")!) {
      expect(b).toMatchObject({ resourceType: "Bundle", type: "transaction" });
      expect(b.entry[0].resource.resourceType).toBe("Patient");
      for (const e of b.entry) expect(e.request).toEqual({ method: "PUT", url: `${e.resource.resourceType}/${e.resource.id}` });
    }
  });

  it("exports identifiers only as pseudonymous tokens, and no clear identifier anywhere", () => {
    for (const r of [...byType.get("Patient")!, ...byType.get("Practitioner")!]) for (const id of r.identifier) expect(id.value).toMatch(TOKEN_PATTERN);
    const text = [...byType.values()].map((rs) => JSON.stringify(rs)).join("\n");
    expect(clear).toHaveLength(600);
    expect(clear.filter((c) => text.includes(c))).toEqual([]);
  });
});
