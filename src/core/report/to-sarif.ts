import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import { VERSION } from '../version.js';
import { positionEdits } from './edit-positions.js';

const levels = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * Renders SARIF 2.1.0 for GitHub code scanning: one run, the rules that ran as
 * `tool.driver.rules`, one result per finding with a stable `partialFingerprints` entry so code
 * scanning tracks alerts across pushes, and fixes as `replacements`.
 */
export function renderSarif(params: {
  findings: readonly Finding[];
  rules: readonly Rule[];
  textOf: (path: string) => string | undefined;
  /** Absolute base URL of the rule docs; without it results carry no `helpUri`. */
  docsBaseUrl?: string;
}): Log {
  const { findings, rules, textOf, docsBaseUrl } = params;
  const driverRules: ReportingDescriptor[] = rules.map((r) => ({
    id: r.meta.id,
    name: r.meta.name,
    shortDescription: { text: r.meta.title.replace(/`/g, '') },
    ...(docsBaseUrl === undefined ? {} : { helpUri: `${docsBaseUrl}/${r.meta.id.toLowerCase()}-${r.meta.name}.md` }),
    defaultConfiguration: { level: levels[r.meta.severity] },
    properties: { confidence: r.meta.confidence, preview: r.meta.preview, tags: ['free-threading'] },
  }));
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results: Result[] = findings.map((f) => {
    const result: Result = {
      ruleId: f.ruleId,
      level: levels[f.severity],
      message: { text: f.help === undefined ? f.message : `${f.message}. ${f.help}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.path, uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
      partialFingerprints: { 'ftbot/v1': f.fingerprint },
      properties: { confidence: f.confidence },
    };
    const ruleIndex = index.get(f.ruleId);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    if (f.related !== undefined && f.related.length > 0) {
      result.relatedLocations = f.related.map((r, id) => ({
        id,
        message: { text: r.message },
        physicalLocation: { artifactLocation: { uri: r.path, uriBaseId: '%SRCROOT%' }, region: { startLine: r.line, startColumn: r.column } },
      }));
    }
    const text = f.fix === undefined ? undefined : textOf(f.path);
    if (f.fix !== undefined && text !== undefined) {
      result.fixes = [
        {
          description: { text: f.fix.title.replace(/`/g, '') },
          artifactChanges: [
            {
              artifactLocation: { uri: f.path, uriBaseId: '%SRCROOT%' },
              replacements: positionEdits(text, f.fix.edits).map((e) => ({
                deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                insertedContent: { text: e.replacement },
              })),
            },
          ],
        },
      ];
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ftbot', version: VERSION, rules: driverRules } },
        results,
      },
    ],
  };
}
