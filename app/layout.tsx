import type { Metadata } from "next";
import type { ReactNode } from "react";
import { currentActor } from "@/app/session.ts";
import { FaroAgent } from "@/components/faro-agent.tsx";
import portalPackage from "@/package.json";
import { ThemeToggle } from "@/components/theme-toggle.tsx";
import { navigationFor } from "@/lib/portal/navigation.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PIM SRE Lab", template: "%s · PIM SRE Lab" },
  description: "A hands-on SRE lab on synthetic healthcare services: SLO burn, audit trail, chaos drills.",
};

const THEME_BOOT = `try{var t=localStorage.getItem("pimlab-theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* The saved theme before first paint (see components/theme-toggle.tsx). */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT }} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="top-bar">
          <span className="brand">PIM SRE Lab</span>
          <nav aria-label="Main">
            {navigationFor(actor).map((link) => (
              <a key={link.href} href={link.href}>
                {link.label}
              </a>
            ))}
          </nav>
          <span className="synthetic-badge" title="Every record in this lab is generated; none belongs to a real person">
            synthetic data only
          </span>
          <ThemeToggle />
          {actor ? (
            <div className="signed-in">
              <span data-testid="signed-in-as">
                {actor.userId} ({actor.role})
              </span>{" "}
              <form className="sign-out" method="post" action="/sign-out">
                <button type="submit">Sign out</button>
              </form>
            </div>
          ) : (
            <a className="signed-in" href="/sign-in">
              Sign in
            </a>
          )}
        </header>
        <main id="main">{children}</main>
        <FaroAgent version={portalPackage.version} />
      </body>
    </html>
  );
}
