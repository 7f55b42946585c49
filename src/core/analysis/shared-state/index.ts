import type { RuleTarget } from '../../engine/define-rule.js';
import { analyzeCSharedState, type SharedStateAnalysis } from './analyze-c.js';
import { analyzeCythonSharedState } from './analyze-cython.js';

export type { FieldWriteReport, RelatedOffset, SharedReadReport, SharedStateAnalysis, SharedWriteReport, WriteKind } from './analyze-c.js';

const empty: SharedStateAnalysis = { writes: [], reads: [], fields: [] };

// A cheap gate: a file with no function body has no code Python can run.
const hasFunctionBody = (text: string): boolean => text.includes('{') && text.includes('(');

/**
 * The shared-state analysis of one source file (cached per text, so the rules that read it share
 * one run). C and C++ go through the function and entry-point model; Cython through its
 * indentation structure; other languages have none yet.
 */
export function sharedStateOf(text: string, target: RuleTarget): SharedStateAnalysis {
  if (target === 'c' || target === 'cpp') return hasFunctionBody(text) ? analyzeCSharedState(text) : empty;
  if (target === 'cython') return text.includes('def ') ? analyzeCythonSharedState(text) : empty;
  return empty;
}
