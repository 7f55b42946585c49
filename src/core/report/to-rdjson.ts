import type { Finding } from '../diagnostics.js';
import { fixEditPositions } from './edit-positions.js';

const severities = { error: 'ERROR', warning: 'WARNING', info: 'INFO' } as const;

type Position = { line: number; column: number };

/** reviewdog's Diagnostic Format (rdjson), the fields ftbot fills. */
export type RdjsonReport = {
  source: { name: string; url?: string };
  diagnostics: Array<{
    message: string;
    location: { path: string; range: { start: Position; end: Position } };
    severity: 'ERROR' | 'WARNING' | 'INFO';
    code: { value: string; url?: string };
    suggestions?: Array<{ range: { start: Position; end: Position }; text: string }>;
  }>;
};

/**
 * Renders reviewdog's rdjson (`reviewdog -f=rdjson`): one diagnostic per finding with its range,
 * severity, rule id and docs link, and the edits of safe fixes as suggestions (reviewdog turns
 * them into suggested changes). Lines and columns are 1-based; columns count UTF-16 units, which
 * equal reviewdog's UTF-8 byte columns on ASCII lines.
 */
export function renderRdjson(params: {
  findings: readonly Finding[];
  textOf: (path: string) => string | undefined;
  /** Base URL of the rule docs, e.g. `https://github.com/o/r/blob/main/docs/rules`. */
  docsBaseUrl?: string;
  informationUri?: string;
}): RdjsonReport {
  return {
    source: { name: 'ftbot', ...(params.informationUri === undefined ? {} : { url: params.informationUri }) },
    diagnostics: params.findings.map((f) => {
      const d: RdjsonReport['diagnostics'][number] = {
        message: f.help === undefined ? f.message : `${f.message}. ${f.help}`,
        location: { path: f.path, range: { start: { line: f.line, column: f.column }, end: { line: f.endLine, column: f.endColumn } } },
        severity: severities[f.severity],
        code: { value: f.ruleId, ...(params.docsBaseUrl === undefined ? {} : { url: `${params.docsBaseUrl}/${f.ruleId.toLowerCase()}-${f.ruleName}.md` }) },
      };
      const edits = f.fix?.applicability === 'safe' ? fixEditPositions(f.fix, () => params.textOf(f.path)) : undefined;
      if (edits !== undefined) {
        d.suggestions = edits.map((e) => ({
          range: { start: { line: e.line, column: e.column }, end: { line: e.endLine, column: e.endColumn } },
          text: e.replacement,
        }));
      }
      return d;
    }),
  };
}
