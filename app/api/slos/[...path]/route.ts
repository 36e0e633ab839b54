// /api/slos/...: the gateway's SLO reads from the portal (an SLO's minute-by-minute history for the detail
// charts), as the signed-in persona.
import { passThrough } from "@/app/portal-route.ts";
import { PORTAL_PASS_THROUGHS } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

export const GET = passThrough(PORTAL_PASS_THROUGHS.slos);
