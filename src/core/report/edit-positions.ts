import type { TextEdit } from '../diagnostics.js';
import { createLineIndex } from '../parsing/syntax.js';

export type PositionedEdit = { line: number; column: number; endLine: number; endColumn: number; replacement: string };

/** Converts offset-based edits to 1-based line/column ranges (end exclusive) for external formats. */
export function positionEdits(text: string, edits: readonly TextEdit[]): PositionedEdit[] {
  const at = createLineIndex(text);
  return edits.map((e) => {
    const a = at(e.start);
    const b = at(e.end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, replacement: e.text };
  });
}

/** Applies edits to `text` (non-overlapping; applied from the end so offsets stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
