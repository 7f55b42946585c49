import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RdjsonReport } from '../../src/core/report/to-rdjson.js';
import { runScan } from '../helpers/fake-io.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('out');
afterAll(() => projects.removeAll());
const project = projects.create;

const scan = runScan;

const borrowed = 'static PyObject *registry;\nPyObject *lookup(PyObject *key) {\n    return PyDict_GetItem(registry, key);\n}\n';
const twice = 'static PyObject *registry;\nPyObject *lookup(PyObject *key) {\n    PyObject *a = PyDict_GetItem(registry, key);\n    return PyDict_GetItem(registry, a);\n}\n';

describe('output formats', () => {
  const dir = project({ 'm.c': twice, 'n.c': borrowed });

  it('--statistics counts findings per rule', async () => {
    const r = await scan(dir, ['--statistics']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('3  FT001      dict-get-item-borrowed\n');
  });

  it('--format is an alias of --output-format; two different values are refused', async () => {
    const withoutTime = (s: string) => s.replace(/"ms": \d+/, '"ms": 0');
    expect(withoutTime((await scan(dir, ['--format', 'json'])).stdout)).toBe(withoutTime((await scan(dir, ['--output-format', 'json'])).stdout));
    const both = await scan(dir, ['--format', 'json', '--output-format', 'sarif']);
    expect(both.code).toBe(2);
  });

  it('github prints escaped workflow commands', async () => {
    const r = await scan(dir, ['--output-format', 'github']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::warning title=FT001 \(dict-get-item-borrowed\),file=m\.c,line=3,col=19,endLine=3,endColumn=\d+::`PyDict_GetItem` returns /);
  });

  it("rdjson follows reviewdog's diagnostic format", async () => {
    const report = JSON.parse((await scan(dir, ['--output-format', 'rdjson'], { env: { FTBOT_PUBLIC_URL: 'https://ftbot.example.org' } })).stdout) as RdjsonReport;
    expect(report.source).toEqual({ name: 'ftbot', url: 'https://ftbot.example.org' });
    expect(report.diagnostics[0]).toMatchObject({
      location: { path: 'm.c', range: { start: { line: 3, column: 19 } } },
      severity: 'WARNING',
      code: { value: 'FT001' },
    });
    expect(report.diagnostics[0]?.code.url).toBe('https://ftbot.example.org/docs/rules/ft001-dict-get-item-borrowed.md');
    // Without a published site there are no links at all, never a placeholder host.
    const offline = JSON.parse((await scan(dir, ['--output-format', 'rdjson'])).stdout) as RdjsonReport;
    expect(offline.source).toEqual({ name: 'ftbot' });
    expect(offline.diagnostics[0]?.code).toEqual({ value: 'FT001' });
  });

  it('shows a code frame on a terminal, not with --no-code-frame, not when piped', async () => {
    const tty = await scan(dir, ['--select', 'FT001', 'n.c'], { stdoutIsTTY: true });
    expect(tty.stdout).toContain('n.c:3:12: FT001 ');
    expect(tty.stdout).toContain('  3 |     return PyDict_GetItem(registry, key);\n    |            ^^^^^^^^^^^^^^\n');
    expect((await scan(dir, ['n.c', '--no-code-frame'], { stdoutIsTTY: true })).stdout).not.toContain(' | ');
    expect((await scan(dir, ['n.c'])).stdout).not.toContain(' | ');
  });

  it('-q prints only the findings', async () => {
    const r = await scan(dir, ['-q']);
    expect(r.stdout.trimEnd().split('\n').every((l) => /^[mn]\.c:\d+:\d+: FT001 /.test(l))).toBe(true);
    expect((await scan(project({ 'x.c': 'int x;\n' }), ['--quiet'])).stdout).toBe('');
  });

  it('says how to apply fixes, and which need --unsafe-fixes', async () => {
    const slots = '#include <Python.h>\nstatic int e(PyObject *m) { return 0; }\nstatic PyModuleDef_Slot s[] = {\n    {Py_mod_exec, e},\n    {0, NULL}\n};\n';
    const pybind = '#include <pybind11/pybind11.h>\nPYBIND11_MODULE(_x, m) {\n}\n';
    const r = await scan(project({ 'a.c': slots, 'b.cpp': pybind }), ['--select', 'FT008,FT012']);
    expect(r.stdout).toMatch(/fixable with `--unsafe-fixes`/);
    expect(r.stdout).toMatch(/^b\.cpp:2:1: FT012 /m);
  });
});

describe('suppressions through the CLI', () => {
  it('a trailing suppression hides its own line only, and an unused one is reported on stderr by default', async () => {
    const text = [
      'static PyObject *registry;',
      'PyObject *f(PyObject *key) {',
      '    PyObject *a = PyDict_GetItem(registry, key);  // ftbot: ignore[FT001] checked',
      '    return PyDict_GetItem(registry, a);',
      '}',
      'int g(void) { return 0; }  // NOLINT(FT001)',
      '',
    ].join('\n');
    const r = await scan(project({ 'm.c': text }), []);
    expect(r.stdout).toMatch(/^m\.c:4:12: FT001 /m);
    expect(r.stdout).not.toMatch(/^m\.c:3:/m);
    expect(r.stderr).toBe('m.c:6: unused-suppression: unused suppression for FT001\n');
    expect((await scan(project({ 'm.c': text }), ['-q'])).stderr).toBe('');
  });
});

describe('files that are not scanned', () => {
  it('skips generated C with a diagnostic (Cython, SWIG, cffi, mypyc)', async () => {
    const dir = project({
      'a.c': `/* Generated by Cython 3.1.2 */\n${borrowed}`,
      'b.c': `/* ----\n * This file was automatically generated by SWIG (https://www.swig.org).\n */\n${borrowed}`,
      'c.c': `#define _CFFI_\n${borrowed}`,
      'build/__native.c': `#include "CPy.h"\n${borrowed}`,
      'd.c': borrowed,
      // Text outside ASCII before the banner.
      'e.c': `/* Ünïcödé — ©2024 */\n/* This file was automatically generated by SWIG */\n${borrowed}`,
    });
    const r = await scan(dir, ['--verbose']);
    expect(r.stdout).toMatch(/^d\.c:3:12: FT001/m);
    expect(r.stdout).not.toMatch(/^(a|b|c|e)\.c:|__native/m);
    for (const [file, tool] of [['a.c', 'Cython'], ['b.c', 'SWIG'], ['c.c', 'cffi'], ['build/__native.c', 'mypyc'], ['e.c', 'SWIG']]) {
      expect(r.stderr).toContain(`${file}: generated: skipped: generated by ${tool}`);
    }
  });

  it("honours .ignore and the repository's .git/info/exclude, also when run from a subdirectory", async () => {
    const dir = project({
      '.git/info/exclude': 'private/\n',
      '.ignore': 'scratch.c\n',
      '.gitignore': 'build/\n',
      'src/m.c': borrowed,
      'src/build/x.c': borrowed,
      'private/p.c': borrowed,
      'scratch.c': borrowed,
    });
    const paths = (out: string) => [...out.matchAll(/^(\S+):\d+:\d+: FT/gm)].map((m) => m[1]);
    expect(paths((await scan(dir, [])).stdout)).toEqual(['src/m.c']);
    expect(paths((await scan(join(dir, 'src'), [])).stdout)).toEqual(['m.c']);
  });

  it('scans a directory named on the command line even when a parent ignore file lists it, as ripgrep does', async () => {
    const dir = project({
      '.git/info/exclude': '',
      '.gitignore': '.cache/\n*.gen.c\n',
      '.cache/corpus/m.c': borrowed,
      '.cache/corpus/skip.gen.c': borrowed,
      '.cache/corpus/sub/.gitignore': 'old/\n',
      '.cache/corpus/sub/old/o.c': borrowed,
      '.cache/corpus/sub/n.c': borrowed,
    });
    const paths = (out: string) => [...out.matchAll(/^(\S+):\d+:\d+: FT/gm)].map((m) => m[1]);
    // Walking the project, the ignored folder stays out.
    expect(paths((await scan(dir, [])).stdout)).toEqual([]);
    // Named explicitly, it is scanned; its own ignore files still apply below it. The parent's
    // `*.gen.c` goes with the rule set that ignored the named folder itself.
    expect(paths((await scan(dir, ['.cache/corpus'])).stdout)).toEqual(['.cache/corpus/m.c', '.cache/corpus/skip.gen.c', '.cache/corpus/sub/n.c']);
  });

  it('prints file names with escape sequences and newlines as visible escapes (no forged lines)', async () => {
    const dir = project({ 'a\u001b[2Jb\nfake.c:1:1: FT999 x.c': borrowed });
    const r = await scan(dir, []);
    expect(r.stdout).toContain('a\\x1b[2Jb\\x0afake.c:1:1: FT999 x.c:3:12: FT001 ');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout.split('\n').filter((l) => l.includes('FT999'))).toHaveLength(1);
  });
});
