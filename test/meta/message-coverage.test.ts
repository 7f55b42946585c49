import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/core/rules/index.js';
import { repoRoot, ruleFileName } from '../helpers/rule-docs.js';

/** The text of every rendered-findings snapshot of one rule's fixtures. */
function snapshotsOf(folder: string): string {
  const dir = join(repoRoot, 'test', 'fixtures', 'rules', folder, '__snapshots__');
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.snap'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}

/**
 * Whether a rendered message of `template` is in `text`: the template's literal parts in order on
 * one line, anything in place of each `{{placeholder}}`. Plain `indexOf`, so no pattern is built.
 *
 * @example
 *   rendered('FT1 The `a` job builds x', 'The `{{job}}` job builds x') // → true
 */
function rendered(text: string, template: string): boolean {
  const parts = template.split(/\{\{\w+\}\}/);
  return text.split('\n').some((line) => {
    let at = 0;
    for (const part of parts) {
      const found = line.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return true;
  });
}

/**
 * Fixture marks pin a finding's rule id and column; the rendered snapshot beside each fixture pins
 * its message. This checks the other direction: every message a rule can give (each `messageId`)
 * is shown by at least one fixture, so a rule with several message kinds has a case for each.
 */
describe('every message id is exercised by a fixture', () => {
  for (const rule of rules) {
    it(`${rule.meta.id} ${rule.meta.name}`, () => {
      const text = snapshotsOf(ruleFileName(rule));
      const messages = Object.entries(rule.meta.messages);
      expect(messages.filter(([, template]) => !rendered(text, template)).map(([id]) => id)).toEqual([]);
    });
  }
});
