import { neutralizeMentions } from '../review/neutralize-mentions.js';
import { breakMarkers, defangBareUrls, redactSecrets, splitInlineCode } from './sanitize-output.js';
import { stripInvisible } from './strip-invisible.js';

/**
 * Makes text read from a repository (message data, job names, selectors, classifiers, string
 * literals, paths, names, a user's question) safe inside one line of a posted body. It is the one
 * escaping function every such piece goes through:
 * - one line: line breaks become spaces, `|` cannot break a table;
 * - outside inline code: HTML (`<img>`, `<details>`, comments) and entities show as text
 *   (`&`, `<`, `>` escaped), `[`/`]` cannot open a link or image, bare URLs outside the
 *   allow-list are defanged;
 * - everywhere: no `@mention` pings, no `<!-- ftbot:` state marker, no secret, no invisible
 *   characters. Inline code stays code (GitHub renders HTML in it as text).
 *
 * @example
 *   escapeRepositoryText('job <img src=x> [x](https://evil.example) @team')
 *   // → 'job &lt;img src=x&gt; \[x\](evil[.]example) @\u200bteam'
 */
export function escapeRepositoryText(text: string): string {
  const line = redactSecrets(stripInvisible(text)).replace(/[\r\n]+/g, ' ');
  const out = splitInlineCode(line)
    .map((part) => {
      if (part.code) return part.text;
      const escaped = part.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[[\]]/g, (c) => `\\${c}`);
      return defangBareUrls(escaped, {});
    })
    .join('');
  return breakMarkers(neutralizeMentions(out.replace(/\|/g, '\\|')));
}
