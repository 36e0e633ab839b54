// The OpenAPI 3.1 document of the lab's API, generated from the route catalogue and its zod contracts
// (zod's JSON Schema output is draft 2020-12, the dialect OpenAPI 3.1 uses).
import { z } from "zod";
import { POLICY } from "../auth/policy.ts";
import { API_ROUTES, type ApiRoute } from "./api-catalog.ts";

type Json = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: "input" | "output" = "input"): Json => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
};

function parameters(route: ApiRoute): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: property });
    }
  }
  if (route.versioned)
    out.push({
      name: "If-Match",
      in: "header",
      required: true,
      schema: { type: "string", example: '"3"' },
      description: "The version last read; a stale one is a 409.",
    });
  if (route.method === "POST")
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      schema: { type: "string", maxLength: 200 },
      description: "Same key and body: the first answer again. Another body: 422.",
    });
  return out;
}

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });

export function buildOpenApi(serverUrl: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of API_ROUTES) {
    const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const roles = Object.keys(POLICY[route.action]);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: `${route.action.replace(".", "_")}_${route.method.toLowerCase()}_${route.path
        .split("/")
        .filter((p) => p && !p.startsWith(":"))
        .join("_")}`,
      summary: route.summary,
      description: `Action \`${route.action}\`; roles: ${roles.join(", ")}. Served by the ${route.process} service.`,
      tags: [route.process],
      parameters: parameters(route),
      ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(route.body) } } } } : {}),
      responses: {
        [route.created ? "201" : "200"]: { description: "Done", content: { "application/json": { schema: { type: "object" } } } },
        "400": problem("Bad input: the problem names the field"),
        "401": problem("No valid bearer token"),
        "403": problem("The caller's role or scope does not allow it"),
        "404": problem("Not found"),
        ...(route.versioned || route.method === "POST" ? { "409": problem("Version conflict or a state that does not allow it") } : {}),
        ...(route.body ? { "413": problem("Body too large"), "415": problem("Not JSON") } : {}),
        "422": problem("Idempotency-Key reused with another body, or a request that cannot be processed"),
        "429": problem("Rate limit reached"),
        "503": problem("The service is unavailable"),
        "504": problem("The service did not answer in time"),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "PIM SRE Lab API", version: "1.0.0", description: "Synthetic healthcare services of the PIM SRE Lab. Every record is synthetic." },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags: [{ name: "clinical" }, { name: "billing" }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string", format: "uri" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            field: { type: "string" },
            requestId: { type: "string" },
          },
        },
      },
    },
  };
}
