import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../../src/io/walk-files.js';
import { gitIndexBytes } from '../helpers/git-index.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('walk');
afterAll(() => projects.removeAll());

function tree(): string {
  return projects.create({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'build/\n*.gen.c\n',
    'top.c': '',
    'skip.gen.c': '',
    'build/out.c': '',
    'pkg/.ignore': 'vendored.c\n',
    'pkg/mod.c': '',
    'pkg/vendored.c': '',
    'pkg/deep/inner.c': '',
    'pkg/deep/other.gen.c': '',
    'pkg/..odd.c': '',
    'notes.txt': '',
  });
}

const pathsOf = (cwd: string, roots: string[], exclude: string[] = []): string[] => walkFiles({ cwd, roots, exclude }).files.map((f) => f.path);

describe('walkFiles', () => {
  it('lists sources relative to the working directory, honouring ignore files at every level', () => {
    const root = tree();
    expect(pathsOf(root, ['.'])).toEqual(['pkg/..odd.c', 'pkg/deep/inner.c', 'pkg/mod.c', 'top.c']);
    expect(pathsOf(root, ['.'], ['pkg/deep/'])).toEqual(['pkg/..odd.c', 'pkg/mod.c', 'top.c']);
  });

  it('gives the same relative paths when the working directory is inside the scanned tree or beside it', () => {
    const root = tree();
    expect(pathsOf(join(root, 'pkg'), ['..'])).toEqual(['..odd.c', 'deep/inner.c', 'mod.c', '../top.c']);
    expect(pathsOf(join(root, 'pkg', 'deep'), ['../..'])).toEqual(['../..odd.c', 'inner.c', '../mod.c', '../../top.c']);
    expect(pathsOf(join(root, 'build'), [join(root, 'pkg')])).toEqual(['../pkg/..odd.c', '../pkg/deep/inner.c', '../pkg/mod.c']);
  });

  describe('in a git work tree', () => {
    // A project whose `.gitignore` hides a folder and a pattern that also match committed files.
    const files = {
      '.gitignore': 'src_c/_sdl2/\n*.gen.c\nbuild/\n',
      'src_c/base.c': '',
      'src_c/_sdl2/controller.c': '',
      'src_c/_sdl2/untracked.c': '',
      'src_c/_sdl2/deep/tracked.c': '',
      'keep.gen.c': '',
      'other.gen.c': '',
      'build/out.c': '',
      'vendor/.ignore': 'tool-hidden.c\n',
      'vendor/tool-hidden.c': '',
    };
    const tracked = ['.gitignore', 'keep.gen.c', 'src_c/_sdl2/controller.c', 'src_c/_sdl2/deep/tracked.c', 'src_c/base.c', 'vendor/.ignore', 'vendor/tool-hidden.c'];
    const gitListing = ['keep.gen.c', 'src_c/_sdl2/controller.c', 'src_c/_sdl2/deep/tracked.c', 'src_c/base.c'];
    const ignoreFilesOnly = ['src_c/base.c'];

    function checkout(index: Uint8Array | undefined, gitDir = '.git'): string {
      const root = projects.create({ ...files, [`${gitDir}/HEAD`]: 'ref: refs/heads/main\n' });
      if (index !== undefined) writeFileSync(join(root, gitDir, 'index'), index);
      return root;
    }

    it.each([2, 3, 4] as const)('lists tracked files that .gitignore matches, as git does (index version %i)', (version) => {
      expect(pathsOf(checkout(gitIndexBytes(tracked, { version })), ['.'])).toEqual(gitListing);
    });

    it('still drops tracked files that a .ignore file (meant for tools) or the exclude option lists', () => {
      const root = checkout(gitIndexBytes(tracked));
      expect(pathsOf(root, ['.'])).not.toContain('vendor/tool-hidden.c');
      expect(pathsOf(root, ['.'], ['keep.gen.c'])).toEqual(gitListing.filter((p) => p !== 'keep.gen.c'));
    });

    it('applies when a folder inside the work tree is scanned', () => {
      const root = checkout(gitIndexBytes(tracked, { version: 4 }));
      expect(pathsOf(join(root, 'src_c'), ['.'])).toEqual(['_sdl2/controller.c', '_sdl2/deep/tracked.c', 'base.c']);
    });

    it('reads the index of a linked work tree through its .git file', () => {
      const root = checkout(undefined, 'worktree-admin');
      writeFileSync(join(root, 'worktree-admin', 'index'), gitIndexBytes(tracked, { version: 3 }));
      writeFileSync(join(root, '.git'), 'gitdir: worktree-admin\n');
      expect(pathsOf(root, ['.'])).toEqual(gitListing);
    });

    it('reads a nested work tree (a submodule) by its own index', () => {
      const root = checkout(gitIndexBytes(tracked));
      mkdirSync(join(root, 'third_party', 'lib', '.git'), { recursive: true });
      writeFileSync(join(root, 'third_party', 'lib', '.gitignore'), 'gen/\n');
      mkdirSync(join(root, 'third_party', 'lib', 'gen'));
      writeFileSync(join(root, 'third_party', 'lib', 'gen', 'tracked.c'), '');
      writeFileSync(join(root, 'third_party', 'lib', 'gen', 'untracked.c'), '');
      writeFileSync(join(root, 'third_party', 'lib', '.git', 'index'), gitIndexBytes(['.gitignore', 'gen/tracked.c'], { version: 4 }));
      expect(pathsOf(root, ['.'])).toEqual([...gitListing, 'third_party/lib/gen/tracked.c']);
    });

    it('keeps the outer index for a nested work tree whose own index cannot be read', () => {
      const root = checkout(gitIndexBytes([...tracked, 'third_party/lib/keep.gen.c']));
      mkdirSync(join(root, 'third_party', 'lib', '.git'), { recursive: true });
      writeFileSync(join(root, 'third_party', 'lib', 'keep.gen.c'), '');
      writeFileSync(join(root, 'third_party', 'lib', 'drop.gen.c'), '');
      expect(pathsOf(root, ['.'])).toEqual([...gitListing, 'third_party/lib/keep.gen.c']);
    });

    it('reads SHA-256 repositories', () => {
      const root = checkout(gitIndexBytes(tracked, { hashSize: 32 }));
      writeFileSync(join(root, '.git', 'config'), '[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectformat = sha256\n');
      expect(pathsOf(root, ['.'])).toEqual(gitListing);
    });

    it('falls back to the ignore files when the index is missing, damaged or of an unknown format', () => {
      expect(pathsOf(checkout(undefined), ['.'])).toEqual(ignoreFilesOnly);
      expect(pathsOf(checkout(gitIndexBytes(tracked).subarray(0, 90)), ['.'])).toEqual(ignoreFilesOnly);
      expect(pathsOf(checkout(Buffer.from('not an index')), ['.'])).toEqual(ignoreFilesOnly);
      const folderIndex = checkout(undefined);
      mkdirSync(join(folderIndex, '.git', 'index'));
      expect(pathsOf(folderIndex, ['.'])).toEqual(ignoreFilesOnly);
    });
  });
});
