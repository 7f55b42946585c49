/**
 * A 64-bit FNV-1a hash, hex-encoded. Used for finding fingerprints, which must be stable across
 * runs and machines (no randomness, no Node crypto in the core).
 */
export function fingerprintOf(parts: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const input = parts.join('\u0000');
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
