import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/rule-docs.js';

/** Every `.ts` file under `dir`, as paths relative to the repository root with `/` separators. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [relative(repoRoot, path).split('\\').join('/')] : [];
  });
}

describe('one place per fact: TOML', () => {
  it('only src/core/build-files/parse-toml.ts imports the TOML parser (pyproject.toml is read by readPyproject)', () => {
    const importers = sources(join(repoRoot, 'src')).filter((path) => /from ['"]smol-toml['"]/.test(readFileSync(join(repoRoot, path), 'utf8')));
    expect(importers).toEqual(['src/core/build-files/parse-toml.ts']);
  });
});
