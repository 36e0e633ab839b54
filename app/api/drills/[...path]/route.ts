// /api/drills/...: the drill engine's API from the portal (catalog, dry runs, launches, runs, abort,
// emergency stop). Only the engine's own routes pass; the engine checks the caller's token
// (ops.read to look, drill.run to act).
import { labAuthorization } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { labApiProxy } from "@/lib/lab-api/forward-to-lab.ts";

export const dynamic = "force-dynamic";

const handle = labApiProxy({
  routes: {
    GET: /^(catalog|runs|runs\/drl-[a-z0-9-]{1,60})$/,
    POST: /^(dry-run|runs|runs\/drl-[a-z0-9-]{1,60}\/abort|emergency-stop)$/,
  },
  portalPrefix: "/api/drills",
  target: () => `http://127.0.0.1:${labConfig().drills.port}/_lab/drills`,
  processName: "drill engine",
  authorization: labAuthorization,
});

export const GET = handle;
export const POST = handle;
