// "Open in Grafana" for the SLOs a page is about, at the time range it covers; nothing when no GRAFANA_URL
// is configured (the portal's own views serve then).
import { type GrafanaStack, type TimeRange, sloDashboardLink } from "@/lib/portal/grafana-links.ts";

export function GrafanaSloLinks({ stack, slos, range }: { stack: GrafanaStack; slos: readonly string[]; range?: TimeRange }) {
  const links = [...new Set(slos)]
    .map((slo) => [slo, sloDashboardLink(stack, slo, range)] as const)
    .filter((l): l is readonly [string, string] => l[1] !== null);
  if (links.length === 0) return null;
  return (
    <p className="grafana-links" data-testid="grafana-links">
      In Grafana:{" "}
      {links.map(([slo, href], i) => (
        <span key={slo}>
          {i > 0 ? ", " : ""}
          <a href={href}>{slo}</a>
        </span>
      ))}
    </p>
  );
}
