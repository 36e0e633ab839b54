"use client";
// The SLO detail's two charts (recharts): the error budget left and the chosen tier's burn rates, minute by
// minute, this side against the journey's other side, drills, scenarios and lab starts shaded, the tier's factor drawn
// as the alert threshold. Loaded after the page (recharts is half the page's script), see slo-charts.tsx.
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { type SloDetail, annotationSpans, budgetAxisWidth, budgetTick, chartRows, spanLabel, spanLabelPosition } from "@/lib/portal/slo-detail.ts";
import { Panel } from "@/components/panel.tsx";

/** Drills red, scenarios blue, the lab's own start grey: it is not an incident. */
const SPAN_COLOURS: Record<string, string> = { drill: "#d1242f", scenario: "#0969da", "lab-start": "#6e7781" };
const clock = (t: number) => new Date(t).toISOString().slice(11, 16);

/** How a burn-rate or budget series is drawn (across minutes without traffic), and the journey's other side (client vs server): dashed, in its own colour. */
const BURN_SERIES = { type: "monotone", dot: false, isAnimationActive: false, connectNulls: true } as const;
const OTHER_SIDE = { ...BURN_SERIES, stroke: "#8250df", strokeDasharray: "5 3" } as const;

export default function SloChartPanels({ data }: { data: SloDetail }) {
  const tiers = data.history.tiers;
  const [tier, setTier] = useState(tiers[0]?.tier ?? "page-fast");
  const chosen = tiers.find((t) => t.tier === tier);
  const rows = chartRows(data, tier);
  const spans = annotationSpans(data);
  const other = data.counterpart ? `${data.counterpart.source} side` : null;
  const shading = spans.map((s, i) => (
    <ReferenceArea
      key={i}
      x1={s.from}
      x2={s.to}
      fill={SPAN_COLOURS[s.kind] ?? "#0969da"}
      fillOpacity={0.12}
      ifOverflow="extendDomain"
      label={{ value: spanLabel(s.kind), position: spanLabelPosition(s, rows), fontSize: 11 }}
    />
  ));
  return (
    <>
      <Panel id="budget-chart" title="Error budget left">
        <div
          role="img"
          aria-label={`Error budget left over the last ${rows.length} minutes: from ${rows[0]?.budget ?? "n/a"} % to ${rows.at(-1)?.budget ?? "n/a"} %`}
        >
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={rows} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={clock} />
              <YAxis tickFormatter={budgetTick} domain={["auto", 100]} width={budgetAxisWidth(rows)} />
              <Tooltip labelFormatter={(t) => `${clock(Number(t))} UTC`} />
              <Legend />
              {shading}
              <Line type="monotone" dataKey="budget" name={`${data.slo.source} side`} stroke="#0969da" dot={false} isAnimationActive={false} />
              {other && <Line dataKey="otherBudget" name={other} {...OTHER_SIDE} />}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Panel>
      <Panel id="burn-chart" title="Burn rate">
        <div role="group" aria-label="Burn-rate tier" className="tier-picker">
          {tiers.map((t) => (
            <button key={t.tier} type="button" aria-pressed={t.tier === tier} onClick={() => setTier(t.tier)}>
              {t.tier} ({t.factor}x)
            </button>
          ))}
        </div>
        <div
          role="img"
          aria-label={`Burn rate of the ${tier} tier over the last ${rows.length} minutes, now ${rows.at(-1)?.short ?? "n/a"}x over its short window; it pages above ${chosen?.factor ?? "?"}x`}
        >
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={rows} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={clock} />
              <YAxis unit="x" width={60} />
              <Tooltip labelFormatter={(t) => `${clock(Number(t))} UTC`} />
              <Legend />
              {shading}
              {chosen && (
                <ReferenceLine
                  y={chosen.factor}
                  stroke="#d1242f"
                  strokeDasharray="6 3"
                  label={{ value: `${chosen.factor}x`, position: "right", fontSize: 11 }}
                />
              )}
              <Line dataKey="long" name={`long window (${chosen ? chosen.longMinutes : "?"} min)`} stroke="#1a7f37" {...BURN_SERIES} />
              <Line dataKey="short" name={`short window (${chosen ? chosen.shortMinutes : "?"} min)`} stroke="#bc4c00" {...BURN_SERIES} />
              {other && <Line dataKey="otherShort" name={`${other}, short window`} {...OTHER_SIDE} />}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Panel>
    </>
  );
}
