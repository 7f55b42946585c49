import type { Finding } from '../diagnostics.js';

const commands = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * Renders findings as GitHub Actions workflow commands, which the runner turns into annotations
 * on the pull request's files:
 *
 *   ::warning title=FT001 (dict-get-item-borrowed),file=src/m.c,line=8,col=23,endLine=8,endColumn=37::`PyDict_GetItem` returns …
 *
 * Values are escaped as the runner expects (`%`, CR and LF in the message; also `:` and `,` in
 * properties), so a file name or message cannot end the command early or start another one.
 */
export function renderGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const props = [
        `title=${escapeProperty(`${f.ruleId} (${f.ruleName})`)}`,
        `file=${escapeProperty(f.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
      ];
      return `::${commands[f.severity]} ${props.join(',')}::${escapeData(f.help === undefined ? f.message : `${f.message}. ${f.help}`)}\n`;
    })
    .join('');
}

function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
