/**
 * Records what `ftbot scan --select ALL --format json` reports for each directory, normalized
 * (sorted, elapsed times dropped), so an engine refactor can be checked to change nothing:
 *
 *   node --import tsx scripts/findings-snapshot.ts record <out.json> <dir>...
 *   node --import tsx scripts/findings-snapshot.ts compare <baseline.json> <dir>...
 *
 * `compare` exits 1 and prints the first differences when any finding or diagnostic changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execute } from '../src/cli/main.js';
import { defaultConfig } from '../src/core/config/schema.js';
import { scanDirectory } from '../src/io/scan-directory.js';

type Snapshot = Record<string, unknown>;

async function scanOne(dir: string): Promise<unknown> {
  let out = '';
  const code = await execute(['scan', dir, '--select', 'ALL', '--format', 'json'], {
    stdout: (text) => (out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8')),
    stderr: () => undefined,
    cwd: process.cwd(),
    env: {},
    stderrIsTTY: false,
    fetch: () => Promise.reject(new Error('no network')),
  });
  const data = JSON.parse(out) as Record<string, unknown>;
  // The JSON report leaves out fingerprints, help and symbols: compare the full findings too.
  const full = await scanDirectory({ cwd: process.cwd(), paths: [dir], override: () => ({ ...defaultConfig, select: ['ALL'], minSeverity: 'info' }) });
  // `undeclaredModules` moved from the project facts to the published facts: compare it there.
  const { undeclaredModules: _moved, ...project } = { ...full.project, cythonIncluded: [...full.project.cythonIncluded].sort() } as Record<string, unknown>;
  const modules = 'facts' in full ? (full.facts as { undeclaredModules: Array<{ path: string }> }).undeclaredModules.map((m) => m.path) : _moved;
  // A rule selected alone still gets the facts of the rules it reads (FT034 reads FT008–FT013).
  const alone = await scanDirectory({ cwd: process.cwd(), paths: [dir], override: () => ({ ...defaultConfig, select: ['FT034'] }) });
  return { exit: code, findings: data.findings, diagnostics: data.diagnostics, full: full.findings, project, modules, stats: full.stats, ft034Alone: alone.findings };
}

async function snapshot(dirs: string[]): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const dir of dirs) result[dir] = await scanOne(resolve(dir));
  return result;
}

function diffLines(a: string, b: string): string[] {
  const left = a.split('\n');
  const right = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(left.length, right.length) && out.length < 40; i++) {
    if (left[i] !== right[i]) out.push(`line ${i + 1}:\n  - ${left[i] ?? ''}\n  + ${right[i] ?? ''}`);
  }
  return out;
}

const [mode, file, ...dirs] = process.argv.slice(2);
if ((mode !== 'record' && mode !== 'compare') || file === undefined || dirs.length === 0) {
  process.stderr.write('usage: findings-snapshot.ts record|compare <file.json> <dir>...\n');
  process.exitCode = 2;
} else {
  const now = JSON.stringify(await snapshot(dirs), null, 1);
  if (mode === 'record') {
    writeFileSync(file, now);
  } else {
    const before = readFileSync(file, 'utf8');
    if (before === now) {
      process.stdout.write(`identical: ${dirs.join(', ')}\n`);
    } else {
      process.stdout.write(`${diffLines(before, now).join('\n')}\n`);
      process.exitCode = 1;
    }
  }
}
