import type { Fix, TextEdit } from '../diagnostics.js';
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

/**
 * A fix's edits as line/column ranges: the ranges the engine stored with the fix, else computed
 * from the file's text (`textOf`, called only then). Undefined when neither is at hand.
 */
export function fixEditPositions(fix: Fix, textOf: () => string | undefined): PositionedEdit[] | undefined {
  const { edits, ranges } = fix;
  if (ranges !== undefined && ranges.length === edits.length) {
    const positioned: PositionedEdit[] = [];
    for (const [i, range] of ranges.entries()) positioned.push({ ...range, replacement: edits[i]?.text ?? '' });
    return positioned;
  }
  const text = textOf();
  return text === undefined ? undefined : positionEdits(text, edits);
}

/** Applies edits to `text` (non-overlapping; applied from the end so offsets stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
