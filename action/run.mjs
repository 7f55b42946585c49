// The GitHub Action's entry point. It runs the bundled ftbot CLI with the runner's own `node`
// (no `npm ci`, no compile, no change to the job's Node), writes the SARIF report, prints
// workflow-command annotations (so repositories without code scanning see findings too), and
// sets the step outputs `findings`, `sarif-file` and `failed`. Dependencies: none but Node's own.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const actionRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const input = (name, fallback = '') => (env[`INPUT_${name.toUpperCase()}`] ?? fallback).trim() || fallback;
const workspace = env.GITHUB_WORKSPACE ?? process.cwd();

function fail(message) {
  process.stdout.write(`::error title=ftbot::${escapeData(message)}\n`);
  process.exitCode = 2;
}

/** Workflow commands end at a newline and treat `%` specially: escape both in data and properties. */
function escapeData(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function setOutput(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
  else process.stdout.write(`${name}=${value}\n`);
}

/** The bundled CLI shipped with a release of the Action, or one built on the spot from a branch. */
function findCli() {
  const bundled = join(actionRoot, 'packages', 'ftbot', 'dist', 'cli', 'ftbot.mjs');
  if (existsSync(bundled)) return bundled;
  process.stdout.write('::warning title=ftbot::This ref of the ftbot Action carries no bundled CLI; building it (about a minute). Pin a release tag to skip this step.\n');
  for (const args of [['ci', '--no-audit', '--no-fund', '--ignore-scripts'], ['run', 'bundle']]) {
    const run = spawnSync('npm', args, { cwd: actionRoot, stdio: ['ignore', 2, 2] });
    if (run.status !== 0) return undefined;
  }
  return existsSync(bundled) ? bundled : undefined;
}

function main() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) return fail(`ftbot needs Node.js 20.19 or newer; this runner has ${process.versions.node}`);
  const failOn = input('fail-on', 'none');
  if (!['none', 'error', 'warning'].includes(failOn)) return fail(`fail-on must be none, error or warning, not '${failOn}'`);
  const paths = input('paths', '.').split('\n').map((p) => p.trim()).filter(Boolean);
  const sarifFile = resolve(workspace, input('sarif-file', 'ftbot.sarif'));
  const config = input('config');
  const extra = input('args').split(/\s+/).filter(Boolean);
  const cli = findCli();
  if (cli === undefined) return fail('could not build the ftbot CLI for this ref of the Action');

  const args = [cli, 'scan', ...paths, '--format', 'sarif', '--output', sarifFile, '--exit-zero', ...(config ? ['--config', config] : []), ...extra];
  const scan = spawnSync(process.execPath, args, { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] });
  if (scan.status !== 0) return fail(`ftbot scan exited with ${scan.status ?? scan.signal}`);

  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
  const results = sarif.runs?.flatMap((run) => run.results ?? []) ?? [];
  if (input('annotate', 'true') === 'true') {
    for (const r of results) {
      const loc = r.locations?.[0]?.physicalLocation;
      // SARIF URIs are percent-encoded, relative to the scan's working folder or `file:` URLs.
      const uri = loc?.artifactLocation?.uri ?? '';
      let path = uri;
      try {
        path = uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri);
      } catch {
        // Not a valid URI: show it as it is.
      }
      const file = isAbsolute(path) ? relative(workspace, path) : path;
      const region = loc?.region ?? {};
      const kind = r.level === 'error' ? 'error' : r.level === 'note' ? 'notice' : 'warning';
      const props = [`file=${escapeProperty(file)}`, `line=${region.startLine ?? 1}`, `col=${region.startColumn ?? 1}`, `title=${escapeProperty(r.ruleId ?? 'ftbot')}`];
      process.stdout.write(`::${kind} ${props.join(',')}::${escapeData(r.message?.text ?? '')}\n`);
    }
  }
  const gating = failOn === 'error' ? ['error'] : failOn === 'warning' ? ['error', 'warning'] : [];
  const failed = results.some((r) => gating.includes(r.level ?? 'warning'));
  setOutput('findings', String(results.length));
  setOutput('sarif-file', sarifFile);
  setOutput('failed', String(failed));
  process.stdout.write(`ftbot: ${results.length} finding${results.length === 1 ? '' : 's'}; SARIF report at ${relative(workspace, sarifFile) || sarifFile}\n`);
}

main();
