/**
 * Stops posted text from notifying anyone: every `@name` (user, team, or `@org/team`) gets a
 * zero-width space after the `@`, as Renovate does for release notes it copies. Findings quote
 * code, and code holds decorators, e-mail addresses and doc tags that GitHub would read as mentions.
 * The one mention rule: `escapeRepositoryText` applies it too. A `_` or `-` after the `@` is
 * covered as well, so no spelling GitHub might accept gets through.
 *
 * @example
 *   neutralizeMentions('see @octocat') // → 'see @\u200boctocat'
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b');
}
