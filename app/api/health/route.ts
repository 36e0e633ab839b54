// Liveness and readiness for the supervisor and load balancers. Public on purpose: it answers only
// whether the lab's databases respond, never any data.
import { publicRoute } from "@/app/portal-route.ts";
import { sharedLabDatabases } from "@/app/portal-connections.ts";
import { PORTAL_ROUTES } from "@/lib/portal/portal-routes.ts";

export const dynamic = "force-dynamic";

export const GET = publicRoute(PORTAL_ROUTES.health, async () => {
  try {
    const lab = await sharedLabDatabases();
    await Promise.all([lab.control.sql.query("SELECT 1"), ...lab.shards.map((s) => s.sql.query("SELECT 1"))]);
    return Response.json({ status: "ok", shards: lab.shards.length });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
});
