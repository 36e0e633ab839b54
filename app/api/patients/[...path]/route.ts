// /api/patients/...: a patient's record, encounters and claims from the portal, read through the gateway
// as the signed-in persona. The services decide what each role sees (a patient only their own record, an
// SRE with the synthetic PHI masked); the portal adds nothing and drops nothing.
import { passThrough } from "@/app/portal-route.ts";
import { PORTAL_PASS_THROUGHS } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

export const GET = passThrough(PORTAL_PASS_THROUGHS.patients);
