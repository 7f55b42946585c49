import type { ResolvedConfig } from '../config/schema.js';
import type { Diagnostic, Finding } from '../diagnostics.js';
import type { SourceLanguage } from '../languages.js';
import { createLineIndex } from '../parsing/syntax.js';
import { silentLogger, type Logger } from '../ports.js';
import { rules as registry } from '../rules/index.js';
import type { Rule, RuleTarget } from './define-rule.js';
import type { LineIndex } from './create-finding.js';
import { recordFile, replayCachedFile, type FileCache } from './file-cache.js';
import { createParsers, parseSource, unparsedHits, type Grammars } from './parse-source.js';
import { createPrefilterPlan, prefilter, type PrefilterPlan } from './prefilter.js';
import type { ProjectFacts } from './project-facts.js';
import { readFiles } from './read-files.js';
import { reportFindings } from './report-findings.js';
import { ruleCrashed, runFileRules } from './run-file-rules.js';
import { isProjectRule, planRules, runProjectRules } from './run-project-rules.js';
import { emptyScanFacts, type ScanFacts } from './scan-facts.js';
import { applyStoredSuppressions, suppressFindings, suppressionsOf } from './suppress-findings.js';
import type { Suppression } from './suppressions.js';

export type { Grammars } from './parse-source.js';
export type { CachedFile, FileCache } from './file-cache.js';

/**
 * A file to scan. `text` may be a loader so large trees are read one file at a time. `language`,
 * when given, overrides the language the path implies (a `.py` file Cython compiles is `cython`).
 */
export type ScanInput = {
  path: string;
  text: string | (() => string | undefined);
  size?: number;
  language?: SourceLanguage;
  /**
   * Marks a Python module the project's `pyproject.toml` names as part of its build (a custom
   * `build_ext`): it is read as a setup.py whose Cython sources are relative to this folder.
   */
  buildRoot?: string;
};

export type ScanStats = {
  /** Files read (sources and build files). */
  files: number;
  /** UTF-16 code units read (bytes for ASCII sources). */
  bytes: number;
  /** Files that had a prefilter hit and were parsed. */
  parsedFiles: number;
  /** Code units handed to tree-sitter (segments only, where segment parsing applied). */
  parsedBytes: number;
  /** Sources whose results came from `ScanParams.cache` (counted in `files` too). */
  cachedFiles?: number;
};

export type ScanResult = {
  findings: Finding[];
  diagnostics: Diagnostic[];
  stats: ScanStats;
  /** Facts read from the build files. */
  project: ProjectFacts;
  /** Facts the file rules published (complete: silent rules included). */
  facts: ScanFacts;
};

export type ScanParams = {
  files: readonly ScanInput[];
  grammars: Grammars;
  rules: readonly Rule[];
  /**
   * Rules that may run silently to publish facts a selected project rule reads (FT034 needs the
   * module-declaration rules). Defaults to every registered rule.
   */
  available?: readonly Rule[];
  config: Pick<ResolvedConfig, 'maxFileSize' | 'minSeverity'> & { minConfidence?: ResolvedConfig['minConfidence'] };
  logger?: Logger;
  /** Called after each file with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Parse whole C/C++ files instead of the segments holding hits (tests compare the two). */
  wholeFiles?: boolean;
  /**
   * Results of unchanged sources from earlier scans: a hit replays the file's findings, diagnostics
   * and published facts instead of scanning it. Project rules still run every time, on the facts.
   */
  cache?: FileCache;
};

/**
 * Scans files with the given rules and returns findings, diagnostics and counts. The phases, each
 * in its own module (see `README.md`):
 *
 * 1. read: classify the files, read build files into project facts (`read-files.ts`);
 * 2. prefilter: search each file for the rules' trigger names (`prefilter.ts`);
 * 3. parse: tree-sitter, for C/C++ only the top-level segments with hits (`parse-source.ts`);
 * 4. file rules: run each rule on its hits; rules publish facts (`run-file-rules.ts`);
 * 5. project rules: rules that read those facts, once they are complete (`run-project-rules.ts`);
 * 6. suppressions: inline `ftbot: ignore[…]` comments (`suppress-findings.ts`);
 * 7. report: thresholds and order (`report-findings.ts`).
 *
 * Never throws for a bad file or a failing rule: that becomes a diagnostic and the scan goes on.
 */
export function scanFiles(params: ScanParams): ScanResult {
  const { files, config, logger = silentLogger, onProgress } = params;
  const { run: rules, silent } = planRules(params.rules, params.available ?? registry);
  const fileRules = rules.filter((r) => !isProjectRule(r));
  const enabledRuleIds = new Set(params.rules.map((r) => r.meta.id));
  const diagnostics: Diagnostic[] = [];
  const stats: ScanStats = { files: 0, bytes: 0, parsedFiles: 0, parsedBytes: 0 };
  const facts = emptyScanFacts();
  const noFacts: Readonly<ScanFacts> = emptyScanFacts();
  const parsers = createParsers(params.grammars);
  const projectTargets = new Set(rules.filter(isProjectRule).flatMap((r) => r.meta.targets));
  const plans = new Map<RuleTarget, PrefilterPlan>();
  const planFor = (target: RuleTarget): PrefilterPlan => {
    let plan = plans.get(target);
    if (plan === undefined) {
      plan = createPrefilterPlan(fileRules.filter((r) => r.meta.targets.includes(target)));
      plans.set(target, plan);
    }
    return plan;
  };
  // Line indexes are needed up to three times per file (ranges, reports, suppressions): build the
  // last file's once, on demand.
  let indexed: { text: string; index: LineIndex } | undefined;
  const lineIndexFor = (text: string) => (): LineIndex => {
    if (indexed?.text !== text) indexed = { text, index: createLineIndex(text) };
    return indexed.index;
  };
  const projectPlans = new Map<RuleTarget, PrefilterPlan>();
  const projectPlanFor = (target: RuleTarget, projectRules: Rule[]): PrefilterPlan => {
    let plan = projectPlans.get(target);
    if (plan === undefined) projectPlans.set(target, (plan = createPrefilterPlan(projectRules)));
    return plan;
  };
  const found: Finding[] = [];
  // Files a project rule may report on wait for its findings: their file rules' findings are held,
  // unsuppressed, with the file's suppression comments, for one suppression pass per file after
  // phase 5 (so `ignore[FT034]` is not reported unused after phase 4). No text is needed then.
  const held = new Map<string, { target: RuleTarget; findings: Finding[]; suppressions: Suppression[] }>();

  // 1. Read.
  const { project, builds, sources, buildCount } = readFiles({ files, maxFileSize: config.maxFileSize, diagnostics, stats });

  /** 2–4 for one file: prefilter, parse (sources only), run the rules. */
  const runOn = (file: { path: string; target: RuleTarget; text: string }, plan: PrefilterPlan, phase: 'file' | 'project'): Finding[] => {
    const lineIndex = lineIndexFor(file.text);
    const hit = prefilter(plan, file.text, file.target, (rule, error) => diagnostics.push(ruleCrashed(rule, file.path, error)));
    if (hit.offsets.length === 0) return [];
    // File rules publish into the facts; project rules read them, complete.
    const run = { rules: plan.rules, project, diagnostics, facts: phase === 'project' ? facts : noFacts, publish: phase === 'file' ? facts : undefined };
    const base = { ...file, prefiltered: hit.prefiltered, lineIndex };
    // Build files are never parsed; nor is a source where only rules that read no tree found something.
    if (!isSourceLanguage(file.target) || hit.treeOffsets.length === 0) return runFileRules({ ...run, file: { ...base, root: undefined, hits: unparsedHits(hit) } });
    let parsed;
    try {
      parsed = parseSource({ language: file.target, text: file.text, found: hit, parsers, lineIndex, wholeFiles: params.wholeFiles === true });
    } catch (error) {
      logger.error({ path: file.path, err: String(error) }, 'parse failed for one file');
      diagnostics.push({ kind: 'internal-error', path: file.path, message: `tree-sitter failed: ${String(error)}` });
      return [];
    }
    if (parsed === undefined) return [];
    stats.parsedFiles++;
    stats.parsedBytes += parsed.parsedLength;
    try {
      return runFileRules({ ...run, file: { ...base, root: parsed.tree.rootNode, hits: parsed.hits } });
    } finally {
      // WASM trees live outside the JS heap and leak unless deleted.
      parsed.tree.delete();
    }
  };

  const moduleDeclarationIds = new Set(rules.filter((r) => r.meta.category === 'module-declaration').map((r) => r.meta.id));
  const publishModules = (kept: readonly Finding[]): void => {
    for (const f of kept) if (moduleDeclarationIds.has(f.ruleId)) facts.undeclaredModules.push({ path: f.path, ruleId: f.ruleId });
  };
  /**
   * 6 for one file after its file rules, and the facts the engine publishes from the findings that
   * survive. A file a project rule may report on is held (see `held`); its suppressions are
   * returned, for its cache entry.
   */
  const settleFile = (fileFindings: Finding[], file: { path: string; target: RuleTarget; text: string }, hold: boolean): Suppression[] | undefined => {
    const { path, text } = file;
    const lineIndex = lineIndexFor(text);
    if (hold) {
      const suppressions = suppressionsOf(text, lineIndex);
      held.set(path, { target: file.target, findings: fileFindings, suppressions });
      publishModules(applyStoredSuppressions(fileFindings, suppressions, enabledRuleIds, path).findings);
      return suppressions;
    }
    const applied = suppressFindings({ findings: fileFindings, path, text, lineIndex, enabledRuleIds });
    diagnostics.push(...applied.diagnostics);
    publishModules(applied.findings);
    found.push(...applied.findings);
    return undefined;
  };

  // 2–4, 6. File rules on every source, then every build file.
  let done = buildCount;
  const sinks = { found, diagnostics, facts };
  for (const source of sources) {
    done++;
    onProgress?.(done, files.length);
    const hold = projectTargets.has(source.language);
    // A held file's cache entry keeps its findings unsuppressed, with its suppression comments.
    const cache = params.cache;
    const cached = cache?.get(source.path);
    if (cached !== undefined) {
      if (hold) held.set(source.path, { target: source.language, findings: [...cached.findings], suppressions: cached.suppressions ?? [] });
      replayCachedFile(hold ? { ...cached, findings: [] } : cached, sinks);
      stats.files++;
      stats.bytes += cached.length;
      stats.cachedFiles = (stats.cachedFiles ?? 0) + 1;
      continue;
    }
    const record = recordFile(sinks);
    const text = source.read(diagnostics);
    if (text === undefined) continue;
    const plan = planFor(source.language);
    if (plan.rules.length === 0 && !hold) continue;
    if (plan.rules.length > 0 && !parsers.has(source.language)) {
      diagnostics.push({ kind: 'unsupported-language', path: source.path, message: `no ${source.language} grammar loaded` });
      continue;
    }
    const file = { path: source.path, target: source.language, text };
    const suppressions = settleFile(runOn(file, plan, 'file'), file, hold);
    const result = cache === undefined ? undefined : record.taken(text.length);
    if (result !== undefined) cache?.set(source.path, text, hold ? { ...result, findings: held.get(source.path)?.findings ?? [], suppressions: suppressions ?? [] } : result);
  }
  for (const build of builds) {
    const plan = planFor(build.target);
    const hold = projectTargets.has(build.target);
    if (plan.rules.length === 0 && !hold) continue;
    settleFile(runOn(build, plan, 'file'), build, hold);
  }

  // 5–6. Project rules, with the facts complete; then one suppression pass per held file (build
  // files first, then sources, in input order).
  const projectFindings = runProjectRules({
    rules,
    builds,
    sources,
    facts,
    project,
    held: new Map([...held].map(([path, h]) => [path, h.target])),
    diagnostics,
    runOn: (file, projectRules) => runOn(file, projectPlanFor(file.target, projectRules), 'project'),
  });
  for (const path of [...builds.map((b) => b.path), ...sources.map((s) => s.path)]) {
    const h = held.get(path);
    if (h === undefined) continue;
    const applied = applyStoredSuppressions([...h.findings, ...(projectFindings.get(path) ?? [])], h.suppressions, enabledRuleIds, path);
    diagnostics.push(...applied.diagnostics);
    found.push(...applied.findings);
  }

  // 7. Report.
  const findings = reportFindings({
    findings: found,
    silentRuleIds: new Set([...silent].map((r) => r.meta.id)),
    subsumes: new Map(rules.flatMap((r) => (r.meta.subsumes === undefined || silent.has(r) ? [] : [[r.meta.id, r.meta.subsumes] as const]))),
    minSeverity: config.minSeverity,
    minConfidence: config.minConfidence ?? 'low',
  });
  logger.debug({ files: stats.files, parsedFiles: stats.parsedFiles, findings: findings.length }, 'scan finished');
  return { findings, diagnostics, stats, project, facts };
}

const sourceLanguages: ReadonlySet<RuleTarget> = new Set<SourceLanguage>(['c', 'cpp', 'cython', 'rust']);

function isSourceLanguage(target: RuleTarget): target is SourceLanguage {
  return sourceLanguages.has(target);
}

