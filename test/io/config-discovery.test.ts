import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfigDiscovery } from '../../src/io/load-project-config.js';
import { walkFiles } from '../../src/io/walk-files.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('config-discovery');
afterAll(() => projects.removeAll());

describe('configuration discovery from the walk\'s listings', () => {
  it('finds the same layers with the listings as by looking at the disk', () => {
    const root = projects.create({
      'pkg/.ftbot.toml': 'ignore = ["FT016"]\n',
      'pkg/src/a.c': 'int a;\n',
      'other/pyproject.toml': '[tool.ftbot]\npreview = true\n',
      'other/b.c': 'int b;\n',
      'plain/c.c': 'int c;\n',
      '.github/ftbot.yml': 'ignore: [FT001]\n',
    });
    const walked = walkFiles({ cwd: root, roots: ['.'], exclude: [] });
    const listed = createConfigDiscovery({ cwd: root, listed: (dir) => walked.listings.get(dir) });
    const looked = createConfigDiscovery({ cwd: root });
    const sources = (layer: { sources: Array<{ source: string }> } | undefined): string[] => layer?.sources.map((s) => s.source) ?? [];
    for (const dir of ['pkg/src', 'pkg', 'other', 'plain', '.']) {
      expect(sources(listed.layerFor(join(root, dir)))).toEqual(sources(looked.layerFor(join(root, dir))));
    }
    expect(sources(listed.layerFor(join(root, 'pkg', 'src')))).toEqual(['pkg/.ftbot.toml']);
    expect(sources(listed.layerFor(join(root, 'other')))).toEqual(['other/pyproject.toml']);
    expect(sources(listed.layerFor(join(root, 'plain')))).toEqual(['.github/ftbot.yml']);
  });

  it('does not look for a file the listing lacks, and checks one it has', () => {
    const root = projects.create({ 'a.c': 'int a;\n' });
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', '.ftbot.toml'), 'preview = true\n');
    // A listing taken before the file was written: the file is not looked for.
    const stale = createConfigDiscovery({ cwd: root, listed: (dir) => (dir === join(root, 'sub') ? new Set<string>() : undefined) });
    expect(stale.layerFor(join(root, 'sub'))?.dir).not.toBe(join(root, 'sub'));
    // A listing naming a file that is gone: it is checked on disk, not trusted.
    const gone = createConfigDiscovery({ cwd: root, listed: (dir) => (dir === root ? new Set(['.ftbot.toml']) : undefined) });
    expect(gone.layerFor(root)).toBeUndefined();
  });
});
