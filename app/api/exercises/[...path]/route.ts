// /api/exercises/...: the exercise conductor's API from the portal (the instructor's runs, hints and end;
// the player's briefing, acts and review), as declared in lib/portal/portal-routes.ts.
import { passThrough } from "@/app/portal-route.ts";
import { PORTAL_PASS_THROUGHS } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

const handle = passThrough(PORTAL_PASS_THROUGHS.exercises);
export const GET = handle;
export const POST = handle;
