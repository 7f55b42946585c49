import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleCategories } from '../../src/core/engine/define-rule.js';
import { rules } from '../../src/core/rules/index.js';
import { README_END, README_START, REGISTRY_PATH, RULE_TABLE_PATH, RULES_INDEX_PATH, renderReadmeTable, renderRegistry, renderRuleTable, renderRulesIndex } from '../../scripts/generate-rules.js';
import { docsPathOf, readRuleDoc, repoRoot, ruleFileName } from '../helpers/rule-docs.js';

/**
 * The contract every registered rule keeps (STYLE B4, B12): file and docs named after id and name,
 * a sorted registry, messages in house style, fixtures with both kinds of marks, and a docs page
 * with the required sections in order. A missing docs page fails here on purpose.
 */

const requiredSections = ['What it does', 'Why it matters without the GIL', 'Example', 'Use instead'];
const sectionOrder = [...requiredSections, 'Known problems', 'Fix safety', 'Options', 'References'];

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === '__snapshots__' ? [] : filesBelow(full);
    return [full];
  });
}

describe('the rule registry', () => {
  it('holds ids of the form FTnnn, each once', () => {
    const ids = rules.map((r) => r.meta.id);
    for (const id of ids) expect(id).toMatch(/^FT\d{3}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds kebab-case names, each once', () => {
    const names = rules.map((r) => r.meta.name);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lets a rule subsume only other registered rules, never in both directions', () => {
    const ids = new Set(rules.map((r) => r.meta.id));
    const subsumes = new Map(rules.map((r) => [r.meta.id, r.meta.subsumes ?? []]));
    for (const [id, others] of subsumes) {
      for (const other of others) {
        expect(ids.has(other), `${id} subsumes unknown ${other}`).toBe(true);
        expect(other, `${id} subsumes itself`).not.toBe(id);
        expect(subsumes.get(other), `${id} and ${other} subsume each other`).not.toContain(id);
      }
    }
    expect(subsumes.get('FT004')).toEqual(['FT001', 'FT002', 'FT017']);
  });

  it('is sorted by id', () => {
    const ids = rules.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('registers every rule file in src/core/rules', () => {
    const files = readdirSync(join(repoRoot, 'src', 'core', 'rules')).filter((f) => /^ft\d{3}-.*\.ts$/.test(f)).sort();
    expect(files).toEqual(rules.map((r) => `${ruleFileName(r)}.ts`).sort());
  });
});

describe('the generated rule artefacts', () => {
  // `npm run generate` writes these and `check:clean` fails when they are stale; this says which.
  it('registry.ts imports every rule file', () => {
    expect(readFileSync(join(repoRoot, REGISTRY_PATH), 'utf8')).toBe(renderRegistry(readdirSync(join(repoRoot, 'src', 'core', 'rules'))));
  });

  it("rule-table.ts has every rule's selection fields from its meta", () => {
    expect(readFileSync(join(repoRoot, RULE_TABLE_PATH), 'utf8')).toBe(renderRuleTable(rules));
  });

  it('docs/rules/README.md lists every rule from its meta', () => {
    expect(readFileSync(join(repoRoot, RULES_INDEX_PATH), 'utf8')).toBe(renderRulesIndex(rules));
  });

  it("the README's rule table lists every rule from its meta", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(README_START) + README_START.length, readme.indexOf(README_END));
    expect(table.trim()).toBe(renderReadmeTable(rules));
  });
});

describe.each(rules.map((rule) => [rule.meta.id, rule] as const))('%s', (_id, rule) => {
  const { meta } = rule;

  it('lives in a file named after its id and name', () => {
    expect(existsSync(join(repoRoot, 'src', 'core', 'rules', `${ruleFileName(rule)}.ts`))).toBe(true);
  });

  it('writes messages and help lines in house style', () => {
    const lines = [...Object.values(meta.messages), ...Object.values(meta.help)] as string[];
    for (const line of lines) {
      expect(line, line).toMatch(/^[`A-Z]/);
      expect(line, line).not.toMatch(/\.\s*$/);
      expect(line, line).not.toContain('\n');
    }
    // Titles may start with a project's own lower-case name (`pybind11 module without …`).
    expect(meta.title).not.toMatch(/\.\s*$/);
    expect(meta.title).not.toContain('\n');
  });

  it('declares a known category and a one-line why', () => {
    expect(ruleCategories).toContain(meta.category);
    expect(meta.why).toMatch(/^[`A-Z].*\.$/);
    expect(meta.why).not.toContain('\n');
  });

  it('has a help line for every message id, and no help without a message', () => {
    expect(Object.keys(meta.help).sort()).toEqual(Object.keys(meta.messages).sort());
  });

  it('uses only the placeholders its reports can fill', () => {
    // A `{{name}}` in help must also be fillable: every placeholder is a plain word.
    for (const line of [...Object.values(meta.messages), ...Object.values(meta.help)] as string[]) {
      for (const m of line.matchAll(/\{\{([^}]*)\}\}/g)) expect(m[1]).toMatch(/^\w+$/);
    }
  });

  it('has a trigger list or a prefilter, or reads only facts', () => {
    expect(meta.triggers.length > 0 || rule.prefilter !== undefined || rule.checkFacts !== undefined).toBe(true);
  });

  it('has fixtures with at least one `expect:` and one `ok:` mark', () => {
    const dir = join(repoRoot, 'test', 'fixtures', 'rules', ruleFileName(rule));
    expect(existsSync(dir), `missing ${dir}`).toBe(true);
    const text = filesBelow(dir)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(text).toMatch(new RegExp(`\\bexpect:\\s*(FT\\d{3}(:\\d+)?\\s*,\\s*)*${meta.id}\\b`));
    expect(text).toMatch(new RegExp(`\\bok:\\s*(FT\\d{3}\\s*,\\s*)*${meta.id}\\b`));
  });

  it('has a docs page with front matter matching the meta', () => {
    const doc = readRuleDoc(rule);
    expect(doc, `missing docs page ${docsPathOf(rule)}`).toBeDefined();
    expect(doc?.frontMatter).toEqual({ id: meta.id, title: meta.title });
  });

  it('has the docs sections in order', () => {
    const doc = readRuleDoc(rule);
    expect(doc, `missing docs page ${docsPathOf(rule)}`).toBeDefined();
    const sections = doc?.sections ?? [];
    const unknown = sections.filter((s) => !sectionOrder.includes(s));
    expect(unknown, 'H2 sections outside the template').toEqual([]);
    expect(new Set(sections).size, 'a section appears twice').toBe(sections.length);
    const expected = sectionOrder.filter(
      (s) => requiredSections.includes(s) || s === 'References' || (s === 'Fix safety' && meta.fix !== 'never') || ((s === 'Known problems' || s === 'Options') && sections.includes(s)),
    );
    expect(sections).toEqual(expected);
  });
});
