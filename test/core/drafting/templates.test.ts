import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLineEdit } from '../../../src/core/drafting/line-edit.js';
import { blankConditionals, countSyntaxErrors, parseSource } from '../../../src/core/drafting/parse-source.js';
import { createDeterministicDrafter, draftSuggestions } from '../../../src/core/drafting/index.js';
import { allSelected, loadDraftingContext, scanOne } from '../../helpers/drafting.js';

const root = 'test/fixtures/drafting';

/** The rules each template folder drafts for. */
const rulesOf: Record<string, string[]> = {
  'dict-get-item-ref': ['FT001', 'FT004'],
  'list-get-item-ref': ['FT002', 'FT004'],
  'weakref-get-ref': ['FT003', 'FT004'],
  'dict-next-critical-section': ['FT005'],
  'module-declarations': ['FT008', 'FT009', 'FT010', 'FT011', 'FT012', 'FT013'],
};

function errorsIn(grammars: Awaited<ReturnType<typeof loadDraftingContext>>['grammars'], path: string, text: string): number {
  const tree = parseSource({ path, text: blankConditionals(text), grammars });
  if (tree === undefined) throw new Error(`no grammar for ${path}`);
  try {
    return countSyntaxErrors(tree.rootNode);
  } finally {
    tree.delete();
  }
}

describe('deterministic templates', () => {
  for (const template of Object.keys(rulesOf)) {
    describe(template, () => {
      for (const name of readdirSync(join(root, template)).filter((n) => !n.startsWith('__'))) {
        it(`rewrites ${name} so it parses and clears the finding`, async () => {
          const { grammars, knowledge } = await loadDraftingContext();
          const path = `${root}/${template}/${name}`;
          const text = readFileSync(path, 'utf8');
          const findings = scanOne(grammars, path, text).filter((f) => rulesOf[template]?.includes(f.ruleId));
          expect(findings.length).toBeGreaterThan(0);
          const { suggestions } = await draftSuggestions({
            findings,
            fileText: text,
            path,
            knowledge,
            drafter: createDeterministicDrafter({ grammars }),
            project: { requiresPython: '>=3.9', minPython: [3, 9] },
            grammars,
            rules: allSelected,
          });
          const main = suggestions[suggestions.length - 1];
          expect(main?.verified, main?.problems.join('; ')).toBe(true);
          const edit = main?.edit;
          if (edit === undefined) throw new Error('no edit');
          const patched = applyLineEdit(text, edit) ?? '';
          // Independent of verifyDraft: no new syntax errors, and the rule no longer fires.
          expect(errorsIn(grammars, path, patched)).toBeLessThanOrEqual(errorsIn(grammars, path, text));
          const after = scanOne(grammars, path, patched);
          for (const finding of findings) expect(after.filter((f) => f.ruleId === finding.ruleId && f.message === finding.message)).toEqual([]);
          expect(after.length).toBeLessThan(scanOne(grammars, path, text).length);
          expect(main?.citations.length).toBeGreaterThan(0);
          const header = `lines ${edit.startLine}-${edit.endLine} of ${name} (${findings.map((f) => f.ruleId).join(', ')}) become:\n`;
          await expect(`${header}${edit.replacement}\n`).toMatchFileSnapshot(`../../fixtures/drafting/${template}/__snapshots__/${name}.rewrite`);
        });
      }
    });
  }

  describe('explanation-only', () => {
    for (const name of readdirSync(join(root, 'explanation-only')).filter((n) => !n.startsWith('__'))) {
      it(`explains ${name} with a citation and no edit`, async () => {
        const { grammars, knowledge } = await loadDraftingContext();
        const path = `${root}/explanation-only/${name}`;
        const text = readFileSync(path, 'utf8');
        const findings = scanOne(grammars, path, text);
        const { suggestions } = await draftSuggestions({ findings, fileText: text, path, knowledge, drafter: createDeterministicDrafter({ grammars }), project: {}, grammars, rules: allSelected });
        expect(suggestions.length).toBe(findings.length);
        for (const s of suggestions) {
          expect(s.verified).toBe(false);
          expect(s.edit).toBeUndefined();
          expect(s.explanation.length).toBeGreaterThan(40);
          expect(s.citations.length).toBeGreaterThan(0);
        }
      });
    }
  });
});
