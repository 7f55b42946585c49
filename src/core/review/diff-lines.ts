import parseDiff from 'parse-diff';

/**
 * The lines of one file a review comment may target on the RIGHT side, grouped by hunk: GitHub
 * rejects a whole review when one comment sits outside the diff, and a multi-line comment must
 * start and end in the same hunk.
 */
export type FileDiffLines = {
  /** Each hunk's commentable new-file line numbers (added and context lines), ascending. */
  hunks: number[][];
  /**
   * The lines the change adds or modifies (`+` lines), ascending. Only these get inline comments:
   * a context line is code the author did not touch.
   */
  added: number[];
};

/** Commentable lines per new-file path. A path missing from the map has no commentable line. */
export type DiffLines = Map<string, FileDiffLines>;

/**
 * Reads a unified diff (`git diff`, a `.diff` download) into the lines a review may comment on.
 * Deleted files are left out; renamed files are keyed by their new path.
 *
 * @example
 *   parseDiffLines('--- a/m.c\n+++ b/m.c\n@@ -1,2 +1,3 @@\n a\n+b\n c\n').get('m.c')
 *   // → { hunks: [[1, 2, 3]], added: [2] }
 */
export function parseDiffLines(diff: string): DiffLines {
  const out: DiffLines = new Map();
  for (const file of parseDiff(diff)) {
    const path = stripPrefix(file.to);
    if (path === undefined || file.deleted === true) continue;
    out.set(path, { hunks: hunksOf(file.chunks), added: addedOf(file.chunks) });
  }
  return out;
}

/**
 * Reads the bare hunks of one file as the pull-request files API gives them in `patch`.
 * parse-diff needs the `---`/`+++` header to name the file, so one is prepended.
 *
 * @example
 *   patchLines('@@ -1 +1,2 @@\n a\n+b') // → { hunks: [[1, 2]], added: [2] }
 */
export function patchLines(patch: string): FileDiffLines {
  const [file] = parseDiff(`--- a/F\n+++ b/F\n${patch}`);
  return file === undefined ? { hunks: [], added: [] } : { hunks: hunksOf(file.chunks), added: addedOf(file.chunks) };
}

function stripPrefix(path: string | undefined): string | undefined {
  if (path === undefined || path === '/dev/null') return undefined;
  return path.startsWith('b/') ? path.slice(2) : path;
}

function hunksOf(chunks: readonly parseDiff.Chunk[]): number[][] {
  return chunks.map((chunk) => {
    const lines: number[] = [];
    for (const change of chunk.changes) {
      if (change.type === 'del') continue;
      // `\ No newline at end of file` comes back as a change repeating the previous line number.
      if (change.content.startsWith('\\')) continue;
      lines.push(change.type === 'add' ? change.ln : change.ln2);
    }
    return [...new Set(lines)].sort((a, b) => a - b);
  });
}

function addedOf(chunks: readonly parseDiff.Chunk[]): number[] {
  const lines = new Set<number>();
  for (const chunk of chunks) for (const change of chunk.changes) if (change.type === 'add' && !change.content.startsWith('\\')) lines.add(change.ln);
  return [...lines].sort((a, b) => a - b);
}

/** True when the change adds or modifies `line` (a `+` line on the RIGHT side). */
export function isAddedLine(file: FileDiffLines | undefined, line: number): boolean {
  return file?.added.includes(line) === true;
}

/** The hunk index holding `line`, or -1 when the line is outside the diff. */
export function hunkOf(file: FileDiffLines | undefined, line: number): number {
  if (file === undefined) return -1;
  return file.hunks.findIndex((h) => h.includes(line));
}
