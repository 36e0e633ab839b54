// What the benchmarks share: their numeric command-line options, progress on stderr (stdout is the
// report), the median of their runs, autocannon as a promise, and waiting for a peer to come up.
import { parseArgs } from "node:util";
import autocannon from "autocannon";

/**
 * The bench's `--name N` options as numbers, each defaulting to the value given here; `text` options are
 * kept as strings. An unknown option is refused, as parseArgs refuses it.
 */
export function benchOptions<N extends string, T extends string = never>(
  numbers: Record<N, number>,
  text: Record<T, string> = {} as Record<T, string>,
): Record<N, number> & Record<T, string> {
  const options = Object.fromEntries(
    [...Object.entries<number>(numbers).map(([k, v]) => [k, String(v)]), ...Object.entries<string>(text)].map(([k, v]) => [
      k,
      { type: "string" as const, default: v },
    ]),
  );
  const { values } = parseArgs({ options });
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k in numbers ? Number(v) : v])) as Record<N, number> & Record<T, string>;
}

export const say = (line: string) => process.stderr.write(`${line}\n`);

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

/** Waits up to 20 s for `url` to answer 2xx. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
