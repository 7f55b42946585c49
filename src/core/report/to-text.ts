import type { Diagnostic, Finding } from '../diagnostics.js';
import { isApplicable } from '../fixes/apply-fixes.js';

export type TextOptions = {
  /** Print each finding's help (fix title) and its related places (at most three) under it. */
  showHelp?: boolean;
  /** Count unsafe fixes as applicable in the summary (`--unsafe-fixes` was given). */
  unsafeFixes?: boolean;
  /** Print the flagged source lines under each finding (ruff's full output); needs the text. */
  codeFrame?: { textOf: (path: string) => string | undefined };
  /** Leave out the summary lines (`--quiet`). */
  quiet?: boolean;
  /** Mark fixable findings with `[*]` and say how to apply their fixes (the CLI's output). */
  fixHints?: boolean;
};

/**
 * Renders findings the way ruff's concise output does, one per line:
 *
 *   src/mod.c:12:21: FT001 `PyDict_GetItem` returns a borrowed reference …
 *
 * optionally with a code frame (the flagged lines, numbered, with a caret line under the span),
 * followed by a summary that says how many findings `--fix` (or `--unsafe-fixes`) would fix.
 * File names and source lines pass through `terminalSafe`, so a name holding an escape sequence
 * or a newline cannot repaint the terminal or forge an extra finding line. Diagnostics (skipped
 * files and the like) are rendered separately by `renderDiagnosticsText` because the CLI prints
 * them on stderr.
 */
export function renderText(findings: readonly Finding[], options: TextOptions = {}): string {
  const lines: string[] = [];
  for (const f of findings) {
    const mark = options.fixHints && f.fix !== undefined && isApplicable(f.fix.applicability, options.unsafeFixes === true) ? ' [*]' : '';
    lines.push(`${terminalSafe(f.path)}:${f.line}:${f.column}: ${f.ruleId}${mark} ${terminalSafe(f.message)}`);
    if (options.codeFrame !== undefined) lines.push(...codeFrame(f, options.codeFrame.textOf(f.path)));
    if (options.showHelp && f.help !== undefined) lines.push(`  help: ${terminalSafe(f.help)}${f.fix ? ` [fix: ${f.fix.applicability}]` : ''}`);
    if (options.showHelp) lines.push(...relatedLines(f));
  }
  if (!options.quiet) lines.push(...(options.fixHints ? summary(findings, options.unsafeFixes === true) : plainSummary(findings)));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Most related places printed under a finding; JSON and SARIF carry them all. */
const MAX_RELATED_LINES = 3;

/**
 * A finding's related places, one line each (`  related: src/mod.c:40:5: also written in \`f\``),
 * the first three, then how many more.
 */
function relatedLines(f: Finding): string[] {
  const related = f.related ?? [];
  const lines = related.slice(0, MAX_RELATED_LINES).map((r) => `  related: ${terminalSafe(r.path)}:${r.line}:${r.column}: ${terminalSafe(r.message)}`);
  if (related.length > MAX_RELATED_LINES) lines.push(`  related: … and ${related.length - MAX_RELATED_LINES} more (JSON and SARIF list them all)`);
  return lines;
}

function plainSummary(findings: readonly Finding[]): string[] {
  const fixable = findings.filter((f) => f.fix?.applicability === 'safe').length;
  if (findings.length === 0) return ['No free-threading hazards found.'];
  return [`Found ${findings.length} finding${findings.length === 1 ? '' : 's'}${fixable > 0 ? ` (${fixable} with a safe fix)` : ''}.`];
}

function summary(findings: readonly Finding[], unsafeFixes: boolean): string[] {
  if (findings.length === 0) return ['No free-threading hazards found.'];
  const out = [`Found ${findings.length} finding${findings.length === 1 ? '' : 's'}.`];
  const fixable = findings.filter((f) => f.fix !== undefined && isApplicable(f.fix.applicability, unsafeFixes)).length;
  const hidden = unsafeFixes ? 0 : findings.filter((f) => f.fix?.applicability === 'unsafe').length;
  if (fixable > 0) out.push(`[*] ${fixable} fixable with \`ftbot scan --fix${unsafeFixes ? ' --unsafe-fixes' : ''}\` (preview the edits with \`--diff\`).`);
  if (hidden > 0) out.push(`${hidden} more fixable with \`--unsafe-fixes\`: they change behaviour, so review them first.`);
  return out;
}

/** Up to three numbered source lines of a finding, with `^` under the flagged columns. */
function codeFrame(f: Finding, text: string | undefined): string[] {
  if (text === undefined) return [];
  const all = text.split('\n');
  const last = Math.min(f.endLine, f.line + 2);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = f.line; n <= last; n++) {
    const source = terminalSafe((all[n - 1] ?? '').replace(/\t/g, ' ').slice(0, 200));
    out.push(`  ${String(n).padStart(width)} | ${source}`);
    if (n === f.line) {
      const from = f.column - 1;
      const to = f.endLine === f.line ? Math.max(f.endColumn - 1, f.column) : source.length;
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.min(from, 200))}${'^'.repeat(Math.max(1, Math.min(to, 200) - from))}`);
    }
  }
  out.push('');
  return out;
}

/** One line per diagnostic: `path:line: kind: message`. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.path === undefined ? '(project)' : terminalSafe(d.path)}${d.line ? `:${d.line}` : ''}: ${d.kind}: ${terminalSafe(d.message)}\n`).join('');
}

/**
 * `--statistics`: one line per rule, most frequent first, ruff's layout:
 *
 *   3  FT001  [*] dict-get-item-borrowed
 */
export function renderStatistics(findings: readonly Finding[], options: { unsafeFixes?: boolean } = {}): string {
  const byRule = new Map<string, { name: string; count: number; fixable: boolean }>();
  for (const f of findings) {
    const entry = byRule.get(f.ruleId) ?? { name: f.ruleName, count: 0, fixable: false };
    entry.count++;
    if (f.fix !== undefined && isApplicable(f.fix.applicability, options.unsafeFixes === true)) entry.fixable = true;
    byRule.set(f.ruleId, entry);
  }
  const rows = [...byRule.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const width = String(rows[0]?.[1].count ?? 0).length;
  return rows.map(([id, r]) => `${String(r.count).padStart(width)}  ${id}  ${r.fixable ? '[*]' : '   '} ${r.name}\n`).join('');
}

/**
 * Makes repository text safe to print on a terminal: C0 and C1 control characters (ESC, CR, LF,
 * BEL …) and DEL become visible `\xNN` escapes, and so do the Unicode line and paragraph
 * separators and bidirectional overrides.
 *
 * @example
 *   terminalSafe('a\u001b[31mb\nc.c') // → 'a\\x1b[31mb\\x0ac.c'
 */
export function terminalSafe(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const unsafe = (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (!unsafe) continue;
    out += text.slice(from, i) + (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
