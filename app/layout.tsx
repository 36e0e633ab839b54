import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PIM SRE Lab", template: "%s · PIM SRE Lab" },
  description: "A hands-on SRE lab on synthetic healthcare services: SLO burn, audit trail, chaos drills.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
          </nav>
          <span className="synthetic-badge" title="Every record in this lab is generated; none belongs to a real person">
            synthetic data only
          </span>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
