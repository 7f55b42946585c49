/**
 * A unified diff of one file (`--- a/path`, `+++ b/path`, `@@ -l,n +l,n @@` hunks with three
 * lines of context), as `diff -u` and `git diff` print it; the empty string when nothing changed.
 * Lines common to both ends are trimmed first, so the quadratic part (a longest-common-
 * subsequence table) only sees the changed middle; a middle over 4 million cells is shown as one
 * replacement hunk instead.
 *
 * @example
 *   unifiedDiff('m.c', 'a\nb\nc\n', 'a\nB\nc\n')
 *   // → '--- a/m.c\n+++ b/m.c\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n'
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Array<{ kind: ' ' | '-' | '+'; line: string }> = [];
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', line: a[i] ?? '' });
  ops.push(...middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail)));
  for (let i = a.length - tail; i < a.length; i++) ops.push({ kind: ' ', line: a[i] ?? '' });
  return `--- a/${path}\n+++ b/${path}\n${hunks(ops, context)}`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  // A final newline ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function middleOps(a: string[], b: string[]): Array<{ kind: ' ' | '-' | '+'; line: string }> {
  if (a.length * b.length > 4_000_000) return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] ?? [];
    const below = lcs[i + 1] ?? [];
    for (let j = b.length - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
  }
  // On a tie the deletion goes first, so a changed line reads `-old` then `+new`.
  const ops: Array<{ kind: ' ' | '-' | '+'; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] ?? '' });
      j++;
    } else if (j < b.length && (i === a.length || (lcs[i]?.[j + 1] ?? 0) > (lcs[i + 1]?.[j] ?? 0))) ops.push({ kind: '+', line: b[j++] ?? '' });
    else ops.push({ kind: '-', line: a[i++] ?? '' });
  }
  return ops;
}

function hunks(ops: Array<{ kind: ' ' | '-' | '+'; line: string }>, context: number): string {
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, (changed[k] ?? 0) - context);
    let end = (changed[k] ?? 0) + context;
    while (k + 1 < changed.length && (changed[k + 1] ?? 0) - context <= end + 1) end = (changed[++k] ?? 0) + context;
    k++;
    end = Math.min(ops.length - 1, end);
    // Line numbers of the hunk's first line on each side.
    let oldLine = 1;
    let newLine = 1;
    for (let i = 0; i < start; i++) {
      if (ops[i]?.kind !== '+') oldLine++;
      if (ops[i]?.kind !== '-') newLine++;
    }
    const slice = ops.slice(start, end + 1);
    const oldCount = slice.filter((o) => o.kind !== '+').length;
    const newCount = slice.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n`);
    for (const o of slice) out.push(`${o.kind}${o.line}\n`);
  }
  return out.join('');
}

function range(start: number, count: number): string {
  // diff -u writes an empty range as the line before it.
  return count === 1 ? String(start) : `${count === 0 ? start - 1 : start},${count}`;
}
