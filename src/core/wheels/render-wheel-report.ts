import type { WheelCheck } from './check-wheels.js';
import type { MatrixCell, TagMatrix } from './tag-matrix.js';

export type WheelReportFormat = 'markdown' | 'text';

const MARK: Record<MatrixCell['status'], string> = { yes: '✅', no: '❌', 'n/a': '–' };

/** Puts untrusted text in a Markdown code span: backticks and line breaks cannot break out of it. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;
}

/** Keeps untrusted text on one terminal line without control characters. */
function plain(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ');
}

function title(check: WheelCheck, format: WheelReportFormat): string {
  if (check.project === '') return 'Free-threaded wheels';
  const name = format === 'markdown' ? code(check.project) : plain(check.project);
  // Versions from an index are untrusted too; a PEP 440 version only needs these characters.
  const version = check.version === null ? '' : ` ${check.version.replace(/[^A-Za-z0-9.!+_-]/g, '?')}`;
  return `Free-threaded wheels: ${name}${version}`;
}

function summary(matrix: TagMatrix): string {
  const served = matrix.rows.filter((r) => r.cells.some((c) => c.status === 'yes')).map((r) => r.python);
  if (!matrix.anyFreeThreaded) return 'No wheel installs on a free-threaded build.';
  if (served.length === 0) return 'Free-threaded wheels exist, but none for the platforms below.';
  return `Wheels install on ${served.join(', ')}.`;
}

function renderMarkdown(check: WheelCheck): string {
  const lines = [`### ${title(check, 'markdown')}`, ''];
  const matrix = check.matrix;
  if (check.status === 'unknown' || matrix === null) {
    lines.push(`Could not check: ${check.note ?? 'the package index did not answer'}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(summary(matrix), '');

  // Footnotes name the wheel behind each ✅, one footnote per distinct wheel.
  const footnotes = new Map<string, number>();
  const mark = (cell: MatrixCell): string => {
    if (cell.status !== 'yes' || cell.wheel === undefined) return MARK[cell.status];
    let n = footnotes.get(cell.wheel);
    if (n === undefined) {
      n = footnotes.size + 1;
      footnotes.set(cell.wheel, n);
    }
    return `${MARK.yes}[^${n}]`;
  };
  lines.push(`| Python | ${matrix.columns.map((c) => c.label).join(' | ')} |`);
  lines.push(`| :-- | ${matrix.columns.map(() => ':-:').join(' | ')} |`);
  for (const row of matrix.rows) lines.push(`| ${row.python} | ${row.cells.map(mark).join(' | ')} |`);
  lines.push('');
  const legend = ['✅ a wheel installs', '❌ no wheel'];
  if (matrix.rows.some((r) => r.cells.some((c) => c.status === 'n/a'))) legend.push('– no free-threaded CPython there');
  lines.push(legend.join(' · '));

  if (matrix.pureWheel !== null) {
    lines.push('', `${code(matrix.pureWheel)} is a pure-Python wheel: it installs on every free-threaded build.`);
  }
  if (check.note !== undefined) lines.push('', check.note);
  if (check.errors.length > 0) {
    lines.push('', 'Not valid wheel filenames:');
    for (const e of check.errors) lines.push(`- ${code(e.filename)}: ${code(e.code)}`);
  }
  if (footnotes.size > 0) {
    lines.push('');
    for (const [wheel, n] of footnotes) lines.push(`[^${n}]: ${code(wheel)}`);
  }
  return `${lines.join('\n')}\n`;
}

function renderText(check: WheelCheck): string {
  const lines = [title(check, 'text')];
  const matrix = check.matrix;
  if (check.status === 'unknown' || matrix === null) {
    lines.push(`Could not check: ${plain(check.note ?? 'the package index did not answer')}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(summary(matrix), '');

  // Two header lines: "manylinux x86_64" is shown as "manylinux" over "x86_64".
  const heads = matrix.columns.map((c) => {
    const space = c.label.indexOf(' ');
    return space === -1 ? [c.label, ''] : [c.label.slice(0, space), c.label.slice(space + 1)];
  });
  const widths = heads.map(([a = '', b = '']) => Math.max(a.length, b.length, 3));
  const first = Math.max(6, ...matrix.rows.map((r) => r.python.length));
  const row = (label: string, cells: string[]): string =>
    `${label.padEnd(first)}  ${cells.map((c, i) => c.padEnd(widths[i] ?? 3)).join('  ')}`.trimEnd();
  lines.push(row('Python', heads.map(([a = '']) => a)));
  lines.push(row('', heads.map(([, b = '']) => b)));
  for (const r of matrix.rows) lines.push(row(r.python, r.cells.map((c) => c.status)));

  const used = [...new Set(matrix.rows.flatMap((r) => r.cells.flatMap((c) => (c.wheel === undefined ? [] : [c.wheel]))))];
  if (used.length > 0) {
    lines.push('', 'Wheels behind "yes":');
    for (const wheel of used.sort()) lines.push(`  ${plain(wheel)}`);
  }
  if (matrix.pureWheel !== null) {
    lines.push('', `${plain(matrix.pureWheel)} is a pure-Python wheel: it installs on every free-threaded build.`);
  }
  if (check.note !== undefined) lines.push('', plain(check.note));
  if (check.errors.length > 0) {
    lines.push('', 'Not valid wheel filenames:');
    for (const e of check.errors) lines.push(`  ${plain(e.message)} [${e.code}]`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Renders a wheel check for a GitHub comment (`markdown`) or a terminal (`text`).
 *
 * @param check
 *   The result of `checkWheels` or `checkWheelFilenames`.
 * @param format
 *   `markdown`: a table with ✅/❌/– and a footnote naming the wheel behind each ✅;
 *   `text`: the same table with yes/no/n/a and the wheels listed below it.
 * @returns
 *   The report, ending in a newline.
 */
export function renderWheelReport(check: WheelCheck, format: WheelReportFormat): string {
  return format === 'markdown' ? renderMarkdown(check) : renderText(check);
}
