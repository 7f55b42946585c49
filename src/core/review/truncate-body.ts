import { localCommand } from '../run-locally.js';
/** GitHub rejects comment and review bodies longer than this (422 "Body is too long"). */
export const GITHUB_BODY_LIMIT = 65_536;

/**
 * Keeps a body under GitHub's limit. The `tail` (hidden markers) is always kept whole; the
 * visible part is cut at a line break and a note says so.
 *
 * @example
 *   truncateBody('…80,000 characters…', { tail: '<!-- ftbot:summary v1 -->' }).length // ≤ 65,536
 */
export function truncateBody(body: string, options: { tail?: string; limit?: number } = {}): string {
  const tail = options.tail ?? '';
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const joined = tail === '' ? body : `${body}\n${tail}`;
  if (joined.length <= limit) return joined;
  const note = `\n\n_Truncated: this comment reached GitHub's 65,536-character limit. Run ${localCommand('review .')} locally for the full report._\n`;
  // 4 more for a closing fence that may be added below.
  const room = Math.max(0, limit - note.length - 4 - (tail === '' ? 0 : tail.length + 1));
  let cut = body.slice(0, room);
  const newline = cut.lastIndexOf('\n');
  if (newline > room / 2) cut = cut.slice(0, newline);
  // An odd number of fences would leave the note inside a code block.
  if ((cut.match(/^```/gm) ?? []).length % 2 === 1) cut += '\n```';
  const out = `${cut}${note}${tail === '' ? '' : `\n${tail}`}`;
  return out.length <= limit ? out : out.slice(0, limit);
}
