// /api/traffic: the persona traffic simulator's control from the portal (GET what runs, PUT a profile,
// DELETE to stop), as the signed-in persona or with the caller's bearer token.
import { passThrough } from "@/app/portal-route.ts";
import { PORTAL_PASS_THROUGHS } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

const handle = passThrough(PORTAL_PASS_THROUGHS.traffic);
export const GET = handle;
export const PUT = handle;
export const DELETE = handle;
