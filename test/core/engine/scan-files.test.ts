import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineRule } from '../../../src/core/engine/define-rule.js';
import { scanFiles, type CachedFile, type FileCache, type Grammars, type ScanInput } from '../../../src/core/engine/scan-files.js';
import { rules } from '../../../src/core/rules/index.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

const config = { maxFileSize: 10_000, minSeverity: 'info' as const };
const borrowedLookup = `#include <Python.h>
static PyObject *registry;
static PyObject *
lookup(PyObject *m, PyObject *k)
{
    return Py_XNewRef(PyDict_GetItem(registry, k));
}
`;

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

const scan = (files: ScanInput[], ruleList = rules) => scanFiles({ files, grammars, rules: ruleList, config });

describe('scanFiles on bad input', () => {
  it('skips a binary file with a diagnostic', () => {
    const result = scan([{ path: 'build/_speedups.c', text: `\u007fELF\u0002\u0001\u0001\u0000\u0000PyDict_GetItem(` }]);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([{ kind: 'binary', path: 'build/_speedups.c', message: 'skipped: binary file' }]);
    expect(result.stats.files).toBe(0);
  });

  it('skips an oversized file by its size without reading it', () => {
    let read = false;
    const result = scan([
      {
        path: 'src/huge_tables.c',
        size: 20_000,
        text: () => {
          read = true;
          return borrowedLookup;
        },
      },
    ]);
    expect(read).toBe(false);
    expect(result.diagnostics).toEqual([{ kind: 'too-large', path: 'src/huge_tables.c', message: 'skipped: 20000 bytes is over the 10000-byte limit' }]);
  });

  it('skips an oversized file by its length when no size is given', () => {
    const result = scan([{ path: 'src/generated.c', text: `${borrowedLookup}${' '.repeat(10_000)}` }]);
    expect(result.diagnostics.map((d) => d.kind)).toEqual(['too-large']);
    expect(result.findings).toEqual([]);
  });

  it('turns a loader that throws, or reads nothing, into read-error diagnostics and goes on', () => {
    const result = scan([
      {
        path: 'src/gone.c',
        text: () => {
          throw new Error('EACCES: permission denied');
        },
      },
      { path: 'src/vanished.c', text: () => undefined },
      { path: 'src/lookup.c', text: borrowedLookup },
    ]);
    expect(result.diagnostics).toEqual([
      { kind: 'read-error', path: 'src/gone.c', message: 'could not read: Error: EACCES: permission denied' },
      { kind: 'read-error', path: 'src/vanished.c', message: 'could not read the file' },
    ]);
    // FT001's finding on the same call is subsumed by FT004's.
    expect(result.findings.map((f) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual(['src/lookup.c:6 FT004']);
  });

  it('reports invalid TOML in Cargo.toml and pyproject.toml as diagnostics', () => {
    const result = scan([
      { path: 'rust/Cargo.toml', text: '[dependencies\npyo3 = "0.23"\n' },
      { path: 'pyproject.toml', text: '[project]\nname = "x\n' },
      { path: 'rust/src/lib.rs', text: '#[pymodule]\nfn x(_m: &Bound<PyModule>) -> PyResult<()> { Ok(()) }\n' },
    ]);
    expect(result.diagnostics.map((d) => [d.kind, d.path])).toEqual([
      ['parse-error', 'rust/Cargo.toml'],
      ['parse-error', 'pyproject.toml'],
    ]);
    for (const d of result.diagnostics) expect(d.message).toMatch(/^invalid TOML: /);
    // Without a readable PyO3 version the FT011 finding stays, at medium confidence and without a fix.
    expect(result.findings.map((f) => [f.ruleId, f.confidence, f.fix])).toEqual([['FT011', 'medium', undefined]]);
  });

  it('skips a vendored pythoncapi_compat.h', () => {
    const result = scan([{ path: 'src/pythoncapi_compat.h', text: 'static PyObject *f(PyObject *d, PyObject *k) { return PyDict_GetItem(d, k); }\n' }]);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics.map((d) => d.kind)).toEqual(['vendored']);
  });

  it('reports a rule that throws as an internal error naming the rule, and keeps scanning', () => {
    const broken = defineRule({
      meta: { ...(rules[0]?.meta ?? ({} as never)), id: 'FT999', name: 'always-throws', fix: 'never' },
      check() {
        throw new Error('boom');
      },
    });
    const result = scan([{ path: 'a.c', text: borrowedLookup }, { path: 'b.c', text: borrowedLookup }], [broken]);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([
      { kind: 'internal-error', path: 'a.c', message: 'FT999 (always-throws) failed: Error: boom' },
      { kind: 'internal-error', path: 'b.c', message: 'FT999 (always-throws) failed: Error: boom' },
    ]);
  });

  it('ignores files it does not know', () => {
    const result = scan([{ path: 'README.md', text: 'PyDict_GetItem(registry, k)' }]);
    expect(result).toMatchObject({ findings: [], diagnostics: [], stats: { files: 0 } });
  });
});

describe('scanFiles project facts', () => {
  it('reads the pyo3 version from a plain dependency string', () => {
    const result = scan([{ path: 'Cargo.toml', text: '[dependencies]\npyo3 = "0.23.4"\n' }]);
    expect(result.project.pyo3Version).toBe('0.23.4');
  });

  it('reads the pyo3 version from a dependency table and from workspace dependencies', () => {
    expect(scan([{ path: 'Cargo.toml', text: '[dependencies]\npyo3 = { version = "^0.28", features = ["abi3"] }\n' }]).project.pyo3Version).toBe('^0.28');
    expect(scan([{ path: 'Cargo.toml', text: '[dependencies.pyo3]\nversion = "0.22"\n' }]).project.pyo3Version).toBe('0.22');
    expect(scan([{ path: 'Cargo.toml', text: '[workspace.dependencies]\npyo3 = { version = "0.25" }\n' }]).project.pyo3Version).toBe('0.25');
  });

  it('reads requires-python, its lowest minor, the name and the classifiers', () => {
    const result = scan([
      {
        path: 'pyproject.toml',
        text: '[project]\nname = "spamext"\nrequires-python = ">=3.10,<4"\nclassifiers = ["Programming Language :: Python :: Free Threading :: 2 - Beta"]\n',
      },
    ]);
    expect(result.project).toMatchObject({
      projectName: 'spamext',
      requiresPython: '>=3.10,<4',
      minPython: [3, 10],
      classifiers: ['Programming Language :: Python :: Free Threading :: 2 - Beta'],
    });
  });

  it('finds the Cython directive set in setup.py for every module', () => {
    const setup = 'cythonize("*.pyx", compiler_directives={"freethreading_compatible": True})\n';
    const withSetup = scan([{ path: 'setup.py', text: setup }, { path: 'fast.pyx', text: 'def f():\n    return 1\n' }]);
    expect(withSetup.project.cythonDirectiveInBuild).toBe(true);
    expect(withSetup.findings).toEqual([]);
    const without = scan([{ path: 'fast.pyx', text: 'def f():\n    return 1\n' }]);
    expect(without.findings.map((f) => f.ruleId)).toEqual(['FT010']);
  });

  it('applies facts from a build file listed after the sources', () => {
    const result = scan([
      { path: 'src/lib.rs', text: '#[pymodule]\nfn m(_m: &Bound<PyModule>) -> PyResult<()> { Ok(()) }\n' },
      { path: 'Cargo.toml', text: '[dependencies]\npyo3 = "0.28.1"\n' },
    ]);
    expect(result.findings).toEqual([]);
  });
});

describe('scanFiles results', () => {
  it('counts files and bytes, and parses only files with a prefilter hit', () => {
    const quiet = '#include <Python.h>\nint add(int a, int b) { return a + b; }\n';
    const result = scan([{ path: 'a.c', text: borrowedLookup }, { path: 'b.c', text: quiet }]);
    expect(result.stats).toMatchObject({ files: 2, bytes: borrowedLookup.length + quiet.length, parsedFiles: 1 });
  });

  it('parses no file for a rule that reads no tree, and only the segments of the rules that do', () => {
    const roots: boolean[] = [];
    const textOnly = defineRule({
      needsTree: false,
      meta: { ...(rules[0]?.meta ?? ({} as never)), id: 'FT901', name: 'text-only', triggers: [], targets: ['c'], fix: 'never', messages: { seen: 'seen' } },
      prefilter: (text) => (text.includes('registry') ? [text.indexOf('registry')] : []),
      check(ctx) {
        roots.push(ctx.root !== undefined);
        ctx.report({ start: ctx.prefiltered[0] ?? 0, messageId: 'seen' });
      },
    });
    const alone = scan([{ path: 'a.c', text: borrowedLookup }], [textOnly]);
    expect(alone.findings.map((f) => f.ruleId)).toEqual(['FT901']);
    expect(alone.stats).toMatchObject({ parsedFiles: 0, parsedBytes: 0 });
    expect(roots).toEqual([false]);
    // With a rule that reads the tree, only its segment (the function) is parsed, not the declaration.
    const ft001 = rules.filter((r) => r.meta.id === 'FT001');
    const both = scan([{ path: 'a.c', text: borrowedLookup }], [textOnly, ...ft001]);
    expect(both.findings.map((f) => f.ruleId)).toEqual(['FT901', 'FT001']);
    const fn = borrowedLookup.slice(borrowedLookup.indexOf('static PyObject *\nlookup'));
    expect(both.stats).toMatchObject({ parsedFiles: 1, parsedBytes: fn.trimEnd().length });
    expect(roots).toEqual([false, true]);
  });

  it('parses only the macro definitions and comments of a header whose hits are all outside code segments', () => {
    const header = [
      '#ifdef __cplusplus',
      'extern "C" {',
      '#endif',
      '/* PyWeakref_GetObject is gone in 3.15 */',
      '#define REF(w) PyWeakref_GetObject(w)',
      '#define LIST_AT(l, i) PyList_GET_ITEM(l, i)',
      'typedef struct { int n; } counter;',
      '#ifdef __cplusplus',
      '}',
      '#endif',
      '',
    ].join('\n');
    const files = [{ path: 'include/compat.h', text: header }];
    const bySegments = scan(files);
    const whole = scanFiles({ files, grammars, rules, config, wholeFiles: true });
    // FT003 reports the removed API in the macro body, not in the comment.
    expect(bySegments.findings.map((f) => [f.ruleId, f.line])).toContainEqual(['FT003', 5]);
    expect(bySegments.findings).toEqual(whole.findings);
    expect(bySegments.diagnostics).toEqual(whole.diagnostics);
    const spans = ['/* PyWeakref_GetObject is gone in 3.15 */', '#define REF(w) PyWeakref_GetObject(w)\n', '#define LIST_AT(l, i) PyList_GET_ITEM(l, i)\n'];
    expect(bySegments.stats).toMatchObject({ parsedFiles: 1, parsedBytes: spans.join('').length });
    expect(whole.stats.parsedBytes).toBe(header.length);
  });

  it('drops findings below the severity threshold', () => {
    const text = '#[pymodule(gil_used = true)]\nfn m(_m: &Bound<PyModule>) -> PyResult<()> { Ok(()) }\n';
    const files = [{ path: 'Cargo.toml', text: '[dependencies]\npyo3 = "0.27"\n' }, { path: 'lib.rs', text }];
    expect(scanFiles({ files, grammars, rules, config: { ...config, minSeverity: 'info' } }).findings.map((f) => f.severity)).toEqual(['info']);
    expect(scanFiles({ files, grammars, rules, config: { ...config, minSeverity: 'warning' } }).findings).toEqual([]);
  });

  it('sorts findings by path, line and column, with stable fingerprints', () => {
    const result = scan([{ path: 'z.c', text: borrowedLookup }, { path: 'a.c', text: borrowedLookup }]);
    expect(result.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['a.c:6:12', 'z.c:6:12']);
    const again = scan([{ path: 'a.c', text: `\n\n${borrowedLookup}` }]);
    expect(again.findings.map((f) => f.fingerprint)).toEqual(result.findings.slice(0, 1).map((f) => f.fingerprint));
  });
});

describe('fingerprints of findings that share a line', () => {
  // The fingerprint is FNV-1a over `rule|path|symbol|folded line`, NUL, occurrence: computed here
  // the long way, independently of the engine's per-line memo.
  const fnv = (input: string): string => {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    }
    return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
  };

  it('counts identical lines per rule and symbol, whatever the memo holds', () => {
    const line = '    Py_XINCREF(PyDict_GetItem(registry, a)); Py_XINCREF(PyDict_GetItem(registry, b));';
    const text = `#include <Python.h>\nstatic PyObject *registry;\nstatic void\nf(PyObject *a, PyObject *b)\n{\n${line}\n${line}\n}\n`;
    // FT004 reports each `Py_XINCREF(…)` call; FT001's findings on the calls inside (subsumed) were
    // made in the same file run, so the memo holds their keys too.
    const found = scan([{ path: 'm.c', text }]).findings.filter((f) => f.ruleId === 'FT004');
    expect(found.map((f) => `${f.line}:${f.column}`)).toEqual(['6:5', '6:46', '7:5', '7:46']);
    const key = ['FT004', 'm.c', 'f', line.replace(/\s+/g, ' ').trim()].join('|');
    expect(found.map((f) => f.fingerprint)).toEqual([0, 1, 2, 3].map((n) => fnv(`${key}\u0000${n}`)));
  });
});

describe('scanFiles project rules', () => {
  const slotsWithoutGil = `#include <Python.h>
static PyModuleDef_Slot slots[] = {
    {0, NULL},
};
static struct PyModuleDef mod = { PyModuleDef_HEAD_INIT, .m_name = "_m", .m_slots = slots };
PyMODINIT_FUNC PyInit__m(void) { return PyModuleDef_Init(&mod); }
`;
  const claim = '[project]\nname = "m"\nclassifiers = ["Programming Language :: Python :: Free Threading :: 2 - Beta"]\n';
  const ft034 = rules.find((r) => r.meta.id === 'FT034');
  if (ft034 === undefined) throw new Error('FT034 is registered');

  it('runs a project rule after every file rule, with the facts complete', () => {
    // The pyproject.toml comes first: the project rule still sees the module of the source after it.
    const result = scan([{ path: 'pyproject.toml', text: claim }, { path: 'src/m.c', text: slotsWithoutGil }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['FT034', 'FT008']);
    expect(result.facts.undeclaredModules).toEqual([{ path: 'src/m.c', ruleId: 'FT008' }]);
  });

  it('runs the rules that publish its inputs silently when the project rule is selected alone', () => {
    const result = scan([{ path: 'pyproject.toml', text: claim }, { path: 'src/m.c', text: slotsWithoutGil }], [ft034]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['FT034']);
  });

  it('does not count a module whose finding is suppressed', () => {
    const suppressed = slotsWithoutGil.replace('{0, NULL},', '{0, NULL},  // ftbot: ignore[FT008] declared at build time');
    const result = scan([{ path: 'pyproject.toml', text: claim }, { path: 'src/m.c', text: suppressed }]);
    expect(result.findings).toEqual([]);
    expect(result.facts.undeclaredModules).toEqual([]);
  });

  it('applies one suppression pass to a file both phases visit', () => {
    const ignored = claim.replace('Beta"]', 'Beta"]  # ftbot: ignore[FT034] the port is in review');
    const result = scan([{ path: 'pyproject.toml', text: ignored }, { path: 'src/m.c', text: slotsWithoutGil }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['FT008']);
    expect(result.diagnostics).toEqual([]);
  });

  it('lets a file rule publish a fact it declares, and refuses one it does not', () => {
    const publisher = defineRule({
      meta: { ...(rules[0]?.meta ?? ({} as never)), id: 'FT998', name: 'publishes-modules', fix: 'never', category: 'shared-state' },
      publishes: ['undeclaredModules'],
      check(ctx) {
        ctx.publish('undeclaredModules', { path: ctx.path, ruleId: 'FT998' });
      },
    });
    const sneaky = defineRule({
      meta: { ...(rules[0]?.meta ?? ({} as never)), id: 'FT997', name: 'publishes-undeclared', fix: 'never', category: 'shared-state' },
      check(ctx) {
        ctx.publish('undeclaredModules', { path: ctx.path, ruleId: 'FT997' });
      },
    });
    const result = scan([{ path: 'a.c', text: borrowedLookup }], [publisher, sneaky]);
    expect(result.facts.undeclaredModules).toEqual([{ path: 'a.c', ruleId: 'FT998' }]);
    expect(result.diagnostics).toEqual([
      { kind: 'internal-error', path: 'a.c', message: "FT997 (publishes-undeclared) failed: Error: FT997 published 'undeclaredModules' without listing it in `publishes`" },
    ]);
  });

  it('reports a prefilter that throws as an internal error naming the rule', () => {
    const broken = defineRule({
      meta: { ...(rules[0]?.meta ?? ({} as never)), id: 'FT996', name: 'prefilter-throws', fix: 'never', triggers: [] },
      prefilter() {
        throw new Error('bad offsets');
      },
      check() {},
    });
    const result = scan([{ path: 'a.c', text: borrowedLookup }], [broken]);
    expect(result.diagnostics).toEqual([{ kind: 'internal-error', path: 'a.c', message: 'FT996 (prefilter-throws) failed: Error: bad offsets' }]);
  });
});

describe('scanFiles facts-only project rules', () => {
  const fixtures = 'test/fixtures/rules/ft045-shared-state-written-elsewhere/unity';
  const ft045 = rules.find((r) => r.meta.id === 'FT045');
  if (ft045 === undefined) throw new Error('FT045 is registered');
  const unity = (edit: (module: string) => string = (m) => m) => {
    const reads = new Map<string, number>();
    const loader = (path: string, text: string) => () => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return text;
    };
    const files: ScanInput[] = [
      { path: 'src/module.c', text: loader('src/module.c', edit(readFileSync(`${fixtures}/module.c`, 'utf8'))) },
      { path: 'src/cache_part.c', text: loader('src/cache_part.c', readFileSync(`${fixtures}/cache_part.c`, 'utf8')) },
    ];
    return { files, reads };
  };
  const memoryCache = (): FileCache & { entries: Map<string, CachedFile> } => {
    const entries = new Map<string, CachedFile>();
    // A JSON round trip, as the CLI's cache file gives.
    return { entries, get: (path) => entries.get(path), set: (path, _text, result) => entries.set(path, JSON.parse(JSON.stringify(result)) as CachedFile) };
  };

  it('reports from the published facts without reading any file a second time', () => {
    const { files, reads } = unity();
    const result = scan(files, [ft045]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column} ${f.symbol ?? ''}`)).toEqual(['FT045 src/module.c:9:21 cache']);
    expect([...reads.values()]).toEqual([1, 1]);
  });

  it('gives the finding a file rule at the same place would give (position and fingerprint)', () => {
    const { files } = unity();
    const [fromFacts] = scan(files, [ft045]).findings;
    const text = readFileSync(`${fixtures}/module.c`, 'utf8');
    const at = text.indexOf('object_cache cache;') + 'object_cache '.length;
    const sameSpot = defineRule({
      meta: { ...ft045.meta, triggers: ['object_cache'], fix: 'never' },
      check(ctx) {
        if (ctx.hits.length > 0) ctx.report({ start: at, end: at + 'cache'.length, messageId: 'writtenElsewhere', symbol: 'cache' });
      },
    });
    const [fromText] = scanFiles({ files: [{ path: 'src/module.c', text }], grammars, rules: [sameSpot], config }).findings;
    expect(fromText && { line: fromText.line, column: fromText.column, endColumn: fromText.endColumn, fingerprint: fromText.fingerprint }).toEqual(
      fromFacts && { line: fromFacts.line, column: fromFacts.column, endColumn: fromFacts.endColumn, fingerprint: fromFacts.fingerprint },
    );
  });

  it('applies the file’s suppression comments to its findings, and reports the unused ones', () => {
    const { files } = unity((m) => m.replace('static object_cache cache;', 'static object_cache cache;  // ftbot: ignore[FT045] filled at init').replace('static int calls;', 'static int calls;  // ftbot: ignore[FT045] stale'));
    const result = scan(files, [ft045]);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([{ kind: 'unused-suppression', path: 'src/module.c', line: 10, message: 'unused suppression for FT045' }]);
  });

  it('replays a warm scan from the cache without reading a file, with the same findings and diagnostics', () => {
    const edit = (m: string) => m.replace('static int calls;', 'static int calls;  // ftbot: ignore[FT045] stale');
    const cache = memoryCache();
    const cold = scanFiles({ files: unity(edit).files, grammars, rules: [ft045, ...rules.filter((r) => r.meta.id === 'FT014')], config, cache });
    expect(cache.entries.size).toBe(2);
    const { files, reads } = unity(edit);
    const warm = scanFiles({ files, grammars: {}, rules: [ft045, ...rules.filter((r) => r.meta.id === 'FT014')], config, cache });
    expect(reads.size).toBe(0);
    expect(warm.stats.cachedFiles).toBe(2);
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(cold.findings.filter((f) => f.ruleId === 'FT045').map((f) => f.symbol)).toEqual(['cache']);
  });

  it('turns a report on a file outside the rule’s targets, or a throw, into an internal error', () => {
    const stray = defineRule({
      inputs: ['undeclaredModules'],
      meta: { ...ft045.meta, id: 'FT995', name: 'reports-anywhere', targets: ['c'] },
      checkFacts(ctx) {
        ctx.report({ path: 'pyproject.toml', at: { line: 1, column: 1, endLine: 1, endColumn: 2, lineText: '[project]' }, messageId: 'writtenElsewhere' });
      },
    });
    const throws = defineRule({
      inputs: ['undeclaredModules'],
      meta: { ...ft045.meta, id: 'FT994', name: 'facts-throw', targets: ['c'] },
      checkFacts() {
        throw new Error('no facts');
      },
    });
    const result = scan([{ path: 'pyproject.toml', text: '[project]\nname = "m"\n' }, { path: 'a.c', text: borrowedLookup }], [stray, throws]);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([
      { kind: 'internal-error', path: 'pyproject.toml', message: 'FT995 (reports-anywhere) failed: Error: reported on a file outside its targets' },
      { kind: 'internal-error', path: '.', message: 'FT994 (facts-throw) failed: Error: no facts' },
    ]);
  });
});
