import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prisma } from "../data/generated/sqlite/client.ts";
import { FIELD_CLASSES, PHI_FIELD_NAMES } from "./classification.ts";
import { TOKEN_PATTERN, createPseudonymizer, pseudonymToken } from "./pseudonymize.ts";
import { REDACTED, redactForLog, redactRecord, scrubText } from "./redact.ts";

const SECRET = "unit-test-secret-0123456789";

describe("pseudonymization", () => {
  it("gives the same token for the same identifier and secret, however it is written", () => {
    const token = pseudonymToken(SECRET, "phone", "555-0100-1234");
    expect(pseudonymToken(SECRET, "phone", " 555 0100 1234 ")).toBe(token);
    expect(token).toMatch(TOKEN_PATTERN);
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(pseudonymToken(SECRET, "mrn", v)).toBe(pseudonymToken(SECRET, "mrn", v));
      }),
    );
  });

  it("gives a different token under a different secret, and for a different kind of identifier", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (v) => {
        expect(pseudonymToken(SECRET, "mrn", v)).not.toBe(pseudonymToken(`${SECRET}-rotated`, "mrn", v));
        expect(pseudonymToken(SECRET, "mrn", v).slice(4)).not.toBe(pseudonymToken(SECRET, "national-id", v).slice(4));
      }),
    );
  });

  it("never contains the identifier it stands for", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), (v) => {
        expect(pseudonymToken(SECRET, "national-id", v)).not.toContain(v);
      }),
    );
  });

  it("refuses a secret too short to be one", () => {
    expect(() => createPseudonymizer("short")).toThrow(/at least 16/);
  });
});

describe("field classification", () => {
  it("classifies every field of every model, and nothing that is not a field", () => {
    const enums: Record<string, Record<string, string>> = {};
    for (const model of Object.values(Prisma.ModelName)) {
      enums[model] = (Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]!;
    }
    for (const [model, fields] of Object.entries(enums)) {
      expect(Object.keys(FIELD_CLASSES[model as keyof typeof FIELD_CLASSES] ?? {}).sort(), model).toEqual(Object.values(fields).sort());
    }
    expect(Object.keys(FIELD_CLASSES).sort()).toEqual(Object.keys(enums).sort());
  });

  it("treats names, birth dates, addresses and clinical free text as synthetic PHI", () => {
    for (const f of ["givenName", "familyName", "birthDate", "addressLine", "postalCode", "note", "reason", "payload"])
      expect(PHI_FIELD_NAMES.has(f)).toBe(true);
    for (const f of ["id", "code", "status", "mrnToken"]) expect(PHI_FIELD_NAMES.has(f)).toBe(false);
  });
});

describe("redaction", () => {
  const patient = { id: "pat-1", givenName: "Ada", familyName: "Lovelace", birthDate: new Date(0), mrnToken: "mrn_x", region: "IL", secretSauce: "?" };

  it("keeps only the classes an export policy allows and drops unknown fields", () => {
    expect(redactRecord("Patient", patient, { keep: ["operational"] })).toEqual({
      id: "pat-1",
      givenName: REDACTED,
      familyName: REDACTED,
      birthDate: REDACTED,
      mrnToken: REDACTED,
      region: "IL",
    });
    expect(redactRecord("Patient", patient, { keep: ["operational", "pseudonym"] }).mrnToken).toBe("mrn_x");
  });

  it("hides PHI-like and clear-identifier fields at any depth of a log object", () => {
    const line = { msg: "registered", traceId: "abc", patient: { ...patient, contact: [{ email: "a@example.org", phone: "555" }] } };
    const out = JSON.stringify(redactForLog(line));
    for (const clear of ["Ada", "Lovelace", "a@example.org", '"555"']) expect(out).not.toContain(clear);
    expect(out).toContain('"traceId":"abc"');
    expect(out).toContain('"id":"pat-1"');
  });
});

describe("log redaction of errors and free text", () => {
  it("keeps an error's type, message and stack (scrubbed), which are not enumerable", () => {
    const out = redactForLog({ err: new TypeError("no patient jane@example.org, call 555-010-1234") }) as {
      err: { type: string; message: string; stack: string };
    };
    expect(out.err.type).toBe("TypeError");
    expect(out.err.message).toBe("no patient [redacted], call [redacted]");
    expect(out.err.stack).toContain("TypeError: no patient [redacted]");
  });

  it("scrubs identifier shapes from free text and leaves the rest", () => {
    expect(scrubText("MRN-0042 for 987-65-4320 at x@y.org: ok")).toBe("[redacted] for [redacted] at [redacted]: ok");
  });
});
