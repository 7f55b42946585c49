/** mulberry32: a small seeded generator, so a failure can be replayed. Numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many random cases a comparison test runs: a quarter of `full` in `npm test`, all of them
 * (or `FTBOT_FUZZ_SCALE` times them) in `npm run test:fuzz`, which CI runs.
 */
export function fuzzCount(full: number): number {
  const scale = Number(process.env.FTBOT_FUZZ_SCALE ?? 0.25);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('FTBOT_FUZZ_SCALE must be a positive number');
  return Math.max(1, Math.ceil(full * scale));
}
