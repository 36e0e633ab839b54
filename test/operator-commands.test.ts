// The operator commands on a lab with real writes: audit:verify (ok when intact, exit 1 naming the shard and
// entry when an entry was edited), audit:prune (chains stay verifiable), lab:token (a token the services accept).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labSigningKey, verifyLabToken } from "../lib/auth/tokens.ts";
import { registerPatient } from "../lib/clinical/patient-commands.ts";
import { generateLabData } from "../lib/synth/generate-lab-data.ts";
import { commandContext, patientRegistration } from "./support/clinical-writes.ts";
import { runScript } from "./support/run-script.ts";
import { type TestLab, createTestLab } from "./support/test-labs.ts";

const SECRET = "integration-test-secret-0123456789";

describe("audit commands", () => {
  let t: TestLab;
  const audit = (...args: string[]) => runScript("scripts/audit.ts", args, { LAB_DATA_DIR: t.config.dataDir, LAB_SECRET: SECRET });

  beforeAll(async () => {
    t = await createTestLab("sqlite", { secret: SECRET });
    await generateLabData(t.lab, { patients: 20, seed: 51, facilities: 2 });
    for (let i = 0; i < 12; i++) await registerPatient(t.lab, commandContext(`req-${i}`), patientRegistration(`CLI-${i}`));
  });
  afterAll(async () => t?.dispose());

  it("verifies every chain of an intact lab", async () => {
    const r = await audit("verify");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/audit:verify shard-0: ok/);
    expect(r.out).toMatch(/audit:verify control: ok/);
    expect(r.out.match(/: ok,/g)).toHaveLength(5);
  });

  it("exits 1 naming the shard and the entry when an entry was edited", async () => {
    const counts = await Promise.all(t.lab.shards.map((s) => s.prisma.auditEntry.count()));
    const shard = t.lab.shards[counts.findIndex((n) => n > 0)]!;
    const entry = await shard.prisma.auditEntry.findFirstOrThrow({ orderBy: { sequence: "asc" } });
    await shard.sql.execute(`UPDATE "audit_entries" SET "action" = 'patient.erase' WHERE "sequence" = ?`, [Number(entry.sequence)]);
    const r = await audit("verify");
    expect(r.code).toBe(1);
    expect(r.err).toContain(`audit:verify ${shard.label}: BROKEN at entry ${entry.sequence}: hash-mismatch`);
    await shard.sql.execute(`UPDATE "audit_entries" SET "action" = ? WHERE "sequence" = ?`, [entry.action, Number(entry.sequence)]);
  });

  it("prunes behind checkpoints and still verifies; refuses a bad age with exit 2", async () => {
    const r = await audit("prune", "--older-than", "0h");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/audit:prune shard-\d: \d+ entries before .* pruned behind checkpoint \d+/);
    expect(r.out.match(/: ok,/g)).toHaveLength(5);
    const bad = await audit("prune", "--older-than", "soon");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--older-than must look like 90d, 24h, 30m or 45s/);
  });
});

describe("lab:token", () => {
  it("prints a token the services accept for a demo persona, and refuses an unknown persona with exit 2", async () => {
    const t = await createTestLab("sqlite", { secret: SECRET });
    try {
      await generateLabData(t.lab, { patients: 5, seed: 61, facilities: 1 });
      const token = (persona: string) => runScript("scripts/lab-token.ts", ["--persona", persona], { LAB_DATA_DIR: t.config.dataDir, LAB_SECRET: SECRET });
      const ok = await token("clinician");
      expect(ok.code).toBe(0);
      const actor = await verifyLabToken(labSigningKey(SECRET), ok.out.trim());
      expect(actor).toMatchObject({ userId: "usr-clinician", role: "clinician", facilityId: expect.stringMatching(/^fac-/) });
      const bad = await token("superuser");
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/--persona must be one of patient, clinician/);
    } finally {
      await t.dispose();
    }
  });
});
