// /api/drills/...: the drill engine's API from the portal (catalog, dry runs, launches, runs, abort,
// emergency stop), as declared in lib/portal/portal-routes.ts.
import { passThrough } from "@/app/portal-route.ts";
import { PORTAL_PASS_THROUGHS } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

const handle = passThrough(PORTAL_PASS_THROUGHS.drills);
export const GET = handle;
export const POST = handle;
