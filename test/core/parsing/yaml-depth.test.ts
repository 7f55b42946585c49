import { beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../../src/core/build-files/locate.js';
import { scanFiles, type Grammars } from '../../../src/core/engine/scan-files.js';
import { MAX_YAML_DEPTH, yamlDepthBound } from '../../../src/core/parsing/yaml-depth.js';
import { rules } from '../../../src/core/rules/index.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

/**
 * Deeply nested YAML (issue 14, hostile repository text). The `yaml` package recursed until the
 * stack ran out; the next pattern V8 compiled on that stack aborted the process, so scanning such
 * a workflow twice killed the test runner (and the app with it). Depth is now bounded first.
 */
const N = 100_000;
const hostile: Array<[string, string]> = [
  ['flow sequences', `${'['.repeat(N)}!\n`],
  ['flow maps', `${'{'.repeat(N)}\n`],
  ['compact block sequences', `${'- '.repeat(N)}x\n`],
  ['complex keys', `${'? '.repeat(N)}x\n`],
  ['indented keys', `${Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} x\n`],
];

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

describe('YAML nesting is bounded before parsing', () => {
  it.each(hostile)('refuses %s without parsing them', (_name, text) => {
    expect(yamlDepthBound(text)).toBeGreaterThan(MAX_YAML_DEPTH);
    expect(parseWorkflow(text)).toEqual({ doc: undefined, error: `the YAML nests deeper than ${MAX_YAML_DEPTH} levels` });
  });

  it('scans each hostile workflow three times over and lives', () => {
    for (let round = 0; round < 3; round++) {
      for (const [, text] of hostile) {
        const result = scanFiles({ files: [{ path: '.github/workflows/w.yml', text }], grammars, rules, config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
        expect(result.stats.files).toBe(1);
      }
    }
  });

  it('bounds real workflows well below the limit and still parses them', () => {
    const workflow = [
      'name: wheels',
      'on: [push, pull_request]',
      'jobs:',
      '  build:',
      '    runs-on: ${{ matrix.os }}',
      '    strategy:',
      '      matrix:',
      '        os: [ubuntu-latest, windows-latest, {name: mac, arch: [arm64, x86_64]}]',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '      - - nested',
      '        - list',
      '      - run: |',
      '          if [ -f x ]; then echo "[[ok]]"; fi',
      '',
    ].join('\n');
    expect(yamlDepthBound(workflow)).toBeLessThan(12);
    expect(parseWorkflow(workflow).error).toBeUndefined();
  });
});

describe('a deeply nested .github/ftbot.yml', () => {
  it('is named as a config problem instead of being parsed', async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadProjectConfig } = await import('../../../src/io/load-project-config.js');
    const dir = mkdtempSync(join(tmpdir(), 'ftbot-yaml-depth-'));
    try {
      mkdirSync(join(dir, '.github'));
      writeFileSync(join(dir, '.github', 'ftbot.yml'), `${'['.repeat(N)}\n`);
      for (let round = 0; round < 3; round++) {
        const { problems } = await loadProjectConfig({ cwd: dir });
        expect(problems.map((p) => p.message)).toEqual([`the YAML nests deeper than ${MAX_YAML_DEPTH} levels`]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
