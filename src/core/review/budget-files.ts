import type { Diagnostic } from '../diagnostics.js';

/** How much one run may read: bounds API calls, memory and time per event. */
export type FileBudget = {
  /** Files fetched and scanned at most. */
  maxFiles: number;
  /** Total size of those files at most, in bytes. */
  maxTotalBytes: number;
  /** One file larger than this is skipped (the config's `max-file-size`). */
  maxFileSize: number;
};

export const DEFAULT_FILE_BUDGET: Omit<FileBudget, 'maxFileSize'> = { maxFiles: 3000, maxTotalBytes: 64 * 1024 * 1024 };

/**
 * Picks the files to read, in the given order, within the budget. Files over the per-file size
 * are skipped with a `too-large` diagnostic; files past the count or byte budget are counted in
 * one `truncated` diagnostic each, so the summary can say what was left out. A file with no known
 * size is taken and its bytes are checked by the caller after reading.
 *
 * @example
 *   budgetFiles([{ path: 'a.c', size: 10 }, { path: 'b.c', size: 9e9 }], { maxFiles: 10, maxTotalBytes: 1e6, maxFileSize: 1e6 })
 *   // → { chosen: [a.c], skipped: [{ kind: 'too-large', path: 'b.c', … }] }
 */
export function budgetFiles<T extends { path: string; size?: number | undefined }>(files: readonly T[], budget: FileBudget): { chosen: T[]; skipped: Diagnostic[] } {
  const chosen: T[] = [];
  const skipped: Diagnostic[] = [];
  let bytes = 0;
  let overCount = 0;
  let overBytes = 0;
  for (const file of files) {
    const size = file.size ?? 0;
    if (size > budget.maxFileSize) {
      skipped.push({ kind: 'too-large', path: file.path, message: `skipped: ${size} bytes is over the ${budget.maxFileSize}-byte limit` });
    } else if (chosen.length >= budget.maxFiles) overCount++;
    else if (bytes + size > budget.maxTotalBytes) overBytes++;
    else {
      chosen.push(file);
      bytes += size;
    }
  }
  if (overCount > 0) skipped.push({ kind: 'truncated', message: `${overCount} more files not scanned: the limit is ${budget.maxFiles} files per run` });
  if (overBytes > 0) skipped.push({ kind: 'truncated', message: `${overBytes} more files not scanned: the limit is ${budget.maxTotalBytes} bytes per run` });
  return { chosen, skipped };
}
