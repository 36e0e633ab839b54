import type { Metadata } from "next";
import type { ReactNode } from "react";
import { currentActor } from "@/app/session.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PIM SRE Lab", template: "%s · PIM SRE Lab" },
  description: "A hands-on SRE lab on synthetic healthcare services: SLO burn, audit trail, chaos drills.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="top-bar">
          <span className="brand">PIM SRE Lab</span>
          <nav aria-label="Main">
            <a href="/">Overview</a>
            <a href="/slos">SLOs</a>
            <a href="/traffic">Traffic</a>
            <a href="/scenarios">Scenarios</a>
            <a href="/drills">Drills</a>
            <a href="/audit">Audit</a>
          </nav>
          <span className="synthetic-badge" title="Every record in this lab is generated; none belongs to a real person">
            synthetic data only
          </span>
          {actor ? (
            <span className="signed-in">
              <span data-testid="signed-in-as">
                {actor.userId} ({actor.role})
              </span>{" "}
              <a href="/api/auth/signout">Sign out</a>
            </span>
          ) : (
            <a className="signed-in" href="/sign-in">
              Sign in
            </a>
          )}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
