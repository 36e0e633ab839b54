// The billing admin's dashboard: the claims pipeline by status (count and amount), the denial rate among
// decided claims, and the facilities denied most.
import { readDashboard } from "@/app/operations-reads.ts";
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import type { Actor } from "@/lib/auth/roles.ts";
import type { ClaimsPipeline } from "@/lib/dashboards/dashboard-reads.ts";
import { ReadModelAsOf } from "./read-model-as-of.tsx";

const money = (cents: number) => `$${Math.round(cents / 100).toLocaleString("en-US")}`;
const percent = (rate: number | null) => (rate === null ? "no decision yet" : `${(rate * 100).toFixed(1)} %`);

export async function BillingDashboard({ actor }: { actor: Actor }) {
  const pipeline = await readDashboard<ClaimsPipeline & { asOf: string | null }>(actor, "/claims");
  return (
    <>
      <p className="subtitle">Claims across every facility, from draft to paid or denied.</p>
      <PanelFrame id="pipeline" title="Claims pipeline" reading={pipeline}>
        {(p) => {
          const widest = Math.max(1, ...p.byStatus.map((s) => s.claims));
          return (
            <>
              <p data-testid="denial-rate">Denial rate: {percent(p.denialRate)} of decided claims</p>
              <table aria-label="Claims by status">
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Claims</th>
                    <th scope="col">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {p.byStatus.map((s) => (
                    <tr key={s.status} data-status={s.status}>
                      <th scope="row">
                        <span className="bar" style={{ width: `${Math.max(2, (s.claims / widest) * 160)}px` }} aria-hidden="true" />
                        {s.status}
                      </th>
                      <td>{s.claims.toLocaleString("en-US")}</td>
                      <td>{money(s.totalCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ReadModelAsOf asOf={p.asOf} />
            </>
          );
        }}
      </PanelFrame>
      <PanelFrame id="denials" title="Denials by facility" reading={pipeline}>
        {(p) =>
          p.byFacility.length === 0 ? (
            <p>No claim yet: claims follow closed encounters.</p>
          ) : (
            <table aria-label="Denials by facility">
              <thead>
                <tr>
                  <th scope="col">Facility</th>
                  <th scope="col">Claims</th>
                  <th scope="col">Denied</th>
                  <th scope="col">Denial rate</th>
                </tr>
              </thead>
              <tbody>
                {p.byFacility.slice(0, 10).map((f) => (
                  <tr key={f.facilityId}>
                    <th scope="row">{f.facilityId}</th>
                    <td>{f.claims.toLocaleString("en-US")}</td>
                    <td>{f.denied.toLocaleString("en-US")}</td>
                    <td>{percent(f.denialRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </PanelFrame>
    </>
  );
}
