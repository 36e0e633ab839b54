// A small seeded random source (sfc32, seeded through splitmix32) so generated data depends only on the
// seed and the patient's index: patient 70,000 comes out the same whether it is made in one run or on resume.
// Faker draws from it too (see synth-context), so names and addresses follow the same seed at no reseeding cost.
function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

export class SeededRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number | readonly number[] = 0) {
    this.seed(seed);
  }

  seed(seed: number | readonly number[]): void {
    // Each part is folded into the mixed output, not the raw counter, so (42, 7) and (43, 6) differ.
    let state = 0x2545f491;
    for (const part of typeof seed === "number" ? [seed] : seed) {
      [, state] = splitmix32(state ^ (part | 0));
      [, state] = splitmix32(state ^ Math.floor(part / 0x100000000));
    }
    let out: number;
    [state, out] = splitmix32(state);
    this.a = out;
    [state, out] = splitmix32(state);
    this.b = out;
    [state, out] = splitmix32(state);
    this.c = out;
    [, out] = splitmix32(state);
    this.d = out;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A Poisson count (Knuth's method; means here are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** 32 hex digits shaped like a version-4 UUID. */
  uuid(): string {
    const h = (n: number) => n.toString(16).padStart(8, "0");
    const s = h(this.nextUint32()) + h(this.nextUint32()) + h(this.nextUint32()) + h(this.nextUint32());
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${((parseInt(s[16]!, 16) & 3) | 8).toString(16)}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }

  digits(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}
