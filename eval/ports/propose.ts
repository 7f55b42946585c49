/**
 * Proposes a label skeleton for one porting commit: every changed region of the parent ("before")
 * version, with a guessed category. The guesses are only a starting point; a person reads the diff
 * and corrects each site before the label is committed (see README.md, "Adding a label").
 *
 *   node --import tsx eval/ports/propose.ts --git-dir <bare repo> --sha <commit> [--project owner/name] [--url <PR url>]
 *
 * Prints the JSON skeleton on stdout and, on stderr, each hunk's changed lines for review.
 * Nothing of the diff's text is written into the skeleton.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

type Category = 'shared-state' | 'per-object' | 'declaration' | 'build' | 'borrowed' | 'other';

interface Hunk {
  path: string;
  start: number;
  end: number;
  removed: string[];
  added: string[];
}

const BUILD_FILE = /(^|\/)(\.github\/workflows\/[^/]+\.ya?ml|pyproject\.toml|setup\.py|setup\.cfg|meson\.build|meson\.options|CMakeLists\.txt|Cargo\.toml|tox\.ini|noxfile\.py|MANIFEST\.in|requirements[^/]*\.txt|\.cirrus\.yml|azure-pipelines\.yml|appveyor\.yml|Makefile)$/;
const OTHER_FILE = /(^|\/)(tests?|testing|docs?|doc|benchmarks?)\/|(^|\/)(README|CHANGES|CHANGELOG|NEWS|HISTORY)[^/]*$|\.(md|rst|txt)$|(^|\/)test_[^/]*\.py$/;

function guess(hunk: Hunk): Category {
  if (OTHER_FILE.test(hunk.path) && !BUILD_FILE.test(hunk.path)) return 'other';
  if (BUILD_FILE.test(hunk.path)) return 'build';
  const text = [...hunk.removed, ...hunk.added].join('\n');
  if (/Py_mod_gil|PyUnstable_Module_SetGIL|freethreading_compatible|gil_used|mod_gil_not_used|FREE_THREADED/.test(text)) return 'declaration';
  if (/GetItemRef|GetOptionalItem|Py_NewRef|Py_XNewRef|GetObjectRef|PyWeakref_GetRef|PyImport_AddModuleRef|PySys_GetOptionalAttr/.test(text)) return 'borrowed';
  if (/CRITICAL_SECTION\w*\(\s*self|critical_section\(\s*self|@cython\.critical_section|self->\w+/.test(text)) return 'per-object';
  if (/\bstatic\b|thread_local|Py_THREAD_LOCAL|_Thread_local|__thread|PyMutex|_Atomic|std::atomic|atomic_|\bglobal\b|once_cell|OnceLock|GILOnceCell|PyOnceLock/.test(text)) return 'shared-state';
  return 'other';
}

/** Parses `git diff -U0` output into hunks located on the parent version's lines. */
export function parseUnifiedZero(diff: string): Hunk[] {
  const hunks: Hunk[] = [];
  let path: string | undefined;
  let current: Hunk | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      path = undefined;
      current = undefined;
    } else if (line.startsWith('--- ')) {
      path = line === '--- /dev/null' ? undefined : line.slice(6);
    } else if (line.startsWith('@@ ') && path !== undefined) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
      if (m === null) continue;
      const a = Number(m[1]);
      const n = m[2] === undefined ? 1 : Number(m[2]);
      // Pure insertion (n = 0) after line a: labelled at line a, or line 1 at the top of the file.
      const start = n === 0 ? Math.max(a, 1) : a;
      const end = n === 0 ? start : a + n - 1;
      current = { path, start, end, removed: [], added: [] };
      hunks.push(current);
    } else if (current !== undefined && line.startsWith('-')) {
      current.removed.push(line.slice(1));
    } else if (current !== undefined && line.startsWith('+')) {
      current.added.push(line.slice(1));
    }
  }
  return hunks;
}

function main(): void {
  const { values } = parseArgs({
    options: { 'git-dir': { type: 'string' }, sha: { type: 'string' }, project: { type: 'string' }, url: { type: 'string' } },
  });
  const gitDir = values['git-dir'];
  const sha = values.sha;
  if (gitDir === undefined || sha === undefined) throw new Error('usage: propose.ts --git-dir <dir> --sha <commit> [--project owner/name] [--url <url>]');
  const git = (...args: string[]): string => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const full = git('rev-parse', `${sha}^{commit}`).trim();
  const parent = git('rev-parse', `${full}^1`).trim();
  const hunks = parseUnifiedZero(git('diff', '-U0', '--no-color', '--no-ext-diff', '-M', parent, full));
  const files = new Map<string, { start: number; end: number; category: Category; note: string }[]>();
  for (const h of hunks) {
    const category = guess(h);
    const sites = files.get(h.path) ?? [];
    sites.push({ start: h.start, end: h.end, category, note: '' });
    files.set(h.path, sites);
    process.stderr.write(`\n## ${h.path}:${h.start}-${h.end} [${category}]\n`);
    for (const l of h.removed.slice(0, 12)) process.stderr.write(`- ${l}\n`);
    for (const l of h.added.slice(0, 12)) process.stderr.write(`+ ${l}\n`);
  }
  const head = { sha: full, parent, url: values.url ?? (values.project === undefined ? '' : `https://github.com/${values.project}/commit/${full}`), kind: '', note: '' };
  // One site per line, so a reviewer can correct categories and notes in place.
  const fileBlocks = [...files].map(([path, sites]) => {
    const lines = sites.map((s) => `        ${JSON.stringify({ lines: s.start === s.end ? `${s.start}` : `${s.start}-${s.end}`, category: s.category, note: s.note })}`);
    return `      { "path": ${JSON.stringify(path)}, "sites": [\n${lines.join(',\n')}\n      ] }`;
  });
  const headText = Object.entries(head).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n');
  process.stdout.write(`    {\n${headText}\n      "files": [\n${fileBlocks.join(',\n')}\n      ]\n    }\n`);
}

main();
