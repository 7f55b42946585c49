/**
 * Scores `ftbot scan --select ALL` against labelled free-threading porting commits (eval/ports/).
 *
 *   npm run eval:ports -- --repos <dir> [--only owner/name] [--json] [--tolerance 2] [--timeout 300]
 *
 * For each labelled commit: write the parent tree and its git index (a checkout, as a user scans
 * it), scan it with the built CLI, and compare the findings on the annotated files with the
 * labelled sites. A baseline grep (API names and `static PyObject *`) is scored the same way. See
 * eval/ports/README.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classifyPath } from '../src/core/languages.js';

export const CATEGORIES = ['shared-state', 'per-object', 'declaration', 'build', 'borrowed', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
/** Categories that appear in the recall table; `other` sites count only towards precision. */
const SCORED: readonly Category[] = ['borrowed', 'declaration', 'shared-state', 'per-object', 'build'];

export interface Site {
  start: number;
  end: number;
  category: Category;
  /** Other before-lines where a finding also counts for this site (`"also"` in a label). */
  also: { start: number; end: number }[];
  note: string;
}
export interface LabelledFile {
  path: string;
  sites: Site[];
}
export interface LabelledCommit {
  project: string;
  sha: string;
  parent: string;
  url: string;
  files: LabelledFile[];
}
export interface Flag {
  path: string;
  line: number;
  endLine: number;
  /** The rule and message of a finding (absent for the baseline grep). */
  rule?: string;
  message?: string;
  confidence?: string;
  /**
   * The finding's related places (the other writes of a variable reported once at its
   * declaration, the other methods of a class): a site near one is found, as the finding points
   * there too; a related place that is a span (a reassigned directives dict) counts by all its
   * lines. Precision counts the flag by its own lines only.
   */
  related?: { path: string; line: number; endLine?: number }[];
}

/** A flag on an annotated file that came near no labelled site, for `--flags`. */
export interface UnmatchedFlag {
  path: string;
  line: number;
  endLine: number;
  kind: FileKindName;
  rule: string;
  message: string;
  /** The finding's confidence (empty for the baseline grep). */
  confidence: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LABELS = join(ROOT, 'eval', 'ports', 'labels');
const SHA = /^[0-9a-f]{40}$/;
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function fail(message: string): never {
  throw new Error(message);
}

function parseLines(text: unknown, where: string): { start: number; end: number } {
  if (typeof text !== 'string') fail(`${where}: "lines" must be a string like "12" or "12-15"`);
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (m === null) fail(`${where}: "lines" must look like "12" or "12-15", not ${JSON.stringify(text)}`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || end < start) fail(`${where}: bad line range ${text}`);
  return { start, end };
}

/** Reads and validates every label file; a malformed label is an error naming the file and entry. */
export function loadLabels(dir: string = LABELS): LabelledCommit[] {
  const commits: LabelledCommit[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const where = `labels/${name}`;
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { project?: unknown; commits?: unknown };
    if (typeof data.project !== 'string' || !PROJECT.test(data.project)) fail(`${where}: "project" must be owner/name`);
    if (name !== `${data.project.replace('/', '+')}.json`) fail(`${where}: file name must be ${data.project.replace('/', '+')}.json`);
    if (!Array.isArray(data.commits) || data.commits.length === 0) fail(`${where}: "commits" must be a non-empty array`);
    for (const [i, raw] of (data.commits as Record<string, unknown>[]).entries()) {
      const at = `${where} commit ${i}`;
      const { sha, parent, url, files } = raw;
      if (typeof sha !== 'string' || !SHA.test(sha)) fail(`${at}: "sha" must be 40 hex digits`);
      if (typeof parent !== 'string' || !SHA.test(parent)) fail(`${at}: "parent" must be 40 hex digits`);
      if (typeof url !== 'string' || !url.startsWith('https://')) fail(`${at}: "url" must be an https URL`);
      if (!Array.isArray(files) || files.length === 0) fail(`${at}: "files" must be a non-empty array`);
      const labelled: LabelledFile[] = [];
      for (const f of files as Record<string, unknown>[]) {
        if (typeof f.path !== 'string' || f.path === '' || f.path.startsWith('/') || f.path.split('/').includes('..')) fail(`${at}: bad path ${JSON.stringify(f.path)}`);
        if (!Array.isArray(f.sites) || f.sites.length === 0) fail(`${at} ${f.path}: "sites" must be a non-empty array`);
        const sites = (f.sites as Record<string, unknown>[]).map((s) => {
          const category = s.category as Category;
          if (!CATEGORIES.includes(category)) fail(`${at} ${f.path}: unknown category ${JSON.stringify(s.category)}`);
          const also = s.also === undefined ? [] : String(s.also).split(',').map((r) => parseLines(r.trim(), `${at} ${f.path} also`));
          return { ...parseLines(s.lines, `${at} ${f.path}`), category, also, note: typeof s.note === 'string' ? s.note : '' };
        });
        labelled.push({ path: f.path, sites });
      }
      commits.push({ project: data.project, sha, parent, url, files: labelled });
    }
  }
  return commits;
}

/** What an annotated file is, for precision by kind: a build file ftbot reads, a source, or other. */
export type FileKindName = 'build' | 'source' | 'other';
export const FILE_KINDS: readonly FileKindName[] = ['build', 'source', 'other'];

export function fileKindOf(path: string): FileKindName {
  const kind = classifyPath(path);
  return kind === undefined ? 'other' : kind.type;
}

export interface Tally {
  sites: Record<Category, number>;
  found: Record<Category, number>;
  /** Sites found only through a flag's related place, none of its own lines near them (counted in `found` too). */
  foundByRelated: Record<Category, number>;
  flags: number;
  flagsNearChange: number;
  /** Flags and flags near a labelled site, by the kind of annotated file they are on. */
  byKind: Record<FileKindName, { flags: number; near: number }>;
  /** Labelled sites no flag came near, for `--misses`. */
  missed: { path: string; start: number; end: number; category: Category; note: string }[];
  /** Flags on annotated files that came near no labelled site, for `--flags`. */
  unmatched: UnmatchedFlag[];
}

export function emptyTally(): Tally {
  const zero = () => Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const byKind = Object.fromEntries(FILE_KINDS.map((k) => [k, { flags: 0, near: 0 }])) as Tally['byKind'];
  return { sites: zero(), found: zero(), foundByRelated: zero(), flags: 0, flagsNearChange: 0, byKind, missed: [], unmatched: [] };
}

/**
 * Scores flags against one commit's labels. A site is found when a flag's line span, or one of its
 * related places, comes within `tolerance` lines of the site's span; a flag counts towards
 * precision when its own span comes within `tolerance` lines of any labelled site of its file.
 * Only flags on annotated files count towards precision.
 */
export function score(commit: LabelledCommit, flags: Flag[], tolerance: number, into: Tally = emptyTally()): Tally {
  const byPath = new Map<string, Flag[]>();
  for (const f of flags) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const within = (r: { start: number; end: number }, f: Pick<Flag, 'line' | 'endLine'>) => f.line <= r.end + tolerance && f.endLine >= r.start - tolerance;
  const near = (s: Site, f: Pick<Flag, 'line' | 'endLine'>) => within(s, f) || s.also.some((r) => within(r, f));
  // Related places of every flag, by the file they are in (a finding may point into another file).
  const relatedByPath = new Map<string, { line: number; endLine: number }[]>();
  for (const f of flags) for (const r of f.related ?? []) relatedByPath.set(r.path, [...(relatedByPath.get(r.path) ?? []), { line: r.line, endLine: Math.max(r.line, r.endLine ?? r.line) }]);
  for (const file of commit.files) {
    const onFile = byPath.get(file.path) ?? [];
    const relatedOnFile = relatedByPath.get(file.path) ?? [];
    for (const site of file.sites) {
      into.sites[site.category] += 1;
      if (onFile.some((f) => near(site, f))) into.found[site.category] += 1;
      else if (relatedOnFile.some((r) => near(site, r))) {
        into.found[site.category] += 1;
        into.foundByRelated[site.category] += 1;
      } else into.missed.push({ path: file.path, start: site.start, end: site.end, category: site.category, note: site.note });
    }
    const fileKind = fileKindOf(file.path);
    let nearCount = 0;
    for (const f of onFile) {
      if (file.sites.some((s) => near(s, f))) nearCount += 1;
      else into.unmatched.push({ path: f.path, line: f.line, endLine: f.endLine, kind: fileKind, rule: f.rule ?? '', message: f.message ?? '', confidence: f.confidence ?? '' });
    }
    into.flags += onFile.length;
    into.flagsNearChange += nearCount;
    const kind = into.byKind[fileKind];
    kind.flags += onFile.length;
    kind.near += nearCount;
  }
  return into;
}

/** API names the baseline grep looks for: borrowed-reference and module-creation calls. */
const GREP_NAMES = new Set([
  'PyList_GetItem', 'PyList_GET_ITEM', 'PyList_SET_ITEM', 'PyDict_GetItem', 'PyDict_GetItemString', 'PyDict_GetItemWithError',
  'PyDict_SetDefault', 'PyDict_Next', 'PyWeakref_GetObject', 'PyWeakref_GET_OBJECT', 'PyImport_AddModule',
  'PyImport_AddModuleObject', 'PySys_GetObject', 'PyEval_GetGlobals', 'PyEval_GetLocals', 'PyEval_GetBuiltins',
  'PySequence_Fast_ITEMS', 'PyCell_GET', 'PyFunction_GetDefaults', 'PyFunction_GetClosure', 'PyFunction_GetModule',
  'PyModule_Create', 'PyModule_Create2', 'PyModuleDef_Init', 'PyModuleDef_Slot', 'Py_mod_exec', 'PyMODINIT_FUNC',
  'PYBIND11_MODULE', 'NB_MODULE', 'pymodule',
]);
const STATIC_PYOBJECT = /\bstatic\s+PyObject\s*\*/;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The baseline: every line of an annotated file naming one of GREP_NAMES or declaring `static PyObject *`. */
export function grepFlags(path: string, text: string): Flag[] {
  const flags: Flag[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.length > 4000) return;
    const hit = STATIC_PYOBJECT.test(line) || (line.match(IDENT) ?? []).some((w) => GREP_NAMES.has(w));
    if (hit) flags.push({ path, line: i + 1, endLine: i + 1 });
  });
  return flags;
}

/** Finds the git directory for owner/name under `reposDir`: owner+name or owner/name, bare or a clone. */
export function findGitDir(reposDir: string, project: string): string | undefined {
  const [owner, name] = project.split('/') as [string, string];
  for (const base of [join(reposDir, `${owner}+${name}`), join(reposDir, owner, name)]) {
    for (const candidate of [base, join(base, '.git'), join(base, 'repo')]) {
      if (existsSync(join(candidate, 'HEAD')) && existsSync(join(candidate, 'objects'))) return candidate;
    }
  }
  return undefined;
}

interface CommitResult {
  project: string;
  sha: string;
  error?: string;
  ftbot: Tally;
  grep: Tally;
}

function scanWithFtbot(dir: string, timeoutMs: number): Flag[] {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'ftbot.js'), 'scan', '.', '--select', 'ALL', '--format', 'json', '--exit-zero'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.error !== undefined) fail(`ftbot scan failed: ${run.error.message}`);
  if (run.status !== 0) fail(`ftbot scan exited ${String(run.status)}: ${run.stderr.slice(0, 500)}`);
  const report = JSON.parse(run.stdout) as {
    findings: { path: string; line: number; endLine?: number; ruleId?: string; message?: string; confidence?: string; related?: { path: string; line: number; endLine?: number }[] }[];
  };
  return report.findings.map((f) => ({
    path: f.path,
    line: f.line,
    endLine: Math.max(f.line, f.endLine ?? f.line),
    ...(f.ruleId === undefined ? {} : { rule: f.ruleId }),
    ...(f.message === undefined ? {} : { message: f.message }),
    ...(f.confidence === undefined ? {} : { confidence: f.confidence }),
    ...(f.related === undefined ? {} : { related: f.related.map((r) => ({ path: r.path, line: r.line, ...(r.endLine === undefined ? {} : { endLine: r.endLine }) })) }),
  }));
}

/** Blobs larger than this are not written out: no scanned source is this big, and snapshots may lack them. */
const MAX_BLOB = 4 * 1024 * 1024;

/**
 * Writes the tree of `rev` under `dest` with `git cat-file --batch`, in chunks. Unlike `git archive`,
 * this tolerates objects missing from a partial snapshot (large data files): they are skipped.
 */
export function extractTree(gitDir: string, rev: string, dest: string, timeoutMs: number): void {
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { timeout: timeoutMs, maxBuffer: 1024 * 1024 * 1024, ...(input === undefined ? {} : { input }), stdio: ['pipe', 'pipe', 'pipe'] });
  const entries: { oid: string; path: string }[] = [];
  for (const record of git(['ls-tree', '-r', '-z', '--long', '--full-tree', rev]).toString('utf8').split('\0')) {
    // "<mode> <type> <oid> <size>\t<path>"; symlinks (120000) and submodules (commit) are skipped.
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || oid === undefined || size === undefined) continue;
    if (Number(size) > MAX_BLOB || path.split('/').includes('..')) continue;
    entries.push({ oid, path });
  }
  for (let i = 0; i < entries.length; i += 2000) {
    const chunk = entries.slice(i, i + 2000);
    let out: Buffer;
    try {
      out = git(['cat-file', '--batch'], chunk.map((e) => e.oid).join('\n') + '\n');
    } catch (e) {
      fail(`git cat-file failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    let at = 0;
    for (const entry of chunk) {
      const nl = out.indexOf(10, at);
      const header = out.subarray(at, nl).toString('utf8');
      at = nl + 1;
      if (header.endsWith(' missing')) continue;
      const length = Number(header.split(' ')[2]);
      const file = join(dest, entry.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, out.subarray(at, at + length));
      at += length + 1;
    }
  }
}

/**
 * Writes the git index of `rev` into `<dest>/.git/index`, so the scanned tree looks like a
 * checkout: ftbot's walk reads the index and scans tracked files that a `.gitignore` matches, as
 * it does in any clone. Only the index (and, for a SHA-256 repository, the `objectFormat` setting
 * the index parser needs) is written; the repository at `gitDir` is only read.
 */
export function writeIndex(gitDir: string, rev: string, dest: string, timeoutMs: number): void {
  const git = (args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const dotGit = join(dest, '.git');
  mkdirSync(dotGit, { recursive: true });
  // A plain (not split) index: the walk reads one index file.
  git(['-c', 'core.splitIndex=false', 'read-tree', `--index-output=${join(dotGit, 'index')}`, rev]);
  const format = git(['rev-parse', '--show-object-format']).toString('utf8').trim();
  if (format !== 'sha1') writeFileSync(join(dotGit, 'config'), `[extensions]\n\tobjectFormat = ${format}\n`);
}

/** The temporary folder in use, removed on SIGINT/SIGTERM as well as after each commit. */
let currentWork: string | undefined;

function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (currentWork !== undefined) rmSync(currentWork, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function evaluateCommit(commit: LabelledCommit, gitDir: string, tolerance: number, timeoutMs: number): CommitResult {
  const result: CommitResult = { project: commit.project, sha: commit.sha, ftbot: emptyTally(), grep: emptyTally() };
  const work = mkdtempSync(join(tmpdir(), 'ftbot-eval-ports-'));
  currentWork = work;
  try {
    const tree = join(work, 'tree');
    extractTree(gitDir, commit.parent, tree, timeoutMs);
    writeIndex(gitDir, commit.parent, tree, timeoutMs);
    for (const f of commit.files) {
      const p = join(tree, f.path);
      if (!existsSync(p) || !statSync(p).isFile()) fail(`${f.path} does not exist in the parent ${commit.parent.slice(0, 12)}`);
    }
    score(commit, scanWithFtbot(tree, timeoutMs), tolerance, result.ftbot);
    const grep = commit.files.flatMap((f) => grepFlags(f.path, readFileSync(join(tree, f.path), 'utf8')));
    score(commit, grep, tolerance, result.grep);
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  } finally {
    rmSync(work, { recursive: true, force: true });
    currentWork = undefined;
  }
  return result;
}

function add(into: Tally, t: Tally): void {
  into.missed.push(...t.missed);
  into.unmatched.push(...t.unmatched);
  for (const c of CATEGORIES) {
    into.sites[c] += t.sites[c];
    into.found[c] += t.found[c];
    into.foundByRelated[c] += t.foundByRelated[c];
  }
  into.flags += t.flags;
  into.flagsNearChange += t.flagsNearChange;
  for (const k of FILE_KINDS) {
    into.byKind[k].flags += t.byKind[k].flags;
    into.byKind[k].near += t.byKind[k].near;
  }
}

/**
 * Mean over projects of each project's recall (projects without sites of a category are left out),
 * so that one project with many sites does not dominate a category.
 */
export function projectMeans(results: { project: string; tally: Tally }[]): Record<string, number | null> {
  const byProject = new Map<string, Tally>();
  for (const r of results) {
    const t = byProject.get(r.project) ?? emptyTally();
    add(t, r.tally);
    byProject.set(r.project, t);
  }
  const means: Record<string, number | null> = {};
  for (const c of [...SCORED, 'all'] as const) {
    const recalls = [...byProject.values()].flatMap((t) => {
      const sites = c === 'all' ? SCORED.reduce((n, k) => n + t.sites[k], 0) : t.sites[c];
      const found = c === 'all' ? SCORED.reduce((n, k) => n + t.found[k], 0) : t.found[c];
      return sites === 0 ? [] : [found / sites];
    });
    means[c] = recalls.length === 0 ? null : Math.round((recalls.reduce((a, b) => a + b, 0) / recalls.length) * 10000) / 10000;
  }
  return means;
}

/** n/d to 4 decimals: the table prints 2, and rounding twice (to 3, then 2) turned 98/106 = 0.9245 into 0.93. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 10000) / 10000;
}

export interface Summary {
  /** `byRelated`: sites found only through a flag's related place. */
  recall: Record<string, { sites: number; found: number; byRelated: number; recall: number | null }>;
  precision: { flags: number; near: number; value: number | null };
  /** Precision on annotated build files, sources and other files separately. */
  precisionByKind: Record<FileKindName, { flags: number; near: number; value: number | null }>;
}

export function summarise(t: Tally): Summary {
  const recall: Summary['recall'] = {};
  let sites = 0;
  let found = 0;
  let byRelated = 0;
  for (const c of SCORED) {
    recall[c] = { sites: t.sites[c], found: t.found[c], byRelated: t.foundByRelated[c], recall: ratio(t.found[c], t.sites[c]) };
    sites += t.sites[c];
    found += t.found[c];
    byRelated += t.foundByRelated[c];
  }
  recall.all = { sites, found, byRelated, recall: ratio(found, sites) };
  const precisionByKind = Object.fromEntries(FILE_KINDS.map((k) => [k, { ...t.byKind[k], value: ratio(t.byKind[k].near, t.byKind[k].flags) }])) as Summary['precisionByKind'];
  return { recall, precision: { flags: t.flags, near: t.flagsNearChange, value: ratio(t.flagsNearChange, t.flags) }, precisionByKind };
}

/** An unmatched flag with the commit it was found in. */
export type CommitFlag = UnmatchedFlag & { project: string; sha: string };

/**
 * The unmatched flags of the given file kinds grouped by rule id (rules with most flags first,
 * ties by id), each group in project, commit, path and line order.
 */
export function groupUnmatched(flags: CommitFlag[], kinds: ReadonlySet<FileKindName>): [string, CommitFlag[]][] {
  const groups = new Map<string, CommitFlag[]>();
  for (const f of flags) {
    if (!kinds.has(f.kind)) continue;
    const rule = f.rule === '' ? '(no rule)' : f.rule;
    groups.set(rule, [...(groups.get(rule) ?? []), f]);
  }
  const order = (a: CommitFlag, b: CommitFlag) =>
    a.project.localeCompare(b.project) || a.sha.localeCompare(b.sha) || a.path.localeCompare(b.path) || a.line - b.line;
  return [...groups.entries()]
    .map(([rule, fs]): [string, CommitFlag[]] => [rule, fs.sort(order)])
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

export function fmt(v: number | null): string {
  return v === null ? '—' : v.toFixed(2);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      repos: { type: 'string' },
      only: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      tolerance: { type: 'string', default: '2' },
      timeout: { type: 'string', default: '300' },
      labels: { type: 'string' },
      misses: { type: 'string', multiple: true },
      flags: { type: 'string', multiple: true },
    },
  });
  if (values.repos === undefined) fail('usage: npm run eval:ports -- --repos <dir> [--only owner/name] [--json] [--misses category] [--flags source|build|other|all] [--tolerance N] [--timeout seconds]');
  const misses = new Set((values.misses ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean));
  for (const m of misses) if (m !== 'all' && !CATEGORIES.includes(m as Category)) fail(`--misses: unknown category '${m}' (expected one of ${CATEGORIES.join(', ')} or all)`);
  const flagKinds = new Set<FileKindName>();
  for (const k of (values.flags ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean)) {
    if (k === 'all') for (const kind of FILE_KINDS) flagKinds.add(kind);
    else if (FILE_KINDS.includes(k as FileKindName)) flagKinds.add(k as FileKindName);
    else fail(`--flags: unknown file kind '${k}' (expected one of ${FILE_KINDS.join(', ')} or all)`);
  }
  const tolerance = Number(values.tolerance);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 50) fail('--tolerance must be an integer from 0 to 50');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail('--timeout must be a positive number of seconds');
  if (!existsSync(join(ROOT, 'dist', 'bin', 'ftbot.mjs'))) fail('dist/ is missing: run `npm run build` first');
  const reposDir = resolve(values.repos);
  const only = new Set((values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim().toLowerCase()).filter(Boolean));
  const commits = loadLabels(values.labels === undefined ? LABELS : resolve(values.labels)).filter((c) => only.size === 0 || only.has(c.project.toLowerCase()));
  if (commits.length === 0) fail('no labelled commit matches --only');

  cleanUpOnSignals();
  const results: CommitResult[] = [];
  for (const commit of commits) {
    const gitDir = findGitDir(reposDir, commit.project);
    const r: CommitResult = gitDir === undefined
      ? { project: commit.project, sha: commit.sha, error: `no git directory for ${commit.project} in --repos`, ftbot: emptyTally(), grep: emptyTally() }
      : evaluateCommit(commit, gitDir, tolerance, timeoutMs);
    if (!values.json) process.stderr.write(`${r.error === undefined ? 'ok  ' : 'FAIL'} ${commit.project} ${commit.sha.slice(0, 10)}${r.error === undefined ? '' : `: ${r.error}`}\n`);
    results.push(r);
  }
  const ftbot = emptyTally();
  const grep = emptyTally();
  const scored = results.filter((r) => r.error === undefined);
  for (const r of scored) {
    add(ftbot, r.ftbot);
    add(grep, r.grep);
  }
  const summary = {
    tolerance,
    commits: scored.length,
    projects: new Set(scored.map((r) => r.project)).size,
    failed: results.filter((r) => r.error !== undefined).map((r) => ({ project: r.project, sha: r.sha, error: r.error })),
    ftbot: { ...summarise(ftbot), projectMean: projectMeans(scored.map((r) => ({ project: r.project, tally: r.ftbot }))) },
    grep: { ...summarise(grep), projectMean: projectMeans(scored.map((r) => ({ project: r.project, tally: r.grep }))) },
    perCommit: results.map((r) => ({
      project: r.project,
      sha: r.sha,
      ...(r.error === undefined ? { ftbot: summarise(r.ftbot), grep: summarise(r.grep), ftbotMissed: r.ftbot.missed, ftbotUnmatched: r.ftbot.unmatched } : { error: r.error }),
    })),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const lines = [
      `${summary.commits} commits from ${summary.projects} projects scored (tolerance ±${tolerance} lines)${summary.failed.length > 0 ? `; ${summary.failed.length} failed` : ''}`,
      '',
      '| category | sites | ftbot recall | ftbot, by related place only | ftbot, project mean | grep recall | grep, project mean |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[...SCORED, 'all'].map((c) => {
        const f = summary.ftbot.recall[c]!;
        const g = summary.grep.recall[c]!;
        return `| ${c} | ${f.sites} | ${fmt(f.recall)} (${f.found}) | ${f.byRelated} | ${fmt(summary.ftbot.projectMean[c] ?? null)} | ${fmt(g.recall)} (${g.found}) | ${fmt(summary.grep.projectMean[c] ?? null)} |`;
      }),
      `| precision on annotated files | | ${fmt(summary.ftbot.precision.value)} (${summary.ftbot.precision.near}/${summary.ftbot.precision.flags}) | | | ${fmt(summary.grep.precision.value)} (${summary.grep.precision.near}/${summary.grep.precision.flags}) | |`,
      ...FILE_KINDS.map((k) => {
        const f = summary.ftbot.precisionByKind[k];
        const g = summary.grep.precisionByKind[k];
        return `| precision on annotated ${k === 'other' ? 'other' : k} files | | ${fmt(f.value)} (${f.near}/${f.flags}) | | | ${fmt(g.value)} (${g.near}/${g.flags}) | |`;
      }),
    ];
    if (misses.size > 0) {
      lines.push('', 'Sites ftbot missed:');
      for (const r of scored) {
        for (const m of r.ftbot.missed.filter((x) => misses.has(x.category) || (misses.has('all') && x.category !== 'other'))) {
          lines.push(`${r.project}@${r.sha.slice(0, 10)} ${m.path}:${m.start === m.end ? m.start : `${m.start}-${m.end}`} [${m.category}] ${m.note}`);
        }
      }
    }
    if (flagKinds.size > 0) {
      const all = scored.flatMap((r) => r.ftbot.unmatched.map((f) => ({ ...f, project: r.project, sha: r.sha })));
      const groups = groupUnmatched(all, flagKinds);
      const total = groups.reduce((n, [, fs]) => n + fs.length, 0);
      lines.push('', `ftbot flags near no labelled site on annotated ${[...flagKinds].join('/')} files: ${total}`);
      for (const [rule, fs] of groups) {
        lines.push('', `${rule} (${fs.length})`);
        for (const f of fs) lines.push(`  ${f.project}@${f.sha.slice(0, 10)} ${f.path}:${f.line === f.endLine ? f.line : `${f.line}-${f.endLine}`}${f.confidence === '' ? '' : ` (${f.confidence})`} ${f.message}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (summary.failed.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`eval:ports: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
