import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { scanDirectory } from '../../src/io/scan-directory.js';

const fixtures = resolve('test/fixtures/projects/build-modules');
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Scans a copy of one fixture project (outside this repository, so its ignore files and index do not apply). */
async function scanProject(name: string, cache = false) {
  dir = mkdtempSync(join(tmpdir(), `ftbot-build-modules-${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  const run = () =>
    scanDirectory({ cwd: dir as string, paths: ['.'], ...(cache ? { cacheDir: join(dir as string, '.ftbot_cache') } : {}), override: () => ({ ...defaultConfig, select: ['ALL'] }) });
  const scan = await run();
  return { scan, run, findings: scan.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`) };
}

describe('build modules a pyproject names (in-tree back-end, setuptools cmdclass)', () => {
  it('reads the custom build_ext on the back-end path as the build: one FT010 at its cythonize(), none at the modules', async () => {
    const { scan, findings } = await scanProject('cmdclass');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual(['FT010 build_backend/spam_build_ext.py:12']);
    const finding = scan.findings.find((f) => f.ruleId === 'FT010');
    // Its sources are named from the pyproject's folder, where the build runs.
    expect(finding?.message).toContain('2 Cython modules (_parse.pyx, _speed.pyx)');
    expect(finding?.fix?.edits[0]?.text).toBe('"freethreading_compatible": True, ');
    expect(scan.project.buildFiles.has('build_backend/spam_build_ext.py')).toBe(true);
    expect(scan.project.buildFiles.has('build_backend/spam_backend.py')).toBe(true);
  });

  it('stays silent when the custom build_ext turns the directive on', async () => {
    const { findings } = await scanProject('cmdclass-declares');
    expect(findings.filter((f) => f.startsWith('FT010'))).toEqual([]);
  });

  it('replays the same findings from a warm cache', async () => {
    const { run, findings } = await scanProject('cmdclass', true);
    const warm = await run();
    expect(warm.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toEqual(findings);
    expect(findings.some((f) => f.startsWith('FT010 build_backend/'))).toBe(true);
  });
});
