/**
 * Puts text read from a project's files into a message as a code span: backticks, line breaks
 * and control characters are replaced and the length is capped, so the span cannot be broken
 * out of when the message is posted as Markdown (no stray `@mention` or link).
 *
 * @example
 *   quote('a`@b') // "`a'@b`"
 */
export function quote(text: string): string {
  const clean = text.replace(/`/g, "'").replace(/\p{Cc}+/gu, ' ');
  return `\`${clean.length > 80 ? `${clean.slice(0, 79)}…` : clean}\``;
}
