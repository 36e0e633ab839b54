// Which service owns a path, and which patient (so which shard) a request is about. The gateway routes
// by these rules; everything it does not know is a 404 before any upstream is called.
export type Upstream = "clinical" | "billing";

export interface RouteDecision {
  upstream: Upstream;
  /** The route pattern, for labels: ids replaced by their names. */
  route: string;
  patientId: string | null;
}

const PATIENT = /^\/patients\/([^/?]+)/;

export function routeFor(path: string): RouteDecision | null {
  const clean = path.split("?")[0]!.replace(/\/+$/, "") || "/";
  const patientId = PATIENT.exec(clean)?.[1] ?? null;
  const route = clean
    .replace(/\/patients\/[^/]+/, "/patients/:patientId")
    .replace(/\/encounters\/[^/]+/, "/encounters/:encounterId")
    .replace(/\/medications\/[^/]+/, "/medications/:medicationId")
    .replace(/\/claims\/[^/]+/, "/claims/:claimId");
  if (clean === "/claims" || /^\/patients\/[^/]+\/claims(\/|$)/.test(clean)) return { upstream: "billing", route, patientId };
  if (clean === "/patients" || clean.startsWith("/patients/")) return { upstream: "clinical", route, patientId };
  return null;
}
