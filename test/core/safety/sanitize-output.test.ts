import { describe, expect, it } from 'vitest';
import { escapeRepositoryText } from '../../../src/core/safety/escape-repository-text.js';
import { isAllowedUrl, redactSecrets, sanitizeOutput } from '../../../src/core/safety/sanitize-output.js';

const repo = { repository: 'octo/spam' };

describe('sanitizeOutput', () => {
  it('neutralises mentions outside code and leaves code alone', () => {
    expect(sanitizeOutput('cc @octocat and @org/team', repo)).toBe('cc @\u200boctocat and @\u200borg/team');
    expect(sanitizeOutput('use `@property` here', repo)).toBe('use `@property` here');
    expect(sanitizeOutput('```py\n@decorator\n```', repo)).toBe('```py\n@decorator\n```');
  });

  it('neutralises slash-commands at line start, also in quotes and code', () => {
    expect(sanitizeOutput('/approve\n  /merge now\n> /lgtm', repo)).toBe('\u200b/approve\n  \u200b/merge now\n> \u200b/lgtm');
    expect(sanitizeOutput('```\n/close\n```', repo)).toBe('```\n\u200b/close\n```');
    expect(sanitizeOutput('a /merge b\n// comment\n/* c */', repo)).toBe('a /merge b\n// comment\n/* c */');
  });

  it('keeps allowed links and drops the others', () => {
    expect(sanitizeOutput('[howto](https://docs.python.org/3/howto/free-threading-extensions.html)', repo)).toBe('[howto](https://docs.python.org/3/howto/free-threading-extensions.html)');
    expect(sanitizeOutput('[x](https://github.com/octo/spam/blob/main/a.c)', repo)).toBe('[x](https://github.com/octo/spam/blob/main/a.c)');
    expect(sanitizeOutput('[x](https://evil.example/a)', repo)).toBe('x (link removed)');
    expect(sanitizeOutput('![x](https://evil.example/a.png)', repo)).toBe('x (image removed)');
    expect(sanitizeOutput('go to https://evil.example/a?b=1.', repo)).toBe('go to evil[.]example/a?b=1.');
    expect(sanitizeOutput('www.evil.example', repo)).toBe('www[.]evil[.]example');
    expect(sanitizeOutput('[r]: https://evil.example\n[//]: # (hidden)\ntext', repo)).toBe('\n\ntext');
  });

  it('escapes HTML, ftbot markers included (only ftbot\u2019s renderers add them, after sanitising)', () => {
    expect(sanitizeOutput('<details><summary>x</summary>y</details>', repo)).toBe('&lt;details>&lt;summary>x&lt;/summary>y&lt;/details>');
    expect(sanitizeOutput('<!-- hide --> <!-- ftbot:fp 0a1b -->', repo)).toBe('&lt;!-- hide --> &lt;!-- ftbot:fp 0a1b -->');
    expect(sanitizeOutput('```\n<!-- ftbot:fp 0a1b -->\n```', repo)).toBe('```\n<!-- ftbot\u200b:fp 0a1b -->\n```');
    expect(sanitizeOutput('a < b and x<y', repo)).toBe('a < b and x&lt;y');
    expect(sanitizeOutput('&#64;team', repo)).toBe('&amp;#64;team');
  });

  it('redacts secrets everywhere', () => {
    const text = 'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 `sk-abcdefghijklmnop1234` AKIAIOSFODNN7EXAMPLE password="p4ss w0rd"';
    expect(sanitizeOutput(text, repo)).toBe('[redacted] `[redacted]` [redacted] password=[redacted]');
    expect(redactSecrets('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\nok')).toBe('[redacted]\nok');
    expect(redactSecrets('char *token = strtok_r(buf, ",", &save);')).toBe('char *token = strtok_r(buf, ",", &save);');
  });

  it('strips invisible characters', () => {
    expect(sanitizeOutput('a\u200bb\u202Ec\u{E0041}', repo)).toBe('abc');
  });
});

describe('isAllowedUrl', () => {
  it('allows documentation hosts and the repository, nothing else', () => {
    expect(isAllowedUrl('https://peps.python.org/pep-0703/', {})).toBe(true);
    expect(isAllowedUrl('https://pyo3.rs/v0.23.0/free-threading', {})).toBe(true);
    expect(isAllowedUrl('https://docs.python.org.evil.example/', {})).toBe(false);
    expect(isAllowedUrl('https://github.com/octo/spam-evil', repo)).toBe(false);
    expect(isAllowedUrl('https://user:pw@docs.python.org/', {})).toBe(false);
    expect(isAllowedUrl('javascript:alert(1)', {})).toBe(false);
  });
});

describe('text sanitised or escaped more than once (issue 14 L7)', () => {
  const hostile = [
    'a < b && c > d; <img src=x> &lt;b&gt; &#64;team &amp;',
    '<!-- ftbot:fp 0a1b --> [x](https://evil.example/a) ![i](https://evil.example/p.png) https://evil.example/x',
    '@org/team /merge `code <b> & @x` ```\n<!-- ftbot:fp 1 -->\n```',
    'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 www.evil.example \u200b@hidden',
  ];

  it('sanitizeOutput is idempotent: a draft explanation sanitised again inside a comment shows the same', () => {
    for (const text of hostile) expect(sanitizeOutput(sanitizeOutput(text, repo), repo), text).toBe(sanitizeOutput(text, repo));
  });

  it('keeps the entities escapeRepositoryText wrote, so `&` and `<` do not show as `&amp;`', () => {
    const escaped = escapeRepositoryText('x < y && z > 0');
    expect(escaped).toBe('x &lt; y &amp;&amp; z &gt; 0');
    expect(sanitizeOutput(escaped, repo)).toBe(escaped);
  });
});

describe('user-content hosts (issue 14 L7)', () => {
  it('links only the PyPI pages the knowledge base cites, not any project page or TestPyPI', () => {
    expect(isAllowedUrl('https://pypi.org/classifiers/', {})).toBe(true);
    expect(isAllowedUrl('https://pypi.org/project/pytest-run-parallel/', {})).toBe(true);
    expect(isAllowedUrl('https://pypi.org/project/attacker-package/', {})).toBe(false);
    expect(isAllowedUrl('https://test.pypi.org/project/pytest-run-parallel/', {})).toBe(false);
    expect(sanitizeOutput('[docs](https://pypi.org/project/attacker-package/)', repo)).toBe('docs (link removed)');
  });
});
