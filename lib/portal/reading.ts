// A read that may fail on its own: a page reads several lab processes at once, and a dead drill engine
// blanks its panel, not the page. Components get readings, never fetch.
export type Reading<T> = { ok: true; value: T } | { ok: false; error: string };

export const settle = <T>(read: Promise<T>): Promise<Reading<T>> =>
  read.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }),
  );
