// /api/slos/...: the gateway's SLO reads from the portal (an SLO's minute-by-minute history for the
// detail charts), as the signed-in persona; the gateway checks ops.read.
import { labAuthorization } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { labApiProxy } from "@/lib/lab-api/forward-to-lab.ts";

export const dynamic = "force-dynamic";

export const GET = labApiProxy({
  routes: { GET: /^[a-z0-9][a-z0-9-]{0,119}\/history$/ },
  portalPrefix: "/api/slos",
  target: () => `http://127.0.0.1:${labConfig().gateway.port}/_lab/slos`,
  processName: "gateway",
  authorization: labAuthorization,
});
