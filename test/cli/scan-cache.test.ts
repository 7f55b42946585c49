import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo, runScan } from '../helpers/fake-io.js';
import { tempProjects } from '../helpers/temp-project.js';

const projects = tempProjects('scan-cache');
afterAll(() => projects.removeAll());

const borrowed = 'static PyObject *f(PyObject *d) {\n    return PyDict_GetItemString(d, "k");\n}\n';

function project(): string {
  return projects.create({ 'src/a.c': borrowed, 'src/b.c': borrowed.replace('f(', 'g('), 'pyproject.toml': '[project]\nname = "x"\n' });
}

/** The count of cached files in `--verbose`'s summary line. */
function cachedCount(stderr: string): number | undefined {
  const match = /, (\d+) from the cache, /.exec(stderr);
  return match === null ? undefined : Number(match[1]);
}

describe('ftbot scan and the scan cache', () => {
  it('keeps the cache in .ftbot_cache in the scanned directory by default, tagged and ignored by git', async () => {
    const root = project();
    const first = await runScan(root, ['--verbose'], { env: {} });
    const second = await runScan(root, ['--verbose'], { env: {} });
    expect(cachedCount(first.stderr)).toBe(0);
    expect(cachedCount(second.stderr)).toBe(2);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(first.code);
    expect(readFileSync(join(root, '.ftbot_cache', '.gitignore'), 'utf8')).toContain('\n*\n');
    expect(existsSync(join(root, '.ftbot_cache', 'CACHEDIR.TAG'))).toBe(true);
  });

  it('a replayed scan describes the same rules in SARIF as the scan that filled the cache', async () => {
    const root = project();
    const first = await runScan(root, ['--format', 'sarif', '--select', 'FT001,FT016'], { env: {} });
    const second = await runScan(root, ['--format', 'sarif', '--select', 'FT001,FT016', '--verbose'], { env: {} });
    expect(cachedCount(second.stderr)).toBe(2);
    const ruleIds = (out: string): string[] => (JSON.parse(out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } } }> }).runs[0]?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(ruleIds(first.stdout)).toEqual(['FT001', 'FT016']);
    expect(ruleIds(second.stdout)).toEqual(ruleIds(first.stdout));
    expect(second.stdout).toBe(first.stdout);
  });

  it('uses the scanned directory named on the command line, not the working directory', async () => {
    const root = project();
    await runScan(join(root, '..'), [root], { env: {} });
    expect(existsSync(join(root, '.ftbot_cache', 'CACHEDIR.TAG'))).toBe(true);
  });

  it('--no-cache neither reads nor writes a cache', async () => {
    const root = project();
    await runScan(root, [], { env: {} });
    const again = await runScan(root, ['--no-cache', '--verbose'], { env: {} });
    expect(cachedCount(again.stderr)).toBe(0);
    const other = project();
    await runScan(other, ['--no-cache'], { env: {} });
    expect(existsSync(join(other, '.ftbot_cache'))).toBe(false);
  });

  it('--cache-dir and FTBOT_CACHE_DIR move the cache; the flag wins', async () => {
    const root = project();
    await runScan(root, ['--cache-dir', 'here'], { env: { FTBOT_CACHE_DIR: join(root, 'env') } });
    expect(existsSync(join(root, 'here', 'CACHEDIR.TAG'))).toBe(true);
    expect(existsSync(join(root, 'env'))).toBe(false);
    const fromEnv = await runScan(root, ['--verbose'], { env: { FTBOT_CACHE_DIR: join(root, 'env') } });
    expect(cachedCount(fromEnv.stderr)).toBe(0);
    expect(existsSync(join(root, 'env', 'CACHEDIR.TAG'))).toBe(true);
    expect(existsSync(join(root, '.ftbot_cache'))).toBe(false);
  });

  it('warns once on stderr about a damaged cache file, scans everything again and repairs it', async () => {
    const root = project();
    const cold = await runScan(root, [], { env: {} });
    const folder = join(root, '.ftbot_cache', 'v5');
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), 'not a cache');
    const damaged = await runScan(root, ['--verbose'], { env: {} });
    expect(damaged.stderr).toMatch(/^ftbot: warning: the scan cache .* is damaged: ignored it, scanning every file again and rewriting it$/m);
    expect(cachedCount(damaged.stderr)).toBe(0);
    expect(damaged.stdout).toBe(cold.stdout);
    expect(damaged.code).toBe(cold.code);
    const repaired = await runScan(root, ['--verbose'], { env: {} });
    expect(repaired.stderr).not.toMatch(/warning/);
    expect(cachedCount(repaired.stderr)).toBe(2);
    // -q prints the findings only.
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), 'not a cache');
    expect((await runScan(root, ['-q'], { env: {} })).stderr).toBe('');
  });

  it('refuses --no-cache with --cache-dir (exit 2)', async () => {
    const { code, stderr } = await runScan(project(), ['--no-cache', '--cache-dir', 'x']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--no-cache and --cache-dir/);
  });

  it('--fix re-scans the files it rewrote, not their cached results', async () => {
    const root = projects.create({ 'm.c': 'static PyObject *f(PyObject *r) {\n    return PyWeakref_GetObject(r);\n}\n' });
    const fixed = await runScan(root, ['--fix', '--unsafe-fixes'], { env: {} });
    const after = await runScan(root, [], { env: {} });
    const uncached = await runScan(root, ['--no-cache'], { env: {} });
    expect(fixed.stdout).toBe(uncached.stdout);
    expect(after.stdout).toBe(uncached.stdout);
  });
});

describe('ftbot hook and the scan cache', () => {
  it('keeps the cache in the project root', async () => {
    const root = project();
    const fake = createFakeIo({ cwd: join(root, 'src'), env: {} });
    const code = await execute(['hook', 'a.c'], fake.io);
    expect(code).toBe(1);
    expect(existsSync(join(root, '.ftbot_cache', 'CACHEDIR.TAG'))).toBe(true);
  });
});

describe('ftbot scan --format json and the rendered findings it keeps', () => {
  const mod = (name: string): string =>
    `#include <Python.h>\nstatic PyObject *get(PyObject *self, PyObject *d) {\n    return PyDict_GetItemString(d, "${name}");\n}\n` +
    `static struct PyModuleDef def = { PyModuleDef_HEAD_INIT, "${name}", NULL, -1, NULL };\nPyMODINIT_FUNC PyInit_${name}(void) { return PyModule_Create(&def); }\n`;
  /** A module without `Py_mod_gil` (a finding with a fix) and a static array two functions share (non-ASCII messages, related places). */
  const slots = `#include <Python.h>\nstatic int counter_exec(PyObject *m) { return PyModule_AddIntConstant(m, "V", 2); }\nstatic PyModuleDef_Slot counter_slots[] = {\n    {Py_mod_exec, counter_exec},\n    {0, NULL}\n};\nstatic struct PyModuleDef counter_module = { PyModuleDef_HEAD_INIT, .m_name = "counter", .m_size = 0, .m_slots = counter_slots };\nPyMODINIT_FUNC PyInit_counter(void) { return PyModuleDef_Init(&counter_module); }\n`;
  const shared = `#include <Python.h>\nstatic int table[4];\nstatic PyObject *bump(PyObject *self, PyObject *arg) {\n    table[PyLong_AsLong(arg)] += 1;\n    Py_RETURN_NONE;\n}\nstatic PyObject *peek(PyObject *self, PyObject *arg) {\n    return PyLong_FromLong(table[PyLong_AsLong(arg)]);\n}\nstatic PyMethodDef methods[] = {{"bump", bump, METH_O, NULL}, {"peek", peek, METH_O, NULL}, {NULL}};\n`;
  /** Sets every file's times two minutes back, so the scan trusts their stats and records the scan. */
  const age = (root: string): void => {
    const past = new Date(Date.now() - 120_000);
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === '.ftbot_cache') continue;
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else utimesSync(path, past, past);
      }
    };
    walk(root);
  };
  const reportFile = (root: string): string | undefined => {
    const folder = join(root, '.ftbot_cache', 'v5');
    const name = existsSync(folder) ? readdirSync(folder).find((n) => n.endsWith('.report')) : undefined;
    return name === undefined ? undefined : join(folder, name);
  };
  /** The report without its timing, which differs from run to run. */
  const untimed = (out: string): string => out.replace(/"ms": \d+/, '"ms": 0');
  /** A cached scan and an uncached one print the same report and exit with the same code. */
  async function expectSameAsUncached(root: string, args: string[] = []): Promise<string> {
    const cached = await runScan(root, ['--format', 'json', ...args], { env: {} });
    const uncached = await runScan(root, ['--format', 'json', '--no-cache', ...args], { env: {} });
    expect(untimed(cached.stdout)).toBe(untimed(uncached.stdout));
    expect(cached.code).toBe(uncached.code);
    return cached.stdout;
  }

  it('prints what it rendered before when nothing changed, byte for byte, fixes and non-ASCII text included', async () => {
    const root = projects.create({ 'src/a.c': mod('a'), 'src/slots.c': slots, 'src/shared.c': shared, 'pyproject.toml': '[project]\nname = "x"\n' });
    age(root);
    const first = await expectSameAsUncached(root, ['--select', 'ALL']);
    const file = reportFile(root);
    expect(file).toBeDefined();
    const kept = readFileSync(file ?? '');
    const findings = (JSON.parse(first) as { findings: Array<{ fix?: unknown; related?: unknown; message: string }> }).findings;
    expect(findings.some((f) => f.fix !== undefined)).toBe(true);
    expect(findings.some((f) => f.related !== undefined)).toBe(true);
    expect(findings.some((f) => /[^ -~]/.test(f.message))).toBe(true);
    const again = await runScan(root, ['--format', 'json', '--select', 'ALL', '--verbose'], { env: {} });
    expect(untimed(again.stdout)).toBe(untimed(first));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/ 0 parsed, 3 from the cache/);
    expect(readFileSync(file ?? '')).toEqual(kept);
    // The same report goes to a file with -o.
    const written = await runScan(root, ['--format', 'json', '--select', 'ALL', '-o', 'report.json'], { env: {} });
    expect(written.stdout).toBe('');
    expect(untimed(readFileSync(join(root, 'report.json'), 'utf8'))).toBe(untimed(first));
  });

  it('renders again after a change to a file, its stat, the file list or the settings, never printing stale findings', async () => {
    const root = projects.create({ 'src/a.c': mod('a'), 'src/b.c': mod('b'), 'src/edit.c': mod('edit'), 'pyproject.toml': '[project]\nname = "x"\n' });
    age(root);
    const edit = join(root, 'src/edit.c');
    /** Writes a file and sets its times back, touching nothing else (setting times changes a file's ctime). */
    const write = (path: string, text: string): void => {
      writeFileSync(join(root, path), text);
      const past = new Date(Date.now() - 120_000);
      utimesSync(join(root, path), past, past);
    };
    // Every step but a touch changes what is printed.
    const steps: Array<[string, () => void, string[]?]> = [
      ['content, same size and times', () => {
        const before = statSync(edit);
        writeFileSync(edit, mod('edit').replace('PyDict_GetItemString', 'PyDict_GetItemStrinX'));
        utimesSync(edit, before.atime, before.mtime);
      }],
      ['size', () => write('src/edit.c', `${mod('edit')}\n`)],
      ['modification time only', () => utimesSync(edit, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))],
      ['a file added', () => write('src/c.c', mod('c'))],
      ['a file renamed', () => renameSync(join(root, 'src/c.c'), join(root, 'src/d.c'))],
      ['a file removed', () => rmSync(join(root, 'src/d.c'))],
      // `.ftbot.toml` is not scanned: the recorded result replays, and these settings drop findings from it.
      ['per-file ignores in the configuration', () => write('.ftbot.toml', '[per-file-ignores]\n"src/a.c" = ["FT001"]\n')],
      ['other per-file ignores', () => write('.ftbot.toml', '[per-file-ignores]\n"src/b.c" = ["FT001"]\n')],
      ['an exclusion in the configuration', () => write('.ftbot.toml', 'extend-exclude = ["src/b.c"]\n')],
      ['the configuration removed', () => rmSync(join(root, '.ftbot.toml'))],
      ['an ignored rule', () => undefined, ['--ignore', 'FT001']],
      ['the rule set', () => undefined, ['--select', 'FT001']],
      ['a confidence threshold', () => undefined, ['--select', 'ALL', '--min-confidence', 'high']],
    ];
    let previous = untimed(await expectSameAsUncached(root));
    expect(untimed(await expectSameAsUncached(root))).toBe(previous);
    for (const [name, change, args = []] of steps) {
      change();
      const now = untimed(await expectSameAsUncached(root, args));
      if (!name.startsWith('modification time')) expect(now, name).not.toBe(previous);
      // Recorded now (if it was not already): the next run replays it and prints the kept findings.
      expect(untimed(await expectSameAsUncached(root, args)), name).toBe(now);
      previous = now;
    }
  });

  it('prints a kept report without the recorded result, and never a report or result of another scan', async () => {
    // The pyproject claims free-threading support the module contradicts: FT034, found only with it in the scan.
    const claims = '[project]\nname = "x"\nclassifiers = ["Programming Language :: Python :: Free Threading :: 2 - Beta"]\n';
    const root = projects.create({ 'src/a.c': mod('a'), 'src/slots.c': slots, 'pyproject.toml': claims });
    age(root);
    const findingsOf = (report: string): unknown => (JSON.parse(report) as { findings: unknown }).findings;
    // One cache folder for a scan of the tree and one of src/ alone: the same key, so each writes over the other's files.
    const cache = join(root, 'shared-cache');
    const scanOf = async (path: string): Promise<string> => {
      const cached = await runScan(root, ['--format', 'json', '--cache-dir', cache, path], { env: {} });
      const uncached = await runScan(root, ['--format', 'json', '--no-cache', path], { env: {} });
      expect(untimed(cached.stdout)).toBe(untimed(uncached.stdout));
      return untimed(cached.stdout);
    };
    const whole = await scanOf('.');
    await scanOf('.');
    const folder = join(cache, 'v5');
    const named = (ext: string): string => join(folder, readdirSync(folder).find((n) => n.endsWith(ext)) ?? '');
    const [record, result, report] = [named('.last'), named('.result'), named('.report')];
    const kept = new Map([record, result, report].map((f) => [f, readFileSync(f)]));
    // The kept report answers alone: the result file is not needed, not even read.
    rmSync(result);
    expect(await scanOf('.')).toBe(whole);
    expect(existsSync(result)).toBe(false);
    const onlySrc = await scanOf('src');
    expect(findingsOf(onlySrc)).not.toEqual(findingsOf(whole));
    expect(whole).toContain('"FT034"');
    // The tree's record and report with src/'s result (two scans at once): the report is the tree's own.
    writeFileSync(record, kept.get(record) ?? '');
    writeFileSync(report, kept.get(report) ?? '');
    expect(await scanOf('.')).toBe(whole);
    // Without the report, the mismatched result is refused: the tree is scanned, not src/'s findings printed.
    await scanOf('src');
    writeFileSync(record, kept.get(record) ?? '');
    rmSync(report);
    expect(await scanOf('.')).toBe(whole);
    // And the text report, which reads the findings, refuses it too.
    await scanOf('src');
    writeFileSync(record, kept.get(record) ?? '');
    const text = await runScan(root, ['--cache-dir', cache, '--no-code-frame', '.'], { env: {} });
    expect(text.stdout).toBe((await runScan(root, ['--no-cache', '--no-code-frame', '.'], { env: {} })).stdout);
  });

  it('ignores a damaged or foreign file of rendered findings and renders them again', async () => {
    const root = projects.create({ 'src/a.c': mod('a'), 'pyproject.toml': '[project]\nname = "x"\n' });
    age(root);
    const first = untimed(await expectSameAsUncached(root));
    const file = reportFile(root) ?? '';
    const text = readFileSync(file, 'latin1');
    for (const damaged of [text.slice(0, text.length - 10), text.replace('"FT', '"XT'), text.replace(/^(\S+ \S+ \S+ )\S/, '$1x'), '']) {
      writeFileSync(file, damaged, 'latin1');
      expect(untimed(await expectSameAsUncached(root))).toBe(first);
    }
    expect(readFileSync(file, 'latin1')).toBe(text);
  });
});
