// /api/scenarios/...: the scenario conductor (in the drill engine's process) from the portal: the
// scripts, runs, stop, and a run's narrative as JSON for agents (?format=markdown: the post-incident
// review). The engine checks the caller's token (ops.read to look, drill.run to start or stop).
import { labAuthorization } from "@/app/session.ts";
import { labConfig } from "@/lib/data/lab-connection.ts";
import { labApiProxy } from "@/lib/lab-api/forward-to-lab.ts";

export const dynamic = "force-dynamic";

const RUN = "runs\\/scn-[a-z0-9-]{1,60}";
const handle = labApiProxy({
  routes: {
    GET: new RegExp(`^(catalog|runs|${RUN}|${RUN}\\/narrative)$`),
    POST: new RegExp(`^(runs|${RUN}\\/stop)$`),
  },
  portalPrefix: "/api/scenarios",
  target: () => `http://127.0.0.1:${labConfig().drills.port}/_lab/scenarios`,
  processName: "drill engine",
  authorization: labAuthorization,
});

export const GET = handle;
export const POST = handle;
