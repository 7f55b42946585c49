import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../../src/io/walk-files.js';
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
});
