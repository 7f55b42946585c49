/**
 * A 64-bit FNV-1a hash, hex-encoded. Used for finding fingerprints, which must be stable across
 * runs and machines (no randomness, no Node crypto in the core).
 */
export function fingerprintOf(parts: readonly string[]): string {
  return hexOf(hashOn(INITIAL, parts.join('\u0000')));
}

/** The two 32-bit halves of the hash after some input: the hash can go on from there. */
export type HashState = readonly [number, number];

export const INITIAL: HashState = [0x811c9dc5, 0x01000193 ^ 0x5bd1e995];

/**
 * The state after `input` follows what `state` has hashed: `hexOf(hashOn(hashOn(INITIAL, a), b))`
 * equals `fingerprintOf([a + b])`, so a long shared prefix is hashed once.
 */
export function hashOn(state: HashState, input: string): HashState {
  let [h1, h2] = state;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return [h1, h2];
}

export function hexOf(state: HashState): string {
  return state[0].toString(16).padStart(8, '0') + state[1].toString(16).padStart(8, '0');
}
