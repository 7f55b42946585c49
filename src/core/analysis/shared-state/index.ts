import type { RuleTarget } from '../../engine/define-rule.js';
import { analyzeCSharedState, type SharedStateAnalysis } from './analyze-c.js';
import { analyzeCythonSharedState } from './analyze-cython.js';

export type { FieldWriteReport, RelatedOffset, SharedReadReport, SharedStateAnalysis, SharedWriteReport, WriteKind } from './analyze-c.js';

const empty: SharedStateAnalysis = { writes: [], reads: [], fields: [] };

// A cheap gate (the analysis costs a few regex passes per function): a file with no method or
// slot table, no module init and no binding `.def(...)` registers no entry point itself. Such
// files (helpers, unity-build includes, vendored libraries) are skipped for speed; their
// functions are still analysed when the including file is, since the text is one file then.
const entryMarker = /\bPy\w*(?:Def|Methods|Procs|Slot|Object)\b|\bPyInit_|MODINIT|\.def\w*\s*\(|_MODULE\s*\(/;
const hasEntryPoints = (text: string): boolean => text.includes('{') && entryMarker.test(text);

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
