/**
 * Makes text safe to post on GitHub, whoever wrote it (a model that read attacker text, a code
 * excerpt, a user's question): nobody is pinged, no command is issued, nothing links or loads from
 * outside an allow-list, no secret leaks, and no HTML hides content.
 */
import { stripInvisible } from './strip-invisible.js';

/** Hosts whose links and images may appear in posted text (documentation ftbot cites). */
export const ALLOWED_HOSTS: readonly string[] = [
  'docs.python.org',
  'peps.python.org',
  'py-free-threading.github.io',
  'packaging.python.org',
  'cython.readthedocs.io',
  'docs.cython.org',
  'pyo3.rs',
  'pybind11.readthedocs.io',
  'nanobind.readthedocs.io',
  'cibuildwheel.pypa.io',
  'cibuildwheel.readthedocs.io',
];

/**
 * Hosts where anyone can publish (any PyPI project page, TestPyPI): only these paths, the ones the
 * knowledge base cites, may be linked, so a model or a repository cannot send readers to an
 * attacker's package page under an official-looking host. No subdomain of them is allowed.
 */
export const ALLOWED_USER_CONTENT_PATHS: Readonly<Record<string, readonly string[]>> = {
  'pypi.org': ['/classifiers/', '/project/pytest-run-parallel/', '/project/pytest-freethreaded/'],
};

export type SanitizeOptions = {
  /** `owner/name` of the repository the text is posted to; links into it are allowed. */
  repository?: string;
};

const REDACTED = '[redacted]';

/**
 * Secret shapes, each with a worked example of what it catches:
 * `ghp_` + 36 alphanumerics (also gho_, ghu_, ghs_, ghr_); `github_pat_11ABC…`; `sk-proj-…`/`sk-…`
 * (OpenAI); `AKIA…`/`ASIA…` + 16 (AWS key ids); `aws_secret_access_key = …`; PEM private key
 * blocks; Slack `xoxb-…`; Google `AIza…`; and `password=…`-style assignments.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, REDACTED],
  // JSON Web Tokens (GitHub App and installation tokens are JWT-shaped): `eyJ….eyJ….sig`.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
  // Credentials in a URL's user part: `https://user:token@mirror.example/` → `https://[redacted]@mirror.example/`.
  [/\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/?#@]{1,512}@/gi, `$1${REDACTED}@`],
  [
    /\b((?:aws_secret_access_key|aws_session_token|password|passwd|passphrase|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key|webhook[_-]?secret)["']?\s*[=:]\s*)(?:"[^"\n]*"|'[^'\n]*'|[^\s,;)]+)/gi,
    `$1${REDACTED}`,
  ],
];

/** Replaces every secret-shaped string with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * True when `url` may be linked: https (or http) to an allowed documentation host (or a subdomain
 * of one), or to the repository itself on github.com.
 *
 * @example
 *   isAllowedUrl('https://docs.python.org/3/c-api/dict.html', {}) // → true
 *   isAllowedUrl('https://github.com/o/r/blob/main/x.c', { repository: 'o/r' }) // → true
 *   isAllowedUrl('https://github.com/o/r-evil', { repository: 'o/r' }) // → false
 */
export function isAllowedUrl(url: string, options: SanitizeOptions): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  const host = parsed.hostname.toLowerCase();
  if (ALLOWED_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) return true;
  const paths = ALLOWED_USER_CONTENT_PATHS[host];
  if (paths !== undefined) {
    const path = parsed.pathname.toLowerCase();
    return paths.some((allowed) => path === allowed || path === allowed.replace(/\/$/, ''));
  }
  const repository = options.repository?.toLowerCase();
  if (repository !== undefined && /^[\w.-]+\/[\w.-]+$/.test(repository) && host === 'github.com') {
    const path = parsed.pathname.toLowerCase();
    return path === `/${repository}` || path.startsWith(`/${repository}/`);
  }
  return false;
}

// Bare URLs GitHub turns into links: `https://…`, `http://…`, `ftp://…`, `www.…`.
const BARE_URL = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`)\]]+/gi;

/** Rewrites a URL so nothing renders it as a link: `https://evil.com/x` → `evil[.]com/x`. */
function defang(url: string): string {
  const withoutScheme = url.replace(/^[a-z]+:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  const host = slash < 0 ? withoutScheme : withoutScheme.slice(0, slash);
  const rest = slash < 0 ? '' : withoutScheme.slice(slash);
  return `${host.replace(/\./g, '[.]')}${rest}`;
}

export function defangBareUrls(text: string, options: SanitizeOptions): string {
  return text.replace(BARE_URL, (url) => {
    const full = /^www\./i.test(url) ? `https://${url}` : url;
    // Trailing punctuation belongs to the sentence, not the URL.
    let end = full.length;
    while (end > 0 && '.,;:!?'.includes(full[end - 1] ?? '')) end--;
    const trimmed = full.slice(0, end);
    return isAllowedUrl(trimmed, options) ? url : defang(url);
  });
}

// Lines that bots read as commands: `/approve`, `/merge`, also after a quote marker or indent.
const SLASH_COMMAND = /^([ \t]*(?:>[ \t]*)*)\/(?=[A-Za-z])/gm;

function neutraliseCommands(text: string): string {
  return text.replace(SLASH_COMMAND, '$1\u200b/');
}

/**
 * `<!-- ftbot:` with a zero-width space before the colon: ftbot's state markers are added by its
 * renderers after sanitising, so text from a model or a repository can never carry one (a smuggled
 * `<!-- ftbot:fp … -->` would otherwise silence an inline comment on a later hazard).
 */
export function breakMarkers(text: string): string {
  return text.replace(/(<!--\s*ftbot)(?=:)/gi, '$1\u200b');
}

/**
 * Escapes every HTML construct: tags (`<details>`, `<img>`, `<div hidden>`), comments (which hide
 * text, ftbot's own markers included), processing instructions and CDATA. `<` becomes `&lt;`, so
 * the text shows literally instead of being rendered or hidden.
 */
function escapeHtml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' && /[A-Za-z/!?]/.test(text[i + 1] ?? '')) {
      out += '&lt;';
      continue;
    }
    out += c;
  }
  return out;
}

// `[text](url "title")` and `![alt](url)`; worked example:
// `see [docs](https://evil.example/x) ![x](https://evil.example/p.png)` → `see docs (link removed) x (image removed)`.
// Read by `replaceInlineLinks`, a scanner that gives what this pattern matched,
//   /(!?)\[([^\]\n]*)\]\(\s*<?([^\s)>]*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g
// in one pass: the pattern retried the run to the end of the line from each `[`, so a line of
// `[](` repeated took minutes.
const LINE_FEED = 0x0a;

/** JavaScript's `\s`: the characters a pattern's `\s` matches, one UTF-16 unit at a time. */
export function isJsSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The kinds of run the link syntax has, each ended by the first character `stops` accepts. */
const RUNS = {
  label: (c: number) => c === 0x5d /* ] */ || c === LINE_FEED,
  blanks: (c: number) => !isJsSpace(c),
  url: (c: number) => isJsSpace(c) || c === 0x29 /* ) */ || c === 0x3e /* > */,
  doubleQuoted: (c: number) => c === 0x22 /* " */ || c === LINE_FEED,
  singleQuoted: (c: number) => c === 0x27 /* ' */ || c === LINE_FEED,
  parenthesised: (c: number) => c === 0x29 /* ) */ || c === LINE_FEED,
} satisfies Record<string, (c: number) => boolean>;

/**
 * Where runs end in one text, memoised: a run's end is written for every position it was read
 * from, so each character is read once per kind of run however many links start before it.
 */
function runEnds(text: string): (kind: keyof typeof RUNS, from: number) => number {
  const memo = new Map<keyof typeof RUNS, Int32Array>();
  return (kind, from) => {
    let ends = memo.get(kind);
    if (ends === undefined) {
      // One more than the end, so 0 means "not read yet".
      ends = new Int32Array(text.length + 1);
      memo.set(kind, ends);
    }
    const stops = RUNS[kind];
    let at = from;
    while (at < text.length && ends[at] === 0 && !stops(text.charCodeAt(at))) at++;
    const known = ends[at] ?? 0;
    const end = known !== 0 ? known - 1 : at;
    for (let k = from; k <= at && k <= text.length; k++) ends[k] = end + 1;
    return end;
  };
}

type InlineLink = { bang: string; label: string; url: string };

/**
 * Replaces each inline link and image (`[label](url)`, `![alt](<url> "title")`) with what
 * `replace` returns for it, left to right, as `text.replace` with the pattern above would.
 */
export function replaceInlineLinks(text: string, replace: (whole: string, link: InlineLink) => string): string {
  if (!text.includes('](')) return text;
  const end = runEnds(text);
  const at = (i: number): number => text.charCodeAt(i);
  // The end of a title (`"…"`, `'…'`, `(…)`) starting at `i`, or -1.
  const titleEnd = (i: number): number => {
    const c = at(i);
    const [kind, close] = c === 0x22 ? (['doubleQuoted', 0x22] as const) : c === 0x27 ? (['singleQuoted', 0x27] as const) : c === 0x28 ? (['parenthesised', 0x29] as const) : [undefined, 0];
    if (kind === undefined) return -1;
    const e = end(kind, i + 1);
    return at(e) === close ? e + 1 : -1;
  };
  // After the URL: an optional `>`, then blanks and a title, or blanks, then `)`. The match's end, or -1.
  const closeAfter = (i: number): number => {
    const from = at(i) === 0x3e ? i + 1 : i;
    const blanks = end('blanks', from);
    if (blanks > from) {
      const title = titleEnd(blanks);
      if (title >= 0) {
        const close = end('blanks', title);
        if (at(close) === 0x29) return close + 1;
      }
    }
    return at(blanks) === 0x29 ? blanks + 1 : -1;
  };
  // What follows `](` at `open`: the URL and the end of the match, or undefined.
  const target = (open: number): { url: string; end: number } | undefined => {
    const first = end('blanks', open);
    const urlStart = at(first) === 0x3c /* < */ ? first + 1 : first;
    const urlEnd = end('url', urlStart);
    const close = closeAfter(urlEnd);
    if (close >= 0) return { url: text.slice(urlStart, urlEnd), end: close };
    // The pattern's leading blanks give some back: the URL is empty and the title follows the blanks.
    if (first > open) {
      const title = titleEnd(first);
      if (title >= 0) {
        const closeAt = end('blanks', title);
        if (at(closeAt) === 0x29) return { url: '', end: closeAt + 1 };
      }
    }
    return undefined;
  };
  let out = '';
  let last = 0;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
    const close = end('label', i + 1);
    if (at(close) !== 0x5d || at(close + 1) !== 0x28) continue;
    const found = target(close + 2);
    if (found === undefined) continue;
    const start = i - 1 >= last && at(i - 1) === 0x21 /* ! */ ? i - 1 : i;
    out += text.slice(last, start) + replace(text.slice(start, found.end), { bang: start < i ? '!' : '', label: text.slice(i + 1, close), url: found.url });
    last = found.end;
    i = found.end - 1;
  }
  return out + text.slice(last);
}

// Reference definitions `[id]: url`, including the `[//]: # (hidden)` comment trick.
const REFERENCE_DEFINITION = /^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*?)>?(?:[ \t].*)?$/gm;

function sanitiseLinks(text: string, options: SanitizeOptions): string {
  const linked = replaceInlineLinks(text, (whole, { bang, label, url }) => {
    if (isAllowedUrl(url, options)) return whole;
    return bang === '!' ? `${label} (image removed)` : `${label} (link removed)`;
  });
  return linked.replace(REFERENCE_DEFINITION, (whole, url: string) => (isAllowedUrl(url, options) ? whole : ''));
}

/** `@name`, `@org/team`: a zero-width space after the `@` keeps the text and drops the ping. */
function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b');
}

/** Sanitises text inside code (fenced blocks, inline code): only what stays dangerous there. */
export function sanitizeCode(text: string, options: SanitizeOptions): string {
  return breakMarkers(neutraliseCommands(defangBareUrls(redactSecrets(stripInvisible(text)), options)));
}

function sanitiseProse(text: string, options: SanitizeOptions): string {
  const parts = splitInlineCode(text);
  return parts
    .map((part) => {
      if (part.code) return sanitizeCode(part.text, options);
      // Entities first: GitHub finds mentions after decoding them (`&#64;team` would ping). The
      // five that decode to harmless characters stay, so text sanitised twice (a draft's
      // explanation inside a comment) or escaped by `escapeRepositoryText` first does not show
      // `&amp;lt;`.
      let out = escapeHtml(part.text.replace(/&(?!(?:amp|lt|gt|quot|#39);)(?=#?[A-Za-z0-9]+;)/g, '&amp;'));
      out = sanitiseLinks(out, options);
      out = defangBareUrls(out, options);
      out = neutraliseMentions(out);
      return out;
    })
    .join('');
}

/** Splits prose into inline code spans (a backtick run closed by a run of the same length) and the rest. */
export function splitInlineCode(text: string): Array<{ code: boolean; text: string }> {
  const parts: Array<{ code: boolean; text: string }> = [];
  let last = 0;
  const opener = /`+/g;
  for (let m = opener.exec(text); m !== null; m = opener.exec(text)) {
    const run = m[0];
    const closeAt = findClosingRun(text, m.index + run.length, run.length);
    if (closeAt < 0) continue;
    if (m.index > last) parts.push({ code: false, text: text.slice(last, m.index) });
    parts.push({ code: true, text: text.slice(m.index, closeAt + run.length) });
    last = closeAt + run.length;
    opener.lastIndex = last;
  }
  if (last < text.length) parts.push({ code: false, text: text.slice(last) });
  return parts;
}

function findClosingRun(text: string, from: number, length: number): number {
  const run = /`+/g;
  run.lastIndex = from;
  for (let m = run.exec(text); m !== null; m = run.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

/**
 * Splits Markdown into fenced code blocks and the rest, as CommonMark does: a fence of 3+
 * backticks or tildes (indented at most 3 spaces) closes at a line with a run of the same
 * character at least as long, or runs to the end of the text.
 */
function splitFences(text: string): Array<{ code: boolean; text: string }> {
  const lines = text.split('\n');
  const parts: Array<{ code: boolean; text: string }> = [];
  let buffer: string[] = [];
  let fence: { char: string; length: number } | undefined;
  const flush = (code: boolean): void => {
    if (buffer.length > 0) parts.push({ code, text: buffer.join('\n') });
    buffer = [];
  };
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined) {
      if (m !== null && !(m[1]?.startsWith('`') === true && line.slice(m[0].length).includes('`'))) {
        flush(false);
        fence = { char: m[1]?.[0] ?? '`', length: m[1]?.length ?? 3 };
      }
      buffer.push(line);
    } else {
      buffer.push(line);
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close !== null && close[1]?.[0] === fence.char && (close[1]?.length ?? 0) >= fence.length) {
        flush(true);
        fence = undefined;
      }
    }
  }
  flush(fence !== undefined);
  // Keep the newlines between parts: each part was joined without its trailing newline.
  return parts.map((part, i) => ({ code: part.code, text: i < parts.length - 1 ? `${part.text}\n` : part.text }));
}

/**
 * Sanitises Markdown before it is posted:
 * 1. invisible characters are removed and secrets redacted everywhere;
 * 2. outside code: HTML other than ftbot's own markers is escaped, links and images outside the
 *    allow-list lose their target, bare URLs outside it are defanged (`evil[.]com/x`), and
 *    `@mentions` get a zero-width space (`@\u200bteam`);
 * 3. everywhere: a line starting with a slash-command (`/approve`) gets a zero-width space first.
 *
 * Code blocks keep their text apart from secrets, URLs and command lines: GitHub neither links
 * nor pings inside code, and suggestion blocks must stay the code that was verified.
 *
 * @param text
 *   The Markdown to post.
 * @param options.repository
 *   `owner/name` of the repository posted to; links into it stay.
 *
 * @example
 *   sanitizeOutput('cc @org/team /merge ![x](https://evil.example/p.png)', {})
 *   // → 'cc @\u200borg/team /merge x (image removed)'
 */
export function sanitizeOutput(text: string, options: SanitizeOptions = {}): string {
  const clean = redactSecrets(stripInvisible(text.replace(/\r\n?/g, '\n')));
  const out = splitFences(clean)
    .map((part) => (part.code ? sanitizeCode(part.text, options) : sanitiseProse(part.text, options)))
    .join('');
  return neutraliseCommands(out);
}
