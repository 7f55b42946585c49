/**
 * The reply to `@<app> suggest <path>:<line>`: drafted changes for the findings on one line.
 */
import type { ResolvedConfig } from '../config/schema.js';
import type { Finding } from '../diagnostics.js';
import { renderSuggestion } from '../drafting/render-suggestion.js';
import type { Rule } from '../engine/define-rule.js';
import { scanFiles, type Grammars } from '../engine/scan-files.js';
import { silentLogger, type Logger } from '../ports.js';
import { draftFindings, draftProjectOf, type DraftingSetup } from './draft-findings.js';
import { inlineText } from './render-finding.js';
import { neutralizeMentions } from './neutralize-mentions.js';
import { truncateBody } from './truncate-body.js';

/**
 * Scans one file, keeps the findings on `line` (or spanning it), drafts a change for each line's
 * first finding (`draftFindings`), and renders the reply: each suggestion with its explanation,
 * its edit as a code block with the line range (a comment reply cannot carry a committable
 * suggestion), its sources, and the drafter marker. A line past the end of the file or without a
 * finding gets a one-line answer.
 *
 * @param params.text
 *   The file's text at `at` (the pull request's head, or the default branch on an issue).
 * @param params.contextFiles
 *   `pyproject.toml` and friends at the same commit, for `requires-python`.
 * @returns
 *   The reply body (sanitised, mentions neutralised, under GitHub's size limit) and the number of
 *   findings on the line.
 *
 * @example
 *   const { body } = await suggestOnLine({ path: 'src/spam.c', line: 18, text, at: 'abc1234', grammars, rules, config, setup });
 */
export async function suggestOnLine(params: {
  path: string;
  line: number;
  text: string;
  /** The commit (shortened) or branch the text was read at, named in the reply. */
  at: string;
  grammars: Grammars;
  rules: readonly Rule[];
  config: Pick<ResolvedConfig, 'maxFileSize' | 'minSeverity'>;
  setup: DraftingSetup;
  contextFiles?: ReadonlyArray<{ path: string; text: string }>;
  logger?: Logger;
}): Promise<{ body: string; findings: number }> {
  const { path, line, text, at, grammars, rules, config, setup, contextFiles = [], logger = silentLogger } = params;
  const where = `\`${inlineText(path).replace(/`/g, "'")}:${line}\` at \`${inlineText(at).replace(/`/g, "'")}\``;
  const lineCount = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  if (line > lineCount) return { body: neutralizeMentions(`${where}: the file has ${lineCount} line${lineCount === 1 ? '' : 's'}, so there is no line ${line}.`), findings: 0 };

  const scan = scanFiles({ files: [...contextFiles, { path, text }], grammars, rules, config, logger });
  const onLine = (f: Finding): boolean => f.path === path && f.line <= line && line <= Math.max(f.line, f.endLine);
  const findings = scan.findings.filter(onLine);
  if (findings.length === 0) {
    return { body: neutralizeMentions(`No finding on ${where}, so there is nothing to draft. \`suggest\` drafts changes for the line a finding points at (see the review's inline comments or summary).`), findings: 0 };
  }

  const { drafts, notices } = await draftFindings({ findings, textOf: (p) => (p === path ? text : undefined), project: draftProjectOf(scan.project), grammars, rules, setup, contextFiles, logger });
  const parts = [`Drafted changes for ${where}:`];
  for (const finding of findings) {
    const draft = drafts.get(finding.fingerprint);
    if (draft?.kind === 'drafted') parts.push(renderSuggestion(draft.suggestion, { ...(setup.repository === undefined ? {} : { repository: setup.repository }), suggestionBlock: false }));
    else if (draft?.kind === 'same-line') parts.push(`**${finding.ruleId}** ${inlineText(finding.message)}: the change drafted for ${draft.ruleId} above covers it.`);
  }
  for (const notice of notices) parts.push(`> Note: ${inlineText(notice)}`);
  return { body: truncateBody(neutralizeMentions(parts.join('\n\n---\n\n'))), findings: findings.length };
}
