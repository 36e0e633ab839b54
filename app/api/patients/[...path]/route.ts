// /api/patients/...: a patient's record, encounters and claims from the portal, read through the gateway
// as the signed-in persona. The services decide what each role sees (a patient only their own record,
// an SRE with the synthetic PHI masked); the portal adds nothing and drops nothing.
import { labAuthorization } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { labApiProxy } from "@/lib/lab-api/forward-to-lab.ts";

export const dynamic = "force-dynamic";

export const GET = labApiProxy({
  routes: { GET: /^pat-[A-Za-z0-9-]{1,80}(\/encounters|\/claims)?$/ },
  portalPrefix: "/api/patients",
  target: () => `http://127.0.0.1:${labConfig().gateway.port}/patients`,
  processName: "gateway",
  authorization: labAuthorization,
});
