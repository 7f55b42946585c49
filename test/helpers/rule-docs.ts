import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Rule } from '../../src/core/engine/define-rule.js';

/** The repository root (this file lives in `test/helpers/`). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `ft001-dict-get-item-borrowed`: the base name shared by a rule's file, docs page and fixtures. */
export function ruleFileName(rule: Rule): string {
  return `${rule.meta.id.toLowerCase()}-${rule.meta.name}`;
}

export function docsPathOf(rule: Rule): string {
  return join(repoRoot, 'docs', 'rules', `${ruleFileName(rule)}.md`);
}

export type RuleDoc = {
  frontMatter: Record<string, unknown> | undefined;
  body: string;
  /** H2 headings in order. */
  sections: string[];
  /** Fenced code blocks with their info string (`c incorrect`). */
  blocks: Array<{ info: string; code: string; line: number }>;
};

/** Reads a rule's docs page, or undefined when it does not exist yet. */
export function readRuleDoc(rule: Rule): RuleDoc | undefined {
  const path = docsPathOf(rule);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const frontMatter = fm === null ? undefined : (parseYaml(fm[1] ?? '') as Record<string, unknown>);
  const body = fm === null ? text : text.slice(fm[0].length);
  const sections: string[] = [];
  const blocks: RuleDoc['blocks'] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence !== null) {
      const marker = fence[1] ?? '```';
      const start = i;
      const code: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').startsWith(marker); i++) code.push(lines[i] ?? '');
      blocks.push({ info: (fence[2] ?? '').trim(), code: `${code.join('\n')}\n`, line: start + 1 });
      continue;
    }
    const h2 = /^## (.+?)\s*$/.exec(line);
    if (h2 !== null) sections.push(h2[1] ?? '');
  }
  return { frontMatter, body, sections, blocks };
}
