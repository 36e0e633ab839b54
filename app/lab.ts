// The portal's one way into the lab: the lab client (lib/lab-client) calling as the signed-in persona,
// with a short-lived token the lab's processes check again. Pages, server actions and the portal's API
// routes read and write the lab only through it.
import "server-only";
import type { Actor } from "@/lib/auth/roles.ts";
import { labConfig } from "@/app/portal-connections.ts";
import { type LabClient, createLabClient, labOrigins } from "@/lib/lab-client/lab-client.ts";
import { labBearer } from "@/app/session.ts";

/** The lab as `actor` sees it. */
export function labAs(actor: Actor): LabClient {
  return createLabClient({ origins: labOrigins(labConfig()), authorization: () => labBearer(actor) });
}
