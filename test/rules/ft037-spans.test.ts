import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Grammars } from '../../src/core/engine/scan-files.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { workflowFindings } from '../helpers/workflow-findings.js';

/**
 * FT037's findings span what the fix edits: the matrix that lists the interpreters through the
 * last maturin step that takes them; a pinned maturin is reported where the version is written
 * (the workflow `env` entry a step reads it from). The fixture marks check only where findings start.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'rules', 'ft037-maturin-no-free-threaded-wheel');

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

function findings(fixture: string): Array<[number, number | undefined, string]> {
  return workflowFindings(grammars, 'FT037', join(FIXTURES, fixture));
}

describe('FT037 spans', () => {
  it('runs from the matrix through the last build step that needs the interpreter', () => {
    const [finding, ...rest] = findings('steps');
    expect(rest).toEqual([]);
    expect(finding?.slice(0, 2)).toEqual([10, 23]);
    // `${{ env.MATURIN_EXTRA }}` is empty in the workflow env: not an interpreter (a wildcard would hide the gap).
    expect(finding?.[2]).toContain('for 3.12, 3.13, 3.14 but no free-threaded interpreter');
  });

  it('reports a pinned maturin where the workflow env writes it, once, and only where it matters', () => {
    const found = findings('pinned');
    expect(found.map((f) => f.slice(0, 2))).toEqual([
      [4, 4],
      [27, 27],
    ]);
    expect(found[0]?.[2]).toBe('The `wheels` job runs maturin 1.8.3 on Windows, older than 1.8.7, which fixed free-threaded Python 3.14 builds there');
    expect(found[1]?.[2]).toBe('The `linux-old` job runs maturin 1.7.0, older than 1.7.5, the first release that builds free-threaded wheels');
  });
});
