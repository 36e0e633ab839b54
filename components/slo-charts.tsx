"use client";
// The SLO detail's live part: the SLO's history refreshed every 15 s (react-query), drawn by the chart
// panels. Those panels carry recharts (about 117 kB gzipped), so they load after the page has painted: the
// route's first-load script stays under its 250 kB budget and the tiers table is readable at once.
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useState } from "react";
import { readThroughPortal } from "@/lib/lab-client/portal-fetch.ts";
import type { SloDetail } from "@/lib/portal/slo-detail.ts";

const SloChartPanels = dynamic(() => import("./slo-chart-panels.tsx"), {
  ssr: false,
  loading: () => (
    <section className="panel chart-loading" aria-busy="true">
      <p>Drawing the budget and burn-rate charts…</p>
    </section>
  ),
});

export function SloCharts({ initial }: { initial: SloDetail }) {
  const [client] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={client}>
      <Charts initial={initial} />
    </QueryClientProvider>
  );
}

function Charts({ initial }: { initial: SloDetail }) {
  const { data = initial, isError } = useQuery({
    queryKey: ["slo-history", initial.slo.name],
    queryFn: () => readThroughPortal<"sloHistory">(`/api/slos/${initial.slo.name}/history`, { minutes: initial.history.points.length }),
    initialData: initial,
    refetchInterval: 15_000,
  });
  return (
    <>
      {isError && (
        <p className="error-state" role="status">
          The latest minutes could not be read; the charts show the last answer.
        </p>
      )}
      <SloChartPanels data={data} />
    </>
  );
}
