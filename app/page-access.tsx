// How a page opens: the signed-in persona (else to sign-in, coming back to `path`), authorized for the
// page's declared access (lib/portal/portal-pages.ts). A page gets an actor known to be allowed, or the
// "not for your role" answer to return as it is. A page that reads the lab to show anything at all opens
// with that reading: it gets the answer, or the page to return instead (the refusal, the lab not
// answering, or a 404 for a thing the path names that is not there).
import "server-only";
import type { ReactElement } from "react";
import { notFound, redirect } from "next/navigation";
import { labAs } from "@/app/lab.ts";
import { currentActor } from "@/app/session.ts";
import { NotForYourRole, Unreachable } from "@/components/page-states.tsx";
import { type View, authorize, rolesAllowedWords } from "@/lib/auth/policy.ts";
import type { Actor } from "@/lib/auth/roles.ts";
import { isLabError } from "@/lib/errors/index.ts";
import type { LabClient } from "@/lib/lab-client/lab-client.ts";
import type { PortalPage } from "@/lib/portal/portal-pages.ts";

/** The actor, and the view the page's action grants them (full for pages any persona may open). */
export type PageOpening = { actor: Actor; view: View; refusal: null } | { actor: Actor; view: null; refusal: ReactElement };

/** What a page reads of the lab, as its actor, before it shows anything. */
export interface PageRead<T> {
  read: (lab: LabClient) => Promise<T>;
  /** The heading of the page when the lab does not answer, e.g. "The SLOs cannot be read right now". */
  unreachable: string;
  /** The lab's "no such thing" (or "not even the shape of its id") for what the path names makes the page a 404. */
  absentIsNotFound?: boolean;
}

/** The lab's answer with the actor (and the lab as they see it, for what the page reads next), or the page to return instead. */
export type PageReading<T> = { actor: Actor; view: View; lab: LabClient; value: T; answer: null } | { answer: ReactElement };

/** Who looks at a public page: the signed-in persona, or null. */
export async function viewerOf(page: PortalPage & { access: "public" }): Promise<Actor | null> {
  void page; // named by the caller so the page's access is declared where it opens
  return currentActor();
}

/** The actor of a page that needs a signed-in persona, or its refusal; `path` is where sign-in comes back to. */
export async function openPage(page: PortalPage, path: string): Promise<PageOpening>;
/** The same, and what the page reads of the lab as that actor, or the page to return instead. */
export async function openPage<T>(page: PortalPage, path: string, reading: PageRead<T>): Promise<PageReading<T>>;
export async function openPage<T>(page: PortalPage, path: string, reading?: PageRead<T>): Promise<PageOpening | PageReading<T>> {
  const opening = await admitToPage(page, path);
  if (!reading) return opening;
  if (opening.refusal) return { answer: opening.refusal };
  const lab = labAs(opening.actor);
  try {
    return { actor: opening.actor, view: opening.view, lab, value: await reading.read(lab), answer: null };
  } catch (err) {
    if (reading.absentIsNotFound && (isLabError(err, "not_found") || isLabError(err, "invalid"))) notFound();
    return { answer: <Unreachable title={reading.unreachable} error={err} /> };
  }
}

async function admitToPage(page: PortalPage, path: string): Promise<PageOpening> {
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  if (page.access === "signed-in" || page.access === "public") return { actor, view: "full", refusal: null };
  const decision = authorize(actor, page.access);
  if (decision.allowed) return { actor, view: decision.view, refusal: null };
  // Who the page is for comes from the policy, so a refusal names exactly the roles that would be let in.
  const forRoles = rolesAllowedWords(page.access);
  return { actor, view: null, refusal: <NotForYourRole what={page.what} role={actor.role} forRoles={forRoles} plural={page.plural} /> };
}
