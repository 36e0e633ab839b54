// How a page opens: the signed-in persona (else to sign-in, coming back to `path`), authorized for the
// page's declared access (lib/portal/portal-pages.ts). A page gets an actor known to be allowed, or the
// "not for your role" answer to return as it is.
import "server-only";
import type { ReactElement } from "react";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/session.ts";
import { NotForYourRole } from "@/components/page-states.tsx";
import { type View, authorize } from "@/lib/auth/policy.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import type { PortalPage } from "@/lib/portal/portal-pages.ts";

/** The actor, and the view the page's action grants them (full for pages any persona may open). */
export type PageOpening = { actor: Actor; view: View; refusal: null } | { actor: Actor; view: null; refusal: ReactElement };

/** Who looks at a public page: the signed-in persona, or null. */
export async function viewerOf(page: PortalPage & { access: "public" }): Promise<Actor | null> {
  void page; // named by the caller so the page's access is declared where it opens
  return currentActor();
}

/** The actor of a page that needs a signed-in persona, or its refusal; `path` is where sign-in comes back to. */
export async function openPage(page: PortalPage, path: string): Promise<PageOpening> {
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  if (page.access === "signed-in" || page.access === "public") return { actor, view: "full", refusal: null };
  const decision = authorize(actor, page.access);
  if (decision.allowed) return { actor, view: decision.view, refusal: null };
  return { actor, view: null, refusal: <NotForYourRole what={page.what} role={actor.role} forRoles={page.forRoles} plural={page.plural} /> };
}
