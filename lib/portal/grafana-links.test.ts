import { describe, expect, it } from "vitest";
import { type GrafanaStack, lokiLogsLink, rangeAround, sloDashboardLink, tempoTraceLink } from "./grafana-links.ts";

const none: GrafanaStack = { url: null, tempo: { url: null, datasource: "tempo" }, loki: { url: null, datasource: "loki" } };
const full: GrafanaStack = {
  url: "http://grafana:3000",
  tempo: { url: "http://tempo:3200", datasource: "tempo" },
  loki: { url: "http://loki:3100/", datasource: "loki" },
};
const TRACE = "0af7651916cd43dd8448eb211c80319c";

describe("links into the Grafana stack", () => {
  it("links nothing when no part of the stack is configured", () => {
    expect(sloDashboardLink(none, "clinician-record-diagnosis-latency")).toBeNull();
    expect(tempoTraceLink(none, TRACE)).toBeNull();
    expect(lokiLogsLink(none, TRACE)).toBeNull();
  });

  it("opens an SLO's generated dashboard by its uid, at the run's time range when given", () => {
    expect(sloDashboardLink(full, "clinician-record-diagnosis-latency")).toBe(
      "http://grafana:3000/d/pimlab-clinician-record-diagnosis-latenc?from=now-24h&to=now&var-datasource=prometheus",
    );
    const range = rangeAround("2026-11-24T14:02:00.000Z", "2026-11-24T14:07:00.000Z", Date.parse("2026-11-24T15:00:00.000Z"));
    expect(range).toEqual({ fromMs: Date.parse("2026-11-24T13:52:00.000Z"), toMs: Date.parse("2026-11-24T14:17:00.000Z") });
    expect(sloDashboardLink(full, "billing-adjudicate-latency", range)).toContain(`from=${range.fromMs}&to=${range.toMs}`);
    // A run still going: up to now.
    expect(rangeAround("2026-11-24T14:50:00.000Z", null, Date.parse("2026-11-24T15:00:00.000Z")).toMs).toBe(Date.parse("2026-11-24T15:00:00.000Z"));
  });

  it("opens a trace in Tempo and its logs in Loki through Grafana's Explore, or the APIs themselves without Grafana", () => {
    const tempo = tempoTraceLink(full, TRACE)!;
    expect(tempo.startsWith("http://grafana:3000/explore?orgId=1&left=")).toBe(true);
    expect(JSON.parse(decodeURIComponent(tempo.split("left=")[1]!))).toMatchObject({
      datasource: "tempo",
      queries: [{ refId: "A", queryType: "traceql", query: TRACE }],
    });
    const loki = JSON.parse(decodeURIComponent(lokiLogsLink(full, TRACE)!.split("left=")[1]!));
    expect(loki).toMatchObject({ datasource: "loki", queries: [{ expr: `{service=~".+"} |= "${TRACE}"` }] });
    const bare = { ...full, url: null };
    expect(tempoTraceLink(bare, TRACE)).toBe(`http://tempo:3200/api/traces/${TRACE}`);
    expect(lokiLogsLink(bare, TRACE)).toMatch(/^http:\/\/loki:3100\/loki\/api\/v1\/query_range\?query=/);
  });
});
