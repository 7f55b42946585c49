/**
 * Runs Microsoft's SARIF multitool with its GitHub rule set (`validate --rule-kind "Gh;Sarif"`)
 * on the SARIF `ftbot scan` writes for `examples/spamext`, and fails on any error or warning.
 * The multitool is a .NET program shipped on npm as `@microsoft/sarif-multitool` (a large native
 * download, so not a dependency): install it anywhere and set `SARIF_MULTITOOL` to its
 * `Sarif.Multitool` binary. The unit tests check the same GitHub requirements field by field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tool = process.env.SARIF_MULTITOOL;
if (tool === undefined || tool === '') {
  console.error('Set SARIF_MULTITOOL to the Sarif.Multitool binary (npm install @microsoft/sarif-multitool).');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'ftbot-sarif-'));
try {
  const sarif = join(dir, 'spamext.sarif');
  const out = join(dir, 'validation.sarif');
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin', 'ftbot.js'), 'scan', '--output-format', 'sarif', '--output', sarif, '.'], { cwd: join(ROOT, 'examples', 'spamext') });
  } catch (error) {
    // Exit code 1 means findings, which the example has on purpose.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  execFileSync(tool, ['validate', '--rule-kind', 'Gh;Sarif', '--output', out, sarif], { stdio: 'inherit' });
  const results = (JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results?: Array<{ level?: string; ruleId?: string; message?: { arguments?: string[] } }> }> }).runs[0]?.results ?? [];
  const problems = results.filter((r) => r.level === 'error' || r.level === 'warning' || r.level === undefined);
  for (const p of problems) console.error(`${p.level ?? 'warning'} ${p.ruleId ?? ''} ${(p.message?.arguments ?? []).join(' | ')}`);
  console.log(`SARIF multitool (GitHub rules): ${problems.length} error(s) or warning(s)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
