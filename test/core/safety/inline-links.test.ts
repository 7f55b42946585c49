import { describe, expect, it } from 'vitest';
import { isJsSpace, replaceInlineLinks, sanitizeOutput } from '../../../src/core/safety/sanitize-output.js';
import { fuzzCount, seededRandom } from '../../helpers/seeded-random.js';

/**
 * The inline-link scanner against the pattern it replaced (issue 14, super-linear patterns). The
 * pattern is kept here as the reference: on short texts it is fast, and the scanner must find
 * the same links with the same parts and leave the same text around them.
 */
const REFERENCE = /(!?)\[([^\]\n]*)\]\(\s*<?([^\s)>]*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;

function byReference(text: string): string {
  return text.replace(REFERENCE, (whole: string, bang: string, label: string, url: string) => `{${bang}|${label}|${url}|${whole}}`);
}

function byScanner(text: string): string {
  return replaceInlineLinks(text, (whole, { bang, label, url }) => `{${bang}|${label}|${url}|${whole}}`);
}

describe('replaceInlineLinks', () => {
  it('reads links, images, titles and angle-bracketed URLs as the pattern did', () => {
    const texts = [
      'see [docs](https://evil.example/x) ![x](https://evil.example/p.png)',
      '[a](<https://e.example/a b> "t") [b]( https://e.example/b \'t\' ) [c](u (t))',
      '[a]( "only a title") [b](  "two words") [c](\n"t"\n) [d](u>) [e](<u>)',
      '[a](u "unclosed) [b](x(y)z) [[nested](u)] ![](u) !![x](u) [x]\n(u) [x](u\n)',
      '[a](\u00a0u\u2003"t"\u3000)',
    ];
    for (const text of texts) expect(byScanner(text)).toBe(byReference(text));
  });

  it('gives the output of the pattern on random short texts of link syntax', () => {
    const alphabet = ['[', ']', '(', ')', '!', '<', '>', '"', "'", ' ', ' ', '\t', '\n', '\u00a0', 'u', 'x', ':', '/', '.'];
    const rand = seededRandom(20261207);
    for (let n = 0, count = fuzzCount(30_000); n < count; n++) {
      const length = 1 + Math.floor(rand() * 24);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rand() * alphabet.length)] ?? '';
      expect(byScanner(text), JSON.stringify(text)).toBe(byReference(text));
    }
  });

  it('treats as blank exactly the characters a pattern\u2019s \\s matches', () => {
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isJsSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c.toString(16));
    expect(differ).toEqual([]);
  });

  // Each took the old pattern from 45 s (brackets) to several minutes (blanks): it read the run to
  // the end of the line again from every `[`. The scanner reads each character once.
  const RUN = 100_000;
  it.each([
    ['brackets', '['.repeat(RUN)],
    ['empty links never closed', '[]('.repeat(RUN / 3)],
    ['blanks after the opening parenthesis', `[](${' '.repeat(RUN)}"`],
    ['titles in parentheses never closed', '[]( ('.repeat(RUN / 5)],
    ['labels never closed before the link', `${'['.repeat(RUN)}[a](https://evil.example/x)`],
  ])('reads %s in one pass and still removes a link after them', (_name, text) => {
    const out = sanitizeOutput(`${text}x\n[a](https://evil.example/x)`);
    expect(out.endsWith('a (link removed)')).toBe(true);
  });
});
