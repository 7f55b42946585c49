import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';
import { sarifValidator } from '../helpers/sarif-schema.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The fixture stands for a project of its own, so it is scanned from a copy outside this
// repository: here git tracks its `_generated/` folder, which a real checkout of it would not.
// The end-to-end runs keep the fixture as their working directory (tsx resolves from there).
const fixture = join(root, 'test', 'fixtures', 'projects', 'imaging-ext');
const project = mkdtempSync(join(tmpdir(), 'ftbot-imaging-ext-'));
cpSync(fixture, project, { recursive: true });
afterAll(() => rmSync(project, { recursive: true, force: true }));
const badConfig = join(root, 'test', 'fixtures', 'projects', 'bad-config');
const spamext = join(root, 'examples', 'spamext');

async function scan(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const fake = createFakeIo({ cwd });
  const code = await execute(['scan', ...args], fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** `FTnnn` of every finding line in text output. */
function ruleIdsOf(text: string): string[] {
  return [...text.matchAll(/^\S+:\d+:\d+: (FT\d{3}) /gm)].map((m) => m[1] ?? '');
}

describe('ftbot scan (in-process)', () => {
  it('prints `path:line:col: FTnnn message` lines and exits 1 on findings', async () => {
    const { code, stdout, stderr } = await scan(project);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).every((l) => /^src\/_imaging\.c:\d+:\d+: FT\d{3} \S.*[^.]$/.test(l))).toBe(true);
    // FT004's finding stands for FT001's on the same call (`Py_NewRef` of the looked-up value).
    expect(lines[0]).toMatch(/^src\/_imaging\.c:11:22: FT004 `Py_NewRef\(mode\)` after `PyDict_GetItem` does not make the borrowed reference safe/);
    expect(lines.at(-1)).toMatch(/^Found \d+ findings?/);
    expect(stderr).toBe('');
  });

  it('honours .gitignore and skips the vendored pythoncapi_compat.h', async () => {
    const { stdout, stderr } = await scan(project, '--verbose');
    expect(stdout).not.toContain('_generated/');
    expect(stdout).not.toContain('pythoncapi_compat.h');
    expect(stderr).toContain('vendor/pythoncapi_compat.h: vendored: vendored compatibility header, not scanned');
    expect(stderr).not.toContain('_generated/');
    // The generated file has findings of its own when scanned by name.
    expect(ruleIdsOf((await scan(project, '_generated/tables.c')).stdout)).toContain('FT004');
  });

  it('leaves preview rules out by default and runs them with ALL or --preview', async () => {
    expect(ruleIdsOf((await scan(project)).stdout)).not.toContain('FT014');
    expect(ruleIdsOf((await scan(project, '--select', 'ALL')).stdout)).toContain('FT014');
    // One FT014 finding, at the declaration of `open_images`; its write is a related place.
    expect(ruleIdsOf((await scan(project, '--select', 'FT01', '--preview')).stdout)).toEqual(['FT014']);
  });

  it('applies --select and --ignore, case-insensitively and comma-separated', async () => {
    expect(new Set(ruleIdsOf((await scan(project, '--select', 'ft001')).stdout))).toEqual(new Set(['FT001']));
    const ignored = ruleIdsOf((await scan(project, '--select', 'ALL', '--ignore', 'FT001,FT014')).stdout);
    expect(ignored).not.toContain('FT001');
    expect(ignored).not.toContain('FT014');
  });

  it('exits 0 with no findings, and with --exit-zero despite findings', async () => {
    const none = await scan(project, '--select', 'FT013');
    expect(none).toMatchObject({ code: 0, stdout: 'No free-threading hazards found.\n' });
    const zero = await scan(project, '--exit-zero');
    expect(zero.code).toBe(0);
    expect(ruleIdsOf(zero.stdout).length).toBeGreaterThan(0);
  });

  it('drops findings below --min-confidence, and refuses an unknown level', async () => {
    const all = JSON.parse((await scan(spamext, '--format', 'json')).stdout) as { findings: Array<{ confidence: string }> };
    const high = JSON.parse((await scan(spamext, '--format', 'json', '--min-confidence', 'high')).stdout) as { findings: Array<{ confidence: string }> };
    expect(all.findings.some((f) => f.confidence !== 'high')).toBe(true);
    expect(high.findings.length).toBe(all.findings.filter((f) => f.confidence === 'high').length);
    expect(high.findings.every((f) => f.confidence === 'high')).toBe(true);
    const bad = await scan(spamext, '--min-confidence', 'sure');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown confidence 'sure'");
  });

  it('prints the JSON contract with --format json', async () => {
    const { code, stdout } = await scan(project, '--format', 'json', '--select', 'ALL');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Record<string, unknown> & { findings: Array<Record<string, unknown>>; stats: Record<string, unknown> };
    expect(Object.keys(report)).toEqual(['version', 'findings', 'diagnostics', 'stats']);
    expect(Object.keys(report.stats)).toEqual(['files', 'bytes', 'ms']);
    expect(report.stats.files).toBe(2);
    expect(report.diagnostics).toEqual([{ kind: 'vendored', path: 'vendor/pythoncapi_compat.h', message: 'vendored compatibility header, not scanned' }]);
    for (const f of report.findings) {
      expect(Object.keys(f).filter((k) => k !== 'fix' && k !== 'related')).toEqual(['ruleId', 'path', 'line', 'column', 'endLine', 'endColumn', 'message', 'severity', 'confidence']);
    }
    expect(report.findings.map((f) => f.ruleId)).toContain('FT004');
    // A shared variable is one finding, at its declaration, with its writes as related locations.
    const shared = report.findings.filter((f) => f.ruleId === 'FT014');
    expect(shared.map((f) => [f.line, f.related])).toEqual([[6, [{ path: 'src/_imaging.c', line: 22, column: 5, message: '`open_images` read-modify-write in `imaging_open`' }]]]);
  });

  it('prints valid SARIF 2.1.0 with --format sarif', async () => {
    const { code, stdout } = await scan(spamext, '--format', 'sarif');
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as { runs: Array<{ results: Array<{ ruleId: string; fixes?: unknown[] }> }> };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]?.results.some((r) => r.fixes !== undefined)).toBe(true);
  });

  it('finds every family of hazard in examples/spamext (its config selects ALL)', async () => {
    const { code, stdout } = await scan(spamext);
    expect(code).toBe(1);
    const ids = new Set(ruleIdsOf(stdout));
    // The example's dict and list lookups are increfed: FT004's findings stand for FT001's and FT002's.
    for (const id of ['FT003', 'FT004', 'FT005', 'FT008', 'FT009', 'FT010', 'FT011', 'FT012', 'FT014', 'FT015', 'FT016']) {
      expect(ids, id).toContain(id);
    }
    expect(new Set(ruleIdsOf((await scan(spamext, '--select', 'FT001,FT002')).stdout))).toEqual(new Set(['FT001', 'FT002']));
    expect(stdout).toMatch(/^rust\/src\/lib\.rs:9:3: FT011 PyO3 0\.22\.6 cannot declare free-threading support/m);
  });

  it('writes the report to --output instead of stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftbot-scan-'));
    try {
      const out = join(dir, 'report.json');
      const { code, stdout } = await scan(project, '--format', 'json', '--output', out);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect((JSON.parse(readFileSync(out, 'utf8')) as { version: string }).version).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('exits 2 on usage and configuration errors', () => {
    it('an unknown flag', async () => {
      const { code, stdout, stderr } = await scan(project, '--bogus');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^ftbot scan: .*--bogus/);
      expect(stderr).toContain('Usage: ftbot scan');
    });

    it('an unknown format', async () => {
      const { code, stderr } = await scan(project, '--format', 'xml');
      expect(code).toBe(2);
      expect(stderr).toContain("unknown output format 'xml' (expected text, json, sarif, github, rdjson)");
    });

    it('a rule id that is not one', async () => {
      const { code, stderr } = await scan(project, '--select', 'E501');
      expect(code).toBe(2);
      expect(stderr).toContain("unknown rule selector 'E501'");
    });

    it('a path that does not exist', async () => {
      const { code, stdout, stderr } = await scan(project, 'src', 'no-such-dir');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe('ftbot: no such file or directory: no-such-dir\n');
    });

    it('an invalid [tool.ftbot] table', async () => {
      const { code, stdout, stderr } = await scan(badConfig);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^ftbot: invalid configuration: pyproject\.toml:\d+:\d+: min-severity: /);
    });

    it('a --config file that cannot be read', async () => {
      const { code, stderr } = await scan(project, '--config', 'missing.toml');
      expect(code).toBe(2);
      expect(stderr).toContain('cannot read the configuration file');
    });
  });
});

/**
 * bin/ftbot.js imports the bundle `npm run build` writes to dist/bin/. Rather than building it
 * inside a test, the run goes through tsx and a resolve hook that maps that import to the bundle's
 * entry in src/ (test/helpers/bin-from-source.mjs).
 */
const fromSource = ['--import', 'tsx', '--import', join(root, 'test', 'helpers', 'bin-from-source.mjs')];

describe('bin/ftbot.js (end to end)', () => {
  it('scans a project and exits 1 with JSON on stdout', async () => {
    const result = await run(process.execPath, [...fromSource, join(root, 'bin', 'ftbot.js'), 'scan', '--format', 'json', '--no-cache'], { cwd: fixture }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; path: string }> };
    expect(report.findings.map((f) => `${f.ruleId} ${f.path}`)).toContain('FT004 src/_imaging.c');
  });

  it('stops quietly when the reader closes the pipe early (`ftbot scan … | head -c 10`)', async () => {
    // Far more output than a pipe holds (the rule fixtures, every rule, JSON), so writes go on
    // after `head` has exited; bash's pipefail reports ftbot's own exit status.
    const args = [...fromSource, join(root, 'bin', 'ftbot.js'), 'scan', join(root, 'test', 'fixtures', 'rules'), '--select', 'ALL', '--format', 'json', '--exit-zero', '--no-cache'];
    const result = await run('bash', ['-o', 'pipefail', '-c', '"$0" "$@" 2>"$FTBOT_ERR_FILE" | head -c 10 >/dev/null', process.execPath, ...args], {
      cwd: fixture,
      env: { ...process.env, FTBOT_ERR_FILE: join(mkdtempSync(join(tmpdir(), 'ftbot-pipe-')), 'stderr') },
    }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(result).toBe(0);
  });

  it('prints the version and exits 0', async () => {
    const { stdout } = await run(process.execPath, [...fromSource, join(root, 'bin', 'ftbot.js'), '--version'], { cwd: fixture });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
