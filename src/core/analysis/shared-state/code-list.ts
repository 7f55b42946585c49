/**
 * A short list of code names for a one-line message: each in backticks, at most three shown.
 *
 * @example
 *   codeList(['a']) // → '`a`'
 *   codeList(['a', 'b']) // → '`a` and `b`'
 *   codeList(['a', 'b', 'c', 'd', 'e']) // → '`a`, `b`, `c` and 2 more'
 */
export function codeList(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) => `\`${n}\``);
  if (names.length > 3) return `${shown.join(', ')} and ${names.length - 3} more`;
  if (shown.length <= 2) return shown.join(' and ');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}
