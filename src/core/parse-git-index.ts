/**
 * The paths a git index (`.git/index`) tracks, read from its bytes with no I/O and without running
 * git. Versions 2, 3 and 4 of the format (gitformat-index(5)) are read; version 4 stores each path
 * as the number of bytes to drop from the end of the previous path plus the new suffix.
 *
 * Bounded: at most `maxEntries` entries and paths of at most `maxPath` bytes; anything malformed or
 * over a bound is an `error`, never a throw, and the caller treats the tree as having no index.
 * Extensions (cached tree, untracked cache, split index link, …) are not read: with a split index
 * only the entries of this file are listed.
 */
export type GitIndex = { paths: string[] } | { error: string };

export const gitIndexLimits = { maxEntries: 2_000_000, maxPath: 4096 } as const;

const decoder = new TextDecoder('utf-8');

export function parseGitIndex(bytes: Uint8Array, options: { hashSize?: 20 | 32; maxEntries?: number } = {}): GitIndex {
  const hashSize = options.hashSize ?? 20;
  const maxEntries = options.maxEntries ?? gitIndexLimits.maxEntries;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || bytes[0] !== 0x44 || bytes[1] !== 0x49 || bytes[2] !== 0x52 || bytes[3] !== 0x43) return { error: 'not a git index (no DIRC signature)' };
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3 && version !== 4) return { error: `unsupported git index version ${version}` };
  const count = view.getUint32(8);
  if (count > maxEntries) return { error: `git index lists ${count} entries, over the limit of ${maxEntries}` };
  // Per entry: ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), the object id.
  const fixed = 40 + hashSize;
  const paths: string[] = [];
  let previous: Uint8Array = new Uint8Array(0);
  let at = 12;
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + fixed + 2 > bytes.length) return { error: `git index ends inside entry ${i}` };
    const flags = view.getUint16(at + fixed);
    at += fixed + 2;
    if ((flags & 0x4000) !== 0) {
      // The extended flags (skip-worktree, intent-to-add) follow; not needed here.
      if (version < 3) return { error: `entry ${i} has extended flags in a version ${version} index` };
      at += 2;
    }
    let name: Uint8Array;
    if (version === 4) {
      const strip = readVarint(bytes, at);
      if (strip === undefined) return { error: `bad path prefix length in entry ${i}` };
      at = strip.next;
      if (strip.value > previous.length) return { error: `entry ${i} strips more of the previous path than it has` };
      const nul = bytes.indexOf(0, at);
      if (nul < 0) return { error: `entry ${i} has no path terminator` };
      const keep = previous.length - strip.value;
      if (keep + (nul - at) > gitIndexLimits.maxPath) return { error: `entry ${i} has a path over ${gitIndexLimits.maxPath} bytes` };
      name = new Uint8Array(keep + (nul - at));
      name.set(previous.subarray(0, keep), 0);
      name.set(bytes.subarray(at, nul), keep);
      at = nul + 1;
    } else {
      const nul = bytes.indexOf(0, at);
      if (nul < 0) return { error: `entry ${i} has no path terminator` };
      if (nul - at > gitIndexLimits.maxPath) return { error: `entry ${i} has a path over ${gitIndexLimits.maxPath} bytes` };
      name = bytes.subarray(at, nul);
      // 1 to 8 NULs pad the entry to a multiple of eight bytes.
      at = start + Math.ceil((nul - start + 1) / 8) * 8;
      if (at > bytes.length) return { error: `git index ends inside entry ${i}` };
    }
    previous = name;
    const path = decoder.decode(name);
    // Sparse directory entries end with `/`; conflict stages repeat a path.
    if (path !== '' && !path.endsWith('/') && paths[paths.length - 1] !== path) paths.push(path);
  }
  return { paths };
}

/** git's offset varint (varint.c): seven bits a byte, each continuation adding one before the shift. */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let c = bytes[at];
  if (c === undefined) return undefined;
  let value = c & 127;
  let i = at + 1;
  while ((c & 128) !== 0) {
    c = bytes[i++];
    if (c === undefined || value > 0xffffff) return undefined;
    value = ((value + 1) << 7) + (c & 127);
  }
  return { value, next: i };
}
