/**
 * A small seeded pseudo-random generator (mulberry32), so that every random choice of a
 * run (budget remainder, pair shuffles) is reproducible from the run's seed alone.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of a string: mixes a problem id into the seed so each problem draws independently. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator for one named sub-stream of the run's seed (e.g. one problem's pair shuffle). */
export function derivedRandom(seed: number, key: string): Random {
  return seededRandom((hashString(key) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0);
}

/** Fisher–Yates shuffle into a new array; the input is left as it was. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
