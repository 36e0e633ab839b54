// Each audit log's chain verification, rendered after the results (it streams in behind a Suspense
// boundary): the newest entries of every log re-hashed at most once a minute, with when that was.
import { type ChainStatus, createChainStatusCache } from "@/lib/audit/chain-status.ts";
import type { LabDatabases } from "@/lib/data/lab-databases.ts";
import { Table } from "@/components/table.tsx";

const NEWEST = 2_000;
const TTL_SECONDS = 60;
// One per portal process: page loads within the minute share a verification.
const holder = globalThis as typeof globalThis & { __pimChainStatus?: ReturnType<typeof createChainStatusCache> };
const chainStatus = (holder.__pimChainStatus ??= createChainStatusCache({ newest: NEWEST, ttlMs: TTL_SECONDS * 1000 }));

function Verdict({ status }: { status: ChainStatus }) {
  if (status.error !== null) return <span className="chain-broken">not verified: {status.error}</span>;
  const v = status.verification!;
  if (!v.ok)
    return (
      <span className="chain-broken">
        broken at entry {String(v.problem!.sequence)}: {v.problem!.kind} ({v.problem!.detail})
      </span>
    );
  return <span className="chain-ok">intact</span>;
}

function Checked({ status }: { status: ChainStatus }) {
  const v = status.verification;
  if (!v || v.checked === 0) return <>{v ? "no entries yet" : "–"}</>;
  return (
    <>
      {v.checked.toLocaleString("en-US")} ({String(v.fromSequence)}–{String(v.toSequence)})
      {status.bounded ? `, the newest ${NEWEST.toLocaleString("en-US")}` : ", the whole chain"}
    </>
  );
}

export async function ChainStatusPanel({ lab }: { lab: LabDatabases }) {
  const statuses = await chainStatus.statusOf(lab);
  const checkedAt = statuses[0]?.checkedAt.toISOString() ?? new Date().toISOString();
  return (
    <>
      <p className="muted">
        Checked at <time dateTime={checkedAt}>{checkedAt.slice(11, 19)} UTC</time>; re-checked at most every {TTL_SECONDS} s. Whole chains:{" "}
        <code>npm run audit:verify</code>.
      </p>
      <Table label="Audit chain verification" columns={["Log", "Chain", "Entries checked"]} rows={statuses} className="audit-table">
        {(s) => (
          <tr key={s.log} data-chain={s.log}>
            <th scope="row">{s.log}</th>
            <td>
              <Verdict status={s} />
            </td>
            <td>
              <Checked status={s} />
            </td>
          </tr>
        )}
      </Table>
    </>
  );
}
