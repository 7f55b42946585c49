import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { Diagnostic, Finding } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import { VERSION } from '../version.js';
import { fixEditPositions } from './edit-positions.js';
import { firstParagraph, withoutFrontMatter } from './rule-docs.js';

const levels = { error: 'error', warning: 'warning', info: 'note' } as const;
/** GitHub code scanning reads `problem.severity` (error, warning, recommendation) and `precision`. */
const problemSeverity = { error: 'error', warning: 'warning', info: 'recommendation' } as const;
const precision = { high: 'high', medium: 'medium', low: 'low' } as const;
/** Skipped files are worth a warning; the rest of the diagnostics are notes. */
const warningKinds = new Set<Diagnostic['kind']>(['parse-error', 'read-error', 'too-large', 'unsupported-language', 'config-invalid', 'truncated']);

/**
 * Renders SARIF 2.1.0 for GitHub code scanning.
 *
 * - `tool.driver` names ftbot with `informationUri`, and lists the rules that ran, each with
 *   `shortDescription` (the title), `fullDescription` (the docs page's first paragraph), `help`
 *   (the page as text and Markdown, which code scanning shows beside each alert), `helpUri`, and
 *   `precision` / `problem.severity` properties from the rule's confidence and severity.
 * - One result per finding; `partialFingerprints['ftbot/v1']` is ftbot's own stable identity of a
 *   finding. GitHub's upload computes `primaryLocationLineHash` itself to track alerts.
 * - Fixes become `fixes[].artifactChanges[].replacements`.
 * - `originalUriBaseIds['%SRCROOT%']` is the scanned directory when the caller gives it.
 * - Skipped files and other diagnostics are `invocations[0].toolExecutionNotifications`.
 */
export function renderSarif(params: {
  findings: readonly Finding[];
  rules: readonly Rule[];
  textOf: (path: string) => string | undefined;
  /** Absolute base URL of the rule docs; without it rules carry no `helpUri`. */
  docsBaseUrl?: string;
  /** The tool's home page (`tool.driver.informationUri`). */
  informationUri?: string;
  /** The Markdown page of a rule, when the shell can read it. */
  docsOf?: (rule: Rule) => string | undefined;
  /** Diagnostics of the run (skipped files and the like). */
  diagnostics?: readonly Diagnostic[];
  /** `file://` URI of the directory paths are relative to, ending in `/`. */
  srcRoot?: string;
}): Log {
  const { findings, rules, textOf, docsBaseUrl } = params;
  const base = docsBaseUrl?.replace(/\/+$/, '');
  const driverRules: ReportingDescriptor[] = rules.map((r) => {
    const title = r.meta.title.replace(/`/g, '');
    const page = params.docsOf?.(r);
    const markdown = page === undefined ? `# ${r.meta.id} ${r.meta.name}\n\n${r.meta.title}\n` : withoutFrontMatter(page);
    const full = (page === undefined ? undefined : firstParagraph(page))?.replace(/`/g, '') ?? title;
    return {
      id: r.meta.id,
      name: r.meta.name,
      shortDescription: { text: title },
      fullDescription: { text: full },
      help: { text: markdown, markdown },
      ...(base === undefined ? {} : { helpUri: `${base}/${r.meta.id.toLowerCase()}-${r.meta.name}.md` }),
      defaultConfiguration: { level: levels[r.meta.severity] },
      properties: {
        precision: precision[r.meta.confidence],
        'problem.severity': problemSeverity[r.meta.severity],
        preview: r.meta.preview,
        tags: ['free-threading'],
      },
    };
  });
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results: Result[] = findings.map((f) => {
    const result: Result = {
      ruleId: f.ruleId,
      level: levels[f.severity],
      message: { text: f.help === undefined ? f.message : `${f.message}. ${f.help}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodePath(f.path), uriBaseId: '%SRCROOT%' },
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
        physicalLocation: {
          artifactLocation: { uri: r.path, uriBaseId: '%SRCROOT%' },
          region: { startLine: r.line, startColumn: r.column, ...(r.endLine === undefined ? {} : { endLine: r.endLine, endColumn: r.endColumn }) },
        },
      }));
    }
    const edits = f.fix === undefined ? undefined : fixEditPositions(f.fix, () => textOf(f.path));
    if (f.fix !== undefined && edits !== undefined) {
      result.fixes = [
        {
          description: { text: `${f.fix.title.replace(/`/g, '')}${f.fix.applicability === 'safe' ? '' : ` (${f.fix.applicability} fix: review before applying)`}` },
          artifactChanges: [
            {
              artifactLocation: { uri: encodePath(f.path), uriBaseId: '%SRCROOT%' },
              replacements: edits.map((e) => ({
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
  const notifications: Notification[] = (params.diagnostics ?? []).map((d) => ({
    level: warningKinds.has(d.kind) ? 'warning' : 'note',
    message: { text: d.message },
    descriptor: { id: d.kind },
    ...(d.path === undefined
      ? {}
      : { locations: [{ physicalLocation: { artifactLocation: { uri: encodePath(d.path), uriBaseId: '%SRCROOT%' }, ...(d.line === undefined ? {} : { region: { startLine: d.line } }) } }] }),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ftbot',
            version: VERSION,
            semanticVersion: VERSION,
            ...(params.informationUri === undefined ? {} : { informationUri: params.informationUri }),
            rules: driverRules,
          },
        },
        ...(params.srcRoot === undefined ? {} : { originalUriBaseIds: { '%SRCROOT%': { uri: params.srcRoot } } }),
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
