import { escapeRepositoryText } from '../safety/escape-repository-text.js';
import type { Finding } from '../diagnostics.js';

/**
 * No docs site: rule ids are shown without a link (the comment carries the rule's one-line why)
 * and knowledge links point at the upstream documentation the pages cite. The app sets a base
 * when `FTBOT_PUBLIC_URL` (its own `/docs/` pages) or `FTBOT_DOCS_URL` is configured.
 */
export const NO_DOCS_SITE = '';

/**
 * Where the repository's files are browsed, from the rule pages' folder two levels up: knowledge
 * pages live beside `docs/rules/` in the same repository, so one setting serves both.
 *
 * @example
 *   repoBaseUrl('https://github.com/o/ftbot/blob/main/docs/rules/') // → 'https://github.com/o/ftbot/blob/main/'
 */
export function repoBaseUrl(docsBaseUrl: string): string {
  if (docsBaseUrl === NO_DOCS_SITE) return NO_DOCS_SITE;
  const base = docsBaseUrl.endsWith('/') ? docsBaseUrl : `${docsBaseUrl}/`;
  return new URL('../../', base).href;
}

/** `[label](url)` for a knowledge section, the label made safe for one line of Markdown. */
export function knowledgeMarkdownLink(link: { label: string; url: string }): string {
  return `[${inlineText(link.label)}](${link.url})`;
}

/** The docs page of a rule: `<base>ft001-dict-get-item-borrowed.md`; undefined without a docs site. */
export function ruleDocUrl(docsBaseUrl: string, finding: Pick<Finding, 'ruleId' | 'ruleName'>): string | undefined {
  if (docsBaseUrl === NO_DOCS_SITE) return undefined;
  const base = docsBaseUrl.endsWith('/') ? docsBaseUrl : `${docsBaseUrl}/`;
  return `${base}${finding.ruleId.toLowerCase()}-${finding.ruleName}.md`;
}

/** `[FT001](…/ft001-dict-get-item-borrowed.md)`: the rule id linked to its page (plain without a docs site). */
export function ruleLink(docsBaseUrl: string, finding: Pick<Finding, 'ruleId' | 'ruleName'>): string {
  const url = ruleDocUrl(docsBaseUrl, finding);
  return url === undefined ? finding.ruleId : `[${finding.ruleId}](${url})`;
}

/** Puts repository text in one line of Markdown: `escapeRepositoryText` (no line breaks, pipes, mentions, HTML, links or markers). */
export function inlineText(text: string): string {
  return escapeRepositoryText(text);
}

/** A code fence longer than any backtick run inside `content`, so the content cannot close it. */
export function fenceFor(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/**
 * One finding as a list item for summaries: `` `src/m.c:12` FT001 message ``, with the location
 * linked when `sourceUrl` gives a URL.
 */
export function findingListItem(params: {
  finding: Finding;
  docsBaseUrl: string;
  sourceUrl?: ((path: string, line: number) => string | undefined) | undefined;
}): string {
  const { finding: f, docsBaseUrl, sourceUrl } = params;
  const where = `\`${inlineText(f.path).replace(/`/g, "'")}:${f.line}\``;
  const url = sourceUrl?.(f.path, f.line);
  const location = url === undefined ? where : `[${where}](${url})`;
  return `- ${location} ${ruleLink(docsBaseUrl, f)} ${inlineText(f.message)}`;
}

/**
 * Links to source lines of one commit on GitHub, path segments escaped.
 *
 * @example
 *   githubSourceUrl('o/r', 'abc')('src/a b.c', 12) // → 'https://github.com/o/r/blob/abc/src/a%20b.c#L12'
 */
export function githubSourceUrl(repository: string, sha: string): (path: string, line: number) => string {
  const base = `https://github.com/${repository}/blob/${sha}/`;
  return (path, line) => `${base}${path.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}
