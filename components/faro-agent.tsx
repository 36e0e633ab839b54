"use client";
// Real-user monitoring with Grafana Faro: errors, web vitals, page views and sessions, and browser spans
// whose traceparent follows the page's same-origin API calls through the portal to the gateway, so a
// trace runs from the click to the projector. Sent to the portal's own /api/rum (same origin, scrubbed
// there). Loaded after the page is interactive: the agent and OpenTelemetry's web SDK would otherwise
// double the script every page must load first.
import { useEffect } from "react";

let started = false;

export function FaroAgent({ version }: { version: string }) {
  useEffect(() => {
    if (started) return;
    started = true;
    const start = async () => {
      const [{ initializeFaro, getWebInstrumentations }, { TracingInstrumentation }] = await Promise.all([
        import("@grafana/faro-web-sdk"),
        import("@grafana/faro-web-tracing"),
      ]);
      initializeFaro({
        url: "/api/rum",
        app: { name: "pim-sre-lab-portal", version },
        // The console stays the developer's; performance entries of every asset would drown the vitals.
        instrumentations: [...getWebInstrumentations({ captureConsole: false, enablePerformanceInstrumentation: false }), new TracingInstrumentation()],
      });
    };
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 1));
    idle(() => void start().catch(() => undefined));
  }, [version]);
  return null;
}
