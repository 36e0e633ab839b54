// POST /api/rum: the portal pages' Grafana Faro payloads (web vitals, errors, logs, browser spans). A RUM
// collector answers browsers that have not signed in, so instead of a role it takes only the portal's own
// pages (same origin), bounded bodies and the Faro shape; everything else is refused with a problem body.
import { FaroPayload, ingestRum } from "@/lib/telemetry/rum.ts";
import { sharedTelemetryStore } from "@/lib/telemetry/telemetry-connection.ts";

export const dynamic = "force-dynamic";

const MAX_BYTES = 512 * 1024;

const problem = (status: number, detail: string, field?: string) =>
  Response.json({ type: `https://pim-sre.lab/problems/${status}`, title: detail, status, detail, ...(field ? { field } : {}) }, { status, headers: { "content-type": "application/problem+json" } });

export async function POST(request: Request) {
  const origin = request.headers.get("origin");
  const sameOrigin = request.headers.get("sec-fetch-site") === "same-origin" || (origin !== null && URL.canParse(origin) && new URL(origin).host === request.headers.get("host"));
  if (!sameOrigin) return problem(403, "RUM is taken from the portal's own pages only", "origin");
  if (!(request.headers.get("content-type") ?? "").startsWith("application/json")) return problem(415, "send the Faro payload as application/json", "content-type");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BYTES) return problem(413, `a RUM payload may be at most ${MAX_BYTES} bytes`, "body");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BYTES) return problem(413, `a RUM payload may be at most ${MAX_BYTES} bytes`, "body");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, "the body is not valid JSON", "body");
  }
  const parsed = FaroPayload.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return problem(400, `${issue.path.join(".") || "body"}: ${issue.message}`, issue.path.join(".") || "body");
  }
  const stored = await ingestRum(await sharedTelemetryStore(), parsed.data, new Date());
  return Response.json({ accepted: stored }, { status: 202 });
}
