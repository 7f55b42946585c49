/**
 * Writes the bytes of a git index (gitformat-index(5)) listing `paths`, for tests of the index
 * reader: version 2 and 3 entries are NUL-padded to eight bytes, version 4 paths are stored as
 * "bytes to drop from the previous path" (git's offset varint) plus the new suffix. Times, ids and
 * object ids are filler.
 */
export function gitIndexBytes(paths: readonly string[], options: { version?: 2 | 3 | 4; hashSize?: 20 | 32; extendedAt?: number } = {}): Uint8Array {
  const { version = 2, hashSize = 20 } = options;
  const out: number[] = [];
  const u32 = (n: number): void => void out.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  const u16 = (n: number): void => void out.push((n >>> 8) & 255, n & 255);
  out.push(...Buffer.from('DIRC'));
  u32(version);
  u32(paths.length);
  let previous: number[] = [];
  paths.forEach((path, i) => {
    const start = out.length;
    for (let k = 0; k < 6; k++) u32(k + 1);
    u32(0o100644);
    for (let k = 0; k < 3; k++) u32(7);
    for (let k = 0; k < hashSize; k++) out.push(0x5a);
    const name = [...Buffer.from(path)];
    const extended = options.extendedAt === i;
    u16((extended ? 0x4000 : 0) | Math.min(name.length, 0xfff));
    if (extended) u16(0x4000);
    if (version === 4) {
      let common = 0;
      while (common < previous.length && common < name.length && previous[common] === name[common]) common++;
      out.push(...offsetVarint(previous.length - common), ...name.slice(common), 0);
    } else {
      out.push(...name, 0);
      while ((out.length - start) % 8 !== 0) out.push(0);
    }
    previous = name;
  });
  // A trailing checksum (not checked by the reader).
  for (let k = 0; k < hashSize; k++) out.push(0);
  return Uint8Array.from(out);
}

/** git's offset varint (the inverse of the reader's decoder). */
function offsetVarint(value: number): number[] {
  const bytes = [value & 127];
  let v = value;
  while ((v >>= 7) !== 0) {
    v--;
    bytes.unshift(128 | (v & 127));
  }
  return bytes;
}
