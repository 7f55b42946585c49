/**
 * Renders a suggestion as the Markdown a comment would carry, sanitised.
 */
import { sanitizeOutput } from '../safety/sanitize-output.js';
import type { Suggestion } from './types.js';

/** A fence one backtick longer than any run inside `text` (at least three). */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Renders one suggestion: the finding, the explanation, the edit (a committable ```` ```suggestion ````
 * block on GitHub when `suggestionBlock` is set and the edit is verified, else a code block with its
 * line range), the citations, and a hidden marker naming the drafter and prompt. The result has been
 * through `sanitizeOutput`.
 *
 * @param suggestion
 *   From `draftSuggestions`.
 * @param options.repository
 *   `owner/name` posted to.
 * @param options.suggestionBlock
 *   True for an inline review comment anchored on the edit's lines.
 * @param options.heading
 *   False to leave out the `**FTnnn** message` line (an inline comment already starts with it).
 */
export function renderSuggestion(suggestion: Suggestion, options: { repository?: string | undefined; suggestionBlock?: boolean; heading?: boolean } = {}): string {
  const { finding, edit } = suggestion;
  const parts = [...(options.heading === false ? [] : [`**${finding.ruleId}** ${finding.message}`]), suggestion.explanation];
  if (edit !== undefined) {
    const fence = fenceFor(edit.replacement);
    if (options.suggestionBlock === true) parts.push(`${fence}suggestion\n${edit.replacement}\n${fence}`);
    else parts.push(`Replace lines ${edit.startLine}–${edit.endLine} of \`${edit.path}\` with:\n\n${fence}c\n${edit.replacement}\n${fence}`);
  } else if (suggestion.problems.length > 0) {
    parts.push(`No change is suggested: the drafted edit failed verification (${suggestion.problems[0] ?? ''}).`);
  }
  if (suggestion.citations.length > 0) {
    const lines = suggestion.citations.map((c) => {
      const name = c.heading === c.title ? c.title : `${c.title} › ${c.heading}`;
      // A page's own title section needs no anchor: it would repeat the title as a slug.
      const where = `\`${c.page}${c.anchor === '' || c.heading === c.title ? '' : `#${c.anchor}`}\``;
      return `- ${name} (${where})${c.url === '' ? '' : ` · [upstream](${c.url})`}`;
    });
    parts.push(['Sources:', ...lines].join('\n'));
  }
  // The marker is added after sanitising, which would defuse the `@` of `draft-migration@1`; it
  // holds only the drafter kind and the prompt id of a shipped prompt file.
  const marker = `<!-- ftbot:draft ${suggestion.drafter}${suggestion.promptId === undefined ? '' : ` ${suggestion.promptId.replace(/[^\w.@-]/g, '')}`} -->`;
  return `${sanitizeOutput(parts.join('\n\n'), options.repository === undefined ? {} : { repository: options.repository })}\n\n${marker}`;
}
