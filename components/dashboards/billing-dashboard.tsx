// The billing admin's dashboard: the claims pipeline by status (count and amount), the denial rate among
// decided claims, and the facilities denied most.
import { PanelFrame } from "@/components/operations/panel-frame.tsx";
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import type { Reading } from "@/lib/portal/reading.ts";
import { ReadModelAsOf } from "./read-model-as-of.tsx";
import { Table } from "@/components/table.tsx";

const money = (cents: number) => `$${Math.round(cents / 100).toLocaleString("en-US")}`;
const percent = (rate: number | null) => (rate === null ? "no decision yet" : `${(rate * 100).toFixed(1)} %`);

export function BillingDashboard({ pipeline }: { pipeline: Reading<LabAnswer<"claimsDashboard">> }) {
  return (
    <>
      <p className="subtitle">Claims across every facility, from draft to paid or denied.</p>
      <PanelFrame id="pipeline" title="Claims pipeline" reading={pipeline}>
        {(p) => {
          const widest = Math.max(1, ...p.byStatus.map((s) => s.claims));
          return (
            <ReadModelAsOf asOf={p.asOf}>
              <p data-testid="denial-rate">Denial rate: {percent(p.denialRate)} of decided claims</p>
              <Table label="Claims by status" columns={["Status", "Claims", "Amount"]} rows={p.byStatus}>
                {(s) => (
                  <tr key={s.status} data-status={s.status}>
                    <th scope="row">
                      <span className="bar" style={{ width: `${Math.max(2, (s.claims / widest) * 160)}px` }} aria-hidden="true" />
                      {s.status}
                    </th>
                    <td>{s.claims.toLocaleString("en-US")}</td>
                    <td>{money(s.totalCents)}</td>
                  </tr>
                )}
              </Table>
            </ReadModelAsOf>
          );
        }}
      </PanelFrame>
      <PanelFrame id="denials" title="Denials by facility" reading={pipeline}>
        {(p) => (
          <Table
            label="Denials by facility"
            columns={["Facility", "Claims", "Denied", "Denial rate"]}
            rows={p.byFacility.slice(0, 10)}
            empty="No claim yet: claims follow closed encounters."
          >
            {(f) => (
              <tr key={f.facilityId}>
                <th scope="row">{f.facilityId}</th>
                <td>{f.claims.toLocaleString("en-US")}</td>
                <td>{f.denied.toLocaleString("en-US")}</td>
                <td>{percent(f.denialRate)}</td>
              </tr>
            )}
          </Table>
        )}
      </PanelFrame>
    </>
  );
}
