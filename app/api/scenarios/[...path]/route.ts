// /api/scenarios/...: the scenario conductor (in the drill engine's process) from the portal: the scripts,
// runs, stop, and a run's narrative as JSON for agents (?format=markdown: the post-incident review).
import { passThrough } from "@/app/portal-route.ts";
import { PORTAL_PASS_THROUGHS } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

const handle = passThrough(PORTAL_PASS_THROUGHS.scenarios);
export const GET = handle;
export const POST = handle;
