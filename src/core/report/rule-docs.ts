/**
 * Reading a rule's documentation page (`docs/rules/ftNNN-name.md`) for display: the page without
 * its YAML front matter, and its first paragraph as a one-paragraph description.
 *
 * @example
 *   withoutFrontMatter('---\nid: FT001\n---\n\n# FT001 x\n') // → '# FT001 x\n'
 */
export function withoutFrontMatter(markdown: string): string {
  const text = markdown.replace(/^\uFEFF/, '');
  if (!text.startsWith('---\n') && !text.startsWith('---\r\n')) return text;
  const end = text.indexOf('\n---', 3);
  if (end < 0) return text;
  const after = text.indexOf('\n', end + 4);
  return after < 0 ? '' : text.slice(after + 1).replace(/^\s*\n/, '');
}

/**
 * The first paragraph after the page's `#` heading, joined onto one line; undefined when the
 * page has none.
 *
 * @example
 *   firstParagraph('# FT001 x\n\nFlags dict\nlookups.\n\n## What') // → 'Flags dict lookups.'
 */
export function firstParagraph(markdown: string): string | undefined {
  const lines = withoutFrontMatter(markdown).split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('#')) {
      if (out.length > 0) break;
      continue;
    }
    if (t === '') {
      if (out.length > 0) break;
      continue;
    }
    out.push(t);
  }
  return out.length === 0 ? undefined : out.join(' ');
}
