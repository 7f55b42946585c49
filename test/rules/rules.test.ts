import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, type Language } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/diagnostics.js';
import type { Rule } from '../../src/core/engine/define-rule.js';
import { scanFiles, type Grammars, type ScanInput } from '../../src/core/engine/scan-files.js';
import { applyEdits } from '../../src/core/report/edit-positions.js';
import { renderDiagnosticsText, renderText } from '../../src/core/report/to-text.js';
import { classifyPath } from '../../src/core/languages.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';

/**
 * The rule fixture runner (STYLE B12). Each folder `test/fixtures/rules/<rule-file-name>/` holds
 * literal source files for one rule, with inline marks in the language's own comments:
 *
 *   PyObject *v = PyDict_GetItem(registry, key);   // expect: FT001:19 (a finding starts on this line, column 19)
 *   // expect: FT001:5                              (alone on its line: the finding is on the next line)
 *   # ^ expect: FT010:1                             (alone, with a caret: the finding is on the line above)
 *   PyObject *v = PyDict_GetItemRef(d, k, &v);      // ok: FT001       (no finding of FT001 on this line)
 *
 * Every `expect:` mark pins the column where the finding starts; two findings on one line are
 * `expect: FT001:12, FT001:23`. `UPDATE_MARKS=1 npx vitest run test/rules` writes the columns of
 * the findings into marks that lack one (then read the diff).
 *
 * Only the folder's rule runs (preview or not). A sub-folder is a small project of its own: a
 * `Cargo.toml`, `pyproject.toml`, `setup.py` or `meson.build` beside the sources is scanned with them for project facts.
 * The rendered text (and the fixed file, for findings with a fix) is kept as a file snapshot in
 * the rule's `__snapshots__/` folder.
 */

const here = dirname(fileURLToPath(import.meta.url));
const fixtureRoot = join(here, '..', 'fixtures', 'rules');
const config = { maxFileSize: 5_000_000, minSeverity: 'info' as const };

/**
 * A file is a fixture of a rule when the rule targets its language or build-file kind; any other
 * file ftbot reads (a `Cargo.toml` beside PyO3 sources, C sources beside a `pyproject.toml` for
 * FT034) is scanned with the fixtures as part of the small project.
 */
function isFixtureFor(rule: Rule, path: string): boolean {
  const kind = classifyPath(path);
  if (kind === undefined) return false;
  const target = kind.type === 'source' ? kind.language : kind.kind;
  return rule.meta.targets.includes(target);
}

type Mark = { kind: 'expect' | 'ok'; ruleId: string; line: number; at: number; column?: number };

/** Marks in one fixture: `expect:` / `ok:` inside a comment of the file's language. */
function readMarks(text: string, path: string): Mark[] {
  // `#` starts a comment in Cython and CMake only (in C it is a directive, in Rust an attribute).
  const opener = /\.(pyx|pxd|cmake|txt|toml|py|cfg|ya?ml|build|ini|mk)$|(^|\/)(GNU)?[Mm]akefile(\.am)?$/.test(path) ? '#' : '\\/\\/|\\/\\*';
  const commentStart = new RegExp(`(${opener})(?=[^\\n]*\\b(?:expect|ok):\\s*FT\\d{3})`);
  const caretStart = new RegExp(`^(${opener})\\s*\\^`);
  const marks: Mark[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, index) => {
    const comment = commentStart.exec(lineText);
    if (comment === null) return;
    const commentText = lineText.slice(comment.index);
    const alone = lineText.slice(0, comment.index).trim() === '';
    const caret = caretStart.test(commentText);
    const line = !alone ? index + 1 : caret ? index : index + 2;
    for (const m of commentText.matchAll(/\b(expect|ok):\s*(FT\d{3}(?::\d+)?(?:\s*,\s*FT\d{3}(?::\d+)?)*)/g)) {
      for (const entry of (m[2] ?? '').split(',').map((s) => s.trim())) {
        const [ruleId = '', column] = entry.split(':');
        marks.push({ kind: m[1] as Mark['kind'], ruleId, line, at: index + 1, ...(column === undefined ? {} : { column: Number(column) }) });
      }
    }
  });
  return marks;
}

type Fixture = { rule: Rule; ruleDir: string; file: string; relativePath: string; projectInputs: ScanInput[] };

/**
 * Every fixture file below the rule's folder. Each fixture is scanned with the project files of
 * its project folder: the rule folder itself, or the first-level sub-folder it sits in (plus that
 * folder's `.github/workflows/`).
 */
function collectFixtures(rule: Rule, ruleDir: string): Fixture[] {
  const fixtures: Fixture[] = [];
  const projectCache = new Map<string, ScanInput[]>();
  const projectInputsOf = (projectDir: string): ScanInput[] => {
    // (The fixture itself is dropped from these inputs when it is scanned; see `scan`.)
    const cached = projectCache.get(projectDir);
    if (cached !== undefined) return cached;
    const inputs: ScanInput[] = [];
    const add = (dir: string, recurse: boolean): void => {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) {
          // A sub-folder project keeps its nested folders (Meson `subdir()` trees); at the top
          // level only workflows are read.
          if (recurse && (name === '.github' || name === 'workflows' || projectDir !== ruleDir)) add(full, true);
          continue;
        }
        const path = relative(ruleDir, full);
        // In a sub-folder project the fixtures are scanned together (FT033 reads every workflow of
        // the project); at the top level each fixture stands alone.
        const together = projectDir !== ruleDir;
        if (classifyPath(path) !== undefined && (together || !isFixtureFor(rule, path))) inputs.push({ path, text: readFileSync(full, 'utf8') });
      }
    };
    add(projectDir, true);
    projectCache.set(projectDir, inputs);
    return inputs;
  };
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== '__snapshots__') visit(full);
        continue;
      }
      const relativePath = relative(ruleDir, full);
      if (!isFixtureFor(rule, relativePath)) continue;
      const first = relativePath.split('/')[0] ?? '';
      const projectDir = relativePath.includes('/') && first !== '.github' ? join(ruleDir, first) : ruleDir;
      fixtures.push({ rule, ruleDir, file: full, relativePath, projectInputs: projectInputsOf(projectDir) });
    }
  };
  visit(ruleDir);
  return fixtures;
}

const ruleFolders = readdirSync(fixtureRoot).filter((name) => statSync(join(fixtureRoot, name)).isDirectory()).sort();

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

function scan(rule: Rule, fixture: Fixture, text: string): { findings: Finding[]; diagnostics: string } {
  const result = scanFiles({
    files: [...fixture.projectInputs.filter((f) => f.path !== fixture.relativePath), { path: fixture.relativePath, text }],
    grammars,
    rules: [rule],
    config,
  });
  const internal = result.diagnostics.filter((d) => d.kind === 'internal-error');
  expect(internal, 'the rule threw').toEqual([]);
  return { findings: result.findings.filter((f) => f.path === fixture.relativePath), diagnostics: renderDiagnosticsText(result.diagnostics) };
}

function languageOf(path: string): keyof Grammars | undefined {
  if (/\.(c|h)$/.test(path)) return 'c';
  if (path.endsWith('.cpp')) return 'cpp';
  if (/\.(pyx|pxd)$/.test(path)) return 'python';
  if (path.endsWith('.rs')) return 'rust';
  return undefined; // CMake: no grammar ships with ftbot
}

/**
 * ERROR and MISSING nodes in a fresh parse of `text`. For C and C++ the `#if`/`#ifdef`/`#else`/
 * `#endif` lines are blanked first: tree-sitter-c cannot parse a conditional inside an initialiser
 * list (the shape of CPython's own `Py_mod_gil` slots), which is valid C. Their balance is checked
 * separately by `conditionalDepths`.
 */
function errorCount(language: Language, text: string, blankConditionals: boolean): number {
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(blankConditionals ? text.replace(/^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b.*$/gm, (line) => ' '.repeat(line.length)) : text);
  if (tree === null) throw new Error('tree-sitter returned no tree');
  let count = 0;
  const cursor = tree.walk();
  for (let more = true; more; ) {
    if (cursor.nodeType === 'ERROR' || cursor.currentNode.isMissing) count++;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  cursor.delete();
  tree.delete();
  parser.delete();
  return count;
}

/** `#if…` opened minus `#endif` closed, and the lowest running depth (negative: an `#endif` too many). */
function conditionalDepths(text: string): { final: number; lowest: number } {
  let depth = 0;
  let lowest = 0;
  for (const m of text.matchAll(/^[ \t]*#[ \t]*(if|ifdef|ifndef|endif)\b/gm)) {
    depth += m[1] === 'endif' ? -1 : 1;
    lowest = Math.min(lowest, depth);
  }
  return { final: depth, lowest };
}

/**
 * Writes the columns of `findings` into the `expect:` marks of one fixture that lack one. Marks are
 * matched to findings line by line, in column order.
 */
function updateMarks(file: string, text: string, marks: Mark[], findings: Finding[]): void {
  const lines = text.split('\n');
  for (const at of new Set(marks.filter((m) => m.kind === 'expect' && m.column === undefined).map((m) => m.at))) {
    const target = marks.find((m) => m.at === at && m.kind === 'expect')?.line ?? 0;
    const columns = findings.filter((f) => f.line === target).map((f) => f.column).sort((a, b) => a - b);
    let next = 0;
    const lineText = lines[at - 1] ?? '';
    lines[at - 1] = lineText.replace(/\bexpect:\s*FT\d{3}(?:\s*,\s*FT\d{3})*/, (list) =>
      list.replace(/FT\d{3}/g, (id) => (columns[next] === undefined ? id : `${id}:${columns[next++] ?? ''}`)),
    );
  }
  const updated = lines.join('\n');
  if (updated !== text) writeFileSync(file, updated);
}

function snapshotText(findings: Finding[], diagnostics: string): string {
  const text = renderText(findings, { showHelp: true });
  return diagnostics === '' ? text : `${text}\n-- diagnostics --\n${diagnostics}`;
}

describe('rule fixtures', () => {
  it('has a fixture folder for every rule and a rule for every fixture folder', () => {
    const expected = rules.map((r) => `${r.meta.id.toLowerCase()}-${r.meta.name}`).sort();
    expect(expected.filter((name) => !ruleFolders.includes(name)), 'rules without a fixture folder').toEqual([]);
    expect(ruleFolders.filter((name) => !expected.includes(name)), 'fixture folders without a rule').toEqual([]);
  });

  for (const folder of ruleFolders) {
    const rule = rules.find((r) => `${r.meta.id.toLowerCase()}-${r.meta.name}` === folder);
    if (rule === undefined) continue;
    const ruleDir = join(fixtureRoot, folder);
    const snapshotDir = join(ruleDir, '__snapshots__');

    describe(folder, () => {
      for (const fixture of collectFixtures(rule, ruleDir)) {
        it(fixture.relativePath, async () => {
          const text = readFileSync(fixture.file, 'utf8');
          const marks = readMarks(text, fixture.file).filter((m) => m.ruleId === rule.meta.id);
          expect(marks.length, 'a fixture without `expect:` or `ok:` marks tests nothing').toBeGreaterThan(0);
          const foreign = readMarks(text, fixture.file).filter((m) => m.ruleId !== rule.meta.id);
          expect(foreign, `marks for other rules do not belong in ${folder}`).toEqual([]);

          const { findings, diagnostics } = scan(rule, fixture, text);
          if (process.env.UPDATE_MARKS === '1') updateMarks(fixture.file, text, marks, findings);

          // Every `expect:` mark is matched by a finding starting on its line, and every finding is marked.
          const expectLines = marks.filter((m) => m.kind === 'expect').map((m) => m.line);
          const okLines = marks.filter((m) => m.kind === 'ok').map((m) => m.line);
          const found = findings.map((f) => f.line);
          const missing = expectLines.filter((line) => !found.includes(line));
          const unexpected = findings.filter((f) => !expectLines.includes(f.line)).map((f) => `${f.line}:${f.column} ${f.message}`);
          expect(missing, 'expect marks without a finding').toEqual([]);
          expect(unexpected, 'findings without an expect mark').toEqual([]);
          const falsePositives = findings.filter((f) => okLines.includes(f.line)).map((f) => `${f.line}:${f.column} ${f.message}`);
          expect(falsePositives, 'findings on `ok:` lines').toEqual([]);
          // One finding per marked line, unless the line carries the mark several times.
          for (const line of new Set(expectLines)) {
            expect(found.filter((l) => l === line).length, `findings on line ${line}`).toBe(expectLines.filter((l) => l === line).length);
          }
          // Each mark pins its column: the findings of a line start at exactly the marked columns.
          for (const line of new Set(expectLines)) {
            const lineMarks = marks.filter((m) => m.kind === 'expect' && m.line === line);
            const unpinned = lineMarks.filter((m) => m.column === undefined);
            expect(unpinned.length, `expect marks for line ${line} without a column (UPDATE_MARKS=1 adds them)`).toBe(0);
            const columns = findings.filter((f) => f.line === line).map((f) => f.column).sort((a, b) => a - b);
            expect(columns, `columns of the findings on line ${line}`).toEqual(lineMarks.map((m) => m.column).sort((a, b) => (a ?? 0) - (b ?? 0)));
          }

          const name = fixture.relativePath;
          await expect(snapshotText(findings, diagnostics)).toMatchFileSnapshot(join(snapshotDir, `${name}.snap`));

          const fixes = findings.filter((f) => f.fix !== undefined);
          if (fixes.length === 0) return;
          expect(rule.meta.fix, 'a rule with fix: never attached a fix').not.toBe('never');
          const language = languageOf(name);
          const isC = language === 'c' || language === 'cpp';
          const grammar = language === undefined ? undefined : grammars[language];
          if (language !== undefined) expect(grammar, `no ${language} grammar loaded`).toBeDefined();
          const syntaxErrors = (source: string): number => (grammar === undefined ? 0 : errorCount(grammar, source, isC));
          const originalErrors = syntaxErrors(text);

          // Each fix on its own: parses no worse than the original, and clears its finding.
          for (const finding of fixes) {
            const fixed = applyEdits(text, finding.fix?.edits ?? []);
            expect(fixed).not.toBe(text);
            expect(syntaxErrors(fixed), `fix for line ${finding.line} adds syntax errors`).toBeLessThanOrEqual(originalErrors);
            if (isC) expect(conditionalDepths(fixed), `fix for line ${finding.line} unbalances #if/#endif`).toEqual(conditionalDepths(text));
            const after = scan(rule, fixture, fixed).findings;
            expect(after.length, `fix for line ${finding.line} does not clear its finding`).toBeLessThan(findings.length);
          }

          // All fixes together: what `ftbot` would write, frozen for review.
          const allEdits = fixes.flatMap((f) => f.fix?.edits ?? []).sort((a, b) => a.start - b.start);
          for (let i = 1; i < allEdits.length; i++) {
            expect((allEdits[i]?.start ?? 0) >= (allEdits[i - 1]?.end ?? 0), 'fix edits overlap').toBe(true);
          }
          const fixedAll = applyEdits(text, allEdits);
          expect(syntaxErrors(fixedAll)).toBeLessThanOrEqual(originalErrors);
          const remaining = scan(rule, fixture, fixedAll).findings;
          expect(remaining.length).toBeLessThanOrEqual(findings.length - fixes.length);
          const dot = basename(name).lastIndexOf('.');
          const fixedName = dot > 0 ? `${name.slice(0, name.length - basename(name).length + dot)}.fixed${basename(name).slice(dot)}` : `${name}.fixed`;
          await expect(fixedAll).toMatchFileSnapshot(join(snapshotDir, fixedName));
        });
      }
    });
  }
});
