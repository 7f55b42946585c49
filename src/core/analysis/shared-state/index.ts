import type { RuleTarget } from '../../engine/define-rule.js';
import { analyzeCSharedState, type RelatedOffset, type SharedStateAnalysis, type SharedWriteReport } from './analyze-c.js';
import { analyzeCythonSharedState } from './analyze-cython.js';

export { summarizeCSharedState, type SharedStateSummary } from './summarize-c.js';
export type { FieldWriteReport, RelatedOffset, SharedReadReport, SharedStateAnalysis, SharedWriteReport, WriteKind } from './analyze-c.js';

/** How findings name each kind of shared variable (`Shared static \`cache\` is written …`). */
export const sharedKindLabel: Record<SharedWriteReport['variable']['kind'], string> = {
  global: 'global',
  'static-global': 'static',
  'static-local': 'function-local static',
  'static-member': 'static member',
  field: 'object field',
};

/**
 * One shared variable that has unprotected writes, reported at its declaration: the standard fixes
 * (module state with a `PyMutex`, thread-local, atomic, compiled out under `Py_GIL_DISABLED`) are
 * edits of the declaration, so that is where a reader looks first.
 */
export type SharedDeclarationReport = {
  variable: SharedWriteReport['variable'];
  /** The functions that write it without a lock, in file order, each once. */
  writers: string[];
  /** `medium` when an entry point of this file reaches one of the writers. */
  confidence: 'medium' | 'low';
  related: RelatedOffset[];
};

const empty: SharedStateAnalysis = { writes: [], reads: [], fields: [] };

// A cheap gate (the analysis costs a few regex passes per function): a file with no method or
// slot table, no module init and no binding `.def(...)` registers no entry point itself. Such
// files (helpers, unity-build includes, vendored libraries) are skipped for speed; their
// functions are still analysed when the including file is, since the text is one file then.
const entryMarker = /\bPy\w*(?:Def|Methods|Procs|Slot|Object)\b|\bPyInit_|MODINIT|\.def\w*\s*\(|_MODULE\s*\(/;
let entryText: string | undefined;
let entryAnswer = false;
/** Whether `text` registers entry points itself; asked by several rules per file, so the last answer is kept. */
export function hasEntryPoints(text: string): boolean {
  if (entryText !== text) {
    entryAnswer = text.includes('{') && entryMarker.test(text);
    entryText = text;
  }
  return entryAnswer;
}

/**
 * The shared-state analysis of one source file (cached per text, so the rules that read it share
 * one run). C and C++ go through the function and entry-point model; Cython through its
 * indentation structure; other languages have none yet.
 */
export function sharedStateOf(text: string, target: RuleTarget): SharedStateAnalysis {
  if (target === 'c' || target === 'cpp') return hasEntryPoints(text) ? analyzeCSharedState(text) : empty;
  if (target === 'cython') return text.includes('def ') ? analyzeCythonSharedState(text) : empty;
  return empty;
}

const declarationCache = new WeakMap<SharedStateAnalysis, SharedDeclarationReport[]>();

/**
 * The variables of `analysis` (not function-local statics) with at least one unprotected write,
 * one report each at the declaration, with the writes as related locations (at most 8).
 *
 * Worked example: `static int numfree[N];` written in `record_dealloc` (slot `tp_dealloc`) and in
 * `ApgRecord_New` (not `static`) → one report on `numfree`, writers `record_dealloc` and
 * `ApgRecord_New`, confidence `medium`.
 */
export function sharedDeclarations(analysis: SharedStateAnalysis): SharedDeclarationReport[] {
  const cached = declarationCache.get(analysis);
  if (cached !== undefined) return cached;
  const byDeclaration = new Map<number, SharedDeclarationReport>();
  for (const w of analysis.writes) {
    // A function-local static is declared a few lines above its writes: the write reports suffice.
    if (w.variable.kind === 'static-local') continue;
    let report = byDeclaration.get(w.variable.at);
    if (report === undefined) {
      report = { variable: w.variable, writers: [], confidence: 'low', related: [] };
      byDeclaration.set(w.variable.at, report);
    }
    if (!report.writers.includes(w.function)) report.writers.push(w.function);
    if (w.confidence === 'medium') report.confidence = 'medium';
    if (report.related.length < 8) report.related.push({ at: w.at, message: `written without a lock in \`${w.function}\`` });
  }
  const out = [...byDeclaration.values()].sort((a, b) => a.variable.at - b.variable.at);
  declarationCache.set(analysis, out);
  return out;
}
