import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { renderInlineBody } from '../../../src/core/review/build-review.js';
import { readFingerprintMarker, readStateMarkers } from '../../../src/core/review/markers.js';
import { findingListItem } from '../../../src/core/review/render-finding.js';
import { rules } from '../../../src/core/rules/index.js';
import { escapeRepositoryText } from '../../../src/core/safety/escape-repository-text.js';
import { createMarkerKey } from '../../../src/io/marker-key.js';

const markers = createMarkerKey('test key').forThread('o/r#1');
import { redactSecrets, splitInlineCode } from '../../../src/core/safety/sanitize-output.js';

const PIECES = [
  '<img src=x onerror=alert(1)>',
  '<details><summary>ok</summary>hidden</details>',
  '[docs](https://evil.example/x)',
  '![pixel](https://evil.example/p.png)',
  '<!-- ftbot:fp deadbeef -->',
  '\n<!-- ftbot:head 0123abcd -->\n',
  '&#64;team',
  '@org/team',
  '`',
  '``',
  '|',
  '\n',
  'https://evil.example/x',
  'www.evil.example',
  '\u202e',
  '&lt;',
  ']',
  '(',
];

/** A deterministic pseudo-random sequence, so a failure names its seed. */
function* hostileStrings(count: number): Generator<string> {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    const parts = Array.from({ length: 1 + next(5) }, () => PIECES[next(PIECES.length)] ?? '');
    yield parts.join(next(2) === 0 ? '' : ' x ');
  }
}

/** What must never survive into a posted body, outside a code span. */
function assertSafe(body: string, context: string): void {
  // Inline code is rendered as text by GitHub (no HTML, no links): check the rest.
  const withoutCode = body
    .split('\n')
    .map((line) => splitInlineCode(line).filter((part) => !part.code).map((part) => part.text).join(' '))
    .join('\n');
  expect(withoutCode, context).not.toMatch(/<[A-Za-z!/?]/);
  expect(withoutCode, context).not.toMatch(/\]\(https?:\/\/evil/);
  expect(withoutCode, context).not.toMatch(/https?:\/\/evil|www\.evil/);
  expect(body, context).not.toMatch(/@[A-Za-z0-9]/);
  expect(withoutCode, context).not.toMatch(/&#64;/);
  expect(body, context).not.toContain('\u202e');
}

describe('escapeRepositoryText', () => {
  it('escapes HTML, links, images, entities and markers, keeping inline code as code', () => {
    expect(escapeRepositoryText('job <img src=x> [x](https://evil.example) @team')).toBe('job &lt;img src=x&gt; \\[x\\](evil[.]example) @\u200bteam');
    expect(escapeRepositoryText('`<b>` &#64;x')).toBe('`<b>` &amp;#64;x');
    expect(escapeRepositoryText('`<!-- ftbot:fp 0a -->`')).toBe('`<!-- ftbot\u200b:fp 0a -->`');
  });

  it('keeps every rule message safe whatever the repository text in it (property test)', () => {
    for (const rule of rules) {
      for (const [messageId, template] of Object.entries(rule.meta.messages)) {
        for (const hostile of hostileStrings(40)) {
          const message = template.replace(/\{\{(\w+)\}\}/g, () => hostile);
          const finding: Finding = {
            ruleId: rule.meta.id,
            ruleName: rule.meta.name,
            path: `src/${hostile}.c`,
            line: 3,
            column: 1,
            endLine: 3,
            endColumn: 2,
            message,
            severity: 'warning',
            confidence: 'medium',
            fingerprint: '0123abcd',
          };
          const context = `${rule.meta.id}.${messageId} with ${JSON.stringify(hostile)}`;
          const item = findingListItem({ finding, docsBaseUrl: 'https://docs.example/rules/' });
          assertSafe(item, context);
          expect(item, context).not.toContain('\n');
          const body = renderInlineBody({ finding, docsBaseUrl: 'https://docs.example/rules/', markers });
          assertSafe(body.replace(/\n<!-- ftbot:fp 0123abcd [0-9a-f]+ -->$/, ''), context);
          // Only the marker ftbot added is read back; a smuggled one is not.
          expect(readFingerprintMarker(body, markers), context).toBe('0123abcd');
          expect(readStateMarkers(item, markers).headSha, context).toBeUndefined();
        }
      }
    }
  });
});

describe('redactSecrets', () => {
  it('redacts credentials in URLs and JWT-shaped tokens', () => {
    expect(redactSecrets('could not reach https://user:s3cr3t@mirror.example/pypi/x/json')).toBe('could not reach https://[redacted]@mirror.example/pypi/x/json');
    expect(redactSecrets('token eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlLXNpZw')).toBe('token [redacted]');
  });
});
