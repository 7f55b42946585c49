import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCSharedState } from '../../../src/core/analysis/shared-state/analyze-c.js';
import { blankText } from '../../../src/core/analysis/shared-state/blank-text.js';
import { cFileModel } from '../../../src/core/analysis/shared-state/c-model.js';
import { gilOnlyRanges } from '../../../src/core/analysis/shared-state/gil-ranges.js';
import { lockHeldAt } from '../../../src/core/analysis/shared-state/locks.js';
import { scanFiles, type Grammars } from '../../../src/core/engine/scan-files.js';
import { findRule } from '../../../src/core/rules/index.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtureRoot = join(here, '..', '..', 'fixtures', 'rules');
const config = { maxFileSize: 5_000_000, minSeverity: 'info' as const };

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

describe('shared-state analysis', () => {
  it('reads no syntax tree: the same findings scanning by segments and whole files, with nothing parsed', () => {
    // Every C and C++ fixture of the shared-state rules, among them a file with unbalanced braces
    // (which the engine would parse whole). The rules read only the text (`needsTree: false`).
    const files = ['ft014-static-global-write', 'ft015-object-field-unlocked', 'ft021-shared-state-read'].flatMap((folder) =>
      readdirSync(join(fixtureRoot, folder))
        .filter((name) => /\.(c|cpp)$/.test(name))
        .map((name) => ({ path: `${folder}/${name}`, text: readFileSync(join(fixtureRoot, folder, name), 'utf8') })),
    );
    const rules = ['FT014', 'FT015', 'FT021'].map((id) => findRule(id)).filter((r) => r !== undefined);
    const bySegments = scanFiles({ files, grammars, rules, config });
    const whole = scanFiles({ files, grammars, rules, config, wholeFiles: true });
    expect(bySegments.findings.length).toBeGreaterThan(20);
    expect(whole.findings).toEqual(bySegments.findings);
    expect(bySegments.stats).toMatchObject({ parsedFiles: 0, parsedBytes: 0 });
    expect(whole.stats).toMatchObject({ parsedFiles: 0, parsedBytes: 0 });
  });

  it('attaches the declaration and the other writes as related locations', () => {
    const text = [
      'static int hits;',
      'static PyObject *a(PyObject *m, PyObject *x) { hits++; Py_RETURN_NONE; }',
      'static PyObject *b(PyObject *m, PyObject *x) { hits = 0; Py_RETURN_NONE; }',
      'static PyMethodDef methods[] = {{"a", a, METH_O, NULL}, {"b", b, METH_O, NULL}, {NULL}};',
    ].join('\n');
    const { findings } = scanFiles({ files: [{ path: 'm.c', text }], grammars, rules: [findRule('FT014')].filter((r) => r !== undefined), config });
    // FT014 reports the variable once, at its declaration, with the writes as related places.
    expect(findings.map((f) => [f.line, f.message.split(';')[0]])).toEqual([[1, 'Shared static `hits` is written without a lock in `a` and `b`']]);
    expect(findings[0]?.confidence).toBe('medium');
    expect(findings[0]?.related).toEqual([
      { path: 'm.c', line: 2, column: 48, message: '`hits` read-modify-write in `a`' },
      { path: 'm.c', line: 3, column: 48, message: '`hits` written without a lock in `b`' },
    ]);
    // The analysis keeps one report per variable and function, each with its own related places.
    const writes = analyzeCSharedState(text).writes;
    expect(writes.map((w) => [w.kind, w.function, w.related.map((r) => r.message)])).toEqual([
      ['counter', 'a', ['`hits` declared here', 'also written in `b`']],
      ['write', 'b', ['`hits` declared here', 'also written in `a`']],
    ]);
  });

  it('blanks comments and string contents without moving offsets', () => {
    const text = 'x = 1; /* x++ */ s = "x = 2"; // y\n';
    const clean = blankText(text);
    expect(clean.length).toBe(text.length);
    expect(clean.includes('x++')).toBe(false);
    expect(clean.startsWith('x = 1;')).toBe(true);
    expect(clean.includes('s = "     ";')).toBe(true);
    expect(blankText("a = 1  # b = 2\ns = 'c'\n", true)).toBe("a = 1         \ns = ' '\n");
  });

  it('marks the arms compiled only with the GIL', () => {
    const text = '#ifdef Py_GIL_DISABLED\nfirst\n#else\nsecond\n#endif\n#ifndef Py_GIL_DISABLED\nthird\n#endif\n#if defined(X)\nfourth\n#endif\n';
    const ranges = gilOnlyRanges(text);
    const covered = (s: string): boolean => ranges.some(([a, b]) => text.indexOf(s) >= a && text.indexOf(s) < b);
    expect(['first', 'second', 'third', 'fourth'].map(covered)).toEqual([false, true, true, false]);
  });

  it('recognises lock pairs on one object and ignores unrelated calls', () => {
    const macros = { open: new Set<string>(), close: new Set<string>() };
    const held = (body: string): boolean => lockHeldAt(body, 0, body.indexOf('HERE'), macros);
    expect(held('SDL_LockMutex(m); HERE')).toBe(true);
    expect(held('SDL_LockMutex(m); SDL_UnlockMutex(m); HERE')).toBe(false);
    expect(held('mtx.lock(); HERE')).toBe(true);
    expect(held('Py_BEGIN_ALLOW_THREADS HERE')).toBe(false);
    expect(held('block_size(n); clock(); HERE')).toBe(false);
    expect(held('PyThread_allocate_lock(); HERE')).toBe(false);
    expect(held('{ std::lock_guard<std::mutex> g(m); } HERE')).toBe(false);
    expect(held('{ std::lock_guard<std::mutex> g(m); HERE')).toBe(true);
  });

  it('models entry points, init-only code and declarations', () => {
    const text = [
      'int plain;',
      'static struct { int n; } arena;',
      'static const int limit = 3;',
      'static int helper(void);',
      'static void h(void) { plain = 1; }',
      'static PyObject *f(PyObject *m, PyObject *a) { h(); return NULL; }',
      'static int ex(PyObject *m) { arena.n = 0; return 0; }',
      'static PyMethodDef methods[] = {{"f", f, METH_O, NULL}, {NULL}};',
      'static PyModuleDef_Slot slots[] = {{Py_mod_exec, ex}, {0, NULL}};',
    ].join('\n');
    const model = cFileModel(text);
    expect([...model.shared.keys()].sort()).toEqual(['arena', 'plain']);
    expect(model.reached.get('h')).toEqual({ entry: 'f', via: 'the `PyMethodDef` table `methods`' });
    expect([...model.initOnly]).toEqual(['ex']);
    expect(analyzeCSharedState(text).writes.map((w) => w.path)).toEqual(['plain']);
  });
});
