/**
 * Whole user-visible bodies as one reviewed Markdown file each (`test/__snapshots__/`), so a
 * change to any line a user reads shows up in review. Bodies are kept as posted; the helpers
 * only join the parts of a multi-part post (a review and its inline comments, a check run's
 * output and annotations) in the order GitHub shows them.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A snapshot file under `test/__snapshots__/<area>/`. The file must exist: Vitest would otherwise
 * write a missing one and pass, so a test would assert nothing. A new body starts as an empty file,
 * filled by `npx vitest run -u <test>` and reviewed before it is committed.
 */
export function snapshotFile(area: string, name: string): string {
  const path = fileURLToPath(new URL(`../__snapshots__/${area}/${name}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`no snapshot ${area}/${name}: create it empty, fill it with \`npx vitest run -u\`, and review it`);
  return path;
}

/** A review as GitHub shows it: the review body, then each inline comment under its location. */
export function reviewMarkdown(review: { body: string; comments: ReadonlyArray<{ path: string; line: number; start_line?: number; body: string }> }): string {
  const parts = [`# Review body`, '', review.body];
  for (const c of review.comments) {
    parts.push('', `# Inline comment on ${c.path}:${c.start_line === undefined ? c.line : `${c.start_line}-${c.line}`}`, '', c.body);
  }
  return `${parts.join('\n')}\n`;
}

/** A check run as GitHub shows it: conclusion, title, summary, then the annotations one a line. */
export function checkRunMarkdown(run: { conclusion?: string | undefined; output?: { title: string; summary: string } | undefined; annotations: ReadonlyArray<Record<string, unknown>> }): string {
  const parts = [`# ${run.conclusion ?? 'in progress'}: ${run.output?.title ?? ''}`, '', run.output?.summary ?? '', '', `# Annotations (${run.annotations.length})`, ''];
  for (const a of run.annotations) parts.push(`- ${String(a.annotation_level)} ${String(a.path)}:${String(a.start_line)}-${String(a.end_line)} ${String(a.title)}: ${String(a.message)}`);
  return `${parts.join('\n')}\n`;
}
