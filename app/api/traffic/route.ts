// /api/traffic: the persona traffic simulator's control from the portal (GET what runs, PUT a profile,
// DELETE to stop), as the signed-in persona or with the caller's bearer token. The simulator checks the
// role: ops.read to look, traffic.control to change.
import { labConfig } from "@/lib/data/lab-connection.ts";
import { forwardToLab } from "@/lib/lab-api/forward-to-lab.ts";
import { labAuthorization } from "@/app/session.ts";

export const dynamic = "force-dynamic";

const simulator = () => `http://127.0.0.1:${labConfig().simulator.port}/_lab/traffic`;

const forward = async (request: Request) => forwardToLab(request, simulator(), "simulator", await labAuthorization(request));

export const GET = forward;
export const PUT = forward;
export const DELETE = forward;
