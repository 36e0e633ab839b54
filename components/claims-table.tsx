// A patient's claims as the record page and the patient's dashboard show them: when, to whom, where it
// stands, what was billed and paid, and why a denial.
import type { LabAnswer } from "@/lib/lab-client/lab-endpoints.ts";
import { Table } from "@/components/table.tsx";

/** A claim as the caller's view shows it: a field hidden from the view reads "[redacted]". */
export type ClaimRow = LabAnswer<"patientClaims">["items"][number];

const money = (cents: number | string | null) => (typeof cents === "number" ? `$${(cents / 100).toFixed(2)}` : (cents ?? ""));

export function ClaimsTable({ claims, label }: { claims: readonly ClaimRow[]; label: string }) {
  return (
    <Table label={label} columns={["Created", "Payer", "Status", "Total", "Paid", "Denial"]} rows={claims}>
      {(c) => (
        <tr key={c.id}>
          <td>{c.createdAt.slice(0, 10)}</td>
          <td>{c.payer}</td>
          <td>{c.status}</td>
          <td>{money(c.totalCents)}</td>
          <td>{money(c.paidCents)}</td>
          <td>{c.denialReason ?? ""}</td>
        </tr>
      )}
    </Table>
  );
}
