import { describe, expect, it } from 'vitest';
import { parseGitIndex } from '../../src/core/parse-git-index.js';
import { gitIndexBytes } from '../helpers/git-index.js';

const paths = ['.gitignore', 'setup.py', 'src_c/_sdl2/controller.c', 'src_c/_sdl2/controller.h', 'src_c/base.c', `src_c/${'deep/'.repeat(40)}x.c`];

describe('parseGitIndex', () => {
  it.each([2, 3, 4] as const)('lists the tracked paths of a version %i index', (version) => {
    expect(parseGitIndex(gitIndexBytes(paths, { version }))).toEqual({ paths });
  });

  it('reads extended flags in version 3 and 4 entries and SHA-256 object ids', () => {
    expect(parseGitIndex(gitIndexBytes(paths, { version: 3, extendedAt: 2 }))).toEqual({ paths });
    expect(parseGitIndex(gitIndexBytes(paths, { version: 4, extendedAt: 0, hashSize: 32 }), { hashSize: 32 })).toEqual({ paths });
  });

  it('decodes multi-byte prefix lengths in version 4', () => {
    const long = ['a/'.repeat(150) + 'x.c', 'b.c'];
    expect(parseGitIndex(gitIndexBytes(long, { version: 4 }))).toEqual({ paths: long });
  });

  it('lists a path once across conflict stages and leaves out sparse directory entries', () => {
    expect(parseGitIndex(gitIndexBytes(['a.c', 'a.c', 'a.c', 'vendor/', 'z.c'], { version: 2 }))).toEqual({ paths: ['a.c', 'z.c'] });
  });

  it('turns malformed and oversized input into an error, never a throw', () => {
    const good = gitIndexBytes(paths, { version: 4 });
    expect(parseGitIndex(new Uint8Array([1, 2, 3]))).toEqual({ error: 'not a git index (no DIRC signature)' });
    const v5 = gitIndexBytes(paths);
    v5[7] = 5;
    expect(parseGitIndex(v5)).toEqual({ error: 'unsupported git index version 5' });
    expect(parseGitIndex(good.subarray(0, 100))).toMatchObject({ error: expect.stringMatching(/entry/) });
    expect(parseGitIndex(good, { maxEntries: 3 })).toEqual({ error: 'git index lists 6 entries, over the limit of 3' });
    const extendedInV2 = gitIndexBytes(paths, { version: 2, extendedAt: 1 });
    expect(parseGitIndex(extendedInV2)).toEqual({ error: 'entry 1 has extended flags in a version 2 index' });
    // Every truncation of a valid index is an error or a shorter list, never a throw.
    for (let n = 0; n < good.length; n += 7) expect(() => parseGitIndex(good.subarray(0, n))).not.toThrow();
  });
});
