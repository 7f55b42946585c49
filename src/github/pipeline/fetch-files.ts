import type { Context } from 'probot';
import type { Diagnostic } from '../../core/diagnostics.js';
import { mapConcurrently } from '../../core/map-concurrently.js';
import { DEFAULT_FILE_BUDGET } from '../../core/review/index.js';
import { FETCH_CONCURRENCY } from '../app-options.js';
import { FileTooLargeError, readRepoFile } from '../read-repo-file.js';

/**
 * Fetches files at `ref` through the contents API, a few at a time. A file that is gone or
 * unreadable, or that would pass the byte budget, is noted in `skipped`; the rest go on. Each
 * download stops at `maxFileBytes` or at what is left of `maxTotalBytes`, whichever is smaller,
 * so the pull request's file list (which has no sizes) cannot make a review hold more than the
 * budget plus one capped file per concurrent fetch.
 */
export async function fetchFiles(params: {
  context: Context;
  owner: string;
  repo: string;
  ref: string;
  paths: readonly string[];
  skipped: Diagnostic[];
  maxTotalBytes?: number;
  maxFileBytes?: number;
}): Promise<Array<{ path: string; text: string }>> {
  const { context, owner, repo, ref, paths, skipped } = params;
  const maxTotalBytes = params.maxTotalBytes ?? DEFAULT_FILE_BUDGET.maxTotalBytes;
  let bytes = 0;
  let overBudget = 0;
  const texts = await mapConcurrently(paths, FETCH_CONCURRENCY, async (path) => {
    if (bytes > maxTotalBytes) {
      overBudget++;
      return undefined;
    }
    const maxFileBytes = params.maxFileBytes ?? Number.POSITIVE_INFINITY;
    const maxBytes = Math.min(maxFileBytes, maxTotalBytes - bytes);
    try {
      const text = await readRepoFile(context, { owner, repo, path, ref, maxBytes });
      if (text === undefined) skipped.push({ kind: 'read-error', path, message: 'not found at the head commit' });
      else bytes += text.length;
      return text;
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        if (error.maxBytes >= maxFileBytes) skipped.push({ kind: 'too-large', path, message: `skipped: over the ${maxFileBytes}-byte limit` });
        else overBudget++;
        return undefined;
      }
      skipped.push({ kind: 'read-error', path, message: `could not fetch (${(error as { status?: number }).status ?? 'network error'})` });
      return undefined;
    }
  });
  if (overBudget > 0) skipped.push({ kind: 'truncated', message: `${overBudget} more files not scanned: the limit is ${maxTotalBytes} bytes per run` });
  return paths.flatMap((path, i) => {
    const text = texts[i];
    return text === undefined ? [] : [{ path, text }];
  });
}
