import type { Diagnostic, Finding } from '../diagnostics.js';
import type { Suggestion } from '../drafting/types.js';
import { cite } from '../knowledge/cite.js';
import { sanitizeOutput } from '../safety/sanitize-output.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import { classifyPath } from '../languages.js';
import { renderWheelReport, type WheelCheck } from '../wheels/index.js';
import { renderReadiness, type ReadinessCheck } from '../deps/index.js';
import { neutralizeMentions } from './neutralize-mentions.js';
import { DECLARATION_RULES, findExtensionModules, type ExtensionModule, type ModuleKind } from './find-extension-modules.js';
import { TRIAGE_MARKER } from './markers.js';
import type { KnowledgeLinker } from './create-knowledge-linker.js';
import { inlineText, knowledgeMarkdownLink, ruleLink } from './render-finding.js';
import { truncateBody } from './truncate-body.js';
import { LOCAL_INSTALL_NOTE, localCommand } from '../run-locally.js';

export type TriageParams = {
  findings: readonly Finding[];
  /** The scanned sources and build files with their text. */
  files: ReadonlyArray<{ path: string; text: string }>;
  project: ProjectFacts;
  skipped: readonly Diagnostic[];
  /** The commit analysed, shown and used in links. */
  sha: string;
  docsBaseUrl: string;
  /** Link to a source line, e.g. `https://github.com/o/r/blob/<sha>/<path>#L<n>`. */
  sourceUrl: (path: string, line: number) => string | undefined;
  /**
   * The wheel-matrix hook: the release's wheel check from `src/core/wheels`, rendered with its
   * own renderer. Omitted when the project has no PyPI name or the shell did not look it up.
   */
  wheels?: WheelCheck | undefined;
  /**
   * The dependencies' readiness from `src/core/deps`, shown as the "Dependencies" section (at
   * most `MAX_DEPENDENCY_ROWS` rows). Omitted when the project has no dependency file or the
   * shell did not check.
   */
  dependencies?: ReadinessCheck | undefined;
  /** The app's slug, to name the `scan` command; omitted by the CLI. */
  appSlug?: string | undefined;
  /** Links each hazard example to the knowledge section that explains its rule. */
  knowledgeLink?: KnowledgeLinker | undefined;
  /** Deterministic drafts for `triageExamples(findings)`: a short explanation and citation each. */
  drafts?: readonly TriageDraft[] | undefined;
  /** Where cited knowledge pages are linked (`repoBaseUrl(docsBaseUrl)`); needed with `drafts`. */
  repoBase?: string | undefined;
  /** `owner/name` the comment is posted to, for sanitising the explanations. */
  repository?: string | undefined;
};

/** A top example with its drafted explanation. */
export type TriageDraft = { finding: Finding; suggestion: Suggestion };

const kindLabel: Record<ModuleKind, string> = {
  'c-multi-phase': 'C, multi-phase init',
  'c-single-phase': 'C, single-phase init',
  cython: 'Cython',
  pyo3: 'Rust (PyO3)',
  pybind11: 'C++ (pybind11)',
  nanobind: 'C++ (nanobind)',
};

/** Examples shown per file in the hazards table. */
const TOP_EXAMPLES = 3;
const MAX_FILES = 100;
/** Examples explained under "How to fix the top examples", one per rule. */
const MAX_EXPLAINED = 5;
/** Longest explanation shown per example, in characters. */
const MAX_EXPLANATION = 400;
/** Rows of the dependency table (and "Not checked" entries); blockers come first, so a cut drops the least pressing. */
const MAX_DEPENDENCY_ROWS = 30;
const FREE_THREADING_CLASSIFIER = /^Programming Language :: Python :: Free Threading\b/;

/**
 * Renders the triage comment for an issue: extension modules and whether each declares
 * free-threading support, hazards per file with linked examples, build/CI status, the wheel
 * matrix when given, and the porting checklist in order. Always under GitHub's size limit.
 */
export function renderTriage(params: TriageParams): string {
  const { findings, files, project, skipped, sha, docsBaseUrl, sourceUrl, wheels, appSlug, knowledgeLink } = params;
  const link = (path: string, line: number, label: string): string => {
    const url = sourceUrl(path, line);
    return url === undefined ? label : `[${label}](${url})`;
  };
  const background = (ruleId: string): string => {
    const section = knowledgeLink?.(ruleId);
    return section === undefined ? '' : ` (${knowledgeMarkdownLink({ label: 'background', url: section.url })})`;
  };
  const code = (path: string): string => `\`${inlineText(path).replace(/`/g, "'")}\``;
  const modules = findExtensionModules({ files, findings, project });
  const out: string[] = [TRIAGE_MARKER, '## ftbot: free-threading triage', '', `Analysed the default branch at \`${sha.slice(0, 7)}\`.`, ''];

  // 1. Modules.
  out.push('### Extension modules', '');
  if (modules.length === 0) out.push('No extension module definitions found in the scanned files.', '');
  else {
    out.push('| Module | Kind | Defined in | Declares free-threading support |', '| :-- | :-- | :-- | :-- |');
    for (const m of modules) out.push(`| \`${inlineText(m.name)}\` | ${kindLabel[m.kind]} | ${link(m.path, m.line, code(`${m.path}:${m.line}`))} | ${declaredCell(m, findings, docsBaseUrl)} |`);
    out.push('');
  }

  // 2. Hazards per file (declaration findings are covered by the table above).
  // Build-file findings are listed under "Build and CI", not as code hazards.
  const { hazards, sorted } = hazardsByFile(findings);
  out.push('### Hazards by file', '');
  if (sorted.length === 0) out.push('No thread-safety hazards found by the rules.', '');
  else {
    out.push('| File | Findings | Examples |', '| :-- | --: | :-- |');
    for (const [path, list] of sorted.slice(0, MAX_FILES)) {
      const examples = list
        .slice(0, TOP_EXAMPLES)
        .map((f) => `${link(f.path, f.line, `L${f.line}`)} ${ruleLink(docsBaseUrl, f)} ${inlineText(f.message)}${background(f.ruleId)}`)
        .join('<br>');
      out.push(`| ${link(path, 1, code(path))} | ${list.length} | ${examples} |`);
    }
    if (sorted.length > MAX_FILES) out.push('', `… and ${sorted.length - MAX_FILES} more files.`);
    out.push('');
  }
  const byFile = new Map(sorted);

  // 2b. How to fix the top examples (deterministic drafts: explanation and citation).
  const explained = (params.drafts ?? []).slice(0, MAX_EXPLAINED);
  if (explained.length > 0) {
    out.push('### How to fix the top examples', '');
    for (const { finding: f, suggestion } of explained) {
      // Sanitised once (the drafter's explanation is model or template text, not repository text
      // to escape again), then kept on the list item's line.
      const text = shortExplanation(sanitizeOutput(suggestion.explanation, params.repository === undefined ? {} : { repository: params.repository })).replace(/\s*\n\s*/g, ' ');
      const citation = suggestion.citations[0];
      const source = citation === undefined || params.repoBase === undefined ? '' : ` Source: ${cite({ citation, repoBase: params.repoBase })}`;
      out.push(`- ${link(f.path, f.line, code(`${f.path}:${f.line}`))} ${ruleLink(docsBaseUrl, f)}: ${text}${source}`);
    }
    out.push('', `Each finding's full draft, with a verified edit where ftbot has one: ${localCommand('suggest <path>:<line>')}${appSlug === undefined ? '' : ` or \`@${appSlug.replace(/[^A-Za-z0-9-]/g, '')} suggest <path>:<line>\``}.`, '');
  }

  // 3. Build and CI.
  const workflows = files.filter((f) => classifyPath(f.path)?.type === 'build' && /(^|\/)\.github\/workflows\//.test(f.path));
  const testsFreeThreaded = workflows.some((f) => /\b3\.1[3-9]t\b|\bfree-?threaded\b|\bcp31[3-9]t\b/i.test(f.text));
  const buildFindings = findings.filter((f) => classifyPath(f.path)?.type === 'build' && !DECLARATION_RULES.has(f.ruleId));
  const classifier = project.classifiers.some((c) => FREE_THREADING_CLASSIFIER.test(c));
  out.push('### Build and CI', '');
  out.push(`- CI workflows: ${workflows.length === 0 ? 'none found' : `${workflows.length}; ${testsFreeThreaded ? 'at least one mentions a free-threaded Python' : 'none mentions a free-threaded Python (such as `3.14t`)'}`}`);
  for (const f of buildFindings.slice(0, 10)) out.push(`- ${link(f.path, f.line, code(`${f.path}:${f.line}`))} ${ruleLink(docsBaseUrl, f)} ${inlineText(f.message)}`);
  const contradicted = findings.some((f) => f.ruleId === 'FT034');
  out.push(`- Trove classifier \`Programming Language :: Python :: Free Threading\`: ${classifier ? (contradicted ? 'declared, but contradicted by modules that re-enable the GIL' : 'declared') : 'not declared'}`);
  out.push('');
  if (wheels !== undefined) out.push(renderWheelReport(wheels, 'markdown').trimEnd(), '');
  // 3b. Dependencies: text from the project's files, so mentions are defused.
  if (params.dependencies !== undefined) out.push(neutralizeMentions(renderReadiness(params.dependencies, 'markdown', { maxRows: MAX_DEPENDENCY_ROWS }).trimEnd()), '');

  // 4. Checklist, in porting order.
  const declared = modules.filter((m) => m.declared === 'yes').length;
  const skipsTWheels = findings.some((f) => f.ruleId === 'FT031');
  const tWheels = wheels?.matrix?.anyFreeThreaded === true || (wheels === undefined && !skipsTWheels && testsFreeThreaded);
  out.push('### Porting checklist', '');
  out.push(`- [${modules.length > 0 && declared === modules.length ? 'x' : ' '}] Declare free-threading support in every module (${declared} of ${modules.length} do)`);
  out.push(`- [${hazards.length === 0 ? 'x' : ' '}] Fix the thread-safety hazards (${hazards.length} in ${byFile.size} file${byFile.size === 1 ? '' : 's'})`);
  out.push(`- [${testsFreeThreaded ? 'x' : ' '}] Test under free threading (a CI job on \`3.14t\`, ideally with \`pytest-run-parallel\`)`);
  out.push(`- [${tWheels ? 'x' : ' '}] Build \`t\` wheels (\`cp314t\`) for every platform you ship`);
  out.push(`- [${classifier && !contradicted ? 'x' : ' '}] Add the \`Programming Language :: Python :: Free Threading\` classifier`);
  out.push('');

  if (skipped.length > 0) {
    out.push(`<details><summary>Skipped files (${skipped.length})</summary>`, '');
    for (const d of skipped.slice(0, 100)) out.push(`- ${d.path === undefined ? '' : `${code(d.path)}: `}${inlineText(d.message)}`);
    if (skipped.length > 100) out.push(`- … and ${skipped.length - 100} more`);
    out.push('', '</details>', '');
  }
  const refresh = appSlug === undefined ? '' : ` Comment \`@${appSlug.replace(/[^A-Za-z0-9-]/g, '')} scan\` to refresh this one.`;
  out.push(`Run ${localCommand('review .')} in a checkout for the same report.${refresh} ${LOCAL_INSTALL_NOTE}`);
  return truncateBody(out.join('\n'), { tail: `<!-- ftbot:head ${sha.replace(/[^0-9a-f]/gi, '')} -->` });
}

/** Code hazards (no declaration or build-file findings) grouped by file, most findings first. */
function hazardsByFile(findings: readonly Finding[]): { hazards: Finding[]; sorted: Array<[string, Finding[]]> } {
  const hazards = findings.filter((f) => !DECLARATION_RULES.has(f.ruleId) && classifyPath(f.path)?.type !== 'build');
  const byFile = new Map<string, Finding[]>();
  for (const f of hazards) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  const sorted = [...byFile].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  return { hazards, sorted };
}

/**
 * The examples the triage comment explains: in the hazards table's file order, the first finding
 * of each rule on a line no earlier example is on, at most five. Worked example: FT001 and FT004
 * on line 18, FT004 and FT002 on line 32 → FT001 at 18, FT004 at 32 (FT002 shares its line).
 */
export function triageExamples(findings: readonly Finding[]): Finding[] {
  const rules = new Set<string>();
  const lines = new Set<string>();
  const out: Finding[] = [];
  for (const [, list] of hazardsByFile(findings).sorted.slice(0, MAX_FILES)) {
    for (const f of list) {
      const line = `${f.path}\n${f.line}`;
      if (out.length >= MAX_EXPLAINED || rules.has(f.ruleId) || lines.has(line)) continue;
      rules.add(f.ruleId);
      lines.add(line);
      out.push(f);
    }
  }
  return out;
}

/**
 * The first paragraph of an explanation, cut after the last sentence that fits in
 * `MAX_EXPLANATION` characters; a cut never leaves a code span open.
 */
function shortExplanation(text: string): string {
  const first = (text.split(/\n\s*\n/)[0] ?? '').trim();
  if (first.length <= MAX_EXPLANATION) return first;
  const sentences = first.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? [first];
  let out = '';
  for (const sentence of sentences) {
    if ((out + sentence).length > MAX_EXPLANATION) break;
    out += sentence;
  }
  if (out.trim() === '') out = `${first.slice(0, MAX_EXPLANATION).replace(/\s+\S*$/, '')} …`;
  if ((out.match(/`/g) ?? []).length % 2 === 1) out += '`';
  return out.trim();
}

function declaredCell(m: ExtensionModule, findings: readonly Finding[], docsBaseUrl: string): string {
  if (m.declared === 'yes') return 'yes';
  if (m.declared === 'unknown') return 'not detected';
  const finding = findings.find((f) => f.ruleId === m.ruleId && f.path === m.path);
  return finding === undefined ? 'no' : `no (${ruleLink(docsBaseUrl, finding)})`;
}
