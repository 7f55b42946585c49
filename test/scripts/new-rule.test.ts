import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../src/core/engine/define-rule.js';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { newRule, nextRuleId } from '../../scripts/new-rule.js';
import { repoRoot } from '../helpers/rule-docs.js';

/** Every file below `dir` with its content, by path relative to `root`. */
function snapshotTree(root: string, dir = root, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) snapshotTree(root, full, into);
    else into.set(relative(root, full), readFileSync(full, 'utf8'));
  }
  return into;
}

describe('npm run new-rule', () => {
  let copy: string;
  let grammars: Grammars;
  beforeAll(async () => {
    // A copy of the parts a rule lives in; node_modules linked so the copied rules can load.
    copy = mkdtempSync(join(tmpdir(), 'ftbot-new-rule-'));
    for (const part of ['src', 'docs/rules', 'test/fixtures/rules', 'README.md']) cpSync(join(repoRoot, part), join(copy, part), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
    grammars = await loadGrammars();
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('picks the id after the highest one', () => {
    expect(nextRuleId(['ft001-a-b.ts', 'ft034-c-d.ts', 'index.ts'])).toBe('FT035');
  });

  it('adds a rule by writing only its own files and regenerating the rule artefacts', async () => {
    const before = snapshotTree(copy);
    const written = await newRule({ name: 'example-hazard', category: 'shared-state', trigger: 'PyExample_Call' }, copy);
    const after = snapshotTree(copy);
    const changed = [...after.keys()].filter((path) => before.get(path) !== after.get(path)).sort();
    const id = nextRuleId(readdirSync(join(repoRoot, 'src', 'core', 'rules')));
    const base = `${id.toLowerCase()}-example-hazard`;
    expect(written).toEqual([`src/core/rules/${base}.ts`, `docs/rules/${base}.md`, `test/fixtures/rules/${base}/calls.c`]);
    // Generated: the registry and the two rule tables. No hand-written shared file changes.
    expect(changed).toEqual([...written, 'README.md', 'docs/rules/README.md', 'src/core/rules/registry.ts', 'src/core/rules/rule-table.ts'].sort());
    expect([...before.keys()].filter((path) => !after.has(path))).toEqual([]);

    // The copy's registry holds the new rule, and it finds what its fixture marks.
    const { rules } = (await import(pathToFileURL(join(copy, 'src/core/rules/registry.ts')).href)) as { rules: readonly Rule[] };
    const rule = rules.find((r) => r.meta.id === id);
    expect(rule?.meta).toMatchObject({ name: 'example-hazard', category: 'shared-state', preview: true });
    expect(rules.map((r) => r.meta.id)).toEqual([...rules.map((r) => r.meta.id)].sort());
    const text = after.get(`test/fixtures/rules/${base}/calls.c`) ?? '';
    const result = scanFiles({ files: [{ path: 'calls.c', text }], grammars, rules: rule === undefined ? [] : [rule], config: { maxFileSize: 100_000, minSeverity: 'info' } });
    const expectLine = text.split('\n').findIndex((line) => line.includes(`expect: ${id}`)) + 1;
    expect(result.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([[id, expectLine, 12]]);
    expect(after.get('docs/rules/README.md')).toContain(`[${id}](${base}.md)`);
    expect(after.get('README.md')).toContain(`| ${id} | example-hazard (preview) | shared-state |`);
    expect(after.get('src/core/rules/rule-table.ts')).toContain(`{ meta: { id: '${id}', name: 'example-hazard', category: 'shared-state', preview: true } },`);
  });

  it('refuses a name that is taken, and a category it does not know', async () => {
    await expect(newRule({ name: 'dict-get-item-borrowed', category: 'borrowed-reference', trigger: 'PyDict_GetItem' }, copy)).rejects.toThrow(/taken/);
    await expect(newRule({ name: 'other-hazard', category: 'nonsense' as never, trigger: 'PyX' }, copy)).rejects.toThrow(/unknown category/);
  });
});
