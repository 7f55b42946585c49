import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { WORKFLOW, workflowFindings } from '../helpers/workflow-findings.js';

/**
 * FT036's finding spans every line the fix touches (a review comment covers them all): from the
 * version pin to the `CIBW_BUILD` that must name `t` builds, or to the end of the step whose
 * `env` takes the opt-in. The fixture marks check only where findings start.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'rules', 'ft036-cibuildwheel-no-free-threaded-wheel');

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

function span(fixture: string): Array<[number, number | undefined, string]> {
  return workflowFindings(grammars, 'FT036', join(FIXTURES, fixture));
}

describe('FT036 spans', () => {
  it('points from an unselected matrix selection to the matrix list, where the t builds go', () => {
    const text = readFileSync(join(FIXTURES, 'not-enabled-matrix-selection', WORKFLOW), 'utf8');
    const result = scanFiles({ files: [{ path: WORKFLOW, text }], grammars, rules: rules.filter((r) => r.meta.id === 'FT036'), config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
    const [finding, ...rest] = result.findings;
    expect(rest).toEqual([]);
    expect([finding?.line, finding?.endLine]).toEqual([14, 16]);
    expect(finding?.related?.map((r) => [r.line, r.message])).toEqual([[7, 'The matrix list of `CIBW_BUILD` selectors, where the `t` builds go']]);
  });

  it('runs from an old pin to a CIBW_BUILD that selects no free-threaded build', () => {
    const [finding, ...rest] = span('too-old-selection');
    expect(rest).toEqual([]);
    expect(finding?.slice(0, 2)).toEqual([8, 11]);
    expect(finding?.[2]).toContain('its `CIBW_BUILD` selects none');
  });

  it('runs from a pip pin to the end of the step whose env takes the opt-in', () => {
    const [finding, ...rest] = span('pip-pin-env');
    expect(rest).toEqual([]);
    // The blank line and the upload step after it are not part of the span.
    expect(finding?.slice(0, 2)).toEqual([12, 17]);
  });

  it('stays on the pin when the step has nothing after it', () => {
    expect(span('too-old').map((f) => f.slice(0, 2))).toEqual([[8, 8]]);
  });

  it('runs from a selection in the job env to the pin in the step below it', () => {
    const [finding, ...rest] = span('job-env-selection');
    expect(rest).toEqual([]);
    expect(finding?.slice(0, 2)).toEqual([12, 16]);
  });

  it('points at the matrix list of Python versions beside other matrix keys, through its include entries', () => {
    const [finding, ...rest] = span('matrix-include');
    expect(rest).toEqual([]);
    // `python-version` (not `architecture`) is the list, and the ARM64 entries that repeat it end the span.
    expect(finding?.slice(0, 2)).toEqual([8, 14]);
  });

  it('reaches the commented-out opt-in of a [tool.cibuildwheel] table', () => {
    const files = ['pyproject.toml', WORKFLOW].map((path) => ({ path, text: readFileSync(join(FIXTURES, 'config-commented', path), 'utf8') }));
    const result = scanFiles({ files, grammars, rules: rules.filter((r) => r.meta.id === 'FT036'), config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
    const table = result.findings.filter((f) => f.path === 'pyproject.toml');
    expect(table.map((f) => [f.line, f.endLine])).toEqual([[5, 10]]);
  });
});
