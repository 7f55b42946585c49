import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ftbot-v8-tiers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// V8's optimisation status bit for code TurboFan compiled (`%GetOptimizationStatus`).
const TURBOFANNED = 1 << 6;

/**
 * Runs two equally hot functions in a fresh process (V8's flags are the process's): the first
 * while TurboFan is deferred, the second after it is allowed again, and prints the status of each.
 */
function statuses(): { deferred: number; allowed: number } {
  const script = join(dir, 'tiers.mts');
  writeFileSync(
    script,
    `import { allowOptimisingCompiler, deferOptimisingCompiler } from ${JSON.stringify(pathToFileURL(resolve('src/io/v8-tiers.ts')).href)};
const status = new Function('f', 'return %GetOptimizationStatus(f)');
const hot = (f) => { for (let k = 0; k < 4000; k++) f(1000); return status(f); };
deferOptimisingCompiler();
const deferred = hot((n) => { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; });
allowOptimisingCompiler();
const allowed = hot((n) => { let s = 0; for (let i = 0; i < n; i++) s += i % 5; return s; });
console.log(JSON.stringify({ deferred, allowed }));
`,
  );
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { deferred: number; allowed: number };
}

describe('deferOptimisingCompiler / allowOptimisingCompiler', () => {
  it('keeps hot code out of TurboFan while deferred, and lets it in again once allowed', () => {
    const { deferred, allowed } = statuses();
    expect(deferred & TURBOFANNED).toBe(0);
    expect(allowed & TURBOFANNED).toBe(TURBOFANNED);
  });
});
