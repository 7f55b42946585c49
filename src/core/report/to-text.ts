import type { Diagnostic, Finding } from '../diagnostics.js';

/**
 * Renders findings the way ruff's concise output does, one per line:
 *
 *   src/mod.c:12:21: FT001 `PyDict_GetItem` returns a borrowed reference …
 *
 * followed by a summary line. Diagnostics (skipped files and the like) are rendered separately
 * by `renderDiagnosticsText` because the CLI prints them on stderr.
 */
export function renderText(findings: readonly Finding[], options: { showHelp?: boolean } = {}): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.path}:${f.line}:${f.column}: ${f.ruleId} ${f.message}`);
    if (options.showHelp && f.help !== undefined) lines.push(`  help: ${f.help}${f.fix ? ` [fix: ${f.fix.applicability}]` : ''}`);
  }
  const fixable = findings.filter((f) => f.fix?.applicability === 'safe').length;
  if (findings.length === 0) lines.push('No free-threading hazards found.');
  else lines.push(`Found ${findings.length} finding${findings.length === 1 ? '' : 's'}${fixable > 0 ? ` (${fixable} with a safe fix)` : ''}.`);
  return `${lines.join('\n')}\n`;
}

/** One line per diagnostic: `path: kind: message`. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.path ?? '(project)'}${d.line ? `:${d.line}` : ''}: ${d.kind}: ${d.message}\n`).join('');
}
