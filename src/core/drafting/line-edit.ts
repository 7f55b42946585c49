/**
 * Whole-line edits: applying them, and turning offset edits (a rule's fix) into one.
 */
import { lineOfOffset, lineStarts } from '../parsing/syntax.js';
import type { TextEdit } from '../diagnostics.js';
import { applyEdits } from '../report/edit-positions.js';
import type { LineEdit } from './types.js';

/**
 * Applies a whole-line edit. Keeps the file's line ending (`\r\n` files stay `\r\n`). Returns
 * undefined when the range is outside the file.
 *
 * @example
 *   applyLineEdit('a\nb\nc\n', { path: 'x.c', startLine: 2, endLine: 2, replacement: 'B1\nB2' }) // → 'a\nB1\nB2\nc\n'
 */
export function applyLineEdit(text: string, edit: LineEdit): string | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  // A final newline leaves an empty last element, which is not a line.
  const count = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  if (edit.startLine < 1 || edit.endLine < edit.startLine || edit.endLine > count) return undefined;
  const replacement = edit.replacement.replace(/\r\n?/g, '\n').split('\n');
  lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...replacement);
  return lines.join(eol);
}

/**
 * Turns offset edits into one whole-line edit covering every line they touch.
 *
 * Worked example: text `a\nb\nc\n`, insertion `{ start: 2, end: 2, text: 'X\n' }` (start of line 2)
 * → lines 2…2 become `X\nb`.
 */
export function toLineEdit(params: { path: string; text: string; edits: readonly TextEdit[] }): LineEdit | undefined {
  const { path, text, edits } = params;
  if (edits.length === 0) return undefined;
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => lineOfOffset(starts, offset);
  const first = Math.min(...edits.map((e) => e.start));
  const last = Math.max(...edits.map((e) => e.end));
  const startLine = lineOf(first);
  let endLine = lineOf(last);
  // An edit ending exactly at a line start touches nothing of that line, unless it is an insertion there.
  if (last > first && last === starts[endLine - 1] && endLine > startLine) endLine--;
  const regionStart = starts[startLine - 1] ?? 0;
  const nextStart = starts[endLine];
  const regionEnd = nextStart === undefined ? text.length : nextStart - 1;
  const region = text.slice(regionStart, regionEnd);
  const shifted = edits.map((e) => ({ start: e.start - regionStart, end: e.end - regionStart, text: e.text }));
  return { path, startLine, endLine, replacement: applyEdits(region, shifted).replace(/\r$/, '') };
}
