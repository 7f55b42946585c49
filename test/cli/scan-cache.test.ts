import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo, runScan } from '../helpers/fake-io.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('scan-cache');
afterAll(() => projects.removeAll());

const borrowed = 'static PyObject *f(PyObject *d) {\n    return PyDict_GetItemString(d, "k");\n}\n';

function project(): string {
  return projects.create({ 'src/a.c': borrowed, 'src/b.c': borrowed.replace('f(', 'g('), 'pyproject.toml': '[project]\nname = "x"\n' });
}

/** The count of cached files in `--verbose`'s summary line. */
function cachedCount(stderr: string): number | undefined {
  const match = /, (\d+) from the cache, /.exec(stderr);
  return match === null ? undefined : Number(match[1]);
}

describe('ftbot scan and the scan cache', () => {
  it('keeps the cache in .ftbot_cache in the scanned directory by default, tagged and ignored by git', async () => {
    const root = project();
    const first = await runScan(root, ['--verbose'], { env: {} });
    const second = await runScan(root, ['--verbose'], { env: {} });
    expect(cachedCount(first.stderr)).toBe(0);
    expect(cachedCount(second.stderr)).toBe(2);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(first.code);
    expect(readFileSync(join(root, '.ftbot_cache', '.gitignore'), 'utf8')).toContain('\n*\n');
    expect(existsSync(join(root, '.ftbot_cache', 'CACHEDIR.TAG'))).toBe(true);
  });

  it('a replayed scan describes the same rules in SARIF as the scan that filled the cache', async () => {
    const root = project();
    const first = await runScan(root, ['--format', 'sarif', '--select', 'FT001,FT016'], { env: {} });
    const second = await runScan(root, ['--format', 'sarif', '--select', 'FT001,FT016', '--verbose'], { env: {} });
    expect(cachedCount(second.stderr)).toBe(2);
    const ruleIds = (out: string): string[] => (JSON.parse(out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } } }> }).runs[0]?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(ruleIds(first.stdout)).toEqual(['FT001', 'FT016']);
    expect(ruleIds(second.stdout)).toEqual(ruleIds(first.stdout));
    expect(second.stdout).toBe(first.stdout);
  });

  it('uses the scanned directory named on the command line, not the working directory', async () => {
    const root = project();
    await runScan(join(root, '..'), [root], { env: {} });
    expect(existsSync(join(root, '.ftbot_cache', 'CACHEDIR.TAG'))).toBe(true);
  });

  it('--no-cache neither reads nor writes a cache', async () => {
    const root = project();
    await runScan(root, [], { env: {} });
    const again = await runScan(root, ['--no-cache', '--verbose'], { env: {} });
    expect(cachedCount(again.stderr)).toBe(0);
    const other = project();
    await runScan(other, ['--no-cache'], { env: {} });
    expect(existsSync(join(other, '.ftbot_cache'))).toBe(false);
  });

  it('--cache-dir and FTBOT_CACHE_DIR move the cache; the flag wins', async () => {
    const root = project();
    await runScan(root, ['--cache-dir', 'here'], { env: { FTBOT_CACHE_DIR: join(root, 'env') } });
    expect(existsSync(join(root, 'here', 'CACHEDIR.TAG'))).toBe(true);
    expect(existsSync(join(root, 'env'))).toBe(false);
    const fromEnv = await runScan(root, ['--verbose'], { env: { FTBOT_CACHE_DIR: join(root, 'env') } });
    expect(cachedCount(fromEnv.stderr)).toBe(0);
    expect(existsSync(join(root, 'env', 'CACHEDIR.TAG'))).toBe(true);
    expect(existsSync(join(root, '.ftbot_cache'))).toBe(false);
  });

  it('warns once on stderr about a damaged cache file, scans everything again and repairs it', async () => {
    const root = project();
    const cold = await runScan(root, [], { env: {} });
    const folder = join(root, '.ftbot_cache', 'v2');
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), 'not a cache');
    const damaged = await runScan(root, ['--verbose'], { env: {} });
    expect(damaged.stderr).toMatch(/^ftbot: warning: the scan cache .* is damaged: ignored it, scanning every file again and rewriting it$/m);
    expect(cachedCount(damaged.stderr)).toBe(0);
    expect(damaged.stdout).toBe(cold.stdout);
    expect(damaged.code).toBe(cold.code);
    const repaired = await runScan(root, ['--verbose'], { env: {} });
    expect(repaired.stderr).not.toMatch(/warning/);
    expect(cachedCount(repaired.stderr)).toBe(2);
    // -q prints the findings only.
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), 'not a cache');
    expect((await runScan(root, ['-q'], { env: {} })).stderr).toBe('');
  });

  it('refuses --no-cache with --cache-dir (exit 2)', async () => {
    const { code, stderr } = await runScan(project(), ['--no-cache', '--cache-dir', 'x']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--no-cache and --cache-dir/);
  });

  it('--fix re-scans the files it rewrote, not their cached results', async () => {
    const root = projects.create({ 'm.c': 'static PyObject *f(PyObject *r) {\n    return PyWeakref_GetObject(r);\n}\n' });
    const fixed = await runScan(root, ['--fix', '--unsafe-fixes'], { env: {} });
    const after = await runScan(root, [], { env: {} });
    const uncached = await runScan(root, ['--no-cache'], { env: {} });
    expect(fixed.stdout).toBe(uncached.stdout);
    expect(after.stdout).toBe(uncached.stdout);
  });
});

describe('ftbot hook and the scan cache', () => {
  it('keeps the cache in the project root', async () => {
    const root = project();
    const fake = createFakeIo({ cwd: join(root, 'src'), env: {} });
    const code = await execute(['hook', 'a.c'], fake.io);
    expect(code).toBe(1);
    expect(existsSync(join(root, '.ftbot_cache', 'CACHEDIR.TAG'))).toBe(true);
  });
});
