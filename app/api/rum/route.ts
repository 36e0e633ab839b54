// POST /api/rum: the portal pages' Grafana Faro payloads (web vitals, errors, logs, browser spans). A RUM
// collector answers browsers that have not signed in, so instead of a role it takes only the portal's own
// pages (same origin), bounded bodies and the Faro shape; everything else is refused with a problem body.
import { inputError } from "@/lib/errors/problem-of.ts";
import { errorResponse, refusal } from "@/lib/errors/problem-response.ts";
import { publicRoute } from "@/app/portal-route.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";
import { FaroPayload, ingestRum } from "@/lib/telemetry/rum.ts";
import { sharedTelemetryStore } from "@/app/portal-connections.ts";

export const dynamic = "force-dynamic";

const MAX_BYTES = 512 * 1024;

export const POST = publicRoute(PORTAL_ROUTES.rum, async (request: Request) => {
  const origin = request.headers.get("origin");
  const sameOrigin =
    request.headers.get("sec-fetch-site") === "same-origin" ||
    (origin !== null && URL.canParse(origin) && new URL(origin).host === request.headers.get("host"));
  if (!sameOrigin) return refusal("forbidden", "RUM is taken from the portal's own pages only", "origin");
  if (!(request.headers.get("content-type") ?? "").startsWith("application/json"))
    return refusal("unsupported_media_type", "send the Faro payload as application/json", "content-type");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BYTES) return refusal("too_large", `a RUM payload may be at most ${MAX_BYTES} bytes`, "body");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BYTES) return refusal("too_large", `a RUM payload may be at most ${MAX_BYTES} bytes`, "body");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refusal("invalid", "the body is not valid JSON", "body");
  }
  const parsed = FaroPayload.safeParse(body);
  if (!parsed.success) return errorResponse(inputError(parsed.error, "body"), () => {});
  const stored = await ingestRum(await sharedTelemetryStore(), parsed.data, new Date());
  return Response.json({ accepted: stored }, { status: 202 });
});
