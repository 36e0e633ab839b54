// A patient's claims as the record page and the patient's dashboard show them: when, to whom, where it
// stands, what was billed and paid, and why a denial.
export interface ClaimRow {
  id: string;
  status: string;
  payer: string;
  totalCents: number;
  paidCents: number | null;
  denialReason: string | null;
  createdAt: string;
}

const money = (cents: number | null) => (cents === null ? "" : `$${(cents / 100).toFixed(2)}`);

export function ClaimsTable({ claims, label }: { claims: readonly ClaimRow[]; label: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Payer</th>
          <th scope="col">Status</th>
          <th scope="col">Total</th>
          <th scope="col">Paid</th>
          <th scope="col">Denial</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.id}>
            <td>{c.createdAt.slice(0, 10)}</td>
            <td>{c.payer}</td>
            <td>{c.status}</td>
            <td>{money(c.totalCents)}</td>
            <td>{money(c.paidCents)}</td>
            <td>{c.denialReason ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
