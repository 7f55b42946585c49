import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { scanDirectory } from '../../src/io/scan-directory.js';

const fixtures = resolve('test/fixtures/projects/pure-python-cython');
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Scans a copy of one fixture project (outside this repository, so its ignore files and index do not apply). */
async function scanProject(name: string) {
  dir = mkdtempSync(join(tmpdir(), `ftbot-pure-python-${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  const scan = await scanDirectory({ cwd: dir, paths: ['.'], override: () => ({ ...defaultConfig, select: ['ALL'] }) });
  return { scan, findings: scan.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`) };
}

describe('Cython modules written as .py (pure-Python mode)', () => {
  it('scans a .py with a same-named .pxd that imports cython as Cython: FT010 at line 1 with the header fix; plain .py files stay unscanned', async () => {
    const { scan, findings } = await scanProject('pxd-twin');
    expect(findings.filter((f) => f.includes('.py:'))).toEqual(['FT010 zmqlike/backend/_core.py:1']);
    const finding = scan.findings.find((f) => f.ruleId === 'FT010');
    expect(finding?.fix?.edits).toEqual([{ start: 0, end: 0, text: '# cython: freethreading_compatible=True\n' }]);
    expect(scan.project.hasCythonSources).toBe(true);
  });

  it('caches a pure-Python-mode module like any source: a warm scan replays the same findings', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ftbot-pure-python-cache-'));
    cpSync(join(fixtures, 'pxd-twin'), dir, { recursive: true });
    const run = () => scanDirectory({ cwd: dir as string, paths: ['.'], cacheDir: join(dir as string, '.ftbot_cache'), override: () => ({ ...defaultConfig, select: ['ALL'] }) });
    const cold = await run();
    const warm = await run();
    expect(warm.stats.cachedFiles).toBeGreaterThan(0);
    expect(warm.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toEqual(cold.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`));
    expect(warm.findings.some((f) => f.path === 'zmqlike/backend/_core.py')).toBe(true);
  });

  it('stays silent on a .py that setup.py compiles with the directive', async () => {
    const { findings } = await scanProject('build-declares');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual([]);
  });

  it('reports once, at the setup.py directives, when the build sets directives without this one', async () => {
    const { scan, findings } = await scanProject('build-directives');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual(['FT010 setup.py:5']);
    expect(scan.findings.find((f) => f.ruleId === 'FT010')?.message).toContain('_ops.py');
  });

  it('reads the modules a Poetry build script compiles, through the names its compile call uses', async () => {
    const { findings } = await scanProject('poetry-script');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual(['FT010 src/busfast/frames.py:1', 'FT010 src/busfast/wire.py:1']);
  });

  it('leaves the modules of a Poetry build script that sets the directive unscanned', async () => {
    const { findings } = await scanProject('poetry-script-declares');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual([]);
  });

  it('reads a .py that meson.build copies to a .pyx for Cython, and reports the module', async () => {
    const { findings } = await scanProject('meson-configure');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual(['FT010 fastpkg/_ops.py:1']);
  });
});
