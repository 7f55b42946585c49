import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../helpers/fake-io.js';
import { tempProjects } from '../helpers/temp-project.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const spamext = join(root, 'examples', 'spamext');
const projects = tempProjects('config');
afterAll(() => projects.removeAll());
const project = projects.create;

const scan = (cwd: string, ...args: string[]) => runScan(cwd, args);

/** `path:FTnnn:line` of every finding in the JSON report, paths relative to the scan's cwd. */
async function findingsOf(cwd: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await scan(cwd, '--output-format', 'json', ...args);
  return (JSON.parse(stdout) as { findings: Array<{ path: string; ruleId: string; line: number }> }).findings.map((f) => `${f.path}:${f.ruleId}:${f.line}`);
}

const borrowed = 'static PyObject *registry;\nPyObject *lookup(PyObject *key) {\n    return PyDict_GetItem(registry, key);\n}\n';

describe('rule selection typos fail loudly', () => {
  it('exits 2 for an unknown id on the command line, with the closest id', async () => {
    const r = await scan(spamext, '--select', 'FT999');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown rule selector 'FT999' (did you mean 'FT009'?)");
    expect((await scan(spamext, '--ignore', 'FT08')).stderr).toContain("unknown rule selector 'FT08' (did you mean 'FT008'?)");
  });

  it('exits 2 for an unknown id in the configuration, with file, line and column', async () => {
    const dir = project({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.ftbot]\nignore = ["FT999"]\n', 'm.c': borrowed });
    const r = await scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ftbot: invalid configuration: pyproject.toml:5:1: ignore.0: unknown rule selector 'FT999' (did you mean 'FT009'?)\n");
  });

  it('reads ids in the configuration case-insensitively', async () => {
    const dir = project({ '.ftbot.toml': 'select = ["ft001"]\n', 'm.c': borrowed });
    expect(await findingsOf(dir)).toEqual(['m.c:FT001:3']);
  });
});

describe('configuration discovery', () => {
  it('gives the same findings for examples/spamext from its root, from a subdirectory and from above', async () => {
    const inside = await findingsOf(spamext);
    // From src/, paths are relative to src/: `../pyproject.toml`, `spam/legacy.c`.
    const fromSrc = (await findingsOf(join(spamext, 'src'), '..')).map((f) => (f.startsWith('../') ? f.slice(3) : `src/${f}`));
    const fromAbove = (await findingsOf(root, 'examples/spamext')).map((f) => f.replace(/^examples\/spamext\//, ''));
    expect(inside.length).toBeGreaterThan(0);
    expect(fromSrc).toEqual(inside);
    expect(fromAbove).toEqual(inside);
    // Its [tool.ftbot] selects ALL: preview rules ran from every starting point.
    expect(fromAbove.some((f) => f.includes(':FT014:'))).toBe(true);
  });

  it('uses the nearest configuration for each file, and a pyproject.toml without [tool.ftbot] is skipped', async () => {
    const dir = project({
      'pyproject.toml': '[tool.ftbot]\nignore = ["FT001"]\n',
      'a/m.c': borrowed,
      'b/pyproject.toml': '[tool.ftbot]\nselect = ["FT001"]\n',
      'b/m.c': borrowed,
      'c/pyproject.toml': '[project]\nname = "c"\n',
      'c/m.c': borrowed,
    });
    expect(await findingsOf(dir)).toEqual(['b/m.c:FT001:3']);
    expect(await findingsOf(join(dir, 'c'))).toEqual([]);
  });

  it('reads .github/ftbot.yml after pyproject.toml, the YAML winning as in the app', async () => {
    const dir = project({
      'pyproject.toml': '[tool.ftbot]\nselect = ["FT016"]\n',
      '.github/ftbot.yml': 'select: [FT001]\n',
      'm.c': borrowed,
    });
    expect(await findingsOf(dir)).toEqual(['m.c:FT001:3']);
    const bad = project({ '.github/ftbot.yml': 'select: [FT001]\nmin-confidance: high\n', 'm.c': borrowed });
    const r = await scan(bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(".github/ftbot.yml:2:1: min-confidance: unknown key 'min-confidance' (did you mean 'min-confidence'?)");
  });

  it('prefers .ftbot.toml to pyproject.toml in the same directory', async () => {
    const dir = project({ 'pyproject.toml': '[tool.ftbot]\nignore = ["FT001"]\n', '.ftbot.toml': 'select = ["FT001"]\n', 'm.c': borrowed });
    expect(await findingsOf(dir)).toEqual(['m.c:FT001:3']);
  });

  it('applies per-file-ignores, extend-select and extend-exclude relative to the configuration file', async () => {
    const dir = project({
      'pyproject.toml': [
        '[tool.ftbot]',
        'select = ["FT001"]',
        'extend-select = ["FT016"]',
        'extend-exclude = ["third_party/"]',
        '[tool.ftbot.per-file-ignores]',
        '"tests/**" = ["FT001"]',
        '',
      ].join('\n'),
      'src/m.c': `${borrowed}char *t(char *s) { return strtok(s, ","); }\n`,
      'tests/t.c': borrowed,
      'third_party/v.c': borrowed,
    });
    expect(await findingsOf(dir)).toEqual(['src/m.c:FT001:3', 'src/m.c:FT016:5']);
  });

  it('reports a TOML syntax error with its line and column', async () => {
    const dir = project({ 'pyproject.toml': '[tool.ftbot]\nselect = ["FT001"\n', 'm.c': borrowed });
    const r = await scan(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ftbot: invalid configuration: pyproject\.toml:\d+:\d+: /);
  });
});
