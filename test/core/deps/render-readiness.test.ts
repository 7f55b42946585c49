import { describe, expect, it } from 'vitest';
import type { DependencyReadiness, ReadinessCheck } from '../../../src/core/deps/check-readiness.js';
import { renderReadiness } from '../../../src/core/deps/render-readiness.js';
import { toReadinessJson } from '../../../src/core/deps/to-readiness-json.js';

function dep(overrides: Partial<DependencyReadiness>): DependencyReadiness {
  return {
    name: 'pkg',
    requirement: 'pkg',
    marker: null,
    group: null,
    path: 'pyproject.toml',
    status: 'ready',
    firstFreeThreadedVersion: null,
    latestVersion: '1.0',
    platforms: {},
    note: null,
    ...overrides,
  };
}

describe('renderReadiness', () => {
  it('says when there is nothing to check', () => {
    const empty: ReadinessCheck = { dependencies: [], skipped: [], blockers: [] };
    expect(renderReadiness(empty, 'text')).toBe('Dependencies on free-threaded CPython\nNo dependency to check.\n');
    expect(renderReadiness(empty, 'markdown')).toBe('### Dependencies on free-threaded CPython\n\nNo dependency to check.\n');
  });

  it('caps Markdown rows and says what was cut; text is never capped', () => {
    const check: ReadinessCheck = {
      dependencies: [dep({ name: 'a', status: 'not-ready' }), dep({ name: 'b' }), dep({ name: 'c' })],
      skipped: [
        { requirement: 'x', reason: 'r', path: 'requirements.txt' },
        { requirement: 'y', reason: 'r', path: 'requirements.txt' },
      ],
      blockers: ['a'],
    };
    const markdown = renderReadiness(check, 'markdown', { maxRows: 1 });
    expect(markdown.split('\n').filter((l) => l.startsWith('| `'))).toEqual(['| `a` | ❌ not ready | – | 1.0 |  |']);
    expect(markdown).toContain('\n… and 2 more dependencies, not shown here; `ftbot deps` in a checkout lists them all.\n');
    expect(markdown).toContain('Not checked (2)</summary>\n\n- `x`: r\n- … and 1 more entry, not shown here;');
    expect(renderReadiness(check, 'markdown', { maxRows: 3 })).toBe(renderReadiness(check, 'markdown'));
    expect(renderReadiness(check, 'text')).toContain('  ready       c 1.0');
  });

  it('keeps untrusted text from breaking the table or the terminal line', () => {
    const check: ReadinessCheck = {
      dependencies: [dep({ name: 'a', status: 'unknown', latestVersion: null, group: 'x|y', note: 'PyPI answered 503 for `a`.' })],
      skipped: [{ requirement: 'b; os_name == "a|`b`"', reason: 'does not parse: bad\nline', path: 'requirements.txt' }],
      blockers: [],
    };
    const markdown = renderReadiness(check, 'markdown');
    expect(markdown).toContain("| `a` (`x\\|y`) | ❔ unknown | – | – | PyPI answered 503 for `a`. |");
    expect(markdown).toContain("- `b; os_name == \"a\\|'b'\"`: does not parse: bad line");
    expect(markdown).toContain('The dependency could not be checked.');
    const text = renderReadiness(check, 'text');
    expect(text).toContain('  b; os_name == "a|`b`": does not parse: bad line');
  });

  it('shows the first free-threaded release for ready dependencies only', () => {
    const check: ReadinessCheck = {
      dependencies: [
        dep({ name: 'orjson', status: 'not-ready', firstFreeThreadedVersion: null }),
        dep({ name: 'numpy', status: 'ready', firstFreeThreadedVersion: '2.1.0', latestVersion: '2.3.4' }),
      ],
      skipped: [],
      blockers: ['orjson'],
    };
    expect(renderReadiness(check, 'text')).toBe(
      [
        'Dependencies on free-threaded CPython',
        '1 of 2 has no free-threaded or pure-Python wheel: orjson.',
        '  not ready   orjson 1.0',
        '  ready       numpy  2.3.4 (since 2.1.0)',
        '',
      ].join('\n'),
    );
  });
});

describe('toReadinessJson', () => {
  it('keeps only the fields of the contract, in order', () => {
    const json = toReadinessJson({ dependencies: [dep({})], skipped: [{ requirement: 'x', reason: 'y', path: 'z' }], blockers: [] });
    expect(Object.keys(json.dependencies[0] ?? {})).toEqual([
      'name',
      'requirement',
      'marker',
      'status',
      'firstFreeThreadedVersion',
      'latestVersion',
      'platforms',
      'note',
    ]);
    expect(json.skipped).toEqual([{ requirement: 'x', reason: 'y' }]);
  });
});
