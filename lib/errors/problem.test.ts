import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LabError } from "./index.ts";
import { labErrorFromProblem, problemBody } from "./problem.ts";
import { inputError, problemOf } from "./problem-of.ts";
import { errorResponse, refusal } from "./problem-response.ts";

describe("problem bodies", () => {
  it("titles every status from one table, whoever makes the body", async () => {
    expect(problemBody(401, "send a token", "authorization")).toEqual({
      type: "https://pim-sre.lab/problems/401",
      title: "Unauthenticated",
      status: 401,
      detail: "send a token",
      field: "authorization",
    });
    const portal = refusal("unauthenticated", "send a token", "authorization");
    expect(portal.status).toBe(401);
    expect(portal.headers.get("content-type")).toBe("application/problem+json");
    expect(portal.headers.get("www-authenticate")).toBe("Bearer");
    expect(await portal.json()).toEqual(problemBody(401, "send a token", "authorization"));
  });

  it("names the field of a failed parse, and an unknown field as unknown", () => {
    const schema = z.strictObject({ limit: z.number().int() });
    const wrong = inputError(schema.safeParse({ limit: 1.5 }).error!, "query");
    expect([wrong.code, wrong.status, wrong.field]).toEqual(["invalid", 400, "limit"]);
    expect(wrong.message).toMatch(/^limit: /);
    const unknown = inputError(schema.safeParse({ limit: 1, colour: "red" }).error!, "query");
    expect([unknown.field, unknown.message]).toEqual(["colour", "unknown field colour"]);
    const whole = inputError(z.string().safeParse(3).error!, "body");
    expect(whole.field).toBe("body");
  });

  it("answers an injected fault with the rule's own status and the words of a real failure", () => {
    expect(problemOf(new LabError("injected", "the service is unavailable; retry shortly", { status: 503 }))).toMatchObject({
      status: 503,
      detail: "the service is unavailable; retry shortly",
    });
  });

  it("tells nothing of an unexpected failure or a setup error", async () => {
    const logged: unknown[] = [];
    for (const err of [new Error("secret path /etc/x"), new LabError("setup", "no secret")]) {
      const res = errorResponse(err, (e) => logged.push(e));
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toMatch(/secret/);
    }
    expect(logged).toHaveLength(2);
  });

  it("maps a unique-index refusal to a conflict and a busy shard to a retry", () => {
    expect(problemOf({ code: "P2002", meta: { target: ["mrnToken"] } })).toMatchObject({ status: 409, field: "mrnToken" });
    expect(problemOf({ code: "P2034" })).toMatchObject({ status: 503 });
  });

  it("rebuilds the LabError a problem body stands for, a 404 as a code", () => {
    const err = labErrorFromProblem(404, { ...problemBody(404, "no drill run drl-x", "runId"), requestId: "req-12345678" }, "drill engine");
    expect([err.code, err.message, err.field, err.requestId]).toEqual(["not_found", "no drill run drl-x", "runId", "req-12345678"]);
    expect(labErrorFromProblem(418, "teapot", "gateway")).toMatchObject({ code: "invalid", message: "the gateway answered 418" });
    expect(labErrorFromProblem(500, {}, "gateway").code).toBe("internal");
  });
});
