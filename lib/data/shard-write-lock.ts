// A session that holds a shard database's write lock and does nothing with it, as a stuck migration or a
// forgotten console does: the shard-outage drill's real outage (ADR 0026). Every write to the shard's
// patients then waits WRITE_LOCK_WAIT_MS and fails with a 503 naming the shard; reads still answer (SQLite
// WAL readers and PostgreSQL's SELECTs take no lock an EXCLUSIVE one conflicts with); the other shards
// carry on. Ending the session (the lease's revert, or the on-call lever) ends the outage.
import { openSql } from "./lab-databases.ts";
import type { DatabaseTarget } from "./lab-topology.ts";

export interface HeldWriteLock {
  readonly label: string;
  readonly heldSince: Date;
  /** Ends the session: its transaction commits nothing and its connection closes. */
  release(): Promise<void>;
}

/** Opens a session on the database and takes its write lock; rejects (a 503) when another holds it past the wait. */
export async function holdWriteLock(target: DatabaseTarget): Promise<HeldWriteLock> {
  const db = openSql(target);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const session = db.transaction(async (tx) => {
    if (tx.dialect === "postgresql") {
      // EXCLUSIVE conflicts with every write and with nothing a plain SELECT takes.
      const tables = await tx.query<{ name: string }>(`SELECT "tablename" AS "name" FROM "pg_tables" WHERE "schemaname" = current_schema()`);
      await tx.executeScript(`LOCK TABLE ${tables.map((t) => `"${t.name.replaceAll('"', '""')}"`).join(", ")} IN EXCLUSIVE MODE`);
    }
    // On SQLite the transaction's BEGIN IMMEDIATE took the lock already.
    markHeld();
    await released;
  });
  try {
    await Promise.race([held, session]);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const heldSince = new Date();
  return {
    label: target.label,
    heldSince,
    async release() {
      release();
      await session.catch(() => undefined);
      await db.close();
    },
  };
}
