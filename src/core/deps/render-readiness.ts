import type { DependencyReadiness, ReadinessCheck, ReadinessStatus } from './check-readiness.js';
import { localCommand } from '../run-locally.js';

export type ReadinessReportFormat = 'markdown' | 'text';

const LABEL: Record<ReadinessStatus, string> = {
  'not-ready': 'not ready',
  'sdist-only': 'sdist only',
  unknown: 'unknown',
  ready: 'ready',
  pure: 'pure Python',
};

const MARK: Record<ReadinessStatus, string> = { 'not-ready': '❌', 'sdist-only': '⚠️', unknown: '❔', ready: '✅', pure: '✅' };

/** Puts untrusted text in a Markdown code span that cannot break out of a table cell. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|')}\``;
}

/** Table-cell text: our notes quote names in backticks already; only pipes and breaks need care. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

/** Keeps untrusted text on one terminal line without control characters. */
function plain(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ');
}

/** Versions come from the index; a PEP 440 version only needs these characters. */
function version(text: string | null): string {
  return text === null ? '–' : text.replace(/[^A-Za-z0-9.!+_-]/g, '?');
}

function summary(check: ReadinessCheck, format: ReadinessReportFormat): string {
  const total = check.dependencies.length;
  if (total === 0) return 'No dependency to check.';
  const names = check.blockers.map((b) => (format === 'markdown' ? code(b) : plain(b))).join(', ');
  const unknown = check.dependencies.filter((d) => d.status === 'unknown').length;
  const tail = unknown === 0 ? '' : ` ${unknown} could not be checked.`;
  if (check.blockers.length === 0) {
    if (unknown === total) return total === 1 ? 'The dependency could not be checked.' : `None of the ${total} could be checked.`;
    if (unknown === 0) return `None of ${total} blocks free-threaded installs.`;
    return `None of the ${total - unknown} checked blocks free-threaded installs.${tail}`;
  }
  const verb = check.blockers.length === 1 ? 'has' : 'have';
  return `${check.blockers.length} of ${total} ${verb} no free-threaded or pure-Python wheel: ${names}.${tail}`;
}

function nameCell(d: DependencyReadiness): string {
  const group = d.group === null ? '' : ` (${code(d.group)})`;
  return `${code(d.name)}${group}`;
}

/** The line that says how many rows were cut, and where the full list is. */
function cutLine(cut: number, noun: string): string {
  return `… and ${cut} more ${noun}, not shown here; ${localCommand('deps')} in a checkout lists them all.`;
}

function renderMarkdown(check: ReadinessCheck, maxRows: number): string {
  const lines = ['### Dependencies on free-threaded CPython', '', summary(check, 'markdown'), ''];
  if (check.dependencies.length > 0) {
    lines.push('| dependency | status | free-threaded since | latest | note |', '| :-- | :-- | :-- | :-- | :-- |');
    // Blockers come first, so a cut drops the least pressing rows.
    for (const d of check.dependencies.slice(0, maxRows)) {
      const since = d.status === 'ready' ? version(d.firstFreeThreadedVersion) : '–';
      lines.push(`| ${nameCell(d)} | ${MARK[d.status]} ${LABEL[d.status]} | ${since} | ${version(d.latestVersion)} | ${cell(d.note ?? '')} |`);
    }
    const cut = check.dependencies.length - maxRows;
    if (cut > 0) lines.push('', cutLine(cut, cut === 1 ? 'dependency' : 'dependencies'));
    lines.push('');
  }
  if (check.skipped.length > 0) {
    lines.push(`<details><summary>Not checked (${check.skipped.length})</summary>`, '');
    for (const s of check.skipped.slice(0, maxRows)) lines.push(`- ${code(s.requirement)}: ${cell(s.reason)}`);
    const cut = check.skipped.length - maxRows;
    if (cut > 0) lines.push(`- ${cutLine(cut, cut === 1 ? 'entry' : 'entries')}`);
    lines.push('', '</details>', '');
  }
  return `${lines.join('\n')}`;
}

function renderText(check: ReadinessCheck): string {
  const lines = ['Dependencies on free-threaded CPython', summary(check, 'text')];
  const width = Math.max(0, ...check.dependencies.map((d) => d.name.length));
  for (const d of check.dependencies) {
    const since = d.status === 'ready' && d.firstFreeThreadedVersion !== null ? ` (since ${version(d.firstFreeThreadedVersion)})` : '';
    const latest = d.latestVersion === null ? '' : ` ${version(d.latestVersion)}`;
    const note = d.note === null ? '' : `  ${plain(d.note)}`;
    lines.push(`  ${LABEL[d.status].padEnd(11)} ${plain(d.name).padEnd(width)}${latest}${since}${note}`);
  }
  if (check.skipped.length > 0) {
    lines.push('Not checked:');
    for (const s of check.skipped) lines.push(`  ${plain(s.requirement)}: ${plain(s.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Renders a readiness check for people: Markdown for GitHub (triage comment, PR summary,
 * `@app deps`) or plain text for a terminal. Blockers come first, as in the check.
 *
 * @param check
 *   The result of `checkDependencyReadiness`.
 * @param format
 *   `markdown` or `text`.
 * @param options
 *   `maxRows`: Markdown only, at most this many table rows and as many "Not checked" entries;
 *   a line says how many were cut (default: no cap). Comments have a size limit; terminals do not.
 * @returns
 *   The report, ending in a newline.
 */
export function renderReadiness(check: ReadinessCheck, format: ReadinessReportFormat, options: { maxRows?: number } = {}): string {
  const maxRows = Math.max(1, Math.floor(options.maxRows ?? Number.POSITIVE_INFINITY));
  return format === 'markdown' ? renderMarkdown(check, maxRows) : renderText(check);
}
