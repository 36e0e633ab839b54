// /api/drills/...: the drill engine's API from the portal (catalog, dry runs, launches, runs, abort,
// emergency stop). Only the engine's own routes pass; the engine checks the caller's token
// (ops.read to look, drill.run to act).
import { labConfig } from "@/lib/data/lab-connection.ts";
import { forwardToLab } from "@/lib/lab-api/forward-to-lab.ts";
import { labAuthorization } from "@/app/session.ts";

export const dynamic = "force-dynamic";

const ROUTES: Record<string, RegExp> = {
  GET: /^(catalog|runs|runs\/drl-[a-z0-9-]{1,60})$/,
  POST: /^(dry-run|runs|runs\/drl-[a-z0-9-]{1,60}\/abort|emergency-stop)$/,
};

async function handle(request: Request, context: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const path = (await context.params).path.join("/");
  if (!ROUTES[request.method]?.test(path)) {
    return Response.json({ type: "https://pim-sre.lab/problems/404", title: "Not Found", status: 404, detail: `no drill API route ${request.method} /api/drills/${path}`, field: "path" }, { status: 404, headers: { "content-type": "application/problem+json" } });
  }
  return forwardToLab(request, `http://127.0.0.1:${labConfig().drills.port}/_lab/drills/${path}`, "drill engine", await labAuthorization(request));
}

export const GET = handle;
export const POST = handle;
