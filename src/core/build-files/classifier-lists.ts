import type { BuildFileKind } from '../languages.js';
import { afterHashOnLine } from '../parsing/source-text.js';
import { iniValue } from './ini-value.js';

/** A trove classifier list in a build file: its span (key to closing bracket) and its entries. */
export type ClassifierList = { start: number; end: number; entries: string[] };

/** How far a list may reach: a classifier list is a few dozen lines. */
const maxListLength = 20_000;

/**
 * The offset just past the bracket that closes the one at `open` (`[` or `(`), skipping quoted
 * strings and `#` comments, or -1 when it does not close within `maxListLength` characters.
 */
function closeOf(text: string, open: number): number {
  let depth = 0;
  const limit = Math.min(text.length, open + maxListLength);
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      const newline = text.indexOf('\n', i + 1);
      if (close < 0 || (newline >= 0 && newline < close)) return -1;
      i = close;
    } else if (c === '#') {
      const newline = text.indexOf('\n', i);
      if (newline < 0) return -1;
      i = newline;
    } else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The quoted strings of a list's text, outside `#` comments. */
function quotedEntries(text: string): string[] {
  const code = text.replace(/(^|[ \t,[(])#[^\n]*/gm, '$1');
  return [...code.matchAll(/(["'])([^"'\n]{1,300})\1/g)].map((m) => m[2] ?? '');
}

/** `classifiers =` in `setup.cfg`'s `[metadata]`: the value and its indented continuation lines. */
function setupCfgLists(text: string): ClassifierList[] {
  const value = iniValue(text, { section: 'metadata', key: /^classifiers[ \t]*=/ });
  if (value === undefined) return [];
  const entries = [value.first, ...value.more].map((entry) => entry.trim()).filter(Boolean);
  return [{ start: value.start, end: value.end, entries }];
}

/**
 * The trove classifier lists of a build file: `classifiers = [...]` in `pyproject.toml`, a
 * `classifiers=[...]` argument or a `CLASSIFIERS = [...]` constant in `setup.py`, and
 * `classifiers =` in `setup.cfg`. Only lists that name some `Programming Language :: Python`
 * classifier count (a list of something else is not the project's metadata).
 *
 * @example
 *   classifierLists('pyproject', '[project]\nclassifiers = ["Programming Language :: Python :: 3.13"]\n')
 *   // → [{ start: 10, end: 67, entries: ['Programming Language :: Python :: 3.13'] }]
 */
export function classifierLists(kind: BuildFileKind, text: string): ClassifierList[] {
  if (!/classifiers/i.test(text)) return [];
  const lists = kind === 'setup-cfg' ? setupCfgLists(text) : [];
  if (kind === 'pyproject' || kind === 'setup-py') {
    const key = kind === 'pyproject' ? /^classifiers[ \t]*=[ \t]*\[/gm : /\bclassifiers[ \t]*=[ \t]*[[(]/gi;
    for (const m of text.matchAll(key)) {
      if (afterHashOnLine(text, m.index)) continue;
      const open = m.index + m[0].length - 1;
      const end = closeOf(text, open);
      if (end < 0) continue;
      lists.push({ start: m.index, end, entries: quotedEntries(text.slice(open, end)) });
    }
  }
  return lists.filter((l) => l.entries.some((e) => e.startsWith('Programming Language :: Python')));
}
