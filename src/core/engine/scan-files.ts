import { Parser, type Language, type Node, type Range, type Tree } from 'web-tree-sitter';
import type { ResolvedConfig } from '../config/schema.js';
import type { Confidence, Diagnostic, Finding, Severity } from '../diagnostics.js';
import { classifyPath, type SourceLanguage } from '../languages.js';
import { splitTopLevelSegments, segmentsContaining } from '../parsing/c-segments.js';
import { createLineIndex, enclosingFunction, functionName } from '../parsing/syntax.js';
import { silentLogger, type Logger } from '../ports.js';
import type { Hit, ReportDescriptor, Rule, RuleTarget } from './define-rule.js';
import { fingerprintOf } from './fingerprint.js';
import { collectCythonIncludes, collectProjectFacts, emptyProjectFacts, type ProjectFacts } from './project-facts.js';
import { applySuppressions, findSuppressions } from './suppressions.js';

/**
 * Loaded tree-sitter grammars, handed in by the shell (loading them is I/O). A shell may load only
 * the grammars of the languages present; files of a language without a grammar are reported as
 * `unsupported-language` diagnostics.
 */
export type Grammars = { c?: Language; cpp?: Language; python?: Language; rust?: Language };

/** A file to scan. `text` may be a loader so large trees are read one file at a time. */
export type ScanInput = { path: string; text: string | (() => string | undefined); size?: number };

export type ScanStats = {
  /** Files read (sources and build files). */
  files: number;
  /** UTF-16 code units read (bytes for ASCII sources). */
  bytes: number;
  /** Files that had a prefilter hit and were parsed. */
  parsedFiles: number;
  /** Code units handed to tree-sitter (segments only, where segment parsing applied). */
  parsedBytes: number;
};

export type ScanResult = {
  findings: Finding[];
  diagnostics: Diagnostic[];
  stats: ScanStats;
  project: ProjectFacts;
};

export type ScanParams = {
  files: readonly ScanInput[];
  grammars: Grammars;
  rules: readonly Rule[];
  config: Pick<ResolvedConfig, 'maxFileSize' | 'minSeverity'> & { minConfidence?: ResolvedConfig['minConfidence'] };
  logger?: Logger;
  /** Called after each file with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
};

const severityRank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const confidenceRank: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
/** Rules whose findings mean "this module re-enables the GIL on import". */
const moduleDeclarationRules = new Set(['FT008', 'FT009', 'FT010', 'FT011', 'FT012', 'FT013']);
const vendoredNames = new Set(['pythoncapi_compat.h']);
const nonCodeNodeTypes = new Set([
  'comment',
  'line_comment',
  'block_comment',
  'string_literal',
  'string_content',
  'string',
  'char_literal',
  'raw_string_literal',
  'system_lib_string',
  'preproc_arg',
  'escape_sequence',
]);

/**
 * Scans files with the given rules and returns findings, diagnostics and counts.
 *
 * Steps:
 * 1. Read build files (pyproject.toml, Cargo.toml, setup.py, meson.build) into project facts.
 * 2. For each source file: skip binary, vendored and oversized files with a diagnostic.
 * 3. Run one combined regex of the rules' trigger names (the prefilter); files without a hit are
 *    done without parsing.
 * 4. Parse with tree-sitter: for C/C++ only the top-level segments holding hits.
 * 5. Resolve each hit to its syntax node, dropping hits in comments and strings, and run the rules.
 * 6. Run build-file rules on the build files.
 * 7. Apply inline suppressions and the severity threshold; sort.
 *
 * Never throws for a bad file: that becomes a diagnostic and the scan goes on.
 */
export function scanFiles(params: ScanParams): ScanResult {
  const { files, grammars, config, logger = silentLogger, onProgress } = params;
  // Rules another selected rule depends on run too, but only feed the project facts.
  const silent = new Set<Rule>();
  for (const rule of params.rules) for (const required of rule.requires ?? []) if (!params.rules.includes(required)) silent.add(required);
  const rules = [...params.rules, ...silent];
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  const stats: ScanStats = { files: 0, bytes: 0, parsedFiles: 0, parsedBytes: 0 };
  const project = emptyProjectFacts();
  const enabledIds = new Set(params.rules.map((r) => r.meta.id));
  const silentIds = new Set([...silent].map((r) => r.meta.id));
  const undeclared: string[] = [];
  const minRank = severityRank[config.minSeverity];
  const minConfidenceRank = confidenceRank[config.minConfidence ?? 'low'];
  const parsers = createParsers(grammars);
  // Line indexes are needed up to three times per file (ranges, reports, suppressions): build once.
  let indexedText: string | undefined;
  let indexed: LineIndex | undefined;
  const lineIndexOf = (text: string): LineIndex => {
    if (indexedText !== text || indexed === undefined) {
      indexedText = text;
      indexed = createLineIndex(text);
    }
    return indexed;
  };
  const plans = new Map<RuleTarget, TargetPlan>();
  const planFor = (target: RuleTarget): TargetPlan => {
    let plan = plans.get(target);
    if (plan === undefined) {
      plan = createTargetPlan(rules.filter((r) => r.meta.targets.includes(target)));
      plans.set(target, plan);
    }
    return plan;
  };

  // 1. Build files first: source rules read the facts they produce.
  const classified = files.map((file) => ({ file, kind: classifyPath(file.path) }));
  const buildTexts: Array<{ path: string; target: RuleTarget; text: string }> = [];
  let done = 0;
  for (const { file, kind } of classified) {
    if (kind?.type !== 'build') continue;
    const text = readInput(file, config.maxFileSize, diagnostics);
    done++;
    if (text === undefined) continue;
    stats.files++;
    stats.bytes += text.length;
    diagnostics.push(...collectProjectFacts(project, file.path, kind.kind, text));
    buildTexts.push({ path: file.path, target: kind.kind, text });
  }

  // Cython modules first: which .pyx files are `include`d parts of another module.
  const preRead = new Map<string, string>();
  for (const { file, kind } of classified) {
    if (kind?.type !== 'source' || kind.language !== 'cython') continue;
    const text = readInput(file, config.maxFileSize, []);
    if (text === undefined) continue;
    preRead.set(file.path, text);
    collectCythonIncludes(project, text, file.path);
  }

  // 2–5. Sources.
  for (const { file, kind } of classified) {
    if (kind?.type !== 'source') continue;
    done++;
    onProgress?.(done, files.length);
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (vendoredNames.has(base)) {
      diagnostics.push({ kind: 'vendored', path: file.path, message: 'vendored compatibility header, not scanned' });
      continue;
    }
    const text = preRead.get(file.path) ?? readInput(file, config.maxFileSize, diagnostics);
    if (text === undefined) continue;
    stats.files++;
    stats.bytes += text.length;
    const plan = planFor(kind.language);
    if (plan.rules.length === 0) continue;
    if (!parsers.has(kind.language)) {
      diagnostics.push({ kind: 'unsupported-language', path: file.path, message: `no ${kind.language} grammar loaded` });
      continue;
    }
    try {
      const result = scanSource({ path: file.path, text, language: kind.language, plan, parsers, project, stats, lineIndexOf });
      collect(result, file.path, text);
    } catch (error) {
      // A bug in a rule or the parser must not end the scan of the other files.
      logger.error({ path: file.path, err: String(error) }, 'scan failed for one file');
      diagnostics.push({ kind: 'parse-error', path: file.path, message: `internal error while scanning: ${String(error)}` });
    }
  }

  // 6. Build-file rules, which may read what the source scan found about module declarations.
  project.hasExtensionSources = classified.some(({ kind }) => kind?.type === 'source');
  project.undeclaredModules = undeclared;
  // CMake first: its FT013 findings (nanobind modules without FREE_THREADED) join the undeclared
  // modules before FT034 reads them from a pyproject.toml.
  buildTexts.sort((a, b) => Number(b.target === 'cmake') - Number(a.target === 'cmake'));
  for (const build of buildTexts) {
    const plan = planFor(build.target);
    if (plan.rules.length === 0) continue;
    const hitsByRule = new Map<Rule, Hit[]>();
    for (const [rule, list] of findHits(plan, build.text)) hitsByRule.set(rule, list.map((h) => ({ ...h, node: undefined, context: 'code' as const })));
    const extraByRule = new Map<Rule, number[]>();
    for (const rule of plan.rules) {
      const extra = rule.prefilter?.(build.text) ?? [];
      if (extra.length === 0) continue;
      extraByRule.set(rule, extra);
      if (!hitsByRule.has(rule)) hitsByRule.set(rule, []);
    }
    const ctxFindings = runRules({ plan, path: build.path, target: build.target, text: build.text, root: undefined, hitsByRule, extraByRule, project, lineIndexOf });
    collect(ctxFindings, build.path, build.text);
  }

  function collect(fileFindings: Finding[], path: string, text: string): void {
    if (fileFindings.length === 0 && !text.includes('ftbot:')) return;
    const lineIndex = lineIndexOf(text);
    const suppressions = findSuppressions(text, (o) => lineIndex(o).line);
    const applied = applySuppressions(fileFindings, suppressions, enabledIds, path);
    diagnostics.push(...applied.diagnostics);
    for (const f of applied.findings) {
      if (moduleDeclarationRules.has(f.ruleId)) undeclared.push(f.path);
      if (silentIds.has(f.ruleId)) continue;
      if (severityRank[f.severity] >= minRank && confidenceRank[f.confidence] >= minConfidenceRank) findings.push(f);
    }
  }

  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1)));
  logger.debug({ files: stats.files, parsedFiles: stats.parsedFiles, findings: findings.length }, 'scan finished');
  return { findings, diagnostics, stats, project };
}

function readInput(file: ScanInput, maxFileSize: number, diagnostics: Diagnostic[]): string | undefined {
  if (file.size !== undefined && file.size > maxFileSize) {
    diagnostics.push({ kind: 'too-large', path: file.path, message: `skipped: ${file.size} bytes is over the ${maxFileSize}-byte limit` });
    return undefined;
  }
  let text: string | undefined;
  try {
    text = typeof file.text === 'function' ? file.text() : file.text;
  } catch (error) {
    diagnostics.push({ kind: 'read-error', path: file.path, message: `could not read: ${String(error)}` });
    return undefined;
  }
  if (text === undefined) {
    diagnostics.push({ kind: 'read-error', path: file.path, message: 'could not read the file' });
    return undefined;
  }
  if (text.length > maxFileSize) {
    diagnostics.push({ kind: 'too-large', path: file.path, message: `skipped: ${text.length} bytes is over the ${maxFileSize}-byte limit` });
    return undefined;
  }
  // A NUL in the first 8 KiB marks a binary file (git uses the same test).
  if (text.slice(0, 8192).includes('\u0000')) {
    diagnostics.push({ kind: 'binary', path: file.path, message: 'skipped: binary file' });
    return undefined;
  }
  return text;
}

/** The rules for one language or build-file kind, with their combined prefilter. */
type TargetPlan = {
  rules: Rule[];
  /** `\b(?:name1|name2|…)\b`, global; undefined when no rule has triggers. */
  pattern: RegExp | undefined;
  rulesByTrigger: Map<string, Rule[]>;
};

function createTargetPlan(rules: Rule[]): TargetPlan {
  const rulesByTrigger = new Map<string, Rule[]>();
  for (const rule of rules) {
    for (const trigger of rule.meta.triggers) {
      const list = rulesByTrigger.get(trigger) ?? [];
      list.push(rule);
      rulesByTrigger.set(trigger, list);
    }
  }
  const names = [...rulesByTrigger.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = names.length === 0 ? undefined : new RegExp(`\\b(?:${names.join('|')})\\b`, 'g');
  return { rules, pattern, rulesByTrigger };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Parsers = {
  has: (language: SourceLanguage) => boolean;
  parse: (language: SourceLanguage, text: string, ranges?: Range[]) => Tree | null;
};

function createParsers(grammars: Grammars): Parsers {
  const parsers = new Map<SourceLanguage, Parser>();
  const grammarFor: Record<SourceLanguage, Language | undefined> = {
    c: grammars.c,
    cpp: grammars.cpp,
    cython: grammars.python,
    rust: grammars.rust,
  };
  return {
    has: (language) => grammarFor[language] !== undefined,
    parse(language, text, ranges) {
      let parser = parsers.get(language);
      if (parser === undefined) {
        parser = new Parser();
        parser.setLanguage(grammarFor[language] ?? null);
        parsers.set(language, parser);
      }
      return parser.parse(text, null, ranges === undefined ? undefined : { includedRanges: ranges });
    },
  };
}

type LineIndex = ReturnType<typeof createLineIndex>;

type RawHits = Map<Rule, Array<{ name: string; index: number }>>;

function findHits(plan: TargetPlan, text: string, offsets?: number[]): RawHits {
  const hits: RawHits = new Map();
  if (plan.pattern !== undefined) {
    plan.pattern.lastIndex = 0;
    for (let m = plan.pattern.exec(text); m !== null; m = plan.pattern.exec(text)) {
      for (const rule of plan.rulesByTrigger.get(m[0]) ?? []) {
        let list = hits.get(rule);
        if (list === undefined) hits.set(rule, (list = []));
        list.push({ name: m[0], index: m.index });
      }
      offsets?.push(m.index);
    }
  }
  return hits;
}

function scanSource(params: {
  path: string;
  text: string;
  language: SourceLanguage;
  plan: TargetPlan;
  parsers: Parsers;
  project: ProjectFacts;
  stats: ScanStats;
  lineIndexOf: (text: string) => LineIndex;
}): Finding[] {
  const { path, text, language, plan, parsers, project, stats, lineIndexOf } = params;
  // 3. Prefilter.
  const offsets: number[] = [];
  const raw = findHits(plan, text, offsets);
  const extraByRule = new Map<Rule, number[]>();
  for (const rule of plan.rules) {
    if (rule.prefilter === undefined) continue;
    const extra = rule.prefilter(text);
    if (extra.length > 0) {
      extraByRule.set(rule, extra);
      offsets.push(...extra);
    }
  }
  if (offsets.length === 0) return [];

  // 4. Parse only what the rules need.
  let ranges: Range[] | undefined;
  let parsedLength = text.length;
  if (language === 'c' || language === 'cpp') {
    const split = splitTopLevelSegments(text);
    if (split.balanced) {
      const lineIndex = lineIndexOf(text);
      const segments = segmentsContaining(split, offsets);
      parsedLength = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
      ranges = segments.map((s) => {
        const a = lineIndex(s.start);
        const b = lineIndex(s.end);
        return {
          startIndex: s.start,
          endIndex: s.end,
          startPosition: { row: a.line - 1, column: a.column - 1 },
          endPosition: { row: b.line - 1, column: b.column - 1 },
        };
      });
    }
  }
  const tree = parsers.parse(language, text, ranges);
  if (tree === null) return [];
  stats.parsedFiles++;
  stats.parsedBytes += parsedLength;
  try {
    // 5. Resolve hits to nodes and run the rules.
    const root = tree.rootNode;
    const hitsByRule = new Map<Rule, Hit[]>();
    for (const [rule, list] of raw) {
      const resolved: Hit[] = [];
      for (const hit of list) {
        const resolvedHit = resolveHit(root, hit.name, hit.index);
        if (resolvedHit !== undefined) resolved.push(resolvedHit);
      }
      hitsByRule.set(rule, resolved);
    }
    for (const rule of extraByRule.keys()) if (!hitsByRule.has(rule)) hitsByRule.set(rule, []);
    return runRules({ plan, path, target: language, text, root, hitsByRule, extraByRule, project, lineIndexOf });
  } finally {
    // WASM trees live outside the JS heap and leak unless deleted.
    tree.delete();
  }
}

/**
 * Maps a regex hit to its identifier node. Hits inside comments, strings and macro bodies are
 * dropped; a hit inside a region tree-sitter could not parse (an ERROR node) is kept without a
 * node when the text reads as a call, so error recovery never hides a finding.
 */
function resolveHit(root: Node, name: string, index: number): Hit | undefined {
  const node = root.descendantForIndex(index, index + name.length);
  if (node === null) return undefined;
  // Macro bodies are raw text to tree-sitter; the rules decide whether such a hit counts.
  if (node.type === 'preproc_arg') return { name, index, node: undefined, context: 'macro' };
  if (nonCodeNodeTypes.has(node.type)) return undefined;
  if (node.text === name && (node.type === 'identifier' || node.type.endsWith('_identifier'))) {
    return { name, index, node, context: 'code' };
  }
  for (let a: Node | null = node; a !== null; a = a.parent) {
    if (nonCodeNodeTypes.has(a.type)) return undefined;
    if (a.type === 'ERROR') return { name, index, node: undefined, context: 'error' };
  }
  return undefined;
}

function runRules(params: {
  plan: TargetPlan;
  path: string;
  target: RuleTarget;
  text: string;
  root: Node | undefined;
  hitsByRule: Map<Rule, Hit[]>;
  /** Offsets each rule's own prefilter returned, handed back so the rule need not search again. */
  extraByRule: Map<Rule, number[]>;
  project: ProjectFacts;
  lineIndexOf: (text: string) => LineIndex;
}): Finding[] {
  const { plan, path, target, text, root, hitsByRule, extraByRule, project, lineIndexOf } = params;
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const rule of plan.rules) {
    const hits = hitsByRule.get(rule);
    if (hits === undefined) continue;
    const report = (d: ReportDescriptor<string>): void => {
      const lineIndex = lineIndexOf(text);
      const start = d.node?.startIndex ?? d.start ?? 0;
      const end = d.node?.endIndex ?? d.end ?? start;
      const a = lineIndex(start);
      const b = lineIndex(end);
      const template = (rule.meta.messages as Record<string, string>)[d.messageId] ?? d.messageId;
      const help = (rule.meta.help as Record<string, string>)[d.messageId];
      const fn = d.node === undefined ? undefined : enclosingFunction(d.node);
      const symbol = d.symbol ?? (fn === undefined ? undefined : functionName(fn));
      // The flagged line, white space folded: part of the fingerprint, so moving code keeps it.
      const lineEnd = text.indexOf('\n', start);
      const lineText = text.slice(start - (a.column - 1), lineEnd < 0 ? text.length : lineEnd).replace(/\s+/g, ' ').trim();
      const key = [rule.meta.id, path, symbol ?? '', lineText].join('|');
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      const finding: Finding = {
        ruleId: rule.meta.id,
        ruleName: rule.meta.name,
        path,
        line: a.line,
        column: a.column,
        endLine: b.line,
        endColumn: b.column,
        message: fill(template, d.data),
        severity: d.severity ?? rule.meta.severity,
        confidence: d.confidence ?? rule.meta.confidence,
        fingerprint: fingerprintOf([key, String(occurrence)]),
      };
      if (help !== undefined) finding.help = fill(help, d.data);
      if (symbol !== undefined) finding.symbol = symbol;
      if (d.fix !== undefined && rule.meta.fix !== 'never') {
        finding.fix = { title: finding.help ?? rule.meta.title, applicability: rule.meta.fix, edits: d.fix.edits };
      }
      findings.push(finding);
    };
    rule.check({ path, target, text, root, hits, prefiltered: extraByRule.get(rule) ?? [], project, report });
  }
  return findings;
}

/** Fills `{{name}}` placeholders; unknown names stay visible so a test catches them. */
function fill(template: string, data: Record<string, string> | undefined): string {
  if (data === undefined) return template;
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => data[key] ?? whole);
}
