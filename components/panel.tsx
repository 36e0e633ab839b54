// A titled panel of a page: a section named by its heading (for assistive technology), which the page's
// styles and its browser tests find by `data-panel`.
import type { ReactNode } from "react";

export function Panel({ id, title, className, children }: { id: string; title: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={className ? `panel ${className}` : "panel"} aria-labelledby={`${id}-heading`} data-panel={id}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}
