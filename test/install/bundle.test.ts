import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliPackage = join(root, 'packages', 'ftbot');
let work: string;

/** Findings as `path:line:col rule`, the part that must not depend on how ftbot was installed. */
function findingsOf(json: string): string[] {
  const report = JSON.parse(json) as { findings: { path: string; line: number; column: number; ruleId: string }[] };
  return report.findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.ruleId}`);
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ftbot-install-'));
  // esbuild, about a second: the package under test is the one `npm run bundle` makes.
  await run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bundle.ts')], { cwd: root });
  cpSync(join(root, 'examples', 'spamext'), join(work, 'spamext'), { recursive: true });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package of the CLI', () => {
  it('packs, installs offline with no dependencies, and finds what the checkout finds', async () => {
    const packed = await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: cliPackage });
    const tarball = join(work, packed.stdout.trim().split('\n').at(-1) ?? '');
    expect(existsSync(tarball)).toBe(true);

    const prefix = join(work, 'install');
    // --offline: the npm cache is never consulted for a package with no dependencies, and any
    // attempt to reach the registry fails instead of waiting.
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: work });
    const installed = join(prefix, 'node_modules', 'ftbot');
    expect(readdirSync(join(prefix, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['ftbot']);
    expect(sizeOf(installed)).toBeLessThan(20 * 1024 * 1024);

    const bin = join(prefix, 'node_modules', '.bin', 'ftbot');
    const fromPackage = await run(bin, ['scan', 'spamext', '--format', 'json', '--exit-zero'], { cwd: work });
    const fake = createFakeIo({ cwd: work });
    await execute(['scan', 'spamext', '--format', 'json', '--exit-zero'], fake.io);
    expect(findingsOf(fromPackage.stdout)).toEqual(findingsOf(fake.stdout()));
    expect(findingsOf(fromPackage.stdout).length).toBeGreaterThan(5);

    // The commands that read packaged files work from the install too.
    expect((await run(bin, ['rule', 'FT001'], { cwd: work })).stdout).toContain('PyDict_GetItemRef');
    expect((await run(bin, ['ask', 'how do I replace PyDict_GetItem?'], { cwd: work })).stdout).toContain('PyDict_GetItemRef');
  }, 120_000);
});

describe('the GitHub Action entry point', () => {
  async function runAction(inputs: Record<string, string>): Promise<{ stdout: string; outputs: Record<string, string>; code: number }> {
    const outputFile = join(work, `outputs-${Object.keys(inputs).join('-')}.txt`);
    const env = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: work, GITHUB_OUTPUT: outputFile };
    for (const [k, v] of Object.entries(inputs)) Object.assign(env, { [`INPUT_${k.toUpperCase()}`]: v });
    let stdout: string;
    let code = 0;
    try {
      stdout = (await run(process.execPath, [join(root, 'action', 'run.mjs')], { cwd: work, env })).stdout;
    } catch (error) {
      const failed = error as { stdout: string; code: number };
      stdout = failed.stdout;
      code = failed.code;
    }
    const outputs = Object.fromEntries(
      (existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { stdout, outputs, code };
  }

  it('scans newline-separated paths, writes SARIF, annotates and sets outputs', async () => {
    cpSync(join(work, 'spamext'), join(work, 'with space'), { recursive: true });
    const { stdout, outputs, code } = await runAction({ paths: 'spamext\nwith space\n', 'fail-on': 'none' });
    expect(code).toBe(0);
    const sarif = JSON.parse(readFileSync(outputs['sarif-file'] ?? '', 'utf8')) as { runs: { results: unknown[] }[] };
    expect(Number(outputs.findings)).toBe(sarif.runs[0]?.results.length);
    expect(Number(outputs.findings)).toBeGreaterThan(10);
    expect(stdout).toMatch(/^::warning file=spamext\/[^,]+,line=\d+,col=\d+,title=FT\d{3}::/m);
    expect(stdout).toMatch(/^::\w+ file=with space\//m);
    expect(outputs.failed).toBe('false');
  }, 60_000);

  it('reports failure through the `failed` output for fail-on, and rejects an unknown value', async () => {
    expect((await runAction({ paths: 'spamext', 'fail-on': 'warning', annotate: 'false' })).outputs.failed).toBe('true');
    const bad = await runAction({ paths: 'spamext', 'fail-on': 'sometimes' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error title=ftbot::fail-on must be none, error or warning');
  }, 60_000);
});
