import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRule } from '../../src/core/rules/index.js';
import { runScan } from '../helpers/fake-io.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('fix');
afterAll(() => projects.removeAll());
const project = projects.create;

const scan = (cwd: string, ...args: string[]) => runScan(cwd, args);

// FT008 (slot missing) and FT012 (pybind11 without mod_gil_not_used) both carry fixes; FT012's
// is unsafe. FT008's grade is read from the rule, so the test holds whichever way it is graded.
const slots = '#include <Python.h>\nstatic int tiny_exec(PyObject *m) { return 0; }\nstatic PyModuleDef_Slot tiny_slots[] = {\n    {Py_mod_exec, tiny_exec},\n    {0, NULL}\n};\n';
const pybind = '#include <pybind11/pybind11.h>\nnamespace py = pybind11;\nPYBIND11_MODULE(_example, m) {\n    m.def("x", [] { return 1; });\n}\n';
const ft008Safe = findRule('FT008')?.meta.fix === 'safe';
const files = { 'pyproject.toml': '[tool.ftbot]\nselect = ["FT008", "FT012"]\n', 'src/slots.c': slots, 'src/bind.cpp': pybind };

describe('ftbot scan --diff', () => {
  it('prints a unified diff of the applicable fixes, writes nothing, and exits 1 when there is a change', async () => {
    const dir = project(files);
    const r = await scan(dir, '--diff', '--unsafe-fixes');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- a/src/slots.c\n+++ b/src/slots.c\n@@ ');
    expect(r.stdout).toContain('+    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n');
    expect(r.stdout).toContain('--- a/src/bind.cpp\n+++ b/src/bind.cpp\n');
    expect(r.stdout).toContain('+PYBIND11_MODULE(_example, m, py::mod_gil_not_used()) {\n');
    expect(readFileSync(join(dir, 'src/slots.c'), 'utf8')).toBe(slots);
    expect(readFileSync(join(dir, 'src/bind.cpp'), 'utf8')).toBe(pybind);
  });

  it('leaves unsafe fixes out without --unsafe-fixes, and exits 0 with nothing to change', async () => {
    const dir = project(files);
    const r = await scan(dir, '--diff');
    expect(r.stdout).not.toContain('bind.cpp');
    expect(r.stdout.includes('src/slots.c')).toBe(ft008Safe);
    expect(r.code).toBe(ft008Safe ? 1 : 0);
    const clean = project({ 'm.c': 'int x;\n' });
    expect(await scan(clean, '--diff')).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('ftbot scan --fix', () => {
  it('applies safe fixes only, reports what is left and exits 1 while findings remain', async () => {
    const dir = project(files);
    const r = await scan(dir, '--fix');
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'src/bind.cpp'), 'utf8')).toBe(pybind);
    expect(readFileSync(join(dir, 'src/slots.c'), 'utf8').includes('Py_mod_gil')).toBe(ft008Safe);
    expect(r.stdout).toContain('src/bind.cpp:3:1: FT012 ');
    expect(r.stderr).toMatch(/ftbot: fixed \d+ findings?, \d+ left\n/);
  });

  it('with --unsafe-fixes applies every fix, and a re-scan is clean (exit 0)', async () => {
    const dir = project(files);
    const r = await scan(dir, '--fix', '--unsafe-fixes');
    expect(r.stdout).toBe('No free-threading hazards found.\n');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'src/slots.c'), 'utf8')).toContain('{Py_mod_gil, Py_MOD_GIL_NOT_USED},');
    expect(readFileSync(join(dir, 'src/bind.cpp'), 'utf8')).toContain('PYBIND11_MODULE(_example, m, py::mod_gil_not_used())');
    // A second run has nothing left to do.
    expect(await scan(dir, '--diff', '--unsafe-fixes')).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses --fix with --diff', async () => {
    const r = await scan(project(files), '--fix', '--diff');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give one of them');
  });
});
