// A browser component's read of the portal's own API (the pass-throughs of lib/portal/portal-routes.ts),
// typed as the lab endpoint behind it answers, a refusal as the LabError its problem body stands for. It
// imports no contract at run time, so a page's script does not carry the route catalog.
import { labErrorFromProblem } from "../errors/problem.ts";
import type { LabAnswer, LabEndpointName } from "./lab-endpoints.ts";

export async function readThroughPortal<K extends LabEndpointName>(path: `/api/${string}`, query: Record<string, string | number> = {}): Promise<LabAnswer<K>> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await fetch(search ? `${path}?${search}` : path, { headers: { accept: "application/json" } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw labErrorFromProblem(res.status, body, "portal");
  return body as LabAnswer<K>; // the portal passes the lab process's answer on unchanged
}
